"""The one rule for the utility's time limits of a supply case (业扩时限), used everywhere.

The figures in ``limits.working_days`` come in families whose member depends on the case:
the plan reply is 15 working days for a high-voltage single-source customer, 30 for dual
source, 7 for low voltage and 3 for a residential one; metering and energising is 5 (3 for
residential); the utility's total is 22 / 32 / 6. Every screen and document asks
:func:`limit_key` (which figure) and :func:`case_deadline` (which day), so a checklist and
the plan page of one customer can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from keyacct_desktop.domain.workdays import Deadline, WorkCalendar

#: Families of case-dependent limits: the key a template may name generically, and the
#: concrete keys of ``limits.working_days`` that belong to it.
FAMILIES: dict[str, tuple[str, ...]] = {
    "plan_reply": (
        "plan_reply_hv_single",
        "plan_reply_hv_dual",
        "plan_reply_lv",
        "plan_reply_residential",
    ),
    "energising": ("energising", "energising_residential"),
    "utility_total": ("utility_total_hv_single", "utility_total_hv_dual", "utility_total_lv"),
}
#: Keys a template may use that stand for "the figure of this customer's case".
GENERIC_KEYS = frozenset(FAMILIES)


@dataclass(frozen=True)
class SupplyCase:
    """What the time limits depend on: voltage, number of sources, customer type."""

    voltage_kv: float | None
    sources: int = 1
    residential: bool = False

    @property
    def high_voltage(self) -> bool:
        return self.voltage_kv is not None and self.voltage_kv >= 1

    @property
    def dual_source(self) -> bool:
        return self.high_voltage and self.sources >= 2

    @property
    def label_zh(self) -> str:
        """How the case is printed beside its figures: 高压单电源 / 高压双电源 / 低压 / 居民."""
        if self.residential:
            return "低压居民"
        if not self.high_voltage:
            return "低压"
        return "高压双电源" if self.dual_source else "高压单电源"

    @classmethod
    def of_customer(cls, customer: Any, source_count: int) -> SupplyCase:
        """The case of a customer profile (``voltage_kv``, ``tariff``) with its power sources."""
        return cls(
            getattr(customer, "voltage_kv", None),
            max(1, source_count),
            getattr(customer, "tariff", None) == "residential",
        )


def family_of(key: str) -> str | None:
    """The family a limit key belongs to (``None``: a fixed limit such as design review)."""
    for family, members in FAMILIES.items():
        if key == family or key in members:
            return family
    return None


def limit_key(key: str, case: SupplyCase) -> str:
    """The concrete ``limits.working_days`` key for ``case`` (a fixed key is returned as is).

    Accepts a family name (``plan_reply``) or any member of it (``plan_reply_hv_single`` in an
    older template): both resolve to this case's figure.
    """
    family = family_of(key)
    if family == "plan_reply":
        if case.residential:
            return "plan_reply_residential"
        if not case.high_voltage:
            return "plan_reply_lv"
        return "plan_reply_hv_dual" if case.dual_source else "plan_reply_hv_single"
    if family == "energising":
        return "energising_residential" if case.residential else "energising"
    if family == "utility_total":
        if not case.high_voltage:
            return "utility_total_lv"
        return "utility_total_hv_dual" if case.dual_source else "utility_total_hv_single"
    return key


def case_figures(working_days: dict[str, int], case: SupplyCase) -> dict[str, Any]:
    """Figures a template text may name for this case: ``{plan_reply}``, ``{utility_total}``,
    ``{energising}`` (this case's) and ``{supply_case}`` (its label)."""
    return {
        **{family: working_days[limit_key(family, case)] for family in FAMILIES},
        "supply_case": case.label_zh,
    }


def case_deadline(
    calendar: WorkCalendar,
    working_days: dict[str, int],
    key: str,
    case: SupplyCase,
    start: date,
) -> Deadline:
    """The last day of limit ``key`` for ``case`` counted from ``start`` (marked if estimated)."""
    return calendar.deadline(start, int(working_days[limit_key(key, case)]))
