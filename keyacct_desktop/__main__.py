"""``python -m keyacct_desktop`` behaves like the ``keyacct`` command."""

from keyacct_desktop.cli import main

raise SystemExit(main())
