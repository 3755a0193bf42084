"""Pull: the checks a pulled row passes before it is applied. Rows whose values do not fit,
that name rows this device does not have, whose business key another local record holds, or
whose delete a local record still refers to are set aside (``_Aside``) instead of failing the
whole pull."""

from __future__ import annotations

import math
import uuid
from collections.abc import Container
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import Boolean, Float, Integer, UniqueConstraint, select

from keyacct_desktop.protocol.codec import FieldError, columns, decoders, required_fields
from keyacct_desktop.store.models import MODEL_BY_TABLE
from keyacct_desktop.sync import backlog
from keyacct_desktop.sync.state import IN_CHUNK, _children, _foreign_keys, _table


class _Entry(NamedTuple):
    """One pulled change from the inbox."""

    table_name: str
    row_id: uuid.UUID
    version: int
    deleted: bool
    data: dict[str, Any]


class _Aside(NamedTuple):
    """Why a pulled row was set aside: a code, the field concerned, a detail for the log."""

    code: str
    field: str | None = None
    detail: str | None = None
    waits_for: str | None = None  # the record it waits for, "table:id" (sync.backlog)


@cache
def _unique_keys(table: str) -> tuple[tuple[str, ...], ...]:
    """The column tuples that must be unique in a synced table (business keys)."""
    return tuple(
        tuple(column.name for column in constraint.columns)
        for constraint in _table(MODEL_BY_TABLE[table]).constraints
        if isinstance(constraint, UniqueConstraint)
    )


def _check_entries(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> dict[tuple[str, uuid.UUID], dict[str, Any]]:
    """Set aside the pulled rows that cannot be applied: values that do not fit, references to
    rows this device does not have, business keys another local record holds. Returns the
    decoded values of the rows (so they are decoded once)."""
    upserts = [e for e in entries if not e.deleted]
    deleted = {(e.table_name, e.row_id) for e in entries if e.deleted}
    by_table: dict[str, list[_Entry]] = {}
    for entry in upserts:
        by_table.setdefault(entry.table_name, []).append(entry)
    local: dict[str, set[uuid.UUID]] = {}  # ids present locally, per table

    def existing(table: str, ids: set[uuid.UUID]) -> set[uuid.UUID]:
        known = local.setdefault(table, set())
        missing = [i for i in ids if i not in known]
        target = _table(MODEL_BY_TABLE[table])
        if len(missing) > _FEW and _empty(session, target):
            return known & ids  # (a first pull: thousands of ids, nothing to find)
        for start in range(0, len(missing), IN_CHUNK):
            known.update(
                session.scalars(
                    select(target.c.id).where(target.c.id.in_(missing[start : start + IN_CHUNK]))
                )
            )
        return known & ids

    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
    for table, group in by_table.items():
        decode = decoders(table)
        numeric = _numeric_columns(table)
        required = required_fields(table)
        present = existing(table, {e.row_id for e in group})
        for entry in group:
            key = (table, entry.row_id)
            try:
                values = {k: decode[k](v) for k, v in entry.data.items() if k in decode}
                for name in numeric:
                    if (value := values.get(name)) is not None:
                        _check_range(table, name, value)
            except (FieldError, ValueError, TypeError) as error:
                aside[key] = _Aside("invalid_value", _field_of(str(error)), str(error))
                continue
            if not (present and entry.row_id in present):
                missing = sorted(n for n in required if values.get(n) is None)
                if missing:
                    aside[key] = _Aside("required", missing[0], "missing " + ", ".join(missing))
                    continue
            decoded[key] = values
    wanted: dict[str, set[uuid.UUID]] = {}
    for (table, _row_id), values in decoded.items():
        for column, parent, _cascades in _foreign_keys(table):
            if (target := values.get(column)) is not None:
                wanted.setdefault(parent, set()).add(target)
    for parent, targets in wanted.items():
        existing(parent, targets)  # one query per table and chunk, cached in ``local``
    # References and business keys: a row set aside frees what it held and breaks what
    # referred to it, so check again until nothing changes.
    for _round in range(10):
        changed = False
        # (a dict answers ``in`` with the hashes it keeps: no UUID is hashed again)
        arriving: Container[tuple[str, uuid.UUID]] = (
            {k for k in decoded if k not in aside} if aside else decoded
        )
        for key, values in decoded.items():
            if aside and key in aside:
                continue
            table = key[0]
            pending = pending_fields.get(key) if pending_fields else None
            for column, parent, _cascades in _foreign_keys(table):
                if pending is not None and column in pending:
                    continue  # the local value stays
                target = values.get(column)
                if target is None:
                    continue
                parent_key = (parent, target)
                if parent_key in arriving:
                    continue
                if (deleted and parent_key in deleted) or target not in local.get(parent, ()):
                    aside[key] = _Aside(
                        "missing_reference",
                        column,
                        f"{parent} {target}",
                        backlog.waits_key(parent, target),
                    )
                    changed = True
                    break
        changed |= _check_unique(session, decoded, deleted, pending_fields, aside)
        if not changed:
            break
    return decoded


#: Above this many ids, a lookup first asks whether the table holds any row at all: on a new
#: device's first pull the ``IN (…)`` lookups of thousands of ids (500 parameters each,
#: rendered and bound at every execution) found nothing, at ~25 ms a page.
_FEW = 20


def _empty(session: Any, target: Any) -> bool:
    return session.scalar(select(target.c.id).limit(1)) is None


def _check_referenced(
    session: Any,
    entries: list[_Entry],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> None:
    """Set aside tombstones of rows a local record still names through a foreign key without
    ``ON DELETE CASCADE`` (a local-only referral naming a visit deleted on the server): the
    store would refuse the delete. The server never deletes a row its records name (it
    refuses ``referenced``), so the naming record exists only here; the tombstone applies
    once that record is resent without the reference, or discarded."""
    tombstones: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if entry.deleted and (entry.table_name, entry.row_id) not in aside:
            tombstones.setdefault(entry.table_name, set()).add(entry.row_id)
    if not tombstones:
        return
    leaving = {(e.table_name, e.row_id) for e in entries if e.deleted}
    for table, ids in tombstones.items():
        for child, column, cascades in _children(table):
            if cascades:
                continue
            target = _table(MODEL_BY_TABLE[child])
            id_list = sorted(ids)
            for start in range(0, len(id_list), IN_CHUNK):
                for child_id, parent_id in session.execute(
                    select(target.c.id, target.c[column]).where(
                        target.c[column].in_(id_list[start : start + IN_CHUNK])
                    )
                ).all():
                    key = (child, child_id)
                    if key in leaving:
                        continue  # deleted by this pull too
                    arriving = decoded.get(key)
                    if (
                        arriving is not None
                        and key not in aside
                        and arriving.get(column) != parent_id
                    ):
                        continue  # this pull points it elsewhere
                    aside[(table, parent_id)] = _Aside(
                        "referenced",
                        column,
                        f"{child} {child_id}",
                        backlog.waits_key(child, child_id),
                    )


def _check_unique(
    session: Any,
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
    deleted: set[tuple[str, uuid.UUID]],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
) -> bool:
    """Set aside pulled rows whose business key (户号, document number) another record on
    this device holds; returns whether any was set aside."""
    changed = False
    tables = {table for table, _row_id in decoded}
    for table in tables:
        keys = _unique_keys(table)
        if not keys:
            continue
        target = _table(MODEL_BY_TABLE[table])
        mine = {
            row_id: values
            for (t, row_id), values in decoded.items()
            if t == table and (t, row_id) not in aside
        }
        # Rows of this table that this pull changes or removes do not hold their old keys.
        moving = set(mine) | {r for t, r in deleted if t == table}
        moving |= {r for (t, r) in aside if t == table} - _present(session, table, aside)
        for names in keys:
            claimed: dict[tuple[Any, ...], uuid.UUID] = {}
            for row_id, values in mine.items():
                pending = pending_fields.get((table, row_id), set())
                if any(name in pending for name in names):
                    continue  # the local value stays and is pushed; the server decides
                value = tuple(values.get(name) for name in names)
                if any(v is None for v in value):
                    continue
                if value in claimed:
                    aside[(table, row_id)] = _Aside(
                        "duplicate_key", names[0], table, backlog.waits_key(table, claimed[value])
                    )
                    changed = True
                    continue
                claimed[value] = row_id
            if not claimed or (len(claimed) > _FEW and _empty(session, target)):
                continue
            first = [value[0] for value in claimed]
            holders: list[Any] = []
            for start in range(0, len(first), IN_CHUNK):
                holders += session.execute(
                    select(target.c.id, *(target.c[name] for name in names)).where(
                        target.c[names[0]].in_(first[start : start + IN_CHUNK])
                    )
                ).all()
            for holder in holders:
                holder_id, value = holder[0], tuple(holder[1:])
                wanted_by = claimed.get(value)
                if wanted_by is None or wanted_by == holder_id or holder_id in moving:
                    continue
                aside[(table, wanted_by)] = _Aside(
                    "duplicate_key", names[0], table, backlog.waits_key(table, holder_id)
                )
                changed = True
    return changed


def _present(
    session: Any, table: str, aside: dict[tuple[str, uuid.UUID], _Aside]
) -> set[uuid.UUID]:
    """Set-aside rows of ``table`` that exist locally: they keep their old keys."""
    ids = [r for t, r in aside if t == table]
    target = _table(MODEL_BY_TABLE[table])
    found: set[uuid.UUID] = set()
    for start in range(0, len(ids), IN_CHUNK):
        found.update(
            session.scalars(
                select(target.c.id).where(target.c.id.in_(ids[start : start + IN_CHUNK]))
            )
        )
    return found


@cache
def _numeric_columns(table: str) -> tuple[str, ...]:
    """The integer and float columns of a synced table (the ones with a range to check)."""
    return tuple(
        name
        for name, column in columns(table).items()
        if isinstance(column.type, Integer | Float) and not isinstance(column.type, Boolean)
    )


#: The range of a 64-bit signed integer: SQLite stores nothing larger.
_INT64 = (-(2**63), 2**63 - 1)


def _check_range(table: str, name: str, value: Any) -> None:
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not _INT64[0] <= value <= _INT64[1]:
        raise FieldError(f"{table}.{name} is out of range")
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(f"{table}.{name} is not a finite number")


def _field_of(message: str) -> str | None:
    """The field named in a codec error ("customer.name has …")."""
    head = message.split(" ", 1)[0]
    return head.split(".", 1)[1] if "." in head else None
