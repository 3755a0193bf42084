"""Applying one pushed operation to a batch: create, edit, delete, merge of duplicates,
conflicts, issued documents kept frozen, and the integrity and reach checks of a row."""

from __future__ import annotations

import uuid
from typing import Any

from keyacct_desktop.protocol.rules import (
    SOFT_REFERENCES,
    field_problems,
    message_zh,
    missing_fields,
    rules,
)
from keyacct_desktop.server.push_batch import (
    FROZEN_PARENT_OF,
    Operation,
    PushBatch,
    RowKey,
    _hard_references,
    _refusal,
    _Row,
    _uuid_or_none,
)
from keyacct_desktop.server.push_contacts import contacts_of_merged, has_primary, same_person
from keyacct_desktop.server.rows import OFFICE_TABLES, PARENT_OF, WRITER_ROLES
from keyacct_desktop.store.base import Frozen, utcnow
from keyacct_desktop.store.changelog import UNLOGGED_COLUMNS
from keyacct_desktop.store.guards import ALLOWED_STATUS_MOVES, FROZEN_STATUSES
from keyacct_desktop.store.models import MODEL_BY_TABLE


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
    if edited:  # named in the conflict: a row whose writer is known, if there is one
        return _keep_alive(
            batch, table, row, dependents, next((r for r in edited if r.written_by), edited[0])
        )
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
    demoted = False
    if table == "contact":  # a contact of a merged duplicate customer
        contacts = contacts_of_merged(batch, op.fields, fields)
        twin = same_person(contacts, data)
        if twin is not None:
            return _merge(batch, table, row_id, data, twin, ("name", "mobile"))
        demoted = bool(data.get("is_primary")) and has_primary(contacts, row_id)
        if demoted:
            data["is_primary"] = False
    refusal = _check_row(batch, table, row_id, data, None)
    if refusal is not None:
        return refusal
    row = batch.write(table, row_id, data)
    batch.audit("create", table, row_id)
    if demoted:  # one primary contact per customer; the lost tick stays restorable
        who = f"{batch.account.username}@{batch.device.name} (同一客户重复录入)"
        _conflict(batch, table, row, "is_primary", False, True, who)
        return {"status": "conflict", "version": row.version, "conflicts": ["is_primary"]}
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
        # The field's base value, when the device sends it, is what it saw: a device that
        # claims the current version with another base value saw something else (its base
        # version advanced by a conflict answer, its data not), so that is a clash too.
        unchanged_on_server = (
            op.base[key] == server_value if key in op.base else op.base_version == row.version
        )
        if unchanged_on_server:
            merged[key] = value
        else:
            clashes.append((key, server_value, value))
    version = row.version
    if merged != row.data:
        # Merged onto changes this device has not pulled: the row now holds writes that
        # neither device has seen all of, so it is nobody's own for "delete meets edit"
        # (``written_by`` None): a delete from either, based on a version before this one,
        # meets an edit instead of taking the other's change along unseen.
        mixed = op.base_version != row.version and row.written_by != batch.device.id
        written = batch.write(table, row.row_id, merged)
        if mixed:
            written.written_by = None
        version = written.version
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
