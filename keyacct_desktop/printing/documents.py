"""PDFs of the issued documents: one-shot checklist, plan handout, outage notices (batch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyacct_desktop.domain.enums import (
    ImportantGrade,
    Industry,
    LineType,
    LoadGrade,
    MeteringMethod,
    SourceRole,
    TariffCategory,
)
from keyacct_desktop.domain.workdays import DONE, ESTIMATED_MARK, RUNNING
from keyacct_desktop.printing.base import Letterhead, PdfDocument
from keyacct_desktop.services.documents import (
    ChecklistItemView,
    ChecklistView,
    OutageView,
    PlanView,
    stage_label,
)

DRAFT_MARK = "草稿 未出具"


def _amount(value: Any) -> str:
    """A number as people write it on a form: 520000, 0.5, 12.75 (no 520000.0, no 5.2e+05)."""
    if isinstance(value, str):
        try:
            value = float(value.replace(",", ""))
        except ValueError:
            return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "" if value is None else str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _zh(enum: Any, code: str | None) -> str:
    if not code:
        return ""
    try:
        return enum(code).zh
    except ValueError:
        return str(code)


def limit_progress(item: ChecklistItemView) -> str:
    """How a utility time limit stands, as printed: no made-up deadline for an unstarted step."""
    clock = item.limit
    if clock is None:
        return ""
    if clock.state == DONE:
        return f"已办结 {clock.completed_on:%Y-%m-%d}"
    if clock.state == RUNNING:
        return f"截止 {clock.deadline:%Y-%m-%d}" + (
            f"({ESTIMATED_MARK})" if clock.estimated else ""
        )
    return "未开始"


def render_checklist(
    view: ChecklistView, letterhead: Letterhead, target: Path | None = None
) -> bytes:
    """The 一次性告知书 as handed to the customer."""
    snapshot = view.snapshot or {}
    customer = snapshot.get("customer", {})
    doc = PdfDocument(
        f"{view.business_type.zh}业务一次性告知书",
        number=view.number,
        doc_id=str(view.id),
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
        watermark=None if view.status != "draft" else DRAFT_MARK,
    )
    doc.paragraph(
        f"尊敬的{customer.get('name') or view.customer_name}:您申请办理的{view.business_type.zh}业务已受理。"
        "为避免您往返奔波,现将办理该业务所需的全部材料、办理流程、相关规定及办理时限一次性告知如下。",
    )
    doc.heading("客户信息")
    doc.fields(
        [
            ("客户名称", customer.get("name") or view.customer_name),
            ("户号", customer.get("account_no", "")),
            ("用电地址", customer.get("address", "")),
            ("受理日期", view.accepted_on.strftime("%Y年%m月%d日") if view.accepted_on else ""),
            ("业务类型", view.business_type.zh),
            ("版本", f"第 {view.version_no} 版" + ("(更正版)" if view.supersedes_id else "")),
        ]
    )
    numerals = iter("一二三四五六七八九")
    materials = [i for i in view.items if i.kind == "material"]
    if materials:
        doc.heading(f"{next(numerals)}、需提供的材料")
        doc.table(
            ["序号", "提交阶段", "材料名称及要求", "收到日期"],
            [
                [
                    str(n),
                    stage_label(i.stage),
                    i.text + ("(本案补充)" if i.case_specific else ""),
                    i.received_on.strftime("%Y-%m-%d") if i.received_on else "",
                ]
                for n, i in enumerate(materials, start=1)
            ],
            [12, 28, 104, 30],
        )
    steps = [i for i in view.items if i.kind == "step"]
    if steps:
        doc.heading(f"{next(numerals)}、办理流程")
        doc.paragraph(" → ".join(i.text for i in steps))
    rules = [i for i in view.items if i.kind == "rule"]
    if rules:
        doc.heading(f"{next(numerals)}、相关规定")
        doc.bullets([i.text for i in rules])
    terms = [i for i in view.items if i.kind == "term"]
    if terms:
        doc.heading(f"{next(numerals)}、请您注意的期限")
        doc.paragraph("以下期限须由您(客户)遵守,不属于供电企业的办理时限:", small=True)
        doc.bullets([i.text for i in terms])
    limits = [i for i in view.items if i.kind == "limit"]
    if limits:
        doc.heading(f"{next(numerals)}、供电企业办理时限(工作日)")
        doc.paragraph(
            "各环节时限自该环节开始之日起计算(供电方案答复自受理之日起),"
            "环节尚未开始的不计时;遇法定节假日顺延。",
            small=True,
        )
        doc.table(
            ["序号", "时限说明", "工作日", "进度"],
            [
                [str(n), i.text, str(i.time_limit_days or ""), limit_progress(i)]
                for n, i in enumerate(limits, start=1)
            ],
            [12, 106, 16, 40],
        )
    if view.case_note:
        doc.heading(f"{next(numerals)}、其他说明")
        doc.paragraph(view.case_note)
    doc.spacer(2)
    doc.paragraph(
        f"如有疑问,请联系您的客户经理或拨打供电服务热线 {letterhead.hotline}。本告知书内容哈希:{(view.content_hash or '')[:16]}",
        small=True,
    )
    doc.signatures(["客户签收", "客户经理"])
    return doc.render(target)


def render_plan(view: PlanView, letterhead: Letterhead, target: Path | None = None) -> bytes:
    """The 供电方案答复单."""
    data, customer = view.data, view.customer
    doc = PdfDocument(
        "供电方案答复单",
        number=view.number,
        doc_id=str(view.id),
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
        watermark=None if view.status != "draft" else DRAFT_MARK,
    )
    doc.heading("一、客户基本信息")
    doc.fields(
        [
            ("户号", customer.get("account_no", "")),
            ("申请编号", data.get("application_no", "")),
            ("户名", customer.get("name", "")),
            ("用电地址", customer.get("address", "")),
            ("用电类别", _zh(TariffCategory, customer.get("tariff"))),
            ("行业分类", _zh(Industry, customer.get("industry"))),
            ("重要客户等级", _zh(ImportantGrade, customer.get("important_grade")) or "非重要用户"),
            ("负荷等级", _zh(LoadGrade, data.get("load_grade"))),
            ("新装/总容量", f"{_amount(data.get('capacity_kva') or 0)} kVA"),
            ("本次增加容量", f"{_amount(data.get('added_capacity_kva') or 0)} kVA"),
            ("联系人", data.get("contact", "")),
            ("受理日期", view.accepted_on.strftime("%Y-%m-%d") if view.accepted_on else ""),
        ]
    )
    doc.heading("二、供电电源")
    doc.table(
        ["电源", "主/备", "电压", "容量(kVA)", "变电站", "线路", "间隔", "架空/电缆"],
        [
            [
                str(s.get("no", "")),
                _zh(SourceRole, s.get("role")),
                f"{_amount(s.get('voltage_kv'))} kV" if s.get("voltage_kv") else "",
                _amount(s.get("capacity_kva")),
                s.get("substation", ""),
                s.get("line", ""),
                s.get("bay", ""),
                _zh(LineType, s.get("line_type")),
            ]
            for s in data.get("sources", [])
        ],
        [12, 14, 16, 20, 38, 28, 24, 22],
    )
    doc.heading("三、受电与产权")
    doc.fields(
        [
            ("产权分界点", data.get("property_boundary", "")),
            ("受电装置形式", data.get("receiving_type", "")),
            ("继电保护", data.get("protection", "")),
            ("自备应急电源", data.get("emergency_power", "")),
        ],
        columns=1,
    )
    doc.heading("四、计量与电价")
    doc.table(
        [
            "计量点",
            "计量方式",
            "接线方式",
            "表计/互感器准确度",
            "CT 变比",
            "PT 变比",
            "电价",
            "分时",
        ],
        [
            [
                m.get("point", ""),
                _zh(MeteringMethod, m.get("method")),
                m.get("wiring", ""),
                m.get("meter_class", ""),
                m.get("ct_ratio", ""),
                m.get("pt_ratio", ""),
                _zh(TariffCategory, m.get("tariff")),
                "是" if m.get("time_of_use") else "否",
            ]
            for m in data.get("metering", [])
        ],
        [26, 20, 20, 26, 18, 18, 30, 16],
    )
    doc.fields(
        [
            (
                "基本电费",
                "执行两部制电价,计收基本电费" if data.get("basic_charge") else "不计收基本电费",
            ),
            ("功率因数考核标准", str(data.get("power_factor") or "")),
            ("电能质量要求", data.get("power_quality", "")),
        ],
        columns=1,
    )
    fees = data.get("fees", [])
    if fees:
        doc.heading("五、业务费用")
        doc.table(
            ["收费项目", "单价", "数量", "金额(元)", "收费依据"],
            [
                [
                    f.get("item", ""),
                    _amount(f.get("unit_price")),
                    _amount(f.get("quantity")),
                    _amount(f.get("amount")),
                    f.get("basis", ""),
                ]
                for f in fees
            ],
            [40, 24, 20, 28, 62],
        )
    doc.heading("六、有效期及说明")
    valid = view.valid_until.strftime("%Y年%m月%d日") if view.valid_until else "出具后按规定计算"
    doc.paragraph(
        f"本供电方案有效期至 {valid}。请在有效期内办理后续手续;逾期需在有效期届满前申请延长,否则需重新办理。"
        + (f"\n{data.get('remarks')}" if data.get("remarks") else "")
    )
    if view.warnings:
        doc.heading("待核实事项")
        doc.bullets([w.message_zh for w in view.warnings])
    doc.signatures(["供电企业(盖章)", "客户签收"])
    return doc.render(target)


def render_outage_notices(
    view: OutageView, letterhead: Letterhead, target: Path | None = None
) -> bytes:
    """One page per affected customer, all in one PDF (for batch printing)."""
    doc = PdfDocument(
        f"{view.kind.zh}通知",
        number=view.number,
        doc_id=str(view.id),
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
    )
    period = f"{view.starts_at:%Y年%m月%d日 %H:%M} 至 {view.ends_at:%Y年%m月%d日 %H:%M}"
    for index, notice in enumerate(view.notices):
        if index:
            doc.page_break()
            doc.title_line(f"{view.kind.zh}通知")
        doc.fields(
            [
                ("通知编号", notice.number),
                ("户号", notice.account_no),
                ("客户名称", notice.customer_name),
                ("联系人", notice.contact),
            ]
        )
        doc.spacer(3)
        doc.paragraph(f"尊敬的{notice.customer_name}:")
        doc.paragraph(
            f"因{view.reason},我公司定于 {period} 对以下范围停电:{view.area}。"
            + (f"涉及线路:{'、'.join(view.lines)}。" if view.lines else "")
            + (f"(变电站:{view.substation})" if view.substation else "")
        )
        doc.paragraph(
            "停电期间给您带来的不便,敬请谅解。如工作提前完成,将提前恢复送电,届时不再另行通知。"
        )
        doc.paragraph(
            "恢复送电前请勿擅自操作电气设备,视同线路随时带电,注意用电安全;重要负荷请提前做好自备应急电源准备。"
        )
        doc.paragraph(f"如有疑问,请拨打供电服务热线 {letterhead.hotline}。")
        doc.signatures(["客户签收", "送达人"])
    return doc.render(target)
