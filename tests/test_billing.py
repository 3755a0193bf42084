"""Basic-charge advice: worked cases computed by hand (the arithmetic is in each test).

Prices of every case: capacity 28 元/kVA·月, demand 42 元/kW·月, floor 40 % of capacity,
tolerance 105 %, excess billed double (the shipped defaults).
"""

from __future__ import annotations

import pytest

from keyacct_desktop.domain.billing import (
    AdviceUnavailable,
    BasicChargeRules,
    MonthDemand,
    add_months,
    basic_charge_advice,
    best_declared_demand,
    demand_month_charge,
    month_span,
    removable_transformers,
    rules_from_settings,
)
from keyacct_desktop.settings import Settings

RULES = BasicChargeRules()


def months(demands: list[float | None], last: str = "2026-10") -> list[MonthDemand]:
    return [MonthDemand(m, d) for m, d in zip(month_span(last, len(demands)), demands, strict=True)]


def test_month_keys() -> None:
    assert add_months("2026-01", -1) == "2025-12"
    assert add_months("2025-12", 13) == "2027-01"
    assert month_span("2026-02", 3) == ["2025-12", "2026-01", "2026-02"]
    with pytest.raises(ValueError):
        add_months("2026-13", 1)


def test_declared_demand_below_the_floor_is_billed_at_the_floor() -> None:
    # 1000 kVA, declared 300 kW < 40 % × 1000 = 400 kW → approved 400 kW.
    # actual 450 kW > 1.05 × 400 = 420 kW → excess 30 kW billed double:
    # 42 × (400 + 2 × 30) = 42 × 460 = 19,320 元
    charge = demand_month_charge(300, 450, 1000, RULES)
    assert charge.approved_kw == 400
    assert charge.excess_kw == pytest.approx(30)
    assert charge.charge == pytest.approx(19_320)


def test_demand_within_tolerance_is_billed_at_the_declared_demand() -> None:
    # declared 500, actual 520 ≤ 1.05 × 500 = 525 → no excess: 42 × 500 = 21,000 元
    charge = demand_month_charge(500, 520, 1000, RULES)
    assert (charge.approved_kw, charge.excess_kw, charge.charge) == (500, 0, 21_000)
    # actual 600 > 525 → excess 75: 42 × (500 + 2 × 75) = 42 × 650 = 27,300 元
    assert demand_month_charge(500, 600, 1000, RULES).charge == pytest.approx(27_300)


def test_low_load_favours_demand_billing_at_the_floor() -> None:
    demands = [300, 320, 350, 380, 400, 420, 450, 430, 410, 390, 360, 340]
    advice = basic_charge_advice(months(demands), 1000, RULES)
    # Total at approved A: 42 × (12 A + 2 × Σ max(0, m − 1.05 A)). Its slope is
    # 42 × (12 − 2.1 k), k = months above 1.05 A: it falls only while k ≥ 6, i.e. below the
    # 6th largest demand ÷ 1.05 = 390 ÷ 1.05 = 371.4 kW — under the floor of 400 kW.
    # So the floor is best: 1.05 × 400 = 420, excess 450−420 = 30 and 430−420 = 10 → 40 kW.
    # demand total = 42 × (12 × 400 + 2 × 40) = 42 × 4,880 = 204,960 元
    # capacity total = 12 × 1000 × 28 = 336,000 元 → demand billing saves 131,040 元
    assert advice.declared_kw == 400
    assert advice.demand_total == pytest.approx(204_960)
    assert advice.capacity_total == pytest.approx(336_000)
    assert advice.recommended_mode == "demand"
    assert advice.saving == pytest.approx(131_040)
    assert [m.excess_kw for m in advice.months if m.excess_kw] == [
        pytest.approx(30),
        pytest.approx(10),
    ]
    assert advice.flags == ()  # load rates 30–45 %: nothing to reduce, suspend or expand


def test_high_load_favours_capacity_billing_and_suggests_expansion() -> None:
    demands = [700, 720, 750, 800, 820, 850, 900, 880, 860, 840, 780, 760]
    advice = basic_charge_advice(months(demands), 1000, RULES)
    # 6th largest demand 820 → corner at 820 ÷ 1.05 = 780.95 kW; try the steps 780 and 781:
    # A = 780: 1.05 A = 819; excess 81+61+41+31+21+1 = 236
    #   → 42 × (12 × 780 + 2 × 236) = 42 × 9,832 = 412,944 元
    # A = 781: 1.05 A = 820.05; excess 79.95+59.95+39.95+29.95+19.95 = 229.75
    #   → 42 × (9,372 + 459.5) = 42 × 9,831.5 = 412,923 元  (the lowest)
    assert advice.declared_kw == 781
    assert advice.demand_total == pytest.approx(412_923)
    # capacity 336,000 元 is cheaper by 412,923 − 336,000 = 76,923 元
    assert advice.recommended_mode == "capacity"
    assert advice.saving == pytest.approx(76_923)
    # 900 kW on 1000 kVA = 90 % ≥ 90 %: one month suggests 增容
    assert [f.code for f in advice.flags] == ["expand"]
    assert advice.flags[0].months == ("2026-05",)  # 7th of 2025-11 … 2026-10
    assert "增容" in advice.flags[0].message_zh


def test_best_declared_demand_is_the_minimum_of_every_step() -> None:
    demands = [700.0, 720, 750, 800, 820, 850, 900, 880, 860, 840, 780, 760]
    best = best_declared_demand(demands, 1000, RULES)

    def total(a: float) -> float:
        return sum(demand_month_charge(a, d, 1000, RULES).charge for d in demands)

    assert all(total(best) <= total(a) + 1e-6 for a in range(400, 1001))


def test_current_mode_is_compared_with_the_advice() -> None:
    demands = [300, 320, 350, 380, 400, 420, 450, 430, 410, 390, 360, 340]
    advice = basic_charge_advice(
        months(demands), 1000, RULES, current_mode="demand", current_declared_kw=600
    )
    # at 600 kW nothing exceeds 630 kW: 12 × 42 × 600 = 302,400 元;
    # the advice (400 kW) costs 204,960 → 97,440 元 a year less
    assert advice.current_total == pytest.approx(302_400)
    assert advice.saving_vs_current == pytest.approx(97_440)


def test_steady_low_load_suggests_reducing_whole_transformers() -> None:
    demands = [150, 160, 140, 150, 170, 200, 180, 160, 150, 140, 150, 160]
    advice = basic_charge_advice(months(demands), 1000, RULES, transformers_kva=[500, 500])
    # the last 6 months' load rates are 18–16–15–14–15–16 % < 30 % → 减容.
    # keep ≥ peak 200 ÷ 0.8 = 250 kVA: one 500 kVA transformer can go (500 ≥ 250 remains),
    # not both. Saving under capacity billing: 500 × 28 × 12 = 168,000 元 a year.
    reduce = [f for f in advice.flags if f.code == "reduce"]
    assert len(reduce) == 1
    assert reduce[0].saving == pytest.approx(168_000)
    assert "整台变压器" in reduce[0].message_zh and "6 个月至 2 年" in reduce[0].message_zh
    assert removable_transformers([500, 500], 250) == [500]
    # largest first: 1230 − 630 = 600 ≥ 500 → 630 goes; 600 − 400 = 200 and 600 − 200 = 400
    # are under 500 → both stay
    assert removable_transformers([630, 400, 200], 500) == [630]


def test_seasonal_stop_suggests_suspension_and_a_long_one_reduction() -> None:
    # two months with 20 kW on 1000 kVA (2 % < 5 %): one run → 暂停;
    # saving 2 months × 1000 kVA × 28 = 56,000 元
    demands = [600, 620, 20, 20, 640, 650, 600, 610, 630, 640, 620, 600]
    advice = basic_charge_advice(months(demands), 1000, RULES)
    suspend = [f for f in advice.flags if f.code == "suspend"]
    assert len(suspend) == 1 and suspend[0].saving == pytest.approx(56_000)
    assert suspend[0].months == ("2026-01", "2026-02")  # 3rd and 4th month
    # seven low months: more than the 6 a suspension may last in a year → 减容 instead
    demands = [600, 20, 20, 20, 20, 20, 20, 20, 600, 610, 630, 640]
    codes = [f.code for f in basic_charge_advice(months(demands), 1000, RULES).flags]
    assert "suspend" not in codes and "reduce" in codes


def test_too_little_history_or_no_capacity_gives_a_reason() -> None:
    with pytest.raises(AdviceUnavailable) as caught:
        basic_charge_advice(months([300, None, 320, 330, 340]), 1000, RULES)
    assert "4 个月" in caught.value.message_zh
    with pytest.raises(AdviceUnavailable):
        basic_charge_advice(months([300] * 12), None, RULES)


def test_rules_come_from_the_settings() -> None:
    settings = Settings()
    assert rules_from_settings(settings) == RULES
    settings.set("billing.basic_charge", {"capacity_price": 25.0, "demand_price": 38.0})
    settings.set("limits.customer_terms", {"reduction_min_months": 3})
    rules = rules_from_settings(settings)
    assert (rules.capacity_price, rules.demand_price, rules.demand_floor_share) == (25, 38, 0.4)
    assert rules.reduction_min_months == 3


def test_power_factor_under_the_standard_is_flagged() -> None:
    from keyacct_desktop.domain.billing import power_factor_flag

    months = [("2026-08", 0.92), ("2026-09", 0.88), ("2026-10", 0.86), ("2026-07", None)]
    flag = power_factor_flag(months, 0.90)
    # 0.88 and 0.86 are under 0.90; the lowest is 0.86
    assert flag is not None and flag.months == ("2026-09", "2026-10")
    assert "2 个月功率因数低于考核标准 0.90(最低 0.86)" in flag.message_zh
    assert power_factor_flag(months, 0.85) is None  # all at or above 0.85
    assert power_factor_flag(months, None) is None  # no standard (small customer)
