"""One push as a batch: the operations, the rows they read and write, the versions they take
and the answers, read and written together with Core statements (``PushBatch``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session

from keyacct_desktop.protocol.rules import (
    SOFT_REFERENCES,
    dependents_of,
    message_zh,
    rules,
)
from keyacct_desktop.server import moves
from keyacct_desktop.server.access import manager_grids, restricted
from keyacct_desktop.server.models import (
    Account,
    AppliedOp,
    AuditEntry,
    Device,
    SyncAlias,
    SyncRefusal,
    SyncRow,
)
from keyacct_desktop.server.rows import GLOBAL_TABLES, PARENT_OF, advance
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.models import MODEL_BY_TABLE


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
        self.restricted = restricted(account)
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
        excepted: they are never deleted by a cascade. Includes rows written by this batch,
        as this batch left them: a contact this push moved to another customer is matched
        by the database's copy but no longer belongs to the deleted one."""
        found: dict[RowKey, _Row] = {}
        pending = [*self.inserted.values(), *self.updated.values()]
        if table == "customer":  # every row of a customer, grandchildren included
            for db_row in self.connection.execute(
                select(*_ROW_COLUMNS).where(
                    SyncRow.customer_id == row_id, SyncRow.deleted.is_(False)
                )
            ).all():
                row = self._adopt(db_row)
                if row.customer_id == row_id:
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
                    matches += [row for row in pending if row.table_name == child_table]
                    matches = [  # as this batch left them (a reference it changed counts)
                        row
                        for row in matches
                        if _uuid_or_none(row.data.get(reference.field)) == parent_id
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
