"""Documents a power company can hand to its customers (issue 17), checked on the rendered PDF.

Every document names the account manager and phone; signature blocks share their page with
what they sign; Chinese text uses full-width punctuation; each checklist states its fees;
internal checks and hashes never reach a customer's copy; a visit report prints only what
was recorded, with its photos and the signature date.
"""

from __future__ import annotations

import re
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from keyacct_desktop.domain.codes import verification_code
from keyacct_desktop.domain.enums import BusinessType
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.printing.base import Letterhead
from keyacct_desktop.printing.documents import render_checklist, render_outage_notices, render_plan
from keyacct_desktop.printing.visits import render_visit_report
from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.plans import SupplyPlanService
from keyacct_desktop.services.visits import VisitLogService, load_report
from keyacct_desktop.store.models import Customer, User
from tests.test_deadlines import make_customer
from tests.test_visits import TODAY, full_form, world  # noqa: F401  (fixture)
from tests.visit_draft_worker import photo_png

ISSUED = datetime(2026, 12, 2, 9, 0)
#: A half-width mark next to a Chinese character (GB/T 15834 wants full-width there).
HALF_WIDTH = re.compile(r"[\u4e00-\u9fff][,;:()!?]|[,;:()!?][\u4e00-\u9fff]")


def pages(path: Path) -> list[str]:
    """The text of each page, without white space."""
    count = len(PdfReader(str(path)).pages)
    result = []
    for page in range(1, count + 1):
        raw = subprocess.run(
            ["pdftotext", "-raw", "-f", str(page), "-l", str(page), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        result.append(re.sub(r"\s+", "", raw))
    return result


def signature_page(texts: list[str], label: str) -> int:
    (found,) = [number for number, text in enumerate(texts) if f"{label}：" in text]
    return found


@pytest.mark.parametrize("business_type", list(BusinessType))
def test_every_checklist_is_fit_to_hand_out(ctx, tmp_path, business_type) -> None:
    customer_id = make_customer(ctx, voltage=10, sources=2)
    service = ChecklistService(ctx.store, ctx.settings)
    checklist_id = service.draft(customer_id, business_type, date(2026, 12, 1))
    view = service.issue(checklist_id, now=ISSUED)
    target = tmp_path / f"{business_type.value}.pdf"
    render_checklist(view, Letterhead(), target)
    texts = pages(target)
    whole = "".join(texts)
    # someone to call: the manager's name and phone
    assert "客户经理王经理" in whole and "13800138000" in whole
    # the fee statement of this business type, from its template
    fees = [i.text for i in view.items if i.kind == "fee"]
    assert fees and "业务费用" in whole
    assert all(re.sub(r"\s+", "", fee) in whole for fee in fees)
    # only customer-facing text: no hash, no internal check
    assert "哈希" not in whole and "待核实" not in whole
    # full-width punctuation in the Chinese text
    assert not HALF_WIDTH.findall(whole), HALF_WIDTH.findall(whole)[:5]
    # the signature block shares its page with the end of what it acknowledges
    page = signature_page(texts, "客户签收")
    assert "本人已收到本告知书" in texts[page]
    assert "如有疑问" in texts[page]
    last_item = re.sub(r"\s+", "", [i for i in view.items if i.kind != "material"][-1].text)
    assert last_item[:10] in texts[page], (business_type, page + 1, len(texts))


def test_a_plan_handout_is_issued_complete_and_prints_no_internal_checks(ctx, tmp_path) -> None:
    customer_id = make_customer(ctx, voltage=10, sources=1)
    service = SupplyPlanService(ctx.store, ctx.settings)
    plan_id = service.draft(customer_id, date(2026, 12, 1))
    with pytest.raises(UserError) as refused:
        service.issue(plan_id, now=ISSUED)
    assert "产权分界点" in refused.value.message_zh and "继电保护" in refused.value.message_zh
    assert service.view(plan_id).status == "draft"  # nothing half-written
    service.update(
        plan_id,
        {
            "property_boundary": "客户进线电缆终端头",
            "receiving_type": "户内变电站",
            "protection": "进线设速断、过流保护",
            "power_factor": 0.5,  # a rule broken: stays on screen, never on paper
        },
    )
    issued = service.issue(plan_id, now=ISSUED)
    assert issued.warnings  # the screen still shows the power-factor check
    target = tmp_path / "plan.pdf"
    render_plan(issued, Letterhead(), target)
    texts = pages(target)
    whole = "".join(texts)
    assert "待核实" not in whole and "功率因数考核标准应为" not in whole and "哈希" not in whole
    assert "王经理" in whole and "13800138000" in whole
    assert not HALF_WIDTH.findall(whole), HALF_WIDTH.findall(whole)[:5]
    page = signature_page(texts, "客户签收")
    assert "客户已收到本供电方案答复单" in texts[page] and "有效期至" in texts[page]


def test_visit_report_prints_only_what_was_recorded_with_photos_and_date(
    ctx,
    world,  # noqa: F811
    tmp_path,
) -> None:
    files = AttachmentFiles(ctx.attachments_dir, None, 20 * 2**20)
    service = VisitLogService(ctx.store, ctx.settings, files)
    customer = world["a_late"].id
    with ctx.store.begin() as session:
        session.get(User, session.get(Customer, customer).manager_id).phone = "13900139000"
    form = full_form(customer, files)
    form.findings_reliability = ""
    form.findings_equipment = ""
    form.findings_safety = ""
    form.photos = [
        ("配电室.png", files.put("配电室.png", photo_png(1)).sha256),
        ("变压器.png", files.put("变压器.png", photo_png(2)).sha256),
    ]
    visit_id = service.save(form, today=TODAY)
    target = tmp_path / "visit.pdf"
    render_visit_report(load_report(service, visit_id), Letterhead(), target)
    texts = pages(target)
    whole = "".join(texts)
    assert "无异常" not in whole and "未发现" not in whole  # nobody checked those
    assert "设备运行状况" not in whole and "5次谐波超标" in whole
    assert "13900139000" in whole and "王经理" in whole
    images = subprocess.run(
        ["pdfimages", "-list", str(target)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert len(images) >= 2 + 1 + len(texts)  # two photos, the signature, a QR per page
    assert "现场照片" in whole and "配电室.png" in whole
    signed = "日期：2026年11月19日"
    assert signed in whole  # the signature date is filled
    page = signature_page(texts, "客户签字")
    assert "以上内容经双方确认" in texts[page]
    assert not HALF_WIDTH.findall(whole), HALF_WIDTH.findall(whole)[:5]


# ---------------------------------------------------------------- outage notices


def _outage(ctx, kind: str, now: datetime, count: int = 2):
    from keyacct_desktop.services.outages import OutageService

    ids = [make_customer(ctx, voltage=10, sources=1) for _ in range(count)]
    service = OutageService(ctx.store, ctx.settings)
    starts = now + (timedelta(days=8) if kind == "planned" else timedelta(minutes=10))
    view = service.issue(
        kind=kind,
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        area="科创园北片",
        reason="10 kV 园区线电缆故障" if kind == "fault" else "线路检修",
        customer_ids=ids,
        lines=["园区线"],
        now=now,
    )
    return service, view


def test_each_outage_notice_has_its_own_number_pages_and_qr(ctx, tmp_path) -> None:
    from tests.test_visits import qr_text_in

    now = datetime(2026, 12, 2, 9, 0)
    _service, view = _outage(ctx, "planned", now, count=3)
    target = tmp_path / "notices.pdf"
    render_outage_notices(view, Letterhead(), target)
    texts = pages(target)
    assert len(texts) == 3
    for text, notice in zip(texts, view.notices, strict=True):
        assert notice.number in text and notice.customer_name in text
        assert "第1页共1页" in text  # a customer's own notice, not the batch's page count
        assert "王经理" in text and "13800138000" in text
        assert not HALF_WIDTH.findall(text), HALF_WIDTH.findall(text)[:5]
    rest = "".join(texts)
    for notice in view.notices:
        rest = rest.replace(notice.number, "")
    assert view.number not in rest  # only the customer's own number is printed
    reader = PdfReader(str(target))
    assert [item.title for item in reader.outline] == [
        f"{n.number} {n.customer_name}" for n in view.notices
    ]
    first = view.notices[0]  # number and verification code (no server address configured)
    assert qr_text_in(target) == f"KEYACCT:{first.number}:{verification_code(str(first.id))}"
    assert f"校验码：{verification_code(str(first.id))}" in texts[0]


def test_fault_notice_says_restoration_and_repair_commitment(ctx, tmp_path) -> None:
    now = datetime(2026, 12, 2, 9, 0)
    _service, view = _outage(ctx, "fault", now, count=1)
    target = tmp_path / "fault.pdf"
    render_outage_notices(
        view,
        Letterhead(),
        target,
        repair_minutes=dict(ctx.settings.get("outage.repair_arrival_minutes")),
    )
    text = "".join(pages(target))
    assert "定于" not in text and "提前做好" not in text  # not worded as planned
    assert f"预计于{view.ends_at:%Y年%m月%d日%H:%M}前恢复供电" in text
    assert "城区45分钟" in text and "农村90分钟" in text and "边远地区120分钟" in text


def test_outage_delivery_before_issue_or_too_late_is_refused(ctx) -> None:
    now = datetime(2026, 12, 2, 9, 0)
    service, view = _outage(ctx, "planned", now, count=1)
    notice = view.notices[0]
    with pytest.raises(UserError) as early:
        service.record_delivery(notice.id, "当面送达", "王伟", at=now - timedelta(days=2), now=now)
    assert "早于通知出具时间" in early.value.message_zh
    late = view.starts_at - timedelta(days=2)
    with pytest.raises(UserError) as refused:
        service.record_delivery(notice.id, "当面送达", "王伟", at=late, now=late)
    assert "不足 3 天" in refused.value.message_zh
    assert service.view(view.id).notices[0].delivered_at is None
    service.record_delivery(notice.id, "当面送达", "王伟", at=late, now=late, accept_late=True)
    assert service.view(view.id).notices[0].delivered_at == late


# ---------------------------------------------------------------- content and rules


def test_each_business_type_has_its_own_process_and_terms() -> None:
    from keyacct_desktop.domain.checklist_templates import load_templates
    from keyacct_desktop.services.documents import TEMPLATE_DIR
    from keyacct_desktop.settings import Settings

    settings = Settings()
    library = load_templates(
        TEMPLATE_DIR,
        set(settings.get("limits.working_days")),
        set(settings.get("limits.customer_terms")),
    )
    assert library.problems == ()

    def of(code: str, kind: str) -> list[str]:
        return [i.text for i in library.get(code).items if i.kind == kind]

    processes = {code.value: tuple(of(code.value, "step")) for code in BusinessType}
    changes = {k: v for k, v in processes.items() if k not in ("hv_new", "capacity_increase")}
    assert len(set(changes.values())) == len(changes)  # no shared process line
    assert all("装表接电或封停" not in step for steps in processes.values() for step in steps)
    assert "装表接电" not in "".join(processes["rename"] + processes["transfer"])
    assert {"设计审核", "中间检查", "竣工检验"} <= set(processes["voltage_change"])
    assert {"设计审核", "竣工检验"} <= set(processes["relocation"])
    stages = {i.stage for i in library.get("relocation").items if i.kind == "material"}
    assert {"design", "completion"} <= stages  # a new supply point is a new connection
    assert any("{reduction_notice_days}" in t for t in of("reduction_restore", "term"))
    assert any("{suspension_notice_days}" in t for t in of("suspension_restore", "term"))
    assert any("20 千伏" in t for t in of("temp_swap", "term"))


def test_uscc_position_two_and_full_width_input() -> None:
    from keyacct_desktop.domain.codes import CodeError, uscc_check_char, validate_uscc

    body = "91350100M000100Y4"
    code = body + uscc_check_char(body)
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    assert validate_uscc(full_width) == code  # typed with a Chinese input method
    wrong = "94350100M000100Y4"
    with pytest.raises(CodeError) as refused:
        validate_uscc(wrong + uscc_check_char(wrong))
    assert "第 2 位" in refused.value.message_zh


def test_power_factor_by_size_and_tariff_first() -> None:
    from keyacct_desktop.domain.plan_rules import PlanRules, power_factor_standard
    from keyacct_desktop.settings import Settings

    rules = PlanRules.from_settings(Settings())

    def pf(kva: float, tariff: str | None, industry: str | None) -> float | None:
        return power_factor_standard(
            rules, capacity_kva=kva, voltage_kv=10, tariff=tariff, industry=industry
        )

    assert pf(50, "agriculture", "A") is None  # small agricultural users are not assessed
    assert pf(200, "agriculture", "A") == 0.80
    assert pf(2000, "large_industry", "A") == 0.90  # the tariff wins over the industry code
    assert pf(200, None, "A") == 0.80


def test_an_on_load_tap_changer_sets_0_90_and_is_printed(ctx, tmp_path) -> None:
    """DOMAIN.md: 0.90 also for HV users with on-load tap changers (有载调压), whatever
    their industry and size; the handout says how the transformer regulates and why 0.90."""
    from keyacct_desktop.domain.plan_rules import PlanRules, power_factor_standard
    from keyacct_desktop.settings import Settings

    rules = PlanRules.from_settings(Settings())
    facts = {"capacity_kva": 150, "tariff": "commercial", "industry": "F"}
    assert power_factor_standard(rules, voltage_kv=10, **facts) == 0.85
    assert power_factor_standard(rules, voltage_kv=10, on_load_tap_changer=True, **facts) == 0.90
    assert power_factor_standard(rules, voltage_kv=0.4, on_load_tap_changer=True, **facts) == 0.85

    customer_id = make_customer(ctx, voltage=10, sources=1)  # 800 kVA commercial: 0.85
    service = SupplyPlanService(ctx.store, ctx.settings)
    plan_id = service.draft(customer_id, date(2026, 12, 1))
    assert service.view(plan_id).data["on_load_tap_changer"] is False
    complete = {
        "property_boundary": "客户进线电缆终端头",
        "receiving_type": "户内变电站",
        "protection": "进线设速断、过流保护",
    }
    service.update(plan_id, {**complete, "on_load_tap_changer": True})
    warned = service.view(plan_id)
    assert [w.field for w in warned.warnings] == ["power_factor"]
    assert "0.90" in warned.warnings[0].message_zh and "调压方式" in warned.warnings[0].message_zh
    service.update(plan_id, {"power_factor": 0.9})
    issued = service.issue(plan_id, now=ISSUED)
    assert not issued.warnings
    target = tmp_path / "oltc.pdf"
    render_plan(issued, Letterhead(), target)
    whole = "".join(pages(target))
    assert "调压方式有载调压" in whole
    assert "0.90（高压供电并装有有载调压装置的用户）" in whole
    assert not HALF_WIDTH.findall(whole)
    # an LV plan has no transformer line at all
    lv = service.view(service.draft(make_customer(ctx, voltage=0.4, sources=1), date(2026, 12, 1)))
    assert lv.data["on_load_tap_changer"] is None


def test_lv_plan_meters_on_four_wires(ctx) -> None:
    customer_id = make_customer(ctx, voltage=0.4, sources=1)
    service = SupplyPlanService(ctx.store, ctx.settings)
    plan = service.view(service.draft(customer_id, date(2026, 12, 1)))
    (metering,) = plan.data["metering"]
    assert metering["wiring"] == "三相四线" and metering["method"] == "lv_lv"
    hv = service.view(service.draft(make_customer(ctx, voltage=10, sources=1), date(2026, 12, 1)))
    assert hv.data["metering"][0]["wiring"] == "三相三线"


def test_a_template_without_a_fee_statement_is_refused(tmp_path) -> None:
    from keyacct_desktop.domain.checklist_templates import load_templates

    (tmp_path / "rename.toml").write_text(
        'business_type = "rename"\n[[materials]]\nstage = "application"\ntext = "申请书"\n',
        encoding="utf-8",
    )
    library = load_templates(tmp_path, set(), set())
    (problem,) = library.problems
    assert "本业务不收取费用" in problem.message_zh


# ---------------------------------------------------------------- reprint and batch print


def test_reprint_and_batch_print_by_printed_number(ctx, tmp_path) -> None:
    import sys

    from keyacct_desktop.services.outages import OutageService

    checklists = ChecklistService(ctx.store, ctx.settings)
    first = checklists.issue(
        checklists.draft(make_customer(ctx, voltage=10, sources=1), "rename", date(2026, 12, 1)),
        now=ISSUED,
    )
    second = checklists.issue(
        checklists.draft(make_customer(ctx, voltage=0.4, sources=1), "close", date(2026, 12, 1)),
        now=ISSUED,
    )
    corrected = checklists.issue(checklists.correct(first.id), now=ISSUED + timedelta(hours=1))
    outage = OutageService(ctx.store, ctx.settings).issue(
        kind="planned",
        starts_at=datetime.now() + timedelta(days=9),
        ends_at=datetime.now() + timedelta(days=9, hours=4),
        area="城东片区",
        reason="线路检修",
        customer_ids=[first.customer_id, second.customer_id],
    )
    ctx.close()
    base = [sys.executable, "-m", "keyacct_desktop", "--data-dir", str(ctx.data_dir), "print"]

    def run(*args: str) -> None:
        subprocess.run([*base, *args], capture_output=True, text=True, check=True)

    # several numbers -> one PDF with a bookmark per document
    batch = tmp_path / "batch.pdf"
    run(
        "checklist",
        first.number or "",
        second.number or "",
        corrected.number or "",
        "-o",
        str(batch),
    )
    reader = PdfReader(str(batch))
    titles = [item.title for item in reader.outline]
    assert titles == [
        f"{first.number} {first.customer_name}",
        f"{second.number} {second.customer_name}",
        f"{corrected.number} {corrected.customer_name}",
    ]
    texts = pages(batch)
    # the superseded first version reprints marked as replaced; the correction does not
    first_pages = [t for t in texts if (first.number or "") in t]
    assert first_pages and all("已被替代" in t for t in first_pages)
    assert not any("已被替代" in t for t in texts if (corrected.number or "") in t)
    # a folder of files named by number and customer
    folder = tmp_path / "folder"
    run("checklist", first.number or "", second.number or "", "-o", str(folder))
    names = sorted(path.name for path in folder.iterdir())
    assert names == sorted(f"{v.number}-{v.customer_name}.pdf" for v in (first, second))
    # one customer's outage notice by its own number
    notice = outage.notices[1]
    single = tmp_path / "notice.pdf"
    run("notice", notice.number, "-o", str(single))
    (text,) = pages(single)
    assert notice.number in text and notice.customer_name in text
    assert outage.notices[0].customer_name not in text


def test_an_issued_outage_is_postponed_or_cancelled_with_a_notice(ctx, tmp_path) -> None:
    now = datetime(2026, 12, 2, 9, 0)
    service, view = _outage(ctx, "planned", now, count=2)
    later = view.starts_at + timedelta(days=3)
    moved = service.postpone(view.id, later, later + timedelta(hours=4), now=now)
    assert service.view(view.id).status == "postponed"
    assert moved.number != view.number and len(moved.notices) == 2
    target = tmp_path / "postponed.pdf"
    render_outage_notices(moved, Letterhead(), target)
    text = "".join(pages(target))
    assert "计划停电改期通知" in text and "的停电改期" in text
    assert f"{later:%Y年%m月%d日}" in text
    with pytest.raises(UserError):
        service.postpone(view.id, later, later + timedelta(hours=4), now=now)  # once only
    cancelled = service.cancel(moved.id, now=now)
    target = tmp_path / "cancelled.pdf"
    render_outage_notices(cancelled, Letterhead(), target)
    texts = pages(target)
    assert all("取消计划停电通知" in t and "现予取消" in t for t in texts)
    assert all("提前做好" not in t for t in texts)
    _service, fault = _outage(ctx, "fault", now, count=1)
    with pytest.raises(UserError, match="started"):
        service.cancel(fault.id, now=fault.starts_at + timedelta(minutes=5))
