"""Issue 5: checklists, plan handouts, outage notices — rules, freezing, PDFs."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from keyacct_desktop.domain.checklist_templates import load_templates
from keyacct_desktop.domain.deadlines import GENERIC_KEYS
from keyacct_desktop.domain.documents import ChecklistItemView
from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.plan_rules import (
    PlanRules,
    check_plan,
    power_factor_standard,
    validity_end,
)
from keyacct_desktop.domain.workdays import (
    DONE,
    NOT_STARTED,
    RUNNING,
    WorkCalendar,
    limit_status,
    parse_dates,
    step_clock,
)
from keyacct_desktop.printing.base import Letterhead, PdfDocument, zh_punct
from keyacct_desktop.printing.documents import render_checklist, render_outage_notices, render_plan
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.documents import TEMPLATE_DIR, template_library
from keyacct_desktop.services.outages import OutageService
from keyacct_desktop.services.overview import dashboard
from keyacct_desktop.services.plans import SupplyPlanService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.guards import FrozenDocumentError
from keyacct_desktop.store.models import (
    Checklist,
    ChecklistItem,
    OutageEvent,
    OutageNotice,
    SupplyPlan,
)

NOW = datetime(2026, 11, 20, 10, 0)
#: What a plan needs before it can be issued (the customer builds to it).
COMPLETE_PLAN = {
    "property_boundary": "客户进线电缆终端头",
    "receiving_type": "户内变电站",
    "protection": "进线设速断、过流保护",
}
LIMITS = set(Settings().get("limits.working_days"))
TERMS = set(Settings().get("limits.customer_terms"))


def pdf_text(path: Path) -> str:
    """All text of a PDF in content order, without white space (cells wrap lines anywhere)."""
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"\s+", "", raw)


def pdf_fonts(path: Path) -> list[list[str]]:
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return [line.split() for line in out.splitlines()[2:]]


def assert_fonts_embedded(path: Path) -> None:
    fonts = pdf_fonts(path)
    assert fonts, "no fonts at all"
    for columns in fonts:
        # name type encoding emb sub uni object ID  ->  emb/sub are columns -5/-4 from the end
        assert columns[-5] == "yes" and columns[-4] == "yes", columns


def squash(value: str) -> str:
    """Expected printed text: no white space, Chinese punctuation full-width as printed."""
    return re.sub(r"\s+", "", zh_punct(value))


@pytest.fixture
def customers(demo_ctx) -> list[uuid.UUID]:
    return CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())


# ---------------------------------------------------------------- working days


def test_working_days_skip_weekends_holidays_and_count_adjusted_workdays() -> None:
    calendar = WorkCalendar(
        parse_dates(["2026-10-01", "2026-10-02", "2026-10-05"]), parse_dates(["2026-10-10"])
    )
    assert calendar.add_workdays(date(2026, 9, 30), 1) == date(
        2026, 10, 6
    )  # Thu–Fri holiday, weekend, Mon holiday
    assert calendar.add_workdays(date(2026, 10, 9), 1) == date(2026, 10, 10)  # Saturday 调休 counts
    assert calendar.add_workdays(date(2026, 11, 20), 5) == date(2026, 11, 27)  # Fri + 5 = next Fri
    assert calendar.workdays_between(date(2026, 11, 20), date(2026, 11, 27)) == 5
    assert calendar.workdays_between(date(2026, 11, 27), date(2026, 11, 20)) == -5
    status = limit_status(calendar, date(2026, 11, 20), 5, today=date(2026, 11, 25), warn_within=3)
    assert (status.deadline, status.remaining, status.warning, status.overdue) == (
        date(2026, 11, 27),
        2,
        True,
        False,
    )
    late = limit_status(calendar, date(2026, 11, 20), 5, today=date(2026, 11, 30))
    assert late.overdue and late.remaining < 0
    with pytest.raises(ValueError, match="2026-13-01"):
        parse_dates(["2026-13-01"])


def test_a_step_clock_counts_from_the_step_start_over_weekends_and_holidays() -> None:
    calendar = WorkCalendar(
        parse_dates([f"2026-10-0{day}" for day in range(1, 8)]), parse_dates(["2026-10-10"])
    )
    # started Wed 30 Sep: 8, 9 Oct, Sat 10 Oct (调休), Mon 12, Tue 13 Oct
    running = step_clock(calendar, 5, date(2026, 9, 30), None, today=date(2026, 10, 9))
    assert (running.state, running.deadline, running.remaining) == (
        RUNNING,
        date(2026, 10, 13),
        3,
    )
    assert running.warning and not running.overdue and running.needs_attention
    assert step_clock(calendar, 5, date(2026, 9, 30), None, date(2026, 10, 14)).overdue
    # the same step started later counts from its own start, not from any acceptance date
    later = step_clock(calendar, 5, date(2026, 10, 12), None, today=date(2026, 10, 14))
    assert (later.deadline, later.remaining, later.warning) == (date(2026, 10, 19), 3, True)
    done = step_clock(calendar, 5, date(2026, 9, 30), date(2026, 10, 14), date(2026, 12, 1))
    assert (done.state, done.late, done.overdue, done.remaining) == (DONE, True, False, None)


def test_a_step_that_has_not_started_is_never_overdue() -> None:
    calendar = WorkCalendar()
    for today in (date(2026, 1, 1), date(2027, 6, 30), date(2036, 1, 1)):
        clock = step_clock(calendar, 5, None, None, today)
        assert clock.state == NOT_STARTED and clock.deadline is None and clock.remaining is None
        assert not clock.overdue and not clock.warning and not clock.needs_attention


def test_default_calendar_has_the_2026_national_day_week() -> None:
    calendar = WorkCalendar.from_settings(Settings())
    assert not calendar.is_workday(date(2026, 10, 5))
    assert calendar.is_workday(date(2026, 10, 10))  # Saturday made a working day


# ---------------------------------------------------------------- templates


def test_every_business_type_has_a_valid_template() -> None:
    library = load_templates(TEMPLATE_DIR, LIMITS, TERMS)
    assert library.problems == ()
    assert set(library.templates) == set(BusinessType)
    hv_new = library.get("hv_new")
    steps = [i.text for i in hv_new.items if i.kind == "step"]
    assert steps[0] == "业务受理" and steps[-1] == "送电" and "中间检查" in steps
    # asking for the mid-construction check ahead is the customer's term, not a utility limit
    assert any("{mid_check_request_days} 天" in i.text for i in hv_new.items if i.kind == "term")
    clocks = {i.limit_key: i.clock for i in hv_new.items if i.kind == "limit"}
    assert clocks == {
        "plan_reply": "acceptance",
        "design_review": "step",
        "mid_check": "step",
        "completion_check": "step",
        "energising": "step",
        "utility_total": None,  # the overall commitment is stated, not counted down
    }
    assert all(i.starts_from for i in hv_new.items if i.clock)
    suspension = library.get("suspension")
    assert any("{suspension_times_per_year} 次" in i.text for i in suspension.items)


@pytest.mark.parametrize("business_type", list(BusinessType))
def test_every_template_states_its_time_limits_and_customer_terms(
    business_type: BusinessType,
) -> None:
    """Every type tells the customer what time limit applies; no customer lead time or
    duration is counted down as a utility deadline; a figure never sits in a text as a constant
    where a configured figure exists."""
    template = load_templates(TEMPLATE_DIR, LIMITS, TERMS).get(business_type)
    limits = [i for i in template.items if i.kind == "limit"]
    assert limits, f"{business_type.value}: no time limit stated"
    counted = [i for i in limits if i.clock]
    assert all(
        (i.limit_key in LIMITS or i.limit_key in GENERIC_KEYS) and i.limit_key not in TERMS
        for i in counted
    )
    for item in template.items:
        assert not re.search(r"提前|之前|不超过 \d|不少于 \d|最长", item.text) or item.kind in (
            "term",
            "rule",
        ), item.text
        if item.kind == "limit":
            assert not re.search(r"\d+ 个(工作日|月)", item.text), item.text  # only {key} figures
    terms = {
        "capacity_reduction": (
            "reduction_notice_days",
            "reduction_min_months",
            "reduction_max_years",
        ),
        "suspension": (
            "suspension_notice_days",
            "suspension_times_per_year",
            "suspension_min_days",
            "suspension_max_months_per_year",
        ),
        "temp_swap": ("temp_swap_months_up_to_10kv", "temp_swap_months_from_35kv"),
        "temp_removal": ("temp_removal_max_months",),
        "temporary_supply": ("temporary_supply_max_months",),
    }.get(business_type.value, ())
    text = " ".join(i.text for i in template.items if i.kind == "term")
    for key in terms:
        assert "{" + key + "}" in text, key
    if business_type == BusinessType.RELOCATION:  # to another supply point = new connection
        assert {i.limit_key for i in counted} >= {
            "plan_reply",
            "design_review",
            "mid_check",
            "completion_check",
            "energising",
        }


@pytest.mark.parametrize(
    ("content", "line", "fragment"),
    [
        (
            'business_type = "suspension"\ntitle = "暂停"\n[[materials]\nstage = "application"\n',
            3,
            "TOML",
        ),
        (
            'business_type = "suspension"\n\n[[materials]]\nstage = "later"\ntext = "申请书"\n',
            4,
            "later",
        ),
        (
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[steps]]\nname = "受理"\ntime_limit = "someday"\n',
            7,
            "someday",
        ),
        (
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = ""\n',
            4,
            "text",
        ),
        ('business_type = "vacation"\n', 1, "vacation"),
        (
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[rules]]\ntext = "提前 {suspension_notise} 个工作日申请"\n',
            6,
            "suspension_notise",
        ),
        (  # a customer lead time written as a utility limit
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[limits]]  # 时限\ntext = "提前申请"\nkey = "suspension_notice_days"\n'
            'working_days = 5\nclock = "step"\nfrom = "申请之日"\n',
            7,
            "[[terms]]",
        ),
        (  # a counted limit must say when its clock starts
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[limits]]\ntext = "中间检查"\nkey = "mid_check"\nworking_days = 5\n'
            'clock = "step"\n',
            9,
            "from",
        ),
        (
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[limits]]\ntext = "中间检查"\nclock = "later"\n',
            7,
            "later",
        ),
        (  # a customer term without a configured figure is a rule
            'business_type = "suspension"\n[[materials]]\nstage = "application"\ntext = "申请书"\n'
            '[[terms]]\ntext = "提前 5 天申请"\n',
            6,
            "[[rules]]",
        ),
    ],
)
def test_a_broken_template_is_reported_with_file_and_line(
    tmp_path: Path, content: str, line: int, fragment: str
) -> None:
    good = tmp_path / "hv_new.toml"
    good.write_text((TEMPLATE_DIR / "hv_new.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "suspension.toml").write_text(content, encoding="utf-8")
    library = load_templates(tmp_path, LIMITS, TERMS)
    assert list(library.templates) == [BusinessType.HV_NEW]  # the good one still loads
    (problem,) = library.problems
    assert problem.path.name == "suspension.toml"
    assert problem.line == line
    assert fragment in str(problem)
    assert "suspension.toml 第" in problem.describe("zh")
    with pytest.raises(UserError, match="unavailable"):
        library.get("suspension")


@pytest.mark.parametrize("business_type", list(BusinessType))
def test_every_template_issues_and_renders(
    demo_ctx, customers, tmp_path: Path, business_type: BusinessType
) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], business_type, date(2026, 11, 20))
    view = service.issue(checklist_id, now=NOW)
    target = tmp_path / f"{business_type.value}.pdf"
    render_checklist(view, Letterhead.from_settings(demo_ctx.settings), target)
    text = pdf_text(target)
    assert squash(f"{business_type.zh}业务一次性告知书") in text
    for item in view.items:
        assert squash(item.text) in text, item.text
    assert view.number in text
    assert_fonts_embedded(target)


def page_text(path: Path, page: int) -> str:
    raw = subprocess.run(
        ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return re.sub(r"\s+", "", raw)


def test_a_long_table_starts_under_its_heading_not_on_the_next_page(
    demo_ctx, customers, tmp_path: Path
) -> None:
    """A heading is kept with its table's first rows, without pushing a long table whole."""
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "hv_new", date(2026, 11, 20))
    for number in range(1, 31):
        service.add_item(checklist_id, f"本案补充材料第{number}项:环境影响评价批复文件复印件")
    view = service.issue(checklist_id, now=NOW)
    target = tmp_path / "long.pdf"
    render_checklist(view, Letterhead(), target)
    first_page = page_text(target, 1)
    assert "一、需提供的材料" in first_page
    assert squash(view.items[0].text) in first_page, "the table starts on page 1"
    assert "本案补充材料第30项" not in first_page
    header = "序号提交阶段材料名称及要求收到日期"
    assert header in page_text(target, 2), "the header row repeats on the next page"


@pytest.mark.parametrize("filler", [24, 30])
def test_a_heading_and_its_note_go_with_a_table_kept_with_the_signatures(filler: int) -> None:
    """The last section of a 告知书 (heading, a one-line note, a short table) is kept on one
    page with the signatures: the heading and note went there too, not left at the foot of
    the page before (seen on a capacity-increase checklist: 六、供电企业办理时限 on page 2,
    its table on page 3)."""
    from pypdf import PdfReader

    doc = PdfDocument("告知书")
    for number in range(filler):
        doc.paragraph(f"填充第 {number} 行")
    doc.heading("六、供电企业办理时限(工作日)")
    doc.paragraph(
        "各环节时限自该环节开始之日起计算(供电方案答复自受理之日起),环节尚未开始的不计时;遇法定节假日顺延。",
        small=True,
    )
    row = [
        "1",
        "供电方案答复(高压双电源):30 个工作日(自受理之日起)",
        "30",
        "截止 2027-01-12(按预估日历计算)",
    ]
    doc.table(["序号", "时限说明", "工作日", "进度"], [row] * 5, [12, 106, 16, 40])
    doc.spacer(2)
    doc.paragraph("如有疑问,请联系客户经理。", small=True)
    doc.signatures(
        ["客户签收", "客户经理"], statement="本人已收到本告知书,并知悉上述材料、流程、费用及时限。"
    )
    pages = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(doc.render())).pages]
    heading = next(n for n, text in enumerate(pages) if "六、供电企业办理时限" in text)
    assert "序号时限说明工作日进度" in pages[heading] and "客户签收" in pages[heading]


def test_every_notice_of_a_batch_has_the_same_title(demo_ctx, customers, tmp_path) -> None:
    service = OutageService(demo_ctx.store, demo_ctx.settings)
    view = service.issue(
        kind="planned",
        starts_at=NOW + timedelta(days=8),
        ends_at=NOW + timedelta(days=8, hours=4),
        area="科技大道以东",
        reason="线路检修",
        customer_ids=customers[:3],
        now=NOW,
    )
    target = tmp_path / "batch.pdf"
    render_outage_notices(view, Letterhead(), target)
    boxes = subprocess.run(
        ["pdftotext", "-bbox", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    heights = {
        round(float(y_max) - float(y_min), 1)
        for y_min, y_max in re.findall(
            r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">计划停电通知</word>',
            boxes,
        )
    }
    # the title of each of the 3 notices, in one size, and the smaller footer line
    assert len(heights) == 2, heights
    assert boxes.count(">计划停电通知</word>") == 6


# ---------------------------------------------------------------- checklists


def test_issue_freezes_and_corrections_are_new_versions(demo_ctx, customers) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "capacity_increase", date(2026, 11, 20))
    service.add_item(checklist_id, "环评批复文件")
    with pytest.raises(UserError, match="no text"):
        service.add_item(checklist_id, "  ")
    view = service.issue(checklist_id, now=NOW)
    assert view.status == "issued" and view.number.startswith("GZ20261120-")
    assert len(view.content_hash) == 64
    assert view.snapshot["items"][-1]["text"] == "环评批复文件"

    # The store refuses, not only the service.
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(Checklist, checklist_id).business_type = "close"
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        item = session.scalars(
            select(ChecklistItem).where(ChecklistItem.checklist_id == checklist_id)
        ).first()
        item.text = "改过的材料"
    with pytest.raises(UserError, match="new version"):
        service.add_item(checklist_id, "再加一项")
    # Nor can it be set back to draft, changed and issued again under the same number and hash.
    with (
        pytest.raises(FrozenDocumentError, match="from issued to draft"),
        demo_ctx.store.begin() as session,
    ):
        session.get(Checklist, checklist_id).status = "draft"
    assert service.view(checklist_id).status == "issued"

    # Receipt tracking stays possible on the frozen document.
    material = next(i for i in view.items if i.kind == "material")
    service.mark_received(material.id, date(2026, 11, 21))
    with pytest.raises(UserError, match="future"):
        service.mark_received(material.id, date.today() + timedelta(days=1))
    assert service.view(checklist_id).items[0].received_on == date(2026, 11, 21)
    assert service.view(checklist_id).content_hash == view.content_hash

    correction_id = service.correct(checklist_id)
    corrected = service.issue(correction_id, now=NOW + timedelta(days=1))
    old = service.view(checklist_id)
    assert corrected.version_no == 2 and corrected.supersedes_id == checklist_id
    assert old.status == "superseded" and old.superseded_by_id == correction_id
    assert old.content_hash == view.content_hash  # the old snapshot is untouched
    with (
        pytest.raises(FrozenDocumentError, match="from superseded to issued"),
        demo_ctx.store.begin() as session,
    ):
        session.get(Checklist, checklist_id).status = "issued"
    with pytest.raises(UserError):
        service.correct(checklist_id)  # superseded documents are not corrected again


def test_time_limits_show_remaining_days_and_warn(demo_ctx, customers) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "hv_new", date(2026, 11, 20))
    service.issue(checklist_id, now=NOW)
    view = service.view(checklist_id, today=date(2026, 12, 8))
    plan_reply = next(i for i in view.items if i.kind == "limit" and "供电方案答复" in i.text)
    assert plan_reply.time_limit_days == 15
    assert plan_reply.limit.deadline == date(2026, 12, 11)
    assert plan_reply.limit.remaining == 3 and plan_reply.limit.warning
    assert plan_reply in view.warnings


def _item(view, text: str) -> ChecklistItemView:
    (item,) = [i for i in view.items if i.kind == "limit" and i.text.startswith(text)]
    return item


def test_each_limit_counts_from_its_own_step_and_the_dashboard_agrees(
    demo_ctx, customers, tmp_path: Path
) -> None:
    """A 高压新装 accepted on Fri 6 Nov: on 24 Nov only the started steps count down."""
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "hv_new", date(2026, 11, 6))
    view = service.issue(checklist_id, now=datetime(2026, 11, 6, 10, 0))
    plan = _item(view, "供电方案答复")
    assert plan.started_on == date(2026, 11, 6)  # the plan reply starts at acceptance
    assert all(i.started_on is None for i in view.items if i.clock == "step")
    design, mid = _item(view, "设计文件审核"), _item(view, "中间检查")
    completion, energising = _item(view, "竣工检验"), _item(view, "装表接电")
    service.mark_started(design.id, date(2026, 11, 10))
    service.mark_started(mid.id, date(2026, 11, 13))
    service.mark_started(energising.id, date(2026, 11, 16))
    service.mark_completed(energising.id, date(2026, 11, 19))
    today = date(2026, 11, 24)
    view = service.view(checklist_id, today=today)
    plan, design, mid = (
        _item(view, "供电方案答复"),
        _item(view, "设计文件审核"),
        _item(view, "中间检查"),
    )
    completion, energising = _item(view, "竣工检验"), _item(view, "装表接电")
    assert (plan.limit.state, plan.limit.deadline, plan.limit.remaining) == (
        RUNNING,
        date(2026, 11, 27),
        3,
    )
    assert (design.limit.deadline, design.limit.remaining) == (date(2026, 11, 24), 0)
    assert mid.limit.overdue and mid.limit.deadline == date(2026, 11, 20)
    assert completion.limit.state == NOT_STARTED and not completion.limit.overdue
    assert energising.limit.state == DONE and not energising.limit.late
    total = _item(view, "供电企业环节合计")
    assert total.limit is None and total.time_limit_days == 22  # stated, not counted down
    assert [i.text for i in view.warnings] == [plan.text, design.text, mid.text]
    # the 首页 tile applies the same rule to the same items
    data = dashboard(demo_ctx.store, demo_ctx.settings, today=today)
    assert sorted(limit.text for limit in data.limits) == sorted(i.text for i in view.warnings)
    assert [limit.text for limit in data.limits_overdue] == [mid.text]
    assert {limit.deadline for limit in data.limits} == {i.limit.deadline for i in view.warnings}

    # the handout states each limit as N working days from its start; no made-up deadline
    target = tmp_path / "hv_new.pdf"
    render_checklist(view, Letterhead.from_settings(demo_ctx.settings), target)
    text = pdf_text(target)
    assert squash("竣工检验:5 个工作日(自受理您的竣工检验申请之日起)") in text
    assert squash("设计文件审核:10 个工作日(自受理您送审的设计文件之日起)") in text
    assert "截止2026-11-27" in text and "截止2026-11-20" in text
    assert "已办结2026-11-19" in text and "未开始" in text
    assert text.count("截止") == 3  # plan reply, design review, mid check: nothing else
    assert squash("隐蔽工程") in text and "请您注意的期限" in text


def test_step_dates_are_checked_and_tracked_after_issue(demo_ctx, customers) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "hv_new", date(2026, 11, 6))
    draft = service.view(checklist_id)
    mid = _item(draft, "中间检查")
    with pytest.raises(UserError, match="current issued version"):
        service.mark_started(mid.id, date(2026, 11, 10))
    view = service.issue(checklist_id, now=datetime(2026, 11, 6, 10, 0))
    material = next(i for i in view.items if i.kind == "material")
    with pytest.raises(UserError, match="not a counted time limit"):
        service.mark_started(material.id, date(2026, 11, 10))
    with pytest.raises(UserError, match="before acceptance"):
        service.mark_started(mid.id, date(2026, 11, 5))
    with pytest.raises(UserError, match="in the future"):
        service.mark_started(mid.id, date.today() + timedelta(days=1))
    with pytest.raises(UserError, match="not started"):
        service.mark_completed(mid.id, date(2026, 11, 12))
    service.mark_started(mid.id, date(2026, 11, 10))  # the store lets tracking through
    with pytest.raises(UserError, match="before the start"):
        service.mark_completed(mid.id, date(2026, 11, 9))
    service.mark_completed(mid.id, date(2026, 11, 12))
    with pytest.raises(UserError, match="clear it first"):
        service.mark_started(mid.id, None)
    # a correction carries the progress over; the superseded version is no longer tracked
    new_id = service.correct(checklist_id)
    corrected = service.issue(new_id, now=datetime(2026, 11, 13, 9, 0))
    copied = _item(corrected, "中间检查")
    assert (copied.started_on, copied.completed_on) == (date(2026, 11, 10), date(2026, 11, 12))
    assert _item(service.view(checklist_id), "中间检查").limit is None
    with pytest.raises(UserError, match="current issued version"):
        service.mark_completed(mid.id, None)
    service.mark_completed(copied.id, None)
    service.mark_started(copied.id, None)
    assert _item(service.view(new_id), "中间检查").limit.state == NOT_STARTED


def test_customer_terms_are_told_not_counted(demo_ctx, customers) -> None:
    terms = dict(demo_ctx.settings.get("limits.customer_terms"))
    terms["suspension_min_days"] = 20
    demo_ctx.settings.set("limits.customer_terms", terms)
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "suspension", date(2026, 11, 6))
    view = service.issue(checklist_id, now=datetime(2026, 11, 6, 10, 0))
    told = [i.text for i in view.items if i.kind == "term"]
    assert "须在暂停前 5 天提出申请" in told
    assert "每一日历年内暂停不超过 2 次，每次不少于 20 天" in told
    assert all(i.limit is None for i in view.items)  # nothing to count down for the utility
    assert not dashboard(demo_ctx.store, demo_ctx.settings, today=date(2027, 6, 1)).limits


def test_configured_limits_override_template_defaults(demo_ctx, customers) -> None:
    limits = dict(demo_ctx.settings.get("limits.working_days"))
    limits["plan_reply_hv_single"] = 10
    demo_ctx.settings.set("limits.working_days", limits)
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    view = service.view(service.draft(customers[0], "hv_new", date(2026, 11, 20)))
    (reply,) = [i for i in view.items if i.kind == "limit" and "供电方案答复" in i.text]
    # the printed text says what is tracked: the configured 10, not the template's default 15
    assert reply.time_limit_days == 10 and "（高压单电源）：10 个工作日" in reply.text
    assert not any("{" in i.text for i in view.items)


def test_template_library_is_shared_and_rejects_unknown_customers(demo_ctx) -> None:
    assert template_library(demo_ctx.settings) is template_library(demo_ctx.settings)
    with pytest.raises(UserError, match="customer not found"):
        ChecklistService(demo_ctx.store, demo_ctx.settings).draft(
            uuid.uuid4(), "hv_new", date(2026, 11, 20)
        )


def test_an_administrator_overrides_a_template_in_the_data_folder(demo_ctx, customers) -> None:
    override_dir = demo_ctx.data_dir / "templates" / "checklists"
    override_dir.mkdir(parents=True)
    bundled = (TEMPLATE_DIR / "suspension.toml").read_text("utf-8")
    extra = '\n[[materials]]\nstage = "application"\ntext = "本地要求:停产说明函"\n'
    (override_dir / "suspension.toml").write_text(bundled + extra, "utf-8")
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    view = service.view(service.draft(customers[0], "suspension", date(2026, 11, 20)))
    assert any(item.text == "本地要求:停产说明函" for item in view.items)

    # A typo in the override is reported with file and line; the bundled template stays usable.
    (override_dir / "suspension.toml").write_text(
        bundled + '\n[[materials]]\nstage = "nowhere"\ntext = "x"\n', "utf-8"
    )
    library = template_library(demo_ctx.settings)
    (problem,) = library.problems
    assert problem.path == override_dir / "suspension.toml" and problem.line is not None
    view = service.view(service.draft(customers[0], "suspension", date(2026, 11, 20)))
    assert not any(item.text == "本地要求:停产说明函" for item in view.items)


# ---------------------------------------------------------------- plan handouts

RULES = PlanRules.from_settings(Settings())


def test_power_factor_standard_follows_capacity_and_user_type() -> None:
    assert (
        power_factor_standard(
            RULES, capacity_kva=2000, voltage_kv=10, tariff="large_industry", industry="C"
        )
        == 0.90
    )
    assert (
        power_factor_standard(
            RULES, capacity_kva=160, voltage_kv=10, tariff="large_industry", industry="C"
        )
        == 0.85
    )
    assert (
        power_factor_standard(
            RULES, capacity_kva=500, voltage_kv=10, tariff="commercial", industry="F"
        )
        == 0.85
    )
    assert (
        power_factor_standard(
            RULES, capacity_kva=80, voltage_kv=0.4, tariff="commercial", industry="F"
        )
        is None
    )
    assert (
        power_factor_standard(
            RULES, capacity_kva=500, voltage_kv=10, tariff="agriculture", industry="A"
        )
        == 0.80
    )


def test_validity_is_one_year_hv_and_three_months_lv() -> None:
    assert validity_end(RULES, date(2026, 11, 30), 10) == date(2027, 11, 30)
    assert validity_end(RULES, date(2026, 11, 30), 0.4) == date(2027, 2, 28)


def test_important_customers_need_sources_and_emergency_power() -> None:
    customer = {
        "important_grade": "first",
        "capacity_kva": 2000,
        "voltage_kv": 10,
        "tariff": "large_industry",
        "industry": "C",
    }
    plan = {
        "sources": [{"substation": "城东"}],
        "power_factor": 0.9,
        "capacity_kva": 2000,
        "property_boundary": "进线",
        "receiving_type": "户内变电站",
        "protection": "速断、过流保护",
    }
    fields = [w.field for w in check_plan(RULES, plan, customer)]
    assert fields.count("sources") == 1 and "emergency_power" in fields
    plan["sources"] = [{"substation": "城东"}, {"substation": "城东"}]
    messages = [w.message_zh for w in check_plan(RULES, plan, customer)]
    assert any("不同变电站" in m for m in messages)
    plan["sources"] = [{"substation": "城东"}, {"substation": "科创"}]
    plan["emergency_power"] = "柴油发电机 800 kW"
    assert check_plan(RULES, plan, customer) == []
    plan["power_factor"] = None
    (missing,) = check_plan(RULES, plan, customer)
    assert missing.field == "power_factor" and "未填写功率因数" in missing.message_zh
    assert "0.90" in missing.message_zh and "missing" in missing.message_en
    plan["power_factor"] = 0.85
    (warning,) = check_plan(RULES, plan, customer)
    assert (
        warning.field == "power_factor"
        and "0.90" in warning.message_zh
        and "0.90" in warning.message_en
    )


def test_plan_draft_issue_freeze_and_pdf(demo_ctx, customers, tmp_path: Path) -> None:
    service = SupplyPlanService(demo_ctx.store, demo_ctx.settings)
    plan_id = service.draft(customers[1], date(2026, 11, 20), "SQ2026-0077")
    draft = service.view(plan_id)
    # 15 working days (single source) or 30 (dual source) after Friday 2026-11-20.
    assert draft.reply_due == (
        date(2027, 1, 4) if draft.data["dual_source"] else date(2026, 12, 11)
    )
    assert draft.data["sources"], "sources are prefilled from the customer's power sources"
    header = draft.customer
    assert draft.data["power_factor"] == power_factor_standard(
        RULES,
        capacity_kva=header["capacity_kva"],
        voltage_kv=header["voltage_kv"],
        tariff=header["tariff"],
        industry=header["industry"],
    ), "the power-factor standard is prefilled from capacity and user type"
    assert not [w for w in draft.warnings if w.field == "power_factor"]
    with pytest.raises(UserError, match="capacity"):
        service.update(plan_id, {"capacity_kva": "-5"})
    with pytest.raises(UserError, match="unknown plan fields"):
        service.update(plan_id, {"colour": "red"})
    service.update(
        plan_id,
        {
            "property_boundary": "客户进线电缆终端头",
            "receiving_type": "户内变电站",
            "protection": "进线设速断、过流及零序保护",
            "fees": [
                {
                    "item": "高可靠性供电费",
                    "unit_price": "260",
                    "quantity": "2000",
                    "amount": "520000",
                    "basis": "物价文件",
                }
            ],
        },
    )
    issued = service.issue(plan_id, now=NOW)
    high_voltage = (issued.data["voltage_kv"] or 0) >= 1
    assert issued.valid_until == (date(2027, 11, 20) if high_voltage else date(2027, 2, 20))
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(SupplyPlan, plan_id).data = {}
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(SupplyPlan, plan_id).status = "draft"
    correction = service.view(service.correct(plan_id))
    assert correction.status == "draft" and correction.supersedes_id == plan_id
    assert correction.data["fees"][0]["item"] == "高可靠性供电费"
    with pytest.raises(UserError):
        service.update(plan_id, {"remarks": "晚了"})
    target = tmp_path / "plan.pdf"
    render_plan(issued, Letterhead.from_settings(demo_ctx.settings), target)
    text = pdf_text(target)
    for expected in (
        "供电方案答复单",
        issued.customer["name"],
        "客户进线电缆终端头",
        "高可靠性供电费",
        issued.number,
        "有效期至",
    ):
        assert squash(expected) in text, expected
    assert_fonts_embedded(target)


def test_reply_limit_is_longer_for_dual_source(demo_ctx, customers) -> None:
    service = SupplyPlanService(demo_ctx.store, demo_ctx.settings)
    plan_id = service.draft(customers[2], date(2026, 11, 20))
    service.update(plan_id, {"voltage_kv": 10, "dual_source": False})
    assert service.view(plan_id).reply_due == date(2026, 12, 11)  # 15 working days
    service.update(plan_id, {"dual_source": True})
    # 30 working days; 2027-01-01 is New Year's Day (estimated 2027 calendar), so the 4th
    dual = service.view(plan_id).reply_deadline
    assert dual is not None and dual.on == date(2027, 1, 4) and dual.estimated


# ---------------------------------------------------------------- outage notices


def test_lead_times_are_enforced_unless_fault(demo_ctx, customers) -> None:
    service = OutageService(demo_ctx.store, demo_ctx.settings)
    common = {
        "area": "科技大道以东",
        "reason": "线路检修",
        "customer_ids": customers[:2],
        "now": NOW,
    }
    with pytest.raises(UserError, match="7 days") as caught:
        service.issue(
            kind="planned",
            starts_at=NOW + timedelta(days=6, hours=23),
            ends_at=NOW + timedelta(days=7),
            **common,
        )
    assert "提前 7 天" in caught.value.message_zh
    with pytest.raises(UserError, match="24 hours"):
        service.issue(
            kind="temporary",
            starts_at=NOW + timedelta(hours=20),
            ends_at=NOW + timedelta(hours=26),
            **common,
        )
    with pytest.raises(UserError, match="end after"):
        service.issue(
            kind="fault",
            starts_at=NOW + timedelta(hours=2),
            ends_at=NOW + timedelta(hours=1),
            **common,
        )
    fault = service.issue(
        kind="fault",
        starts_at=NOW + timedelta(minutes=10),
        ends_at=NOW + timedelta(hours=3),
        **common,
    )
    assert len(fault.notices) == 2
    planned = service.issue(
        kind="planned",
        starts_at=NOW + timedelta(days=7),
        ends_at=NOW + timedelta(days=7, hours=8),
        **common,
    )
    assert planned.status == "issued"
    with demo_ctx.store.read() as session:
        assert len(session.scalars(select(OutageNotice)).all()) == 4  # refused ones wrote nothing


def test_pick_customers_by_line_delivery_acknowledgement_and_reminders(demo_ctx) -> None:
    service = OutageService(demo_ctx.store, demo_ctx.settings)
    from keyacct_desktop.store.models import PowerSource

    with demo_ctx.store.read() as session:
        line = session.scalars(select(PowerSource.line)).first()
    affected = service.affected_customers(lines=[line])
    assert affected
    starts = NOW + timedelta(days=8)
    view = service.issue(
        kind="planned",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        area="片区",
        reason="设备消缺",
        customer_ids=affected,
        lines=[line],
        now=NOW,
    )
    notice = view.notices[0]
    service.record_delivery(notice.id, "当面送达", "王伟", at=NOW + timedelta(days=1))
    with pytest.raises(UserError):
        service.record_acknowledgement(notice.id, " ")
    service.record_acknowledgement(notice.id, "张敏", at=NOW + timedelta(days=1))
    updated = service.view(view.id).notices[0]
    assert updated.delivery_method == "当面送达" and updated.acknowledged_by == "张敏"
    assert service.reminders_due(now=starts - timedelta(hours=2)) == []
    due = service.reminders_due(now=starts - timedelta(minutes=20))
    assert {n.id for n in due} == {n.id for n in view.notices}
    service.mark_reminded(notice.id, at=starts - timedelta(minutes=20))
    assert len(service.reminders_due(now=starts - timedelta(minutes=19))) == len(view.notices) - 1
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(OutageNotice, notice.id).customer_id = uuid.uuid4()
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(OutageEvent, view.id).starts_at = starts + timedelta(days=1)
    with pytest.raises(FrozenDocumentError), demo_ctx.store.begin() as session:
        session.get(OutageEvent, view.id).status = "draft"


@pytest.mark.slow
def test_a_200_customer_outage_batch_renders(tmp_path: Path) -> None:
    from keyacct_desktop.demo import generate_demo
    from keyacct_desktop.store.db import open_store
    from tests.conftest import DEMO_TODAY

    store = open_store(tmp_path / "k.sqlite3")
    generate_demo(store, customers=200, seed=3, today=DEMO_TODAY)
    settings = Settings()
    ids = CustomerDirectory(store).find_ids(CustomerQuery())
    service = OutageService(store, settings)
    view = service.issue(
        kind="planned",
        starts_at=NOW + timedelta(days=10),
        ends_at=NOW + timedelta(days=10, hours=8),
        area="高新区全域",
        reason="220 kV 母线检修",
        customer_ids=ids,
        now=NOW,
    )
    target = tmp_path / "batch.pdf"
    render_outage_notices(view, Letterhead(), target)
    info = subprocess.run(
        ["pdfinfo", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Pages:\s+200", info)
    text = pdf_text(target)
    assert all(squash(n.customer_name) in text and n.number in text for n in view.notices)
    assert text.count("第1页共1页") == 200 and "第2页" not in text  # each notice its own pages
    assert_fonts_embedded(target)
    store.close()


def test_print_command_writes_pdfs(demo_ctx, customers, tmp_path: Path) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    ids = [
        service.issue(service.draft(c, "close", date(2026, 11, 20)), now=NOW).id
        for c in customers[:2]
    ]
    target = tmp_path / "one.pdf"
    base = [sys.executable, "-m", "keyacct_desktop", "--data-dir", str(demo_ctx.data_dir), "print"]
    subprocess.run(
        [*base, "checklist", str(ids[0]), "-o", str(target)], check=True, capture_output=True
    )
    assert "销户业务一次性告知书" in pdf_text(target)
    folder = tmp_path / "batch"
    subprocess.run(
        [*base, "checklist", *map(str, ids), "-o", str(folder)], check=True, capture_output=True
    )
    assert len(list(folder.glob("*.pdf"))) == 2
    bad = subprocess.run(
        [*base, "checklist", "not-a-uuid", "-o", str(target)], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "UUID" in bad.stderr
    missing = subprocess.run(
        [*base, "plan", str(uuid.uuid4()), "-o", str(target)], capture_output=True, text=True
    )
    assert missing.returncode == 2 and "找不到供电方案" in missing.stderr


def test_print_command_takes_printed_numbers_lists_and_prints_every_kind(
    demo_ctx, customers, tmp_path: Path
) -> None:
    checklist = ChecklistService(demo_ctx.store, demo_ctx.settings)
    issued = checklist.issue(checklist.draft(customers[0], "close", date(2026, 11, 20)), now=NOW)
    plans = SupplyPlanService(demo_ctx.store, demo_ctx.settings)
    plan_id = plans.draft(customers[1], date(2026, 11, 20))
    plans.update(plan_id, COMPLETE_PLAN)
    plan = plans.issue(plan_id, now=NOW)
    outage = OutageService(demo_ctx.store, demo_ctx.settings).issue(
        kind="fault",
        starts_at=datetime.now() + timedelta(hours=1),
        ends_at=datetime.now() + timedelta(hours=3),
        area="科技大道以东",
        reason="线路故障抢修",
        customer_ids=customers[:2],
    )
    base = [sys.executable, "-m", "keyacct_desktop", "--data-dir", str(demo_ctx.data_dir), "print"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*base, *args], capture_output=True, text=True, check=True)

    listed = run("checklist", "--list").stdout
    assert f"{issued.number}\t{issued.id}" in listed
    by_number = run("checklist", issued.number, "-o", str(tmp_path / "c.pdf"))
    assert "销户业务一次性告知书" in pdf_text(tmp_path / "c.pdf")
    assert "未加密" in by_number.stderr and "not encrypted" in by_number.stderr
    run("plan", plan.number, "-o", str(tmp_path / "p.pdf"))
    assert "供电方案答复单" in pdf_text(tmp_path / "p.pdf")
    run("outage", outage.number, "-o", str(tmp_path / "o.pdf"))
    text = pdf_text(tmp_path / "o.pdf")
    assert "故障停电通知" in text and all(n.number in text for n in outage.notices)
    unknown = subprocess.run(
        [*base, "plan", "FA20260101-XXXXXX", "-o", str(tmp_path / "x.pdf")],
        capture_output=True,
        text=True,
    )
    assert unknown.returncode == 2 and "FA20260101-XXXXXX" in unknown.stderr
    nothing = subprocess.run([*base, "outage"], capture_output=True, text=True)
    assert nothing.returncode == 2 and "--list" in nothing.stderr


def test_the_letterhead_logo_prints_and_a_damaged_one_is_left_out(
    demo_ctx, customers, tmp_path: Path, caplog
) -> None:
    from PIL import Image as PilImage

    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    view = service.issue(service.draft(customers[0], "close", date(2026, 11, 20)), now=NOW)
    logo = tmp_path / "logo.png"
    PilImage.new("RGB", (64, 64), (31, 95, 168)).save(logo)
    damaged = tmp_path / "damaged.png"
    damaged.write_bytes(logo.read_bytes()[:40])

    def images(path: Path) -> int:
        listing = subprocess.run(
            ["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True
        ).stdout
        return len(listing.splitlines()) - 2

    with_logo = tmp_path / "with-logo.pdf"
    render_checklist(view, Letterhead(logo_path=str(logo)), with_logo)
    assert images(with_logo) == 2 * int(re.search(r"Pages:\s+(\d+)", _info(with_logo))[1])
    broken = tmp_path / "broken-logo.pdf"
    render_checklist(view, Letterhead(logo_path=str(damaged)), broken)  # prints all the same
    assert squash("销户业务一次性告知书") in pdf_text(broken)
    assert images(broken) == int(re.search(r"Pages:\s+(\d+)", _info(broken))[1])  # QR only
    assert "cannot be read" in caplog.text


def _info(path: Path) -> str:
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
