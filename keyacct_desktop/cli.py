"""The ``keyacct`` command: the GUI by default, headless subcommands for batch work.

Each subcommand lives in ``keyacct_desktop.commands.<name>`` and exposes
``register(subparsers)``, which adds its parser and sets ``handler`` to a function
``(args) -> int``. Heavy imports (Qt, ReportLab) happen inside handlers so that
headless commands start fast and never load Qt.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from keyacct_desktop import __version__
from keyacct_desktop.domain.errors import UserError

#: Modules that contribute subcommands, in the order ``--help`` lists them, with the names
#: of the subcommands each registers (tests/test_cli.py checks them against ``register``):
#: a command line builds only the parser of its own command, so opening the window does not
#: import and build the other eight (~10 ms of the cold start).
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "keyacct_desktop.commands.gui": ("gui",),
    "keyacct_desktop.commands.demo": ("demo",),
    "keyacct_desktop.commands.print_": ("print",),
    "keyacct_desktop.commands.backup": ("backup", "restore"),
    "keyacct_desktop.commands.sync": ("sync",),
    "keyacct_desktop.commands.spreadsheet": ("import", "export"),
    "keyacct_desktop.commands.history": ("import-months",),
}
COMMAND_NAMES = frozenset(name for names in COMMAND_MODULES.values() for name in names)


def build_parser(modules: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The ``keyacct`` parser with the subcommands of ``modules`` (default: all of them)."""
    parser = argparse.ArgumentParser(
        prog="keyacct",
        description="KeyAcct Desktop — 大客户经理工作台 (key-account manager's workbench)",
    )
    parser.add_argument("--version", action="version", version=f"KeyAcct Desktop {__version__}")
    parser.add_argument(
        "--data-dir",
        help="folder of the local store (default: $KEYACCT_DATA_DIR or the user data folder)",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="log at DEBUG level, and to stderr as well as to the log file in the data folder",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMAND_MODULES if modules is None else modules:
        importlib.import_module(module_name).register(subparsers)
    for subparser in set(subparsers.choices.values()):  # also after the command
        _add_data_dir(subparser)
        if not any("--debug" in action.option_strings for action in subparser._actions):
            subparser.add_argument(
                "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
            )
    return parser


def _add_data_dir(parser: argparse.ArgumentParser) -> None:
    """``keyacct demo --data-dir D`` as well as ``keyacct --data-dir D demo`` (same option)."""
    if any("--data-dir" in action.option_strings for action in parser._actions):
        return
    parser.add_argument("--data-dir", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    for action in parser._actions:  # nested subcommands (keyacct sync login …)
        if isinstance(action, argparse._SubParsersAction):
            for nested in set(action.choices.values()):
                _add_data_dir(nested)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    asks_for_help = any(arg in ("-h", "--help", "--version") for arg in argv)
    named = [arg for arg in argv if arg in COMMAND_NAMES]
    if asks_for_help:
        parser = build_parser()
    else:
        if not named:
            argv = _with_default_command(argv, "gui")  # no subcommand: open the GUI
        command = named[0] if named else "gui"
        parser = build_parser([m for m, names in COMMAND_MODULES.items() if command in names])
    args = parser.parse_args(argv)
    from keyacct_desktop import logs

    logs.configure(debug=args.debug)
    try:
        return int(args.handler(args) or 0)
    except UserError as error:
        logs.log_failure(error)
        print(f"错误:{error.message_zh}\nError: {error.message_en}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消 / cancelled", file=sys.stderr)
        return 130
    except Exception as error:
        logs.log_failure(error)
        raise


def _with_default_command(argv: list[str], command: str) -> list[str]:
    """Insert the default subcommand after the global ``--data-dir`` and ``--debug`` options."""
    head: list[str] = []
    rest = list(argv)
    while rest:
        if rest[0] == "--data-dir" and len(rest) > 1:
            head, rest = [*head, *rest[:2]], rest[2:]
        elif rest[0].startswith("--data-dir=") or rest[0] == "--debug":
            head, rest = [*head, rest[0]], rest[1:]
        else:
            break
    return [*head, command, *rest]


if __name__ == "__main__":
    raise SystemExit(main())
