"""What a document shows, as plain records: the services build them from the store, the GUI
lists them and ``printing`` renders them (it never reads the store itself)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from keyacct_desktop.domain.checklist_templates import STAGE_EN, STAGES
from keyacct_desktop.domain.enums import BusinessType, OutageKind
from keyacct_desktop.domain.plan_rules import PlanWarning
from keyacct_desktop.domain.workdays import Deadline, StepClock


@dataclass(frozen=True)
class ChecklistItemView:
    id: uuid.UUID
    position: int
    stage: str
    kind: str
    text: str
    time_limit_days: int | None
    case_specific: bool
    received_on: date | None
    limit: StepClock | None = None  # counted limits of an issued checklist only
    clock: str | None = None  # "acceptance" / "step": a counted utility time limit
    started_on: date | None = None
    completed_on: date | None = None

    @property
    def counted(self) -> bool:
        """A utility time limit whose clock is tracked (start, completion, days left)."""
        return self.clock is not None and self.time_limit_days is not None


@dataclass(frozen=True)
class ChecklistView:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer_name: str
    business_type: BusinessType
    number: str | None
    version_no: int
    status: str
    accepted_on: date | None
    issued_at: datetime | None
    content_hash: str | None
    supersedes_id: uuid.UUID | None
    superseded_by_id: uuid.UUID | None
    case_note: str | None
    items: tuple[ChecklistItemView, ...]
    snapshot: dict[str, Any] | None = None
    customer: dict[str, Any] = field(default_factory=dict)  # as frozen (issued) or live (draft)

    @property
    def warnings(self) -> list[ChecklistItemView]:
        return [i for i in self.items if i.limit is not None and i.limit.needs_attention]


@dataclass(frozen=True)
class PlanView:
    id: uuid.UUID
    customer_id: uuid.UUID
    customer: dict[str, Any]
    number: str | None
    version_no: int
    status: str
    accepted_on: date | None
    reply_due: date | None
    valid_until: date | None
    issued_at: datetime | None
    content_hash: str | None
    supersedes_id: uuid.UUID | None
    data: dict[str, Any]
    warnings: tuple[PlanWarning, ...] = field(default=())
    reply_deadline: Deadline | None = None  # reply_due, and whether it rests on an estimate
    power_factor_basis: str = ""  # why the plan's standard applies (printed after it)


@dataclass(frozen=True)
class OutageNoticeView:
    id: uuid.UUID
    number: str
    customer_id: uuid.UUID
    customer_name: str
    account_no: str
    address: str | None
    contact: str
    delivered_at: datetime | None
    delivery_method: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    reminded_at: datetime | None
    manager: dict[str, str] = field(default_factory=dict)  # whom the customer calls


@dataclass(frozen=True)
class OutageView:
    id: uuid.UUID
    number: str | None
    kind: OutageKind
    starts_at: datetime
    ends_at: datetime
    area: str
    substation: str | None
    lines: tuple[str, ...]
    reason: str
    status: str
    issued_at: datetime | None
    notices: tuple[OutageNoticeView, ...]


def stage_label(stage: str, language: str = "zh_CN") -> str:
    """A checklist stage as printed (Chinese) or shown in the English UI."""
    if language.startswith("en"):
        return STAGE_EN.get(
            stage,
            {
                "process": "Process",
                "rules": "Rules",
                "fees": "Fees",
                "terms": "Customer's terms",
                "limits": "Time limits",
            }.get(stage, stage),
        )
    return STAGES.get(
        stage,
        {
            "process": "办理流程",
            "rules": "办理规定",
            "fees": "业务费用",
            "terms": "客户须知期限",
            "limits": "办理时限",
        }.get(stage, stage),
    )
