"""Customer economics from the monthly history: credit score, pyramid basis, trends, arrears.

Pure functions over plain data (no store, no Qt). The credit score is documented here and in
the ``credit.score`` setting: it starts at ``start`` points and loses points for each indicator,
each deduction capped, and every deduction is returned as a reason the manager can read:

=====================  ===========================================================
indicator              deduction (defaults)
=====================  ===========================================================
电费回收率 recovery     ``recovery_per_pct`` (2) per percentage point under 100 %, ≤ 40
缴费准时率 on time      ``on_time_per_pct`` (0.5) per point under 100 %, ≤ 20
overdue count          ``overdue_per_count`` (3) per overdue month, ≤ 15
longest overdue days   ``overdue_per_day`` (0.5) per day, ≤ 15
窃电/违章 violations    ``violation_each`` (15) each, ≤ 30
high-energy industry   ``high_energy`` (5)
operating trouble      ``operating_trouble`` (10)
consumption decline    ``decline`` (5) when the year-on-year change is under ``decline_below``
=====================  ===========================================================

The score (never below 0) maps to AAA/AA/A/B/C through ``credit.ratings`` (lower bounds).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from keyacct_desktop.domain.billing import add_months, month_span
from keyacct_desktop.domain.defaults import (
    DEFAULT_ARREARS_RISK,
    DEFAULT_CREDIT_RATINGS,
    DEFAULT_CREDIT_SCORE,
)

PYRAMID_BASES = ("consumption", "revenue", "profit")


# --------------------------------------------------------------------------- credit


@dataclass(frozen=True)
class CreditIndicators:
    """The indicators of the credit score; None means unknown (no deduction)."""

    recovery_rate: float | None = None
    on_time_rate: float | None = None
    overdue_count: int = 0
    overdue_days_max: int = 0
    violation_count: int = 0
    high_energy: bool = False
    operating_trouble: bool = False
    consumption_growth: float | None = None


@dataclass(frozen=True)
class CreditReason:
    code: str
    points: float  # deducted
    message_zh: str
    message_en: str


@dataclass(frozen=True)
class CreditScore:
    score: float
    rating: str
    reasons: tuple[CreditReason, ...]


def credit_score(
    indicators: CreditIndicators,
    weights: Mapping[str, float] | None = None,
    ratings: Mapping[str, float] | None = None,
) -> CreditScore:
    """Score the indicators (see the module docstring) and give the deductions as reasons."""
    w = {**DEFAULT_CREDIT_SCORE, **(weights or {})}
    bounds = dict(ratings or DEFAULT_CREDIT_RATINGS)
    reasons: list[CreditReason] = []

    def deduct(code: str, points: float, cap: float, zh: str, en: str) -> None:
        points = min(points, cap)
        if points > 0:
            reasons.append(CreditReason(code, round(points, 2), zh, en))

    ind = indicators
    if ind.recovery_rate is not None and ind.recovery_rate < 1:
        pct = (1 - ind.recovery_rate) * 100
        deduct(
            "recovery",
            pct * w["recovery_per_pct"],
            w["recovery_cap"],
            f"电费回收率 {ind.recovery_rate:.1%}",
            f"recovery rate {ind.recovery_rate:.1%}",
        )
    if ind.on_time_rate is not None and ind.on_time_rate < 1:
        pct = (1 - ind.on_time_rate) * 100
        deduct(
            "on_time",
            pct * w["on_time_per_pct"],
            w["on_time_cap"],
            f"缴费准时率 {ind.on_time_rate:.1%}",
            f"on-time payment rate {ind.on_time_rate:.1%}",
        )
    if ind.overdue_count > 0:
        deduct(
            "overdue_count",
            ind.overdue_count * w["overdue_per_count"],
            w["overdue_count_cap"],
            f"近 12 个月逾期 {ind.overdue_count} 次",
            f"{ind.overdue_count} overdue months in the last 12",
        )
    if ind.overdue_days_max > 0:
        deduct(
            "overdue_days",
            ind.overdue_days_max * w["overdue_per_day"],
            w["overdue_days_cap"],
            f"最长逾期 {ind.overdue_days_max} 天",
            f"longest overdue {ind.overdue_days_max} days",
        )
    if ind.violation_count > 0:
        deduct(
            "violation",
            ind.violation_count * w["violation_each"],
            w["violation_cap"],
            f"窃电/违章用电 {ind.violation_count} 次",
            f"{ind.violation_count} power theft / violation records",
        )
    if ind.high_energy:
        deduct(
            "high_energy", w["high_energy"], w["high_energy"], "高耗能行业", "high-energy industry"
        )
    if ind.operating_trouble:
        deduct(
            "operating_trouble",
            w["operating_trouble"],
            w["operating_trouble"],
            "经营困难",
            "operating trouble",
        )
    if ind.consumption_growth is not None and ind.consumption_growth < w["decline_below"]:
        deduct(
            "decline",
            w["decline"],
            w["decline"],
            f"用电量同比下降 {-ind.consumption_growth:.0%}",
            f"consumption down {-ind.consumption_growth:.0%} year on year",
        )
    score = max(0.0, round(w["start"] - sum(r.points for r in reasons), 2))
    rating = "C"
    for name, lower in sorted(bounds.items(), key=lambda item: -item[1]):
        if score >= lower:
            rating = name
            break
    return CreditScore(score, rating, tuple(reasons))


# --------------------------------------------------------------------------- history figures


@dataclass(frozen=True)
class MonthFigures:
    """The figures of one customer month that the economics need (None: not reported)."""

    month: str
    kwh: float | None = None
    bill_yuan: float | None = None
    paid_yuan: float | None = None
    arrears_yuan: float | None = None
    overdue_days: int | None = None


def indicators_from_history(
    months: Sequence[MonthFigures],
    *,
    last_month: str,
    violation_count: int = 0,
    high_energy: bool = False,
    operating_trouble: bool = False,
) -> CreditIndicators:
    """Credit indicators from the 12 months ending with ``last_month``.

    Recovery rate = paid ÷ billed (capped at 1); a month is on time when it closed without
    arrears; overdue count = months that closed with arrears; the longest overdue days are the
    largest reported. Growth compares the 12 months with the 12 before them.
    """
    window = set(month_span(last_month, 12))
    inside = [m for m in months if m.month in window]
    billed = sum(m.bill_yuan or 0.0 for m in inside)
    paid = sum(m.paid_yuan or 0.0 for m in inside if m.bill_yuan is not None)
    recovery = min(1.0, paid / billed) if billed > 0 else None
    closed = [m for m in inside if m.arrears_yuan is not None]
    overdue = [m for m in closed if (m.arrears_yuan or 0) > 0.005]
    on_time = (len(closed) - len(overdue)) / len(closed) if closed else None
    days = max((m.overdue_days or 0 for m in inside), default=0)
    return CreditIndicators(
        recovery_rate=recovery,
        on_time_rate=on_time,
        overdue_count=len(overdue),
        overdue_days_max=days,
        violation_count=violation_count,
        high_energy=high_energy,
        operating_trouble=operating_trouble,
        consumption_growth=year_on_year(months, last_month, 12),
    )


def year_on_year(months: Iterable[MonthFigures], last_month: str, window: int) -> float | None:
    """Change of kWh of the ``window`` months ending ``last_month`` against a year before.

    None when either period is missing a month or the earlier total is 0: a partial year would
    show a fall that did not happen.
    """
    kwh = {m.month: m.kwh for m in months}
    now = [kwh.get(m) for m in month_span(last_month, window)]
    before = [kwh.get(m) for m in month_span(add_months(last_month, -12), window)]
    if any(v is None for v in now) or any(v is None for v in before):
        return None
    earlier = sum(v or 0.0 for v in before)
    if earlier <= 0:
        return None
    return sum(v or 0.0 for v in now) / earlier - 1


def pyramid_value(
    months: Iterable[MonthFigures], basis: str, last_month: str, cost_per_kwh: float
) -> float | None:
    """A customer's value for the pyramid over the 12 months ending ``last_month``.

    consumption = Σ kWh; revenue = Σ bill (元); profit = revenue − kWh × ``cost_per_kwh``
    (the average purchase and grid cost per kWh, a setting): a high-energy user on a
    preferential tariff buys much but contributes little. None when no month has figures.
    """
    if basis not in PYRAMID_BASES:
        raise ValueError(f"unknown pyramid basis {basis!r}")
    window = set(month_span(last_month, 12))
    inside = [m for m in months if m.month in window]
    if not inside:
        return None
    kwh = sum(m.kwh or 0.0 for m in inside)
    revenue = sum(m.bill_yuan or 0.0 for m in inside)
    if basis == "consumption":
        return kwh
    if basis == "revenue":
        return revenue
    return revenue - kwh * cost_per_kwh


# --------------------------------------------------------------------------- arrears


@dataclass(frozen=True)
class ArrearsStatus:
    """Where a customer stands on arrears: amount, days, trend and a risk level."""

    amount: float
    days: int
    trend: float  # change of arrears against the month before (yuan)
    risk: str  # "high" / "medium" / "low"


def arrears_status(
    months: Sequence[MonthFigures],
    thresholds: Mapping[str, Any] | None = None,
    *,
    credit_rating: str | None = None,
) -> ArrearsStatus | None:
    """The latest month's arrears with their trend and risk; None when nothing is owed.

    Risk is high from ``high_days`` overdue days or ``high_amount`` yuan, or when a C-rated
    customer owes anything; medium from ``medium_days`` or ``medium_amount``; low otherwise.
    """
    t = {**DEFAULT_ARREARS_RISK, **(thresholds or {})}
    ordered = sorted((m for m in months if m.arrears_yuan is not None), key=lambda m: m.month)
    if not ordered or (ordered[-1].arrears_yuan or 0) <= 0.005:
        return None
    last = ordered[-1]
    amount = float(last.arrears_yuan or 0.0)
    before = float(ordered[-2].arrears_yuan or 0.0) if len(ordered) > 1 else 0.0
    days = int(last.overdue_days or 0)
    if days >= t["high_days"] or amount >= t["high_amount"] or credit_rating == "C":
        risk = "high"
    elif days >= t["medium_days"] or amount >= t["medium_amount"]:
        risk = "medium"
    else:
        risk = "low"
    return ArrearsStatus(amount, days, amount - before, risk)
