"""告知单 / 供电方案 / 停电通知 / 同步 pages: lists of the records the store holds."""

from __future__ import annotations

from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget
from sqlalchemy import func, select

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.enums import BusinessType, DocumentStatus, OutageKind, label
from keyacct_desktop.gui.widgets.rows_model import RowsModel
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Checklist, Customer, OutageEvent, SupplyPlan


class _ListPage(QWidget):
    def __init__(self, ctx: AppContext, title: str, headers: list[str], parent: QWidget | None = None) -> None:
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


class ChecklistsPage(_ListPage):
    """One-shot notification checklists (一次性告知书)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("One-shot notification checklists"),
                         [self.tr("Number"), self.tr("Customer"), self.tr("Business"), self.tr("Status")], parent)

    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(Checklist.number, Customer.name, Checklist.business_type, Checklist.status)
                .join(Customer).order_by(Checklist.created_at.desc())
            ).all()
        lang = self.ctx.language
        self.model.set_rows([(n, c, label(BusinessType(b), lang), label(DocumentStatus(s), lang)) for n, c, b, s in rows])


class SupplyPlansPage(_ListPage):
    """Technical plan handouts (供电方案答复单)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Supply plan handouts"),
                         [self.tr("Number"), self.tr("Customer"), self.tr("Valid until"), self.tr("Status")], parent)

    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(SupplyPlan.number, Customer.name, SupplyPlan.valid_until, SupplyPlan.status)
                .join(Customer).order_by(SupplyPlan.created_at.desc())
            ).all()
        lang = self.ctx.language
        self.model.set_rows([(n, c, v, label(DocumentStatus(s), lang)) for n, c, v, s in rows])


class OutagesPage(_ListPage):
    """Planned-outage notices."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Outage notices"),
                         [self.tr("Number"), self.tr("Kind"), self.tr("Start"), self.tr("Area")], parent)

    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(OutageEvent.number, OutageEvent.kind, OutageEvent.starts_at, OutageEvent.area)
                .order_by(OutageEvent.starts_at.desc())
            ).all()
        lang = self.ctx.language
        self.model.set_rows([(n, label(OutageKind(k), lang), s, a) for n, k, s, a in rows])


class SyncPage(_ListPage):
    """Local changes waiting for upload."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, self.tr("Changes waiting for upload"),
                         [self.tr("Table"), self.tr("Changes")], parent)

    def refresh(self) -> None:
        with self.ctx.store.read() as session:
            rows = session.execute(
                select(PendingChange.table_name, func.count()).group_by(PendingChange.table_name)
            ).all()
        self.model.set_rows([tuple(r) for r in rows])
