"""Credit score, pyramid basis, year-on-year change and arrears status from monthly figures.

Every expected figure is worked out by hand in the comments, with the shipped defaults.
"""

from __future__ import annotations

import pytest

from keyacct_desktop.domain.billing import month_span
from keyacct_desktop.domain.economics import (
    CreditIndicators,
    MonthFigures,
    arrears_status,
    credit_score,
    indicators_from_history,
    pyramid_value,
    year_on_year,
)
from keyacct_desktop.domain.pyramid import classify_by_cumulative_share


def test_a_clean_payer_keeps_every_point() -> None:
    result = credit_score(CreditIndicators(recovery_rate=1.0, on_time_rate=1.0))
    assert (result.score, result.rating, result.reasons) == (100, "AAA", ())


def test_each_indicator_deducts_with_its_reason() -> None:
    result = credit_score(
        CreditIndicators(
            recovery_rate=0.97,  # 3 points under 100 % × 2 = 6
            on_time_rate=0.75,  # 25 points × 0.5 = 12.5
            overdue_count=3,  # 3 × 3 = 9
            overdue_days_max=20,  # 20 × 0.5 = 10
            violation_count=1,  # 15
            high_energy=True,  # 5
        )
    )
    # 100 − (6 + 12.5 + 9 + 10 + 15 + 5) = 100 − 57.5 = 42.5 → under 60: C
    assert [(r.code, r.points) for r in result.reasons] == [
        ("recovery", 6.0),
        ("on_time", 12.5),
        ("overdue_count", 9.0),
        ("overdue_days", 10.0),
        ("violation", 15.0),
        ("high_energy", 5.0),
    ]
    assert result.score == 42.5 and result.rating == "C"
    assert "窃电/违章用电 1 次" in [r.message_zh for r in result.reasons]


def test_deductions_are_capped_and_the_score_never_goes_below_zero() -> None:
    result = credit_score(
        CreditIndicators(
            recovery_rate=0.5,  # 50 × 2 = 100, capped at 40
            on_time_rate=0.0,  # 100 × 0.5 = 50, capped at 20
            overdue_count=12,  # 36, capped at 15
            overdue_days_max=200,  # 100, capped at 15
            violation_count=5,  # 75, capped at 30
            operating_trouble=True,  # 10
            consumption_growth=-0.5,  # under −20 %: 5
        )
    )
    # 40 + 20 + 15 + 15 + 30 + 10 + 5 = 135 > 100 → 0
    assert sum(r.points for r in result.reasons) == 135
    assert result.score == 0 and result.rating == "C"


@pytest.mark.parametrize(
    ("recovery", "rating"),
    [(1.0, "AAA"), (0.95, "AAA"), (0.949, "AA"), (0.90, "AA"), (0.85, "A"), (0.80, "B")],
)
def test_rating_bounds(recovery: float, rating: str) -> None:
    # only recovery: 100 − 2 × points; 0.95 → 90 (AAA), 0.949 → 89.8 (AA), 0.90 → 80 (AA),
    # 0.85 → 70 (A), 0.80 → 60 (B)
    assert credit_score(CreditIndicators(recovery_rate=recovery)).rating == rating


def test_weights_and_bounds_are_settings() -> None:
    result = credit_score(
        CreditIndicators(violation_count=1), {"violation_each": 40.0, "violation_cap": 40.0}
    )
    assert result.score == 60 and result.rating == "B"
    assert credit_score(CreditIndicators(violation_count=1), ratings={"AAA": 80}).rating == "AAA"


def history(kwh: list[float], bill: float = 1000.0, last: str = "2026-10") -> list[MonthFigures]:
    return [
        MonthFigures(m, kwh=k, bill_yuan=bill, paid_yuan=bill, arrears_yuan=0.0)
        for m, k in zip(month_span(last, len(kwh)), kwh, strict=True)
    ]


def test_indicators_from_the_last_twelve_months() -> None:
    months = history([100.0] * 24)
    # in the last 12: two months paid short (800 of 1000, 500 of 1000), one of them 25 days late
    months[-1] = MonthFigures("2026-10", 100.0, 1000.0, 800.0, 200.0, 25)
    months[-5] = MonthFigures("2026-06", 100.0, 1000.0, 500.0, 500.0, 10)
    # an old shortfall (2024-11) is outside the window and does not count
    months[0] = MonthFigures("2024-11", 100.0, 1000.0, 0.0, 1000.0, 90)
    ind = indicators_from_history(months, last_month="2026-10", violation_count=2)
    # recovery = paid ÷ billed = (10 × 1000 + 800 + 500) ÷ 12,000 = 11,300 ÷ 12,000 = 0.941 67
    assert ind.recovery_rate == pytest.approx(11_300 / 12_000)
    # on time = 10 of 12 months closed without arrears
    assert ind.on_time_rate == pytest.approx(10 / 12)
    assert (ind.overdue_count, ind.overdue_days_max, ind.violation_count) == (2, 25, 2)
    assert ind.consumption_growth == pytest.approx(0.0)


def test_year_on_year_needs_both_periods_complete() -> None:
    # last 3 months 150 each vs 100 each a year earlier: 450 ÷ 300 − 1 = +50 %
    kwh = [100.0] * 21 + [150.0] * 3
    assert year_on_year(history(kwh), "2026-10", 3) == pytest.approx(0.5)
    assert year_on_year(history(kwh[-14:]), "2026-10", 3) is None  # a year ago is missing
    assert year_on_year(history([0.0] * 24), "2026-10", 3) is None


def test_pyramid_by_each_basis() -> None:
    # 12 months each. 钢铁: 1,000,000 kWh/月 at 0.50 元 → revenue 500,000 元/月;
    # 数据中心: 400,000 kWh/月 at 0.90 元 → 360,000 元/月; 商场: 100,000 kWh at 1.00 元.
    # cost 0.45 元/kWh → profit/月: 钢铁 500,000 − 450,000 = 50,000;
    # 数据中心 360,000 − 180,000 = 180,000; 商场 100,000 − 45,000 = 55,000
    customers = {"钢铁": (1_000_000, 0.5), "数据中心": (400_000, 0.9), "商场": (100_000, 1.0)}
    figures = {
        name: [MonthFigures(m, kwh=k, bill_yuan=k * price) for m in month_span("2026-10", 12)]
        for name, (k, price) in customers.items()
    }
    values = {
        basis: {name: pyramid_value(rows, basis, "2026-10", 0.45) for name, rows in figures.items()}
        for basis in ("consumption", "revenue", "profit")
    }
    assert values["consumption"]["钢铁"] == pytest.approx(12_000_000)
    assert values["revenue"]["数据中心"] == pytest.approx(4_320_000)
    assert values["profit"]["钢铁"] == pytest.approx(600_000)
    assert values["profit"]["数据中心"] == pytest.approx(2_160_000)
    assert values["profit"]["商场"] == pytest.approx(660_000)
    cut = (0.5, 0.8, 0.95)
    # consumption total 18,000,000: 钢铁 first (share before 0) A; 数据中心 before 66.7 % → B;
    # 商场 before 93.3 % → C
    assert classify_by_cumulative_share(values["consumption"], cut) == {
        "钢铁": "A",
        "数据中心": "B",
        "商场": "C",
    }
    # revenue: 6,000,000 / 4,320,000 / 1,200,000, total 11,520,000: A; 52.1 % → B; 89.6 % → C
    assert classify_by_cumulative_share(values["revenue"], cut)["数据中心"] == "B"
    # profit: 数据中心 2,160,000 first → A; 商场 660,000 (before 63.2 %) → B;
    # 钢铁 600,000 (before 82.5 %) → C
    assert classify_by_cumulative_share(values["profit"], cut) == {
        "数据中心": "A",
        "商场": "B",
        "钢铁": "C",
    }
    assert pyramid_value([], "profit", "2026-10", 0.45) is None
    with pytest.raises(ValueError):
        pyramid_value([], "volume", "2026-10", 0.45)


def test_arrears_status_amount_days_trend_and_risk() -> None:
    months = [
        MonthFigures("2026-08", arrears_yuan=0.0),
        MonthFigures("2026-09", arrears_yuan=8_000.0, overdue_days=5),
        MonthFigures("2026-10", arrears_yuan=12_000.0, overdue_days=12),
    ]
    status = arrears_status(months)
    # 12,000 ≥ 10,000 (or 12 days ≥ 10) → medium; trend 12,000 − 8,000 = +4,000
    assert status is not None
    assert (status.amount, status.days, status.trend, status.risk) == (
        12_000,
        12,
        4_000,
        "medium",
    )
    assert arrears_status(months, {"high_days": 12}).risk == "high"  # type: ignore[union-attr]
    assert arrears_status(months[:2], credit_rating="C").risk == "high"  # type: ignore[union-attr]
    assert arrears_status(months[:1]) is None
