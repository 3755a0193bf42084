"""转办 page: referrals per team and per customer, overdue highlighted, moved through their states."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState, label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.referral_rules import CLOSED, TRANSITIONS
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import QueryOp, run_write
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.visits.referral_dialog import NewReferralDialog
from keyacct_desktop.gui.widgets.rows_model import RowsModel, fit_columns
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.referral_sources import sources_of
from keyacct_desktop.services.referrals import ReferralRow, ReferralService

_OVERDUE = QColor("#f8d7da")
_CLOSED = QColor("#eeeeee")


class ReferralsPage(PageBase, QWidget):
    """The 1+N loop from the manager's side: who owes the customer what, and since when."""

    WATCHES = frozenset({"referral", "referral_event", "customer", "user"})

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = ReferralService(ctx.store, ctx.settings)
        language = ctx.language
        self.team = QComboBox()
        self.team.addItem(self.tr("All teams"), None)
        for team in BackOfficeTeam:
            self.team.addItem(label(team, language), team.value)
        self.state = QComboBox()
        self.state.addItem(self.tr("Not closed"), "active")
        self.state.addItem(self.tr("All states"), None)
        for state in ReferralState:
            self.state.addItem(label(state, language), state.value)
        self.overdue_only = QCheckBox(self.tr("Overdue only"))
        self.customer_filter = QLineEdit()
        self.customer_filter.setPlaceholderText(self.tr("Customer name contains…"))
        for signal in (self.team.currentIndexChanged, self.state.currentIndexChanged):
            signal.connect(self.refresh)
        self.overdue_only.toggled.connect(self.refresh)
        self.customer_filter.textChanged.connect(self.refresh)
        self.new_button = QPushButton(self.tr("New referral (phone)…"))
        self.new_button.setObjectName("newReferral")
        self.new_button.setToolTip(
            self.tr("A demand or complaint the customer phoned in, without a visit")
        )
        self.new_button.clicked.connect(lambda: self.new_referral())
        self.dialog: NewReferralDialog | None = None
        filters = QHBoxLayout()
        for widget in (self.team, self.state, self.overdue_only, self.customer_filter):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.new_button)

        self.model = RowsModel(
            [
                self.tr("Customer"),
                self.tr("Type"),
                self.tr("Demand"),
                self.tr("Team"),
                self.tr("Owner"),
                self.tr("Due"),
                self.tr("State"),
                self.tr("Source"),
            ],
            self,
        )
        self.view = QTableView()
        self.view.setTabKeyNavigation(False)  # Tab leaves the list (arrows move in it)
        self.view.setModel(self.model)
        self.view.verticalHeader().hide()
        self.view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        fit_columns(self.view, {0: 170, 1: 80, 3: 110, 4: 80, 5: 90, 6: 90, 7: 110}, 2)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.show_selected())

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.history = QListWidget()
        self.move_buttons: dict[ReferralState, QPushButton] = {}
        buttons = QHBoxLayout()
        for state, text in (
            (ReferralState.IN_PROGRESS, self.tr("Start / reopen")),
            (ReferralState.ANSWERED, self.tr("Record answer…")),
            (ReferralState.CONFIRMED, self.tr("Confirmed with customer")),
            (ReferralState.REJECTED, self.tr("Reject…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _checked=False, s=state: self.move_to(s))
            self.move_buttons[state] = button
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.reassign_button = QPushButton(self.tr("Owner and due date…"))
        self.reassign_button.clicked.connect(lambda: self.reassign())
        second_row = QHBoxLayout()
        second_row.addWidget(self.reassign_button)
        second_row.addStretch(1)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(self.detail)
        side_layout.addLayout(buttons)
        side_layout.addLayout(second_row)
        side_layout.addWidget(QLabel(self.tr("History")))
        side_layout.addWidget(self.history, 1)
        # The list above the details: the demand column gets the page's width (on a 1366 px
        # laptop side by side left it ~150 px); the full text is in each cell's tooltip.
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.view)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([3000, 2000])  # the same 3:2 from the start (scaled to the room)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.summary)
        self._rows: list[ReferralRow] = []
        self._asked = 0  # the last read of the list asked (older answers are dropped)

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        self._read_list()

    def _read_list(self, then: Callable[[], None] | None = None) -> None:
        """Read the referrals for the filters on the database worker, then show them (and
        ``then()``); an answer for filters changed since is dropped."""
        state = self.state.currentData()
        states = (
            {s.value for s in ReferralState if s not in CLOSED}
            if state == "active"
            else ({state} if state else None)
        )
        team, overdue_only = self.team.currentData(), self.overdue_only.isChecked()
        needle = self.customer_filter.text().strip()
        service, store = self.service, self.ctx.store

        def read(_state: TaskState) -> tuple[list[ReferralRow], dict[uuid.UUID, Any]]:
            rows = service.rows(team=team, states=states, overdue_only=overdue_only)
            if needle:
                rows = [r for r in rows if needle in r.customer]
            return rows, sources_of(store, [r.id for r in rows])

        self._asked += 1
        asked = self._asked

        def show(value: tuple[list[ReferralRow], dict[uuid.UUID, Any]]) -> None:
            if asked == self._asked:
                self._show_rows(*value)
                if then is not None:
                    then()

        def failed(error: BaseException) -> None:
            if asked == self._asked:
                show_error(self, error, self.ctx.language)

        QueryOp(self, read, show, failed).run_in_background()

    def _show_rows(self, rows: list[ReferralRow], sources: dict[uuid.UUID, Any]) -> None:
        self._rows = rows
        language = self.ctx.language
        self.model.set_rows(
            [
                (
                    r.customer,
                    self.tr("complaint")
                    if r.kind == "complaint"
                    else label(DemandType(r.demand_type), language),
                    r.description,
                    label(BackOfficeTeam(r.team), language),
                    r.owner_name or "",
                    r.due_on.isoformat() if r.due_on else "",
                    label(ReferralState(r.state), language),
                    source.text(language) if (source := sources.get(r.id)) else "",
                )
                for r in rows
            ],
            rows,
            [
                _OVERDUE if r.overdue else (_CLOSED if ReferralState(r.state) in CLOSED else None)
                for r in rows
            ],
        )
        overdue = sum(r.overdue for r in rows)
        self.summary.setText(
            self.tr("%1 referral(s), %2 overdue")
            .replace("%1", str(len(rows)))
            .replace("%2", str(overdue))
        )
        self.show_selected()

    def selected(self) -> ReferralRow | None:
        rows = self.view.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def show_selected(self) -> None:
        row = self.selected()
        for state, button in self.move_buttons.items():
            button.setEnabled(row is not None and state in TRANSITIONS[ReferralState(row.state)])
        self.reassign_button.setEnabled(row is not None and ReferralState(row.state) not in CLOSED)
        self.history.clear()
        if row is None:
            self.detail.setText(self.tr("Select a referral to see its history and move it on."))
            return
        self.detail.setText(
            f"{row.customer} · {row.description}"
            + (f"\n{self.tr('Answer')}: {row.answer}" if row.answer else "")
            + (f"\n{self.tr('Reason')}: {row.reject_reason}" if row.reject_reason else "")
        )
        language = self.ctx.language
        for at, _from, to, note in self.service.history(row.id):
            text = f"{at:%Y-%m-%d %H:%M}  {label(ReferralState(to), language)}"
            self.history.addItem(text + (f" — {note}" if note else ""))

    def move_to(self, state: ReferralState, note: str | None = None) -> bool:
        row = self.selected()
        if row is None:
            return False
        if note is None and state in (
            ReferralState.ANSWERED,
            ReferralState.REJECTED,
            ReferralState.CONFIRMED,
        ):
            prompt = {
                ReferralState.ANSWERED: self.tr("The team's answer:"),
                ReferralState.REJECTED: self.tr("Why is it rejected?"),
                ReferralState.CONFIRMED: self.tr("Customer's feedback (optional):"),
            }[state]
            note, accepted = QInputDialog.getText(self, self.tr("Referral"), prompt)
            if not accepted:
                return False
        referral_id, text = row.id, note or ""
        return self._run(
            lambda _state: self.service.move(referral_id, state.value, note=text), row.id
        )

    def _run(self, op: Callable[[TaskState], object], selected_id: uuid.UUID) -> bool:
        """Run a change of a referral as an operation; then show the list with it selected.
        ``True``: started (under tests, which run operations at once: done)."""

        def then(_value: object) -> None:
            self._read_list(lambda: self._select(selected_id))

        return run_write(
            self, self.ctx.store, op, then, language=self.ctx.language, shown=self.refreshed_for
        )

    def reassign(self, owner: str | None = None, due: str | None = None) -> bool:
        """Give the selected referral another owner or due date (asked for when not given)."""
        row = self.selected()
        if row is None:
            return False
        if owner is None:
            owner, accepted = QInputDialog.getText(
                self, self.tr("Referral"), self.tr("Owner:"), text=row.owner_name or ""
            )
            if not accepted:
                return False
        if due is None:
            due, accepted = QInputDialog.getText(
                self,
                self.tr("Referral"),
                self.tr("Due date (yyyy-MM-dd):"),
                text=row.due_on.isoformat() if row.due_on else "",
            )
            if not accepted:
                return False
        try:
            try:
                due_on = date.fromisoformat(due.strip())
            except ValueError:
                raise UserError(
                    f"办理期限“{due}”无效,应为 年-月-日,如 2026-12-01",
                    f"due date {due!r} is invalid, use e.g. 2026-12-01",
                    field="due_on",
                ) from None
        except UserError as error:
            show_error(self, error, self.ctx.language)
            return False
        referral_id, who = row.id, owner
        return self._run(lambda _state: self.service.reassign(referral_id, who, due_on), row.id)

    def new_referral(self, customer_id: uuid.UUID | None = None) -> NewReferralDialog:
        """Refer a demand or complaint that did not come up on a visit (a phone request)."""
        self.dialog = NewReferralDialog(self.ctx, customer_id, self)
        self.dialog.accepted.connect(self._created)
        self.dialog.open()
        return self.dialog

    def _created(self) -> None:
        created = self.dialog.created_id if self.dialog is not None else None
        self._read_list(lambda: self._select(created))
        if self.dialog is not None and self.dialog.changes is not None:
            self.refreshed_for(self.dialog.changes)

    def _select(self, referral_id: uuid.UUID | None) -> None:
        for index, item in enumerate(self._rows):
            if item.id == referral_id:
                self.view.selectRow(index)

    def show_customer(self, name: str) -> None:
        """Open the list filtered to one customer (from a customer card or the dashboard)."""
        self.customer_filter.setText(name)
        self.state.setCurrentIndex(self.state.findData(None))


__all__ = ["ReferralsPage"]
