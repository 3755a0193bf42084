"""Figures for the 首页 dashboard, and the lists behind each figure.

Every tile of the dashboard is a count of a list computed here, so that clicking a tile can
show exactly the records it counted. Plain dataclasses only; no Qt. One read session per
call. Visit due dates follow ``visits.*`` frequencies (the shorter of class and grade);
checklist time limits follow the working-day calendar (``calendar.*``, ``limits.*``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from keyacct_desktop.domain.workdays import WorkCalendar, limit_status
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import (
    Checklist,
    ChecklistItem,
    Customer,
    OutageEvent,
    OutageNotice,
    Referral,
    User,
    Visit,
)

#: Referrals whose loop is not closed; past their due date they are overdue (as on 转办).
OPEN_REFERRAL_STATES = ("open", "in_progress", "answered")
#: A visit is "due" when it falls due within this many days.
DUE_WITHIN_DAYS = 14
#: Months of visits in the satisfaction trend.
TREND_MONTHS = 12
#: Thresholds of the arrears/credit risk rule (see :func:`risk_reasons`).
RISK_RECOVERY_RATE = 0.98
RISK_ON_TIME_RATE = 0.90
RISK_OVERDUE_COUNT = 3
RISK_RATINGS = ("B", "C")


@dataclass(frozen=True)
class Overview:
    customers: int
    by_class: dict[str, int]
    visits_last_30_days: int
    open_referrals: int
    overdue_referrals: int


def overview(store: Store, now: datetime | None = None) -> Overview:
    now = now or datetime.now()
    effective = func.coalesce(Customer.pyramid_override, Customer.pyramid_class)
    with store.read() as session:
        by_class = {
            (klass or "-"): count
            for klass, count in session.execute(select(effective, func.count()).group_by(effective))
        }
        visits = session.scalar(
            select(func.count())
            .select_from(Visit)
            .where(Visit.started_at >= now - timedelta(days=30))
        )
        open_referrals = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.state.in_(OPEN_REFERRAL_STATES))
        )
        overdue = session.scalar(
            select(func.count())
            .select_from(Referral)
            .where(Referral.state.in_(OPEN_REFERRAL_STATES), Referral.due_on < now.date())
        )
    return Overview(
        customers=sum(by_class.values()),
        by_class=by_class,
        visits_last_30_days=visits or 0,
        open_referrals=open_referrals or 0,
        overdue_referrals=overdue or 0,
    )


# --- the dashboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class VisitDue:
    """A customer whose next visit is due (or overdue) by the configured frequency."""

    customer_id: uuid.UUID
    account_no: str
    name: str
    pyramid_class: str | None
    last_visit: date | None
    due_on: date
    overdue: bool


@dataclass(frozen=True)
class OpenReferral:
    referral_id: uuid.UUID
    customer_id: uuid.UUID
    customer: str
    team: str
    demand_type: str
    state: str
    due_on: date | None
    overdue: bool


@dataclass(frozen=True)
class ExpiringLimit:
    """An issued checklist's time limit that is about to expire or has expired."""

    checklist_id: uuid.UUID
    number: str | None
    customer: str
    text: str
    deadline: date
    remaining: int
    overdue: bool


@dataclass(frozen=True)
class NoticeToDeliver:
    notice_id: uuid.UUID
    event_id: uuid.UUID
    customer_id: uuid.UUID
    customer: str
    number: str | None
    starts_at: datetime
    area: str


@dataclass(frozen=True)
class RiskCustomer:
    customer_id: uuid.UUID
    account_no: str
    name: str
    reasons: tuple[str, ...]  # reason codes, see RISK_REASON_LABELS


#: Reason codes of :func:`risk_reasons` with their zh/en labels.
RISK_REASON_LABELS: dict[str, tuple[str, str]] = {
    "credit": ("信用等级低", "low credit rating"),
    "recovery": ("电费回收率低", "low bill recovery"),
    "on_time": ("缴费准时率低", "late payments"),
    "overdue": ("多次欠费", "repeated arrears"),
    "violation": ("窃电/违章用电", "theft or violations"),
    "trouble": ("经营困难", "operating trouble"),
}


def risk_reasons(customer: Any) -> tuple[str, ...]:
    """Why a customer counts as an arrears/credit risk (empty: not a risk)."""
    reasons = []
    if customer.credit_rating in RISK_RATINGS:
        reasons.append("credit")
    if customer.recovery_rate is not None and customer.recovery_rate < RISK_RECOVERY_RATE:
        reasons.append("recovery")
    if customer.on_time_rate is not None and customer.on_time_rate < RISK_ON_TIME_RATE:
        reasons.append("on_time")
    if (customer.overdue_count or 0) >= RISK_OVERDUE_COUNT:
        reasons.append("overdue")
    if customer.violation_count:
        reasons.append("violation")
    if customer.operating_trouble:
        reasons.append("trouble")
    return tuple(reasons)


@dataclass(frozen=True)
class Dashboard:
    """Everything the 首页 shows; each list is what its tile counts.

    Attributes:
        manager: display name of the manager whose customers are counted (None: everyone's).
        by_class: customers by pyramid class in force ("-" = unclassified).
        consumption_by_class: annual kWh by pyramid class.
        satisfaction: (first day of month, average score 1–5, visits) for recent months.
    """

    today: date
    manager: str | None
    by_class: dict[str, int]
    consumption_by_class: dict[str, float]
    visits_due: list[VisitDue] = field(default_factory=list)
    referrals: list[OpenReferral] = field(default_factory=list)
    limits: list[ExpiringLimit] = field(default_factory=list)
    notices: list[NoticeToDeliver] = field(default_factory=list)
    risks: list[RiskCustomer] = field(default_factory=list)
    satisfaction: list[tuple[date, float, int]] = field(default_factory=list)

    @property
    def customers(self) -> int:
        return sum(self.by_class.values())

    @property
    def visits_overdue(self) -> list[VisitDue]:
        return [v for v in self.visits_due if v.overdue]

    @property
    def visits_due_soon(self) -> list[VisitDue]:
        return [v for v in self.visits_due if not v.overdue]

    @property
    def referrals_overdue(self) -> list[OpenReferral]:
        return [r for r in self.referrals if r.overdue]

    @property
    def referrals_by_team(self) -> dict[str, int]:
        counts: dict[str, int] = defaultdict(int)
        for referral in self.referrals:
            counts[referral.team] += 1
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    @property
    def limits_overdue(self) -> list[ExpiringLimit]:
        return [limit for limit in self.limits if limit.overdue]


def visit_frequency_days(customer: Any, settings: Any) -> int:
    """Days between visits: the shorter of the class and the important-grade frequency."""
    by_class = settings.get("visits.class_frequency_days")
    by_grade = settings.get("visits.grade_frequency_days")
    candidates = [
        int(by_class.get(customer.pyramid_override or customer.pyramid_class or "D", 180))
    ]
    if customer.important_grade and customer.important_grade in by_grade:
        candidates.append(int(by_grade[customer.important_grade]))
    return min(candidates)


def _months_back(today: date, months: int) -> date:
    month_index = today.year * 12 + today.month - 1 - (months - 1)
    return date(month_index // 12, month_index % 12 + 1, 1)


def manager_for(store: Store, username: str) -> tuple[uuid.UUID, str] | None:
    """The user signed in to sync (``sync.username``), if this store knows them."""
    if not username:
        return None
    with store.read() as session:
        row = session.execute(
            select(User.id, User.display_name).where(User.username == username)
        ).first()
    return (row[0], row[1]) if row else None


def dashboard(
    store: Store,
    settings: Any,
    today: date | None = None,
    manager_id: uuid.UUID | None = None,
    manager_name: str | None = None,
) -> Dashboard:
    """Compute the dashboard for ``manager_id``'s customers (all customers when None)."""
    today = today or date.today()
    calendar = WorkCalendar.from_settings(settings)
    warn = int(settings.get("limits.warn_within_workdays"))
    with store.read() as session:
        customer_filter = [Customer.manager_id == manager_id] if manager_id else []
        # Plain rows of the columns used, never ORM entities: 100k customers stay cheap.
        customers = session.execute(
            select(
                Customer.id,
                Customer.account_no,
                Customer.name,
                Customer.pyramid_class,
                Customer.pyramid_override,
                Customer.annual_kwh,
                Customer.important_grade,
                Customer.pool_status,
                Customer.status,
                Customer.credit_rating,
                Customer.recovery_rate,
                Customer.on_time_rate,
                Customer.overdue_count,
                Customer.violation_count,
                Customer.operating_trouble,
            ).where(*customer_filter)
        ).all()
        last_visits = dict(
            session.execute(
                select(Visit.customer_id, func.max(Visit.started_at))
                .where(Visit.status == "completed")
                .group_by(Visit.customer_id)
            ).all()
        )
        by_class: dict[str, int] = defaultdict(int)
        consumption: dict[str, float] = defaultdict(float)
        visits_due: list[VisitDue] = []
        risks: list[RiskCustomer] = []
        for customer in customers:
            klass = customer.pyramid_override or customer.pyramid_class or "-"
            by_class[klass] += 1
            consumption[klass] += customer.annual_kwh or 0.0
            reasons = risk_reasons(customer)
            if reasons:
                risks.append(RiskCustomer(customer.id, customer.account_no, customer.name, reasons))
            if customer.pool_status != "pooled" or customer.status != "active":
                continue
            last = last_visits.get(customer.id)
            last_day = last.date() if last else None
            due = (
                last_day + timedelta(days=visit_frequency_days(customer, settings))
                if last_day
                else today
            )
            if due <= today + timedelta(days=DUE_WITHIN_DAYS):
                visits_due.append(
                    VisitDue(
                        customer.id,
                        customer.account_no,
                        customer.name,
                        klass if klass != "-" else None,
                        last_day,
                        due,
                        due < today or last_day is None,
                    )
                )
        referrals = [
            OpenReferral(
                r.id,
                r.customer_id,
                name,
                r.team,
                r.demand_type,
                r.state,
                r.due_on,
                r.state in OPEN_REFERRAL_STATES and r.due_on is not None and r.due_on < today,
            )
            for r, name in session.execute(
                select(Referral, Customer.name)
                .join(Customer, Customer.id == Referral.customer_id)
                .where(Referral.state.in_(OPEN_REFERRAL_STATES), *customer_filter)
            ).all()
        ]
        limits = []
        for checklist_id, number, accepted_on, customer_name, text, days in session.execute(
            select(
                Checklist.id,
                Checklist.number,
                Checklist.accepted_on,
                Customer.name,
                ChecklistItem.text,
                ChecklistItem.time_limit_days,
            )
            .join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
            .join(Customer, Customer.id == Checklist.customer_id)
            .where(
                Checklist.status == "issued",
                Checklist.accepted_on.is_not(None),
                ChecklistItem.time_limit_days.is_not(None),
                ChecklistItem.received_on.is_(None),
                *customer_filter,
            )
        ).all():
            status = limit_status(calendar, accepted_on, days, today, warn)
            if status.warning or status.overdue:
                limits.append(
                    ExpiringLimit(
                        checklist_id,
                        number,
                        customer_name,
                        text,
                        status.deadline,
                        status.remaining,
                        status.overdue,
                    )
                )
        notices = [
            NoticeToDeliver(n_id, e_id, c_id, c_name, number, starts_at, area)
            for n_id, e_id, c_id, c_name, number, starts_at, area in session.execute(
                select(
                    OutageNotice.id,
                    OutageEvent.id,
                    Customer.id,
                    Customer.name,
                    OutageNotice.number,
                    OutageEvent.starts_at,
                    OutageEvent.area,
                )
                .join(OutageEvent, OutageEvent.id == OutageNotice.event_id)
                .join(Customer, Customer.id == OutageNotice.customer_id)
                .where(
                    OutageEvent.status == "issued",
                    OutageNotice.delivered_at.is_(None),
                    OutageEvent.starts_at >= datetime.combine(today, datetime.min.time()),
                    *customer_filter,
                )
            ).all()
        ]
        start = _months_back(today, TREND_MONTHS)
        score_rows = session.execute(
            select(
                Visit.started_at,
                Visit.score_reliability,
                Visit.score_billing,
                Visit.score_service,
            )
            .join(Customer, Customer.id == Visit.customer_id)
            .where(
                Visit.status == "completed",
                Visit.started_at >= datetime.combine(start, datetime.min.time()),
                *customer_filter,
            )
        ).all()
    return Dashboard(
        today=today,
        manager=manager_name,
        by_class=dict(sorted(by_class.items())),
        consumption_by_class=dict(sorted(consumption.items())),
        visits_due=sorted(visits_due, key=lambda v: (v.due_on, v.name)),
        referrals=sorted(referrals, key=lambda r: (r.due_on or date.max, r.customer)),
        limits=sorted(limits, key=lambda limit: (limit.deadline, limit.customer)),
        notices=sorted(notices, key=lambda n: (n.starts_at, n.customer)),
        risks=sorted(risks, key=lambda r: (-len(r.reasons), r.name)),
        satisfaction=_monthly_scores(score_rows),
    )


def _monthly_scores(rows: Iterable[Any]) -> list[tuple[date, float, int]]:
    """Average of a visit's scores (those given), then the mean of visits per month."""
    per_month: dict[date, list[float]] = defaultdict(list)
    for started_at, *scores in rows:
        given = [s for s in scores if s is not None]
        if given:
            per_month[date(started_at.year, started_at.month, 1)].append(sum(given) / len(given))
    return [
        (month, round(sum(values) / len(values), 2), len(values))
        for month, values in sorted(per_month.items())
    ]
