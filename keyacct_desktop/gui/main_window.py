"""The main window: navigation on the left, pages on the right, sync state at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.desktop.menus import install_menus
from keyacct_desktop.gui.pages import PAGES, load_page_class
from keyacct_desktop.gui.sync.controller import SyncController
from keyacct_desktop.gui.sync.status import SyncStatusLabel


class MainWindow(QMainWindow):
    """KeyAcct's main window.

    Attributes:
        ctx: the application context (store, settings).
        pages: page widgets by key.

    Signals:
        page_changed(str): the key of the page now shown.
    """

    page_changed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("KeyAcct — Key Account Manager's Workbench"))
        self.resize(1280, 800)
        # Pages (the Sync page) find the controller on their parent; the app calls start().
        self.sync_controller = SyncController(ctx, parent=self)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(150)
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._keys: list[str] = []
        for key, title, target in PAGES:
            page = load_page_class(target)(ctx, self)
            self.pages[key] = page
            self._keys.append(key)
            self.stack.addWidget(page)
            item = QListWidgetItem(QCoreApplication.translate("MainWindow", title))
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.navigation.addItem(item)
        self.navigation.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sync_label = SyncStatusLabel()
        self.sync_label.clicked.connect(lambda: self.show_page("sync"))
        self.statusBar().addPermanentWidget(self.sync_label)
        self.sync_controller.status_changed.connect(self.sync_label.show_status)
        self.sync_controller.finished.connect(self._refresh_after_sync)
        self.sync_label.show_status(self.sync_controller.status)
        self._add_shortcuts()
        self.menus = install_menus(self)
        self.navigation.setCurrentRow(0)

    def _add_shortcuts(self) -> None:
        for number, key in enumerate(self._keys[:9], start=1):
            action = QAction(self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _checked=False, k=key: self.show_page(k))
            self.addAction(action)
        find = QAction(self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self._focus_search)
        self.addAction(find)

    def _focus_search(self) -> None:
        self.show_page("customers")
        page = self.pages["customers"]
        focus = getattr(page, "focus_search", None)
        if callable(focus):
            focus()

    def _refresh_after_sync(self, report: object) -> None:
        """Pulled records show at once on the page in front; others refresh when shown."""
        if getattr(report, "pulled", 0) or getattr(report, "removed_customers", 0):
            page = self.stack.currentWidget()
            refresh = getattr(page, "refresh", None)
            if callable(refresh):
                refresh()

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self.sync_controller.stop()
        super().closeEvent(event)

    def show_page(self, key: str) -> QWidget:
        self.navigation.setCurrentRow(self._keys.index(key))
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        page = self.stack.widget(row)
        activated = getattr(page, "activated", None)
        if callable(activated):
            activated()
        self.page_changed.emit(self._keys[row])
