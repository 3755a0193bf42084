"""The device's sync state: cursor, last attempt and success, errors (``sync_state`` rows),
the base each row was last synced at (``sync_base``), the store's foreign keys, and what one
sync run reports."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import (
    Table,
    bindparam,
    func,
    select,
    update,
)

from keyacct_desktop.protocol import jsontext
from keyacct_desktop.protocol.codec import (
    columns,
    encoders,
)
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import (
    PendingChange,
    SyncBase,
    SyncState,
)
from keyacct_desktop.store.models import MODEL_BY_TABLE, SYNCED_MODELS
from keyacct_desktop.sync.bulk import insert_rows
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)

if TYPE_CHECKING:
    pass


#: Parameters per ``IN (…)`` list in local queries.
IN_CHUNK = 500


TABLE_ORDER = {model.__tablename__: index for index, model in enumerate(SYNCED_MODELS)}  # type: ignore[attr-defined]


def _table(model: Any) -> Table:
    """The Core table of a mapped class, for executemany statements."""
    return cast(Table, model.__table__)


@dataclass
class BlobReport:
    """Attachment contents moved in one sync."""

    uploaded: int = 0
    downloaded: int = 0
    waiting: int = 0  # records whose content nobody has uploaded yet


@dataclass
class SyncReport:
    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    removed_customers: int = 0
    set_aside: int = 0  # pulled rows this device could not apply yet (sync_set_aside)
    refused: int = 0  # local changes the server refused, kept as needing attention
    server_time: datetime | None = None
    clock_skew_seconds: float = 0.0
    blobs: BlobReport = field(default_factory=lambda: BlobReport())


def get_state(store: Store, key: str, default: Any = None) -> Any:
    with store.read() as session:
        row = session.get(SyncState, key)
        return default if row is None else row.value


def set_state(session: Any, key: str, value: Any) -> None:
    row = session.get(SyncState, key)
    if row is None:
        session.add(SyncState(key=key, value=value))
    else:
        row.value = value


def pending_count(store: Store) -> int:
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(PendingChange)) or 0


def _load_bases(
    session: Any, keys: Iterable[tuple[str, uuid.UUID]]
) -> dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]]:
    """The merge bases of ``keys`` with one ``IN`` query per table and chunk."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for table, row_id in keys:
        by_table.setdefault(table, []).append(row_id)
    found: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for table, ids in by_table.items():
        for start in range(0, len(ids), IN_CHUNK):
            for row_id, version, data in session.execute(
                select(SyncBase.row_id, SyncBase.version, SyncBase.data).where(
                    SyncBase.table_name == table, SyncBase.row_id.in_(ids[start : start + IN_CHUNK])
                )
            ):
                found[(table, row_id)] = (version, data)
    return found


def _load_values(
    session: Any,
    table: str,
    ids: list[uuid.UUID],
    *,
    wire: bool = False,
    batch: tuple[int, int] | None = None,
) -> dict[uuid.UUID, dict[str, Any]]:
    """The synced fields (and ``version``) of rows of one table by id: plain column values,
    no ORM objects; with ``wire``, the synced fields already in wire format (for a push).
    With ``batch`` (first and last pending change), the rows those changes name, by a join."""
    model = MODEL_BY_TABLE[table]
    known = columns(table)
    names = list(known)
    encode = encoders(table)
    convert = [(name, encode[name]) for name in names if wire and encode[name] is not None]
    query = select(*known.values(), model.version)
    if batch is not None:
        statements = [
            query.join(PendingChange, PendingChange.row_id == model.id).where(
                PendingChange.table_name == table, PendingChange.seq.between(*batch)
            )
        ]
    else:
        statements = [
            query.where(model.id.in_(ids[start : start + IN_CHUNK]))
            for start in range(0, len(ids), IN_CHUNK)
        ]
    found: dict[uuid.UUID, dict[str, Any]] = {}
    for statement in statements:
        for row in session.execute(statement):
            values = dict(zip(names, row, strict=False))
            row_id = values["id"]
            for name, to in convert:
                if (value := values[name]) is not None:
                    values[name] = to(value)  # type: ignore[misc]
            values["version"] = row[-1]
            found[row_id] = values
    return found


def _write_bases(
    session: Any,
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]],
    stored: Iterable[tuple[str, uuid.UUID]],
) -> None:
    """Insert or update merge bases with one executemany each (``stored`` already exist)."""
    stored = set(stored)
    new = [
        {"table_name": t, "row_id": r, "version": v, "data": d}
        for (t, r), (v, d) in bases.items()
        if not (stored and (t, r) in stored)
    ]
    old = [
        {"key_table": t, "key_row": r, "new_version": v, "new_data": d}
        for (t, r), (v, d) in bases.items()
        if stored and (t, r) in stored
    ]
    table = _table(SyncBase)
    if new:  # (bases are read only here, as values: their text is orjson's, compact UTF-8)
        insert_rows(session, table, new, {"data": jsontext.dumps})
    if old:
        session.execute(
            update(table)
            .where(
                table.c.table_name == bindparam("key_table", type_=table.c.table_name.type),
                table.c.row_id == bindparam("key_row", type_=table.c.row_id.type),
            )
            .values(
                version=bindparam("new_version", type_=table.c.version.type),
                data=bindparam("new_data", type_=table.c.data.type),
            ),
            old,
        )


def get_state_in(session: Any, key: str, default: Any = None) -> Any:
    row = session.get(SyncState, key)
    return default if row is None else row.value


@cache
def _foreign_keys(table: str) -> tuple[tuple[str, str, bool], ...]:
    """``(column, parent table, cascades)`` of each foreign key of a synced table."""
    model = MODEL_BY_TABLE[table]
    return tuple(
        sorted(
            (fk.parent.name, fk.column.table.name, (fk.ondelete or "").upper() == "CASCADE")
            for fk in _table(model).foreign_keys
        )
    )


@cache
def _children(table: str) -> tuple[tuple[str, str, bool], ...]:
    """``(child table, column, cascades)`` of every synced table referring to ``table``."""
    return tuple(
        (child, column, cascades)
        for child in MODEL_BY_TABLE
        for column, parent, cascades in _foreign_keys(child)
        if parent == table
    )
