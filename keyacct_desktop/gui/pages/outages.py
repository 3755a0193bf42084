"""停电通知 page: issue outage notices to the affected customers, track delivery, remind.

What it shows is read on the database worker (issue 20), never on the GUI thread: the list of
outages, the outage selected, the customers to remind and the notices to print. A refresh
keeps the rows and the selection on screen until the new ones arrive.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import QDateTime, QStringListModel, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.documents import OutageNoticeView, OutageView
from keyacct_desktop.domain.enums import OutageKind, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import LatestReads, OpResult, run_op, run_write
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.print_preview import PrintPreviewDialog
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.widgets.ask import confirm, tell
from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker
from keyacct_desktop.gui.widgets.dates import py_datetime
from keyacct_desktop.gui.widgets.loading import loading_note
from keyacct_desktop.gui.widgets.rows_model import ObjectRole, RowsModel, fit_columns
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_outage_notices
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customers import CustomerDirectory
from keyacct_desktop.services.outages import OutageService

DONE = QColor("#e2f0d9")
T = TypeVar("T")


class OutagesPage(PageBase, QWidget):
    """New outage form and affected customers on the left; issued outages on the right."""

    WATCHES = frozenset({"outage_event", "outage_notice", "customer"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = OutageService(ctx.store, ctx.settings)
        self.directory = CustomerDirectory(ctx.store)
        self.current: OutageView | None = None  # the outage shown on the right
        self._showing: uuid.UUID | None = None  # the outage asked for last (shown or coming)
        self._listed = False  # the list was read once (until then "reading…" shows)
        self.reads = LatestReads(self, lambda: ctx.language)
        self._picks = 0  # customers added by hand, each read on its own (add_customers)
        self._task: Task | None = None

        self.kind = QComboBox()
        for member in OutageKind:
            self.kind.addItem(label(member, ctx.language), member.value)
        start = QDateTime.currentDateTime().addDays(8)
        self.starts = QDateTimeEdit(start)
        self.ends = QDateTimeEdit(start.addSecs(8 * 3600))
        for edit in (self.starts, self.ends):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.area = QLineEdit()
        self.reason = QLineEdit()
        self.substation = QLineEdit()
        self.lines = QLineEdit()
        self.lines.setPlaceholderText(self.tr("Line names, separated by commas"))
        self.find_button = QPushButton(self.tr("Find affected customers"))
        self.find_button.clicked.connect(self.find_customers)
        self.picker = CustomerPicker(self.directory)
        self.picker.picked.connect(self._add_picked)
        self.affected = QListWidget()
        self.issue_button = QPushButton(self.tr("Issue notices"))
        self.issue_button.clicked.connect(self.issue)
        form = QFormLayout()
        form.addRow(self.tr("Kind"), self.kind)
        form.addRow(self.tr("Start"), self.starts)
        form.addRow(self.tr("End"), self.ends)
        form.addRow(self.tr("Area"), self.area)
        form.addRow(self.tr("Reason"), self.reason)
        # Names must match the customers' power sources exactly: offer the known ones.
        # (read on the database worker with the list: see refresh)
        self.substation_names = QStringListModel(self)
        self.line_names = QStringListModel(self)
        self.substation_completer = QCompleter(self.substation_names, self)
        self.substation_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.substation_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.substation.setCompleter(self.substation_completer)
        self.line_completer = QCompleter(self.line_names, self)
        self.line_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.line_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.lines.setCompleter(self.line_completer)
        form.addRow(self.tr("Substation"), self.substation)
        form.addRow(self.tr("Lines"), self.lines)
        form.addRow("", self.find_button)
        form.addRow(self.tr("Add by hand"), self.picker)
        new_box = QGroupBox(self.tr("New outage"))
        new_layout = QVBoxLayout(new_box)
        new_layout.addLayout(form)
        new_layout.addWidget(QLabel(self.tr("Affected customers (untick to leave out)")))
        new_layout.addWidget(self.affected, 1)
        new_layout.addWidget(self.issue_button)

        self.events_model = RowsModel(
            [
                self.tr("Number"),
                self.tr("Kind"),
                self.tr("Start"),
                self.tr("Area"),
                self.tr("Customers"),
            ],
            self,
        )
        self.events_view = QTableView()
        self.events_view.setModel(self.events_model)
        self.events_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events_view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        fit_columns(self.events_view, {0: 150, 1: 80, 2: 130, 4: 60}, stretch=3)
        self.events_view.selectionModel().currentRowChanged.connect(self._selected)
        self.notices_model = RowsModel(
            [
                self.tr("Notice no."),
                self.tr("Customer"),
                self.tr("Contact"),
                self.tr("Delivered"),
                self.tr("Acknowledged by"),
            ],
            self,
        )
        self.notices_view = QTableView()
        self.notices_view.setModel(self.notices_model)
        self.notices_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        fit_columns(self.notices_view, {0: 170, 2: 150, 3: 130, 4: 100}, stretch=1)
        self.deliver_button = QPushButton(self.tr("Record delivery"))
        self.ack_button = QPushButton(self.tr("Record acknowledgement"))
        self.print_button = QPushButton(self.tr("Print all notices"))
        self.deliver_button.clicked.connect(self.record_delivery)
        self.ack_button.clicked.connect(self.record_acknowledgement)
        self.print_button.clicked.connect(self.print_batch)
        self.postpone_button = QPushButton(self.tr("Postpone…"))
        self.cancel_button = QPushButton(self.tr("Cancel outage…"))
        self.postpone_button.clicked.connect(self.postpone)
        self.cancel_button.clicked.connect(self.cancel_outage)
        actions = QHBoxLayout()
        for button in (
            self.deliver_button,
            self.ack_button,
            self.print_button,
            self.postpone_button,
            self.cancel_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self.reminders = QListWidget()
        self.reminders.setMaximumHeight(90)
        self.reminders.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.reminded_button = QPushButton(self.tr("Mark as reminded"))
        self.reminded_button.clicked.connect(self.mark_reminded)
        # The list follows the clock: a notice enters it when its outage comes within the
        # reminder window, also while the manager keeps this page open.
        self.reminder_timer = QTimer(self)
        self.reminder_timer.setInterval(60_000)
        self.reminder_timer.timeout.connect(self._tick)
        self.reminder_timer.start()
        self.loading_note = loading_note(self.tr("Reading the outages…"))
        # what acts on the outage shown: off while another one's notices are being read
        self.outage_actions = [
            self.deliver_button,
            self.ack_button,
            self.print_button,
            self.postpone_button,
            self.cancel_button,
        ]
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(QLabel(self.tr("Issued outages")))
        right_layout.addWidget(self.loading_note)
        right_layout.addWidget(self.events_view, 1)
        right_layout.addWidget(self.notices_view, 2)
        right_layout.addLayout(actions)
        right_layout.addWidget(
            QLabel(self.tr("Remind now (outage starts within the reminder window)"))
        )
        reminder_row = QHBoxLayout()
        reminder_row.addWidget(self.reminders, 1)
        reminder_row.addWidget(self.reminded_button, 0, Qt.AlignmentFlag.AlignTop)
        right_layout.addLayout(reminder_row)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(new_box)
        splitter.addWidget(right)
        splitter.setSizes([430, 850])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._read_feeders()

    # -- new outage
    def find_customers(self) -> None:
        lines = [
            part.strip() for part in self.lines.text().replace(",", ",").split(",") if part.strip()
        ]
        substation = self.substation.text().strip() or None
        service, directory = self.service, self.directory

        def read(_state: TaskState) -> tuple[list[uuid.UUID], dict[uuid.UUID, Any]]:
            ids = service.affected_customers(substation, lines or None)
            return ids, directory.rows(ids)

        self.reads.ask("affected", read, self._show_affected)

    def _show_affected(self, found: tuple[list[uuid.UUID], dict[uuid.UUID, Any]]) -> None:
        ids, rows = found
        self.affected.clear()
        self._add_customers(ids, rows)
        if not ids:
            self.affected.addItem(
                QListWidgetItem(self.tr("No customer is fed from that substation or line."))
            )

    def _add_customers(self, ids: list[uuid.UUID], rows: dict[uuid.UUID, Any]) -> None:
        present = {
            self.affected.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.affected.count())
        }
        for customer_id in ids:
            if customer_id in present or customer_id not in rows:
                continue
            item = QListWidgetItem(f"{rows[customer_id].name}({rows[customer_id].account_no})")
            item.setData(Qt.ItemDataRole.UserRole, customer_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.affected.addItem(item)

    def _add_picked(self, customer_id: uuid.UUID | None) -> None:
        if customer_id is not None:
            self.add_customers([customer_id])
            self.picker.clear()

    def add_customers(self, ids: list[uuid.UUID]) -> None:
        """Add these customers to the affected list (checked), their names read on the
        database worker; each call is its own read, so a second pick does not drop the first."""
        directory = self.directory
        self._picks += 1
        self.reads.ask(
            f"picked:{self._picks}",
            lambda _state: directory.rows(ids),
            lambda rows: self._add_customers(ids, rows),
        )

    def selected_customers(self) -> list[uuid.UUID]:
        result = []
        for row in range(self.affected.count()):
            item = self.affected.item(row)
            customer_id = item.data(Qt.ItemDataRole.UserRole)
            if customer_id is not None and item.checkState() == Qt.CheckState.Checked:
                result.append(customer_id)
        return result

    def issue(self) -> None:
        """Issue the notices after a confirmation naming how many and when (no undo)."""
        count = len(self.selected_customers())
        if count and not confirm(
            self,
            self.tr("Issue notices"),
            self.tr(
                "Issue %n numbered notice(s) for the outage from %1 to %2? Issued notices "
                "cannot be withdrawn.",
                "",
                count,
            )
            .replace("%1", self.starts.dateTime().toString("yyyy-MM-dd HH:mm"))
            .replace("%2", self.ends.dateTime().toString("yyyy-MM-dd HH:mm")),
        ):
            return
        lines = [
            part.strip() for part in self.lines.text().replace(",", ",").split(",") if part.strip()
        ]
        kind, area, reason = self.kind.currentData(), self.area.text(), self.reason.text()
        starts, ends = py_datetime(self.starts.dateTime()), py_datetime(self.ends.dateTime())
        customer_ids, substation = self.selected_customers(), self.substation.text().strip()

        def op(_state: TaskState) -> OutageView:
            return self.service.issue(
                kind=kind,
                starts_at=starts,
                ends_at=ends,
                area=area,
                reason=reason,
                customer_ids=customer_ids,
                substation=substation or None,
                lines=lines,
            )

        def then(view: OutageView) -> None:
            self.affected.clear()
            self._shown_now(view)
            self._read_list()
            self.refresh_reminders()

        self._write(op, then)

    def _write(self, op: Callable[[TaskState], T], then: Callable[[T], None]) -> bool:
        """A write of this page as an operation; ``then`` shows its result here."""
        return run_write(
            self, self.ctx.store, op, then, language=self.ctx.language, shown=self.refreshed_for
        )

    # -- issued outages
    def activated(self) -> None:
        self.refresh()

    @property
    def loaded(self) -> bool:
        """The list and the outage asked for are shown (no read of them is awaited)."""
        return self._listed and not self.reads.waiting("list", "view")

    def refresh(self) -> None:
        """Read the list, the outage shown and the reminders again on the database worker;
        what is on screen stays until the answers come."""
        self._read_list()
        if self._showing is not None:
            self.show_outage(self._showing)
        self.refresh_reminders()
        self._read_feeders()

    def _read_feeders(self) -> None:
        """The substations and lines the customers' power sources name, for the completers
        (names must match exactly)."""
        service = self.service
        self.reads.ask("feeders", lambda _state: service.known_feeders(), self._show_feeders)

    def _show_feeders(self, feeders: tuple[list[str], list[str]]) -> None:
        substations, lines = feeders
        self.substation_names.setStringList(substations)
        self.line_names.setStringList(lines)

    def _read_list(self) -> None:
        if not self._listed:
            self.loading_note.show()
        service = self.service
        self.reads.ask("list", lambda _state: service.list(), self._show_list)

    def _show_list(self, rows: list[tuple[uuid.UUID, str | None, str, datetime, str, int]]) -> None:
        self._listed = True
        self.loading_note.hide()
        lang = self.ctx.language
        self.events_model.set_rows(
            [
                (n, label(OutageKind(k), lang), s.strftime("%Y-%m-%d %H:%M"), a, c)
                for _id, n, k, s, a, c in rows
            ],
            [r[0] for r in rows],
        )
        ids = [r[0] for r in rows]
        if self._showing in ids:  # the outage shown stays selected
            self.events_view.selectRow(ids.index(self._showing))

    def _tick(self) -> None:
        """The minute timer: read the reminders again while the page is shown (it reads
        them when shown again anyway, see :meth:`activated`)."""
        if self.isVisible():
            self.refresh_reminders()

    def refresh_reminders(self) -> None:
        """Notices whose outage starts within ``outage.remind_minutes`` and not yet reminded,
        read on the database worker; the customers selected in the list stay selected."""
        service, now = self.service, datetime.now()

        def show(notices: list[OutageNoticeView]) -> None:
            selected = {
                item.data(Qt.ItemDataRole.UserRole) for item in self.reminders.selectedItems()
            }
            self.reminders.clear()
            for notice in notices:
                item = QListWidgetItem(f"{notice.customer_name} {notice.contact}")
                item.setData(Qt.ItemDataRole.UserRole, notice.id)
                self.reminders.addItem(item)
                item.setSelected(notice.id in selected)
            self.reminded_button.setEnabled(self.reminders.count() > 0)

        self.reads.ask("reminders", lambda _state: service.reminders_due(now), show)

    def mark_reminded(self) -> None:
        """Record that the selected customers were reminded (all listed when none selected)."""
        items = self.reminders.selectedItems() or [
            self.reminders.item(row) for row in range(self.reminders.count())
        ]
        notice_ids = [item.data(Qt.ItemDataRole.UserRole) for item in items]

        def op(_state: TaskState) -> None:
            for notice_id in notice_ids:
                self.service.mark_reminded(notice_id)

        self._write(op, lambda _value: self.refresh())

    def _selected(self, current, _previous) -> None:
        event_id = self.events_model.data(current, ObjectRole) if current.isValid() else None
        if event_id is not None and event_id != self._showing:
            self.show_outage(event_id)

    def show_outage(self, event_id: uuid.UUID) -> None:
        """Show an outage's notices, read on the database worker. Until they come, another
        outage's notices stay on screen with the buttons off (they would act on it); an
        answer for an outage no longer asked for is dropped."""
        self._showing = event_id
        if self.current is None or self.current.id != event_id:
            for button in self.outage_actions:
                button.setEnabled(False)
        service = self.service
        self.reads.ask(
            "view", lambda _state: service.view(event_id), self._show_view, self._view_failed
        )

    def _show_view(self, view: OutageView) -> None:
        """Show ``view``; the notice selected stays selected (e.g. after 登记送达)."""
        index = self.notices_view.currentIndex()
        keep = self.notices_model.data(index, ObjectRole) if index.isValid() else None
        if self.current is not None and self.current.id != view.id:
            keep = None
        self.current = view
        self.notices_model.set_rows(
            [
                (
                    n.number,
                    n.customer_name,
                    n.contact,
                    f"{n.delivered_at:%m-%d %H:%M} {n.delivery_method or ''}"
                    if n.delivered_at
                    else "",
                    n.acknowledged_by or "",
                )
                for n in view.notices
            ],
            [n.id for n in view.notices],
            [DONE if n.acknowledged_at else None for n in view.notices],
        )
        ids = [n.id for n in view.notices]
        if keep in ids:
            self.notices_view.selectRow(ids.index(keep))
        for button in self.outage_actions:
            button.setEnabled(True)

    def _view_failed(self, error: BaseException) -> None:
        for button in self.outage_actions:
            button.setEnabled(True)
        if not isinstance(error, UserError):  # the one shown before stays, usable again
            self._showing = self.current.id if self.current is not None else None
            show_error(self, error, self.ctx.language)
            return
        self._showing = None  # gone (by a sync): it left the list too, nothing shows here
        self.current = None
        self.notices_model.set_rows([])

    def _selected_notice(self) -> uuid.UUID | None:
        """The notice selected in the list; says so when there is none (nothing happens)."""
        index = self.notices_view.currentIndex()
        if self.current is None or not index.isValid():
            tell(
                self,
                self.tr("Outage notices"),
                self.tr("Select an outage, then a customer's notice in its list first."),
            )
            return None
        return self.notices_model.data(index, ObjectRole)

    def record_delivery(self) -> None:
        notice_id = self._selected_notice()
        if notice_id is None or self.current is None:
            return
        methods = [self.tr("In person"), self.tr("SMS"), self.tr("Phone"), self.tr("Announcement")]
        method, ok = QInputDialog.getItem(
            self, self.tr("Record delivery"), self.tr("Delivered by"), methods, 0, False
        )
        if not ok:
            return
        by = self.ctx.settings.get("sync.username") or ""
        event_id = self.current.id

        def record(accept_late: bool) -> None:
            def done(result: OpResult[None]) -> None:
                self._show_again(event_id)
                self.refreshed_for(result.changes)

            def failed(error: BaseException) -> None:
                late = (
                    isinstance(error, UserError)
                    and error.field == "delivered_at"
                    and "逾期" in error.message_zh
                )
                if not late or accept_late:
                    show_error(self, error, self.ctx.language)
                    return
                answer = QMessageBox.question(
                    self,
                    self.tr("Late delivery"),
                    self.tr(
                        "This notice reaches the customer later than the rules ask. Record "
                        "the delivery as late?"
                    ),
                )
                if answer == QMessageBox.StandardButton.Yes:
                    record(True)

            run_op(
                self,
                self.ctx.store,
                lambda _state: self.service.record_delivery(
                    notice_id, method, by=by, accept_late=accept_late
                ),
                done,
                on_error=failed,
                language=self.ctx.language,
            )

        record(False)

    def _confirmed(self, title: str, question: str) -> bool:
        answer = QMessageBox.question(self, title, question)
        return answer == QMessageBox.StandardButton.Yes

    def postpone(self) -> None:
        """Move the shown outage to the start and end entered in the form (a new outage whose
        notices say it was postponed), after confirmation."""
        if self.current is None:
            return
        starts = py_datetime(self.starts.dateTime())
        ends = py_datetime(self.ends.dateTime())
        question = (
            self.tr(
                "Postpone outage %1 to %2 – %3 (the times entered in the form)? New notices "
                "are issued to its customers."
            )
            .replace("%1", self.current.number or "")
            .replace("%2", f"{starts:%Y-%m-%d %H:%M}")
            .replace("%3", f"{ends:%Y-%m-%d %H:%M}")
        )
        if not self._confirmed(self.tr("Postpone outage"), question):
            return
        event_id = self.current.id

        def then(moved: OutageView) -> None:
            self._shown_now(moved)
            self._read_list()
            self.refresh_reminders()

        self._write(lambda _state: self.service.postpone(event_id, starts, ends), then)

    def cancel_outage(self) -> None:
        """Cancel the shown outage after confirmation; print its notices to tell customers."""
        if self.current is None:
            return
        question = self.tr(
            "Cancel outage %1? Print its notices afterwards: they tell the customers it is "
            "cancelled."
        ).replace("%1", self.current.number or "")
        if not self._confirmed(self.tr("Cancel outage"), question):
            return
        event_id = self.current.id
        self._write(lambda _state: self.service.cancel(event_id), lambda _view: self.refresh())

    def record_acknowledgement(self) -> None:
        notice_id = self._selected_notice()
        if notice_id is None or self.current is None:
            return
        name, ok = QInputDialog.getText(
            self, self.tr("Record acknowledgement"), self.tr("Acknowledged by")
        )
        if not ok:
            return
        event_id = self.current.id
        self._write(
            lambda _state: self.service.record_acknowledgement(notice_id, name),
            lambda _value: self._show_again(event_id),
        )

    def _show_again(self, event_id: uuid.UUID) -> None:
        """After a write to an outage: read it again, unless another one was chosen since."""
        if self._showing == event_id:
            self.show_outage(event_id)

    def _shown_now(self, view: OutageView) -> None:
        """Show the outage a write returned at once (its read under way, if any, is dropped)."""
        self.reads.drop("view")
        self._showing = view.id
        self._show_view(view)

    def print_batch(self) -> None:
        """Read the outage's notices as stored now on the database worker, render every one
        off the GUI thread too, then preview."""
        if self.current is None:
            return
        event_id, service = self.current.id, self.service
        self.reads.ask(
            "print",
            lambda _state: service.view(event_id),
            self._render_batch,
            title=self.tr("Printing outage notices"),
        )

    def _render_batch(self, view: OutageView) -> None:
        letterhead = Letterhead.from_settings(self.ctx.settings)
        repair = dict(self.ctx.settings.get("outage.repair_arrival_minutes"))
        message = self.tr("Rendering %n notice(s)…", "", len(view.notices))

        def render(state: TaskState) -> tuple[bytes, set[str]]:
            from keyacct_desktop.printing.fonts import collect_missing

            state.report(0, 1, message)
            with collect_missing() as missing:
                data = render_outage_notices(view, letterhead, repair_minutes=repair)
            state.report(1, 1)
            return data, missing

        self._task = run_task(
            render,
            title=self.tr("Printing outage notices"),
            parent=self,
            on_done=lambda done: PrintPreviewDialog(
                done[0], self.tr("Outage notices"), self, missing=done[1]
            ).exec(),
            on_error=lambda error: show_error(self, error, self.ctx.language),
        )


__all__ = ["OutagesPage"]
