"""A record moving to another customer (issue 14): what follows it, and who stops seeing it.

When a row's customer changes (a supervisor re-assigns a checklist, referral or visit to
another customer, a contact moves), the server

* writes a *move marker* first: a ``sync_row`` of table :data:`MOVED_TABLE`, a tombstone
  belonging to the **old** customer, whose data names the moved row. Every device that sees
  the old customer pulls it, and the client turns it into a delete of the moved row — unless
  the same pull brings the row's newer version (the device sees the new customer too: the
  marker's version is below the row's, so the row wins), or the device already holds that
  newer version (it made the move);
* then writes the row itself under the new customer;
* then rewrites the rows that belong to it — the children whose customer is their parent's
  (checklist items, referral events, visit amendments), the attachments it owns and the
  conflict records about it, with their ``customer_id`` set to the new customer — each in the
  same way (marker, then row), so devices that see the new customer get them and devices that
  lose sight of them remove them.

Markers are tombstones from birth: no cascade, dependents query or key index ever sees them.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from keyacct_desktop.server.models import SyncRow

# ``PushBatch`` and ``_Row`` are :mod:`keyacct_desktop.server.push_batch`'s; it passes what this
# module needs (no import back: the server package has no import cycles).
PushBatch = Any
_Row = Any

#: ``sync_row.table_name`` of move markers (not a device table: old clients ignore it).
MOVED_TABLE = "__moved__"


def is_move(table: str, old: _Row, new_customer: uuid.UUID | None, deleted: bool) -> bool:
    """Whether writing ``table`` with ``new_customer`` moves a live row to another customer."""
    return (
        old is not None
        and not deleted
        and table not in ("customer", MOVED_TABLE)
        and old.customer_id is not None
        and new_customer != old.customer_id
    )


def write_marker(batch: PushBatch, table: str, row_id: uuid.UUID, old: _Row) -> None:
    """The tombstone that tells the devices of the old customer the row left them."""
    old_customer = old.customer_id
    marker_id = uuid.uuid4()
    marker = type(old)(
        False,
        MOVED_TABLE,
        marker_id,
        batch.versions.take(),
        {"table": table, "id": str(row_id), "customer_id": str(old_customer)},
        True,
        old_customer,
        None,
        None,
        batch.device.id,
        None,
    )
    batch.rows[(MOVED_TABLE, marker_id)] = batch.inserted[(MOVED_TABLE, marker_id)] = marker


def followers(
    batch: PushBatch,
    table: str,
    row_id: uuid.UUID,
    parent_of: dict[str, tuple[str, str]],
    row_columns: tuple[Any, ...],
) -> list[_Row]:
    """The live rows that belong to the row: children whose customer is its customer
    (``PARENT_OF``), attachments it owns, conflict records about it (read with one query
    each; rows this push wrote count as written)."""
    wanted = str(row_id)
    conditions: list[tuple[str, dict[str, str]]] = [
        (child, {key: wanted}) for child, (parent, key) in parent_of.items() if parent == table
    ]
    conditions.append(("attachment", {"owner_table": table, "owner_id": wanted}))
    conditions.append(("sync_conflict", {"table_name": table, "row_id": wanted}))
    pending = [*batch.inserted.values(), *batch.updated.values()]
    found: dict[tuple[str, uuid.UUID], _Row] = {}
    for child, match in conditions:
        statement = select(*row_columns).where(
            SyncRow.table_name == child, SyncRow.deleted.is_(False)
        )
        for field, value in match.items():
            statement = statement.where(SyncRow.data[field].as_string() == value)
        rows = [batch._adopt(db_row) for db_row in batch.connection.execute(statement).all()]
        rows += [row for row in pending if row.table_name == child]
        for row in rows:
            if not row.deleted and all(
                _text(row.data.get(field)) == value for field, value in match.items()
            ):
                found[(row.table_name, row.row_id)] = row
    return list(found.values())


def _text(value: Any) -> str | None:
    if value is None:
        return None
    try:
        return str(uuid.UUID(str(value)))
    except ValueError:
        return str(value)


def follow(
    batch: PushBatch,
    table: str,
    row_id: uuid.UUID,
    new_customer: uuid.UUID | None,
    parent_of: dict[str, tuple[str, str]],
    row_columns: tuple[Any, ...],
) -> None:
    """Rewrite what belongs to a moved row under its new customer (each a move itself)."""
    for row in followers(batch, table, row_id, parent_of, row_columns):
        data = dict(row.data)
        if "customer_id" in data or row.table_name in ("attachment", "sync_conflict"):
            data["customer_id"] = str(new_customer) if new_customer else None
        batch.write(row.table_name, row.row_id, data)
