"""The server's row store: each synced record's latest state under a version from one counter
(``write_row``), the counters, and which tables belong to no customer or to the office."""

from __future__ import annotations

import uuid
from typing import Any, cast

from sqlalchemy import (
    Connection,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import (
    Counter,
    SyncRow,
)
from keyacct_desktop.store.base import utcnow

#: Tables whose rows belong to no customer: every device sees them.
GLOBAL_TABLES = frozenset({"user", "park", "grid", "work_calendar", "outage_event"})


#: Child tables whose customer is the customer of their parent row.
PARENT_OF = {
    "checklist_item": ("checklist", "checklist_id"),
    "referral_event": ("referral", "referral_id"),
    "visit_amendment": ("visit", "visit_id"),
    "visit_review": ("visit", "visit_id"),
}


#: Tables only supervisors and administrators may write.
OFFICE_TABLES = frozenset({"user", "grid", "park", "work_calendar"})


#: Tables only the named roles may write (managers and supervisors read them).
WRITER_ROLES = {
    "visit_review": frozenset({"specialist", "admin"}),
    # the province's holidays: the administrator (keyacct-server calendar), nobody's laptop
    "work_calendar": frozenset({"admin"}),
}


def next_value(session: Session, name: str = "change") -> int:
    """Bump a counter inside the current transaction; the row lock orders concurrent writers."""
    value = advance(session.connection(), name, 1)
    return 1 if value is None else value


_COUNTER_VALUE = select(Counter.value).where(Counter.name == bindparam("name"))


def current_value(session: Session, name: str) -> int:
    """A counter's value (Core on the session's connection: no ORM overhead on hot paths)."""
    return int(session.connection().scalar(_COUNTER_VALUE, {"name": name}) or 0)


def _customer_of(
    session: Session, table: str, row_id: uuid.UUID, data: dict[str, Any]
) -> uuid.UUID | None:
    if table == "customer":
        return row_id
    if table in GLOBAL_TABLES:
        return None
    if table in PARENT_OF:
        parent_table, key = PARENT_OF[table]
        parent = (
            session.get(SyncRow, (parent_table, uuid.UUID(data[key]))) if data.get(key) else None
        )
        return parent.customer_id if parent else None
    value = data.get("customer_id")
    return uuid.UUID(value) if value else None


def write_row(
    session: Session, table: str, row_id: uuid.UUID, data: dict[str, Any], deleted: bool = False
) -> SyncRow:
    """Store the new state of a record under a fresh version (and bump access when needed)."""
    row = session.get(SyncRow, (table, row_id))
    version = next_value(session)
    grid_id = uuid.UUID(data["grid_id"]) if table == "customer" and data.get("grid_id") else None
    manager_id = (
        uuid.UUID(data["manager_id"]) if table == "grid" and data.get("manager_id") else None
    )
    if row is None:
        row = SyncRow(
            table_name=table,
            row_id=row_id,
            version=version,
            data=data,
            deleted=deleted,
            customer_id=_customer_of(session, table, row_id, data),
            grid_id=grid_id,
            manager_id=manager_id,
        )
        session.add(row)
        if table == "grid":
            next_value(session, "access")
    else:
        if (table == "customer" and row.grid_id != grid_id) or (
            table == "grid" and row.manager_id != manager_id
        ):
            next_value(session, "access")  # visibility changed: devices must reconcile
        row.version, row.data, row.deleted = version, data, deleted
        row.grid_id, row.manager_id, row.updated_at = grid_id, manager_id, utcnow()
    session.flush()
    return row


_COUNTER = cast(Table, Counter.__table__)


_ADVANCE = (
    update(_COUNTER)
    .where(_COUNTER.c.name == bindparam("counter"))
    .values(value=_COUNTER.c.value + bindparam("by", type_=_COUNTER.c.value.type))
    .returning(_COUNTER.c.value)
)


def advance(connection: Connection, name: str, by: int) -> int | None:
    """Add ``by`` to a counter (``by=0`` just takes its row lock); its new value, or ``None``
    when the row is missing (created here)."""
    value = connection.execute(_ADVANCE, {"counter": name, "by": by}).scalar_one_or_none()
    if value is None:
        connection.execute(insert(_COUNTER), {"name": name, "value": by})
    return None if value is None else int(value)
