"""Store-level guards: issued documents are immutable, whatever code path tries to change them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.base import Frozen

FROZEN_STATUSES = frozenset({"issued", "superseded", "cancelled", "postponed"})
_ALWAYS_MUTABLE = frozenset({"updated_at", "version"})
#: The only status moves an issued document may make. Without this, "status" being mutable
#: would let anyone set an issued document back to draft, change it, and issue it again
#: under the same number and content hash.
#: An issued outage may be cancelled or postponed (a new outage is then issued for the new
#: time); its notices tell the customers.
ALLOWED_STATUS_MOVES = frozenset(
    {("issued", "superseded"), ("issued", "cancelled"), ("issued", "postponed")}
)


class FrozenDocumentError(UserError):
    """An attempt to change or delete an issued (frozen) document."""


def _committed_status(document: Any) -> str | None:
    """The status as it is in the database, ignoring changes pending in this flush."""
    state = inspect(document)
    if state.transient or state.pending:
        return None
    history = state.attrs.status.history
    if history.deleted:
        return history.deleted[0]
    if history.unchanged:
        return history.unchanged[0]
    return document.status


def _document_of(obj: Frozen) -> Any:
    return obj if obj.__frozen_parent__ is None else getattr(obj, obj.__frozen_parent__)


def _describe(obj: Any) -> tuple[str, str]:
    number = getattr(_document_of(obj), "number", None) or ""
    return (f"已出具的文书 {number} 不能修改", f"issued document {number} cannot be changed")


def refuse_frozen_changes(session: Session, _flush_context: Any, _instances: Any) -> None:
    """``before_flush`` hook: raise :class:`FrozenDocumentError` on any change to frozen content."""
    for obj in session.dirty:
        if not isinstance(obj, Frozen):
            continue
        document = _document_of(obj)
        if document is None or _committed_status(document) not in FROZEN_STATUSES:
            continue
        state = instance_state(obj)
        changed = {
            attr.key
            for attr in state.mapper.column_attrs
            if state.attrs[attr.key].history.has_changes()
        }
        illegal = sorted(changed - obj.__mutable_after_issue__ - _ALWAYS_MUTABLE)
        if "status" in changed and obj is document:
            move = (_committed_status(document), getattr(document, "status", None))
            if move not in ALLOWED_STATUS_MOVES:
                zh, en = _describe(obj)
                raise FrozenDocumentError(
                    f"{zh}:不能从“{move[0]}”改为“{move[1]}”;如需更正,请出具新版本",
                    f"{en}: its status cannot go from {move[0]} to {move[1]}; "
                    "issue a new version to correct it",
                    field="status",
                )
        if illegal:
            zh, en = _describe(obj)
            raise FrozenDocumentError(
                f"{zh}(字段:{', '.join(illegal)});如需更正,请出具新版本",
                f"{en} (fields: {', '.join(illegal)}); issue a new version to correct it",
                field=illegal[0],
            )
    for obj in session.deleted:
        if isinstance(obj, Frozen):
            document = _document_of(obj)
            if document is not None and _committed_status(document) in FROZEN_STATUSES:
                zh, en = _describe(obj)
                raise FrozenDocumentError(f"{zh},也不能删除", f"{en} or deleted")
    for obj in session.new:
        if isinstance(obj, Frozen) and obj.__frozen_parent__ is not None:
            document = _document_of(obj)
            if document is not None and _committed_status(document) in FROZEN_STATUSES:
                zh, en = _describe(obj)
                raise FrozenDocumentError(f"{zh},不能再添加条目", f"{en}: no items can be added")
