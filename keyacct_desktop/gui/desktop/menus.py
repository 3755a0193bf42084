"""The main window's menus and keyboard shortcuts: 文件, 视图, 前往, 帮助.

Installed by :class:`MainWindow` after its pages exist. Shortcuts the window already owns
(Ctrl+1…9 for the pages, Ctrl+F for the customer search) are named and put into menus
here rather than declared twice, because two actions with one shortcut trigger neither.
The Help menu's shortcut list is read from the window's actions, so it never goes stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMainWindow,
    QMenu,
    QMenuBar,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.gui.pages import PAGES
from keyacct_desktop.gui.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.desktop.about_dialog import AboutDialog
    from keyacct_desktop.gui.desktop.settings_dialog import SettingsDialog
    from keyacct_desktop.gui.sync.controller import SyncController

#: How long a status-bar message from a shortcut stays, in milliseconds.
STATUS_MS = 8000

#: Page methods that Ctrl+P calls, in order of preference.
PRINT_METHODS = ("preview", "print_batch")


def shortcut_rows(window: QWidget) -> list[tuple[str, str]]:
    """(shortcut, what it does) for every named action of ``window`` that has a shortcut."""
    rows: dict[str, str] = {}
    actions = list(window.actions()) + window.findChildren(QAction)
    for action in actions:
        keys = action.shortcut()
        # "立即同步(&Y)" → "立即同步": the mnemonic means nothing in a list of keys
        text = re.sub(r"\(&\w\)", "", action.text()).replace("&", "").strip()
        text = text.removesuffix("…").strip()
        if keys.isEmpty() or not text:
            continue
        rows.setdefault(keys.toString(QKeySequence.SequenceFormat.NativeText), text)
    # Keys of every list and dialog, not actions of the window.
    rows.setdefault("Enter", QCoreApplication.translate("ShortcutsDialog", "Open the selected row"))
    rows.setdefault(
        "Esc",
        QCoreApplication.translate(
            "ShortcutsDialog", "Close a dialog (asks first if something is not saved)"
        ),
    )
    return sorted(rows.items(), key=lambda row: (len(row[0]), row[0]))


class ShortcutsDialog(QDialog):
    """A two-column list of the keyboard shortcuts."""

    def __init__(self, rows: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        fit_to_screen(self, 460, 420)
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Action")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for row, (keys, text) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(text))
        self.table.resizeColumnToContents(0)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)


class _HelpMenuLast(QObject):
    """Keeps 帮助 the last menu when others (the Security menu) are added later."""

    def __init__(self, bar: QMenuBar, help_action: QAction) -> None:
        super().__init__(bar)
        self.bar = bar
        self.help_action = help_action
        bar.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.ActionAdded
            and event.action() is not self.help_action  # type: ignore[attr-defined]
            and self.bar.actions()[-1] is not self.help_action
        ):
            self.bar.removeAction(self.help_action)
            self.bar.addAction(self.help_action)
        return False


class MenuHost(QMainWindow):
    """The main window as its menus use it (``gui.main_window.MainWindow`` is one), declared
    here so that the menus do not import the window that installs them.

    Signals:
        page_changed(str): the key of the page now shown.
    """

    page_changed = Signal(str)
    ctx: AppContext | None
    stack: QStackedWidget
    sync_controller: SyncController | None

    def show_page(self, key: str) -> QWidget:
        raise NotImplementedError


class DesktopMenus(QObject):
    """The menus and actions added to the main window.

    Attributes:
        window: the main window.
        settings_action, print_action, refresh_action, quit_action, shortcuts_action,
        about_action: the actions (also reachable from the window for tests).
        dialog: the settings/about/shortcuts dialog open now, if any.
    """

    def __init__(self, window: MenuHost) -> None:
        super().__init__(window)
        self.window = window
        self.dialog: QDialog | None = None
        bar = window.menuBar()

        self.file_menu = bar.addMenu(self.tr("&File"))
        # Global: they work from every page (a button's own shortcut works only on its page).
        self.new_customer_action = self._action(
            self.tr("&New customer…"), "Ctrl+N", self.new_customer
        )
        self.new_visit_action = self._action(
            self.tr("New &visit log…"), "Ctrl+Shift+N", self.new_visit
        )
        self.sync_action = self._action(self.tr("S&ync now"), "F9", self.sync_now)
        self.file_menu.addAction(self.new_customer_action)
        self.file_menu.addAction(self.new_visit_action)
        self.file_menu.addAction(self.sync_action)
        self.file_menu.addSeparator()
        self.settings_action = self._action(self.tr("&Settings…"), "Ctrl+,", self.open_settings)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.setEnabled(window.ctx is not None)  # enabled by window.attach()
        self.print_action = self._action(self.tr("&Print preview…"), "Ctrl+P", self.print_page)
        self.reprint_action = self._action(
            self.tr("&Reprint by number…"), "Ctrl+Shift+P", self.reprint_by_number
        )
        self.reprint_action.setEnabled(window.ctx is not None)  # enabled by window.attach()
        self.quit_action = self._action(self.tr("&Quit"), "Ctrl+Q", window.close)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.file_menu.addAction(self.settings_action)
        self.file_menu.addAction(self.print_action)
        self.file_menu.addAction(self.reprint_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = bar.addMenu(self.tr("&View"))
        self.refresh_action = self._action(self.tr("&Refresh"), "F5", self.refresh_page)
        self.view_menu.addAction(self.refresh_action)
        self.go_menu: QMenu = bar.addMenu(self.tr("&Go"))
        self._name_window_shortcuts()

        self.help_menu = bar.addMenu(self.tr("&Help"))
        self.shortcuts_action = self._action(
            self.tr("&Keyboard shortcuts…"), "F1", self.show_shortcuts
        )
        self.about_action = self._action(self.tr("&About KeyAcct…"), None, self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)
        self._help_last = _HelpMenuLast(bar, self.help_menu.menuAction())
        window.page_changed.connect(self._page_changed)
        self._page_changed("")

    def _action(self, text: str, keys: str | None, slot: object) -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def _name_window_shortcuts(self) -> None:
        """Give the window's own page and search shortcuts names and a place in the menus."""
        titles = {
            f"Ctrl+{number}": QCoreApplication.translate("MainWindow", title)
            for number, (_key, title, _target) in enumerate(PAGES[:9], start=1)
        }
        find = QKeySequence(QKeySequence.StandardKey.Find).toString()
        for action in self.window.actions():
            keys = action.shortcut().toString()
            if action.text():
                continue
            if keys in titles:
                action.setText(titles[keys])
                self.go_menu.addAction(action)
            elif keys == find:
                action.setText(self.tr("Find customer"))
                self.view_menu.addAction(action)

    def _current_page(self) -> QWidget:
        page = self.window.stack.currentWidget()
        assert page is not None  # the stack always holds the pages (PySide6 6.12: Optional)
        return page

    def _print_method(self) -> Callable[[], object] | None:
        """The current page's print preview (single document or a batch), if it has one."""
        for name in PRINT_METHODS:
            method = getattr(self._current_page(), name, None)
            if callable(method):
                return method
        return None

    def _page_changed(self, _key: str) -> None:
        self.print_action.setEnabled(self._print_method() is not None)

    # --- actions ------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        # Imported when opened: the dialog and its rules are not needed to start the app.
        from keyacct_desktop.gui.desktop.settings_dialog import SettingsDialog

        ctx = self.window.ctx
        assert ctx is not None, "the action is enabled once the store is open"
        dialog = SettingsDialog(ctx.settings, ctx.language, self.window)
        dialog.saved.connect(self.apply_settings)
        self._open(dialog)
        return dialog

    def apply_settings(self, changed: list[str]) -> None:
        """Apply what can change live; the language waits for a restart."""
        ctx = self.window.ctx
        assert ctx is not None
        if "security.idle_lock_minutes" in changed and ctx.store.key is not None:
            from keyacct_desktop.gui.security.controller import SecurityController

            controller = self.window.findChild(SecurityController)
            if controller is not None:
                minutes = int(ctx.settings.get("security.idle_lock_minutes"))
                controller.idle_lock.set_minutes(minutes)
        self.refresh_page()

    def new_customer(self) -> QWidget | None:
        """Ctrl+N: the customer list with a new, empty profile open."""
        if self.window.ctx is None:
            return None
        page = self.window.show_page("customers")
        return page.edit_customer(None)  # type: ignore[attr-defined]  # a method of that page only

    def new_visit(self) -> QWidget | None:
        """Ctrl+Shift+N: a new visit log, for the customer selected in the list if any."""
        if self.window.ctx is None:
            return None
        selected = getattr(self._current_page(), "selected_customer", None)
        customer_id = selected() if callable(selected) else None
        page = self.window.show_page("visits")
        return page.new_visit(customer_id)  # type: ignore[attr-defined]  # a method of that page only

    def sync_now(self) -> bool:
        """F9: sync now, or say in the status bar why not (and where to sign in)."""
        controller = self.window.sync_controller
        bar = self.window.statusBar()
        if controller is None:
            bar.showMessage(self.tr("The local data is still opening."), STATUS_MS)
            return False
        if not controller.account.signed_in:
            self.window.show_page("sync")
            bar.showMessage(
                self.tr("Not signed in: sign in to the server here to sync."), STATUS_MS
            )
            return False
        if controller.running:
            bar.showMessage(self.tr("A sync is running already."), STATUS_MS)
            return False
        started = controller.sync_now()
        if started:
            bar.showMessage(self.tr("Syncing…"), STATUS_MS)
        return started

    def print_page(self) -> None:
        method = self._print_method()
        if method is not None:
            method()

    def reprint_by_number(self) -> QDialog | None:
        """Ctrl+Shift+P: a document again by the number printed on it (typed or scanned)."""
        from keyacct_desktop.gui.documents.reprint_dialog import ReprintDialog

        if self.window.ctx is None:
            return None
        dialog = ReprintDialog(self.window.ctx, self.window)
        self._open(dialog)
        return dialog

    def refresh_page(self) -> None:
        from keyacct_desktop.gui.pages.page import Page

        page = self._current_page()
        if isinstance(page, Page):
            page.refresh()

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(shortcut_rows(self.window), self.window)
        self._open(dialog)
        return dialog

    def show_about(self) -> AboutDialog:
        from keyacct_desktop.gui.desktop.about_dialog import AboutDialog

        dialog = AboutDialog(self.window)
        self._open(dialog)
        return dialog

    def _open(self, dialog: QDialog) -> None:
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()


def install_menus(window: MenuHost) -> DesktopMenus:
    """Add the File, View, Go and Help menus and their shortcuts to ``window``."""
    return DesktopMenus(window)
