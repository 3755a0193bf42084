"""Technical supply plan handouts (供电方案答复单): drafted, checked against the plan rules,
issued with a number and a frozen snapshot (``SupplyPlanService``)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.deadlines import (
    SupplyCase,
    case_deadline,
)
from keyacct_desktop.domain.documents import (
    PlanView,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.plan_rules import (
    BLOCKING_FIELDS,
    PlanRules,
    check_plan,
    power_factor_basis,
    power_factor_standard,
    validity_end,
)
from keyacct_desktop.services.documents import (
    _customer_header,
    _get,
    _require_draft,
    _with_manager,
    document_number,
    freeze,
    start_correction,
    utility_limits,
)
from keyacct_desktop.store.calendar import work_calendar
from keyacct_desktop.store.models import (
    Customer,
    PowerSource,
    SupplyPlan,
)

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
            plan.data = {
                **plan.data,
                "customer": _customer_header(customer),
                "number": plan.number,
                "valid_until": plan.valid_until.isoformat(),
                "accepted_on": plan.accepted_on.isoformat(),
            }
            freeze(session, plan, plan.data, now, issued_by)
        return self.view(plan_id)

    def correct(self, plan_id: uuid.UUID) -> uuid.UUID:
        """Start a corrected version of an issued plan (the old one stays as it was)."""
        with self.store.begin() as session:
            _old, new = start_correction(
                session,
                SupplyPlan,
                plan_id,
                ("供电方案", "supply plan", "方案", "plan"),
                lambda old: {
                    "application_no": old.application_no,
                    "business_type": old.business_type,
                    "data": {k: v for k, v in old.data.items() if k in PLAN_FIELDS},
                },
            )
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
