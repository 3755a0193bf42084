"""首页's consumption-and-arrears box: sharp falls and rises, arrears, follow-ups falling due.

Computed on a worker like the rest of 首页; a double-click on a customer opens its
consumption-and-billing window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.services.economics import (
    ArrearsRow,
    Reminder,
    SharpChange,
    arrears_list,
    instalments_due,
    sharp_changes,
)


@dataclass(frozen=True)
class EconomicsSummary:
    last_month: str | None
    falls: list[SharpChange]
    rises: list[SharpChange]
    arrears: list[ArrearsRow]
    reminders: list[Reminder]


def compute_summary(store: Any, settings: Any, today: date) -> EconomicsSummary:
    last, falls, rises = sharp_changes(store, settings, limit=8)
    return EconomicsSummary(
        last, falls, rises, arrears_list(store, settings), instalments_due(store, today)
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
        self.dialog: QWidget | None = None
        self.setTitle(self.tr("Consumption and arrears"))
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.arrears = QLabel()
        self.arrears.setWordWrap(True)
        self.arrears.setObjectName("arrearsSummary")
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
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(lists, 1)
        layout.addWidget(self.arrears)

    def refresh(self) -> None:
        if self._task is not None and not self._task.done:
            return
        store, settings = self.ctx.store, self.ctx.settings
        today = self.today or date.today()
        self._task = run_task(
            lambda _state: compute_summary(store, settings, today),
            title=self.tr("Loading figures…"),
            parent=self,
            on_done=self.show_data,
            on_error=lambda _error: self.heading.setText(
                self.tr("The figures could not be computed.")
            ),
            dialog=False,
        )

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
        self._task = None
        self.loaded.emit(data)

    def _open(self, item: QListWidgetItem) -> None:
        customer_id = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(customer_id, uuid.UUID):
            from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog

            self.dialog = CustomerEconomicsDialog(self.ctx, customer_id, self)
            self.dialog.open()
