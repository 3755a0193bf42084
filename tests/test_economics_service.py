"""The customer's economics read from a real store: 24 months, year on year, credit from the
history, basic-charge advice, 首页's sharp changes, the arrears list and follow-up actions."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import insert

from keyacct_desktop.domain.billing import month_span
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.economics import (
    arrears_list,
    customer_economics,
    instalments_due,
    log_action,
    mark_instalment_paid,
    sharp_changes,
)
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, CustomerMonth, customer_month_id

MONTHS = month_span("2026-10", 24)  # 2024-11 … 2026-10


def add_customer(store: Store, account: str, name: str, **values: object) -> uuid.UUID:
    customer = Customer(account_no=account, name=name, **values)
    with store.begin() as session:
        session.add(customer)
    return customer.id


def add_months(store: Store, customer_id: uuid.UUID, rows: dict[str, dict[str, object]]) -> None:
    with store.begin() as session:
        session.execute(
            insert(CustomerMonth),
            [
                {
                    "id": customer_month_id(customer_id, month),
                    "customer_id": customer_id,
                    "month": month,
                    "version": 0,
                    **values,
                }
                for month, values in rows.items()
            ],
        )


def test_customer_page_figures_for_a_two_part_tariff_customer(store: Store) -> None:
    cid = add_customer(
        store,
        "3100000001",
        "华东精密",
        tariff="large_industry",
        capacity_kva=1000.0,
        voltage_kv=10.0,
    )
    demands = [300, 320, 350, 380, 400, 420, 450, 430, 410, 390, 360, 340]
    rows: dict[str, dict[str, object]] = {}
    for n, month in enumerate(MONTHS):
        first_year = n < 12
        rows[month] = {
            "kwh": 100_000.0 if first_year else 80_000.0,  # 20 % less in the second year
            "bill_yuan": 70_000.0,
            "paid_yuan": 70_000.0,
            "arrears_yuan": 0.0,
            "max_demand_kw": float(demands[n % 12]),
            "billing_mode": "capacity",
        }
    rows["2026-10"].update(paid_yuan=35_000.0, arrears_yuan=35_000.0, overdue_days=15)
    rows["2026-09"].update(power_factor=0.87)
    rows["2025-09"].update(power_factor=0.80)  # outside the last 12 months: not counted
    add_months(store, cid, rows)
    view = customer_economics(store, Settings(), cid)
    # 10 kV large industry above 160 kVA: standard 0.90; 2026-09 at 0.87 is under it
    assert view.power_factor is not None and view.power_factor.months == ("2026-09",)
    assert view.last_month == "2026-10" and view.months == tuple(MONTHS)
    assert [c.change for c in view.changes] == [pytest.approx(-0.2)] * 12
    assert view.twelve_kwh == pytest.approx(960_000)
    assert view.twelve_change == pytest.approx(-0.2)
    # credit from the history: recovery (840,000 − 35,000) ÷ 840,000 = 95.83 % → 4.17 × 2 = 8.33;
    # on time 11/12 → 8.33 × 0.5 = 4.17; one overdue month 3; 15 days × 0.5 = 7.5;
    # growth −20 % is not under −20 %: no deduction. 100 − 23 = 77 → A
    assert view.credit_from_history
    assert [r.code for r in view.credit.reasons] == [
        "recovery",
        "on_time",
        "overdue_count",
        "overdue_days",
    ]
    assert view.credit.score == pytest.approx(77.0, abs=0.01)
    assert view.credit.rating == "A"
    assert view.arrears is not None and view.arrears.risk == "medium"
    # the worked case of tests/test_billing.py: demand billing at 400 kW saves 131,040 元 a year
    assert view.advice is not None
    assert view.advice.recommended_mode == "demand" and view.advice.declared_kw == 400
    assert view.advice.current_mode == "capacity"
    assert view.advice.saving_vs_current == pytest.approx(131_040)


def test_advice_is_explained_when_it_does_not_apply(store: Store) -> None:
    cid = add_customer(store, "3100000002", "商场", tariff="commercial", capacity_kva=800.0)
    view = customer_economics(store, Settings(), cid)
    assert view.advice is None and view.last_month is None
    assert view.advice_unavailable is not None and "两部制" in view.advice_unavailable[0]
    assert not view.credit_from_history  # the profile's indicators are used instead


def test_sharp_changes_compare_three_months_with_a_year_before(store: Store) -> None:
    falling = add_customer(store, "3100000003", "下降户")
    rising = add_customer(store, "3100000004", "上升户")
    steady = add_customer(store, "3100000005", "平稳户")
    for cid, factor in ((falling, 0.5), (rising, 1.6), (steady, 1.1)):
        add_months(
            store,
            cid,
            {m: {"kwh": 1000.0 * (factor if n >= 21 else 1)} for n, m in enumerate(MONTHS)},
        )
    last, falls, rises = sharp_changes(store, Settings())
    # 3 × 500 ÷ 3 × 1000 − 1 = −50 %; 1600 ÷ 1000 − 1 = +60 %; +10 % is under the 30 % setting
    assert last == "2026-10"
    assert [(c.name, round(c.change, 2)) for c in falls] == [("下降户", -0.5)]
    assert [(c.name, round(c.change, 2)) for c in rises] == [("上升户", 0.6)]


def test_arrears_list_and_follow_up_actions(store: Store) -> None:
    big = add_customer(store, "3100000006", "欠费大户", credit_rating="B")
    small = add_customer(store, "3100000007", "欠费小户")
    paid = add_customer(store, "3100000008", "已结清")
    add_months(
        store,
        big,
        {
            "2026-09": {"arrears_yuan": 80_000.0},
            "2026-10": {"arrears_yuan": 150_000.0, "overdue_days": 40},
        },
    )
    add_months(store, small, {"2026-10": {"arrears_yuan": 2_000.0, "overdue_days": 3}})
    add_months(store, paid, {"2026-10": {"arrears_yuan": 0.0}})
    log_action(store, big, "call", date(2026, 11, 2), contact_name="财务 刘", note="答应月底前缴")
    rows = arrears_list(store, Settings())
    assert [(r.name, r.status.risk) for r in rows] == [("欠费大户", "high"), ("欠费小户", "low")]
    assert rows[0].status.trend == 70_000
    assert (rows[0].last_action, rows[0].last_action_on) == ("call", date(2026, 11, 2))

    # an instalment agreement: the parts must add up to the agreed amount
    with pytest.raises(UserError) as caught:
        log_action(
            store,
            big,
            "instalment",
            date(2026, 11, 5),
            amount_yuan=150_000.0,
            instalments=[{"due_on": "2026-11-20", "amount": 50_000}],
        )
    assert "各期金额之和 50,000.00 元与协议金额 150,000.00 元不符" in caught.value.message_zh
    with pytest.raises(UserError) as caught:
        log_action(store, big, "deposit", date(2026, 11, 5), amount_yuan=10_000.0)
    assert caught.value.field == "expires_on"
    agreement = log_action(
        store,
        big,
        "instalment",
        date(2026, 11, 5),
        amount_yuan=150_000.0,
        instalments=[
            {"due_on": "2026-12-20", "amount": 75_000},
            {"due_on": "2026-11-20", "amount": 75_000},
        ],
    )
    log_action(
        store,
        big,
        "guarantee",
        date(2026, 11, 5),
        amount_yuan=200_000.0,
        expires_on=date(2026, 11, 25),
        note="母公司担保",
    )
    due = instalments_due(store, date(2026, 11, 19))
    # within 7 days of 11-19: the first instalment (11-20) and the guarantee's expiry (11-25)
    assert [(r.kind, r.due_on, r.amount, r.overdue) for r in due] == [
        ("instalment", date(2026, 11, 20), 75_000, False),
        ("expiry", date(2026, 11, 25), 200_000, False),
    ]
    assert instalments_due(store, date(2026, 11, 22))[0].overdue  # 11-20 has passed
    mark_instalment_paid(store, agreement, date(2026, 11, 20), date(2026, 11, 20))
    assert [r.kind for r in instalments_due(store, date(2026, 11, 22))] == ["expiry"]
    assert [r.due_on for r in instalments_due(store, date(2026, 12, 15))] == [date(2026, 12, 20)]


def test_profile_indicators_follow_the_history(store: Store) -> None:
    from keyacct_desktop.services.economics import update_indicators

    cid = add_customer(store, "3100000009", "回款慢的客户", annual_kwh=1.0)
    untouched = add_customer(store, "3100000010", "无月度数据", annual_kwh=5.0)
    rows = {
        m: {"kwh": 1000.0, "bill_yuan": 700.0, "paid_yuan": 700.0, "arrears_yuan": 0.0}
        for m in MONTHS
    }
    rows["2026-10"].update(paid_yuan=0.0, arrears_yuan=700.0, overdue_days=25)
    add_months(store, cid, rows)
    result = update_indicators(store, date(2026, 11, 20))
    assert (result.customers, result.changed, result.last_month) == (1, 1, "2026-10")
    with store.read() as session:
        customer = session.get(Customer, cid)
        # recovery = 11 × 700 ÷ (12 × 700) = 0.9167; on time 11 of 12; one overdue month, 25 days
        assert (customer.recovery_rate, customer.on_time_rate) == (0.9167, 0.9167)
        assert (customer.overdue_count, customer.overdue_days_max) == (1, 25)
        assert customer.consumption_growth == 0.0 and customer.annual_kwh == 12_000
        assert customer.risk_updated_on == date(2026, 11, 20)
        assert session.get(Customer, untouched).annual_kwh == 5.0
    again = update_indicators(store, date(2026, 11, 21))
    assert again.changed == 0  # nothing new: nothing written, the date stays
    with store.read() as session:
        assert session.get(Customer, cid).risk_updated_on == date(2026, 11, 20)
