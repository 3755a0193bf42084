"""What the manager sees of sync: its state, the changes still to send, conflicts to review.

A conflict record keeps the value that lost a same-field clash (see ``server/push_ops.py``). The
manager reviews it side by side with the value that was kept and either keeps that, or restores
the lost one: restoring is an ordinary local edit, so it syncs like any other and the record
notes who restored it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, text

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.protocol.codec import FieldError, from_wire
from keyacct_desktop.protocol.labels import field_label, table_label
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.changelog import APPLYING_REMOTE, sync_columns
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange, SyncRefused, SyncSetAside, SyncState
from keyacct_desktop.store.models import MODEL_BY_TABLE, Customer, SyncConflict
from keyacct_desktop.sync import backlog

#: Clock skew (seconds) beyond which the manager is told to fix the laptop's clock.
CLOCK_SKEW_WARNING_SECONDS = 300


@dataclass(frozen=True)
class SyncOverview:
    """Everything the status bar shows, read in one go."""

    pending: int
    open_conflicts: int
    last_success: datetime | None
    last_error: str | None
    clock_skew_seconds: float
    rejected: int = 0  # changes the server refused, needing attention (sync_refused)
    set_aside: int = 0  # pulled records this laptop could not apply yet
    last_attempt: datetime | None = None
    last_error_zh: str | None = None

    @property
    def clock_is_off(self) -> bool:
        return abs(self.clock_skew_seconds) > CLOCK_SKEW_WARNING_SECONDS

    @property
    def refused(self) -> int:
        return self.rejected

    def error(self, language: str = "zh_CN") -> str | None:
        """The last sync error in the user's language (plain words, never SQL)."""
        if language.startswith("en"):
            return self.last_error
        return self.last_error_zh or self.last_error


def overview(store: Store) -> SyncOverview:
    with store.read() as session:
        pending = session.scalar(select(func.count()).select_from(PendingChange)) or 0
        conflicts = (
            session.scalar(
                select(func.count())
                .select_from(SyncConflict)
                .where(SyncConflict.resolved_at.is_(None))
            )
            or 0
        )
        refused = session.scalar(select(func.count()).select_from(SyncRefused)) or 0
        aside = session.scalar(select(func.count()).select_from(SyncSetAside)) or 0
        state = {
            row.key: row.value
            for row in session.scalars(
                select(SyncState).where(
                    SyncState.key.in_(
                        [
                            "last_success",
                            "last_attempt",
                            "last_error",
                            "last_error_zh",
                            "clock_skew_seconds",
                        ]
                    )
                )
            )
        }
    last = state.get("last_success")
    attempt = state.get("last_attempt")
    return SyncOverview(
        pending=int(pending),
        open_conflicts=int(conflicts),
        last_success=datetime.fromisoformat(last) if last else None,
        last_error=state.get("last_error"),
        clock_skew_seconds=float(state.get("clock_skew_seconds") or 0.0),
        rejected=int(refused),
        set_aside=int(aside),
        last_attempt=datetime.fromisoformat(attempt) if attempt else None,
        last_error_zh=state.get("last_error_zh"),
    )


@dataclass(frozen=True)
class LocalOnly:
    """What exists only on this laptop: what a sign-out or device wipe would lose for good."""

    pending: int
    refused: int
    set_aside: int
    open_conflicts: int

    @property
    def total(self) -> int:
        return self.pending + self.refused + self.set_aside + self.open_conflicts

    def lines(self, language: str = "zh_CN") -> list[str]:
        """One line per kind that is not zero, in the user's language."""
        en = language.startswith("en")
        parts = [
            (self.pending, "changes not yet uploaded", "项修改尚未上传到服务器"),
            (
                self.refused,
                "changes refused by the server (needing attention)",
                "项修改被服务器拒绝、待处理",
            ),
            (
                self.set_aside,
                "downloaded records not yet applied on this computer",
                "条下载的记录尚未在本机应用",
            ),
            (self.open_conflicts, "sync conflicts not yet reviewed", "个同步冲突尚未处理"),
        ]
        return [f"{n} {e}" if en else f"{n} {z}" for n, e, z in parts if n]


def local_only(store: Store) -> LocalOnly:
    """Count pending, refused and set-aside changes and open conflicts (sign-out, wipe)."""
    info = overview(store)
    return LocalOnly(info.pending, info.rejected, info.set_aside, info.open_conflicts)


#: Why the server refuses a change, by a fragment of its (English) answer: (zh, en).
REJECTION_REASONS: tuple[tuple[str, str, str], ...] = (
    (
        "issued documents cannot be deleted",
        "已出具的文书不能删除",
        "an issued document cannot be deleted",
    ),
    (
        "issued document",
        "文书已在其他设备上出具,出具后不能再修改;本机的修改未被采纳,如需更正请出具新版本",
        "the document was issued on another device and cannot change any more; this change "
        "was not taken — issue a new version to correct it",
    ),
    (
        "another grid",
        "该客户不属于您管辖的网格,服务器未接受这项修改",
        "the customer is not in one of your grids; the server did not take the change",
    ),
    (
        "own grids",
        "客户经理只能在自己的网格中新建客户",
        "managers create customers only in their own grids",
    ),
    (
        "out of their grids",
        "客户经理不能把客户移出自己的网格",
        "managers cannot move customers out of their grids",
    ),
    (
        "only supervisors",
        "只有主管和管理员可以修改这类记录",
        "only supervisors and administrators may change these records",
    ),
    ("missing required fields", "缺少必填内容", "required fields are missing"),
    (
        "unknown table",
        "服务器不认识这类记录,请升级服务器",
        "the server does not know this record kind",
    ),
)


def rejection_reason(error: str | None, language: str = "zh_CN") -> str:
    """The server's refusal in the manager's language (the server answers in English)."""
    text = error or ""
    for fragment, zh, en in REJECTION_REASONS:
        if fragment in text:
            return en if language.startswith("en") else zh
    if language.startswith("en"):
        return f"the server refused the change ({text})" if text else "the server refused it"
    return "服务器拒绝了这项修改,内容不符合服务器的规则"


#: What each refusal code means for the manager (zh, en), when the server sent no message.
REFUSAL_MESSAGES: dict[str, tuple[str, str]] = {
    "unknown_table": (
        "服务器不认识这类记录,请升级服务器",
        "the server does not know this record kind",
    ),
    "forbidden_table": (
        "只有主管和管理员可以修改这类记录",
        "only supervisors and administrators may change these records",
    ),
    "forbidden_reach": (
        "该记录(或它引用的记录)不在您管辖的网格中,服务器未接受",
        "the record (or one it refers to) is outside your grids; the server did not take it",
    ),
    "required": ("缺少必填内容", "required fields are missing"),
    "invalid_value": ("内容的格式或大小不符合要求", "a value has the wrong type or size"),
    "missing_reference": (
        "引用的记录在服务器上不存在或已删除",
        "a record it refers to does not exist on the server or was deleted",
    ),
    "parent_refused": (
        "它所属的记录未被服务器接受,需与之一起处理",
        "the record it belongs to was refused; it is handled together with it",
    ),
    "duplicate_key": (
        "编号与服务器上的另一条记录重复",
        "its number is already used by another record on the server",
    ),
    "frozen": (
        "文书已在其他设备上出具,出具后不能再修改;如需更正请出具新版本",
        "the document was issued on another device and cannot change; issue a new version",
    ),
    "grid_required": (
        "客户经理只能在自己的网格中新建客户:请在客户档案中选择您的网格",
        "managers create customers only in their own grids: choose one of your grids",
    ),
    "referenced": (
        "仍被其他记录引用,不能删除;本机已恢复这条记录",
        "other records still refer to it, so it cannot be deleted; it is back on this laptop",
    ),
}


@dataclass(frozen=True)
class RejectedRow:
    """A change the server refused: kept on this laptop until resent or discarded.

    Attributes:
        values: the user's own values of the refused fields (wire format).
        created: the record is not on the server at all (a refused new record).
        fields: the fields the server named (full names, e.g. ``grid_id``).
        cause: ``(table, id)`` of the refused record this one depends on, if any.
    """

    table: str
    row_id: uuid.UUID | None
    label: str
    error: str
    code: str = "refused"
    op: str = "upsert"
    created: bool = False
    fields: tuple[str, ...] = ()
    message_zh: str | None = None
    values: dict[str, Any] | None = None
    cause: tuple[str, uuid.UUID] | None = None
    refused_at: datetime | None = None
    cause_label: str | None = None  # the refused record this one waits for, by name

    def reason(self, language: str = "zh_CN") -> str:
        """Why the server refused it, with the fields it named, in the user's language."""
        en = language.startswith("en")
        if self.code == "legacy" or self.code not in REFUSAL_MESSAGES:
            text = rejection_reason(self.error, language)
        else:
            zh, english = REFUSAL_MESSAGES[self.code]
            text = english if en else (self.message_zh or zh)
        if self.cause is not None and self.cause_label:
            kind = table_label(self.cause[0], language)
            text += (
                f" (with {kind} {self.cause_label})" if en else f"(随{kind}“{self.cause_label}”)"
            )
        if self.fields:
            names = ", " if en else "、"
            label = names.join(field_label(name, language) for name in self.fields)
            text += f" ({label})" if en else f"(字段:{label})"
        return text

    @property
    def group_key(self) -> tuple[str, uuid.UUID | None]:
        return (self.table, self.row_id)


def rejected_changes(store: Store) -> list[RejectedRow]:
    """Changes the server refused (oldest first, so parents come before what depends on
    them): a refusal is never silent and never dropped."""
    with store.read() as session:
        return [
            RejectedRow(
                table=entry.table_name,
                row_id=entry.row_id,
                label=_label(session, entry.table_name, entry.row_id),
                error=entry.error or "",
                code=entry.code,
                op=entry.op,
                created=bool(entry.created),
                fields=tuple(entry.error_fields or ()),
                message_zh=entry.message_zh,
                values=dict(entry.values or {}),
                cause=(entry.cause_table, entry.cause_id)
                if entry.cause_table and entry.cause_id
                else None,
                refused_at=entry.refused_at,
                cause_label=_label(session, entry.cause_table, entry.cause_id)
                if entry.cause_table and entry.cause_id
                else None,
            )
            for entry in session.scalars(select(SyncRefused).order_by(SyncRefused.seq))
        ]


def _group(session: Any, table: str, row_id: uuid.UUID) -> list[SyncRefused]:
    """A refusal with everything that depends on it (and what it depends on), in edit order."""
    entries = list(session.scalars(select(SyncRefused)))
    by_key = {(e.table_name, e.row_id): e for e in entries}
    root = by_key.get((table, row_id))
    if root is None:
        raise UserError("找不到这项被拒绝的修改", "this refused change was not found")
    seen: set[tuple[str, uuid.UUID]] = set()
    while root.cause_id is not None and (root.cause_table, root.cause_id) in by_key:
        if (root.table_name, root.row_id) in seen:
            break
        seen.add((root.table_name, root.row_id))
        root = by_key[(root.cause_table, root.cause_id)]
    group = {(root.table_name, root.row_id)}
    grew = True
    while grew:
        grew = False
        for entry in entries:
            key = (entry.table_name, entry.row_id)
            if key not in group and (entry.cause_table, entry.cause_id) in group:
                group.add(key)
                grew = True
    return sorted((by_key[key] for key in group), key=lambda e: e.seq)


def refusal_group(store: Store, table: str, row_id: uuid.UUID) -> list[RejectedRow]:
    """The refusals handled together with this one (for the confirmation of a discard)."""
    with store.read() as session:
        keys = {(e.table_name, e.row_id) for e in _group(session, table, row_id)}
    return [r for r in rejected_changes(store) if (r.table, r.row_id) in keys]


def resend(store: Store, table: str, row_id: uuid.UUID) -> int:
    """Queue a refused change again, with everything that depends on it; returns how many.

    A refused new record is sent whole (as at its creation, with the fixes made since); a
    refused edit or delete of a record the server has is made again as an ordinary edit of
    the current record, with the user's own values.
    """
    with store.begin() as session:
        group = _group(session, table, row_id)
        count = 0
        for entry in group:
            model = MODEL_BY_TABLE.get(entry.table_name)
            if model is None:
                session.delete(entry)
                continue
            target = session.get(model, entry.row_id)
            if entry.created:
                if target is not None:
                    session.add(
                        PendingChange(
                            table_name=entry.table_name,
                            row_id=entry.row_id,
                            op="upsert",
                            fields=sync_columns(model),
                        )
                    )
                    count += 1
            elif entry.op == "delete":
                if target is not None:
                    session.delete(target)
                    count += 1
            elif target is not None:
                for name, value in (entry.values or {}).items():
                    try:
                        setattr(target, name, from_wire(entry.table_name, name, value))
                    except FieldError:
                        continue
                count += 1
            session.delete(entry)
            session.flush()
        backlog.request_full_retry(session)  # a set-aside row may wait for one of these
        return count


def discard(store: Store, table: str, row_id: uuid.UUID) -> int:
    """Give up a refused change and everything that depends on it; returns how many.

    A refused new record (never on the server) is removed from this laptop with what belongs
    to it; a refused edit or delete is simply forgotten (the laptop already shows the
    server's record). Call only after the user confirmed.
    """
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True  # nothing to tell the server: it never had them
        session.execute(text("PRAGMA defer_foreign_keys = ON"))  # a visit and its signature
        group = _group(session, table, row_id)
        for entry in reversed(group):  # children before parents
            model = MODEL_BY_TABLE.get(entry.table_name)
            if entry.created and model is not None:
                target = session.get(model, entry.row_id)
                if target is not None:
                    session.delete(target)
                    session.flush()
                session.execute(
                    delete(PendingChange).where(
                        PendingChange.table_name == entry.table_name,
                        PendingChange.row_id == entry.row_id,
                    )
                )
            session.delete(entry)
        backlog.request_full_retry(session)  # a set-aside row may wait for one of these
        return len(group)


def clear_rejected(store: Store) -> None:
    """Discard every refusal (after the user confirmed)."""
    while True:
        with store.read() as session:
            first = session.execute(
                select(SyncRefused.table_name, SyncRefused.row_id).order_by(SyncRefused.seq)
            ).first()
        if first is None:
            return
        discard(store, first[0], first[1])


@dataclass(frozen=True)
class SetAsideRow:
    """A downloaded record this laptop could not apply yet, and why (no customer data)."""

    table: str
    row_id: uuid.UUID
    code: str
    field: str | None
    attempts: int
    set_aside_at: datetime

    def reason(self, language: str = "zh_CN") -> str:
        en = language.startswith("en")
        name = field_label(self.field, language) if self.field else ""
        if self.code == "missing_reference":
            return (
                f"waiting for the record it refers to ({name or 'a reference'})"
                if en
                else f"等待它引用的记录({name or '引用'})到达本机"
            )
        if self.code == "referenced":
            return (
                "deleted on the server, but a record on this computer still refers to it"
                if en
                else "服务器上已删除,但本机仍有记录引用它,等待那条记录处理完毕"
            )
        if self.code == "duplicate_key":
            return (
                f"{name or 'its number'} is used by another record on this computer"
                if en
                else f"“{name or '编号'}”与本机另一条记录重复,等待两者合并"
            )
        if self.code == "required":
            return f"{name} is missing" if en else f"缺少必填内容({name})"
        if en:
            return f"a value does not fit ({name})" if name else "a value does not fit"
        return f"内容不符合本机的格式({name})" if name else "内容不符合本机的格式"


def set_aside_rows(store: Store) -> list[SetAsideRow]:
    with store.read() as session:
        return [
            SetAsideRow(
                table=row.table_name,
                row_id=row.row_id,
                code=row.code,
                field=row.field_name,
                attempts=row.attempts,
                set_aside_at=row.set_aside_at,
            )
            for row in session.scalars(
                select(SyncSetAside).order_by(SyncSetAside.set_aside_at, SyncSetAside.table_name)
            )
        ]


@dataclass(frozen=True)
class PendingRow:
    seq: int
    table: str
    row_id: uuid.UUID
    op: str
    fields: list[str]
    created_at: datetime
    attempts: int
    last_error: str | None
    label: str


def pending_changes(store: Store, limit: int = 1000) -> list[PendingRow]:
    """Local changes not yet accepted by the server, oldest first, with a readable label."""
    with store.read() as session:
        changes = session.scalars(select(PendingChange).order_by(PendingChange.seq).limit(limit))
        rows = []
        for change in changes:
            rows.append(
                PendingRow(
                    seq=change.seq,
                    table=change.table_name,
                    row_id=change.row_id,
                    op=change.op,
                    fields=list(change.fields or []),
                    created_at=change.created_at,
                    attempts=change.attempts,
                    last_error=change.last_error,
                    label=_label(session, change.table_name, change.row_id),
                )
            )
        return rows


@dataclass(frozen=True)
class ConflictRow:
    id: uuid.UUID
    table: str
    row_id: uuid.UUID
    field: str
    kept_value: Any
    lost_value: Any
    lost_by: str | None
    detected_at: datetime
    customer_name: str | None
    label: str
    resolution: str | None


def conflicts(store: Store, *, include_resolved: bool = False) -> list[ConflictRow]:
    """Conflict records, newest first, with the customer's name for context."""
    statement = (
        select(SyncConflict, Customer.name)
        .outerjoin(Customer, Customer.id == SyncConflict.customer_id)
        .order_by(SyncConflict.detected_at.desc())
    )
    if not include_resolved:
        statement = statement.where(SyncConflict.resolved_at.is_(None))
    with store.read() as session:
        return [
            ConflictRow(
                id=conflict.id,
                table=conflict.table_name,
                row_id=conflict.row_id,
                field=conflict.field_name,
                kept_value=conflict.kept_value,
                lost_value=conflict.lost_value,
                lost_by=conflict.lost_by,
                detected_at=conflict.detected_at,
                customer_name=name,
                label=_label(session, conflict.table_name, conflict.row_id),
                resolution=conflict.resolution,
            )
            for conflict, name in session.execute(statement)
        ]


def keep_current(store: Store, conflict_id: uuid.UUID) -> None:
    """The manager agrees with the value that won; the conflict is closed."""
    with store.begin() as session:
        conflict = _open_conflict(session, conflict_id)
        conflict.resolved_at = utcnow()
        conflict.resolution = "kept"


#: The field name of a conflict between a delete and an edit (the record was kept).
DELETED_FIELD = "__deleted__"


def restore_lost(store: Store, conflict_id: uuid.UUID) -> None:
    """Write the losing value back into the record (a normal, synced edit) and close the conflict.

    For a delete that met an edit (the record was kept alive), restoring the losing side means
    deleting the record after all: an ordinary delete, which syncs like any other.
    """
    with store.begin() as session:
        conflict = _open_conflict(session, conflict_id)
        model = MODEL_BY_TABLE.get(conflict.table_name)
        target = session.get(model, conflict.row_id) if model is not None else None
        if conflict.field_name == DELETED_FIELD:
            if target is not None:
                session.delete(target)
            conflict.resolved_at = utcnow()
            conflict.resolution = "restored"
            return
        if target is None:
            raise UserError(
                "该记录已被删除,无法恢复这个值",
                "the record was deleted; the value cannot be restored",
            )
        try:
            value = from_wire(conflict.table_name, conflict.field_name, conflict.lost_value)
        except FieldError as error:
            raise UserError(
                f"保存的值已不符合当前字段格式,无法恢复:{error}",
                f"the kept value no longer fits the field: {error}",
            ) from error
        setattr(target, conflict.field_name, value)
        conflict.resolved_at = utcnow()
        conflict.resolution = "restored"


def _open_conflict(session: Any, conflict_id: uuid.UUID) -> SyncConflict:
    conflict = session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise UserError("找不到该冲突记录", "conflict record not found")
    if conflict.resolved_at is not None:
        raise UserError("该冲突已处理过", "this conflict was already resolved")
    return conflict


def _label(session: Any, table: str, row_id: uuid.UUID) -> str:
    """A short human name for a record: its own name/number, else its customer's name."""
    model = MODEL_BY_TABLE.get(table)
    obj = session.get(model, row_id) if model is not None else None
    if obj is None:
        return str(row_id)[:8]
    for attribute in ("name", "number", "account_no", "purpose", "description", "username"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)[:40]
    parent = getattr(obj, "checklist", None) or getattr(obj, "event", None)
    if parent is not None:  # an item of a checklist, a notice of an outage: name its document
        return _label(session, parent.__tablename__, parent.id)
    customer_id = getattr(obj, "customer_id", None)
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is not None:
            return customer.name
    return str(row_id)[:8]


#: How the two sides of a delete-meets-edit conflict are named (zh, en).
_SIDES = {"deleted": ("删除", "deleted"), "edited": ("修改", "edited")}


def show_value(value: Any, language: str = "zh_CN") -> str:
    """A stored wire value as text: empty shown as "—", lists joined; a side of a delete that
    met an edit as "删除:super @ office"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, dict) and value.get("state") in _SIDES:
        zh, en = _SIDES[value["state"]]
        who = f"{value.get('user') or '?'} @ {value.get('device') or '?'}"
        return f"{en} by {who}" if language.startswith("en") else f"{zh}:{who}"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
