"""走访 page: the visit logs, newest first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.widgets.rows_model import RowsModel
from keyacct_desktop.store.models import Customer, Visit


class VisitsPage(QWidget):
    """Recent visit logs with their satisfaction scores."""

    LIMIT = 500

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsModel(
            [
                self.tr("Date"),
                self.tr("Customer"),
                self.tr("Purpose"),
                self.tr("Reliability"),
                self.tr("Billing"),
                self.tr("Service"),
            ],
            self,
        )
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Recent visits")))
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        statement = (
            select(
                Visit.started_at,
                Customer.name,
                Visit.purpose,
                Visit.score_reliability,
                Visit.score_billing,
                Visit.score_service,
                Visit.id,
            )
            .join(Customer, Customer.id == Visit.customer_id)
            .order_by(Visit.started_at.desc())
            .limit(self.LIMIT)
        )
        with self.ctx.store.read() as session:
            rows = session.execute(statement).all()
        self.model.set_rows(
            [(r[0].strftime("%Y-%m-%d %H:%M"), r[1], r[2], r[3], r[4], r[5]) for r in rows],
            [r[6] for r in rows],
        )

    def activated(self) -> None:
        self.refresh()
