"""``keyacct gui`` (the default): open the main window."""

from __future__ import annotations

import argparse
import importlib

#: Qt-free modules the start of the window needs anyway, imported before PySide6. Once
#: PySide6 is imported, its import hook (shiboken's ``__feature_import__``, PYSIDE-2029)
#: reads the source of every Python module imported after it, looking for "PySide6":
#: several hundred files for SQLAlchemy, httpx, cryptography and the app's own layers
#: (a few hundred milliseconds of a cold start). Modules already imported are not read.
PRELOAD: tuple[str, ...] = (
    "sqlalchemy.orm",
    "sqlalchemy.dialects.sqlite",
    "keyacct_desktop.context",
    "keyacct_desktop.store.models",
    "keyacct_desktop.backup",
    "keyacct_desktop.security.device",
    "keyacct_desktop.security.keys",
    "keyacct_desktop.security.session",
    "keyacct_desktop.sync.review",
    "keyacct_desktop.services.overview",
)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("gui", help="open the main window (default)")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="use a separate demo store, filled with demo data on first start",
    )
    parser.add_argument(
        "--demo-customers", type=int, default=300, help="customers in a new demo store"
    )
    parser.add_argument("--lang", choices=["zh_CN", "en"], help="override the UI language")
    parser.add_argument(
        "--quit-after",
        type=int,
        metavar="MS",
        help="smoke test: quit this many milliseconds after the main window is shown",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    for module in PRELOAD:
        importlib.import_module(module)
    from keyacct_desktop.gui.app import run_gui

    return run_gui(args)
