"""Figures for the 首页 dashboard, and the lists behind each figure.

Every tile of the dashboard is a count of a list computed here, so that clicking a tile can
show exactly the records it counted. Plain dataclasses only; no Qt. One read session per
call. Figures are computed in SQL (aggregates, selected columns, ``LIMIT``): the GUI runs
:func:`dashboard` on a worker at start, and its cost must not grow with every customer
becoming a Python object. Visit due dates follow ``visits.*`` frequencies (the shorter of class and grade);
checklist time limits follow the working-day calendar (``calendar.*``, ``limits.*``).
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Float, String, and_, case, cast, func, literal, or_, select

from keyacct_desktop.domain.visit_plan import frequency_days
from keyacct_desktop.domain.workdays import missing_next_year
from keyacct_desktop.services.checklists import counted_limit_conditions, item_clock
from keyacct_desktop.store.calendar import work_calendar
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

    The customer-sized lists (visits due, risk customers) hold at most ``LIST_LIMIT`` rows,
    in the order the drill-down shows them; ``counts`` has every tile's full figure, and
    :func:`tile_records` loads a whole list when its tile is opened.

    Attributes:
        manager: display name of the manager whose customers are counted (None: everyone's).
        by_class: customers by pyramid class in force ("-" = unclassified).
        consumption_by_class: annual kWh by pyramid class.
        satisfaction: (first day of month, average score 1–5, visits) for recent months.
        counts: the figure of each tile by key ("risk", "visits_overdue", "visits_due", …).
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
    counts: dict[str, int] = field(default_factory=dict)
    #: From November: next year, when its official holiday data is missing (deadlines that
    #: reach into it are estimated); None otherwise.
    calendar_missing_year: int | None = None

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

    def count(self, key: str) -> int:
        """A tile's figure: the full count, even when its list was cut at ``LIST_LIMIT``."""
        if key in self.counts:
            return self.counts[key]
        return len(self.records(key))

    def records(self, key: str) -> list[Any]:
        """The (possibly cut) list behind a tile."""
        lists: dict[str, list[Any]] = {
            "risk": self.risks,
            "visits_overdue": self.visits_overdue,
            "visits_due": self.visits_due_soon,
            "referrals": self.referrals,
            "referrals_overdue": self.referrals_overdue,
            "limits": self.limits,
            "limits_overdue": self.limits_overdue,
            "notices": self.notices,
        }
        return lists[key]

    def is_complete(self, key: str) -> bool:
        """Whether the list behind a tile holds every record it counts."""
        return len(self.records(key)) >= self.count(key)


#: Rows of the customer-sized lists (visits due, risks) computed with the dashboard.
LIST_LIMIT = 500


def visit_frequency_days(customer: Any, settings: Any) -> int:
    """Days between visits: the shorter of the class and the important-grade frequency."""
    return frequency_days(
        customer.pyramid_override or customer.pyramid_class,
        customer.important_grade,
        settings.get("visits.class_frequency_days"),
        settings.get("visits.grade_frequency_days"),
    )


def _frequency_sql(settings: Any) -> Any:
    """:func:`visit_frequency_days` as an SQL expression over the customer's columns."""
    by_class = {str(k): int(v) for k, v in settings.get("visits.class_frequency_days").items()}
    by_grade = {str(k): int(v) for k, v in settings.get("visits.grade_frequency_days").items()}
    klass = func.coalesce(Customer.pyramid_override, Customer.pyramid_class, "D")
    class_days = case(by_class, value=klass, else_=180) if by_class else literal(180)
    if not by_grade:
        return class_days
    grade_days = case(by_grade, value=Customer.important_grade, else_=None)
    return case(
        (and_(grade_days.is_not(None), grade_days < class_days), grade_days), else_=class_days
    )


def _reason_flags() -> list[tuple[str, Any]]:
    """:func:`risk_reasons` as SQL: (reason code, condition) in the same order."""
    return [
        ("credit", Customer.credit_rating.in_(RISK_RATINGS)),
        ("recovery", Customer.recovery_rate < RISK_RECOVERY_RATE),
        ("on_time", Customer.on_time_rate < RISK_ON_TIME_RATE),
        ("overdue", func.coalesce(Customer.overdue_count, 0) >= RISK_OVERDUE_COUNT),
        ("violation", func.coalesce(Customer.violation_count, 0) != 0),
        ("trouble", func.coalesce(Customer.operating_trouble, False).is_(True)),
    ]


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


def _customer_filter(manager_id: uuid.UUID | None) -> list[Any]:
    return [Customer.manager_id == manager_id] if manager_id else []


def _visits_due_query(settings: Any, today: date, manager_id: uuid.UUID | None) -> Any:
    """Pooled, active customers due by ``today + DUE_WITHIN_DAYS``, with due day and flags.

    Columns: id, account_no, name, class in force, last visit, due day (ISO text), overdue.
    """
    last = (
        select(Visit.customer_id, func.max(Visit.started_at).label("last"))
        .where(Visit.status == "completed")
        .group_by(Visit.customer_id)
        .subquery()
    )
    frequency = _frequency_sql(settings)
    last_day = func.date(last.c.last)
    today_text = today.isoformat()
    due = func.coalesce(
        func.date(last_day, literal("+") + cast(frequency, String) + literal(" days")),
        today_text,
    ).label("due")
    overdue = or_(last.c.last.is_(None), due < today_text).label("overdue")
    horizon = (today + timedelta(days=DUE_WITHIN_DAYS)).isoformat()
    return (
        select(
            Customer.id,
            Customer.account_no,
            Customer.name,
            func.coalesce(Customer.pyramid_override, Customer.pyramid_class).label("klass"),
            last.c.last,
            due,
            overdue,
        )
        .outerjoin(last, last.c.customer_id == Customer.id)
        .where(
            Customer.pool_status == "pooled",
            Customer.status == "active",
            due <= horizon,
            *_customer_filter(manager_id),
        )
    )


def _visits_due(
    session: Any,
    settings: Any,
    today: date,
    manager_id: uuid.UUID | None,
    overdue: bool,
    limit: int | None,
) -> list[VisitDue]:
    query = _visits_due_query(settings, today, manager_id).subquery()
    statement = (
        select(query)
        .where(query.c.overdue.is_(overdue))
        .order_by(query.c.due, query.c.name)
        .limit(limit)
    )
    return [
        VisitDue(
            row.id,
            row.account_no,
            row.name,
            row.klass,
            row.last.date() if row.last else None,
            date.fromisoformat(row.due),
            bool(row.overdue),
        )
        for row in session.execute(statement)
    ]


def _risks(session: Any, manager_id: uuid.UUID | None, limit: int | None) -> list[RiskCustomer]:
    flags = _reason_flags()
    reasons = sum((case((condition, 1), else_=0) for _code, condition in flags), literal(0))
    statement = (
        select(
            Customer.id,
            Customer.account_no,
            Customer.name,
            *(case((condition, 1), else_=0) for _code, condition in flags),
        )
        .where(or_(*(condition for _code, condition in flags)), *_customer_filter(manager_id))
        .order_by(reasons.desc(), Customer.name)
        .limit(limit)
    )
    return [
        RiskCustomer(
            row[0],
            row[1],
            row[2],
            tuple(code for (code, _c), hit in zip(flags, row[3:], strict=True) if hit),
        )
        for row in session.execute(statement)
    ]


def tile_records(
    store: Store,
    settings: Any,
    key: str,
    today: date | None = None,
    manager_id: uuid.UUID | None = None,
) -> list[Any]:
    """The whole list behind one of the customer-sized tiles ("risk", "visits_*")."""
    today = today or date.today()
    with store.read() as session:
        if key == "risk":
            return _risks(session, manager_id, None)
        if key in ("visits_overdue", "visits_due"):
            return _visits_due(session, settings, today, manager_id, key == "visits_overdue", None)
    raise KeyError(key)


def dashboard(
    store: Store,
    settings: Any,
    today: date | None = None,
    manager_id: uuid.UUID | None = None,
    manager_name: str | None = None,
    *,
    limit: int | None = LIST_LIMIT,
) -> Dashboard:
    """Compute the dashboard for ``manager_id``'s customers (all customers when None).

    Figures are aggregated in SQL (``GROUP BY``, counts) and only the first ``limit`` rows of
    the customer-sized lists are read (``None``: all), so the cost does not grow with the
    number of customers turned into Python objects.
    """
    today = today or date.today()
    calendar = work_calendar(store, settings)
    warn = int(settings.get("limits.warn_within_workdays"))
    customer_filter = _customer_filter(manager_id)
    with store.read() as session:
        effective = func.coalesce(Customer.pyramid_override, Customer.pyramid_class, "-")
        by_class: dict[str, int] = {}
        consumption: dict[str, float] = {}
        for klass, count, kwh in session.execute(
            select(effective, func.count(), func.coalesce(func.sum(Customer.annual_kwh), 0.0))
            .where(*customer_filter)
            .group_by(effective)
        ):
            by_class[klass] = count
            consumption[klass] = float(kwh)
        due = _visits_due_query(settings, today, manager_id).subquery()
        overdue_count, soon_count = session.execute(
            select(
                func.coalesce(func.sum(case((due.c.overdue, 1), else_=0)), 0),
                func.coalesce(func.sum(case((due.c.overdue, 0), else_=1)), 0),
            )
        ).one()
        visits_due = _visits_due(session, settings, today, manager_id, True, limit)
        visits_due += _visits_due(session, settings, today, manager_id, False, limit)
        risk_count = session.scalar(
            select(func.count())
            .select_from(Customer)
            .where(or_(*(c for _code, c in _reason_flags())), *customer_filter)
        )
        risks = _risks(session, manager_id, limit)
        referrals = [
            OpenReferral(
                referral_id,
                customer_id,
                name,
                team,
                demand_type,
                state,
                due_on,
                state in OPEN_REFERRAL_STATES and due_on is not None and due_on < today,
            )
            for referral_id, customer_id, team, demand_type, state, due_on, name in session.execute(
                select(
                    Referral.id,
                    Referral.customer_id,
                    Referral.team,
                    Referral.demand_type,
                    Referral.state,
                    Referral.due_on,
                    Customer.name,
                )
                .join(Customer, Customer.id == Referral.customer_id)
                .where(Referral.state.in_(OPEN_REFERRAL_STATES), *customer_filter)
            ).all()
        ]
        limits = []
        for (
            checklist_id,
            number,
            customer_name,
            text,
            days,
            started_on,
            completed_on,
        ) in session.execute(
            select(
                Checklist.id,
                Checklist.number,
                Customer.name,
                ChecklistItem.text,
                ChecklistItem.time_limit_days,
                ChecklistItem.started_on,
                ChecklistItem.completed_on,
            )
            .join(ChecklistItem, ChecklistItem.checklist_id == Checklist.id)
            .join(Customer, Customer.id == Checklist.customer_id)
            .where(*counted_limit_conditions(), *customer_filter)
        ).all():
            # the checklist page's rule: an unstarted or completed step is never expiring
            clock = item_clock(calendar, days, started_on, completed_on, today, warn)
            if clock.needs_attention:
                assert clock.deadline is not None and clock.remaining is not None
                limits.append(
                    ExpiringLimit(
                        checklist_id,
                        number,
                        customer_name,
                        text,
                        clock.deadline,
                        clock.remaining,
                        clock.overdue,
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
        satisfaction = _monthly_scores_sql(session, today, customer_filter)
    referrals.sort(key=lambda r: (r.due_on or date.max, r.customer))
    limits.sort(key=lambda limit: (limit.deadline, limit.customer))
    return Dashboard(
        today=today,
        manager=manager_name,
        by_class=dict(sorted(by_class.items())),
        consumption_by_class=dict(sorted(consumption.items())),
        visits_due=sorted(visits_due, key=lambda v: (v.due_on, v.name)),
        referrals=referrals,
        limits=limits,
        notices=sorted(notices, key=lambda n: (n.starts_at, n.customer)),
        risks=risks,
        satisfaction=satisfaction,
        counts={
            "risk": int(risk_count or 0),
            "visits_overdue": int(overdue_count),
            "visits_due": int(soon_count),
        },
        calendar_missing_year=missing_next_year(calendar, today),
    )


def _monthly_scores_sql(
    session: Any, today: date, customer_filter: list[Any]
) -> list[tuple[date, float, int]]:
    """:func:`_monthly_scores` in SQL: one row per month instead of one per visit."""
    scores = (Visit.score_reliability, Visit.score_billing, Visit.score_service)
    given = sum((case((s.is_not(None), 1), else_=0) for s in scores), literal(0))
    total = sum((func.coalesce(s, 0) for s in scores), literal(0))
    start = _months_back(today, TREND_MONTHS)
    month = func.strftime("%Y-%m", Visit.started_at).label("month")
    visit_mean = cast(total, Float) / given
    rows = session.execute(
        select(month, func.avg(visit_mean), func.count())
        .join(Customer, Customer.id == Visit.customer_id)
        .where(
            Visit.status == "completed",
            Visit.started_at >= datetime.combine(start, datetime.min.time()),
            given > 0,
            *customer_filter,
        )
        .group_by(month)
        .order_by(month)
    )
    return [
        (date(int(m[:4]), int(m[5:7]), 1), round(float(mean), 2), int(count))
        for m, mean, count in rows
    ]
