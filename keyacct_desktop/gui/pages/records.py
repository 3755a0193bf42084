"""同步 page: the local changes waiting for upload."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget
from sqlalchemy import func, select

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.widgets.rows_model import RowsModel
from keyacct_desktop.store.local import PendingChange


class _ListPage(QWidget):
    def __init__(
        self, ctx: AppContext, title: str, headers: list[str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = RowsModel(headers, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.heading = QLabel(title)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.table, 1)

    def activated(self) -> None:
        self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


class SyncPage(_ListPage):
    """Local changes waiting for upload."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            self.tr("Changes waiting for upload"),
            [self.tr("Table"), self.tr("Changes")],
            parent,
        )

    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(PendingChange.table_name, func.count()).group_by(PendingChange.table_name)
            ).all()
        self.model.set_rows([tuple(r) for r in rows])
