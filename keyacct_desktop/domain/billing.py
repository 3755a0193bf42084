"""Basic-charge (基本电费) advice for two-part-tariff customers, and month arithmetic.

Pure functions over plain numbers, so the figures can be checked by hand (see
``tests/test_billing.py`` for worked cases). The rules, as commonly quoted from
国家电网财〔2016〕633号 (every figure is a setting, :func:`rules_from_settings`):

* capacity billing (按容量): the month's charge is ``capacity kVA × 元/kVA·月``;
* demand billing (按需量): the approved demand is the declared demand, but never less than
  ``demand_floor_share`` (40 %) of the capacity. The month's charge is
  ``approved × 元/kW·月``; when the month's actual maximum demand exceeds ``demand_tolerance``
  (105 %) of the approved demand, the excess over that 105 % is billed ``excess_factor`` (2) times:
  ``charge = price × (approved + factor × max(0, actual − 1.05 × approved))``.

The advice compares both modes over the recorded months (up to the last 12), recommends the
cheaper one and, for demand billing, the declared demand with the lowest total, and flags load
rates (max demand ÷ capacity) that suggest 减容, 暂停 or 增容 with the rules that apply to them
(whole transformers, 6 months to 2 years; at most 2 suspensions and 6 months a year).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

MONTH_PATTERN = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


# --------------------------------------------------------------------------- months


def parse_month(text: str) -> tuple[int, int]:
    """``"2026-03"`` → ``(2026, 3)``; raises ``ValueError`` for anything else."""
    match = MONTH_PATTERN.match(text)
    if not match:
        raise ValueError(f"not a month (YYYY-MM): {text!r}")
    return int(match.group(1)), int(match.group(2))


@cache
def add_months(month: str, count: int) -> str:
    """The month ``count`` months after (or before, when negative) ``month`` (cached: a few
    dozen distinct months are asked for again for every customer)."""
    year, mon = parse_month(month)
    index = year * 12 + (mon - 1) + count
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_span(last: str, count: int) -> list[str]:
    """The ``count`` months ending with ``last``, oldest first."""
    return list(_span(last, count))


@cache
def _span(last: str, count: int) -> tuple[str, ...]:
    return tuple(add_months(last, offset) for offset in range(-count + 1, 1))


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class BasicChargeRules:
    """Prices and thresholds of the basic charge and of the capacity advice.

    Attributes:
        capacity_price: 元 per kVA per month (capacity billing).
        demand_price: 元 per kW per month (demand billing).
        demand_floor_share: a declared demand below this share of the capacity counts as it.
        demand_tolerance: actual demand above this multiple of the approved one is excess.
        excess_factor: the excess is billed this many times the demand price.
        declared_step_kw: declared demands are recommended in steps of this many kW.
        min_months: fewer recorded months than this give no advice.
        reduce_below_load_rate: every month of the last ``reduction_min_months`` under this
            load rate suggests 减容.
        reduce_target_load_rate: the capacity kept after 减容 must carry the peak at or under
            this load rate.
        suspend_below_load_rate: months under this load rate are candidates for 暂停.
        expand_from_load_rate: a month at or over this load rate suggests 增容.
        reduction_min_months / reduction_max_years: 减容 lasts 6 months to 2 years.
        suspension_times_per_year / suspension_max_months_per_year: 暂停 limits.
    """

    capacity_price: float = 28.0
    demand_price: float = 42.0
    demand_floor_share: float = 0.40
    demand_tolerance: float = 1.05
    excess_factor: float = 2.0
    declared_step_kw: float = 1.0
    min_months: int = 6
    reduce_below_load_rate: float = 0.30
    reduce_target_load_rate: float = 0.80
    suspend_below_load_rate: float = 0.05
    expand_from_load_rate: float = 0.90
    reduction_min_months: int = 6
    reduction_max_years: int = 2
    suspension_times_per_year: int = 2
    suspension_max_months_per_year: int = 6


def rules_from_settings(settings: Any) -> BasicChargeRules:
    """Build the rules from the settings in force (missing keys keep their defaults)."""
    values: dict[str, Any] = {}
    for key in ("billing.basic_charge", "billing.capacity_advice"):
        values.update(settings.get(key) or {})
    terms = settings.get("limits.customer_terms") or {}
    for key in (
        "reduction_min_months",
        "reduction_max_years",
        "suspension_times_per_year",
        "suspension_max_months_per_year",
    ):
        if key in terms:
            values[key] = terms[key]
    known = BasicChargeRules.__dataclass_fields__
    typed: dict[str, Any] = {}
    for key, value in values.items():
        if key not in known or not isinstance(value, int | float) or isinstance(value, bool):
            continue
        typed[key] = int(value) if isinstance(getattr(BasicChargeRules, key), int) else value
    return BasicChargeRules(**typed)


# --------------------------------------------------------------------------- one month


@dataclass(frozen=True)
class DemandCharge:
    """One month under demand billing: the approved demand, the excess and the charge."""

    approved_kw: float
    excess_kw: float
    charge: float


def approved_demand(declared_kw: float, capacity_kva: float, rules: BasicChargeRules) -> float:
    """The demand billed: the declared one, raised to the floor share of the capacity."""
    return max(declared_kw, rules.demand_floor_share * capacity_kva)


def demand_month_charge(
    declared_kw: float, actual_kw: float, capacity_kva: float, rules: BasicChargeRules
) -> DemandCharge:
    """``price × (approved + factor × excess over tolerance × approved)`` for one month."""
    approved = approved_demand(declared_kw, capacity_kva, rules)
    excess = max(0.0, actual_kw - rules.demand_tolerance * approved)
    charge = rules.demand_price * (approved + rules.excess_factor * excess)
    return DemandCharge(approved, excess, charge)


def capacity_month_charge(capacity_kva: float, rules: BasicChargeRules) -> float:
    return capacity_kva * rules.capacity_price


def demand_total(
    declared_kw: float, demands: Sequence[float], capacity_kva: float, rules: BasicChargeRules
) -> float:
    return sum(demand_month_charge(declared_kw, d, capacity_kva, rules).charge for d in demands)


def best_declared_demand(
    demands: Sequence[float], capacity_kva: float, rules: BasicChargeRules
) -> float:
    """The declared demand (in steps) with the lowest demand-billing total over ``demands``.

    The total is convex and piecewise linear in the approved demand, with corners at the floor
    and at each ``actual ÷ tolerance``; so the best step lies next to one of them. Ties go to
    the larger demand (more headroom against the surcharge).
    """
    floor = rules.demand_floor_share * capacity_kva
    step = rules.declared_step_kw if rules.declared_step_kw > 0 else 1.0
    candidates = {floor}
    for actual in demands:
        corner = actual / rules.demand_tolerance
        candidates.add(math.floor(corner / step) * step)
        candidates.add(math.ceil(corner / step) * step)
    upper = max(capacity_kva, floor)
    usable = sorted({min(max(c, floor), upper) for c in candidates})
    best = usable[0]
    best_total = demand_total(best, demands, capacity_kva, rules)
    for candidate in usable[1:]:
        total = demand_total(candidate, demands, capacity_kva, rules)
        if total <= best_total + 1e-9:
            best, best_total = candidate, total
    return best


# --------------------------------------------------------------------------- the advice


@dataclass(frozen=True)
class MonthDemand:
    """One recorded month: its key ``YYYY-MM`` and maximum demand in kW (None: not recorded)."""

    month: str
    max_demand_kw: float | None


@dataclass(frozen=True)
class AdviceMonth:
    month: str
    max_demand_kw: float
    load_rate: float
    capacity_charge: float
    demand_charge: float  # at the recommended declared demand
    excess_kw: float


@dataclass(frozen=True)
class AdviceFlag:
    """A suggestion beyond the billing mode: ``reduce`` (减容), ``suspend`` (暂停), ``expand``."""

    code: str
    message_zh: str
    message_en: str
    saving: float | None = None
    months: tuple[str, ...] = ()


@dataclass(frozen=True)
class BasicChargeAdvice:
    """The comparison of the two billing modes and what to suggest to the customer."""

    capacity_kva: float
    months: tuple[AdviceMonth, ...]
    capacity_total: float
    demand_total: float
    declared_kw: float
    recommended_mode: str  # "capacity" or "demand"
    saving: float  # the dearer mode's total minus the cheaper one's
    current_mode: str | None = None
    current_declared_kw: float | None = None
    current_total: float | None = None  # the current mode's total, for comparison
    saving_vs_current: float | None = None
    flags: tuple[AdviceFlag, ...] = field(default_factory=tuple)


class AdviceUnavailable(ValueError):
    """Not enough data for advice; carries a Chinese and an English reason."""

    def __init__(self, message_zh: str, message_en: str) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en


def basic_charge_advice(
    history: Sequence[MonthDemand],
    capacity_kva: float | None,
    rules: BasicChargeRules,
    *,
    current_mode: str | None = None,
    current_declared_kw: float | None = None,
    transformers_kva: Sequence[float] = (),
) -> BasicChargeAdvice:
    """Compare capacity and demand billing over the last 12 recorded months and advise.

    Raises:
        AdviceUnavailable: no capacity, or fewer than ``rules.min_months`` recorded demands.
    """
    if not capacity_kva or capacity_kva <= 0:
        raise AdviceUnavailable("客户没有登记合同容量,无法测算基本电费", "no contracted capacity")
    recorded = sorted(
        (m for m in history if m.max_demand_kw is not None and m.max_demand_kw >= 0),
        key=lambda m: m.month,
    )[-12:]
    if len(recorded) < rules.min_months:
        raise AdviceUnavailable(
            f"只有 {len(recorded)} 个月的最大需量记录,至少需要 {rules.min_months} 个月",
            f"only {len(recorded)} months of maximum demand, {rules.min_months} needed",
        )
    demands = [float(m.max_demand_kw or 0.0) for m in recorded]
    declared = best_declared_demand(demands, capacity_kva, rules)
    months = []
    for record, actual in zip(recorded, demands, strict=True):
        charge = demand_month_charge(declared, actual, capacity_kva, rules)
        months.append(
            AdviceMonth(
                record.month,
                actual,
                actual / capacity_kva,
                capacity_month_charge(capacity_kva, rules),
                charge.charge,
                charge.excess_kw,
            )
        )
    capacity_sum = sum(m.capacity_charge for m in months)
    demand_sum = sum(m.demand_charge for m in months)
    mode = "demand" if demand_sum < capacity_sum else "capacity"
    current_total = None
    if current_mode == "capacity":
        current_total = capacity_sum
    elif current_mode == "demand" and current_declared_kw is not None:
        current_total = demand_total(current_declared_kw, demands, capacity_kva, rules)
    best_total = min(capacity_sum, demand_sum)
    return BasicChargeAdvice(
        capacity_kva=capacity_kva,
        months=tuple(months),
        capacity_total=capacity_sum,
        demand_total=demand_sum,
        declared_kw=declared,
        recommended_mode=mode,
        saving=abs(capacity_sum - demand_sum),
        current_mode=current_mode,
        current_declared_kw=current_declared_kw,
        current_total=current_total,
        saving_vs_current=None if current_total is None else current_total - best_total,
        flags=tuple(capacity_flags(months, capacity_kva, rules, transformers_kva)),
    )


def _runs(months: Sequence[AdviceMonth], low: set[str]) -> list[list[str]]:
    """Consecutive runs of months (by calendar) whose key is in ``low``."""
    runs: list[list[str]] = []
    for month in months:
        if month.month not in low:
            continue
        if runs and add_months(runs[-1][-1], 1) == month.month:
            runs[-1].append(month.month)
        else:
            runs.append([month.month])
    return runs


def removable_transformers(
    transformers_kva: Sequence[float], keep_at_least_kva: float
) -> list[float]:
    """Whole transformers that can be taken out while the rest still carries ``keep_at_least``.

    Largest first, greedily: 减容 goes by whole transformers, and fewer, larger units give the
    biggest saving for the same paperwork.
    """
    remaining = sum(transformers_kva)
    removed: list[float] = []
    for size in sorted(transformers_kva, reverse=True):
        if remaining - size >= keep_at_least_kva and remaining - size > 0:
            removed.append(size)
            remaining -= size
    return removed


def capacity_flags(
    months: Sequence[AdviceMonth],
    capacity_kva: float,
    rules: BasicChargeRules,
    transformers_kva: Sequence[float] = (),
) -> list[AdviceFlag]:
    """减容 / 暂停 / 增容 suggestions from the load rates of the recorded months."""
    flags: list[AdviceFlag] = []
    peak = max(m.max_demand_kw for m in months)
    # 增容: the demand reached the capacity
    high = tuple(m.month for m in months if m.load_rate >= rules.expand_from_load_rate)
    if high:
        flags.append(
            AdviceFlag(
                "expand",
                f"{len(high)} 个月最大需量达到容量的 {rules.expand_from_load_rate:.0%} 以上"
                f"(最高 {peak:,.0f} kW / {capacity_kva:,.0f} kVA),建议评估增容",
                f"demand reached {rules.expand_from_load_rate:.0%} of capacity in "
                f"{len(high)} months (peak {peak:,.0f} kW / {capacity_kva:,.0f} kVA): "
                "consider a capacity increase",
                months=high,
            )
        )
    # 暂停: a few months with next to no load (seasonal stops)
    low = {m.month for m in months if m.load_rate < rules.suspend_below_load_rate}
    runs = _runs(months, low)
    long_low = len(low) > rules.suspension_max_months_per_year
    if low and not long_low and len(runs) <= rules.suspension_times_per_year:
        saving = len(low) * capacity_kva * rules.capacity_price
        flags.append(
            AdviceFlag(
                "suspend",
                f"{'、'.join(r[0] if len(r) == 1 else f'{r[0]}至{r[-1]}' for r in runs)} "
                f"负载率低于 {rules.suspend_below_load_rate:.0%},可在类似时段申请暂停"
                f"(每年不超过 {rules.suspension_times_per_year} 次、累计不超过 "
                f"{rules.suspension_max_months_per_year} 个月,每次不少于 15 天),"
                f"按容量计费可少缴约 {saving:,.2f} 元",
                f"load under {rules.suspend_below_load_rate:.0%} in {len(low)} months: apply "
                f"for a suspension in such periods (at most {rules.suspension_times_per_year} "
                f"a year, {rules.suspension_max_months_per_year} months in total); about "
                f"{saving:,.2f} yuan less under capacity billing",
                saving=saving,
                months=tuple(sorted(low)),
            )
        )
    # 减容: a long low load rate (or lows too long for a suspension)
    recent = list(months)[-rules.reduction_min_months :]
    steady_low = len(recent) >= rules.reduction_min_months and all(
        m.load_rate < rules.reduce_below_load_rate for m in recent
    )
    if steady_low or long_low:
        keep = peak / rules.reduce_target_load_rate if rules.reduce_target_load_rate else peak
        removed = removable_transformers(transformers_kva, keep)
        terms_zh = (
            f"减容须整台变压器,期限 {rules.reduction_min_months} 个月至 "
            f"{rules.reduction_max_years} 年"
        )
        terms_en = (
            f"whole transformers only, for {rules.reduction_min_months} months to "
            f"{rules.reduction_max_years} years"
        )
        why_zh = (
            f"近 {len(recent)} 个月负载率均低于 {rules.reduce_below_load_rate:.0%}"
            if steady_low
            else f"{len(low)} 个月负载率低于 {rules.suspend_below_load_rate:.0%},超过暂停上限"
        )
        why_en = (
            f"load under {rules.reduce_below_load_rate:.0%} in each of the last {len(recent)} months"
            if steady_low
            else f"load under {rules.suspend_below_load_rate:.0%} in {len(low)} months, "
            "more than a suspension allows"
        )
        if removed:
            cut = sum(removed)
            saving = cut * rules.capacity_price * 12
            sizes = "、".join(f"{s:,.0f}" for s in removed)
            flags.append(
                AdviceFlag(
                    "reduce",
                    f"{why_zh},可减容 {sizes} kVA 变压器(保留 {capacity_kva - cut:,.0f} kVA,"
                    f"峰值负载率 {peak / (capacity_kva - cut):.0%});{terms_zh};"
                    f"按容量计费每年约少缴 {saving:,.2f} 元",
                    f"{why_en}: take out the {sizes} kVA transformer(s), keeping "
                    f"{capacity_kva - cut:,.0f} kVA; {terms_en}; about {saving:,.2f} yuan a "
                    "year less under capacity billing",
                    saving=saving,
                )
            )
        else:
            flags.append(
                AdviceFlag(
                    "reduce",
                    f"{why_zh},建议评估减容(保留容量不低于 {keep:,.0f} kVA);{terms_zh}",
                    f"{why_en}: consider a capacity reduction (keep at least {keep:,.0f} kVA); "
                    f"{terms_en}",
                )
            )
    return flags


def power_factor_flag(
    months: Sequence[tuple[str, float | None]], standard: float | None
) -> AdviceFlag | None:
    """Months whose power factor fell below the customer's standard (力率调整电费 is added)."""
    if standard is None:
        return None
    low = [(m, pf) for m, pf in sorted(months) if pf is not None and pf < standard]
    if not low:
        return None
    worst = min(pf for _m, pf in low)
    return AdviceFlag(
        "power_factor",
        f"{len(low)} 个月功率因数低于考核标准 {standard:.2f}(最低 {worst:.2f}),"
        "将按力率调整电费加收,建议检查无功补偿装置",
        f"power factor under the standard {standard:.2f} in {len(low)} months (lowest "
        f"{worst:.2f}): a power-factor adjustment is charged; check the reactive compensation",
        months=tuple(m for m, _pf in low),
    )


def mode_label(mode: str | None, language: str = "zh") -> str:
    labels: Mapping[str, tuple[str, str]] = {
        "capacity": ("按容量", "by capacity"),
        "demand": ("按需量", "by demand"),
    }
    if mode is None or mode not in labels:
        return ""
    zh, en = labels[mode]
    return en if language.startswith("en") else zh
