"""Customer list and lookup: what the customer table and the search box need.

The list is id-first (after Anki's browser): a query returns the ordered ids of matching
customers, and rows are loaded in small blocks only when the view shows them.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, case, column, func, literal_column, or_, select, table
from sqlalchemy import text as text_clause

from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park

#: Sort keys offered by the list, mapped to columns.
SORT_COLUMNS = {
    "name": Customer.name,
    "account_no": Customer.account_no,
    "annual_kwh": Customer.annual_kwh,
    "capacity_kva": Customer.capacity_kva,
    "voltage_kv": Customer.voltage_kv,
    "pyramid_class": Customer.pyramid_class,
}


@dataclass(frozen=True)
class CustomerQuery:
    """What the user asked the list for. Empty fields do not filter."""

    text: str = ""
    pyramid_classes: tuple[str, ...] = ()
    grid_id: uuid.UUID | None = None
    park_id: uuid.UUID | None = None
    voltage_kv: float | None = None
    risk_only: bool = False
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list (plain data, safe to hand to the GUI)."""

    id: uuid.UUID
    account_no: str
    name: str
    uscc: str | None
    park: str | None
    grid: str | None
    industry: str | None
    voltage_kv: float | None
    capacity_kva: float | None
    annual_kwh: float | None
    pyramid_class: str | None
    important_grade: str | None
    credit_rating: str | None
    overdue_count: int
    pool_status: str
    tags: tuple[str, ...] = field(default=())


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


#: The FTS5 trigram index of customers (migration 0007): one document per customer rowid.
_SEARCH = table("customer_search", column("rowid"), column("body"))
#: Trigram tokens are three characters; shorter text cannot use the index.
_TRIGRAM = 3


def _search_rowids(text: str) -> Select:
    """Rowids of customers whose name, account no., USCC or a contact matches ``text``."""
    if len(text) >= _TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return select(_SEARCH.c.rowid).where(
            text_clause("customer_search MATCH :phrase").bindparams(phrase=phrase)
        )
    pattern = f"%{_escape_like(text)}%"
    return select(_SEARCH.c.rowid).where(_SEARCH.c.body.like(pattern, escape="\\"))


def risk_condition() -> Any:
    """SQL for "an arrears or credit risk" — the same rules as ``overview.risk_reasons``."""
    from keyacct_desktop.services import overview as rules

    return or_(
        Customer.credit_rating.in_(rules.RISK_RATINGS),
        Customer.recovery_rate < rules.RISK_RECOVERY_RATE,
        Customer.on_time_rate < rules.RISK_ON_TIME_RATE,
        Customer.overdue_count >= rules.RISK_OVERDUE_COUNT,
        Customer.violation_count > 0,
        Customer.operating_trouble.is_(True),
    )


def _apply_query(statement: Select, query: CustomerQuery) -> Select:
    text = query.text.strip()
    if text:
        statement = statement.where(literal_column("customer.rowid").in_(_search_rowids(text)))
    if query.pyramid_classes:
        effective = func.coalesce(Customer.pyramid_override, Customer.pyramid_class)
        statement = statement.where(effective.in_(query.pyramid_classes))
    if query.grid_id is not None:
        statement = statement.where(Customer.grid_id == query.grid_id)
    if query.park_id is not None:
        statement = statement.where(Customer.park_id == query.park_id)
    if query.voltage_kv is not None:
        statement = statement.where(Customer.voltage_kv == query.voltage_kv)
    if query.risk_only:
        statement = statement.where(risk_condition())
    return statement


class CustomerDirectory:
    """Read side of the customer file for lists and search."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def find_ids(self, query: CustomerQuery) -> list[uuid.UUID]:
        """Ids of matching customers in display order."""
        column = SORT_COLUMNS.get(query.sort, Customer.name)
        order = column.desc() if query.descending else column.asc()
        statement = _apply_query(select(Customer.id), query).order_by(order, Customer.id)
        with self.store.read() as session:
            return list(session.scalars(statement))

    def count(self) -> int:
        with self.store.read() as session:
            return session.scalar(select(func.count()).select_from(Customer)) or 0

    def rows(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CustomerRow]:
        """Load the list rows for ``ids`` (any order); unknown ids are simply absent."""
        if not ids:
            return {}
        statement = (
            select(
                Customer.id,
                Customer.account_no,
                Customer.name,
                Customer.uscc,
                Park.name,
                Grid.name,
                Customer.industry,
                Customer.voltage_kv,
                Customer.capacity_kva,
                Customer.annual_kwh,
                func.coalesce(Customer.pyramid_override, Customer.pyramid_class),
                Customer.important_grade,
                Customer.credit_rating,
                Customer.overdue_count,
                Customer.pool_status,
                case((risk_condition(), 1), else_=0),
            )
            .outerjoin(Park, Park.id == Customer.park_id)
            .outerjoin(Grid, Grid.id == Customer.grid_id)
            .where(Customer.id.in_(list(ids)))
        )
        with self.store.read() as session:
            return {
                row[0]: CustomerRow(*row[:-1], tags=("risk",) if row[-1] else ())
                for row in session.execute(statement)
            }
