"""``keyacct gui`` (the default): open the main window."""

from __future__ import annotations

import argparse
import importlib


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
        help="smoke test: quit this many milliseconds after the main window has its store",
    )
    parser.set_defaults(handler=run)


#: Light, Qt-free modules the window needs, imported before PySide6: modules imported
#: after it go through its import hook (see ``gui.app._skip_feature_source_scan``).
BEFORE_QT: tuple[str, ...] = (
    "dataclasses",
    "logging",
    "keyacct_desktop.domain.errors",
    "keyacct_desktop.paths",
    "keyacct_desktop.settings",
)


def run(args: argparse.Namespace) -> int:
    for module in BEFORE_QT:
        importlib.import_module(module)
    from keyacct_desktop.gui.app import run_gui

    return run_gui(args)
