"""One-shot checklists (一次性告知单): drafted from the templates for a business type, issued with
a number and a frozen snapshot, items received and time limits counted (``ChecklistService``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.checklist_templates import (
    fill_limits,
)
from keyacct_desktop.domain.deadlines import (
    case_figures,
    limit_key,
)
from keyacct_desktop.domain.documents import (
    ChecklistItemView,
    ChecklistView,
)
from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.workdays import StepClock, WorkCalendar, step_clock
from keyacct_desktop.services.documents import (
    _customer_header,
    _get,
    _require_draft,
    _with_manager,
    customer_terms,
    document_number,
    freeze,
    start_correction,
    supply_case,
    template_library,
    utility_limits,
)
from keyacct_desktop.store.calendar import work_calendar
from keyacct_desktop.store.models import (
    Checklist,
    ChecklistItem,
    Customer,
)


def counted_limit_conditions() -> tuple[Any, ...]:
    """SQL conditions of the checklist items whose clock is tracked: the counted utility time
    limits of issued (current) checklists. The checklist page and the dashboard both select
    with these and judge each item with :func:`item_clock`, so they always agree."""
    return (
        Checklist.status == "issued",
        ChecklistItem.clock.is_not(None),
        ChecklistItem.time_limit_days.is_not(None),
    )


def item_clock(
    calendar: WorkCalendar,
    days: int,
    started_on: date | None,
    completed_on: date | None,
    today: date,
    warn_within: int,
) -> StepClock:
    """Where a counted limit stands: 未开始 until its step starts, then days left, then done."""
    return step_clock(calendar, days, started_on, completed_on, today, warn_within)


class ChecklistService:
    """Drafting, issuing, correcting and tracking one-shot notification checklists."""

    def __init__(self, store: Any, settings: Any) -> None:
        self.store = store
        self.settings = settings

    @property
    def calendar(self) -> WorkCalendar:
        return work_calendar(self.store, self.settings)

    def draft(
        self, customer_id: uuid.UUID, business_type: BusinessType | str, accepted_on: date
    ) -> uuid.UUID:
        """A new draft filled from the business type's template."""
        template = template_library(self.settings).get(business_type)
        limits = utility_limits(self.settings)
        with self.store.begin() as session:
            customer = _get(session, Customer, customer_id, "客户", "customer")
            case = supply_case(session, customer)
            figures = {**limits, **customer_terms(self.settings), **case_figures(limits, case)}
            checklist = Checklist(
                customer_id=customer.id,
                business_type=template.business_type.value,
                template_version=template.version,
                accepted_on=accepted_on,
            )
            for position, item in enumerate(template.items, start=1):
                days = item.working_days
                if item.limit_key is not None:  # this customer's figure (LV, HV dual, …)
                    days = int(limits.get(limit_key(item.limit_key, case), days or 0))
                text = fill_limits(item.text, figures)
                if item.starts_from:
                    text += f"（自{item.starts_from}起）"
                checklist.items.append(
                    ChecklistItem(
                        position=position,
                        stage=item.stage,
                        kind=item.kind,
                        text=text,
                        time_limit_days=days,
                        clock=item.clock,
                    )
                )
            session.add(checklist)
            return checklist.id

    def add_item(
        self, checklist_id: uuid.UUID, text: str, stage: str = "application", kind: str = "material"
    ) -> None:
        """A case-specific item the manager adds during review."""
        if not text.strip():
            raise UserError("补充事项不能为空", "the added item has no text", field="text")
        with self.store.begin() as session:
            checklist = _get(session, Checklist, checklist_id, "告知书", "checklist")
            _require_draft(checklist)
            position = max((i.position for i in checklist.items), default=0) + 1
            checklist.items.append(
                ChecklistItem(
                    position=position, stage=stage, kind=kind, text=text.strip(), case_specific=True
                )
            )

    def remove_item(self, item_id: uuid.UUID) -> None:
        with self.store.begin() as session:
            item = _get(session, ChecklistItem, item_id, "条目", "item")
            _require_draft(item.checklist)
            session.delete(item)

    def issue(
        self,
        checklist_id: uuid.UUID,
        issued_by: uuid.UUID | None = None,
        now: datetime | None = None,
    ) -> ChecklistView:
        """Number, snapshot and hash the checklist; it is frozen from now on."""
        now = now or datetime.now()
        with self.store.begin() as session:
            checklist = _get(session, Checklist, checklist_id, "告知书", "checklist")
            _require_draft(checklist)
            if checklist.accepted_on is None:
                raise UserError(
                    "请填写受理日期,时限从受理日起算",
                    "set the acceptance date: time limits start from it",
                    field="accepted_on",
                )
            customer = session.get(Customer, checklist.customer_id)
            checklist.number = document_number("GZ", checklist.id, now.date())
            snapshot = {
                "title": "一次性告知书",
                "number": checklist.number,
                "version_no": checklist.version_no,
                "business_type": checklist.business_type,
                "business_title": BusinessType(checklist.business_type).zh,
                "accepted_on": checklist.accepted_on.isoformat(),
                "customer": _customer_header(customer),
                "case_note": checklist.case_note,
                "items": [
                    {
                        "position": i.position,
                        "stage": i.stage,
                        "kind": i.kind,
                        "text": i.text,
                        "time_limit_days": i.time_limit_days,
                        "clock": i.clock,
                        "case_specific": i.case_specific,
                    }
                    for i in checklist.items
                ],
            }
            for item in checklist.items:  # the plan reply's clock starts at acceptance
                if item.clock == "acceptance" and item.started_on is None:
                    item.started_on = checklist.accepted_on
            checklist.snapshot = snapshot
            freeze(session, checklist, snapshot, now, issued_by)
        return self.view(checklist_id)

    def correct(self, checklist_id: uuid.UUID) -> uuid.UUID:
        """Start a corrected version of an issued checklist (the old one stays as it was)."""
        with self.store.begin() as session:
            old, new = start_correction(
                session,
                Checklist,
                checklist_id,
                ("告知书", "checklist", "告知书", "checklist"),
                lambda old: {
                    "business_type": old.business_type,
                    "template_version": old.template_version,
                    "case_note": old.case_note,
                },
            )
            for item in old.items:
                new.items.append(
                    ChecklistItem(
                        position=item.position,
                        stage=item.stage,
                        kind=item.kind,
                        text=item.text,
                        time_limit_days=item.time_limit_days,
                        case_specific=item.case_specific,
                        received_on=item.received_on,
                        received_note=item.received_note,
                        clock=item.clock,
                        started_on=item.started_on,
                        completed_on=item.completed_on,
                    )
                )
            return new.id

    def mark_received(
        self, item_id: uuid.UUID, received_on: date | None, note: str | None = None
    ) -> None:
        """Record (or clear) the date a material was handed in; allowed after issue."""
        if received_on is not None and received_on > date.today():
            raise UserError(
                f"收到日期 {received_on:%Y-%m-%d} 不能晚于今天",
                f"the received date {received_on:%Y-%m-%d} is in the future",
                field="received_on",
            )
        with self.store.begin() as session:
            item = _get(session, ChecklistItem, item_id, "条目", "item")
            item.received_on = received_on
            item.received_note = note

    def _tracked_item(self, session: Session, item_id: uuid.UUID) -> ChecklistItem:
        item = _get(session, ChecklistItem, item_id, "条目", "item")
        if item.clock is None or item.time_limit_days is None:
            raise UserError(
                f"“{item.text[:30]}”不是计时的办理时限,无需记录开始或完成",
                f"item {item.position} is not a counted time limit: it has no start or completion",
            )
        if item.checklist.status != "issued":
            raise UserError(
                "只有已出具的现行版本告知书才记录办理进度",
                "progress is recorded on the current issued version only",
            )
        return item

    def mark_started(self, item_id: uuid.UUID, started_on: date | None) -> None:
        """Record (or clear) the day a time-limited step started: its clock runs from then."""
        with self.store.begin() as session:
            item = self._tracked_item(session, item_id)
            if started_on is None:
                if item.completed_on is not None:
                    raise UserError(
                        "该环节已记录完成日期,请先清除完成日期",
                        "the step has a completion date: clear it first",
                        field="started_on",
                    )
            else:
                if started_on > date.today():
                    raise UserError(
                        f"开始日期 {started_on:%Y-%m-%d} 不能晚于今天",
                        f"the start date {started_on:%Y-%m-%d} is in the future",
                        field="started_on",
                    )
                accepted = item.checklist.accepted_on
                if accepted is not None and started_on < accepted:
                    raise UserError(
                        f"开始日期 {started_on:%Y-%m-%d} 不能早于受理日期 {accepted:%Y-%m-%d}",
                        f"the start date {started_on:%Y-%m-%d} is before acceptance "
                        f"({accepted:%Y-%m-%d})",
                        field="started_on",
                    )
                if item.completed_on is not None and started_on > item.completed_on:
                    raise UserError(
                        "开始日期不能晚于完成日期",
                        "the start date is after the completion date",
                        field="started_on",
                    )
            item.started_on = started_on

    def mark_completed(self, item_id: uuid.UUID, completed_on: date | None) -> None:
        """Record (or clear) the day a time-limited step was done: its clock stops."""
        with self.store.begin() as session:
            item = self._tracked_item(session, item_id)
            if completed_on is not None:
                if item.started_on is None:
                    raise UserError(
                        "该环节尚未开始,请先记录开始日期",
                        "the step has not started: record its start date first",
                        field="completed_on",
                    )
                if completed_on > date.today():
                    raise UserError(
                        f"完成日期 {completed_on:%Y-%m-%d} 不能晚于今天",
                        f"the completion date {completed_on:%Y-%m-%d} is in the future",
                        field="completed_on",
                    )
                if completed_on < item.started_on:
                    raise UserError(
                        f"完成日期 {completed_on:%Y-%m-%d} 不能早于开始日期 "
                        f"{item.started_on:%Y-%m-%d}",
                        f"the completion date {completed_on:%Y-%m-%d} is before the start "
                        f"({item.started_on:%Y-%m-%d})",
                        field="completed_on",
                    )
            item.completed_on = completed_on

    def view(self, checklist_id: uuid.UUID, today: date | None = None) -> ChecklistView:
        today = today or date.today()
        work_calendar = self.calendar
        warn = int(self.settings.get("limits.warn_within_workdays"))
        with self.store.read() as session:
            checklist = _get(session, Checklist, checklist_id, "告知书", "checklist")
            customer = session.get(Customer, checklist.customer_id)
            counted = set(
                session.scalars(
                    select(ChecklistItem.id)
                    .join(Checklist, Checklist.id == ChecklistItem.checklist_id)
                    .where(Checklist.id == checklist.id, *counted_limit_conditions())
                )
            )
            items = tuple(
                ChecklistItemView(
                    id=i.id,
                    position=i.position,
                    stage=i.stage,
                    kind=i.kind,
                    text=i.text,
                    time_limit_days=i.time_limit_days,
                    case_specific=i.case_specific,
                    received_on=i.received_on,
                    limit=item_clock(
                        work_calendar, i.time_limit_days, i.started_on, i.completed_on, today, warn
                    )
                    if i.id in counted
                    else None,
                    clock=i.clock,
                    started_on=i.started_on,
                    completed_on=i.completed_on,
                )
                for i in checklist.items
            )
            return ChecklistView(
                id=checklist.id,
                customer_id=checklist.customer_id,
                customer_name=customer.name,
                business_type=BusinessType(checklist.business_type),
                number=checklist.number,
                version_no=checklist.version_no,
                status=checklist.status,
                accepted_on=checklist.accepted_on,
                issued_at=checklist.issued_at,
                content_hash=checklist.content_hash,
                supersedes_id=checklist.supersedes_id,
                superseded_by_id=checklist.superseded_by_id,
                case_note=checklist.case_note,
                items=items,
                snapshot=checklist.snapshot,
                customer=_with_manager(
                    (checklist.snapshot or {}).get("customer") or _customer_header(customer),
                    customer,
                ),
            )

    def list(self) -> list[tuple[uuid.UUID, str | None, str, str, int, str]]:
        """(id, number, customer, business type, version, status), newest first."""
        with self.store.read() as session:
            rows = session.execute(
                select(
                    Checklist.id,
                    Checklist.number,
                    Customer.name,
                    Checklist.business_type,
                    Checklist.version_no,
                    Checklist.status,
                )
                .join(Customer, Customer.id == Checklist.customer_id)
                .order_by(Checklist.created_at.desc())
            ).all()
        return [tuple(r) for r in rows]
