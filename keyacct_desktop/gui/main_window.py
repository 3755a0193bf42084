"""The main window: navigation on the left, pages on the right, sync state at the bottom."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.pages import PAGES, load_page_class


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

        self.sync_label = QLabel(self.tr("Offline — no server configured"))
        self.sync_label.setObjectName("syncState")
        self.statusBar().addPermanentWidget(self.sync_label)
        self._add_shortcuts()
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
