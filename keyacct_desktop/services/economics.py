"""A customer's economics for the GUI and the printouts: history, credit, advice, arrears.

One read per user action, plain data out (no ORM rows): the customer page asks for
:func:`customer_economics`; 首页 for :func:`sharp_changes`; the arrears list for
:func:`arrears_list`. Arrears follow-up actions are logged by :func:`log_action` and agreed
instalments produce reminders (:func:`instalments_due`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, TypedDict

from sqlalchemy import String, func, select, type_coerce

from keyacct_desktop.domain.billing import (
    AdviceFlag,
    AdviceUnavailable,
    BasicChargeAdvice,
    MonthDemand,
    add_months,
    basic_charge_advice,
    month_span,
    power_factor_flag,
    rules_from_settings,
)
from keyacct_desktop.domain.economics import (
    ArrearsStatus,
    CreditIndicators,
    CreditScore,
    MonthFigures,
    arrears_status,
    credit_score,
    indicators_from_history,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.plan_rules import PlanRules, power_factor_standard
from keyacct_desktop.services.monthly_history import MonthRecord, customer_history
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import ArrearsAction, Customer, CustomerMonth

TWO_PART_TARIFF = "large_industry"

#: Follow-up action kinds (code, Chinese, English).
ACTION_KINDS: dict[str, tuple[str, str]] = {
    "call": ("电话催缴", "reminder call"),
    "visit": ("上门催缴", "visit"),
    "written": ("书面催缴通知", "written reminder"),
    "instalment": ("分期缴费协议", "instalment agreement"),
    "prepayment": ("预购电协议", "prepayment agreement"),
    "guarantee": ("担保", "guarantee"),
    "deposit": ("保证金", "deposit"),
}
#: Kinds whose amount must be given, and those that expire.
NEEDS_AMOUNT = frozenset({"instalment", "prepayment", "guarantee", "deposit"})
EXPIRES = frozenset({"guarantee", "deposit"})


@dataclass(frozen=True)
class MonthChange:
    month: str
    kwh: float | None
    year_before: float | None
    change: float | None  # fraction, None when either month is missing or the earlier is 0


@dataclass(frozen=True)
class CustomerEconomics:
    """What the customer page shows about money and consumption."""

    customer_id: uuid.UUID
    name: str
    account_no: str
    capacity_kva: float | None
    tariff: str | None
    last_month: str | None
    months: tuple[str, ...]  # the 24 month keys shown, oldest first
    records: dict[str, MonthRecord]
    changes: tuple[MonthChange, ...]  # year on year, for the last 12 months
    twelve_kwh: float | None
    twelve_bill: float | None
    twelve_change: float | None
    credit: CreditScore
    credit_from_history: bool
    stored_rating: str | None
    arrears: ArrearsStatus | None
    advice: BasicChargeAdvice | None
    advice_unavailable: tuple[str, str] | None = None
    actions: tuple[ActionView, ...] = field(default_factory=tuple)
    power_factor: AdviceFlag | None = None  # months under the standard, any tariff


@dataclass(frozen=True)
class ActionView:
    id: uuid.UUID
    kind: str
    done_on: date
    contact_name: str | None
    note: str | None
    amount_yuan: float | None
    expires_on: date | None
    instalments: tuple[dict[str, Any], ...]
    notice_number: str | None


class _Facts(TypedDict):
    """What the economics of one customer read of its record."""

    voltage_kv: float | None
    industry: str | None
    name: str
    account_no: str
    capacity_kva: float | None
    tariff: str | None
    rating: str | None


def customer_economics(
    store: Store, settings: Any, customer_id: uuid.UUID, *, months: int = 24
) -> CustomerEconomics:
    """The customer's last ``months`` months, credit score, arrears and basic-charge advice."""
    with store.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UserError("找不到该客户", "customer not found")
        facts: _Facts = {
            "voltage_kv": customer.voltage_kv,
            "industry": customer.industry,
            "name": customer.name,
            "account_no": customer.account_no,
            "capacity_kva": customer.capacity_kva,
            "tariff": customer.tariff,
            "rating": customer.credit_rating,
        }
        stored = CreditIndicators(
            recovery_rate=customer.recovery_rate,
            on_time_rate=customer.on_time_rate,
            overdue_count=customer.overdue_count or 0,
            overdue_days_max=customer.overdue_days_max or 0,
            violation_count=customer.violation_count or 0,
            high_energy=bool(customer.high_energy),
            operating_trouble=bool(customer.operating_trouble),
            consumption_growth=customer.consumption_growth,
        )
    history = customer_history(store, customer_id, months=months)
    records = {r.month: r for r in history}
    last = history[-1].month if history else None
    keys = tuple(month_span(last, months)) if last else ()
    figures = [r.figures() for r in history]
    if last:
        # figures a year further back, for the year-on-year change of the first months shown
        older = customer_history(
            store, customer_id, last_month=add_months(last, -months), months=12
        )
        figures = [r.figures() for r in older] + figures
    by_month = {f.month: f for f in figures}
    changes = []
    for key in keys[-12:]:
        now = by_month.get(key)
        before = by_month.get(add_months(key, -12))
        kwh = now.kwh if now else None
        earlier = before.kwh if before else None
        change = kwh / earlier - 1 if kwh is not None and earlier else None
        changes.append(MonthChange(key, kwh, earlier, change))
    twelve = [by_month[k] for k in keys[-12:] if k in by_month]
    twelve_before = [by_month.get(add_months(k, -12)) for k in keys[-12:]]
    twelve_kwh = sum(f.kwh or 0 for f in twelve) if twelve else None
    twelve_change = None
    if len(twelve) == 12 and all(f is not None for f in twelve_before):
        earlier = sum((f.kwh or 0) for f in twelve_before if f is not None)
        twelve_change = twelve_kwh / earlier - 1 if earlier and twelve_kwh is not None else None
    weights = settings.get("credit.score")
    bounds = settings.get("credit.ratings")
    from_history = bool(twelve)
    if from_history and last:
        indicators = indicators_from_history(
            figures,
            last_month=last,
            violation_count=stored.violation_count,
            high_energy=stored.high_energy,
            operating_trouble=stored.operating_trouble,
        )
    else:
        indicators = stored
    credit = credit_score(indicators, weights, bounds)
    arrears = arrears_status(figures, settings.get("arrears.risk"), credit_rating=credit.rating)
    advice = None
    unavailable = None
    if facts["tariff"] != TWO_PART_TARIFF:
        unavailable = (
            "基本电费测算只适用于两部制(大工业)电价客户",
            "basic-charge advice applies to two-part-tariff customers only",
        )
    else:
        latest = history[-1] if history else None
        try:
            advice = basic_charge_advice(
                [MonthDemand(r.month, r.max_demand_kw) for r in history[-12:]],
                facts["capacity_kva"],
                rules_from_settings(settings),
                current_mode=latest.billing_mode if latest else None,
                current_declared_kw=latest.declared_demand_kw if latest else None,
            )
        except AdviceUnavailable as reason:
            unavailable = (reason.message_zh, reason.message_en)
    standard = (
        power_factor_standard(
            PlanRules.from_settings(settings),
            capacity_kva=float(facts["capacity_kva"]),
            voltage_kv=facts["voltage_kv"],
            tariff=facts["tariff"],
            industry=facts["industry"],
        )
        if facts["capacity_kva"]
        else None
    )
    return CustomerEconomics(
        power_factor=power_factor_flag(
            [(r.month, r.power_factor) for r in history[-12:]], standard
        ),
        customer_id=customer_id,
        name=facts["name"],
        account_no=facts["account_no"],
        capacity_kva=facts["capacity_kva"],
        tariff=facts["tariff"],
        last_month=last,
        months=keys,
        records=records,
        changes=tuple(changes),
        twelve_kwh=twelve_kwh,
        twelve_bill=sum(f.bill_yuan or 0 for f in twelve) if twelve else None,
        twelve_change=twelve_change,
        credit=credit,
        credit_from_history=from_history,
        stored_rating=facts["rating"],
        arrears=arrears,
        advice=advice,
        advice_unavailable=unavailable,
        actions=tuple(list_actions(store, customer_id)),
    )


def apply_credit_rating(store: Store, customer_id: uuid.UUID, rating: str) -> None:
    """Store the computed rating on the profile (the manual rating stays editable there)."""
    with store.begin() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise UserError("找不到该客户", "customer not found")
        customer.credit_rating = rating


# --------------------------------------------------------------------------- profile indicators


INDICATOR_FIELDS = (
    "overdue_count",
    "overdue_days_max",
    "recovery_rate",
    "on_time_rate",
    "consumption_growth",
    "annual_kwh",
)


@dataclass(frozen=True)
class IndicatorUpdate:
    customers: int  # customers with figures in the 12 months
    changed: int  # profiles whose indicators changed
    last_month: str | None


def update_indicators(
    store: Store, today: date, customer_ids: set[uuid.UUID] | None = None
) -> IndicatorUpdate:
    """Write the indicators the rest of the app reads (risk tile, list filters, pyramid
    fallback) from the 12 months up to the newest month: 电费回收率, 缴费准时率, overdue count
    and longest days, year-on-year growth and the 12 months' kWh as the annual figure.

    Only customers with figures in those months are touched, only changed values are written
    (and synced); ``risk_updated_on`` says when. Running it twice writes nothing the second time.
    """
    with store.read() as session:
        last = session.scalar(select(func.max(CustomerMonth.month)))
    if last is None:
        return IndicatorUpdate(0, 0, None)
    first = add_months(last, -23)
    columns = (
        type_coerce(CustomerMonth.customer_id, String),  # hex text: no UUID per row
        CustomerMonth.month,
        CustomerMonth.kwh,
        CustomerMonth.bill_yuan,
        CustomerMonth.paid_yuan,
        CustomerMonth.arrears_yuan,
        CustomerMonth.overdue_days,
    )
    window = set(month_span(last, 12))
    with store.read() as session:
        if customer_ids is None:
            ids = list(
                session.scalars(
                    select(CustomerMonth.customer_id)
                    .where(CustomerMonth.month.in_(sorted(window)))
                    .distinct()
                )
            )
        else:
            ids = sorted(customer_ids)
    changed = 0
    counted = 0
    # one transaction, customers in chunks: memory stays bounded at 100k customers x 24 months
    with store.begin() as session:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            by_customer: dict[str, list[MonthFigures]] = {}
            # by customer only (the unique index); the month filter in SQL would make SQLite
            # scan the month index over every customer instead
            for cid, month, kwh, bill, paid, arrears, days in session.execute(
                select(*columns).where(CustomerMonth.customer_id.in_(chunk))
            ):
                if month >= first:
                    by_customer.setdefault(cid, []).append(
                        MonthFigures(month, kwh, bill, paid, arrears, days)
                    )
            stored = session.execute(
                select(Customer.id, *(getattr(Customer, k) for k in INDICATOR_FIELDS)).where(
                    Customer.id.in_(chunk)
                )
            ).all()
            updates: dict[uuid.UUID, dict[str, Any]] = {}
            for customer_id, *current in stored:
                before = dict(zip(INDICATOR_FIELDS, current, strict=True))
                figures = by_customer.get(customer_id.hex, [])
                recent = [f for f in figures if f.month in window]
                if not recent:
                    continue
                counted += 1
                found = indicators_from_history(figures, last_month=last)
                values: dict[str, Any] = {
                    "overdue_count": found.overdue_count,
                    "overdue_days_max": found.overdue_days_max,
                }
                if found.recovery_rate is not None:
                    values["recovery_rate"] = round(found.recovery_rate, 4)
                if found.on_time_rate is not None:
                    values["on_time_rate"] = round(found.on_time_rate, 4)
                if found.consumption_growth is not None:
                    values["consumption_growth"] = round(found.consumption_growth, 4)
                if len(recent) == 12 and all(f.kwh is not None for f in recent):
                    values["annual_kwh"] = sum(f.kwh or 0.0 for f in recent)
                if all(before[k] == v for k, v in values.items()):
                    continue
                updates[customer_id] = values
            if updates:  # ORM edits (one query for the chunk): logged for sync like any edit
                for customer in session.scalars(
                    select(Customer).where(Customer.id.in_(list(updates)))
                ):
                    for key, value in updates[customer.id].items():
                        setattr(customer, key, value)
                    customer.risk_updated_on = today
                session.flush()
                changed += len(updates)
    return IndicatorUpdate(counted, changed, last)


# --------------------------------------------------------------------------- 首页


@dataclass(frozen=True)
class SharpChange:
    customer_id: uuid.UUID
    account_no: str
    name: str
    kwh: float
    year_before: float
    change: float


def sharp_changes(
    store: Store, settings: Any, *, window: int = 3, limit: int = 10
) -> tuple[str | None, list[SharpChange], list[SharpChange]]:
    """Customers whose kWh of the last ``window`` months changed by more than
    ``history.sharp_change`` against the same months a year before: (last month, falls, rises),
    the biggest changes first. Customers missing a month in either period are left out."""
    threshold = float(settings.get("history.sharp_change"))
    with store.read() as session:
        last = session.scalar(select(func.max(CustomerMonth.month)))
        if last is None:
            return None, [], []
        now = month_span(last, window)
        before = month_span(add_months(last, -12), window)

        def totals(keys: list[str]) -> Any:
            return (
                select(
                    CustomerMonth.customer_id.label("cid"),
                    func.sum(CustomerMonth.kwh).label("kwh"),
                )
                .where(CustomerMonth.month.in_(keys), CustomerMonth.kwh.is_not(None))
                .group_by(CustomerMonth.customer_id)
                .having(func.count() == window)
                .subquery()
            )

        a, b = totals(now), totals(before)
        rows = session.execute(
            select(Customer.id, Customer.account_no, Customer.name, a.c.kwh, b.c.kwh)
            .join(a, a.c.cid == Customer.id)
            .join(b, b.c.cid == Customer.id)
            .where(b.c.kwh > 0)
        ).all()
    changes = [SharpChange(r[0], r[1], r[2], r[3], r[4], r[3] / r[4] - 1) for r in rows]
    falls = sorted((c for c in changes if c.change <= -threshold), key=lambda c: c.change)
    rises = sorted((c for c in changes if c.change >= threshold), key=lambda c: -c.change)
    return last, falls[:limit], rises[:limit]


# --------------------------------------------------------------------------- arrears


@dataclass(frozen=True)
class ArrearsRow:
    customer_id: uuid.UUID
    account_no: str
    name: str
    month: str
    status: ArrearsStatus
    last_action: str | None
    last_action_on: date | None


RISK_ORDER = {"high": 0, "medium": 1, "low": 2}


def arrears_list(store: Store, settings: Any) -> list[ArrearsRow]:
    """Customers owing money in the newest month, riskiest and largest first."""
    thresholds = settings.get("arrears.risk")
    with store.read() as session:
        last = session.scalar(select(func.max(CustomerMonth.month)))
        if last is None:
            return []
        previous = add_months(last, -1)
        owing = session.execute(
            select(
                Customer.id,
                Customer.account_no,
                Customer.name,
                Customer.credit_rating,
                CustomerMonth.arrears_yuan,
                CustomerMonth.overdue_days,
            )
            .join(CustomerMonth, CustomerMonth.customer_id == Customer.id)
            .where(CustomerMonth.month == last, CustomerMonth.arrears_yuan > 0.005)
        ).all()
        ids = [r[0] for r in owing]
        before: dict[uuid.UUID, float | None] = {}
        latest_action: dict[uuid.UUID, tuple[str, date]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            before.update(
                session.execute(
                    select(CustomerMonth.customer_id, CustomerMonth.arrears_yuan).where(
                        CustomerMonth.month == previous, CustomerMonth.customer_id.in_(chunk)
                    )
                )
                .tuples()
                .all()
            )
            for cid, kind, done_on in session.execute(
                select(ArrearsAction.customer_id, ArrearsAction.kind, ArrearsAction.done_on)
                .where(ArrearsAction.customer_id.in_(chunk))
                .order_by(ArrearsAction.done_on)
            ):
                latest_action[cid] = (kind, done_on)
    rows = []
    for cid, account, name, rating, amount, days in owing:
        months = [
            MonthFigures(previous, arrears_yuan=before.get(cid) or 0.0),
            MonthFigures(last, arrears_yuan=amount, overdue_days=days),
        ]
        status = arrears_status(months, thresholds, credit_rating=rating)
        if status is None:
            continue
        action = latest_action.get(cid)
        rows.append(
            ArrearsRow(
                cid,
                account,
                name,
                last,
                status,
                action[0] if action else None,
                action[1] if action else None,
            )
        )
    rows.sort(key=lambda r: (RISK_ORDER[r.status.risk], -r.status.amount))
    return rows


def _parse_day(text: Any, what_zh: str, what_en: str) -> date:
    if isinstance(text, date):
        return text
    try:
        return date.fromisoformat(str(text))
    except ValueError as error:
        raise UserError(
            f"{what_zh}“{text}”不是有效日期(YYYY-MM-DD)",
            f"{what_en} {text!r} is not a date (YYYY-MM-DD)",
            field="instalments",
        ) from error


def log_action(
    store: Store,
    customer_id: uuid.UUID,
    kind: str,
    done_on: date,
    *,
    contact_name: str = "",
    note: str = "",
    amount_yuan: float | None = None,
    expires_on: date | None = None,
    instalments: list[dict[str, Any]] | None = None,
    notice_number: str | None = None,
) -> uuid.UUID:
    """Record one follow-up step; checked first, written whole or not at all."""
    if kind not in ACTION_KINDS:
        raise UserError(f"催收方式“{kind}”无效", f"unknown follow-up kind {kind!r}", field="kind")
    label = ACTION_KINDS[kind][0]
    if kind in NEEDS_AMOUNT and (amount_yuan is None or amount_yuan <= 0):
        raise UserError(f"{label}须填写金额", f"a {kind} needs an amount", field="amount_yuan")
    if kind in EXPIRES and expires_on is None:
        raise UserError(f"{label}须填写到期日", f"a {kind} needs an expiry", field="expires_on")
    if expires_on is not None and expires_on <= done_on:
        raise UserError(
            "到期日须晚于办理日期", "the expiry must follow the date", field="expires_on"
        )
    schedule: list[dict[str, Any]] = []
    if kind == "instalment":
        if not instalments:
            raise UserError(
                "分期缴费协议须写明每期的日期和金额",
                "an instalment agreement needs its dates and amounts",
                field="instalments",
            )
        for number, part in enumerate(instalments, start=1):
            due = _parse_day(part.get("due_on"), f"第 {number} 期日期", f"instalment {number}")
            amount = float(part.get("amount") or 0)
            if amount <= 0:
                raise UserError(
                    f"第 {number} 期金额须大于 0",
                    f"instalment {number} needs an amount",
                    field="instalments",
                )
            schedule.append({"due_on": due.isoformat(), "amount": amount, "paid_on": None})
        schedule.sort(key=lambda p: p["due_on"])
        total = sum(p["amount"] for p in schedule)
        if abs(total - float(amount_yuan or 0)) > 0.005:
            raise UserError(
                f"各期金额之和 {total:,.2f} 元与协议金额 {amount_yuan:,.2f} 元不符",
                f"the instalments add up to {total:,.2f}, not {amount_yuan:,.2f}",
                field="instalments",
            )
    with store.begin() as session:
        if session.get(Customer, customer_id) is None:
            raise UserError("找不到该客户", "customer not found")
        action = ArrearsAction(
            customer_id=customer_id,
            kind=kind,
            done_on=done_on,
            contact_name=contact_name.strip() or None,
            note=note.strip() or None,
            amount_yuan=amount_yuan,
            expires_on=expires_on,
            instalments=schedule,
            notice_number=notice_number,
        )
        session.add(action)
    return action.id


def mark_instalment_paid(store: Store, action_id: uuid.UUID, due_on: date, paid_on: date) -> None:
    with store.begin() as session:
        action = session.get(ArrearsAction, action_id)
        if action is None:
            raise UserError("找不到该催收记录", "follow-up record not found")
        schedule = [dict(p) for p in action.instalments]
        for part in schedule:
            if part["due_on"] == due_on.isoformat():
                part["paid_on"] = paid_on.isoformat()
                break
        else:
            raise UserError(
                f"协议中没有 {due_on.isoformat()} 到期的一期",
                f"no instalment falls due on {due_on.isoformat()}",
            )
        action.instalments = schedule  # a new list: the change is seen and synced


def list_actions(store: Store, customer_id: uuid.UUID) -> list[ActionView]:
    with store.read() as session:
        return [
            ActionView(
                a.id,
                a.kind,
                a.done_on,
                a.contact_name,
                a.note,
                a.amount_yuan,
                a.expires_on,
                tuple(a.instalments or ()),
                a.notice_number,
            )
            for a in session.scalars(
                select(ArrearsAction)
                .where(ArrearsAction.customer_id == customer_id)
                .order_by(ArrearsAction.done_on.desc(), ArrearsAction.created_at.desc())
            )
        ]


@dataclass(frozen=True)
class Reminder:
    customer_id: uuid.UUID
    account_no: str
    name: str
    action_id: uuid.UUID
    kind: str  # "instalment" or "expiry"
    due_on: date
    amount: float | None
    overdue: bool


def instalments_due(store: Store, today: date, *, within_days: int = 7) -> list[Reminder]:
    """Unpaid instalments due by ``today + within_days`` (overdue ones too) and guarantees or
    deposits expiring in that time: the reminders of the arrears follow-up."""
    horizon = today + timedelta(days=within_days)
    reminders: list[Reminder] = []
    with store.read() as session:
        rows = session.execute(
            select(ArrearsAction, Customer.account_no, Customer.name)
            .join(Customer, Customer.id == ArrearsAction.customer_id)
            .where(ArrearsAction.kind.in_(["instalment", "guarantee", "deposit"]))
        ).all()
        for action, account, name in rows:
            if action.kind == "instalment":
                for part in action.instalments or ():
                    due = date.fromisoformat(part["due_on"])
                    if part.get("paid_on") is None and due <= horizon:
                        reminders.append(
                            Reminder(
                                action.customer_id,
                                account,
                                name,
                                action.id,
                                "instalment",
                                due,
                                part.get("amount"),
                                due < today,
                            )
                        )
            elif action.expires_on is not None and today <= action.expires_on <= horizon:
                reminders.append(
                    Reminder(
                        action.customer_id,
                        account,
                        name,
                        action.id,
                        "expiry",
                        action.expires_on,
                        action.amount_yuan,
                        False,
                    )
                )
    reminders.sort(key=lambda r: (r.due_on, r.name))
    return reminders
