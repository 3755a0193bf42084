"""What the manager sees of sync: its state, the changes still to send, conflicts to review.

A conflict record keeps the value that lost a same-field clash (see ``server/core.py``). The
manager reviews it side by side with the value that was kept and either keeps that, or restores
the lost one: restoring is an ordinary local edit, so it syncs like any other and the record
notes who restored it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import MODEL_BY_TABLE, Customer, SyncConflict
from keyacct_desktop.sync.client import get_state
from keyacct_desktop.sync.codec import FieldError, from_wire

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

    @property
    def clock_is_off(self) -> bool:
        return abs(self.clock_skew_seconds) > CLOCK_SKEW_WARNING_SECONDS


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
    last = get_state(store, "last_success")
    return SyncOverview(
        pending=int(pending),
        open_conflicts=int(conflicts),
        last_success=datetime.fromisoformat(last) if last else None,
        last_error=get_state(store, "last_error"),
        clock_skew_seconds=float(get_state(store, "clock_skew_seconds", 0.0) or 0.0),
    )


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


def restore_lost(store: Store, conflict_id: uuid.UUID) -> None:
    """Write the losing value back into the record (a normal, synced edit) and close the conflict."""
    with store.begin() as session:
        conflict = _open_conflict(session, conflict_id)
        model = MODEL_BY_TABLE.get(conflict.table_name)
        target = session.get(model, conflict.row_id) if model is not None else None
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
    customer_id = getattr(obj, "customer_id", None)
    if customer_id is not None:
        customer = session.get(Customer, customer_id)
        if customer is not None:
            return customer.name
    return str(row_id)[:8]


#: Record kinds as the manager calls them (zh, en).
TABLE_LABELS: dict[str, tuple[str, str]] = {
    "user": ("用户", "user"),
    "park": ("园区", "park"),
    "grid": ("网格", "grid"),
    "customer": ("客户档案", "customer"),
    "contact": ("联系人", "contact"),
    "power_source": ("电源", "power source"),
    "pyramid_change": ("分级变更", "class change"),
    "planned_visit": ("走访计划", "planned visit"),
    "visit": ("走访记录", "visit"),
    "visit_amendment": ("走访更正", "visit amendment"),
    "attachment": ("附件", "attachment"),
    "referral": ("转办", "referral"),
    "referral_event": ("转办进展", "referral event"),
    "checklist": ("一次性告知书", "checklist"),
    "checklist_item": ("告知书条目", "checklist item"),
    "supply_plan": ("供电方案答复单", "supply plan"),
    "outage_event": ("停电计划", "outage"),
    "outage_notice": ("停电通知", "outage notice"),
    "sync_conflict": ("同步冲突", "sync conflict"),
}

#: Field names shown in the conflict list (zh, en); others are shown as stored.
FIELD_LABELS: dict[str, tuple[str, str]] = {
    "name": ("名称", "name"),
    "account_no": ("户号", "account no."),
    "uscc": ("统一社会信用代码", "USCC"),
    "address": ("地址", "address"),
    "voltage_kv": ("电压等级", "voltage"),
    "capacity_kva": ("合同容量", "capacity"),
    "annual_kwh": ("年用电量", "annual kWh"),
    "tariff": ("电价类别", "tariff"),
    "industry": ("行业", "industry"),
    "grid_id": ("网格", "grid"),
    "park_id": ("园区", "park"),
    "manager_id": ("客户经理", "manager"),
    "important_grade": ("重要客户等级", "important grade"),
    "credit_rating": ("信用等级", "credit rating"),
    "notes": ("备注", "notes"),
    "mobile": ("手机", "mobile"),
    "landline": ("固定电话", "landline"),
    "title": ("职务", "title"),
    "purpose": ("走访目的", "purpose"),
    "advice": ("建议", "advice"),
    "answer": ("答复", "answer"),
    "state": ("状态", "state"),
    "owner_name": ("承办人", "owner"),
    "due_on": ("期限", "due date"),
}


def table_label(table: str, language: str = "zh_CN") -> str:
    zh, en = TABLE_LABELS.get(table, (table, table))
    return en if language.startswith("en") else zh


def field_label(name: str, language: str = "zh_CN") -> str:
    zh, en = FIELD_LABELS.get(name, (name, name))
    return en if language.startswith("en") else zh


def show_value(value: Any) -> str:
    """A stored wire value as text: empty shown as "—", lists joined."""
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)
