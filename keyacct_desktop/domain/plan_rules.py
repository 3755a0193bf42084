"""Rule checks for a technical plan handout (供电方案答复单).

Each check returns :class:`PlanWarning` items rather than raising: a plan that breaks a rule
can still be drafted, but the manager sees every warning, in Chinese and English, before
issuing it. The thresholds come from settings (``plan.*``, ``limits.working_days``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from keyacct_desktop.domain.enums import ImportantGrade


@dataclass(frozen=True)
class PlanRules:
    """The configurable numbers the checks use."""

    required_sources: dict[str, int]
    power_factor: dict[str, float]
    validity_months: dict[str, int]
    working_days: dict[str, int]

    @classmethod
    def from_settings(cls, settings: Any) -> PlanRules:
        return cls(
            required_sources=dict(settings.get("plan.required_sources")),
            power_factor=dict(settings.get("plan.power_factor")),
            validity_months=dict(settings.get("plan.validity_months")),
            working_days=dict(settings.get("limits.working_days")),
        )


@dataclass(frozen=True)
class PlanWarning:
    field: str
    message_zh: str
    message_en: str

    def message(self, language: str = "zh") -> str:
        return self.message_en if language.startswith("en") else self.message_zh


def is_high_voltage(voltage_kv: float | None) -> bool:
    return voltage_kv is not None and voltage_kv >= 1


def power_factor_standard(
    rules: PlanRules,
    *,
    capacity_kva: float,
    voltage_kv: float | None,
    tariff: str | None,
    industry: str | None,
    on_load_tap_changer: bool = False,
) -> float | None:
    """0.90 for HV industrial users above 160 kVA and for HV users with on-load tap changers
    (有载调压, 带负荷调整电压装置), 0.85 for others from 100 kVA, 0.80 for agricultural users
    from 100 kVA (smaller users are not assessed).

    The tariff decides the user type: an industry code A (农林牧渔) makes a user agricultural
    only when its tariff does not say otherwise, so a large-industry tariff stays industrial.
    """
    pf = rules.power_factor
    if is_high_voltage(voltage_kv) and on_load_tap_changer:
        return float(pf["hv_industrial"])
    assessed = capacity_kva >= pf["other_from_kva"]
    agricultural = tariff == "agriculture" or (industry == "A" and not tariff)
    if agricultural:
        return float(pf["agriculture"]) if assessed else None
    industrial = tariff == "large_industry" or industry in ("B", "C", "D")
    if is_high_voltage(voltage_kv) and industrial and capacity_kva > pf["hv_industrial_over_kva"]:
        return float(pf["hv_industrial"])
    if assessed:
        return float(pf["other"])
    return None


def power_factor_basis(
    rules: PlanRules,
    *,
    capacity_kva: float,
    voltage_kv: float | None,
    tariff: str | None,
    industry: str | None,
    on_load_tap_changer: bool = False,
) -> str:
    """Why the standard is what it is, as printed after it on the handout ("" when unassessed)."""
    standard = power_factor_standard(
        rules,
        capacity_kva=capacity_kva,
        voltage_kv=voltage_kv,
        tariff=tariff,
        industry=industry,
        on_load_tap_changer=on_load_tap_changer,
    )
    if standard is None:
        return ""
    if is_high_voltage(voltage_kv) and on_load_tap_changer:
        return "高压供电并装有有载调压装置的用户"
    pf = rules.power_factor
    if standard == float(pf["agriculture"]) and (
        tariff == "agriculture" or (industry == "A" and not tariff)
    ):
        return f"农业用户,容量 {pf['other_from_kva']:g} kVA 及以上"
    if standard == float(pf["hv_industrial"]) and capacity_kva > pf["hv_industrial_over_kva"]:
        return f"高压供电工业用户,容量 {pf['hv_industrial_over_kva']:g} kVA 以上"
    return f"容量 {pf['other_from_kva']:g} kVA 及以上的其他用户"


def tap_changer_label(value: Any) -> str:
    """The handout's 调压方式 line: 有载调压 / 无载调压, "" when the plan does not say."""
    if value is None or value == "":
        return ""
    return "有载调压" if value else "无载调压"


def add_months(start: date, months: int) -> date:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def validity_end(rules: PlanRules, issued_on: date, voltage_kv: float | None) -> date:
    """A supply plan is valid 1 year (HV) or 3 months (LV) from issue, by default."""
    months = rules.validity_months["hv" if is_high_voltage(voltage_kv) else "lv"]
    return add_months(issued_on, months)


#: What the source checks look at, as the messages name it: (Chinese, English).
PLAN = ("方案", "the plan")
PROFILE = ("档案", "the profile")


def check_sources(
    rules: PlanRules,
    grade: str | None,
    substations: list[str],
    emergency_power: str,
    where: tuple[str, str] = PLAN,
) -> list[PlanWarning]:
    """Supply of an important power user (重要电力用户): enough independent sources
    (``plan.required_sources``: 特级 3, 一级 2 from different substations, 二级 2 circuits by
    default), and self-provided emergency power. ``substations`` has one entry per source
    (empty when unknown); ``where`` names what is checked (a plan handout or the customer
    profile). Used by the plan handout checks and the customer data-quality report alike.
    """
    warnings: list[PlanWarning] = []
    if not grade:
        return warnings
    needed = int(rules.required_sources.get(grade, 1))
    distinct = {s.strip() for s in substations} - {""}
    grade_label = ImportantGrade(grade)
    where_zh, where_en = where
    if len(substations) < needed:
        warnings.append(
            PlanWarning(
                "sources",
                f"{grade_label.zh}需要 {needed} 路独立电源,{where_zh}只有 {len(substations)} 路",
                f"{grade_label.en} needs {needed} independent sources; {where_en} has "
                f"{len(substations)}",
            )
        )
    elif grade in ("special", "first") and len(distinct) < min(needed, 2):
        warnings.append(
            PlanWarning(
                "sources",
                f"{grade_label.zh}的电源应来自不同变电站,{where_zh}中电源均来自同一变电站",
                f"{grade_label.en}: sources must come from different substations",
            )
        )
    if not emergency_power.strip():
        warnings.append(
            PlanWarning(
                "emergency_power",
                f"{grade_label.zh}须配置自备应急电源,{where_zh}未填写",
                f"{grade_label.en} must have self-provided emergency power; none is given",
            )
        )
    return warnings


def check_plan(
    rules: PlanRules, plan: dict[str, Any], customer: dict[str, Any]
) -> list[PlanWarning]:
    """Every rule the plan (``SupplyPlan.data``) breaks for this customer."""
    sources = [s for s in plan.get("sources", []) if s]
    warnings = check_sources(
        rules,
        customer.get("important_grade"),
        [str(s.get("substation") or "") for s in sources],
        str(plan.get("emergency_power") or ""),
        PLAN,
    )
    capacity = float(plan.get("capacity_kva") or customer.get("capacity_kva") or 0)
    voltage = plan.get("voltage_kv") or customer.get("voltage_kv")
    expected_pf = power_factor_standard(
        rules,
        capacity_kva=capacity,
        voltage_kv=voltage,
        tariff=customer.get("tariff"),
        industry=customer.get("industry"),
        on_load_tap_changer=bool(plan.get("on_load_tap_changer")),
    )
    given_pf = plan.get("power_factor")
    if expected_pf is not None and given_pf in (None, ""):
        warnings.append(
            PlanWarning(
                "power_factor",
                f"未填写功率因数考核标准,按容量 {capacity:g} kVA、用户类别及调压方式应为 {expected_pf:.2f}",
                f"the power-factor standard is missing; for {capacity:g} kVA and this user type "
                f"(and tap changer) it is {expected_pf:.2f}",
            )
        )
    elif expected_pf is not None:
        try:
            given = float(given_pf)  # type: ignore[arg-type]  # None and text fall to except
        except (TypeError, ValueError):
            given = -1.0
        if abs(given - expected_pf) > 1e-9:
            warnings.append(
                PlanWarning(
                    "power_factor",
                    f"功率因数考核标准应为 {expected_pf:.2f}(按容量 {capacity:g} kVA、用户类别及调压方式),方案为 {given_pf}",
                    f"power-factor standard should be {expected_pf:.2f} for {capacity:g} kVA, this user type "
                    "and tap changer, "
                    f"the plan says {given_pf}",
                )
            )
    if capacity <= 0:
        warnings.append(
            PlanWarning("capacity_kva", "方案未填写用电容量", "the plan gives no capacity")
        )
    for key, zh, en in REQUIRED_FIELDS:
        if not str(plan.get(key) or "").strip():
            warnings.append(PlanWarning(key, f"未写明{zh}", f"the {en} is not given"))
    return warnings


#: Fields a plan handout cannot be issued without (the customer builds to them).
REQUIRED_FIELDS = (
    ("property_boundary", "产权分界点", "property boundary point"),
    ("receiving_type", "受电装置形式", "receiving installation type"),
    ("protection", "继电保护配置", "protection"),
)
BLOCKING_FIELDS = frozenset(key for key, _zh, _en in REQUIRED_FIELDS) | {"capacity_kva"}
