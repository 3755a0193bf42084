"""The visit report (走访报告) PDF: what was found, what was asked, who answers, the scores."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from keyacct_desktop.domain.codes import (
    verification_code,
    verification_url,
    visit_report_number,
)
from keyacct_desktop.printing.base import Letterhead, PdfDocument

FINDINGS = (
    ("findings_reliability", "供电可靠性(停电、电压暂降)"),
    ("findings_power_quality", "电能质量(谐波、闪变等)"),
    ("findings_equipment", "设备运行状况"),
    ("findings_safety", "安全隐患"),
    ("consumption_outlook", "用电需求展望"),
    ("advice", "我方建议"),
)
SCORE_LABELS = (
    ("score_reliability", "供电可靠性"),
    ("score_billing", "电费与业务办理"),
    ("score_service", "服务质量"),
)


@dataclass(frozen=True)
class VisitReportData:
    visit_id: uuid.UUID
    customer_name: str
    account_no: str
    address: str
    visit: dict[str, object]
    referrals: list[tuple[str, str, str, str, str]]  # type, content, team, state, due
    signature_png: bytes | None
    manager: dict[str, str] = field(default_factory=dict)  # name, phone: whom to call
    photos: list[tuple[str, bytes]] = field(default_factory=list)  # (file name, image)
    signed_on: date | None = None  # the day the customer signed (the visit was completed)
    completed: bool = False  # a completed visit's report carries its QR and verification code


def _when(value: object) -> str:
    return datetime.fromisoformat(str(value)).strftime("%Y年%m月%d日 %H:%M") if value else ""


def render_visit_report(
    data: VisitReportData, letterhead: Letterhead, target: Path | None = None
) -> bytes:
    visit = data.visit
    number = visit_report_number(visit["started_at"], data.visit_id)
    # The QR opens the server's /verify page (number, date, manager, signed or not); the code
    # is recomputed there from the visit's id. A draft visit has neither.
    code = verification_code(str(data.visit_id)) if data.completed else None
    doc = PdfDocument(
        "大客户走访报告",
        number=number,
        doc_id=verification_url(letterhead.verify_base, number, code) if code else None,
        letterhead=letterhead,
        verification=code,
    )
    doc.heading("一、基本情况")
    doc.fields(
        [
            ("客户名称", data.customer_name),
            ("户号", data.account_no),
            (
                "走访时间",
                _when(visit["started_at"])
                + (f" 至 {_when(visit['ended_at'])[-5:]}" if visit["ended_at"] else ""),
            ),
            ("走访地点", visit["place"] or data.address),
            ("我方人员", "、".join(visit["our_participants"])),  # type: ignore[arg-type]
            ("客户参加人员", "、".join(visit["customer_attendees"])),  # type: ignore[arg-type]
            (
                "客户经理",
                " ".join(p for p in (data.manager.get("name"), data.manager.get("phone")) if p),
            ),
            ("服务热线", letterhead.hotline),
        ]
    )
    doc.spacer(2)
    doc.paragraph(f"走访目的:{visit['purpose']}")
    doc.heading("二、现场了解情况")
    # Only what was recorded: an empty finding is left out, never printed as "无异常".
    found = [
        [label, str(visit[key])] for key, label in FINDINGS if str(visit.get(key) or "").strip()
    ]
    if found:
        doc.table(["方面", "情况"], found, [48, 126])
    else:
        doc.paragraph("本次走访未记录现场情况。")
    doc.heading("三、客户诉求及转办情况")
    if data.referrals:
        doc.table(
            ["类型", "诉求内容", "承办团队", "状态", "办理期限"],
            [list(r) for r in data.referrals],
            [20, 78, 32, 22, 22],
        )
    else:
        doc.paragraph("本次走访客户未提出诉求。")
    doc.heading("四、客户满意度评价(1–5 分)")
    doc.table(
        ["评价项目", "得分"],
        [[label, str(visit[key] or "未评")] for key, label in SCORE_LABELS],
        [120, 54],
    )
    if visit["comments"] or visit["complaints"]:
        doc.spacer(2)  # not flush against the score table's last line
    if visit["comments"]:
        doc.paragraph(f"客户意见:{visit['comments']}")
    if visit["complaints"]:
        doc.paragraph(f"客户投诉:{visit['complaints']}")
    doc.spacer(2)
    name, phone = data.manager.get("name", ""), data.manager.get("phone", "")
    who = f"您的客户经理{name}" + (f"(电话 {phone})" if phone else "") if name else "您的客户经理"
    doc.paragraph(f"诉求办理进度可咨询{who},或拨打供电服务热线 {letterhead.hotline}。", small=True)
    images = {"客户签字": data.signature_png} if data.signature_png else None
    dates = {"客户签字": data.signed_on, "客户经理": data.signed_on} if data.signed_on else None
    doc.signatures(
        ["客户签字", "客户经理"],
        images,
        names={"客户经理": name} if name else None,
        dates=dates,
        statement="以上内容经双方确认。",
    )
    if data.photos:  # an appendix after the signatures: they sign the findings, not pictures
        doc.heading("附:现场照片")
        for filename, picture in data.photos:
            doc.image(picture, 120, 70)
            doc.paragraph(filename, small=True)
    return doc.render(target)
