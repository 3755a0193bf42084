"""Visits and the 1+N loop: visit plan rules, visit logs with demands referred on, the referral
state machine, autosaved drafts surviving kill -9, and the visit report PDF."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from keyacct_desktop import cli
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.security.files import AttachmentFiles
from keyacct_desktop.services.referrals import NewReferral, ReferralService
from keyacct_desktop.services.visit_schedule import by_manager, day_plan, visit_plan
from keyacct_desktop.services.visits import DemandForm, VisitForm, VisitLogService
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.local import Draft
from keyacct_desktop.store.models import Attachment, Customer, Park, Referral, User, Visit
from tests.visit_draft_worker import edit_number, photo_png, signature_png

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 20)


@pytest.fixture
def world(store):  # type: ignore[no-untyped-def]
    """Two parks, a manager, four customers with known classes, grades and last visits."""
    wang = User(username="wang", display_name="王经理")
    north, south = Park(name="北区园区"), Park(name="南区园区")
    customers = {
        "a_recent": Customer(
            account_no="1001", name="甲精密", park=north, manager=wang, pyramid_class="A"
        ),
        "a_late": Customer(
            account_no="1002", name="乙化工", park=north, manager=wang, pyramid_class="A"
        ),
        "d_grade1": Customer(
            account_no="1003",
            name="丙医院",
            park=south,
            manager=wang,
            pyramid_class="D",
            important_grade="first",
        ),
        "never": Customer(account_no="1004", name="丁数据中心", park=south, pyramid_class="C"),
        "prospect": Customer(
            account_no="1005", name="戊新材料", park=south, pool_status="prospect"
        ),
    }
    with store.begin() as session:
        session.add_all([wang, north, south, *customers.values()])
        for key, days_ago in (("a_recent", 10), ("a_late", 45), ("d_grade1", 40)):
            session.add(
                Visit(
                    customer=customers[key],
                    status="completed",
                    started_at=datetime.combine(
                        TODAY - timedelta(days=days_ago), datetime.min.time()
                    ),
                    purpose="例行走访",
                )
            )
    return {"wang": wang, "north": north, "south": south, **customers}


# ------------------------------------------------------------------ visit plan


def test_visit_plan_follows_class_and_grade_frequencies(store, world) -> None:
    settings = Settings()
    assert (
        settings.get("visits.grade_frequency_days")["first"] < 40
    )  # grade 一级 is stricter than D
    plan = {p.name: p for p in visit_plan(store, settings, TODAY)}
    assert "甲精密" not in plan  # class A, visited 10 days ago: due in 20 days
    assert plan["乙化工"].due_on == TODAY - timedelta(days=15) and plan["乙化工"].overdue(TODAY)
    assert plan["丙医院"].frequency_days == settings.get("visits.grade_frequency_days")["first"]
    never = plan["丁数据中心"]
    assert never.last_visit is None and never.due_on == TODAY and not never.overdue(TODAY)
    assert "戊新材料" not in plan  # prospects are not visited on the plan
    assert list(plan) == ["乙化工", "丙医院", "丁数据中心"]  # most overdue first; never = due now
    assert by_manager(list(plan.values()), TODAY) == {"—": (0, 1), "王经理": (2, 0)}
    mine = visit_plan(store, settings, TODAY, manager_id=world["wang"].id)
    assert [p.name for p in mine] == ["乙化工", "丙医院"]
    assert [p.name for p in day_plan(store, settings, world["south"].id, TODAY)] == [
        "丙医院",  # 10 days overdue (grade 一级: every 30 days)
        "丁数据中心",  # never visited: due today
    ]


def test_a_completed_visit_moves_the_next_due_date_and_drafts_do_not(store, world) -> None:
    settings = Settings()
    with store.begin() as session:
        for status, days_ago in (("completed", 3), ("draft", 1)):
            session.add(
                Visit(
                    customer_id=world["a_late"].id,
                    status=status,
                    started_at=datetime.combine(
                        TODAY - timedelta(days=days_ago), datetime.min.time()
                    ),
                    purpose="回访",
                )
            )
    plan = {p.name: p for p in visit_plan(store, settings, TODAY, within_days=60)}
    assert plan["乙化工"].last_visit == TODAY - timedelta(days=3)
    assert plan["乙化工"].due_on == TODAY + timedelta(days=27)  # class A: every 30 days
    assert "乙化工" not in {p.name for p in visit_plan(store, settings, TODAY)}  # not within 14


def test_shorter_configured_frequency_brings_a_visit_forward(store, world) -> None:
    settings = Settings()
    settings.set("visits.class_frequency_days", {"A": 7, "B": 60, "C": 90, "D": 180})
    assert "甲精密" in {p.name for p in visit_plan(store, settings, TODAY)}


# ------------------------------------------------------------------ referrals


def test_referral_state_machine_allows_the_loop_and_refuses_illegal_moves(store, world) -> None:
    service = ReferralService(store, Settings())
    referral = service.create(
        NewReferral(
            world["a_late"].id, "connection", "申请增容 1000 kVA", demand_type="capacity_increase"
        ),
        TODAY,
    )
    with pytest.raises(UserError) as illegal:
        service.move(referral, "confirmed")
    assert (
        illegal.value.message_zh == "转办当前为“待处理”,不能改为“客户已确认”。可改为:处理中、已退回"
    )
    with pytest.raises(UserError) as no_answer:
        service.move(referral, "answered")
    assert "不能改为" in no_answer.value.message_zh
    service.move(referral, "in_progress", owner_name="业扩 张工")
    with pytest.raises(UserError, match="answer"):
        service.move(referral, "answered", note="  ")
    service.move(referral, "answered", note="已安排现场勘查,12 月 5 日前答复供电方案")
    service.move(referral, "in_progress", note="客户希望提前")  # not satisfied: back to the team
    service.move(referral, "answered", note="12 月 1 日现场勘查")
    service.move(referral, "confirmed", note="客户满意")
    with pytest.raises(UserError) as closed:
        service.move(referral, "in_progress")
    assert "无(已结束)" in closed.value.message_zh
    history = service.history(referral)
    assert [(h[1], h[2]) for h in history] == [
        (None, "open"),
        ("open", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "in_progress"),
        ("in_progress", "answered"),
        ("answered", "confirmed"),
    ]
    (row,) = service.rows(customer_id=world["a_late"].id)
    assert row.state == "confirmed" and row.owner_name == "业扩 张工" and not row.overdue


LEGAL_MOVES = {
    ("open", "in_progress"),
    ("open", "rejected"),
    ("in_progress", "answered"),
    ("in_progress", "rejected"),
    ("answered", "confirmed"),
    ("answered", "in_progress"),
    ("answered", "rejected"),
}
STATES = ("open", "in_progress", "answered", "confirmed", "rejected")
#: The shortest legal path from "open" to each state.
PATHS = {
    "open": [],
    "in_progress": ["in_progress"],
    "answered": ["in_progress", "answered"],
    "confirmed": ["in_progress", "answered", "confirmed"],
    "rejected": ["rejected"],
}
ZH = {
    "open": "待处理",
    "in_progress": "处理中",
    "answered": "已答复",
    "confirmed": "客户已确认",
    "rejected": "已退回",
}


@pytest.mark.parametrize(("current", "wanted"), [(a, b) for a in STATES for b in STATES])
def test_every_referral_move_is_allowed_or_refused_by_name(
    store, world, current: str, wanted: str
) -> None:
    service = ReferralService(store, Settings())
    referral = service.create(NewReferral(world["a_late"].id, "marketing", "咨询峰谷电价"), TODAY)
    for step in PATHS[current]:
        service.move(referral, step, note="说明")
    if (current, wanted) in LEGAL_MOVES:
        service.move(referral, wanted, note="说明")
        assert service.history(referral)[-1][1:3] == (current, wanted)
        return
    with pytest.raises(UserError) as refused:
        service.move(referral, wanted, note="说明")
    assert f"转办当前为“{ZH[current]}”,不能改为“{ZH[wanted]}”" in refused.value.message_zh
    assert refused.value.field == "state"
    (row,) = service.rows(customer_id=world["a_late"].id)
    assert row.state == current  # nothing written


def test_an_answered_referral_past_due_stays_overdue_until_the_customer_confirms(
    store, world
) -> None:
    service = ReferralService(store, Settings())
    late = service.create(
        NewReferral(world["a_late"].id, "metering", "电能表走快", due_on=TODAY - timedelta(days=1)),
        TODAY,
    )
    service.move(late, "in_progress")
    service.move(late, "answered", note="已校验,误差合格")
    (row,) = service.rows(overdue_only=True, today=TODAY)
    assert row.id == late and row.state == "answered"
    assert [r.id for r in service.rows(team="metering", today=TODAY)] == [late]
    assert service.rows(team="billing", today=TODAY) == []
    with pytest.raises(UserError, match="reason"):
        service.move(late, "rejected", note=" ")
    service.move(late, "rejected", note="误差在允许范围内,客户未接受但无需处理")
    assert service.rows(overdue_only=True, today=TODAY) == []
    (row,) = service.rows(customer_id=world["a_late"].id, states={"rejected"})
    assert row.reject_reason == "误差在允许范围内,客户未接受但无需处理"


def test_rejection_needs_a_reason_and_overdue_is_highlighted(store, world) -> None:
    service = ReferralService(store, Settings())
    complaint = service.create(
        NewReferral(
            world["never"].id,
            "billing",
            "电费账单重复扣款",
            kind="complaint",
            demand_type="billing",
        ),
        TODAY,
    )
    late = service.create(
        NewReferral(
            world["never"].id, "operations", "更换 2 号进线柜", due_on=TODAY - timedelta(days=2)
        ),
        TODAY,
    )
    with pytest.raises(UserError, match="reason"):
        service.move(complaint, "rejected")
    rows = {r.id: r for r in service.rows(team="billing", today=TODAY)}
    assert rows[complaint].due_on == date(2026, 11, 23)  # complaints: 1 working day (Fri → Mon)
    overdue = service.rows(overdue_only=True, today=TODAY)
    assert [r.id for r in overdue] == [late]
    service.move(late, "rejected", note="属客户产权设备,由客户自行更换")
    assert service.rows(overdue_only=True, today=TODAY) == []
    with pytest.raises(UserError) as bad_team:
        service.create(NewReferral(world["never"].id, "canteen", "x"))
    assert bad_team.value.field == "team"


# ------------------------------------------------------------------ visit logs


def _png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (300, 100), "white")
    ImageDraw.Draw(image).line([(10, 80), (80, 20), (150, 70), (280, 30)], fill="black", width=4)
    import io

    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def full_form(customer_id: uuid.UUID, files: AttachmentFiles | None = None) -> VisitForm:
    """A visit with every field; signed when ``files`` is given (the draft holds its hash)."""
    return VisitForm(
        customer_id=str(customer_id),
        started_at="2026-11-19T09:30",
        ended_at="2026-11-19T11:00",
        place="客户一号配电室",
        our_participants=["王经理", "运检部 李工"],
        customer_attendees=["电气主管 张敏"],
        purpose="迎峰度冬前用电安全检查",
        findings_reliability="本月停电 1 次(外部故障),电压暂降 2 次",
        findings_power_quality="变频负荷较多,5 次谐波超标",
        findings_equipment="1 号主变油温偏高",
        findings_safety="配电室挡鼠板缺失",
        consumption_outlook="明年新增一条产线,负荷增加约 800 kW",
        advice="建议加装有源滤波装置",
        score_reliability=4,
        score_billing=5,
        score_service=5,
        comments="希望停电通知提前一天电话提醒",
        complaints="",
        demands=[
            DemandForm("申请增容 800 kVA", "connection", "capacity_increase"),
            DemandForm("谐波治理技术咨询", "operations", "power_quality", owner_name="运检 李工"),
        ],
        signature_sha256=files.put("客户签名.png", _png()).sha256 if files else "",
    )


def test_a_visit_is_validated_then_saved_whole_with_its_referrals(ctx, world) -> None:
    files = AttachmentFiles(ctx.attachments_dir, None, 20 * 2**20)
    service = VisitLogService(ctx.store, ctx.settings, files)
    customer = world["a_late"].id
    for change, field in (
        ({"score_service": 6}, "score_service"),
        ({"ended_at": "2026-11-19T08:00"}, "ended_at"),
        ({"purpose": " "}, "purpose"),
        ({"started_at": "2099-01-01T09:00"}, "started_at"),
        ({"our_participants": []}, "our_participants"),
        ({"customer_id": ""}, "customer"),
    ):
        form = full_form(customer, files)
        for key, value in change.items():
            setattr(form, key, value)
        with pytest.raises(UserError) as refused:
            service.save(form, today=TODAY)
        assert refused.value.field == field
    form = full_form(customer, files)
    form.demands.append(DemandForm("", "billing"))
    with pytest.raises(UserError) as bad_demand:
        service.save(form, today=TODAY)
    assert bad_demand.value.message_zh.startswith("第 3 条诉求")
    with ctx.store.read() as session:  # nothing half-written
        assert session.scalar(select(Referral.id)) is None
        assert session.scalar(select(Attachment.id)) is None

    form = full_form(customer, files)
    service.autosave(form)
    visit_id = service.save(form, today=TODAY)
    with ctx.store.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit.status == "completed" and visit.score_reliability == 4
        assert visit.our_participants == ["王经理", "运检部 李工"]
        referrals = session.scalars(select(Referral).where(Referral.visit_id == visit_id)).all()
        assert {r.team for r in referrals} == {"connection", "operations"}
        signature = session.get(Attachment, visit.signature_id)
        assert signature.kind == "signature" and signature.mime == "image/png"
        assert session.scalar(select(Draft.key)) is None  # the draft went with the save
    assert service.signature(visit_id) == _png()
    assert files.path_for(form.signature_sha256).exists()  # the draft's file is the visit's
    again = service.form(visit_id)
    assert again.purpose == form.purpose and again.demands == []


def test_visit_report_pdf_has_all_text_embedded_fonts_and_the_signature(
    ctx, world, tmp_path, capsys
) -> None:
    files = AttachmentFiles(ctx.attachments_dir, None, 20 * 2**20)
    service = VisitLogService(ctx.store, ctx.settings, files)
    visit_id = service.save(full_form(world["a_late"].id, files), today=TODAY)
    ctx.close()
    target = tmp_path / "走访报告.pdf"
    assert (
        cli.main(
            [
                "--data-dir",
                str(ctx.data_dir),
                "print",
                "visit-report",
                str(visit_id),
                "-o",
                str(target),
            ]
        )
        == 0
    )
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for expected in (
        "大客户走访报告",
        "乙化工",
        "王经理",
        "运检部李工",
        "电气主管张敏",
        "迎峰度冬前用电安全检查",
        "5次谐波超标",
        "配电室挡鼠板缺失",
        "申请增容800kVA",
        "业扩报装中心",
        "运检部",
        "待处理",
        "供电可靠性",
        "电费与业务办理",
        "服务质量",
        "希望停电通知提前一天电话提醒",
        "客户签字",
    ):
        assert expected in flat, expected
    fonts = subprocess.run(
        ["pdffonts", str(target)], capture_output=True, text=True, check=True
    ).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows)  # every font embedded (and subset)
    assert not any(base in fonts for base in ("Helvetica", "Times-Roman", "Courier"))
    images = subprocess.run(
        ["pdfimages", "-list", str(target)], capture_output=True, text=True, check=True
    ).stdout
    assert len(images.splitlines()) >= 4  # QR code + signature
    assert 3 <= len(bytes(target.read_bytes())) // 1024 <= 300
    # The QR reads as the report's number and verification code (offline form: no server URL).
    prefix = str(visit_id).replace("-", "")[:6].upper()
    assert re.fullmatch(rf"KEYACCT:ZF\d{{8}}-{prefix}:[0-9A-F]{{8}}", qr_text_in(target))


def qr_text_in(pdf: Path) -> str:
    """Decode the square image of the first page with a real QR reader (zxing-cpp)."""
    import zxingcpp
    from pypdf import PdfReader

    (qr,) = [i.image for i in PdfReader(pdf).pages[0].images if i.image.width == i.image.height]
    found = zxingcpp.read_barcodes(qr.convert("L").resize((qr.width * 8, qr.height * 8)))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


# ------------------------------------------------------------------ autosave and kill -9


def test_a_killed_editor_leaves_its_latest_draft_for_restore(store, world) -> None:
    rng = random.Random(4)
    customer = str(world["a_late"].id)
    store_file = store.path
    previous = 0  # each run restores the draft the killed one left and goes on editing it
    for _round in range(3):
        worker = subprocess.Popen(
            [sys.executable, "-m", "tests.visit_draft_worker", str(store_file), customer],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout is not None
        last = 0
        for _line in range(rng.randint(3, 30)):
            line = worker.stdout.readline()
            assert line, worker.stderr.read() if worker.stderr else "worker died"
            last = int(line.split()[1])
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        worker.stdout.close()
        if worker.stderr is not None:
            worker.stderr.close()
        service = VisitLogService(store, Settings())
        (draft,) = service.drafts()  # one draft per visit being edited, never a duplicate
        assert draft.key == f"visit:{draft.form.visit_id}"
        number = edit_number(draft.form)
        assert number >= last > previous  # everything acknowledged before the kill, and more
        previous = number
        assert draft.customer_name == "乙化工"
        assert draft.form.demands[0].team == "connection"
    visit_id = service.save(draft.form, today=TODAY)  # the restored draft saves normally
    assert service.drafts() == []
    assert service.form(visit_id).place == "一号配电室"


def test_a_killed_editor_with_a_photo_and_a_signature_keeps_a_small_draft_that_restores_them(
    store, world, tmp_path
) -> None:
    """Photos and the signature are stored once, sealed, by SHA-256; the draft autosaved every
    few seconds holds only the references, and after kill -9 they restore byte for byte."""
    from keyacct_desktop.security.files import SEALED_MAGIC

    rng = random.Random(11)
    key = bytes(range(32))
    folder = tmp_path / "attachments"
    files = AttachmentFiles(folder, key, 20 * 2**20)
    photo = photo_png()
    assert len(photo) > 200_000
    for _round in range(3):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.visit_draft_worker",
                str(store.path),
                str(world["a_late"].id),
                str(folder),
                key.hex(),
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout is not None
        for _line in range(rng.randint(2, 25)):
            line = worker.stdout.readline()
            assert line, worker.stderr.read() if worker.stderr else "worker died"
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        worker.stdout.close()
        if worker.stderr is not None:
            worker.stderr.close()
        with store.read() as session:
            (payload,) = session.scalars(select(Draft.payload))
        assert len(str(payload)) < 3000  # references, not a 300 KB photo
        service = VisitLogService(store, Settings(), files)
        (draft,) = service.drafts()
        ((name, photo_sha),) = draft.form.photos
        assert name == "配电室全景.png" and files.get(photo_sha) == photo
        number = edit_number(draft.form)
        signed_at = number - (number - 1) % 3  # the worker signs again at 1, 4, 7, …
        assert service.file(draft.form.signature_sha256) == signature_png(signed_at)
        stored = [p for p in folder.rglob("*") if p.is_file()]
        assert all(p.read_bytes().startswith(SEALED_MAGIC) for p in stored)  # sealed at rest
        # the photo, the signature the draft holds, and at most one stored before the kill
        # whose draft never committed: signatures drawn over are deleted
        assert len(stored) <= 3
    visit_id = service.save(draft.form, today=TODAY)
    with store.read() as session:
        kept = {
            a.kind: a.sha256
            for a in session.scalars(select(Attachment).where(Attachment.owner_id == visit_id))
        }
    assert kept == {"photo": photo_sha, "signature": draft.form.signature_sha256}
    assert service.signature(visit_id) == signature_png(signed_at)


def test_a_discarded_draft_takes_its_files_but_not_those_a_visit_keeps(ctx, world) -> None:
    files = AttachmentFiles(ctx.attachments_dir, None, 20 * 2**20)
    service = VisitLogService(ctx.store, ctx.settings, files)
    saved = full_form(world["a_late"].id, files)
    photo = service.keep_file("现场.png", photo_png(2))
    saved.photos = [("现场.png", photo)]
    service.autosave(saved)
    service.save(saved, today=TODAY)
    dropped = full_form(world["a_recent"].id)
    dropped.photos = [
        ("现场.png", photo),
        ("另一张.png", service.keep_file("另一张.png", photo_png(3))),
    ]
    dropped.signature_sha256 = service.keep_file("客户签名.png", signature_png(3))
    service.autosave(dropped)
    (draft,) = service.drafts()
    service.discard_draft(draft.key)
    assert files.get(photo) == photo_png(2)  # the saved visit's photo stays
    assert files.get(saved.signature_sha256)
    assert not files.path_for(dropped.photos[1][1]).exists()
    assert not files.path_for(dropped.signature_sha256).exists()


def test_a_draft_autosaved_before_files_were_kept_by_reference_still_restores(ctx, world) -> None:
    """Drafts written by the previous version held the photo and signature as hex."""
    files = AttachmentFiles(ctx.attachments_dir, None, 20 * 2**20)
    service = VisitLogService(ctx.store, ctx.settings, files)
    form = full_form(world["a_late"].id)
    payload = form.to_json()
    payload.pop("signature_sha256")
    payload["signature_png"] = signature_png(5).hex()
    payload["photos"] = [["旧照片.png", _png().hex()]]
    with ctx.store.begin() as session:
        session.add(Draft(key=form.draft_key, kind="visit", payload=payload))
    (draft,) = service.drafts()
    assert service.file(draft.form.signature_sha256) == signature_png(5)
    assert [(n, files.get(sha)) for n, sha in draft.form.photos] == [("旧照片.png", _png())]
    visit_id = service.save(draft.form, today=TODAY)
    assert service.signature(visit_id) == signature_png(5)


def test_a_visit_keeps_one_draft_while_edited_and_two_new_visits_do_not_collide(
    store, world
) -> None:
    service = VisitLogService(store, Settings())
    first = VisitForm(customer_id=str(world["a_late"].id), started_at="2026-11-20T09:30")
    second = VisitForm(customer_id=str(world["a_late"].id), started_at="2026-11-20T14:00")
    assert first.visit_id != second.visit_id
    service.autosave(first)
    first.customer_id = str(world["a_recent"].id)  # picked the wrong customer, corrected it
    first.purpose = "改为甲精密"
    service.autosave(first)
    service.autosave(second)
    drafts = {d.key: d for d in service.drafts()}
    assert set(drafts) == {f"visit:{first.visit_id}", f"visit:{second.visit_id}"}
    assert drafts[f"visit:{first.visit_id}"].customer_name == "甲精密"
    restored = VisitForm.from_json(drafts[f"visit:{first.visit_id}"].form.to_json())
    assert restored.visit_id == first.visit_id and restored.purpose == "改为甲精密"
    restored.our_participants = ["王经理"]
    visit_id = service.save(restored, today=TODAY)
    assert str(visit_id) == first.visit_id  # the visit keeps the id its draft had
    assert [d.key for d in service.drafts()] == [f"visit:{second.visit_id}"]


def test_an_unfinished_visit_is_kept_but_does_not_count_until_completed(ctx, world) -> None:
    service = VisitLogService(ctx.store, ctx.settings)
    form = full_form(world["never"].id)
    visit_id = service.save(form, complete=False, today=TODAY)
    with ctx.store.read() as session:
        assert session.get(Visit, visit_id).status == "draft"
        assert len(session.scalars(select(Referral)).all()) == 2  # demands referred at once
    plan = {p.name: p for p in visit_plan(ctx.store, ctx.settings, TODAY)}
    assert plan["丁数据中心"].last_visit is None  # still due
    again = service.form(visit_id)
    again.score_billing = 3
    service.save(again, today=TODAY)
    service.save(service.form(visit_id), complete=False, today=TODAY)  # stays completed
    with ctx.store.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit.status == "completed" and visit.score_billing == 3
        assert len(session.scalars(select(Referral)).all()) == 2  # not referred twice
    plan = {p.name: p for p in visit_plan(ctx.store, ctx.settings, TODAY, within_days=400)}
    assert plan["丁数据中心"].last_visit == date(2026, 11, 19)
