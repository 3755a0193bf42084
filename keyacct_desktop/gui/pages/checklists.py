"""告知单 page: draft, review, issue and track one-shot notification checklists.

What it shows is read on the database worker (issue 20), never on the GUI thread: the list,
the checklist selected and the one to print. A refresh keeps the rows and the selection on
screen until the new ones arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import TypeVar

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.documents import ChecklistView, stage_label
from keyacct_desktop.domain.enums import BusinessType, DocumentStatus, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.workdays import DONE, NOT_STARTED, RUNNING, StepClock
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import LatestReads, run_write
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.print_preview import preparing, preview_when_rendered
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.gui.widgets.dates import py_date
from keyacct_desktop.gui.widgets.loading import loading_note, with_loading_note
from keyacct_desktop.gui.widgets.rows_model import ObjectRole, RowsModel, fit_columns
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.documents import template_library

WARNING = QColor("#fff3cd")
OVERDUE = QColor("#f8d7da")
RECEIVED = QColor("#e2f0d9")
KIND_ZH = {"material": "材料", "step": "流程", "rule": "规定", "term": "客户须知", "limit": "时限"}
KIND_EN = {
    "material": "Material",
    "step": "Step",
    "rule": "Rule",
    "term": "Customer's term",
    "limit": "Time limit",
}


T = TypeVar("T")


class ChecklistsPage(PageBase, QWidget):
    """Checklists list on the left, the selected checklist on the right.

    Attributes:
        service: the checklist service.
        current: the checklist shown on the right, if any.
    """

    WATCHES = frozenset({"checklist", "checklist_item", "customer"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ChecklistService(ctx.store, ctx.settings)
        self.current: ChecklistView | None = None
        self._showing: uuid.UUID | None = None  # the checklist asked for last (shown or coming)
        self._listed = False  # the list was read once (until then "reading…" shows)
        self.reads = LatestReads(self, lambda: ctx.language)
        english = ctx.language.startswith("en")

        # -- new checklist bar
        self.customer = CustomerPicker(CustomerDirectory(ctx.store))
        self.business = QComboBox()
        for member in BusinessType:
            self.business.addItem(label(member, ctx.language), member.value)
        self.accepted = QDateEdit(QDate.currentDate())
        self.accepted.setCalendarPopup(True)
        self.accepted.setDisplayFormat("yyyy-MM-dd")
        self.create_button = QPushButton(self.tr("Create draft"))
        self.create_button.clicked.connect(self.create_draft)
        new_box = QGroupBox(self.tr("New one-shot notification"))
        new_layout = QHBoxLayout(new_box)
        new_layout.addWidget(QLabel(self.tr("Customer")))
        new_layout.addWidget(self.customer, 2)
        new_layout.addWidget(QLabel(self.tr("Business")))
        new_layout.addWidget(self.business)
        new_layout.addWidget(QLabel(self.tr("Accepted on")))
        new_layout.addWidget(self.accepted)
        new_layout.addWidget(self.create_button)

        # -- list
        self.list_model = RowsModel(
            [
                self.tr("Number"),
                self.tr("Customer"),
                self.tr("Business"),
                self.tr("Version"),
                self.tr("Status"),
            ],
            self,
        )
        self.list_view = QTableView()
        self.list_view.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        self.list_view.setModel(self.list_model)
        self.list_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.list_view, {0: 140, 2: 70, 3: 36, 4: 56}, stretch=1)
        self.list_view.selectionModel().currentRowChanged.connect(self._selected)
        self.loading_note = loading_note(self.tr("Reading the checklists…"))
        list_box = with_loading_note(self.loading_note, self.list_view)

        # -- detail
        self.heading = QLabel(self.tr("Select a checklist, or create one above."))
        self.heading.setWordWrap(True)
        self.items_model = RowsModel(
            [
                self.tr("No."),
                self.tr("Stage"),
                self.tr("Kind"),
                self.tr("Content"),
                self.tr("Working days"),
                self.tr("Started"),
                self.tr("Deadline / progress"),
                self.tr("Days left"),
                self.tr("Received"),
            ],
            self,
        )
        self.items_view = QTableView()
        self.items_view.setTabKeyNavigation(False)
        self.items_view.setModel(self.items_model)
        self.items_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items_view.setWordWrap(True)
        fit_columns(
            self.items_view, {0: 40, 1: 80, 2: 50, 4: 60, 5: 90, 6: 110, 7: 60, 8: 90}, stretch=3
        )
        self.new_item = QLineEdit()
        self.new_item.setPlaceholderText(self.tr("Case-specific material to add"))
        self.add_button = QPushButton(self.tr("Add item"))
        self.remove_button = QPushButton(self.tr("Remove item"))
        self.received_date = QDateEdit(QDate.currentDate())
        self.received_date.setCalendarPopup(True)
        self.received_date.setDisplayFormat("yyyy-MM-dd")
        self.received_date.setMaximumDate(QDate.currentDate())
        self.received_button = QPushButton(self.tr("Mark received on"))
        self.clear_received_button = QPushButton(self.tr("Clear received date"))
        self.clear_received_button.clicked.connect(self.clear_received)
        # progress of the utility's time-limited steps: each clock runs from its step's start
        self.progress_date = QDateEdit(QDate.currentDate())
        self.progress_date.setCalendarPopup(True)
        self.progress_date.setDisplayFormat("yyyy-MM-dd")
        self.progress_date.setMaximumDate(QDate.currentDate())
        self.started_button = QPushButton(self.tr("Step started on"))
        self.completed_button = QPushButton(self.tr("Step completed on"))
        self.clear_progress_button = QPushButton(self.tr("Clear step dates"))
        self.started_button.setToolTip(
            self.tr("The time limit counts from the day its step starts (plan reply: acceptance)")
        )
        self.started_button.clicked.connect(self.mark_started)
        self.completed_button.clicked.connect(self.mark_completed)
        self.clear_progress_button.clicked.connect(self.clear_progress)
        self.issue_button = QPushButton(self.tr("Issue…"))
        self.correct_button = QPushButton(self.tr("Correct (new version)"))
        self.preview_button = QPushButton(self.tr("Preview / print"))
        self.add_button.clicked.connect(self.add_item)
        self.remove_button.clicked.connect(self.remove_item)
        self.received_button.clicked.connect(self.mark_received)
        self.issue_button.clicked.connect(self.issue)
        self.correct_button.clicked.connect(self.correct)
        self.preview_button.clicked.connect(self.preview)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_item, 1)
        add_row.addWidget(self.add_button)
        add_row.addWidget(self.remove_button)
        buttons = QHBoxLayout()
        for button in (
            self.received_button,
            self.received_date,
            self.clear_received_button,
            self.issue_button,
            self.correct_button,
            self.preview_button,
        ):
            buttons.addWidget(button)
        buttons.addStretch(1)
        progress = QHBoxLayout()
        for widget in (
            self.started_button,
            self.completed_button,
            self.progress_date,
            self.clear_progress_button,
        ):
            progress.addWidget(widget)
        progress.addStretch(1)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.addWidget(self.heading)
        detail_layout.addWidget(self.items_view, 1)
        detail_layout.addLayout(add_row)
        detail_layout.addLayout(buttons)
        detail_layout.addLayout(progress)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(list_box)
        splitter.addWidget(detail)
        # the item table (nine columns, wrapped contents) gets the room; the list keeps a third
        splitter.setSizes([420, 860])
        splitter.setStretchFactor(1, 1)
        # Broken template files are listed, never fatal: the other business types stay usable.
        library = template_library(ctx.settings)
        self.template_problems = QLabel(
            "\n".join(problem.describe(ctx.language) for problem in library.problems)
        )
        self.template_problems.setStyleSheet("color: #a4262c;")
        self.template_problems.setVisible(bool(library.problems))
        for problem in library.problems:
            index = self.business.findData(problem.path.stem)
            if index >= 0:
                self.business.removeItem(index)
        layout = QVBoxLayout(self)
        layout.addWidget(self.template_problems)
        layout.addWidget(new_box)
        layout.addWidget(splitter, 1)
        self._kinds = KIND_EN if english else KIND_ZH
        self._update_buttons()

    # -- data
    def activated(self) -> None:
        self.refresh()

    @property
    def loaded(self) -> bool:
        """The list and the checklist asked for are shown (no read of them is awaited)."""
        return self._listed and not self.reads.waiting("list", "view")

    def refresh(self) -> None:
        """Read the list and the checklist shown again on the database worker; what is on
        screen stays until the answers come."""
        self._read_list()
        if self._showing is not None:
            self.show_checklist(self._showing)

    def _read_list(self) -> None:
        if not self._listed:
            self.loading_note.show()
        service = self.service
        self.reads.ask("list", lambda _state: service.list(), self._show_list)

    def _show_list(self, rows: list[tuple[uuid.UUID, str | None, str, str, int, str]]) -> None:
        self._listed = True
        self.loading_note.hide()
        lang = self.ctx.language
        self.list_model.set_rows(
            [
                (
                    n or self.tr("(draft)"),
                    c,
                    label(BusinessType(b), lang),
                    v,
                    label(DocumentStatus(s), lang),
                )
                for _id, n, c, b, v, s in rows
            ],
            [r[0] for r in rows],
        )
        ids = [r[0] for r in rows]
        if self._showing in ids:  # the checklist shown stays selected
            self.list_view.selectRow(ids.index(self._showing))

    def _selected(self, current, _previous) -> None:
        checklist_id = self.list_model.data(current, ObjectRole) if current.isValid() else None
        if checklist_id is None or checklist_id == self._showing:
            return
        if not self.keep_or_drop_changes():  # go on typing: the checklist's row selected again
            rows = [self.list_model.object_at(r) for r in range(self.list_model.rowCount())]
            selection = self.list_view.selectionModel()
            selection.blockSignals(True)
            if self._showing in rows:
                self.list_view.selectRow(rows.index(self._showing))
            selection.blockSignals(False)
            return
        self.show_checklist(checklist_id)

    def has_changes(self) -> bool:
        """Whether a material is typed for the checklist shown but not added yet."""
        return self.current is not None and bool(self.new_item.text().strip())

    def keep_or_drop_changes(self) -> bool:
        """Before the checklist shown is replaced (or the app quits): ask about a material
        typed but not added. ``False``: stay."""
        if not self.has_changes():
            return True
        answer = unsaved.ask(self, self.tr("The material typed for this checklist"))
        if answer is unsaved.Answer.SAVE:
            self.add_item()
            return not self.new_item.text().strip()  # added (else its error was shown)
        if answer is unsaved.Answer.DISCARD:
            self.new_item.clear()
            return True
        return False

    def show_checklist(self, checklist_id: uuid.UUID) -> None:
        """Show a checklist, read on the database worker. Until it comes, the one shown
        before stays on screen with its buttons off (they would act on it); an answer for a
        checklist no longer asked for is dropped."""
        self._showing = checklist_id
        if self.current is not None and self.current.id != checklist_id:
            self._update_buttons()
        service = self.service
        self.reads.ask(
            "view", lambda _state: service.view(checklist_id), self._show_view, self._view_failed
        )

    def _show_again(self, checklist_id: uuid.UUID) -> None:
        """After a write to a checklist: read it again, unless another one was chosen since."""
        if self._showing == checklist_id:
            self.show_checklist(checklist_id)

    def _view_failed(self, error: BaseException) -> None:
        if not isinstance(error, UserError):  # the one shown before stays, usable again
            self._showing = self.current.id if self.current is not None else None
            self._update_buttons()
            show_error(self, error, self.ctx.language)
            return
        self._showing = None  # gone (by a sync): it left the list too, nothing shows here
        self.current = None
        self.heading.setText(self.tr("Select a checklist, or create one above."))
        self.items_model.set_rows([])
        self._update_buttons()

    def _show_view(self, view: ChecklistView) -> None:
        self.current = view
        lang = self.ctx.language
        status = label(DocumentStatus(view.status), lang)
        version = self.tr("version %1").replace("%1", str(view.version_no))
        number = view.number or self.tr("(draft)")
        self.heading.setText(
            f"<b>{view.customer_name}</b> — {label(view.business_type, lang)} — {number} — {version} — {status}"
        )
        rows: list[tuple[object, ...]] = []
        backgrounds: list[QColor | None] = []
        for item in view.items:
            limit = item.limit
            rows.append(
                (
                    item.position,
                    stage_label(item.stage, lang),
                    self._kinds.get(item.kind, item.kind),
                    item.text,
                    item.time_limit_days or "",
                    item.started_on.isoformat() if item.started_on else "",
                    self._progress(limit),
                    limit.remaining if limit and limit.state == RUNNING else "",
                    item.received_on.isoformat() if item.received_on else "",
                )
            )
            if item.received_on or (limit and limit.state == DONE):
                backgrounds.append(RECEIVED)
            elif limit and limit.overdue:
                backgrounds.append(OVERDUE)
            elif limit and limit.warning:
                backgrounds.append(WARNING)
            else:
                backgrounds.append(None)
        self.items_model.set_rows(rows, [i.id for i in view.items], backgrounds)
        self.items_view.resizeRowsToContents()
        self._update_buttons()

    def _progress(self, limit: StepClock | None) -> str:
        """未开始 / the deadline of a running step / done on a day (late if after its deadline)."""
        if limit is None:
            return ""
        if limit.state == NOT_STARTED:
            return self.tr("Not started")
        if limit.state == DONE:
            assert limit.completed_on is not None
            text = self.tr("Done late %1") if limit.late else self.tr("Done %1")
            return text.replace("%1", limit.completed_on.isoformat())
        assert limit.deadline is not None
        if limit.estimated:
            return self.tr("%1 (estimated calendar)").replace("%1", limit.deadline.isoformat())
        return limit.deadline.isoformat()

    def _update_buttons(self) -> None:
        """What the checklist shown allows; nothing while another one is being read."""
        view = self.current
        if view is not None and view.id != self._showing:
            view = None
        draft = view is not None and view.status == "draft"
        self.add_button.setEnabled(draft)
        self.remove_button.setEnabled(draft)
        self.new_item.setEnabled(draft)
        self.issue_button.setEnabled(draft)
        self.correct_button.setEnabled(view is not None and view.status == "issued")
        self.received_button.setEnabled(view is not None)
        self.received_date.setEnabled(view is not None)
        self.clear_received_button.setEnabled(view is not None)
        self.preview_button.setEnabled(view is not None)
        tracked = view is not None and view.status == "issued"
        for widget in (
            self.started_button,
            self.completed_button,
            self.progress_date,
            self.clear_progress_button,
        ):
            widget.setEnabled(tracked)

    def _selected_item(self) -> uuid.UUID | None:
        index = self.items_view.currentIndex()
        return self.items_model.data(index, ObjectRole) if index.isValid() else None

    # -- actions
    def create_draft(self) -> None:
        if self.customer.customer_id is None:
            QMessageBox.information(self, self.windowTitle(), self.tr("Pick a customer first."))
            return
        customer_id, business = self.customer.customer_id, self.business.currentData()
        accepted_on = py_date(self.accepted.date())

        def then(checklist_id: uuid.UUID) -> None:
            self._showing = checklist_id
            self.refresh()

        self._run(lambda _s: self.service.draft(customer_id, business, accepted_on), then)

    def _run(
        self,
        op: Callable[[TaskState], T],
        then: Callable[[T], None],
        *,
        after_error: Callable[[], None] | None = None,
    ) -> None:
        """Run a write as an operation (off the GUI thread); ``then(value)`` shows its result
        here, and the page does not read again when the changes are announced."""

        run_write(
            self,
            self.ctx.store,
            op,
            then,
            language=self.ctx.language,
            shown=self.refreshed_for,
            after_error=None if after_error is None else lambda _error: after_error(),
        )

    def add_item(self) -> None:
        if self.current is None:
            return
        checklist_id, text = self.current.id, self.new_item.text()

        def then(_value: object) -> None:
            self.new_item.clear()
            self._show_again(checklist_id)

        self._run(lambda _s: self.service.add_item(checklist_id, text), then)

    def remove_item(self) -> None:
        item_id = self._selected_item()
        if self.current is None or item_id is None:
            return
        checklist_id = self.current.id
        self._run(
            lambda _s: self.service.remove_item(item_id),
            lambda _value: self._show_again(checklist_id),
        )

    def _selected_items(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.items_view.selectionModel().selectedRows()})
        if not rows and self.items_view.currentIndex().isValid():
            rows = [self.items_view.currentIndex().row()]
        return [self.items_model.object_at(row) for row in rows]

    def mark_received(self) -> None:
        """Record the date in the date box (today by default) on every selected item."""
        self._set_received(py_date(self.received_date.date()))

    def clear_received(self) -> None:
        """Undo a receipt recorded by mistake."""
        self._set_received(None)

    def _set_received(self, on: date | None) -> None:
        item_ids = self._selected_items()
        if self.current is None or not item_ids:
            QMessageBox.information(
                self, self.windowTitle(), self.tr("Select one or more items first.")
            )
            return
        checklist_id = self.current.id

        def op(_state: TaskState) -> None:
            for item_id in item_ids:
                self.service.mark_received(item_id, on)

        self._run(
            op,
            lambda _value: self._show_again(checklist_id),
            after_error=lambda: self._show_again(checklist_id),
        )

    def mark_started(self) -> None:
        """The selected time-limited steps started on the date in the box: their clocks run."""
        self._set_progress(self.service.mark_started, py_date(self.progress_date.date()))

    def mark_completed(self) -> None:
        """The selected time-limited steps were done on the date in the box: their clocks stop."""
        self._set_progress(self.service.mark_completed, py_date(self.progress_date.date()))

    def clear_progress(self) -> None:
        """Undo start and completion dates recorded by mistake (the step is 未开始 again)."""

        def clear(item_id: uuid.UUID, _on: date | None) -> None:
            self.service.mark_completed(item_id, None)
            self.service.mark_started(item_id, None)

        self._set_progress(clear, None)

    def _set_progress(
        self, action: Callable[[uuid.UUID, date | None], None], on: date | None
    ) -> None:
        item_ids = self._selected_items()
        if self.current is None or not item_ids:
            QMessageBox.information(
                self, self.windowTitle(), self.tr("Select one or more time limits first.")
            )
            return
        checklist_id = self.current.id

        def op(_state: TaskState) -> None:
            for item_id in item_ids:
                action(item_id, on)

        self._run(
            op,
            lambda _value: self._show_again(checklist_id),
            after_error=lambda: self._show_again(checklist_id),
        )

    def issue(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Issue checklist"),
            self.tr(
                "Once issued the checklist is frozen and can only be corrected by a new version. Issue it now?"
            ),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        checklist_id = self.current.id
        self._run(lambda _s: self.service.issue(checklist_id), lambda _value: self.refresh())

    def correct(self) -> None:
        if self.current is None:
            return
        checklist_id = self.current.id

        def then(new_id: uuid.UUID) -> None:
            self._showing = new_id
            self.refresh()

        self._run(lambda _s: self.service.correct(checklist_id), then)

    def pdf(self) -> bytes:
        """The PDF of the checklist shown (as last read), laid out here."""
        assert self.current is not None
        return render_checklist(self.current, Letterhead.from_settings(self.ctx.settings))

    def preview(self) -> None:
        """Preview (and print from there): the checklist as stored now is read on the
        database worker, the PDF laid out on a worker, then shown."""
        if self.current is None:
            return
        checklist_id, service = self.current.id, self.service
        letterhead = Letterhead.from_settings(self.ctx.settings)
        title = self.tr("One-shot notification")

        def rendered(view: ChecklistView) -> None:
            preview_when_rendered(
                self, lambda: render_checklist(view, letterhead), title, self.ctx.language
            )

        self.reads.ask(
            "print", lambda _state: service.view(checklist_id), rendered, title=preparing(title)
        )
