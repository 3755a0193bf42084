"""Qt application set-up: bundled CJK font, translators, style, main window."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from keyacct_desktop import __version__
from keyacct_desktop.paths import font_path, resources_dir

#: Family name of the bundled font, filled by :func:`install_fonts`.
CJK_FAMILY = "Droid Sans Fallback"
_installed_translators: list[QTranslator] = []


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


def run_gui(args: argparse.Namespace) -> int:
    """Open the store (demo store with ``--demo``) and show the main window."""
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.paths import data_dir

    override = args.data_dir
    if args.demo and not override:
        override = str(data_dir() / "demo")
    ctx = AppContext.open(override)
    if args.demo:
        from keyacct_desktop.demo import generate_demo
        from keyacct_desktop.services.customers import CustomerDirectory

        if CustomerDirectory(ctx.store).count() == 0:
            generate_demo(ctx.store, customers=args.demo_customers)
    language = args.lang or ctx.language
    app = create_application(language)
    window = MainWindow(ctx)
    window.show()
    try:
        return app.exec()
    finally:
        ctx.close()
