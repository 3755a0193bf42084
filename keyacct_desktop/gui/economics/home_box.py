"""首页's consumption-and-arrears box: sharp falls and rises, arrears, follow-ups falling due.

Computed on a worker like the rest of 首页; a double-click on a customer opens its
consumption-and-billing window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.economics.import_months import MonthlyImport
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.gui.widgets.rows_model import RowsModel
from keyacct_desktop.gui.widgets.screen import fit_to_screen
from keyacct_desktop.services.economics import (
    ArrearsRow,
    Reminder,
    SharpChange,
    arrears_list,
    instalments_due,
    sharp_changes,
)
from keyacct_desktop.services.pyramid import PyramidService


@dataclass(frozen=True)
class EconomicsSummary:
    last_month: str | None
    falls: list[SharpChange]
    rises: list[SharpChange]
    arrears: list[ArrearsRow]
    reminders: list[Reminder]
    pyramid_due: bool = False


def compute_summary(store: Any, settings: Any, today: date) -> EconomicsSummary:
    last, falls, rises = sharp_changes(store, settings, limit=8)
    review = PyramidService(store, settings).due_for_review(
        datetime.combine(today, datetime.min.time())
    )
    return EconomicsSummary(
        last,
        falls,
        rises,
        arrears_list(store, settings),
        instalments_due(store, today),
        review and last is not None,
    )


class EconomicsBox(QGroupBox):
    """Attributes:
        data: the summary on screen (``None`` until computed).
        today: the day reminders are counted from (``None``: today); tests pin it.

    Signals:
        loaded(object): a fresh ``EconomicsSummary`` is on screen.
    """

    loaded = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.data: EconomicsSummary | None = None
        self.today: date | None = None
        self._task: Task | None = None
        self._again = False
        self.dialog: QWidget | None = None
        self.setTitle(self.tr("Consumption and arrears"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.arrears = QLabel()
        self.arrears.setWordWrap(True)
        self.arrears.setObjectName("arrearsSummary")
        self.review = QLabel()
        self.review.setWordWrap(True)
        self.review.setStyleSheet("color: #a94400;")
        self.review.hide()
        self.importer = MonthlyImport(ctx, self, lambda _result: self.refresh())
        self.import_button = QPushButton(self.tr("Import monthly figures…"))
        self.import_button.clicked.connect(self.importer.choose)
        self.arrears_button = QPushButton(self.tr("Arrears list…"))
        self.arrears_button.clicked.connect(self.show_arrears)
        self.falls = QListWidget()
        self.rises = QListWidget()
        for widget in (self.falls, self.rises):
            widget.itemDoubleClicked.connect(self._open)
        lists = QHBoxLayout()
        for caption, widget in (
            (self.tr("Sharp falls"), self.falls),
            (self.tr("Sharp rises"), self.rises),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(caption))
            column.addWidget(widget, 1)
            lists.addLayout(column, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.arrears_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(lists, 1)
        layout.addWidget(self.arrears)
        layout.addWidget(self.review)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        """Recompute on a worker; asked while one runs, one more follows it (fresh data after
        an import), never two at once."""
        if self._task is not None and not self._task.done:
            self._again = True
            return
        self._again = False
        store, settings = self.ctx.store, self.ctx.settings
        today = self.today or date.today()
        self._task = run_task(
            lambda _state: compute_summary(store, settings, today),
            title=self.tr("Loading figures…"),
            parent=self,
            on_done=self.show_data,
            on_error=self._failed,
            dialog=False,
        )

    def _failed(self, _error: BaseException) -> None:
        self._task = None
        self.heading.setText(self.tr("The figures could not be computed."))
        if self._again:
            self.refresh()

    def show_data(self, data: EconomicsSummary) -> None:
        self.data = data
        threshold = float(self.ctx.settings.get("history.sharp_change"))
        if data.last_month is None:
            self.heading.setText(
                self.tr("No monthly figures yet: import the marketing system's monthly export.")
            )
        else:
            self.heading.setText(
                arg(
                    self.tr(
                        "Last 3 months to %1 against the same months a year before "
                        "(changes over %2%)."
                    ),
                    data.last_month,
                    f"{threshold * 100:g}",
                )
            )
        for widget, rows in ((self.falls, data.falls), (self.rises, data.rises)):
            widget.clear()
            for row in rows:
                item = QListWidgetItem(f"{row.change:+.0%}  {row.name}")
                item.setData(Qt.ItemDataRole.UserRole, row.customer_id)
                widget.addItem(item)
            if not rows:
                widget.addItem(self.tr("None"))
        high = sum(1 for r in data.arrears if r.status.risk == "high")
        total = sum(r.status.amount for r in data.arrears)
        overdue = sum(1 for r in data.reminders if r.overdue)
        self.arrears.setText(
            arg(
                self.tr(
                    "Arrears: %1 customers (%2 high risk), %3 (10,000 yuan). "
                    "Follow-ups due within 7 days: %4 (%5 overdue)."
                ),
                str(len(data.arrears)),
                str(high),
                f"{total / 10_000:,.1f}",
                str(len(data.reminders)),
                str(overdue),
            )
        )
        self.arrears.setStyleSheet("color: #c0392b;" if high or overdue else "")
        self.arrears_button.setEnabled(bool(data.arrears or data.reminders))
        self.review.setVisible(data.pyramid_due)
        self.review.setText(
            self.tr(
                "The pyramid classes are due for re-evaluation: recompute them on the customer list."
            )
        )
        self._task = None
        if self._again:
            self.refresh()
            return
        self.loaded.emit(data)

    def _open(self, item: QListWidgetItem) -> None:
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(customer_id, uuid.UUID):
            from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog

            self.dialog = CustomerEconomicsDialog(self.ctx, customer_id, self)
            self.dialog.open()

    def show_arrears(self) -> ArrearsDialog | None:
        if self.data is None:
            return None
        self.dialog = ArrearsDialog(self.ctx, self.data, self)
        self.dialog.open()
        return self.dialog


class ArrearsDialog(QDialog):
    """The arrears list (amount, days, trend, risk, last follow-up) and the follow-ups due.

    Double-clicking a customer opens its consumption-and-billing window.
    """

    RISKS = ("high", "medium", "low")

    def __init__(self, ctx: AppContext, data: EconomicsSummary, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.window_: QWidget | None = None
        self.setWindowTitle(self.tr("Arrears follow-up"))
        english = ctx.language.startswith("en")
        risk = {"high": self.tr("high"), "medium": self.tr("medium"), "low": self.tr("low")}
        self.model = RowsModel(
            [
                self.tr("Account no."),
                self.tr("Customer"),
                self.tr("Owed (yuan)"),
                self.tr("Days overdue"),
                self.tr("Change on last month"),
                self.tr("Risk"),
                self.tr("Last follow-up"),
            ],
            self,
        )
        from keyacct_desktop.services.economics import ACTION_KINDS

        def last_action(row: ArrearsRow) -> str:
            if row.last_action is None:
                return "—"
            zh, en = ACTION_KINDS.get(row.last_action, (row.last_action, row.last_action))
            return f"{row.last_action_on:%Y-%m-%d} {en if english else zh}"

        self.model.set_rows(
            [
                (
                    r.account_no,
                    r.name,
                    f"{r.status.amount:,.2f}",
                    str(r.status.days),
                    f"{r.status.trend:+,.2f}",
                    risk[r.status.risk],
                    last_action(r),
                )
                for r in data.arrears
            ],
            [r.customer_id for r in data.arrears],
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        self.reminders = QListWidget()
        for reminder in data.reminders:
            what = (
                self.tr("instalment due") if reminder.kind == "instalment" else self.tr("expires")
            )
            late = self.tr(" (overdue)") if reminder.overdue else ""
            amount = f"{reminder.amount:,.2f}" if reminder.amount else ""
            self.reminders.addItem(
                f"{reminder.due_on:%Y-%m-%d}  {reminder.name}  {what} {amount}{late}"
            )
        if not data.reminders:
            self.reminders.addItem(self.tr("Nothing falls due within 7 days."))
        self.reminders.setMaximumHeight(120)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel(self.tr("Instalments and guarantees falling due")))
        layout.addWidget(self.reminders)
        layout.addWidget(close)
        fit_to_screen(self, 900, 560)

    def open_row(self, row: int) -> QWidget:
        from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog

        self.window_ = CustomerEconomicsDialog(self.ctx, self.model.object_at(row), self)
        self.window_.open()
        return self.window_
