"""Qt application set-up: bundled CJK font, translators, style, main window."""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QThreadPool, QTranslator, Signal
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from keyacct_desktop import __version__
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import font_path, resources_dir


def _skip_feature_source_scan() -> None:
    """Stop PySide6 from reading the source of every module imported after it.

    PySide6 replaces ``__import__`` and, for each new module, reads its source looking for
    "PySide6" to pick the module's ``from __feature__ import …`` default (PYSIDE-2029,
    ``shibokensupport.feature._mod_uses_pyside``): hundreds of file reads when SQLAlchemy,
    httpx and the app's layers load after the window. KeyAcct selects no ``__feature__``
    anywhere, so every module may take the "no feature" default (what a module that
    imports PySide6 gets anyway) without its source being read. A PySide6 without this
    internal is left alone.
    """
    feature = sys.modules.get("shibokensupport.feature")
    if feature is not None and callable(getattr(feature, "_mod_uses_pyside", None)):
        feature._mod_uses_pyside = lambda _module: True  # type: ignore[attr-defined]


_skip_feature_source_scan()

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


#: Qt-free modules the first minutes of a session need, imported on the opening worker
#: so that the GUI thread does not wait for them when the store arrives (SQLAlchemy and
#: the models, the sync client and httpx, backups, the 首页 queries).
OPENING_IMPORTS: tuple[str, ...] = (
    "keyacct_desktop.context",
    "keyacct_desktop.store.models",
    "keyacct_desktop.store.local",
    "keyacct_desktop.backup",
    "keyacct_desktop.security.device",
    "keyacct_desktop.security.keys",
    "keyacct_desktop.security.session",
    "keyacct_desktop.sync.account",
    "keyacct_desktop.sync.client",
    "keyacct_desktop.sync.review",
    "keyacct_desktop.services.overview",
)


def _is_empty(ctx: Any) -> bool:
    """Whether the store holds no customer yet (one indexed row read, not a count)."""
    from keyacct_desktop.services.choices import has_customers

    return not has_customers(ctx.store)


@dataclass
class OpenedStore:
    """What the opening worker hands to the GUI thread."""

    ctx: Any  # AppContext (not imported here: see OPENING_IMPORTS)
    keys: Any  # DeviceKeys


class StoreOpening(QObject):
    """Signs in and opens the store while the main window is already shown.

    Importing SQLAlchemy, the models, the key handling and the sync client and opening the
    store take several times as long as showing the window on a slow laptop, so the window
    comes first (navigation, menus and status bar take input, each page says "opening the
    local data…") and the store follows:

    1. on a worker: import those layers;
    2. on the GUI thread, unless a demo store: sign in (the store key), from the OS keyring when
       remembered, else from the sign-in dialog over the window (cancelling ends the app);
    3. on a worker: open the store (integrity check after a crash, migrations, demo data
       for a new demo store);
    4. on the GUI thread: the window gets the store, the security controller and
       background sync start, and the automatic backup runs if due.

    A damaged store offers the backups, as before the window existed; declining, or any
    other error, ends the app with the reason shown.

    Signals:
        ready(object): the :class:`AppContext`, attached to the window.
        failed(int): the exit code the app ends with (after the user was told why).
    """

    ready = Signal(object)
    failed = Signal(int)

    def __init__(
        self,
        window: Any,
        directory: Path,
        settings: Any,
        language: str,
        *,
        signs_in: bool = True,
        demo_customers: int | None = None,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.directory = directory
        self.settings = settings
        self.language = language
        self.signs_in = signs_in
        self.key: bytes | None = None
        self.demo_customers = demo_customers
        self.opened: OpenedStore | None = None  # set by the worker: closed at exit if need be
        self.security: Any = None
        self.task: Any = None

    def start(self) -> None:
        self._on_worker(self._import_layers, self._sign_in)

    def _on_worker(self, work: Any, then: Any) -> None:
        from keyacct_desktop.gui.tasks import run_task

        self.task = run_task(
            work,
            title="opening the store",  # never shown: no progress dialog
            parent=self.window,
            on_done=then,
            on_error=self._open_failed,
            dialog=False,
        )
        self.task.progress.connect(lambda progress: self.window.show_opening(progress.message))

    @staticmethod
    def _import_layers(_state: Any) -> None:
        for module in OPENING_IMPORTS:
            importlib.import_module(module)

    def _sign_in(self, _result: Any = None) -> None:
        if self.signs_in:
            from keyacct_desktop.gui.security.start import ask_for_key
            from keyacct_desktop.security.keys import DeviceKeys

            self.key = ask_for_key(
                self.directory, DeviceKeys(self.directory), self.settings, parent=self.window
            )
            if self.key is None:
                self._end(1)
                return
        self._on_worker(self._open, self._opened)

    def _open(self, state: Any) -> OpenedStore:
        """On the worker: open and check the store, fill a new demo store.

        The slow phases (a schema upgrade, the integrity check after a crash, demo data)
        are reported as progress, and the window says what it is waiting for.
        """
        from keyacct_desktop.context import AppContext
        from keyacct_desktop.security.keys import DeviceKeys

        def phase(name: str) -> None:
            state.report(0, 0, name)

        ctx = AppContext.open(self.directory, key=self.key, on_phase=phase)
        self.opened = OpenedStore(ctx, DeviceKeys(self.directory))
        if self.demo_customers is not None and _is_empty(ctx):
            from keyacct_desktop.demo import generate_demo, generate_demo_documents

            phase("demo")
            generate_demo(ctx.store, customers=self.demo_customers)
            generate_demo_documents(ctx.store, ctx.settings)  # 告知书、方案、停电通知 to look at
        return self.opened

    def _opened(self, opened: OpenedStore) -> None:
        from keyacct_desktop.gui.security.controller import SecurityController

        window, ctx = self.window, opened.ctx
        window.attach(ctx)
        self.security = SecurityController(ctx, window, opened.keys)
        self.security.signed_out.connect(QApplication.quit)
        verify_after_start(ctx, window, self.security, self.language)
        window.sync_controller.start()
        self.security.back_up_if_due()
        self.ready.emit(ctx)

    def _open_failed(self, error: BaseException) -> None:
        from keyacct_desktop.backup import StoreDamagedError
        from keyacct_desktop.gui.errors import show_error
        from keyacct_desktop.gui.security.start import recover_damaged_store

        if isinstance(error, StoreDamagedError):
            if recover_damaged_store(
                self.directory, self.key, error, self.language, parent=self.window
            ):
                self._on_worker(self._open, self._opened)  # the restored file, checked again
                return
            self._end(1)
            return
        show_error(self.window, error, self.language)
        self._end(2 if isinstance(error, UserError) else 1)

    def _end(self, code: int) -> None:
        self.failed.emit(code)  # run_gui ends the event loop with it

    def finish(self) -> None:
        """After the event loop: the exit backup, then close the store (even if never shown)."""
        QThreadPool.globalInstance().waitForDone()  # workers may still hold the store
        if self.opened is None:
            return
        if self.security is not None and not self.security.wiped:
            self.security.back_up_on_exit()
        self.opened.ctx.close()


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
        restoring = chosen is not None and security.restore(
            chosen, on_finished=lambda restored: restored or window.close()
        )
        if not restoring:
            window.close()

    return run_task(
        lambda _state: gate(),
        title="integrity check",  # never shown: no progress dialog
        parent=window,
        on_error=damaged,
        dialog=False,
    )


def _quit_after_opening(window: QWidget, opening: StoreOpening, milliseconds: int) -> None:
    """The smoke-test lines and quit of ``--quit-after`` (read by tests and the benchmark)."""
    from PySide6.QtCore import QTimer

    def shown() -> None:
        print(f"main window shown: {window.windowTitle()}", flush=True)

    def close() -> None:
        window.close()
        QApplication.quit()

    def store_open(_ctx: Any) -> None:
        print("store open", flush=True)
        QTimer.singleShot(milliseconds, close)

    QTimer.singleShot(0, shown)
    opening.ready.connect(store_open)


def run_gui(args: argparse.Namespace) -> int:
    """Show the main window, then sign in and open the store (:class:`StoreOpening`).

    The demo store (``--demo``) is deliberately unencrypted and opens without a prompt: it
    holds only generated data, and ``keyacct --demo`` must start in one command.
    ``--quit-after MS`` (smoke tests, the start-up benchmark) prints ``main window shown``
    on the first pass of the event loop after the window is shown, ``store open`` once the
    window has its store, and quits MS milliseconds after that.
    """
    from keyacct_desktop import logs
    from keyacct_desktop.gui.crash import install_crash_reporting
    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.paths import data_dir
    from keyacct_desktop.settings import Settings

    override = args.data_dir
    if args.demo and not override:
        override = str(data_dir() / "demo")
    directory = data_dir(override)
    logs.log_to_folder(directory)  # <data dir>/logs/keyacct.log: tracebacks of a windowed build
    settings = Settings.in_dir(directory)
    language = args.lang or str(settings.get("ui.language"))
    app = create_application(language)
    crash_reporting = install_crash_reporting(app)  # uncaught errors: logged, then a dialog
    window = MainWindow()
    opening = StoreOpening(
        window,
        directory,
        settings,
        language,
        signs_in=not args.demo,  # the demo store opens without a prompt
        demo_customers=args.demo_customers if args.demo else None,
    )
    opening.failed.connect(app.exit)
    window.show()
    opening.start()
    if args.quit_after is not None:
        _quit_after_opening(window, opening, args.quit_after)
    try:
        return app.exec()
    finally:
        opening.finish()
        crash_reporting.uninstall()  # the hooks of the process before (tests run several apps)
        logs.stop_logging_to_folder()
