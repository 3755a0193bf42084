"""Push: the outgoing change log sent in batches; each local edit has a ``PendingChange`` with
a stable ``op_id``, removed only when the server has answered. A retried batch gets the
stored answers back (the server remembers op ids), so nothing is applied twice. Refused
changes stay on the laptop, their dependants held with them."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    and_,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, StatementError

from keyacct_desktop.progress import TaskState
from keyacct_desktop.protocol.codec import (
    FieldError,
    columns,
    decoders,
)
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import (
    PendingChange,
    SyncBase,
    SyncRefused,
)
from keyacct_desktop.store.models import MODEL_BY_TABLE
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)
from keyacct_desktop.sync.transport import (
    SyncError,
)

if TYPE_CHECKING:
    pass
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.state import (
    IN_CHUNK,
    SyncReport,
    _children,
    _foreign_keys,
    _load_values,
    _table,
    _write_bases,
    get_state_in,
    pending_count,
    set_state,
)

#: Operations per push request: the server's limit (``server.app.MAX_BATCH``).
PUSH_BATCH = 1000


def _batch_bases(
    session: Any, first: int, last: int
) -> dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]]:
    """The merge bases of the rows of pending changes ``first``..``last`` (one batch: later
    edits get higher numbers), joined in SQL instead of binding thousands of ids."""
    found: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for table, row_id, version, data in session.execute(
        select(SyncBase.table_name, SyncBase.row_id, SyncBase.version, SyncBase.data)
        .join(
            PendingChange,
            and_(
                PendingChange.table_name == SyncBase.table_name,
                PendingChange.row_id == SyncBase.row_id,
            ),
        )
        .where(PendingChange.seq.between(first, last))
    ):
        found[(table, row_id)] = (version, data)
    return found


def _build_batch(store: Store) -> tuple[list[int], list[dict[str, Any]]]:
    """The next batch of operations, in edit order, with per-row working bases.

    Bases and row values are read by joining the batch's pending changes (one query per
    table), not two lookups per change: a first sync pushes tens of thousands of rows.
    """
    with store.read() as session:
        pending = session.execute(
            select(
                PendingChange.seq,
                PendingChange.op_id,
                PendingChange.table_name,
                PendingChange.row_id,
                PendingChange.op,
                PendingChange.fields,
            )
            .order_by(PendingChange.seq)
            .limit(PUSH_BATCH)
        ).all()
        if not pending:
            return [], []
        batch = (pending[0].seq, pending[-1].seq)
        loaded = _batch_bases(session, *batch)
        bases = {key: (version, dict(data)) for key, (version, data) in loaded.items()}
        wanted = {
            change.table_name
            for change in pending
            if change.op != "delete" and change.table_name in MODEL_BY_TABLE
        }
        rows = {table: _load_values(session, table, [], wire=True, batch=batch) for table in wanted}
    seqs: list[int] = []
    ops: list[dict[str, Any]] = []
    for change in pending:
        seqs.append(change.seq)
        key = (change.table_name, change.row_id)
        base_version, base_data = bases.setdefault(key, (0, {}))
        if change.table_name not in MODEL_BY_TABLE:
            continue
        if change.op == "delete":
            ops.append(
                {
                    "op_id": str(change.op_id),
                    "table": change.table_name,
                    "id": str(change.row_id),
                    "op": "delete",
                    "base_version": base_version,
                    "fields": {},
                    "base": {},
                }
            )
            continue
        values = rows[change.table_name].get(change.row_id)
        if values is None:
            continue  # deleted since; its delete op follows in the log
        known = columns(change.table_name)  # bookkeeping columns never travel
        fields = {name: values[name] for name in change.fields if name in known}
        ops.append(
            {
                "op_id": str(change.op_id),
                "table": change.table_name,
                "id": str(change.row_id),
                "op": "upsert",
                "base_version": base_version,
                "fields": fields,
                "base": {name: base_data.get(name) for name in fields if name in base_data},
            }
        )
        base_data.update(fields)  # the next op on this row is based on this one
    return seqs, ops


def _set_versions(session: Any, versions: dict[tuple[str, uuid.UUID], int]) -> None:
    """Record the server's version of pushed rows on the rows themselves (bookkeeping, never
    logged), so that when they come back in the pull they are already up to date."""
    by_table: dict[str, list[dict[str, Any]]] = {}
    for (table, row_id), version in versions.items():
        if table in MODEL_BY_TABLE:
            by_table.setdefault(table, []).append({"key_id": row_id, "new_version": version})
    for table, rows in by_table.items():
        target = _table(MODEL_BY_TABLE[table])
        session.execute(
            update(target)
            .where(target.c.id == bindparam("key_id", type_=target.c.id.type))
            .values(version=bindparam("new_version", type_=target.c.version.type)),
            rows,
        )


#: Refusal codes by a fragment of an older server's English answer (it sent no code).
_LEGACY_CODES = (
    ("unknown table", "unknown_table"),
    ("only supervisors", "forbidden_table"),
    ("own grids", "grid_required"),
    ("out of their grids", "forbidden_reach"),
    ("another grid", "forbidden_reach"),
    ("issued document", "frozen"),
    ("missing required fields", "required"),
    ("wrong type", "invalid_value"),
    ("longer than", "invalid_value"),
    ("may not be empty", "required"),
)


def refusal_code(result: dict[str, Any]) -> str:
    """The machine-readable reason of a refusal (inferred from the text for older servers)."""
    if result.get("code"):
        return str(result["code"])
    error = str(result.get("error") or "")
    for fragment, code in _LEGACY_CODES:
        if fragment in error:
            return code
    return "refused"


def _refusal_fields(result: dict[str, Any]) -> list[str]:
    """The fields a refusal names; older servers named them only in the English text."""
    if result.get("fields"):
        return [str(name) for name in result["fields"]]
    error = str(result.get("error") or "")
    if "missing required fields:" in error:
        return [name.strip() for name in error.split(":", 1)[1].split(",") if name.strip()]
    head = error.split(" ", 1)[0]
    if "." in head:
        return [head.split(".", 1)[1]]
    return []


def _settle_answers(
    session: Any,
    order: dict[str, int],
    ops: list[dict[str, Any]],
    by_op: dict[str, dict[str, Any]],
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]],
    report: SyncReport,
) -> None:
    """What the server's answers mean for this laptop, beyond "applied".

    * ``rejected``: the change is kept as needing attention (``sync_refused``), never dropped.
      A refused create stays on this laptop only; a refused edit or delete of a record the
      server has is undone here (the laptop shows the server's record) and the user's own
      values stay with the refusal, to be resent or discarded.
    * ``merged``: the record duplicated one the server already had (same business key): local
      references move to the kept record and the duplicate goes, without queuing a delete.
    * a conflict on a record the server keeps deleted (an older server): the row goes here too;
      the edit is kept in the server's conflict record.
    """
    refetch: set[str] = set()
    session.execute(text("PRAGMA defer_foreign_keys = ON"))  # references move in steps
    for op in ops:
        result = by_op.get(op["op_id"], {})
        status = result.get("status")
        table, row_id = op["table"], uuid.UUID(op["id"])
        if status == "rejected":
            _keep_refused(
                session, op, result, bases.get((table, row_id)), order.get(op["op_id"], 0)
            )
            report.refused += 1
            if op["op"] == "delete":
                customer = _customer_id(session, table, row_id, bases.get((table, row_id)))
                if customer is not None:  # rows deleted with it by cascade come back too
                    refetch.add(str(customer))
        elif status == "merged" and result.get("into"):
            into = uuid.UUID(str(result["into"]))
            if into != row_id:
                _merge_into(session, table, row_id, into)
            customer = _customer_id(session, table, into, None)
            if customer is not None:
                refetch.add(str(customer))
        elif status == "conflict" and op["op"] == "delete":
            # delete_edited: someone edited it meanwhile, so the server keeps it. It comes back
            # in the pull; rows deleted here with it by cascade come back with its customer.
            customer = _customer_id(session, table, row_id, bases.get((table, row_id)))
            if customer is not None:
                refetch.add(str(customer))
        elif (
            status == "conflict"
            and op["op"] == "upsert"
            and not result.get("code")
            and result.get("error") == "record was deleted"
        ):
            target = _table(MODEL_BY_TABLE[table])
            session.execute(delete(target).where(target.c.id == row_id))
    if refetch:
        known = get_state_in(session, "refetch_customers") or []
        set_state(session, "refetch_customers", sorted(set(known) | refetch))


def _customer_id(
    session: Any,
    table: str,
    row_id: uuid.UUID,
    base: tuple[int, dict[str, Any]] | None,
) -> uuid.UUID | None:
    """The customer a record belongs to (itself for a customer), from the row or its base."""
    if table == "customer":
        return row_id
    if "customer_id" not in columns(table):
        return None
    target = _table(MODEL_BY_TABLE[table])
    found = session.scalar(select(target.c.customer_id).where(target.c.id == row_id))
    if found is None and base is not None and base[1].get("customer_id"):
        try:
            found = uuid.UUID(str(base[1]["customer_id"]))
        except ValueError:
            return None
    return found


def _keep_refused(
    session: Any,
    op: dict[str, Any],
    result: dict[str, Any],
    base: tuple[int, dict[str, Any]] | None,
    seq: int,
) -> None:
    """Record a refused operation as needing attention (merging with an earlier refusal of
    the same record) and undo a refused edit or delete of a record the server has."""
    table, row_id = op["table"], uuid.UUID(op["id"])
    created = op["op"] == "upsert" and not op["base_version"]
    cause = result.get("cause") or {}
    cause_table = cause.get("table")
    cause_id = _uuid_or_none(cause.get("id"))
    entry = session.get(SyncRefused, (table, row_id))
    if entry is None:
        entry = SyncRefused(table_name=table, row_id=row_id, seq=seq, fields=[], values={})
        session.add(entry)
    else:
        entry.seq = min(entry.seq, seq)
    entry.op = op["op"]
    entry.created = created or bool(entry.created)
    entry.fields = sorted(set(entry.fields or []) | set(op["fields"]))
    entry.values = {**(entry.values or {}), **op["fields"]}
    entry.code = refusal_code(result)
    entry.error_fields = _refusal_fields(result)
    entry.message_zh = result.get("message_zh")
    entry.error = str(result.get("error") or "")
    entry.cause_table = cause_table if cause_id else None
    entry.cause_id = cause_id
    entry.refused_at = utcnow()
    if entry.created and entry.cause_id is None:
        entry.cause_table, entry.cause_id = _refused_parent(session, table, row_id)
    session.flush()
    if entry.created or table not in MODEL_BY_TABLE or base is None:
        return
    model_table = _table(MODEL_BY_TABLE[table])
    decode = decoders(table)
    if op["op"] == "delete":
        # The server keeps the record: put it back as the server has it.
        values: dict[str, Any] = {}
        try:
            values = {k: decode[k](v) for k, v in base[1].items() if k in decode}
        except (FieldError, ValueError):
            return
        values["id"], values["version"] = row_id, base[0]
        savepoint = session.begin_nested()
        try:
            session.execute(insert(model_table), [values])
        except (DBAPIError, StatementError):
            savepoint.rollback()  # its parent went too: the refetch brings both back
        else:
            savepoint.commit()
        return
    restore = {}
    for name in op["fields"]:
        if name in base[1] and name in decode:
            try:
                restore[name] = decode[name](base[1][name])
            except (FieldError, ValueError):
                continue
    if restore:
        savepoint = session.begin_nested()
        try:
            session.execute(update(model_table).where(model_table.c.id == row_id).values(restore))
        except (DBAPIError, StatementError):
            savepoint.rollback()
        else:
            savepoint.commit()


def _uuid_or_none(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _refused_parent(
    session: Any, table: str, row_id: uuid.UUID
) -> tuple[str | None, uuid.UUID | None]:
    """The refused record (never stored by the server) that this record refers to, if any."""
    if table not in MODEL_BY_TABLE:
        return None, None
    target = _table(MODEL_BY_TABLE[table])
    references = [(column, parent) for column, parent, _c in _foreign_keys(table)]
    names = [column for column, _parent in references]
    if "owner_table" in target.c:
        names += ["owner_table", "owner_id"]
    if not names:
        return None, None
    row = session.execute(
        select(*(target.c[name] for name in names)).where(target.c.id == row_id)
    ).first()
    if row is None:
        return None, None
    values = dict(zip(names, row, strict=True))
    candidates = [(parent, values[column]) for column, parent in references]
    if values.get("owner_table") and values.get("owner_id"):
        candidates.insert(0, (values["owner_table"], values["owner_id"]))
    for parent, parent_id in candidates:
        if parent_id is None:
            continue
        held = session.get(SyncRefused, (parent, parent_id))
        if held is not None and held.created:
            return parent, parent_id
    return None, None


def _hold_dependants(store: Store) -> None:
    """Keep back local changes of refused new records, and of records that depend on one:
    the server would refuse them too. They join the refusal (needing attention) and are
    resent with it once fixed."""
    with store.read() as session:
        if not session.scalar(
            select(func.count()).select_from(SyncRefused).where(SyncRefused.created.is_(True))
        ):
            return
    with store.begin() as session:
        entries = {(e.table_name, e.row_id): e for e in session.scalars(select(SyncRefused))}
        held = {key for key, entry in entries.items() if entry.created}
        changes = session.scalars(select(PendingChange).order_by(PendingChange.seq)).all()
        parents = _parents_of(session, changes)  # one query per table, not per change
        gone: set[int] = set()
        moved = True
        while moved:
            moved = False
            for change in changes:
                if change.seq in gone or change.table_name not in MODEL_BY_TABLE:
                    continue
                key = (change.table_name, change.row_id)
                entry = entries.get(key)
                if entry is not None:
                    if not entry.created:
                        continue  # an edit of a record the server has: it goes as usual
                    if change.op == "delete":
                        session.delete(entry)  # a record that never reached the server: gone
                        del entries[key]
                        held.discard(key)
                    else:
                        entry.fields = sorted(set(entry.fields or []) | set(change.fields))
                    session.delete(change)
                    gone.add(change.seq)
                    moved = True
                    continue
                if change.op == "delete":
                    continue
                cause = next((p for p in parents.get(key, ()) if p in held), None)
                if cause is None:
                    continue
                entry = SyncRefused(
                    table_name=change.table_name,
                    row_id=change.row_id,
                    op="upsert",
                    created=session.get(SyncBase, key) is None,
                    fields=list(change.fields),
                    values={},
                    code="parent_refused",
                    error_fields=[],
                    message_zh=None,
                    error="depends on a refused record",
                    cause_table=cause[0],
                    cause_id=cause[1],
                    seq=change.seq,
                    refused_at=utcnow(),
                )
                session.add(entry)
                entries[key] = entry
                held.add(key)
                session.delete(change)
                gone.add(change.seq)
                moved = True
        _forget_vanished(session)


def _parents_of(
    session: Any, changes: Sequence[PendingChange]
) -> dict[tuple[str, uuid.UUID], list[tuple[str, uuid.UUID]]]:
    """The records each pending row refers to (foreign keys and an attachment's owner)."""
    by_table: dict[str, list[uuid.UUID]] = {}
    for change in changes:
        if change.op != "delete" and change.table_name in MODEL_BY_TABLE:
            by_table.setdefault(change.table_name, []).append(change.row_id)
    found: dict[tuple[str, uuid.UUID], list[tuple[str, uuid.UUID]]] = {}
    for table, ids in by_table.items():
        target = _table(MODEL_BY_TABLE[table])
        references = [(column, parent) for column, parent, _c in _foreign_keys(table)]
        owner = "owner_table" in target.c
        if not references and not owner:
            continue
        names = [column for column, _parent in references]
        if owner:
            names += ["owner_table", "owner_id"]
        for start in range(0, len(ids), IN_CHUNK):
            for row in session.execute(
                select(target.c.id, *(target.c[name] for name in names)).where(
                    target.c.id.in_(ids[start : start + IN_CHUNK])
                )
            ):
                values = dict(zip(names, row[1:], strict=True))
                refs = [(parent, values[column]) for column, parent in references]
                if owner and values.get("owner_table") and values.get("owner_id"):
                    refs.insert(0, (values["owner_table"], values["owner_id"]))
                found[(table, row[0])] = [(t, i) for t, i in refs if i is not None]
    return found


def _forget_vanished(session: Any) -> None:
    """Refused new records that no longer exist here (deleted, or gone with their parent)
    have nothing left to send: their refusals go."""
    for entry in session.scalars(select(SyncRefused).where(SyncRefused.created.is_(True))).all():
        model = MODEL_BY_TABLE.get(entry.table_name)
        if model is None:
            continue
        target = _table(model)
        if session.scalar(select(target.c.id).where(target.c.id == entry.row_id)) is None:
            session.delete(entry)


def _merge_into(session: Any, table: str, old_id: uuid.UUID, into: uuid.UUID) -> None:
    """The server merged this laptop's record into an existing one with the same business
    key: references move to the kept id; the local duplicate goes without queuing a delete
    (or becomes the kept record when this laptop does not have it yet). Records that referred
    to it are queued again with their new reference."""
    target = _table(MODEL_BY_TABLE[table])
    have_kept = session.scalar(select(target.c.id).where(target.c.id == into)) is not None
    requeue: list[dict[str, Any]] = []
    for child, column, _cascades in _children(table):
        child_table = _table(MODEL_BY_TABLE[child])
        ids = session.scalars(select(child_table.c.id).where(child_table.c[column] == old_id)).all()
        if ids:
            session.execute(
                update(child_table).where(child_table.c[column] == old_id).values({column: into})
            )
            requeue += [
                {
                    "op_id": uuid.uuid4(),
                    "table_name": child,
                    "row_id": child_id,
                    "op": "upsert",
                    "fields": [column],
                    "attempts": 0,
                    "created_at": utcnow(),
                }
                for child_id in ids
                if child_id != old_id
            ]
    attachments = _table(MODEL_BY_TABLE["attachment"])
    moved = session.scalars(
        select(attachments.c.id).where(
            attachments.c.owner_table == table, attachments.c.owner_id == old_id
        )
    ).all()
    if moved:
        session.execute(
            update(attachments).where(attachments.c.id.in_(moved)).values(owner_id=into)
        )
        requeue += [
            {
                "op_id": uuid.uuid4(),
                "table_name": "attachment",
                "row_id": attachment_id,
                "op": "upsert",
                "fields": ["owner_id"],
                "attempts": 0,
                "created_at": utcnow(),
            }
            for attachment_id in moved
        ]
    conflicts = _table(MODEL_BY_TABLE["sync_conflict"])
    session.execute(update(conflicts).where(conflicts.c.row_id == old_id).values(row_id=into))
    if table == "customer":
        session.execute(
            update(conflicts).where(conflicts.c.customer_id == old_id).values(customer_id=into)
        )
    if have_kept:
        session.execute(delete(target).where(target.c.id == old_id))
    else:
        session.execute(update(target).where(target.c.id == old_id).values(id=into, version=0))
    session.execute(
        update(PendingChange)
        .where(PendingChange.table_name == table, PendingChange.row_id == old_id)
        .values(row_id=into)
    )
    session.execute(delete(SyncBase).where(SyncBase.table_name == table, SyncBase.row_id == old_id))
    session.execute(
        update(SyncRefused)
        .where(SyncRefused.cause_table == table, SyncRefused.cause_id == old_id)
        .values(cause_id=into)
    )
    if requeue:
        session.execute(insert(_table(PendingChange)), requeue)


def push(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    _hold_dependants(store)
    total = pending_count(store)
    while True:
        seqs, ops = _build_batch(store)
        if not seqs:
            return
        results = api.push(ops) if ops else []
        by_op = {r["op_id"]: r for r in results}
        if any(op["op_id"] not in by_op for op in ops):  # nothing is dropped unanswered
            raise SyncError(
                "服务器的回答不完整,本机的修改保留待下次上传",
                "the server's answer was incomplete; the changes stay queued",
            )
        with store.begin() as session:
            agreed: list[tuple[dict[str, Any], dict[str, Any]]] = []
            for op in ops:
                result = by_op.get(op["op_id"], {})
                status = result.get("status")
                if status == "rejected":
                    report.rejected.append(
                        {
                            "table": op["table"],
                            "id": op["id"],
                            "error": result.get("error"),
                            "code": result.get("code"),
                            "fields": list(result.get("fields") or []),
                            "message_zh": result.get("message_zh"),
                        }
                    )
                elif status == "conflict":
                    report.conflicts += 1
                if (
                    status in ("applied", "conflict")
                    and result.get("version")
                    and op["op"] == "upsert"
                ):
                    agreed.append((op, result))
            stored = _batch_bases(session, seqs[0], seqs[-1])  # still pending: one join
            bases = {key: (version, dict(data)) for key, (version, data) in stored.items()}
            changed: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
            for op, result in agreed:  # in edit order: later ops build on earlier ones
                key = (op["table"], uuid.UUID(op["id"]))
                data = bases.get(key, (0, {}))[1]
                if result["status"] == "applied":
                    data.update(op["fields"])
                bases[key] = changed[key] = (result["version"], data)
            _write_bases(session, changed, stored)
            _set_versions(session, {key: version for key, (version, _data) in changed.items()})
            order = {
                str(op_id): seq
                for op_id, seq in session.execute(
                    select(PendingChange.op_id, PendingChange.seq).where(
                        PendingChange.seq.between(seqs[0], seqs[-1])
                    )
                )
            }
            session.execute(delete(PendingChange).where(PendingChange.seq.in_(seqs)))
            _settle_answers(session, order, ops, by_op, stored, report)
        report.pushed += len(ops)
        state.report(report.pushed, max(total, report.pushed), "上传本地修改 / uploading changes")
