"""The visit report (走访报告) PDF: what was found, what was asked, who answers, the scores."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState
from keyacct_desktop.fieldwork.visit_log import VisitLogService
from keyacct_desktop.printing.base import Letterhead, PdfDocument
from keyacct_desktop.store.models import Customer, Visit

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


def load_report(service: VisitLogService, visit_id: uuid.UUID) -> VisitReportData:
    form = service.form(visit_id)
    with service.store.read() as session:
        visit = session.get(Visit, visit_id)
        customer = session.get(Customer, visit.customer_id)
        name, account, address = customer.name, customer.account_no, customer.address or ""
    referrals = [
        (
            ("投诉" if r.kind == "complaint" else DemandType(r.demand_type).zh),
            r.description,
            BackOfficeTeam(r.team).zh,
            ReferralState(r.state).zh,
            r.due_on.strftime("%Y-%m-%d") if r.due_on else "",
        )
        for r in service.referrals_of(visit_id)
    ]
    return VisitReportData(
        visit_id, name, account, address, form.to_json(), referrals, service.signature(visit_id)
    )


def _when(value: object) -> str:
    return datetime.fromisoformat(str(value)).strftime("%Y年%m月%d日 %H:%M") if value else ""


def render_visit_report(
    data: VisitReportData, letterhead: Letterhead, target: Path | None = None
) -> bytes:
    visit = data.visit
    doc = PdfDocument(
        "大客户走访报告",
        number=f"ZF{str(visit['started_at'])[:10].replace('-', '')}-{data.visit_id.hex[:6].upper()}",
        doc_id=str(data.visit_id),
        letterhead=letterhead,
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
        ]
    )
    doc.paragraph(f"走访目的:{visit['purpose']}")
    doc.heading("二、现场了解情况")
    doc.table(
        ["方面", "情况"],
        [
            ["供电可靠性(停电、电压暂降)", str(visit["findings_reliability"] or "无异常")],
            ["电能质量(谐波、闪变等)", str(visit["findings_power_quality"] or "无异常")],
            ["设备运行状况", str(visit["findings_equipment"] or "无异常")],
            ["安全隐患", str(visit["findings_safety"] or "未发现")],
            ["用电需求展望", str(visit["consumption_outlook"] or "—")],
            ["我方建议", str(visit["advice"] or "—")],
        ],
        [48, 126],
    )
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
    if visit["comments"]:
        doc.paragraph(f"客户意见:{visit['comments']}")
    if visit["complaints"]:
        doc.paragraph(f"客户投诉:{visit['complaints']}")
    doc.spacer(2)
    doc.paragraph(
        f"以上内容经双方确认。诉求办理进度可咨询您的客户经理或拨打 {letterhead.hotline}。",
        small=True,
    )
    images = {"客户签字": data.signature_png} if data.signature_png else None
    doc.signatures(["客户签字", "客户经理"], images)
    return doc.render(target)
