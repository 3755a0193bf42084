"""Issued documents: one-shot checklists, technical plan handouts and outage notices.

Every document goes draft → issued. Issuing assigns a number, freezes a snapshot of the
content and records its SHA-256 hash; from then on the store refuses content changes
(``store/guards.py``). A correction is a new version that references the one it replaces.
Numbers embed part of the document's UUID, so two offline laptops never hand out the same one.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.checklist_templates import (
    TemplateLibrary,
    fill_limits,
    load_templates,
)
from keyacct_desktop.domain.deadlines import (
    GENERIC_KEYS,
    SupplyCase,
    case_deadline,
    case_figures,
    limit_key,
)
from keyacct_desktop.domain.documents import (
    ChecklistItemView,
    ChecklistView,
    OutageNoticeView,
    OutageView,
    PlanView,
)
from keyacct_desktop.domain.enums import BusinessType, OutageKind
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.plan_rules import (
    BLOCKING_FIELDS,
    PlanRules,
    check_plan,
    power_factor_basis,
    power_factor_standard,
    validity_end,
)
from keyacct_desktop.domain.workdays import StepClock, WorkCalendar, step_clock
from keyacct_desktop.paths import resources_dir
from keyacct_desktop.settings import OPTIONS
from keyacct_desktop.store.calendar import work_calendar
from keyacct_desktop.store.models import (
    Checklist,
    ChecklistItem,
    Customer,
    OutageEvent,
    OutageNotice,
    PowerSource,
    SupplyPlan,
)

TEMPLATE_DIR = resources_dir() / "templates" / "checklists"


def content_hash(content: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a document's content."""
    canonical = json.dumps(
        content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def document_number(prefix: str, document_id: uuid.UUID, on: date) -> str:
    return f"{prefix}{on:%Y%m%d}-{document_id.hex[:6].upper()}"


#: Folder under the data directory where an administrator puts edited or added templates.
OVERRIDE_SUBDIR = Path("templates") / "checklists"


@cache
def _library(
    directories: tuple[Path, ...],
    limits: frozenset[str],
    terms: frozenset[str],
    _stamp: tuple[Any, ...],
) -> TemplateLibrary:
    return load_templates(directories, set(limits), terms)


def _configured(settings: Any, key: str) -> dict[str, int]:
    """A dict setting over its declared default, so a settings file saved by an older version
    (without the keys added since) still names every figure the templates use."""
    return {**OPTIONS[key].default, **settings.get(key)}


def utility_limits(settings: Any) -> dict[str, int]:
    """The utility's time limits in working days, by key (``limits.working_days``)."""
    return _configured(settings, "limits.working_days")


def customer_terms(settings: Any) -> dict[str, int]:
    """Figures told to the customer, never counted down (``limits.customer_terms``)."""
    return _configured(settings, "limits.customer_terms")


def template_library(settings: Any, directory: Path = TEMPLATE_DIR) -> TemplateLibrary:
    """The bundled templates, overridden by ``<data dir>/templates/checklists/*.toml``.

    Reloaded when any template file changes, so an administrator's edit shows without a restart.
    """
    directories = [directory]
    settings_path = getattr(settings, "path", None)
    if settings_path is not None and (settings_path.parent / OVERRIDE_SUBDIR).is_dir():
        directories.append(settings_path.parent / OVERRIDE_SUBDIR)
    stamp = tuple(
        (str(path), path.stat().st_mtime_ns, path.stat().st_size)
        for folder in directories
        for path in sorted(folder.glob("*.toml"))
    )
    return _library(
        tuple(directories),
        frozenset(utility_limits(settings)) | GENERIC_KEYS,
        frozenset(customer_terms(settings)),
        stamp,
    )


def _manager(customer: Customer) -> dict[str, str]:
    """Who the customer calls: their account manager (or the grid's), name and phone."""
    user = customer.manager or (customer.grid.manager if customer.grid else None)
    if user is None:
        return {}
    return {"name": user.display_name, "phone": user.phone or ""}


def _with_manager(header: dict[str, Any], customer: Customer) -> dict[str, Any]:
    """A frozen header from before managers were printed gets today's manager to call."""
    if header.get("manager"):
        return header
    return {**header, "manager": _manager(customer)}


def _customer_header(customer: Customer) -> dict[str, Any]:
    return {
        "manager": _manager(customer),
        "id": str(customer.id),
        "name": customer.name,
        "account_no": customer.account_no,
        "uscc": customer.uscc,
        "address": customer.address,
        "voltage_kv": customer.voltage_kv,
        "capacity_kva": customer.capacity_kva,
        "industry": customer.industry,
        "tariff": customer.tariff,
        "important_grade": customer.important_grade,
        "contacts": [
            {"name": c.name, "role": c.role, "mobile": c.mobile, "landline": c.landline}
            for c in customer.contacts
        ],
    }


def supply_case(session: Session, customer: Customer) -> SupplyCase:
    """The customer's case for the time limits: voltage, number of power sources, type."""
    count = len(
        session.scalars(select(PowerSource.id).where(PowerSource.customer_id == customer.id)).all()
    )
    return SupplyCase.of_customer(customer, count)


def _get(session: Session, model: Any, document_id: uuid.UUID, what_zh: str, what_en: str) -> Any:
    row = session.get(model, document_id)
    if row is None:
        raise UserError(f"找不到{what_zh}:{document_id}", f"{what_en} not found: {document_id}")
    return row


def _require_draft(document: Any) -> None:
    if document.status != "draft":
        raise UserError(
            f"文书 {document.number} 已出具,不能修改;如需更正请出具新版本",
            f"document {document.number} is issued and cannot be changed; issue a new version instead",
        )


# ============================================================================ checklists


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
            checklist.content_hash = content_hash(snapshot)
            checklist.issued_at = now
            checklist.issued_by = issued_by
            checklist.status = "issued"
            if checklist.supersedes_id is not None:
                previous = session.get(Checklist, checklist.supersedes_id)
                previous.status = "superseded"
                previous.superseded_by_id = checklist.id
        return self.view(checklist_id)

    def correct(self, checklist_id: uuid.UUID) -> uuid.UUID:
        """Start a corrected version of an issued checklist (the old one stays as it was)."""
        with self.store.begin() as session:
            old = _get(session, Checklist, checklist_id, "告知书", "checklist")
            if old.status != "issued":
                raise UserError(
                    "只有已出具且未被替代的告知书才能更正",
                    "only an issued, current checklist can be corrected",
                )
            new = Checklist(
                customer_id=old.customer_id,
                business_type=old.business_type,
                template_version=old.template_version,
                version_no=old.version_no + 1,
                supersedes_id=old.id,
                accepted_on=old.accepted_on,
                case_note=old.case_note,
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
            session.add(new)
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


# ============================================================================ supply plans

PLAN_FIELDS = (
    "application_no",
    "user_category",
    "industry",
    "customer_grade",
    "contact",
    "capacity_kva",
    "added_capacity_kva",
    "voltage_kv",
    "sources",
    "property_boundary",
    "receiving_type",
    "protection",
    "metering",
    "basic_charge",
    "power_factor",
    "on_load_tap_changer",
    "load_grade",
    "emergency_power",
    "power_quality",
    "fees",
    "dual_source",
    "remarks",
)


def plan_case(data: dict[str, Any], customer: dict[str, Any]) -> SupplyCase:
    """A plan's supply case: its voltage and dual-source flag, the customer's type."""
    voltage = data.get("voltage_kv") or customer.get("voltage_kv")
    return SupplyCase(
        float(voltage) if voltage not in (None, "") else None,
        2 if data.get("dual_source") else 1,
        customer.get("tariff") == "residential",
    )


def _with_amount(fee: dict[str, Any]) -> dict[str, Any]:
    """A fee row whose amount is unit price × quantity when only those two are given."""
    if fee.get("amount") in (None, ""):
        try:
            amount = float(fee["unit_price"]) * float(fee["quantity"])
        except (KeyError, TypeError, ValueError):
            return fee
        return {**fee, "amount": round(amount, 2)}
    return fee


def _power_factor_basis(rules: PlanRules, data: dict[str, Any], customer: dict[str, Any]) -> str:
    """The rule behind the plan's power-factor standard, when the plan follows the rule."""
    voltage = data.get("voltage_kv") or customer.get("voltage_kv")
    facts: dict[str, Any] = {
        "capacity_kva": float(data.get("capacity_kva") or customer.get("capacity_kva") or 0),
        "voltage_kv": float(voltage) if voltage not in (None, "") else None,
        "tariff": customer.get("tariff"),
        "industry": customer.get("industry"),
        "on_load_tap_changer": bool(data.get("on_load_tap_changer")),
    }
    standard = power_factor_standard(rules, **facts)
    try:
        given = float(data.get("power_factor"))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if standard is None or abs(given - standard) > 1e-9:
        return ""
    return power_factor_basis(rules, **facts)


class SupplyPlanService:
    """Drafting, rule-checking and issuing technical plan handouts."""

    def __init__(self, store: Any, settings: Any) -> None:
        self.store = store
        self.settings = settings

    @property
    def rules(self) -> PlanRules:
        return PlanRules.from_settings(self.settings)

    def draft(
        self, customer_id: uuid.UUID, accepted_on: date, application_no: str | None = None
    ) -> uuid.UUID:
        """A draft prefilled from the customer profile and its power sources."""
        with self.store.begin() as session:
            customer = _get(session, Customer, customer_id, "客户", "customer")
            sources = session.scalars(
                select(PowerSource)
                .where(PowerSource.customer_id == customer.id)
                .order_by(PowerSource.source_no)
            ).all()
            contact = next((c for c in customer.contacts if c.is_primary), None)
            standard = power_factor_standard(
                self.rules,
                capacity_kva=float(customer.capacity_kva or 0),
                voltage_kv=customer.voltage_kv,
                tariff=customer.tariff,
                industry=customer.industry,
            )
            data: dict[str, Any] = {
                "application_no": application_no or "",
                "capacity_kva": customer.capacity_kva,
                "added_capacity_kva": 0,
                "voltage_kv": customer.voltage_kv,
                "contact": f"{contact.name} {contact.mobile or ''}".strip() if contact else "",
                "sources": [
                    {
                        "no": s.source_no,
                        "role": s.role,
                        "voltage_kv": s.voltage_kv,
                        "capacity_kva": s.capacity_kva,
                        "substation": s.substation,
                        "line": s.line,
                        "bay": s.bay,
                        "line_type": s.line_type,
                    }
                    for s in sources
                ],
                "dual_source": len(sources) > 1,
                "metering": [
                    {
                        "point": "进线计量点",
                        "method": customer.metering
                        or ("hv_hv" if (customer.voltage_kv or 0) >= 1 else "lv_lv"),
                        # LV supply is metered on four wires (neutral); HV on three
                        "wiring": "三相三线" if (customer.voltage_kv or 0) >= 1 else "三相四线",
                        "meter_class": "0.5S",
                        "ct_ratio": "",
                        "pt_ratio": "",
                        "tariff": customer.tariff or "",
                        "time_of_use": True,
                    }
                ],
                "basic_charge": customer.tariff == "large_industry",
                "power_factor": standard,
                # HV: the customer's transformer regulates on load or not (0.90 rule); LV: none
                "on_load_tap_changer": False if (customer.voltage_kv or 0) >= 1 else None,
                "load_grade": customer.load_grade or "",
                "emergency_power": customer.emergency_power or "",
                "power_quality": "非线性负荷须治理谐波,满足 GB/T 14549;冲击性、不对称负荷须采取相应措施",
                "property_boundary": "",
                "receiving_type": "",
                "protection": "",
                "fees": [],
                "remarks": "",
            }
            plan = SupplyPlan(
                customer_id=customer.id,
                accepted_on=accepted_on,
                application_no=application_no,
                data=data,
            )
            session.add(plan)
            return plan.id

    def update(self, plan_id: uuid.UUID, changes: dict[str, Any]) -> None:
        unknown = sorted(set(changes) - set(PLAN_FIELDS) - {"accepted_on"})
        if unknown:
            raise UserError(
                f"方案没有这些栏目:{', '.join(unknown)}",
                f"unknown plan fields: {', '.join(unknown)}",
            )
        for key in ("capacity_kva", "added_capacity_kva"):
            if key in changes and changes[key] not in (None, ""):
                try:
                    if float(changes[key]) < 0:
                        raise ValueError
                except (TypeError, ValueError):
                    raise UserError(
                        "容量应为非负数字(kVA)", "capacity must be a number >= 0 (kVA)", field=key
                    ) from None
        for key, zh in (("sources", "供电电源"), ("metering", "计量"), ("fees", "业务费用")):
            rows = changes.get(key)
            if rows is not None and (
                not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows)
            ):
                raise UserError(f"{zh}应为表格行", f"{key} must be a list of rows", field=key)
        if changes.get("fees"):
            changes = {**changes, "fees": [_with_amount(fee) for fee in changes["fees"]]}
        with self.store.begin() as session:
            plan = _get(session, SupplyPlan, plan_id, "供电方案", "supply plan")
            _require_draft(plan)
            if "accepted_on" in changes:
                plan.accepted_on = changes.pop("accepted_on")
            data = dict(plan.data)
            data.update(changes)
            plan.data = data
            if "application_no" in changes:
                plan.application_no = changes["application_no"]

    def issue(
        self, plan_id: uuid.UUID, issued_by: uuid.UUID | None = None, now: datetime | None = None
    ) -> PlanView:
        now = now or datetime.now()
        with self.store.begin() as session:
            plan = _get(session, SupplyPlan, plan_id, "供电方案", "supply plan")
            _require_draft(plan)
            if plan.accepted_on is None:
                raise UserError("请填写受理日期", "set the acceptance date", field="accepted_on")
            customer = session.get(Customer, plan.customer_id)
            blocking = [
                w
                for w in check_plan(self.rules, plan.data, _customer_header(customer))
                if w.field in BLOCKING_FIELDS
            ]
            if blocking:  # the customer's copy must not carry blanks they would build to
                raise UserError(
                    "供电方案尚不完整,不能出具:" + ";".join(w.message_zh for w in blocking),
                    "the plan is incomplete and cannot be issued: "
                    + "; ".join(w.message_en for w in blocking),
                    field=blocking[0].field,
                )
            plan.number = document_number("FA", plan.id, now.date())
            plan.valid_until = validity_end(
                self.rules, now.date(), plan.data.get("voltage_kv") or customer.voltage_kv
            )
            plan.issued_at = now
            plan.issued_by = issued_by
            plan.data = {
                **plan.data,
                "customer": _customer_header(customer),
                "number": plan.number,
                "valid_until": plan.valid_until.isoformat(),
                "accepted_on": plan.accepted_on.isoformat(),
            }
            plan.content_hash = content_hash(plan.data)
            plan.status = "issued"
            if plan.supersedes_id is not None:
                previous = session.get(SupplyPlan, plan.supersedes_id)
                previous.status = "superseded"
                previous.superseded_by_id = plan.id
        return self.view(plan_id)

    def correct(self, plan_id: uuid.UUID) -> uuid.UUID:
        with self.store.begin() as session:
            old = _get(session, SupplyPlan, plan_id, "供电方案", "supply plan")
            if old.status != "issued":
                raise UserError(
                    "只有已出具且未被替代的方案才能更正",
                    "only an issued, current plan can be corrected",
                )
            data = {k: v for k, v in old.data.items() if k in PLAN_FIELDS}
            new = SupplyPlan(
                customer_id=old.customer_id,
                application_no=old.application_no,
                business_type=old.business_type,
                version_no=old.version_no + 1,
                supersedes_id=old.id,
                accepted_on=old.accepted_on,
                data=data,
            )
            session.add(new)
            return new.id

    def view(self, plan_id: uuid.UUID) -> PlanView:
        rules = self.rules
        with self.store.read() as session:
            plan = _get(session, SupplyPlan, plan_id, "供电方案", "supply plan")
            customer = session.get(Customer, plan.customer_id)
            header = _with_manager(
                plan.data.get("customer") or _customer_header(customer), customer
            )
            due = (
                case_deadline(
                    work_calendar(self.store, self.settings),
                    utility_limits(self.settings),
                    "plan_reply",
                    plan_case(plan.data, header),
                    plan.accepted_on,
                )
                if plan.accepted_on
                else None
            )
            return PlanView(
                id=plan.id,
                customer_id=plan.customer_id,
                customer=header,
                number=plan.number,
                version_no=plan.version_no,
                status=plan.status,
                accepted_on=plan.accepted_on,
                reply_due=due.on if due else None,
                reply_deadline=due,
                valid_until=plan.valid_until,
                issued_at=plan.issued_at,
                content_hash=plan.content_hash,
                supersedes_id=plan.supersedes_id,
                data=dict(plan.data),
                warnings=tuple(check_plan(rules, plan.data, header)),
                power_factor_basis=_power_factor_basis(rules, plan.data, header),
            )

    def list(self) -> list[tuple[uuid.UUID, str | None, str, int, str, date | None]]:
        with self.store.read() as session:
            rows = session.execute(
                select(
                    SupplyPlan.id,
                    SupplyPlan.number,
                    Customer.name,
                    SupplyPlan.version_no,
                    SupplyPlan.status,
                    SupplyPlan.valid_until,
                )
                .join(Customer, Customer.id == SupplyPlan.customer_id)
                .order_by(SupplyPlan.created_at.desc())
            ).all()
        return [tuple(r) for r in rows]


# ============================================================================ outage notices


class OutageService:
    """Planned, temporary and fault outages: lead-time rules, one notice per customer."""

    def __init__(self, store: Any, settings: Any) -> None:
        self.store = store
        self.settings = settings

    def affected_customers(
        self, substation: str | None = None, lines: list[str] | None = None
    ) -> list[uuid.UUID]:
        """Customers fed from ``substation`` and/or any of ``lines`` (through their power sources)."""
        if not substation and not lines:
            return []
        statement = select(PowerSource.customer_id).distinct()
        if substation:
            statement = statement.where(PowerSource.substation == substation)
        if lines:
            statement = statement.where(PowerSource.line.in_(lines))
        with self.store.read() as session:
            return list(session.scalars(statement))

    def known_feeders(self) -> tuple[list[str], list[str]]:
        """The substations and lines customers are fed from, for picking them by name."""
        with self.store.read() as session:
            substations = session.scalars(
                select(PowerSource.substation)
                .where(PowerSource.substation.is_not(None))
                .distinct()
                .order_by(PowerSource.substation)
            ).all()
            lines = session.scalars(
                select(PowerSource.line)
                .where(PowerSource.line.is_not(None))
                .distinct()
                .order_by(PowerSource.line)
            ).all()
        return [s for s in substations if s], [line for line in lines if line]

    def check_lead_time(
        self, kind: OutageKind, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> None:
        if ends_at <= starts_at:
            raise UserError(
                "停电结束时间必须晚于开始时间",
                "the outage must end after it starts",
                field="ends_at",
            )
        if kind == OutageKind.PLANNED:
            days = int(self.settings.get("outage.planned_notice_days"))
            if starts_at - now < timedelta(days=days):
                raise UserError(
                    f"计划停电须提前 {days} 天通知:开始时间 {starts_at:%Y-%m-%d %H:%M} 距现在不足 {days} 天"
                    "(如属故障停电,请选择“故障停电”)",
                    f"a planned outage must be notified {days} days ahead; {starts_at:%Y-%m-%d %H:%M} is sooner "
                    "(choose 'fault outage' if it is one)",
                    field="starts_at",
                )
        elif kind == OutageKind.TEMPORARY:
            hours = int(self.settings.get("outage.temporary_notice_hours"))
            if starts_at - now < timedelta(hours=hours):
                raise UserError(
                    f"临时停电须提前 {hours} 小时通知重要用户:开始时间距现在不足 {hours} 小时",
                    f"a temporary outage must be notified {hours} hours ahead; the start is sooner",
                    field="starts_at",
                )

    def issue(
        self,
        *,
        kind: OutageKind | str,
        starts_at: datetime,
        ends_at: datetime,
        area: str,
        reason: str,
        customer_ids: list[uuid.UUID],
        substation: str | None = None,
        lines: list[str] | None = None,
        created_by: uuid.UUID | None = None,
        now: datetime | None = None,
        postponed_from: str | None = None,
    ) -> OutageView:
        """Create and issue the outage with one numbered notice per affected customer.

        ``postponed_from`` (the old period) makes it the new time of a postponed outage; the
        notices then say so (kept in the frozen reason: 原定…改期)."""
        kind = OutageKind(kind)
        now = now or datetime.now()
        if not area.strip():
            raise UserError("请填写停电范围", "the affected area is required", field="area")
        if not reason.strip():
            raise UserError("请填写停电原因", "the reason is required", field="reason")
        unique_ids = list(dict.fromkeys(customer_ids))
        if not unique_ids:
            raise UserError(
                "请至少选择一个受影响的客户",
                "select at least one affected customer",
                field="customers",
            )
        self.check_lead_time(kind, starts_at, ends_at, now)
        with self.store.begin() as session:
            found = set(session.scalars(select(Customer.id).where(Customer.id.in_(unique_ids))))
            missing = [str(i) for i in unique_ids if i not in found]
            if missing:
                raise UserError(
                    f"有 {len(missing)} 个客户不存在", f"{len(missing)} customers do not exist"
                )
            event = OutageEvent(
                kind=kind.value,
                starts_at=starts_at,
                ends_at=ends_at,
                area=area.strip(),
                reason=reason.strip()
                + (f"(原定{postponed_from}的停电改期)" if postponed_from else ""),
                substation=substation,
                lines=list(lines or []),
                created_by=created_by,
            )
            event.number = document_number("TD", event.id, now.date())
            for index, customer_id in enumerate(unique_ids, start=1):
                event.notices.append(
                    OutageNotice(customer_id=customer_id, number=f"{event.number}-{index:03d}")
                )
            event.status = "issued"
            event.issued_at = now
            session.add(event)
            event_id = event.id
        return self.view(event_id)

    def cancel(self, event_id: uuid.UUID, now: datetime | None = None) -> OutageView:
        """Cancel an issued outage that has not started: its notices then say so."""
        now = now or datetime.now()
        with self.store.begin() as session:
            event = self._changeable(session, event_id, now)
            event.status = "cancelled"
        return self.view(event_id)

    def postpone(
        self,
        event_id: uuid.UUID,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime | None = None,
    ) -> OutageView:
        """Move an issued outage to a new time: a new outage (new numbers, the notice rules of
        its kind) is issued for the same customers, the old one is marked postponed."""
        now = now or datetime.now()
        with self.store.read() as session:
            old = self._changeable(session, event_id, now)
            kind, area, reason = old.kind, old.area, old.reason
            substation, lines = old.substation, list(old.lines)
            customers = [n.customer_id for n in old.notices]
            was = f"{old.starts_at:%Y年%m月%d日 %H:%M}至{old.ends_at:%Y年%m月%d日 %H:%M}"
        new = self.issue(
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            area=area,
            reason=reason,
            customer_ids=customers,
            substation=substation,
            lines=lines,
            now=now,
            postponed_from=was,
        )
        with self.store.begin() as session:
            session.get(OutageEvent, event_id).status = "postponed"
        return new

    @staticmethod
    def _changeable(session: Session, event_id: uuid.UUID, now: datetime) -> OutageEvent:
        event = _get(session, OutageEvent, event_id, "停电事件", "outage")
        if event.status != "issued":
            raise UserError(
                "只有已出具且未变更的停电才能取消或改期",
                "only an issued, unchanged outage can be cancelled or postponed",
            )
        if event.starts_at <= now:
            raise UserError(
                "停电已经开始,不能取消或改期", "the outage has started: it cannot be changed"
            )
        return event

    def record_delivery(
        self,
        notice_id: uuid.UUID,
        method: str,
        by: str,
        at: datetime | None = None,
        *,
        accept_late: bool = False,
        now: datetime | None = None,
    ) -> None:
        """Record that the notice reached the customer; impossible or late dates are refused
        (a late planned-outage delivery only when ``accept_late``: the manager confirmed it)."""
        now = now or datetime.now()
        at = at or now
        with self.store.begin() as session:
            notice = _get(session, OutageNotice, notice_id, "停电通知", "outage notice")
            event = notice.event
            if event.issued_at is not None and at < event.issued_at:
                raise UserError(
                    f"送达时间 {at:%Y-%m-%d %H:%M} 早于通知出具时间 {event.issued_at:%Y-%m-%d %H:%M}",
                    f"delivered at {at:%Y-%m-%d %H:%M}, before the notice was issued "
                    f"({event.issued_at:%Y-%m-%d %H:%M})",
                    field="delivered_at",
                )
            if at > now + timedelta(minutes=5):
                raise UserError(
                    f"送达时间 {at:%Y-%m-%d %H:%M} 晚于现在",
                    "the delivery time is in the future",
                    field="delivered_at",
                )
            least = int(self.settings.get("outage.delivery_min_days"))
            if (
                event.kind == OutageKind.PLANNED.value
                and event.starts_at - at < timedelta(days=least)
                and not accept_late
            ):
                raise UserError(
                    f"计划停电通知应在停电前 {least} 天以上送达,本次送达距停电开始不足 {least} 天;"
                    "如确属逾期送达,请确认后再记录",
                    f"a planned-outage notice is due at least {least} days ahead; this delivery "
                    "is later: confirm to record it as late",
                    field="delivered_at",
                )
            notice.delivered_at = at
            notice.delivery_method = method
            notice.delivered_by = by

    def record_acknowledgement(
        self, notice_id: uuid.UUID, by: str, at: datetime | None = None
    ) -> None:
        if not by.strip():
            raise UserError(
                "请填写签收人", "enter who acknowledged the notice", field="acknowledged_by"
            )
        with self.store.begin() as session:
            notice = _get(session, OutageNotice, notice_id, "停电通知", "outage notice")
            notice.acknowledged_at = at or datetime.now()
            notice.acknowledged_by = by.strip()

    def reminders_due(self, now: datetime | None = None) -> list[OutageNoticeView]:
        """Notices whose outage starts within the reminder window and that were not reminded yet."""
        now = now or datetime.now()
        window = timedelta(minutes=int(self.settings.get("outage.remind_minutes")))
        with self.store.read() as session:
            rows = session.scalars(
                select(OutageNotice)
                .join(OutageEvent, OutageEvent.id == OutageNotice.event_id)
                .where(
                    OutageEvent.starts_at > now,
                    OutageEvent.starts_at <= now + window,
                    OutageNotice.reminded_at.is_(None),
                )
            ).all()
            return [self._notice_view(n) for n in rows]

    def mark_reminded(self, notice_id: uuid.UUID, at: datetime | None = None) -> None:
        with self.store.begin() as session:
            _get(session, OutageNotice, notice_id, "停电通知", "outage notice").reminded_at = (
                at or datetime.now()
            )

    @staticmethod
    def _notice_view(notice: OutageNotice) -> OutageNoticeView:
        customer = notice.customer
        contact = next((c for c in customer.contacts if c.is_primary), None) or next(
            iter(customer.contacts), None
        )
        return OutageNoticeView(
            id=notice.id,
            number=notice.number or "",
            customer_id=customer.id,
            customer_name=customer.name,
            account_no=customer.account_no,
            address=customer.address,
            contact=f"{contact.name} {contact.mobile or contact.landline or ''}".strip()
            if contact
            else "",
            delivered_at=notice.delivered_at,
            delivery_method=notice.delivery_method,
            acknowledged_at=notice.acknowledged_at,
            acknowledged_by=notice.acknowledged_by,
            reminded_at=notice.reminded_at,
            manager=_manager(customer),
        )

    def view(self, event_id: uuid.UUID) -> OutageView:
        with self.store.read() as session:
            event = _get(session, OutageEvent, event_id, "停电事件", "outage")
            notices = sorted(event.notices, key=lambda n: n.number or "")
            return OutageView(
                id=event.id,
                number=event.number,
                kind=OutageKind(event.kind),
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                area=event.area,
                substation=event.substation,
                lines=tuple(event.lines),
                reason=event.reason,
                status=event.status,
                issued_at=event.issued_at,
                notices=tuple(self._notice_view(n) for n in notices),
            )

    def list(self) -> list[tuple[uuid.UUID, str | None, str, datetime, str, int]]:
        with self.store.read() as session:
            events = session.scalars(
                select(OutageEvent).order_by(OutageEvent.starts_at.desc())
            ).all()
            return [(e.id, e.number, e.kind, e.starts_at, e.area, len(e.notices)) for e in events]
