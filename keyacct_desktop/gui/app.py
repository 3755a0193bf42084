"""Qt application set-up: bundled CJK font, translators, style, main window."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QThreadPool, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from keyacct_desktop import __version__
from keyacct_desktop.paths import font_path, resources_dir

#: Family name of the bundled font, filled by :func:`install_fonts`.
CJK_FAMILY = "WenQuanYi Micro Hei"
_installed_translators: list[QTranslator] = []
log = logging.getLogger(__name__)


def install_fonts(app: QApplication) -> str:
    """Register the bundled CJK font so Chinese renders on machines without one."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    if font_id < 0:
        raise RuntimeError(f"cannot load bundled font {font_path()}")
    family = QFontDatabase.applicationFontFamilies(font_id)[0]
    font = QFont(app.font())
    # Latin text keeps the platform font; CJK falls back to the bundled family.
    font.setFamilies([app.font().family(), family])
    font.setPointSize(max(app.font().pointSize(), 10))
    app.setFont(font)
    return family


def install_translators(app: QApplication, language: str) -> list[QTranslator]:
    """Load every ``*_<language>.qm`` of the app plus Qt's own translations."""
    for translator in _installed_translators:
        app.removeTranslator(translator)
    _installed_translators.clear()
    QLocale.setDefault(QLocale(language))
    if language.startswith("en"):
        return []
    candidates = sorted((resources_dir() / "i18n").glob(f"*_{language}.qm"))
    qt_dir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    candidates += [qt_dir / f"qtbase_{language}.qm"]
    for qm in candidates:
        translator = QTranslator(app)
        if qm.exists() and translator.load(str(qm)):
            app.installTranslator(translator)
            _installed_translators.append(translator)
    return list(_installed_translators)


def create_application(language: str = "zh_CN", argv: list[str] | None = None) -> QApplication:
    """Return the (single) QApplication, configured for KeyAcct."""
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("KeyAcct Desktop")
    app.setApplicationDisplayName("KeyAcct 大客户经理工作台")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("KeyAcct")
    icon = resources_dir() / "icons" / "keyacct.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    install_fonts(app)
    install_translators(app, language)
    return app


def _is_empty(ctx: Any) -> bool:
    """Whether the store holds no customer yet (one indexed row read, not a count)."""
    from sqlalchemy import select

    from keyacct_desktop.store.models import Customer

    with ctx.store.read() as session:
        return session.scalar(select(Customer.id).limit(1)) is None


def verify_after_start(ctx: Any, window: QWidget, security: Any, language: str) -> Any:
    """Wait (on a worker) for the background integrity check of a trusted start.

    After a clean shutdown the store opens without waiting for ``PRAGMA quick_check``
    (``backup.BackgroundCheck``): it runs while the window is up and writes wait for it.
    If it finds damage, offer the last good backups as a damaged start does; declining
    quits. Returns the task, or ``None`` when the store was checked before the window.
    """
    from keyacct_desktop.backup import StoreDamagedError, backups_dir, list_backups
    from keyacct_desktop.gui.security.restore import RestoreDialog
    from keyacct_desktop.gui.tasks import run_task

    gate = ctx.store.write_gate
    if gate is None:
        return None

    def damaged(error: BaseException) -> None:
        if not isinstance(error, StoreDamagedError):
            log.error("integrity check failed to run", exc_info=error)
            return
        dialog = RestoreDialog(
            list_backups(backups_dir(ctx.data_dir)), damage=error, language=language, parent=window
        )
        chosen = dialog.selected() if dialog.exec() == QDialog.DialogCode.Accepted else None
        # Restoring swaps the file: let running readers (the dashboard) finish first.
        QThreadPool.globalInstance().waitForDone(10_000)
        if chosen is None or not security.restore(chosen):
            window.close()

    return run_task(
        lambda _state: gate(),
        title="integrity check",  # never shown: no progress dialog
        parent=window,
        on_error=damaged,
        dialog=False,
    )


def run_gui(args: argparse.Namespace) -> int:
    """Sign in, open and check the store (demo store with ``--demo``), show the main window.

    The demo store is deliberately unencrypted and opens without a prompt: it holds only
    generated data, and ``keyacct --demo`` must start in one command.
    """
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.gui.security.controller import SecurityController
    from keyacct_desktop.gui.security.start import ask_for_key, open_with_recovery
    from keyacct_desktop.paths import data_dir
    from keyacct_desktop.security.keys import DeviceKeys
    from keyacct_desktop.settings import Settings

    override = args.data_dir
    if args.demo and not override:
        override = str(data_dir() / "demo")
    directory = data_dir(override)
    settings = Settings.in_dir(directory)
    language = args.lang or str(settings.get("ui.language"))
    app = create_application(language)
    keys = DeviceKeys(directory)
    key = None
    if not args.demo:
        key = ask_for_key(directory, keys, settings)
        if key is None:
            return 1
    ctx: AppContext | None = open_with_recovery(directory, key, language)
    if ctx is None:
        return 1
    if args.demo and _is_empty(ctx):
        from keyacct_desktop.demo import generate_demo

        generate_demo(ctx.store, customers=args.demo_customers)
    window = MainWindow(ctx)
    security = SecurityController(ctx, window, keys)
    security.signed_out.connect(app.quit)
    window.show()
    verify_after_start(ctx, window, security, language)
    window.sync_controller.start()
    security.back_up_if_due()
    if args.quit_after is not None:
        from PySide6.QtCore import QTimer

        def smoke_quit() -> None:
            print(f"main window shown: {window.windowTitle()}", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(args.quit_after, smoke_quit)
    try:
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone()  # workers may still hold the store
        if not security.wiped:
            security.back_up_on_exit()
        ctx.close()
