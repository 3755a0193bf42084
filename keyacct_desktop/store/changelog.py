"""The device's outgoing change log, written in the same transaction as every local edit.

A ``before_flush`` hook turns each insert, update and delete of a synced record into a
:class:`~keyacct_desktop.store.local.PendingChange`. Because the log row is flushed with the
edit, a crash can never leave an edit without its log entry or the other way round.
Rows written by the sync client itself (pulled from the server) are not logged: it sets
``session.info[APPLYING_REMOTE] = True``.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, class_mapper
from sqlalchemy.orm.attributes import instance_state

from keyacct_desktop.store.base import Base, Synced
from keyacct_desktop.store.local import PendingChange

APPLYING_REMOTE = "keyacct.applying_remote"
#: Columns that are bookkeeping, never a user's edit.
UNLOGGED_COLUMNS = frozenset({"version", "created_at", "updated_at"})


def sync_columns(model: type[Synced] | Synced) -> list[str]:
    """The column keys of a synced model that travel over sync."""
    mapper = class_mapper(model if isinstance(model, type) else type(model))
    return [attr.key for attr in mapper.column_attrs if attr.key not in UNLOGGED_COLUMNS]


def changed_columns(obj: Synced) -> list[str]:
    """Columns whose value really changed in this flush (re-assigning the same value is no edit)."""
    state = instance_state(obj)
    changed = []
    for key in sync_columns(obj):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0] if history.added else None
        if history.deleted and old == new:
            continue
        changed.append(key)
    return changed


def record_local_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    """``before_flush`` hook that appends pending changes for every synced write."""
    if session.info.get(APPLYING_REMOTE):
        return
    for obj in list(session.new):
        if isinstance(obj, Synced):
            session.add(
                PendingChange(
                    table_name=obj.__tablename__,  # type: ignore[attr-defined]
                    row_id=obj.id,
                    op="upsert",
                    fields=sync_columns(obj),
                )
            )
    for obj in list(session.dirty):
        if isinstance(obj, Synced) and session.is_modified(obj, include_collections=False):
            fields = changed_columns(obj)
            if fields:
                session.add(
                    PendingChange(
                        table_name=obj.__tablename__,  # type: ignore[attr-defined]
                        row_id=obj.id,
                        op="upsert",
                        fields=fields,
                    )
                )
    for obj in list(session.deleted):
        if isinstance(obj, Synced):
            session.add(
                PendingChange(
                    table_name=obj.__tablename__,  # type: ignore[attr-defined]
                    row_id=obj.id,
                    op="delete",
                    fields=[],
                )
            )


@event.listens_for(Base, "init", propagate=True)
def _assign_client_id(target: Any, _args: Any, kwargs: dict[str, Any]) -> None:
    """Give every new synced record its UUID at construction, so it is known before flush."""
    if isinstance(target, Synced):
        if kwargs.get("id") is None:
            kwargs["id"] = uuid.uuid4()
        kwargs.setdefault("version", 0)
