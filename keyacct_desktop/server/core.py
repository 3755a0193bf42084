"""What the server does, independent of HTTP: push, pull, access (accounts, tokens and
sign-in are in :mod:`keyacct_desktop.server.accounts`).

Conflict rule (documented in docs/SYNC_PROTOCOL.md): fields are merged three-way against the
base the device last saw. A field changed only on one side takes that side's value. When the
same field was changed on both sides, the value that reached the server **first** stays, and
the later value is kept in a ``sync_conflict`` record (kept value, lost value, who lost) that
syncs to every device that sees the customer, where it can be reviewed and restored.
Issued documents never conflict: their content is immutable and such edits are rejected.
"""

from __future__ import annotations

import bisect
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    Table,
    Text,
    and_,
    bindparam,
    delete,
    insert,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from keyacct_desktop.protocol.rules import (
    SOFT_REFERENCES,
    dependents_of,
    field_problems,
    message_zh,
    missing_fields,
    rules,
)
from keyacct_desktop.server import moves, reach
from keyacct_desktop.server.accounts import AuthError, authenticate_many
from keyacct_desktop.server.models import (
    Account,
    AppliedOp,
    AuditEntry,
    Counter,
    Device,
    SyncAlias,
    SyncRefusal,
    SyncRow,
)
from keyacct_desktop.store.base import Frozen, utcnow
from keyacct_desktop.store.changelog import UNLOGGED_COLUMNS
from keyacct_desktop.store.guards import ALLOWED_STATUS_MOVES, FROZEN_STATUSES
from keyacct_desktop.store.models import MODEL_BY_TABLE

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


# ------------------------------------------------------------------ the row store


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


def visible_customers(account: Account) -> Any:
    """A subquery of customer ids the account may see (``None`` = everything)."""
    if account.role in ("supervisor", "admin"):
        return None
    my_grids = select(SyncRow.row_id).where(
        SyncRow.table_name == "grid",
        SyncRow.manager_id == account.user_id,
        SyncRow.deleted.is_(False),
    )
    return select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.grid_id.in_(my_grids)
    )


def can_see(session: Session, account: Account, customer_id: uuid.UUID | None) -> bool:
    subquery = visible_customers(account)
    if subquery is None or customer_id is None:
        return True
    return (
        session.scalar(
            select(SyncRow.row_id).where(
                SyncRow.row_id.in_(subquery), SyncRow.row_id == customer_id
            )
        )
        is not None
    )


def manager_grids(session: Session, account: Account) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(SyncRow.row_id).where(
                SyncRow.table_name == "grid",
                SyncRow.manager_id == account.user_id,
                SyncRow.deleted.is_(False),
            )
        )
    )


# ------------------------------------------------------------------ push


@dataclass
class Operation:
    op_id: uuid.UUID
    table: str
    row_id: uuid.UUID
    op: str  # upsert / delete
    base_version: int
    fields: dict[str, Any]
    base: dict[str, Any]


#: Parameters per ``IN (…)`` list: well below SQLite's and PostgreSQL's limits.
IN_CHUNK = 500
#: Frozen child tables and the parent document whose status freezes them.
FROZEN_PARENT_OF = {
    "checklist_item": ("checklist", "checklist_id"),
    "outage_notice": ("outage_event", "event_id"),
}
_ROW_COLUMNS = (
    SyncRow.table_name,
    SyncRow.row_id,
    SyncRow.version,
    SyncRow.data,
    SyncRow.deleted,
    SyncRow.customer_id,
    SyncRow.grid_id,
    SyncRow.manager_id,
    SyncRow.written_by,
    SyncRow.cascade_of,
)
RowKey = tuple[str, uuid.UUID]
_SYNC_ROW = cast(Table, SyncRow.__table__)
_APPLIED_OP = cast(Table, AppliedOp.__table__)
_AUDIT = cast(Table, AuditEntry.__table__)
_COUNTER = cast(Table, Counter.__table__)
_ALIAS = cast(Table, SyncAlias.__table__)
_ACCOUNT = cast(Table, Account.__table__)
_DEVICE = cast(Table, Device.__table__)
_REFUSAL = cast(Table, SyncRefusal.__table__)
# Core statements built once and run on the connection: the ORM's bulk-update and
# statement-building overhead cost more than the SQL on the push path.
_APPLIED_RESULTS = select(_APPLIED_OP.c.op_id, _APPLIED_OP.c.result).where(
    _APPLIED_OP.c.op_id.in_(bindparam("op_ids", expanding=True))
)
_ROWS_BY_ID = select(*_ROW_COLUMNS).where(
    SyncRow.table_name == bindparam("table"),
    SyncRow.row_id.in_(bindparam("ids", expanding=True)),
)
_ALIASES = select(_ALIAS.c.old_id, _ALIAS.c.new_id).where(
    _ALIAS.c.table_name == bindparam("table"),
    _ALIAS.c.old_id.in_(bindparam("ids", expanding=True)),
)
_REFUSALS = select(_REFUSAL.c.row_id, _REFUSAL.c.cause).where(
    _REFUSAL.c.table_name == bindparam("table"),
    _REFUSAL.c.row_id.in_(bindparam("ids", expanding=True)),
)
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


class VersionCounter:
    """The ``change`` counter of one write transaction: locked once, advanced once.

    The first statement locks the counter row (``UPDATE … RETURNING``), so no other writer
    can take a version until this transaction commits: versions are handed out in memory and
    the row is advanced once by :meth:`save`. Writers serialise on that row and versions
    become visible in commit order, so a pull cursor never skips a committed change; locking
    first also means every row is read after any concurrent push committed (no lost update).
    """

    def __init__(self, session: Session) -> None:
        self.connection = session.connection()
        self.first = self.value = advance(self.connection, "change", 0) or 0

    def take(self) -> int:
        self.value += 1
        return self.value

    def save(self) -> None:
        """Advance the stored counter by the versions taken (gaps never: see push_group)."""
        used = self.value - self.first
        if used:
            stored = advance(self.connection, "change", used)
            if stored != self.value:  # cannot happen while the row lock is held
                raise RuntimeError("the change counter moved during a push")
            self.first = self.value


class _Row:
    """One ``sync_row`` as a push sees it: read once, changed in memory, written once."""

    __slots__ = (
        "cascade_of",
        "customer_id",
        "data",
        "deleted",
        "grid_id",
        "manager_id",
        "row_id",
        "stored",
        "table_name",
        "version",
        "written_by",
    )

    def __init__(
        self,
        stored: bool,
        table_name: str,
        row_id: uuid.UUID,
        version: int,
        data: dict[str, Any],
        deleted: bool,
        customer_id: uuid.UUID | None,
        grid_id: uuid.UUID | None,
        manager_id: uuid.UUID | None,
        written_by: uuid.UUID | None = None,
        cascade_of: str | None = None,
    ) -> None:
        self.table_name, self.row_id, self.version = table_name, row_id, version
        self.data, self.deleted, self.customer_id = data, deleted, customer_id
        self.grid_id, self.manager_id = grid_id, manager_id
        self.written_by, self.cascade_of = written_by, cascade_of
        self.stored = stored  # already in the database (UPDATE) or new (INSERT)


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    """A UUID for prefetching; malformed values are left to field validation to refuse."""
    if not value:
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def _references(table: str, data: dict[str, Any], restricted: bool) -> set[RowKey]:
    """The rows a record's checks read: every row it names and, for managers, its customer."""
    found: set[RowKey] = set()
    if table not in MODEL_BY_TABLE:
        return found
    for reference in rules(table).references:
        if (target := _uuid_or_none(data.get(reference.field))) is not None:
            found.add((reference.table, target))
    if table in SOFT_REFERENCES:
        table_field, id_field = SOFT_REFERENCES[table]
        target_table = data.get(table_field)
        if target_table in MODEL_BY_TABLE and (target := _uuid_or_none(data.get(id_field))):
            found.add((target_table, target))
    if restricted and (customer_id := _uuid_or_none(data.get("customer_id"))):
        found.add(("customer", customer_id))
    return found


def _hard_references(table: str, data: dict[str, Any]) -> list[RowKey]:
    """The rows a record names through foreign keys (those must exist before it is stored)."""
    found = []
    for reference in rules(table).references:
        if (target := _uuid_or_none(data.get(reference.field))) is not None:
            found.append((reference.table, target))
    return found


#: A row's owner when it belongs to no customer but is visible to every account.
EVERYONE = uuid.UUID(int=0)


def _refusal(
    code: str,
    table: str,
    fields: list[str],
    error: str,
    cause: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A per-operation refusal in the contract's format (docs/SYNC_PROTOCOL.md)."""
    result: dict[str, Any] = {
        "status": "rejected",
        "code": code,
        "fields": fields,
        "error": error,
        "message_zh": message_zh(code, table, fields),
    }
    if cause is not None:
        result["cause"] = cause
    return result


class PushBatch:
    """The reads and writes of one push request, batched.

    Applying operations one by one cost ~7 statements and an autoflush each. Here the rows,
    the rows they name (parents, customers, every foreign key), rows holding the business
    keys they set, merge aliases and earlier refusals are read with a few ``IN`` queries;
    the operations run in order on that in-memory state (each sees the ones before it), and
    the results are written with one executemany per table at the end.

    Versions come from a :class:`VersionCounter`: the batch's own (locked before anything is
    read, advanced by :meth:`flush`), or the one a group commit shares (:func:`push_group`).
    Statements run on the session's connection with Core: cheaper than the ORM.
    """

    def __init__(
        self,
        session: Session,
        account: Account,
        device: Device,
        versions: VersionCounter | None = None,
        shared_with: PushBatch | None = None,
    ) -> None:
        """``shared_with``: the batch of an earlier push of the same group commit, whose rows,
        answers and pending writes this one sees and adds to (flushed together)."""
        self.session, self.account, self.device = session, account, device
        self.connection = session.connection()
        self.rows: dict[RowKey, _Row | None] = {}
        self.inserted: dict[RowKey, _Row] = {}
        self.updated: dict[RowKey, _Row] = {}
        self.applied: dict[uuid.UUID, dict[str, Any]] = {}
        self.new_applied: list[dict[str, Any]] = []
        self.audits: list[dict[str, Any]] = []
        #: Merged rows: (table, old id) → kept id; and those to store.
        self.aliases: dict[RowKey, uuid.UUID] = {}
        self.new_aliases: dict[RowKey, uuid.UUID] = {}
        #: Rows refused and never stored: (table, id) → cause; and those to store.
        self.refused: dict[RowKey, dict[str, Any]] = {}
        self.new_refusals: dict[RowKey, dict[str, Any]] = {}
        #: Unique business keys of live rows: (table, key fields, values) → row id.
        self.keys: dict[tuple[str, tuple[str, ...], tuple[Any, ...]], uuid.UUID] = {}
        #: (table, field, value) whose holders were read (no need to ask the database again).
        self.keys_read: set[tuple[str, str, str]] = set()
        #: Rows still to be written by later operations of the push being applied.
        self.upcoming: set[RowKey] = set()
        #: Rows the push being applied deletes, with the version the device saw of each.
        self.delete_bases: dict[RowKey, int] = {}
        #: Rows whose delete met an edit in this push (their children's deletes fail too).
        self.kept_alive: set[RowKey] = set()
        self._writers: dict[uuid.UUID, tuple[str, str]] = {}
        if shared_with is not None:
            self.rows, self.inserted, self.updated = (
                shared_with.rows,
                shared_with.inserted,
                shared_with.updated,
            )
            self.applied, self.new_applied, self.audits = (
                shared_with.applied,
                shared_with.new_applied,
                shared_with.audits,
            )
            self.aliases, self.new_aliases = shared_with.aliases, shared_with.new_aliases
            self.refused, self.new_refusals = shared_with.refused, shared_with.new_refusals
            self.keys, self.keys_read = shared_with.keys, shared_with.keys_read
            self.kept_alive = shared_with.kept_alive
            versions = shared_with.versions
        self.access_bumps = 0
        self._my_grids: set[uuid.UUID] | None = None
        #: Managers see only their grids' customers; others see everything.
        self.restricted = visible_customers(account) is not None
        #: Shared by the pushes of one group commit; a push on its own locks the counter here.
        self.versions: VersionCounter = (
            versions if versions is not None else VersionCounter(session)
        )
        self.own_versions = versions is None

    # -------------------------------------------------------------- reads

    def prefetch(self, operations: list[Operation], restricted: bool | None = None) -> None:
        """Load applied op ids, the ops' rows, the rows they name (and their customers),
        aliases and refusals of rows that are missing, and holders of business keys.

        ``restricted``: load the customers of rows too (what a manager's checks read); a group
        of pushes passes whether any of its accounts is restricted (loading more is harmless).
        """
        restricted = self.restricted if restricted is None else restricted
        op_ids = list({op.op_id for op in operations})
        for start in range(0, len(op_ids), IN_CHUNK):
            for op_id, result in self.connection.execute(
                _APPLIED_RESULTS, {"op_ids": op_ids[start : start + IN_CHUNK]}
            ).all():
                self.applied[op_id] = result
        todo = [op for op in operations if op.table in MODEL_BY_TABLE]
        todo = [op for op in todo if op.op_id not in self.applied]
        keys: set[RowKey] = set()
        for op in todo:
            keys.add((op.table, op.row_id))
            keys |= _references(op.table, op.fields, restricted)
        self.load(keys)
        # Ids the server does not know (and no operation of this push creates): rows merged
        # into another (aliases) or refused earlier.
        created = {(op.table, op.row_id) for op in todo if op.op == "upsert"}
        missing = {key for key in keys if self.rows.get(key) is None}
        if missing:
            self._load_aliases(missing)
            keys |= {
                (table, self.aliases[(table, i)])
                for table, i in missing
                if (table, i) in self.aliases
            }
            self.load(keys)
            self._load_refusals(
                {key for key in missing if key not in self.aliases and key not in created}
            )
        # Second round: what stored rows point at (frozen parents, customers of children).
        more: set[RowKey] = set()
        for key in keys:
            row = self.rows.get(key)
            if row is not None:
                more |= _references(row.table_name, row.data, restricted)
                if row.customer_id is not None and restricted:
                    more.add(("customer", row.customer_id))
        self.load(more)
        if restricted:
            self.load(
                {
                    ("customer", row.customer_id)
                    for key in more
                    if (row := self.rows.get(key)) is not None and row.customer_id is not None
                }
            )
        self._load_keys(todo)

    def load(self, keys: set[RowKey]) -> None:
        """Read the rows not read yet, one ``IN`` query per table and chunk."""
        by_table: dict[str, list[uuid.UUID]] = {}
        for table, row_id in keys:
            if (table, row_id) not in self.rows:
                by_table.setdefault(table, []).append(row_id)
                self.rows[(table, row_id)] = None
        for table, ids in by_table.items():
            for start in range(0, len(ids), IN_CHUNK):
                for found in self.connection.execute(
                    _ROWS_BY_ID, {"table": table, "ids": ids[start : start + IN_CHUNK]}
                ).all():
                    row = self.rows[(table, found.row_id)] = _Row(True, *found)
                    self._index_keys(row)

    def _load_aliases(self, keys: set[RowKey]) -> None:
        by_table: dict[str, list[uuid.UUID]] = {}
        for table, row_id in keys:
            if (table, row_id) not in self.aliases:
                by_table.setdefault(table, []).append(row_id)
        for table, ids in by_table.items():
            for start in range(0, len(ids), IN_CHUNK):
                for old_id, new_id in self.connection.execute(
                    _ALIASES, {"table": table, "ids": ids[start : start + IN_CHUNK]}
                ).all():
                    self.aliases[(table, old_id)] = new_id

    def _load_refusals(self, keys: set[RowKey]) -> None:
        by_table: dict[str, list[uuid.UUID]] = {}
        for table, row_id in keys:
            if (table, row_id) not in self.refused:
                by_table.setdefault(table, []).append(row_id)
        for table, ids in by_table.items():
            for start in range(0, len(ids), IN_CHUNK):
                for row_id, cause in self.connection.execute(
                    _REFUSALS, {"table": table, "ids": ids[start : start + IN_CHUNK]}
                ).all():
                    self.refused[(table, row_id)] = cause

    def _load_keys(self, operations: list[Operation]) -> None:
        """Read the live rows holding the business keys that upserts set (one query per
        table and key, usually none: most pushes set no unique field)."""
        wanted: dict[tuple[str, str], set[str]] = {}
        for op in operations:
            if op.op != "upsert":
                continue
            for key in rules(op.table).unique_keys:
                value = op.fields.get(key[0])
                if isinstance(value, str) and (op.table, key[0], value) not in self.keys_read:
                    wanted.setdefault((op.table, key[0]), set()).add(value)
        for (table, field), values in wanted.items():
            self._read_key_holders(table, field, sorted(values))

    def _read_key_holders(self, table: str, field: str, values: list[str]) -> None:
        for start in range(0, len(values), IN_CHUNK):
            chunk = values[start : start + IN_CHUNK]
            statement = select(*_ROW_COLUMNS).where(
                SyncRow.table_name == table,
                SyncRow.deleted.is_(False),
                SyncRow.data[field].as_string().in_(chunk),
            )
            for found in self.connection.execute(statement).all():
                if (table, found.row_id) not in self.rows:
                    self.rows[(table, found.row_id)] = row = _Row(True, *found)
                    self._index_keys(row)
            self.keys_read.update((table, field, value) for value in chunk)

    def _index_keys(self, row: _Row) -> None:
        if row.deleted or row.table_name not in MODEL_BY_TABLE:
            return
        for key in rules(row.table_name).unique_keys:
            values = tuple(row.data.get(field) for field in key)
            if all(value is not None for value in values):
                self.keys[(row.table_name, key, values)] = row.row_id

    def key_holder(
        self, table: str, key: tuple[str, ...], values: tuple[Any, ...], other_than: uuid.UUID
    ) -> _Row | None:
        """The live row other than ``other_than`` whose business ``key`` has ``values``."""
        if isinstance(values[0], str) and (table, key[0], values[0]) not in self.keys_read:
            self._read_key_holders(table, key[0], [values[0]])  # not prefetched: one query
        holder_id = self.keys.get((table, key, values))
        if holder_id is None or holder_id == other_than:
            return None
        holder = self.rows.get((table, holder_id))
        if holder is None or holder.deleted:
            return None
        if tuple(holder.data.get(field) for field in key) != values:
            return None  # it changed since it was indexed
        return holder

    def get(self, table: str, row_id: uuid.UUID) -> _Row | None:
        if (table, row_id) not in self.rows:
            self.load({(table, row_id)})  # not prefetched: one query, still correct
        return self.rows[(table, row_id)]

    def resolve(self, table: str, row_id: uuid.UUID) -> uuid.UUID:
        """The id a row is kept under: itself, or the row it was merged into."""
        key = (table, row_id)
        if key not in self.aliases and key not in self.rows and key not in self.upcoming:
            self._load_aliases({key})
        return self.aliases.get(key, row_id)

    def repoint(self, table: str, fields: dict[str, Any]) -> dict[str, Any]:
        """``fields`` with references to merged rows replaced by the rows they were kept as."""
        if not self.aliases:
            return fields
        changed = dict(fields)
        for reference in rules(table).references:
            target = _uuid_or_none(fields.get(reference.field))
            if target is not None and (reference.table, target) in self.aliases:
                changed[reference.field] = str(self.aliases[(reference.table, target)])
        if table in SOFT_REFERENCES:
            table_field, id_field = SOFT_REFERENCES[table]
            target = _uuid_or_none(fields.get(id_field))
            if target is not None and (fields.get(table_field), target) in self.aliases:
                changed[id_field] = str(self.aliases[(fields[table_field], target)])
        return changed

    def refused_cause(self, table: str, row_id: uuid.UUID) -> dict[str, Any] | None:
        """Why a row that is not on the server was refused (``None``: it was never sent)."""
        if (table, row_id) not in self.refused and (table, row_id) not in self.rows:
            self._load_refusals({(table, row_id)})
        return self.refused.get((table, row_id))

    def note_refusal(self, table: str, row_id: uuid.UUID, result: dict[str, Any]) -> None:
        """Remember a refused new row, so rows that depend on it are refused with its cause."""
        if self.rows.get((table, row_id)) is not None:
            return  # the row exists: only this change of it was refused
        cause = result.get("cause") or {  # a dependent passes on the first refused row
            "table": table,
            "id": str(row_id),
            "code": result["code"],
            "message_zh": result["message_zh"],
        }
        self.refused[(table, row_id)] = self.new_refusals[(table, row_id)] = cause

    def writer(self, device_id: uuid.UUID | None) -> tuple[str, str]:
        """(user name, device name) of the device that wrote a row ("?" when unknown)."""
        if device_id is None:
            return ("?", "?")
        if device_id == self.device.id:
            return (self.account.username, self.device.name)
        if device_id not in self._writers:
            found = self.connection.execute(
                select(_ACCOUNT.c.username, _DEVICE.c.name)
                .join(_ACCOUNT, _ACCOUNT.c.id == _DEVICE.c.account_id)
                .where(_DEVICE.c.id == device_id)
            ).first()
            self._writers[device_id] = (found[0], found[1]) if found else ("?", "?")
        return self._writers[device_id]

    def _adopt(self, found: Any) -> _Row:
        """The batch's copy of a row read from the database (the batch's own if it has one)."""
        key = (found.table_name, found.row_id)
        row = self.rows.get(key)
        if row is None:
            row = self.rows[key] = _Row(True, *found)
            self._index_keys(row)
        return row

    def dependents(self, table: str, row_id: uuid.UUID) -> list[_Row]:
        """Live rows a delete of this row would cascade onto (recursively), conflict records
        excepted: they are never deleted by a cascade. Includes rows written by this batch."""
        found: dict[RowKey, _Row] = {}
        pending = [*self.inserted.values(), *self.updated.values()]
        if table == "customer":  # every row of a customer, grandchildren included
            for db_row in self.connection.execute(
                select(*_ROW_COLUMNS).where(
                    SyncRow.customer_id == row_id, SyncRow.deleted.is_(False)
                )
            ).all():
                row = self._adopt(db_row)
                found[(row.table_name, row.row_id)] = row
            for row in pending:
                if row.customer_id == row_id and row.table_name != "customer":
                    found[(row.table_name, row.row_id)] = row
        else:
            frontier = [(table, row_id)]
            while frontier:
                parent_table, parent_id = frontier.pop()
                for child_table, reference in dependents_of(parent_table):
                    if not reference.cascade or child_table == "sync_conflict":
                        continue
                    matches = [
                        self._adopt(db_row)
                        for db_row in self.connection.execute(
                            select(*_ROW_COLUMNS).where(
                                SyncRow.table_name == child_table,
                                SyncRow.deleted.is_(False),
                                SyncRow.data[reference.field].as_string() == str(parent_id),
                            )
                        ).all()
                    ]
                    matches += [
                        row
                        for row in pending
                        if row.table_name == child_table
                        and _uuid_or_none(row.data.get(reference.field)) == parent_id
                    ]
                    for row in matches:
                        key = (row.table_name, row.row_id)
                        if key not in found:
                            found[key] = row
                            frontier.append(key)
        return [
            row for row in found.values() if not row.deleted and row.table_name != "sync_conflict"
        ]

    def referrers(self, group: list[_Row]) -> list[tuple[_Row, str]]:
        """Live rows outside ``group`` that name a row of it through a foreign key without
        ``ON DELETE CASCADE`` (a referral's or planned visit's ``visit_id``, a visit's
        ``signature_id``, a customer's ``grid_id`` …), each with the naming field. One query
        per such foreign key; rows written by this batch count as written."""
        members = {(row.table_name, row.row_id) for row in group}
        ids: dict[str, list[str]] = {}
        for table, row_id in members:
            ids.setdefault(table, []).append(str(row_id))
        pending = [*self.inserted.values(), *self.updated.values()]
        found: dict[tuple[RowKey, str], _Row] = {}
        for table, targets in ids.items():
            wanted = set(targets)
            for child_table, reference in dependents_of(table):
                if reference.cascade:
                    continue
                matches: list[_Row] = []
                for start in range(0, len(targets), IN_CHUNK):
                    matches += [
                        self._adopt(db_row)
                        for db_row in self.connection.execute(
                            select(*_ROW_COLUMNS).where(
                                SyncRow.table_name == child_table,
                                SyncRow.deleted.is_(False),
                                SyncRow.data[reference.field]
                                .as_string()
                                .in_(targets[start : start + IN_CHUNK]),
                            )
                        ).all()
                    ]
                matches += [row for row in pending if row.table_name == child_table]
                for row in matches:
                    key = (row.table_name, row.row_id)
                    target = _uuid_or_none(row.data.get(reference.field))
                    if (
                        not row.deleted
                        and key not in members
                        and target is not None
                        and str(target) in wanted
                    ):
                        found[(key, reference.field)] = row
        return [(row, field) for (_key, field), row in found.items()]

    def tombstones_of(self, cause: str) -> list[_Row]:
        """Rows deleted by the cascade of the delete ``cause`` ("table:id")."""
        rows = [
            self._adopt(found)
            for found in self.connection.execute(
                select(*_ROW_COLUMNS).where(SyncRow.cascade_of == cause)
            ).all()
        ]
        rows += [
            row
            for row in [*self.inserted.values(), *self.updated.values()]
            if row.cascade_of == cause
        ]
        unique = {(row.table_name, row.row_id): row for row in rows}
        return [row for row in unique.values() if row.deleted and row.cascade_of == cause]

    def my_grids(self) -> set[uuid.UUID]:
        if self._my_grids is None:
            grids = manager_grids(self.session, self.account)
            # Grids written but not flushed yet (by this push or an earlier one of its group).
            for row in [*self.inserted.values(), *self.updated.values()]:
                if row.table_name == "grid":
                    if row.manager_id == self.account.user_id and not row.deleted:
                        grids.add(row.row_id)
                    else:
                        grids.discard(row.row_id)
            self._my_grids = grids
        return self._my_grids

    def can_see(self, customer_id: uuid.UUID | None) -> bool:
        """Like :func:`can_see`, on this batch's state (customers it created or moved count)."""
        if customer_id is None or customer_id == EVERYONE or not self.restricted:
            return True
        customer = self.get("customer", customer_id)
        return customer is not None and customer.grid_id in self.my_grids()

    def owner_of(self, table: str, row_id: uuid.UUID, data: dict[str, Any]) -> uuid.UUID | None:
        """The customer a row belongs to, :data:`EVERYONE` for rows every account sees, or
        ``None`` for a row that belongs to nobody (refused for managers)."""
        if table in GLOBAL_TABLES:
            return EVERYONE
        customer_id = self.customer_of(table, row_id, data)
        if customer_id is None and table == "sync_conflict":
            target_table = data.get("table_name")
            if target_table in GLOBAL_TABLES and _uuid_or_none(data.get("row_id")):
                return EVERYONE  # a conflict about an outage event, a grid, …
        return customer_id

    def row_visible(self, row: _Row) -> bool:
        """Whether the account may see (and so write) a stored row."""
        if not self.restricted:
            return True
        if row.table_name == "customer":
            return self.can_see(row.row_id)
        owner = self.owner_of(row.table_name, row.row_id, row.data)
        return owner is not None and self.can_see(owner)

    def customer_of(self, table: str, row_id: uuid.UUID, data: dict[str, Any]) -> uuid.UUID | None:
        """Like :func:`_customer_of`, with parents from this batch."""
        if table == "customer":
            return row_id
        if table in GLOBAL_TABLES:
            return None
        if table in PARENT_OF:
            parent_table, key = PARENT_OF[table]
            parent_id = _uuid_or_none(data.get(key))
            parent = self.get(parent_table, parent_id) if parent_id else None
            return parent.customer_id if parent else None
        return _uuid_or_none(data.get("customer_id"))

    # -------------------------------------------------------------- writes

    def write(
        self,
        table: str,
        row_id: uuid.UUID,
        data: dict[str, Any],
        deleted: bool = False,
        cascade_of: str | None = None,
    ) -> _Row:
        """Like :func:`write_row`: the record's new state under the next version."""
        row = self.get(table, row_id)
        customer_id = self.customer_of(table, row_id, data)
        moving = moves.is_move(table, row, customer_id, deleted)
        if moving:  # the old customer's devices remove it (its marker's version is lower)
            moves.write_marker(self, table, row_id, row)
        version = self.versions.take()
        grid_id = _uuid_or_none(data.get("grid_id")) if table == "customer" else None
        manager_id = _uuid_or_none(data.get("manager_id")) if table == "grid" else None
        if row is None:
            row = _Row(
                False,
                table,
                row_id,
                version,
                data,
                deleted,
                customer_id,
                grid_id,
                manager_id,
                self.device.id,
                cascade_of,
            )
            self.rows[(table, row_id)] = self.inserted[(table, row_id)] = row
            if table == "grid":
                self.access_bumps += 1
        else:
            if (
                (table == "customer" and row.grid_id != grid_id)
                or (table == "grid" and row.manager_id != manager_id)
                or row.customer_id != customer_id
            ):
                self.access_bumps += 1  # visibility changed: devices must reconcile
            row.version, row.data, row.deleted = version, data, deleted
            row.grid_id, row.manager_id, row.customer_id = grid_id, manager_id, customer_id
            row.written_by, row.cascade_of = self.device.id, cascade_of
            if row.stored:
                self.updated[(table, row_id)] = row
        self._index_keys(row)
        if table == "grid" and self._my_grids is not None:  # keep visibility exact
            if manager_id == self.account.user_id and not deleted:
                self._my_grids.add(row_id)
            else:
                self._my_grids.discard(row_id)
        if moving:  # its items, events, amendments, attachments and conflicts follow it
            moves.follow(self, table, row_id, customer_id, PARENT_OF, _ROW_COLUMNS)
        return row

    def audit(self, action: str, table: str, row_id: uuid.UUID, **detail: Any) -> None:
        self.audits.append(
            {
                "account_id": self.account.id,
                "device_id": self.device.id,
                "action": action,
                "table_name": table,
                "row_id": row_id,
                "detail": detail or None,
            }
        )

    def record(self, op_id: uuid.UUID, result: dict[str, Any]) -> None:
        """Remember an answer; a repeat of the op id, even later in this batch, gets it back."""
        self.applied[op_id] = result
        self.new_applied.append({"op_id": op_id, "device_id": self.device.id, "result": result})

    def alias(self, table: str, old_id: uuid.UUID, new_id: uuid.UUID) -> None:
        self.aliases[(table, old_id)] = self.new_aliases[(table, old_id)] = new_id

    def flush(self) -> None:
        """Advance the counters and write rows, answers and audit entries with executemany."""
        connection, now = self.connection, utcnow()
        if self.own_versions:
            self.versions.save()
        if self.access_bumps:
            advance(connection, "access", self.access_bumps)
        table = _SYNC_ROW
        if self.inserted:
            connection.execute(
                insert(table),
                [
                    {
                        "table_name": row.table_name,
                        "row_id": row.row_id,
                        "version": row.version,
                        "data": row.data,
                        "deleted": row.deleted,
                        "customer_id": row.customer_id,
                        "grid_id": row.grid_id,
                        "manager_id": row.manager_id,
                        "updated_at": now,
                        "written_by": row.written_by,
                        "cascade_of": row.cascade_of,
                    }
                    for row in self.inserted.values()
                ],
            )
        if self.updated:
            connection.execute(
                update(table)
                .where(
                    table.c.table_name == bindparam("key_table", type_=table.c.table_name.type),
                    table.c.row_id == bindparam("key_row", type_=table.c.row_id.type),
                )
                .values(
                    version=bindparam("new_version", type_=table.c.version.type),
                    data=bindparam("new_data", type_=table.c.data.type),
                    deleted=bindparam("new_deleted", type_=table.c.deleted.type),
                    customer_id=bindparam("new_customer", type_=table.c.customer_id.type),
                    grid_id=bindparam("new_grid", type_=table.c.grid_id.type),
                    manager_id=bindparam("new_manager", type_=table.c.manager_id.type),
                    updated_at=bindparam("new_updated", type_=table.c.updated_at.type),
                    written_by=bindparam("new_writer", type_=table.c.written_by.type),
                    cascade_of=bindparam("new_cascade", type_=table.c.cascade_of.type),
                ),
                [
                    {
                        "key_table": row.table_name,
                        "key_row": row.row_id,
                        "new_version": row.version,
                        "new_data": row.data,
                        "new_deleted": row.deleted,
                        "new_customer": row.customer_id,
                        "new_grid": row.grid_id,
                        "new_manager": row.manager_id,
                        "new_updated": now,
                        "new_writer": row.written_by,
                        "new_cascade": row.cascade_of,
                    }
                    for row in self.updated.values()
                ],
            )
        if self.new_applied:
            connection.execute(insert(_APPLIED_OP), [{**a, "at": now} for a in self.new_applied])
        if self.audits:
            connection.execute(
                insert(_AUDIT), [{**a, "at": now, "note": None} for a in self.audits]
            )
        if self.new_aliases:
            connection.execute(
                insert(_ALIAS),
                [
                    {"table_name": t, "old_id": old, "new_id": new, "at": now}
                    for (t, old), new in self.new_aliases.items()
                ],
            )
        if self.new_refusals:
            gone = [{"t": t, "r": row_id} for t, row_id in self.new_refusals]
            connection.execute(
                delete(_REFUSAL).where(
                    _REFUSAL.c.table_name == bindparam("t", type_=_REFUSAL.c.table_name.type),
                    _REFUSAL.c.row_id == bindparam("r", type_=_REFUSAL.c.row_id.type),
                ),
                gone,
            )
            connection.execute(
                insert(_REFUSAL),
                [
                    {"table_name": t, "row_id": row_id, "cause": cause, "at": now}
                    for (t, row_id), cause in self.new_refusals.items()
                ],
            )


def _frozen_status(batch: PushBatch, table: str, data: dict[str, Any]) -> str | None:
    model = MODEL_BY_TABLE[table]
    if not issubclass(model, Frozen):
        return None
    if model.__frozen_parent__ is None:
        return data.get("status")
    parent_key = FROZEN_PARENT_OF[table]
    parent_id = _uuid_or_none(data.get(parent_key[1]))
    parent = batch.get(parent_key[0], parent_id) if parent_id else None
    return parent.data.get("status") if parent else None


def _conflict(
    batch: PushBatch, table: str, row: _Row, field: str, kept: Any, lost: Any, who: str
) -> None:
    conflict_id = uuid.uuid4()
    now = utcnow().isoformat()
    batch.write(
        "sync_conflict",
        conflict_id,
        {
            "id": str(conflict_id),
            "table_name": table,
            "row_id": str(row.row_id),
            "customer_id": str(row.customer_id) if row.customer_id else None,
            "field_name": field,
            "kept_value": kept,
            "lost_value": lost,
            "lost_by": who[:120],
            "detected_at": now,
            "resolved_at": None,
            "resolution": None,
        },
    )


def apply_operation(batch: PushBatch, op: Operation) -> dict[str, Any]:
    """Apply one operation; returns its result (``status`` applied/merged/conflict/rejected).

    A refusal (``rejected``) carries the contract's ``code``, ``fields`` and ``message_zh``;
    nothing of a refused operation is written, and a refused new row is remembered so the
    rows that depend on it are refused with ``parent_refused``.
    """
    result = _apply(batch, op)
    if result["status"] == "rejected" and op.table in MODEL_BY_TABLE:
        batch.note_refusal(op.table, batch.resolve(op.table, op.row_id), result)
    return result


def _apply(batch: PushBatch, op: Operation) -> dict[str, Any]:
    table = op.table
    if table not in MODEL_BY_TABLE:
        return _refusal("unknown_table", table, [], f"unknown table {table!r}")
    if table in OFFICE_TABLES and batch.account.role == "manager":
        return _refusal(
            "forbidden_table",
            table,
            [],
            "only supervisors and administrators may change this table",
        )
    writers = WRITER_ROLES.get(table)
    if writers is not None and batch.account.role not in writers:
        return _refusal(
            "forbidden_table", table, [], f"only {' and '.join(sorted(writers))} may write {table}"
        )
    row_id = batch.resolve(table, op.row_id)
    row = batch.get(table, row_id)
    if row is not None and not batch.row_visible(row):
        return _refusal("forbidden_reach", table, [], "forbidden: record of another grid")
    if op.op == "delete":
        return _delete(batch, op, row_id, row)
    problems = field_problems(table, op.fields)
    if problems:
        chosen = [p for p in problems if p.code == "invalid_value"] or problems
        return _refusal(
            chosen[0].code,
            table,
            sorted({p.field for p in chosen}),
            "; ".join(p.message for p in chosen),
        )
    fields = batch.repoint(table, op.fields)
    if row is None:
        return _create(batch, op, row_id, fields)
    return _edit(batch, op, row, fields)


def _delete(batch: PushBatch, op: Operation, row_id: uuid.UUID, row: _Row | None) -> dict[str, Any]:
    """A delete, unless it meets an edit (docs/SYNC_PROTOCOL.md, "Delete meets edit").

    The row (or a row its delete would cascade onto) changed on another device since the
    version this device deleted: the row stays alive, its version and those of its
    dependents are bumped so the deleting device gets them back, and a ``__deleted__``
    conflict records both sides. Otherwise the row and its dependents become tombstones;
    the dependents are marked with this delete, so an edit that revives the row revives
    them too. Conflict records are never deleted by a cascade.
    """
    table = op.table
    if row is None or row.deleted:
        # Already gone: by this push (its parent's delete cascaded onto it), or before it —
        # then the answer says so (``noop``): this delete removed nothing.
        by_this_push = (
            row is not None
            and row.written_by == batch.device.id
            and row.version > batch.versions.first
        )
        answer: dict[str, Any] = {"status": "applied", "version": row.version if row else None}
        if not by_this_push:
            answer["noop"] = True
        return answer
    if _frozen_status(batch, table, row.data) in FROZEN_STATUSES:
        return _refusal("frozen", table, [], "issued documents cannot be deleted")
    if any(parent in batch.kept_alive for parent in _cascade_parents(table, row)):
        batch.kept_alive.add((table, row_id))  # its parent's delete met an edit: so does this
        return {"status": "conflict", "code": "delete_edited", "version": row.version}
    dependents = batch.dependents(table, row_id)
    referrers = batch.referrers([row, *dependents])
    if referrers:  # the device store refuses it too (no ON DELETE): nothing is lost
        return _referenced(batch, table, referrers)
    # The row, and every row its delete would cascade onto, against the version the device
    # saw (a child whose own delete the push carries: that delete's base; any other: the
    # row's base, since pulls are complete up to their cursor). Written since by another
    # device: the delete loses. Cautious (a child the device had pulled later counts too):
    # the answer is a conflict to review, never a lost edit; deleting again then applies.
    bases = {(table, row_id): op.base_version, **batch.delete_bases}
    edited = [
        changed
        for changed in [row, *dependents]
        if changed.version > bases.get((changed.table_name, changed.row_id), op.base_version)
        and changed.written_by != batch.device.id
    ]
    if edited:
        return _keep_alive(batch, table, row, dependents, edited[0])
    row = batch.write(table, row_id, row.data, deleted=True)
    cause = f"{table}:{row_id}"
    for dependent in dependents:
        batch.write(
            dependent.table_name, dependent.row_id, dependent.data, deleted=True, cascade_of=cause
        )
    batch.audit("delete", table, row_id, cascaded=len(dependents))
    return {"status": "applied", "version": row.version}


def _referenced(batch: PushBatch, table: str, referrers: list[tuple[_Row, str]]) -> dict[str, Any]:
    """The refusal of a delete of a row that live rows still name through a foreign key
    without ``ON DELETE CASCADE``: ``referenced``, with those rows (the ones in reach)."""
    named = sorted(
        {
            (row.table_name, str(row.row_id), field)
            for row, field in referrers
            if batch.row_visible(row)
        }
    )
    tables = sorted({row.table_name for row, _field in referrers})
    result = _refusal(
        "referenced",
        table,
        [],
        f"{table} is still named by {len(referrers)} record(s): "
        + ", ".join(f"{t}.{f}" for t, f in sorted({(r.table_name, f) for r, f in referrers})),
    )
    result["message_zh"] = message_zh("referenced", table, [], referrers=tables)
    result["referenced_by"] = [{"table": t, "id": i, "field": f} for t, i, f in named]
    return result


def _cascade_parents(table: str, row: _Row) -> list[RowKey]:
    """The rows whose delete deletes this one (its customer, its parent record)."""
    parents = []
    for reference in rules(table).references:
        if reference.cascade and (target := _uuid_or_none(row.data.get(reference.field))):
            parents.append((reference.table, target))
    if row.customer_id is not None and table != "customer":
        parents.append(("customer", row.customer_id))
    return parents


def _keep_alive(
    batch: PushBatch, table: str, row: _Row, dependents: list[_Row], edited: _Row
) -> dict[str, Any]:
    """A delete that met an edit: the row and its dependents stay, under new versions."""
    editor, editor_device = batch.writer(edited.written_by)  # before the rows are rewritten
    edited_key = f"{edited.table_name}:{edited.row_id}"
    batch.kept_alive.add((table, row.row_id))
    for dependent in dependents:
        batch.write(dependent.table_name, dependent.row_id, dependent.data)
        batch.kept_alive.add((dependent.table_name, dependent.row_id))
    # Last: the row's version is then above its dependents', so a delete based on it (made
    # after the deleting laptop pulled them back) is not taken for one that missed them.
    kept = batch.write(table, row.row_id, row.data)
    _deleted_conflict(
        batch,
        table,
        kept,
        kept_by=(editor, editor_device),
        deleted_by=(batch.account.username, batch.device.name),
    )
    batch.audit("delete-edited", table, row.row_id, edited=edited_key)
    return {
        "status": "conflict",
        "code": "delete_edited",
        "version": kept.version,
        "conflicts": [DELETED_FIELD],
    }


#: ``field_name`` of the conflict record of a delete that met an edit.
DELETED_FIELD = "__deleted__"


def _deleted_conflict(
    batch: PushBatch,
    table: str,
    row: _Row,
    kept_by: tuple[str, str],
    deleted_by: tuple[str, str],
) -> None:
    """The ``__deleted__`` conflict: kept = who edited, lost = who deleted (user, device)."""
    _conflict(
        batch,
        table,
        row,
        DELETED_FIELD,
        {"state": "edited", "user": kept_by[0], "device": kept_by[1]},
        {"state": "deleted", "user": deleted_by[0], "device": deleted_by[1]},
        f"{deleted_by[0]}@{deleted_by[1]}",
    )


def _revive(batch: PushBatch, row: _Row) -> None:
    """Bring a deleted row back with what was deleted with it (and what it hangs on)."""
    root: RowKey = (row.table_name, row.row_id)
    if row.cascade_of:
        root_table, root_id = row.cascade_of.split(":", 1)
        root = (root_table, uuid.UUID(root_id))
    _revive_group(batch, root, set())
    if row.deleted:  # deleted on its own after its group
        _revive_group(batch, (row.table_name, row.row_id), set())


def _revive_group(batch: PushBatch, key: RowKey, seen: set[RowKey]) -> None:
    if key in seen:
        return
    seen.add(key)
    root = batch.get(*key)
    if root is None:
        return
    for parent_key in _cascade_parents(root.table_name, root) + _hard_references(
        root.table_name, root.data
    ):
        parent = batch.get(*parent_key)
        if parent is not None and parent.deleted:
            if parent.cascade_of:
                parent_table, parent_id = parent.cascade_of.split(":", 1)
                _revive_group(batch, (parent_table, uuid.UUID(parent_id)), seen)
            _revive_group(batch, parent_key, seen)
    if root.deleted:
        batch.write(root.table_name, root.row_id, root.data)
        batch.audit("revive", root.table_name, root.row_id)
    for tombstone in batch.tombstones_of(f"{key[0]}:{key[1]}"):
        batch.write(tombstone.table_name, tombstone.row_id, tombstone.data)


def _create(
    batch: PushBatch, op: Operation, row_id: uuid.UUID, fields: dict[str, Any]
) -> dict[str, Any]:
    table = op.table
    data = dict(fields)
    data["id"] = str(row_id)
    missing = missing_fields(table, data)
    if missing:
        return _refusal(
            "required", table, missing, f"missing required fields: {', '.join(missing)}"
        )
    for key in MERGE_KEYS.get(table, ()):
        values = tuple(data.get(field) for field in key)
        if all(value is not None for value in values):
            holder = batch.key_holder(table, key, values, row_id)
            if holder is not None:
                return _merge(batch, table, row_id, data, holder, key)
    refusal = _check_row(batch, table, row_id, data, None)
    if refusal is not None:
        return refusal
    row = batch.write(table, row_id, data)
    batch.audit("create", table, row_id)
    return {"status": "applied", "version": row.version}


#: Business keys that say "the same thing entered twice": a new row with the key of a live
#: row is merged into it. Document numbers are not among them (two documents that share a
#: number are refused ``duplicate_key``: merging them would lose one).
MERGE_KEYS: dict[str, tuple[tuple[str, ...], ...]] = {
    "customer": (("account_no",),),
    "park": (("name",),),
    "grid": (("name",),),
    "work_calendar": (("year",),),
    "user": (("username",),),
    "outage_notice": (("event_id", "customer_id"),),
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _merge(
    batch: PushBatch,
    table: str,
    old_id: uuid.UUID,
    data: dict[str, Any],
    kept: _Row,
    key: tuple[str, ...],
) -> dict[str, Any]:
    """A row created offline with the business key of a live row: merged into that row.

    The kept row keeps its id and values; its empty fields take the incoming values; every
    other differing value is kept in a conflict record (restorable). Later operations that
    name the incoming id are applied to the kept row (alias). The kept row always gets a new
    version, so every device — the sender too — pulls it.
    """
    if not batch.row_visible(kept):
        return _refusal(
            "duplicate_key",
            table,
            list(key),
            f"{table} {', '.join(key)} is used by a record outside your reach",
        )
    incoming = {k: v for k, v in data.items() if k != "id"}
    filled = {k: v for k, v in incoming.items() if _empty(kept.data.get(k)) and not _empty(v)}
    differing = [
        (k, kept.data.get(k), v)
        for k, v in incoming.items()
        if k not in filled and not _empty(v) and v != kept.data.get(k)
    ]
    changed = set(filled) | {k for k, _kept, _lost in differing}
    if changed:
        refusal = _check_row(batch, table, kept.row_id, {**kept.data, **incoming}, changed, kept)
        if refusal is not None:
            return refusal
    written = batch.write(table, kept.row_id, {**kept.data, **filled})
    batch.alias(table, old_id, kept.row_id)
    who = f"{batch.account.username}@{batch.device.name} (同一客户重复录入)"
    for field, kept_value, lost_value in differing:
        _conflict(batch, table, written, field, kept_value, lost_value, who)
    batch.audit(
        "merge",
        table,
        kept.row_id,
        merged=str(old_id),
        conflicts=[k for k, _kept, _lost in differing],
    )
    return {
        "status": "merged",
        "into": str(kept.row_id),
        "version": written.version,
        "conflicts": [k for k, _kept, _lost in differing],
    }


def _edit(batch: PushBatch, op: Operation, row: _Row, fields: dict[str, Any]) -> dict[str, Any]:
    table = op.table
    who = f"{batch.account.username}@{batch.device.name}"
    refusal = _edit_refusal(batch, table, row, fields)
    if refusal is not None:
        return refusal
    if row.deleted:  # edit beats delete: the row comes back, with what was deleted with it
        return _edit_revived(batch, op, row, fields)
    merged = dict(row.data)
    clashes = []
    for key, value in fields.items():
        server_value = row.data.get(key)
        if server_value == value:
            continue
        unchanged_on_server = op.base_version == row.version or (
            key in op.base and op.base[key] == server_value
        )
        if unchanged_on_server:
            merged[key] = value
        else:
            clashes.append((key, server_value, value))
    version = row.version
    if merged != row.data:
        version = batch.write(table, row.row_id, merged).version
    for key, kept, lost in clashes:
        _conflict(batch, table, row, key, kept, lost, who)
    batch.audit(
        "update",
        table,
        row.row_id,
        fields=sorted(fields),
        conflicts=[c[0] for c in clashes],
    )
    return {
        "status": "conflict" if clashes else "applied",
        "version": version,
        "conflicts": [c[0] for c in clashes],
    }


def _edit_refusal(
    batch: PushBatch, table: str, row: _Row, fields: dict[str, Any]
) -> dict[str, Any] | None:
    """Why an edit of a stored row is refused (issued document, integrity, reach), if it is."""
    status = _frozen_status(batch, table, row.data)
    if status in FROZEN_STATUSES:
        model = MODEL_BY_TABLE[table]
        assert issubclass(model, Frozen)  # only documents have a frozen status
        changed = {k for k, v in fields.items() if row.data.get(k) != v}
        illegal = sorted(changed - model.__mutable_after_issue__ - {"updated_at"})
        if illegal:
            return _refusal(
                "frozen", table, illegal, f"issued document: {', '.join(illegal)} cannot change"
            )
        # The document's own status may only move as the local guard allows (issued →
        # superseded): back to draft would reopen its content under the same number and hash.
        if (
            model.__frozen_parent__ is None
            and "status" in changed
            and (status, fields["status"]) not in ALLOWED_STATUS_MOVES
        ):
            return _refusal(
                "frozen",
                table,
                ["status"],
                f"issued document: status cannot go from {status} to {fields['status']}",
            )
    # Every value the operation brings is checked, also those that lose a clash: they are
    # kept in a conflict record, from which the manager may restore them.
    changed = {key for key, value in fields.items() if value != row.data.get(key)}
    if table == "attachment" and "sha256" in changed:  # its creator vouches for the content
        return _refusal("frozen", table, ["sha256"], "an attachment's content cannot change")
    if changed:
        return _check_row(batch, table, row.row_id, {**row.data, **fields}, changed, row)
    return None


def _edit_revived(
    batch: PushBatch, op: Operation, row: _Row, fields: dict[str, Any]
) -> dict[str, Any]:
    """An edit of a deleted row (checked already): the row is revived with the rows deleted
    with it and the rows it hangs on, the edit is applied, and a ``__deleted__`` conflict
    records who deleted it."""
    deleted_by = batch.writer(row.written_by)
    _revive(batch, row)
    result = _edit(batch, op, row, fields)
    _deleted_conflict(
        batch,
        op.table,
        row,
        kept_by=(batch.account.username, batch.device.name),
        deleted_by=deleted_by,
    )
    batch.audit("edit-revived", op.table, row.row_id)
    return {
        **result,
        "status": "conflict",
        "code": "edit_revived",
        "version": row.version,
        "conflicts": [DELETED_FIELD, *result.get("conflicts", [])],
    }


#: What a manager may change of a conflict record: its resolution, nothing it is about.
CONFLICT_RESOLUTION_FIELDS = frozenset({"resolved_at", "resolution"})


def _check_row(
    batch: PushBatch,
    table: str,
    row_id: uuid.UUID,
    data: dict[str, Any],
    changed: set[str] | None,
    old: _Row | None = None,
) -> dict[str, Any] | None:
    """The refusal of a new state ``data`` of a row, or ``None`` when it may be stored.

    ``changed``: the fields an edit changes (``None`` for a new row: every field counts).
    Checks, in order: a manager's customers stay in their grids; every row named through a
    foreign key or a soft reference exists, is not deleted and is within reach; the row
    belongs to someone the account may see; business keys stay unique.
    """

    def counts(field: str) -> bool:
        return changed is None or field in changed

    restricted = batch.restricted
    if table == "customer" and restricted and counts("grid_id"):
        grid_id = _uuid_or_none(data.get("grid_id"))
        if grid_id is None or grid_id not in batch.my_grids():
            if old is None:
                return _refusal(
                    "grid_required",
                    table,
                    ["grid_id"],
                    "forbidden: managers create customers only in their own grids",
                )
            return _refusal(
                "forbidden_reach",
                table,
                ["grid_id"],
                "forbidden: managers cannot move customers out of their grids",
            )
    for reference in rules(table).references:
        if not counts(reference.field):
            continue
        target_id = _uuid_or_none(data.get(reference.field))
        if target_id is None or (
            table == "customer" and reference.field == "grid_id" and restricted
        ):
            continue
        refusal = _check_target(batch, table, reference.field, reference.table, target_id)
        if refusal is not None:
            return refusal
    if table in SOFT_REFERENCES:
        refusal = _check_soft_reference(batch, table, data, counts, old)
        if refusal is not None:
            return refusal
    if restricted and table != "customer":
        owner = batch.owner_of(table, row_id, data)
        owner_field = PARENT_OF[table][1] if table in PARENT_OF else "customer_id"
        if owner is None:
            return _refusal(
                "forbidden_reach",
                table,
                [owner_field],
                "forbidden: a record must belong to a customer",
            )
        if not batch.can_see(owner):
            return _refusal(
                "forbidden_reach", table, [owner_field], "forbidden: record of another grid"
            )
    for key in rules(table).unique_keys:
        if not any(counts(field) for field in key):
            continue
        values = tuple(data.get(field) for field in key)
        if any(value is None for value in values):
            continue
        holder = batch.key_holder(table, key, values, row_id)
        if holder is not None:
            return _refusal(
                "duplicate_key",
                table,
                list(key),
                f"{table} {', '.join(key)} {values!r} is used by another record",
            )
    return None


def _check_target(
    batch: PushBatch, table: str, field: str, target_table: str, target_id: uuid.UUID
) -> dict[str, Any] | None:
    """A named row must exist, be alive and be within the account's reach."""
    target = batch.get(target_table, target_id)
    if target is None:
        cause = batch.refused_cause(target_table, target_id)
        if cause is not None:
            return _refusal(
                "parent_refused",
                table,
                [field],
                f"{target_table} {target_id} was refused: {cause.get('code')}",
                cause,
            )
    if target is None or target.deleted:
        return _refusal(
            "missing_reference",
            table,
            [field],
            f"{table}.{field} names a {target_table} that does not exist or was deleted",
        )
    if not batch.row_visible(target):
        return _refusal(
            "forbidden_reach", table, [field], "forbidden: names a record of another grid"
        )
    return None


def _check_soft_reference(
    batch: PushBatch,
    table: str,
    data: dict[str, Any],
    counts: Any,
    old: _Row | None,
) -> dict[str, Any] | None:
    """An attachment's owner, a conflict's record: they must exist and be within reach, and
    the row's customer must be theirs (a conflict record cannot be moved to another row)."""
    table_field, id_field = SOFT_REFERENCES[table]
    if table == "sync_conflict" and old is not None and batch.restricted:
        illegal = sorted(
            key
            for key in rules(table).checks
            if counts(key) and key not in CONFLICT_RESOLUTION_FIELDS | UNLOGGED_COLUMNS
        )
        if illegal:
            return _refusal(
                "forbidden_reach",
                table,
                illegal,
                "forbidden: only the resolution of a conflict record may change",
            )
    if not (counts(table_field) or counts(id_field) or counts("customer_id")):
        return None
    target_table = data.get(table_field)
    if target_table not in MODEL_BY_TABLE or target_table == "sync_conflict":
        return _refusal(
            "invalid_value", table, [table_field], f"{table}.{table_field} names no record kind"
        )
    if batch.restricted and target_table in OFFICE_TABLES:
        return _refusal(  # restoring it would write an office table by indirection
            "forbidden_reach",
            table,
            [table_field],
            f"forbidden: a manager's {table} cannot name a {target_table}",
        )
    target_id = _uuid_or_none(data.get(id_field))
    if target_id is None:
        return _refusal("required", table, [id_field], f"{table}.{id_field} may not be empty")
    target = batch.get(target_table, target_id)
    if target is None and table == "attachment" and (target_table, target_id) in batch.upcoming:
        return None  # its owner comes later in this push (a visit names its signature)
    if target is None or (target.deleted and table == "attachment"):
        cause = batch.refused_cause(target_table, target_id) if target is None else None
        if cause is not None:
            return _refusal(
                "parent_refused",
                table,
                [id_field],
                f"{target_table} {target_id} was refused: {cause.get('code')}",
                cause,
            )
        return _refusal(
            "missing_reference",
            table,
            [id_field],
            f"{table}.{id_field} names a {target_table} that does not exist or was deleted",
        )
    if not batch.row_visible(target):
        return _refusal(
            "forbidden_reach", table, [id_field], "forbidden: names a record of another grid"
        )
    owner = target.row_id if target_table == "customer" else target.customer_id
    if _uuid_or_none(data.get("customer_id")) != owner:
        return _refusal(
            "forbidden_reach",
            table,
            ["customer_id"],
            f"forbidden: {table}.customer_id is not the customer of the record it names",
        )
    return None


def push(
    session: Session,
    account: Account,
    device: Device,
    operations: list[Operation],
    versions: VersionCounter | None = None,
    restricted: bool | None = None,
) -> list[dict[str, Any]]:
    """Apply a batch in the caller's transaction; a retried op id returns its stored answer.

    ``versions``: the counter of a group commit (:func:`push_group`), advanced by the group.
    ``restricted=False``: the caller has checked the account's reach itself (the web
    console: a team member may move the referrals addressed to the team, in no grid of theirs).
    """
    if not operations:
        return []
    batch = PushBatch(session, account, device, versions)
    if restricted is not None:
        batch.restricted = restricted
    batch.prefetch(operations)
    results = _apply_all(batch, operations)
    batch.flush()
    return results


def _apply_all(batch: PushBatch, operations: list[Operation]) -> list[dict[str, Any]]:
    """The answers of one push's operations, applied in order on the batch's state.

    An operation naming a row that a *later* operation of the push creates (the client
    queues a flush's rows in no particular order) is applied right after that one, so the
    row it names exists when it is checked; answers keep the operations' order.
    """
    results: list[dict[str, Any] | None] = [None] * len(operations)
    batch.upcoming = {(op.table, op.row_id) for op in operations if op.op == "upsert"}
    batch.delete_bases = {
        (op.table, op.row_id): op.base_version for op in operations if op.op == "delete"
    }

    def cascade_parents(op: Operation) -> list[RowKey]:
        row = batch.rows.get((op.table, op.row_id))
        return _cascade_parents(op.table, row) if row is not None else []

    for index in _schedule(
        operations, lambda key: batch.rows.get(key) is not None, cascade_parents
    ):
        op = operations[index]
        done = batch.applied.get(op.op_id)
        if done is not None:
            results[index] = {**done, "op_id": str(op.op_id), "duplicate": True}
            continue
        result = apply_operation(batch, op)
        batch.record(op.op_id, result)
        results[index] = {**result, "op_id": str(op.op_id)}
    batch.upcoming, batch.delete_bases = set(), {}
    return cast(list[dict[str, Any]], results)


def _schedule(
    operations: list[Operation],
    exists: Callable[[RowKey], bool],
    cascade_parents: Callable[[Operation], list[RowKey]],
) -> list[int]:
    """The order to apply a push's operations in: as sent, except that an operation waits
    for the operations that create the rows it names (rows that do not ``exist`` yet), a
    delete waits for the delete of its parent (whose fate decides its own), and every
    operation waits for the earlier ones on its own row.
    Waiting only ever moves an operation later, so there are no cycles; what a loop of
    references leaves waiting runs at the end, in the order sent."""
    first_write: dict[RowKey, int] = {}
    first_delete: dict[RowKey, int] = {}
    for index, op in enumerate(operations):
        if op.op == "upsert" and not exists((op.table, op.row_id)):
            first_write.setdefault((op.table, op.row_id), index)
        elif op.op == "delete":
            first_delete.setdefault((op.table, op.row_id), index)
    previous_on_row: dict[RowKey, int] = {}
    needs: list[list[int]] = []
    for index, op in enumerate(operations):
        key = (op.table, op.row_id)
        wanted = [previous_on_row[key]] if key in previous_on_row else []
        previous_on_row[key] = index
        if op.op == "upsert" and op.table in MODEL_BY_TABLE:
            for target in _hard_references(op.table, op.fields):
                writer = first_write.get(target)
                if writer is not None and writer != index:
                    wanted.append(writer)
        elif op.op == "delete" and first_delete:
            for parent in cascade_parents(op):
                deleter = first_delete.get(parent)
                if deleter is not None and deleter != index:
                    wanted.append(deleter)
        needs.append(wanted)
    if not any(writer > index for index, wants in enumerate(needs) for writer in wants):
        return list(range(len(operations)))  # the usual case: nothing names a later row
    done: set[int] = set()
    order: list[int] = []
    waiting: dict[int, list[int]] = {}
    for first in range(len(operations)):
        stack = [first]
        while stack:
            index = stack.pop()
            blocker = next((w for w in needs[index] if w not in done), None)
            if blocker is None:
                done.add(index)
                order.append(index)
                stack.extend(reversed(waiting.pop(index, [])))
            else:
                waiting.setdefault(blocker, []).append(index)
    order += sorted(i for i in range(len(operations)) if i not in done)
    return order


def _push_together(
    session: Session,
    pushes: list[tuple[tuple[Account, Device], list[Operation]]],
    versions: VersionCounter,
) -> list[list[dict[str, Any]]]:
    """Several pushes as one batch: each applied in order on the state the ones before it
    left (as if committed one by one), with one prefetch and one flush for all of them."""
    batches: list[PushBatch] = []
    for (account, device), _operations in pushes:
        shared = batches[0] if batches else None
        batches.append(PushBatch(session, account, device, versions, shared_with=shared))
    root = batches[0]
    root.prefetch(
        [op for _signed_in, operations in pushes for op in operations],
        restricted=any(batch.restricted for batch in batches),
    )
    answers = [
        _apply_all(batch, operations)
        for batch, (_, operations) in zip(batches, pushes, strict=True)
    ]
    root.access_bumps = sum(batch.access_bumps for batch in batches)
    root.flush()
    return answers


@dataclass
class PushRequest:
    """One device's push waiting for a group commit: its bearer token and operations."""

    token: str | None
    operations: list[Operation]


def push_group(session: Session, requests: list[PushRequest]) -> list[Any]:
    """Several push requests in the caller's one transaction (group commit).

    Concurrent pushes then share one ``BEGIN``/``COMMIT`` (one fsync on PostgreSQL), one
    counter lock and one counter update, instead of queueing on the counter row one commit
    after another. The requests are applied in arrival order, each seeing the ones before
    it, exactly as if they had committed one by one: first all together as one batch (one
    prefetch, one flush) inside a ``SAVEPOINT``; if anything fails there, that savepoint is
    rolled back and each request is applied again in its own savepoint, so a request that
    fails is rolled back alone and hands its versions back: the others get the same answers
    as on their own and versions keep no gaps.

    Returns, per request, its results or the exception that failed it (:class:`AuthError`
    for a bad token). Devices are authenticated before the counter is locked: the same lock
    order (device row, then counter) as every other writer, so no deadlock between them.
    """
    outcomes: list[Any] = [None] * len(requests)
    signed_in: dict[int, tuple[Account, Device]] = {}
    for index, found in enumerate(authenticate_many(session, [r.token for r in requests])):
        if isinstance(found, AuthError):
            outcomes[index] = found
        else:
            signed_in[index] = found
    if not signed_in:
        return outcomes
    versions = VersionCounter(session)
    try:
        with session.begin_nested():
            answers = _push_together(
                session,
                [(who, requests[index].operations) for index, who in signed_in.items()],
                versions,
            )
    except Exception:  # some push failed: redo them one by one, so that it fails alone
        versions.value = versions.first
    else:
        for index, results in zip(signed_in, answers, strict=True):
            outcomes[index] = results
        versions.save()
        return outcomes
    for index, who in signed_in.items():
        first = versions.value
        try:
            with session.begin_nested():
                outcomes[index] = push(session, *who, requests[index].operations, versions)
        except Exception as error:  # this request fails alone; its savepoint is rolled back
            versions.value = first
            outcomes[index] = error
    versions.save()
    return outcomes


# ------------------------------------------------------------------ pull


@dataclass
class PullPage:
    """One page of a pull: each change is its finished JSON text (see :class:`PullCache`)."""

    changes: list[str]
    cursor: int
    more: bool
    access_epoch: int
    server_time: str

    def to_json(self) -> bytes:
        """The answer body: ``{"changes": [...], "cursor", "more", "access_epoch", "server_time"}``."""
        tail = json.dumps(
            {
                "cursor": self.cursor,
                "more": self.more,
                "access_epoch": self.access_epoch,
                "server_time": self.server_time,
            }
        )
        return f'{{"changes":[{",".join(self.changes)}],{tail[1:]}'.encode()

    def as_dict(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.to_json()))


class PullCache:
    """The JSON text of row versions, shared by the pulls of every device (one per database).

    A version number names one state of one row for good: every write takes a new number. So
    the text of a change — with the stored JSON spliced in as is, never parsed and
    re-encoded — is built once and every pull that returns that version reuses it; a pull
    then reads only version numbers for what other devices already pulled (at 200 devices
    pulling the same new rows, most of a pull's cost otherwise). Lost on restart: a
    database restored under a running server would need a restart anyway.
    """

    LIMIT = 200_000  # entries (a few hundred bytes each); the cache starts over beyond it

    def __init__(self) -> None:
        self.changes: dict[int, str] = {}

    def get(self, version: int) -> str | None:
        return self.changes.get(version)

    def put(self, version: int, change: str) -> None:
        if len(self.changes) >= self.LIMIT:
            self.changes = {}
        self.changes[version] = change


def _dashed(row_id: str) -> str:
    """A UUID's canonical text: SQLite stores 32 hex digits, PostgreSQL gives it dashed."""
    if len(row_id) == 32:
        return f"{row_id[:8]}-{row_id[8:12]}-{row_id[12:16]}-{row_id[16:20]}-{row_id[20:]}"
    return row_id


#: Versions per ``IN (…)`` list when reading rows: well below SQLite's parameter limit.
_PULL_CHUNK = 500
#: The rows of some versions, as plain text (no per-row conversion); table names are
#: ``MODEL_BY_TABLE`` keys, safe to splice.
_PULL_ROWS = select(
    SyncRow.version,
    SyncRow.table_name,
    SyncRow.row_id.cast(Text),
    SyncRow.deleted,
    SyncRow.data.cast(Text),
).where(SyncRow.version.in_(bindparam("versions", expanding=True)))
#: The versions supervisors and administrators pull, built once (its cache key is memoised).
_PULL_EVERYTHING = (
    select(SyncRow.version)
    .where(SyncRow.version > bindparam("cursor"))
    .order_by(SyncRow.version)
    .limit(bindparam("limit"))
)


def pull(
    session: Session,
    account: Account,
    cursor: int,
    limit: int,
    customer_ids: list[uuid.UUID] | None = None,
    cache: PullCache | None = None,
    access_epoch: int | None = None,
) -> PullPage:
    """Changes after ``cursor`` the account may see, oldest first; ``more`` says if a page follows.

    ``access_epoch``: the ``access`` counter, when the caller read it already.

    Cursor safety: versions come from the ``change`` counter row, which every writer locks
    until it commits, so versions become visible in commit order and ``version > cursor``
    never skips a change that commits later (docs/SYNC_PROTOCOL.md). The page's versions
    are read first, then the rows not in ``cache``; on PostgreSQL (READ COMMITTED) a row
    may have been written again in between: its old version is left out of this page, and
    its new one, committed later, is above this page's cursor and comes with the next pull.
    """
    cache = cache if cache is not None else PullCache()
    connection = session.connection()
    versions = _versions_after(connection, account, customer_ids, cursor, limit + 1)
    texts = _change_texts(connection, versions[:limit], cache)
    if access_epoch is None:
        access_epoch = current_value(session, "access")
    return _with_users(
        connection, account, _page(versions, cursor, limit, texts, access_epoch), cache
    )


def _with_users(
    connection: Connection, account: Account, page: PullPage, cache: PullCache
) -> PullPage:
    """A manager's page with the other managers its rows name (see :mod:`.reach`)."""
    if visible_customers(account) is not None and page.changes:
        page.changes += reach.user_supplement(
            connection,
            account,
            page.changes,
            lambda versions: _change_texts(connection, versions, cache),
        )
    return page


def _versions_statement(account: Account, customer_ids: list[uuid.UUID] | None) -> Any:
    """The versions above ``:cursor`` the account may see (of ``customer_ids`` if given)."""
    visible = visible_customers(account)
    if customer_ids is None and visible is None:
        return _PULL_EVERYTHING
    # Rows of no customer, and rows of the visible (or asked for) customers: each part is a
    # range scan of the (customer_id, version) index, so a pull costs what it returns. One
    # filter over the version index instead walks every row above the cursor: at a million
    # customers a manager's first pull read the whole table (docs/BENCHMARKS.md, scale).
    owned: ColumnElement[bool] = SyncRow.customer_id.in_(
        customer_ids if customer_ids is not None else visible
    )
    if customer_ids is not None and visible is not None:
        owned = and_(owned, SyncRow.customer_id.in_(visible))
    conditions = [owned] if customer_ids is not None else [reach.global_rows(account), owned]
    parts = [
        select(SyncRow.version)
        .where(condition, SyncRow.version > bindparam("cursor"))
        .order_by(SyncRow.version)
        .limit(bindparam("limit"))
        .subquery()
        for condition in conditions
    ]
    merged = union_all(*(select(part.c.version) for part in parts)).subquery()
    return select(merged.c.version).order_by(merged.c.version).limit(bindparam("limit"))


def _versions_after(
    connection: Connection,
    account: Account,
    customer_ids: list[uuid.UUID] | None,
    cursor: int,
    count: int,
) -> list[int]:
    """The first ``count`` versions above ``cursor`` the account may see, ascending."""
    statement = _versions_statement(account, customer_ids)
    # ``all()`` fetches every row at once: iterating a result fetches them one call at a time
    # (on psycopg most of a pull's cost when it returns a few hundred versions).
    return list(connection.scalars(statement, {"cursor": cursor, "limit": count}).all())


def _change_texts(connection: Connection, versions: list[int], cache: PullCache) -> dict[int, str]:
    """The JSON text of each version's change: from ``cache``, else read (and cached).

    A version missing from the answer was written again since it was listed (see :func:`pull`).
    """
    found = {version: change for version in versions if (change := cache.get(version))}
    missing = sorted({version for version in versions if version not in found})
    for start in range(0, len(missing), _PULL_CHUNK):
        chunk = missing[start : start + _PULL_CHUNK]
        for version, table, row_id, deleted, data in connection.execute(
            _PULL_ROWS, {"versions": chunk}
        ).all():
            change = (
                f'{{"table":"{table}","id":"{_dashed(row_id)}","version":{version},'
                f'"deleted":{"true" if deleted else "false"},"data":{data or "null"}}}'
            )
            found[version] = change
            cache.put(version, change)
    return found


def _page(
    versions: list[int], cursor: int, limit: int, texts: dict[int, str], access_epoch: int
) -> PullPage:
    """The page of the first ``limit + 1`` versions above ``cursor`` (one more says "more")."""
    more = len(versions) > limit
    versions = versions[:limit]
    return PullPage(
        changes=[texts[version] for version in versions if version in texts],
        cursor=versions[-1] if versions else cursor,
        more=more,
        access_epoch=access_epoch,
        server_time=datetime.now(UTC).isoformat(),  # with offset: time zones never skew
    )


@dataclass
class PullRequest:
    """One device's pull waiting for its group: bearer token, cursor, page size, filter."""

    token: str | None
    cursor: int
    limit: int
    customer_ids: list[uuid.UUID] | None = None


def pull_group(
    session: Session, requests: list[PullRequest], cache: PullCache | None = None
) -> list[PullPage | Exception]:
    """Several pulls in the caller's one transaction, answered exactly as one by one.

    One query authenticates them all and the ``access`` counter is read once. Pulls that see
    the same rows (the same account filter, no customer list) and whose cursors are near one
    another share one versions query and one read of the rows, instead of a transaction, an
    authentication, two queries and a counter read each (see :func:`_shared_pulls`).

    Returns, per request, its page or the exception that failed it (:class:`AuthError` for a
    bad token); if any pull fails unexpectedly, the group's savepoint is rolled back and each
    pull runs again in its own, so only that one fails.
    """
    cache = cache if cache is not None else PullCache()
    signed_in = authenticate_many(session, [request.token for request in requests])
    access_epoch = current_value(session, "access")
    pending = {i: who for i, who in enumerate(signed_in) if not isinstance(who, AuthError)}
    pages: dict[int, PullPage | Exception]
    try:
        with session.begin_nested():
            pages = dict(_shared_pulls(session, requests, pending, cache, access_epoch))
    except Exception:  # some pull failed: redo them one by one, so that it fails alone
        pages = {
            index: _pull_alone(session, requests[index], account, cache, access_epoch)
            for index, (account, _device) in pending.items()
        }
    return [
        who if isinstance(who, AuthError) else pages[index] for index, who in enumerate(signed_in)
    ]


def _pull_alone(
    session: Session, request: PullRequest, account: Account, cache: PullCache, access_epoch: int
) -> PullPage | Exception:
    """One pull in its own savepoint: its page, or the error that failed it alone."""
    try:
        with session.begin_nested():
            return pull(
                session,
                account,
                request.cursor,
                request.limit,
                request.customer_ids,
                cache,
                access_epoch,
            )
    except Exception as error:  # rolled back to the savepoint; the group goes on
        return error


#: Pulls share a versions query when their cursors are at most this far below the highest
#: cursor of their kind: the shared query then reads at most this many versions more than
#: the largest page (a device far behind, e.g. on its first sync, pulls on its own).
SHARED_PULL_SPAN = 2000


def _shared_pulls(
    session: Session,
    requests: list[PullRequest],
    signed_in: dict[int, tuple[Account, Device]],
    cache: PullCache,
    access_epoch: int,
) -> dict[int, PullPage]:
    """The pages of ``signed_in`` requests (by index), with as few queries as possible.

    Requests are grouped by what they may see: everything (supervisors, administrators) or
    one manager's customers; a request with a customer list pulls on its own. Within a kind,
    the requests near the highest cursor share one query from the lowest of their cursors,
    with a limit of (highest − lowest cursor) + the largest page + 1. Versions are distinct
    integers, so at most (highest − lowest) of them lie between the two cursors, and every
    request finds its ``limit + 1`` next versions in the answer, or the answer reaches the
    newest version: its page is exactly what its own query would return.
    """
    connection = session.connection()
    kinds: dict[Any, list[int]] = {}
    alone: list[int] = []
    for index, (account, _device) in signed_in.items():
        if requests[index].customer_ids is not None:
            alone.append(index)
        else:
            kind = None if visible_customers(account) is None else account.user_id
            kinds.setdefault(kind, []).append(index)
    windows: dict[int, list[int]] = {}  # per request: its first limit + 1 versions
    for members in kinds.values():
        highest = max(requests[index].cursor for index in members)
        near = [i for i in members if requests[i].cursor >= highest - SHARED_PULL_SPAN]
        alone += [i for i in members if requests[i].cursor < highest - SHARED_PULL_SPAN]
        lowest = min(requests[index].cursor for index in near)
        largest = max(requests[index].limit for index in near)
        account = signed_in[near[0]][0]
        shared = _versions_after(connection, account, None, lowest, highest - lowest + largest + 1)
        for index in near:
            first = bisect.bisect_right(shared, requests[index].cursor)
            windows[index] = shared[first : first + requests[index].limit + 1]
    for index in alone:
        request = requests[index]
        windows[index] = _versions_after(
            connection,
            signed_in[index][0],
            request.customer_ids,
            request.cursor,
            request.limit + 1,
        )
    wanted = [
        version for index, window in windows.items() for version in window[: requests[index].limit]
    ]
    texts = _change_texts(connection, wanted, cache)
    return {
        index: _with_users(
            connection,
            signed_in[index][0],
            _page(window, requests[index].cursor, requests[index].limit, texts, access_epoch),
            cache,
        )
        for index, window in windows.items()
    }


def visible_customer_list(session: Session, account: Account) -> list[str]:
    visible = visible_customers(account)
    statement = select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.deleted.is_(False)
    )
    if visible is not None:
        statement = statement.where(SyncRow.row_id.in_(visible))
    return sorted(str(i) for i in session.scalars(statement))
