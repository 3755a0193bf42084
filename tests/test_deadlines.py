"""Deadlines from one rule for every screen and document, on a calendar that never runs out.

Regression tests of issue 17: a 0.4 kV customer was promised the HV figures, a dual-source
customer's checklist disagreed with its plan page, and 2027 (no data) counted New Year's Day
and the Spring Festival as working days without a word.
"""

from __future__ import annotations

import json
import re
import subprocess
import uuid
from datetime import date, datetime
from pathlib import Path

import pytest

from keyacct_desktop.domain.deadlines import SupplyCase, case_deadline, limit_key
from keyacct_desktop.domain.workdays import (
    ESTIMATED_MARK,
    WorkCalendar,
    bundled_years,
    load_year_files,
    missing_next_year,
)
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.documents import utility_limits
from keyacct_desktop.services.plans import SupplyPlanService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer, PowerSource, User

ISSUED = datetime(2026, 12, 15, 9, 0)
ACCEPTED = date(2026, 12, 15)  # a Tuesday: every plan-reply limit crosses New Year 2027


def pdf_text(path: Path) -> str:
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", raw)


def make_customer(ctx, *, voltage: float, sources: int, tariff: str = "general_commercial"):
    """A customer of a given case, with its manager (name and phone)."""
    with ctx.store.begin() as session:
        manager = User(
            username=f"m{uuid.uuid4().hex[:6]}", display_name="王经理", phone="13800138000"
        )
        session.add(manager)
        session.flush()
        customer = Customer(
            account_no=uuid.uuid4().hex[:10],
            name=f"测试客户{voltage:g}kV{sources}路",
            address="示范市测试路 8 号",
            voltage_kv=voltage,
            capacity_kva=800,
            tariff=tariff,
            manager_id=manager.id,
        )
        session.add(customer)
        session.flush()
        for number in range(1, sources + 1):
            session.add(
                PowerSource(
                    customer_id=customer.id,
                    source_no=number,
                    role="main" if number == 1 else "backup",
                    voltage_kv=voltage,
                    substation=f"{number}号变电站",
                    line=f"线路{number}",
                )
            )
        return customer.id


# ---------------------------------------------------------------- the one rule


@pytest.mark.parametrize(
    ("case", "family", "key"),
    [
        (SupplyCase(0.4, 1), "plan_reply", "plan_reply_lv"),
        (SupplyCase(0.4, 1, residential=True), "plan_reply", "plan_reply_residential"),
        (SupplyCase(10, 1), "plan_reply", "plan_reply_hv_single"),
        (SupplyCase(10, 2), "plan_reply", "plan_reply_hv_dual"),
        (SupplyCase(10, 2), "plan_reply_hv_single", "plan_reply_hv_dual"),  # old templates
        (SupplyCase(0.4, 1, residential=True), "energising", "energising_residential"),
        (SupplyCase(10, 1), "energising", "energising"),
        (SupplyCase(0.4, 1), "utility_total", "utility_total_lv"),
        (SupplyCase(35, 3), "utility_total", "utility_total_hv_dual"),
        (SupplyCase(10, 1), "design_review", "design_review"),
    ],
)
def test_limit_key_by_voltage_sources_and_customer_type(case, family, key) -> None:
    assert limit_key(family, case) == key


# ---------------------------------------------------------------- the calendar


def test_calendar_knows_2027_new_year_and_spring_festival_and_says_it_is_an_estimate() -> None:
    calendar = WorkCalendar.from_settings(Settings())
    assert not calendar.is_workday(date(2027, 1, 1))  # New Year's Day
    assert not calendar.is_workday(date(2027, 2, 8))  # Spring Festival (a Monday)
    assert calendar.is_workday(date(2026, 2, 14))  # 2026 调休: official data
    assert calendar.is_official(2026) and not calendar.is_official(2027)
    inside = calendar.deadline(date(2026, 11, 2), 5)
    across = calendar.deadline(date(2026, 12, 28), 5)
    assert not inside.estimated and across.estimated
    assert across.on == date(2027, 1, 5)  # 12-29,30,31, (1 Jan holiday), 4, 5
    assert across.label() == f"2027-01-05({ESTIMATED_MARK})"
    # a year with no file at all is estimated from the statutory festivals, never "no holidays"
    assert not calendar.is_workday(date(2028, 1, 26))  # Spring Festival 2028
    assert calendar.deadline(date(2028, 1, 20), 3).estimated


def test_year_files_are_versioned_data_with_a_status(tmp_path: Path) -> None:
    years = bundled_years()
    assert {2024, 2025, 2026, 2027} <= set(years)
    assert years[2026].official and years[2026].version and years[2026].source
    assert not years[2027].official  # no published notice yet: shipped as an estimate
    (tmp_path / "cn-2030.json").write_text(json.dumps({"year": 2030}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"cn-2030\.json"):
        load_year_files(tmp_path)


def test_administrator_declares_a_year_official_with_its_own_days(tmp_path: Path) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("calendar.holidays", ["2027-01-01", "2027-02-05", "2027-02-09"])
    settings.set("calendar.extra_workdays", ["2027-02-20"])
    settings.set("calendar.official_years", [2027])
    calendar = WorkCalendar.from_settings(settings)
    assert calendar.is_official(2027)
    assert calendar.is_workday(date(2027, 2, 20))  # 调休 Saturday
    assert calendar.is_workday(date(2027, 2, 10))  # the estimate's day off is replaced
    assert not calendar.deadline(date(2026, 12, 28), 5).estimated


def test_home_warns_from_november_when_next_year_is_missing() -> None:
    calendar = WorkCalendar.from_settings(Settings())
    assert missing_next_year(calendar, date(2026, 10, 31)) is None
    assert missing_next_year(calendar, date(2026, 11, 1)) == 2027
    assert missing_next_year(calendar, date(2025, 12, 1)) is None  # 2026 is official


# ---------------------------------------------------------------- on screen and on paper


@pytest.mark.parametrize(
    ("voltage", "sources", "days", "due"),
    [
        (0.4, 1, 7, date(2026, 12, 24)),  # LV: 7 working days, inside 2026
        (10, 1, 15, date(2027, 1, 6)),  # HV single: 15, 1 Jan 2027 is a holiday
        (10, 2, 30, date(2027, 1, 27)),  # HV dual: 30
    ],
)
def test_checklist_and_plan_page_agree_across_new_year_2027(
    ctx, tmp_path, voltage, sources, days, due
) -> None:
    customer_id = make_customer(ctx, voltage=voltage, sources=sources)
    checklists = ChecklistService(ctx.store, ctx.settings)
    checklist_id = checklists.draft(customer_id, "hv_new", ACCEPTED)
    checklists.issue(checklist_id, now=ISSUED)
    view = checklists.view(checklist_id, today=ACCEPTED)
    (reply,) = [i for i in view.items if i.kind == "limit" and "供电方案答复" in i.text]
    assert reply.time_limit_days == days
    assert reply.limit is not None and reply.limit.deadline == due

    plans = SupplyPlanService(ctx.store, ctx.settings)
    plan = plans.view(plans.draft(customer_id, ACCEPTED))
    assert plan.reply_deadline is not None and plan.reply_deadline.on == due  # the same day
    estimated = due.year == 2027
    assert plan.reply_deadline.estimated == estimated == reply.limit.estimated
    case = SupplyCase(voltage, sources)
    assert (
        case_deadline(
            WorkCalendar.from_settings(ctx.settings),
            utility_limits(ctx.settings),
            "plan_reply",
            case,
            ACCEPTED,
        )
        == plan.reply_deadline
    )

    pdf = tmp_path / "checklist.pdf"
    render_checklist(view, Letterhead(), pdf)
    text = pdf_text(pdf)
    label = {(0.4, 1): "低压", (10, 1): "高压单电源", (10, 2): "高压双电源"}[(voltage, sources)]
    assert f"供电方案答复（{label}）：{days}个工作日" in text
    assert f"截止{due:%Y-%m-%d}" in text
    assert (ESTIMATED_MARK in text) == estimated
    if voltage < 1:  # no HV figure promised to a 0.4 kV customer
        assert "15个工作日" not in text and "22个工作日" not in text
        assert "不超过6个工作日" in text
