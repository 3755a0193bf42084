"""The main window: navigation on the left, pages on the right, sync state at the bottom.

Pages are built when first shown (or first asked for through ``window.pages[key]``), not
with the window: each page imports its own modules (ReportLab, charts…) and sets up its
widgets, and a start-up shows only the first one.

The window can be built and shown before the store is open (``MainWindow()``, then
:meth:`MainWindow.attach` once it is): navigation, menus and the status bar work at once,
each page shows "opening the local data" until then, and the page in front is built the
moment the store arrives. This module therefore imports nothing of SQLAlchemy or the
sync client at the top: importing them takes longer than showing the window (``gui/app.py``).

Once the window is first shown, visit logs left unsaved by a crash or kill (autosaved drafts)
are offered in a non-modal dialog queued after the show; the 走访 page is built only if the
user restores one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QWidget,
)

from keyacct_desktop.gui.desktop.menus import MenuHost, install_menus
from keyacct_desktop.gui.pages import PAGES, load_page_class
from keyacct_desktop.gui.pages.page import Page
from keyacct_desktop.gui.sync.status import SyncStatusLabel
from keyacct_desktop.gui.widgets.screen import fit_to_screen

if TYPE_CHECKING:
    from keyacct_desktop.context import AppContext
    from keyacct_desktop.gui.operations import ChangeBus
    from keyacct_desktop.gui.pages.customers import CustomersPage
    from keyacct_desktop.gui.sync.controller import SyncController
    from keyacct_desktop.gui.visits.drafts import DraftsDialog
    from keyacct_desktop.store.changes import Changes
    from keyacct_desktop.store.db import Store


class LazyPages(Mapping[str, QWidget]):
    """The window's pages by key; a page is built on first access and then kept."""

    def __init__(self, keys: list[str], build: Callable[[str], QWidget]) -> None:
        self._keys = keys
        self._build = build
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        if key not in self._built:
            if key not in self._keys:
                raise KeyError(key)
            self._built[key] = self._build(key)
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> dict[str, QWidget]:
        """The pages built so far (the others have nothing to refresh yet)."""
        return dict(self._built)


class MainWindow(MenuHost):
    """KeyAcct's main window.

    Attributes:
        ctx: the application context (store, settings).
        pages: page widgets by key, each built on first access (:class:`LazyPages`).

        drafts_dialog: the unsaved visit logs offered after the first show (``None`` when
            there were none).

    Signals (declared by :class:`MenuHost`):
        page_changed(str): the key of the page now shown.
    """

    def __init__(self, ctx: AppContext | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AppContext | None = None
        self.sync_controller: SyncController | None = None
        self.drafts_dialog: DraftsDialog | None = None
        self._bus: ChangeBus | None = None
        self._drafts_queued = False
        self._restored_drafts: set[str] = set()  # this session's: not offered again
        self.setWindowTitle(self.tr("KeyAcct — Key Account Manager's Workbench"))
        fit_to_screen(self, 1280, 800)

        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setFixedWidth(150)
        self.stack = QStackedWidget()
        self._keys: list[str] = [key for key, _title, _target in PAGES]
        self._targets = {key: target for key, _title, target in PAGES}
        self.pages = LazyPages(self._keys, self._build_page)
        for _key, title, _target in PAGES:
            self.stack.addWidget(self._placeholder())  # until the page is built
            self.navigation.addItem(
                QListWidgetItem(QCoreApplication.translate("MainWindow", title))
            )
        self.navigation.currentRowChanged.connect(self._show_row)

        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self.sync_label = SyncStatusLabel()
        self.sync_label.setText("")  # unknown until the store is open (attach)
        self.sync_label.clicked.connect(lambda: self.show_page("sync"))
        self.statusBar().addPermanentWidget(self.sync_label)
        self._add_shortcuts()
        self.menus = install_menus(self)
        self.navigation.setCurrentRow(0)
        if ctx is not None:
            self.attach(ctx)

    def _placeholder(self) -> QWidget:
        label = QLabel(self.tr("Opening the local data…"))
        label.setObjectName("pagePlaceholder")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        return label

    def show_opening(self, phase: str) -> None:
        """Say on the placeholders what the store opening waits for ("upgrade", "check"…)."""
        texts = {
            "upgrade": self.tr(
                "Upgrading the local data to this version (once; may take a minute)…"
            ),
            "check": self.tr("Checking the local data (the last session did not end cleanly)…"),
            "demo": self.tr("Creating the demo data…"),
        }
        text = texts.get(phase, self.tr("Opening the local data…"))
        for row in range(self.stack.count()):
            placeholder = self.stack.widget(row)
            if isinstance(placeholder, QLabel) and placeholder.objectName() == "pagePlaceholder":
                placeholder.setText(text)

    @property
    def attached(self) -> bool:
        """Whether the store is open and the pages can be built."""
        return self.ctx is not None

    def attach(self, ctx: AppContext) -> None:
        """Give the window its open store: sync state, then the page in front is built.

        The app calls ``sync_controller.start()`` itself (tests drive sync by hand).
        """
        from keyacct_desktop.gui.sync.controller import SyncController

        assert self.ctx is None, "attach() once"
        self.ctx = ctx
        # Pages (the Sync page) find the controller on their parent.
        self.sync_controller = SyncController(ctx, parent=self)
        self.sync_controller.status_changed.connect(self.sync_label.show_status)
        self.watch_store(ctx.store)
        self.sync_label.show_status(self.sync_controller.status)
        self.menus.settings_action.setEnabled(True)
        self.menus.reprint_action.setEnabled(True)
        self._show_row(self.navigation.currentRow())
        if self.isVisible():
            self._queue_drafts()

    def _build_page(self, key: str) -> QWidget:
        """Build a page and put it in place of its placeholder in the stack."""
        if self.ctx is None:
            raise RuntimeError(f"page {key!r} asked for before the store is open")
        row = self._keys.index(key)
        page = load_page_class(self._targets[key])(self.ctx, self)
        placeholder = self.stack.widget(row)
        assert placeholder is not None
        current = self.stack.currentIndex()
        self.stack.insertWidget(row, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        if current == row:
            self.stack.setCurrentIndex(row)
        return page

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
        page = self.show_page("customers")
        if self.ctx is not None:
            cast("CustomersPage", page).focus_search()

    def watch_store(self, store: Store) -> None:
        """Listen to the change bus of ``store`` (again after a restore opened a new one):
        operations, syncs and other writes announce there what they changed."""
        from keyacct_desktop.gui.operations import change_bus

        if self._bus is not None:
            self._bus.published.disconnect(self.publish_changes)
            if self.sync_controller is not None:
                self.sync_controller.changed.disconnect(self._bus.publish)
        self._bus = change_bus(store)
        self._bus.published.connect(self.publish_changes)
        if self.sync_controller is not None:
            self.sync_controller.changed.connect(self._bus.publish)

    def store_replaced(self) -> None:
        """A backup was restored: ``ctx.store`` is a new store; listen to its changes, and
        tell every page and open editor that anything may have changed."""
        from keyacct_desktop.store.changes import Changes

        if self.ctx is None:
            return
        self.watch_store(self.ctx.store)
        if self.sync_controller is not None:
            self.sync_controller.watch(self.ctx.store)
        assert self._bus is not None
        self._bus.publish(Changes.everything())

    def publish_changes(self, changes: Changes) -> None:
        """Hand what changed to every page built so far; each refreshes what it shows (now if
        it is in front, else when it is next shown)."""
        for page in self.pages.built().values():
            if isinstance(page, Page):
                page.refresh_changes(changes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.ctx is not None:
            self._queue_drafts()

    def _queue_drafts(self) -> None:
        """Offer unsaved visit logs once, after the window is up (not in the way of showing it)."""
        if not self._drafts_queued:
            self._drafts_queued = True
            QTimer.singleShot(0, self, self.offer_drafts)

    def _visit_logs(self) -> Any:
        from keyacct_desktop.services.visits import VisitLogService

        assert self.ctx is not None
        return VisitLogService(self.ctx.store, self.ctx.settings, self.ctx.attachment_files)

    def offer_drafts(
        self, everything: bool = False, *, when_none: Callable[[], None] | None = None
    ) -> DraftsDialog | None:
        """Show the unsaved visit logs (restore / discard / later), if there are any.

        Drafts restored earlier in this session, and drafts kept on purpose when an editor
        was cancelled (not left by a crash), are left out unless ``everything`` (the 走访
        page's button asks for them all; ``when_none`` runs when there are none).

        The drafts are read by a read operation on the database worker (which also imports
        the visits service there, not on the GUI thread just after the window is shown); the
        dialog shows when they arrive. Returns it when it is already up (tests: at once).
        """
        from keyacct_desktop.gui.operations import QueryOp

        assert self.ctx is not None
        ctx, restored = self.ctx, set(self._restored_drafts)

        def read(_state: Any) -> list[Any]:
            from keyacct_desktop.services.visits import VisitLogService

            service = VisitLogService(ctx.store, ctx.settings, ctx.attachment_files)
            return [
                d
                for d in service.drafts()
                if everything or (d.key not in restored and not d.cancelled)
            ]

        def failed(error: BaseException) -> None:
            from keyacct_desktop.gui.errors import show_error

            show_error(self, error, ctx.language)

        shown: list[DraftsDialog | None] = []
        QueryOp(
            self, read, lambda drafts: shown.append(self._show_drafts(drafts, when_none)), failed
        ).run_in_background()
        return shown[0] if shown else None

    def _show_drafts(
        self, drafts: list[Any], when_none: Callable[[], None] | None
    ) -> DraftsDialog | None:
        if not drafts:
            if self.drafts_dialog is not None:
                self.drafts_dialog.close()
            if when_none is not None:
                when_none()
            return None
        if self.drafts_dialog is None:
            from keyacct_desktop.gui.visits.drafts import DraftsDialog

            assert self.ctx is not None
            self.drafts_dialog = DraftsDialog(self._visit_logs(), drafts, self, self.ctx.language)
            self.drafts_dialog.restore_requested.connect(self._restore_draft)
        else:
            self.drafts_dialog.set_drafts(drafts)
        self.drafts_dialog.show()
        self.drafts_dialog.raise_()
        return self.drafts_dialog

    def _restore_draft(self, draft: Any) -> None:
        """Open the draft in the visit editor on the 走访 page; offer the others after it."""
        self._restored_drafts.add(draft.key)
        page = self.show_page("visits")
        editor = page.open_editor(draft.form)  # type: ignore[attr-defined]
        editor.finished.connect(lambda _result: self._offer_remaining())

    def _offer_remaining(self) -> None:
        if self.drafts_dialog is not None and not self.drafts_dialog.isVisible():
            self.offer_drafts()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Quitting asks first where something typed is not saved (open editors, a plan)."""
        if not self._unsaved_work_settled():
            event.ignore()
            return
        if self.sync_controller is not None:
            self.sync_controller.stop()
        super().closeEvent(event)

    def _unsaved_work_settled(self) -> bool:
        """Close open editors (each asks about its changes) and ask the pages; ``False``:
        the user chose to go on editing somewhere.

        Nothing is asked while the window is hidden (locked: a question would show data on
        the lock screen) or when the security controller closes it after wiping the data
        (property ``closeWithoutQuestions``).
        """
        from PySide6.QtWidgets import QDialog

        if not self.isVisible() or self.property("closeWithoutQuestions"):
            return True

        for dialog in self.findChildren(QDialog):
            if dialog.isVisible() and callable(getattr(dialog, "has_changes", None)):
                dialog.close()  # its reject() asks
                if dialog.isVisible():
                    return False
        for key, page in self.pages.built().items():
            if isinstance(page, Page) and not page.keep_or_drop_changes():
                self.show_page(key)
                return False
        return True

    def show_page(self, key: str) -> QWidget:
        """Bring a page to the front; before :meth:`attach`, its placeholder (built later)."""
        self.navigation.setCurrentRow(self._keys.index(key))
        if self.ctx is None:
            placeholder = self.stack.currentWidget()
            assert placeholder is not None  # one per page from the start (6.12: Optional)
            return placeholder
        return self.pages[key]

    def _show_row(self, row: int) -> None:
        if row < 0:
            return
        if self.ctx is None:  # the store is still opening: attach() builds the page
            self.stack.setCurrentIndex(row)
            self.page_changed.emit(self._keys[row])
            return
        page = self.pages[self._keys[row]]
        self.stack.setCurrentIndex(row)
        if isinstance(page, Page):
            page.activated()
        self.page_changed.emit(self._keys[row])
