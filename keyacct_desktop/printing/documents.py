"""PDFs of the issued documents: one-shot checklist, plan handout, outage notices (batch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from keyacct_desktop.domain.codes import verification_code, verification_url
from keyacct_desktop.domain.documents import (
    ChecklistItemView,
    ChecklistView,
    OutageView,
    PlanView,
    stage_label,
)
from keyacct_desktop.domain.enums import (
    ImportantGrade,
    Industry,
    LineType,
    LoadGrade,
    MeteringMethod,
    OutageKind,
    SourceRole,
    TariffCategory,
)
from keyacct_desktop.domain.plan_rules import tap_changer_label
from keyacct_desktop.domain.workdays import DONE, ESTIMATED_MARK, RUNNING
from keyacct_desktop.printing.base import Letterhead, PdfDocument

DRAFT_MARK = "草稿 未出具"
SUPERSEDED_MARK = "已被替代"


def watermark_of(status: str) -> str | None:
    """A draft says it is not issued; a superseded copy (reprinted) says it is replaced."""
    return {"draft": DRAFT_MARK, "superseded": SUPERSEDED_MARK}.get(status)


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


def qr_of(
    number: str | None, seed: str | None, letterhead: Letterhead
) -> tuple[str | None, str | None]:
    """(QR payload, verification code) of an issued document; a draft has neither."""
    if not number or not seed:
        return None, None
    code = verification_code(seed)
    return verification_url(letterhead.verify_base, number, code), code


def manager_line(customer: dict[str, Any], letterhead: Letterhead) -> str:
    """Whom to call, on every document: the account manager and phone, then the hotline."""
    manager = customer.get("manager") or {}
    name, phone = manager.get("name") or "", manager.get("phone") or ""
    who = f"您的客户经理{name}" + (f"(电话 {phone})" if phone else "") if name else ""
    who = who or f"{letterhead.department}"
    return f"如有疑问,请联系{who},或拨打供电服务热线 {letterhead.hotline}。"


def manager_label(customer: dict[str, Any]) -> str:
    """ "王经理 13800138000" for the 客户经理 field of a form."""
    manager = customer.get("manager") or {}
    return " ".join(p for p in (manager.get("name"), manager.get("phone")) if p)


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
    customer = view.customer or (view.snapshot or {}).get("customer", {})
    payload, code = qr_of(view.number, view.content_hash, letterhead)
    doc = PdfDocument(
        f"{view.business_type.zh}业务一次性告知书",
        number=view.number,
        doc_id=payload,
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
        watermark=watermark_of(view.status),
        verification=code,
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
            ("客户经理", manager_label(customer)),
            ("服务热线", letterhead.hotline),
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
    fees = [i for i in view.items if i.kind == "fee"]
    if fees:
        doc.heading(f"{next(numerals)}、业务费用")
        doc.bullets([i.text for i in fees])
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
    doc.paragraph(manager_line(customer, letterhead), small=True)
    doc.signatures(
        ["客户签收", "客户经理"],
        names={"客户经理": (customer.get("manager") or {}).get("name", "")},
        statement="本人已收到本告知书,并知悉上述材料、流程、费用及时限。",
    )
    return doc.render(target)


def _power_factor_text(value: Any, view: PlanView) -> str:
    """The standard and the rule it follows: "0.90（高压供电并装有有载调压装置的用户）"."""
    if value in (None, ""):
        return ""
    text = _amount(value) if not isinstance(value, float) else f"{value:.2f}"
    return f"{text}({view.power_factor_basis})" if view.power_factor_basis else text


def render_plan(view: PlanView, letterhead: Letterhead, target: Path | None = None) -> bytes:
    """The 供电方案答复单."""
    data, customer = view.data, view.customer
    payload, code = qr_of(view.number, view.content_hash, letterhead)
    doc = PdfDocument(
        "供电方案答复单",
        number=view.number,
        doc_id=payload,
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
        watermark=watermark_of(view.status),
        verification=code,
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
            ("客户经理", manager_label(customer)),
            ("服务热线", letterhead.hotline),
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
            *(
                [("调压方式", tap_changer_label(data.get("on_load_tap_changer")))]
                if tap_changer_label(data.get("on_load_tap_changer"))
                else []
            ),
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
            ("功率因数考核标准", _power_factor_text(data.get("power_factor"), view)),
            ("电能质量要求", data.get("power_quality", "")),
        ],
        columns=1,
    )
    fees = data.get("fees", [])
    if fees:
        doc.heading("五、业务费用")
        doc.table(
            ["收费项目", "单价(元)", "数量", "金额(元)", "收费依据"],
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
    # Rule checks (待核实事项) stay on screen: a customer's copy carries only what it is told.
    doc.paragraph(manager_line(customer, letterhead), small=True)
    doc.signatures(
        ["供电企业(盖章)", "客户签收"], statement="客户已收到本供电方案答复单并知悉上述内容。"
    )
    return doc.render(target)


def outage_wording(view: OutageView, repair_minutes: dict[str, int]) -> list[str]:
    """What a notice says, by kind: a fault is not "planned" and has no "prepare ahead"."""
    lines = f"涉及线路:{'、'.join(view.lines)}。" if view.lines else ""
    station = f"(变电站:{view.substation})" if view.substation else ""
    start = f"{view.starts_at:%Y年%m月%d日 %H:%M}"
    end = f"{view.ends_at:%Y年%m月%d日 %H:%M}"
    safety = "恢复送电前请勿擅自操作电气设备,视同线路随时带电,注意用电安全。"
    if view.status == "cancelled":
        return [
            f"我公司原定于 {start} 至 {end} 对以下范围的{view.kind.zh}:{view.area},"
            f"现予取消,届时正常供电。{lines}",
            "由此给您带来的不便,敬请谅解。",
        ]
    if view.kind == OutageKind.FAULT:
        urban, rural, remote = (
            repair_minutes.get("urban", 45),
            repair_minutes.get("rural", 90),
            repair_minutes.get("remote", 120),
        )
        return [
            f"因{view.reason},{view.area}自 {start} 起发生故障停电。{lines}{station}",
            f"我公司已组织抢修,预计于 {end} 前恢复供电(预计时间,以实际恢复时间为准)。"
            "停电给您带来的不便,敬请谅解。",
            f"供电服务承诺:抢修人员到达现场时间,城区 {urban} 分钟、农村 {rural} 分钟、"
            f"边远地区 {remote} 分钟以内。",
            safety + "重要负荷请及时启用自备应急电源。",
        ]
    planned = view.kind == OutageKind.PLANNED
    return [
        f"因{view.reason},我公司{'定于' if planned else '需于'} {start} 至 {end} "
        f"对以下范围{'停电' if planned else '临时停电'}:{view.area}。{lines}{station}",
        "停电期间给您带来的不便,敬请谅解。如工作提前完成,将提前恢复送电,届时不再另行通知。",
        safety + "重要负荷请提前做好自备应急电源准备。",
    ]


def render_outage_notices(
    view: OutageView,
    letterhead: Letterhead,
    target: Path | None = None,
    *,
    repair_minutes: dict[str, int] | None = None,
) -> bytes:
    """One notice per affected customer, all in one PDF (for batch printing); each notice
    has its own number, QR code, page numbers and bookmark."""
    title = f"取消{view.kind.zh}通知" if view.status == "cancelled" else f"{view.kind.zh}通知"
    if view.status == "issued" and "的停电改期)" in view.reason:
        title = f"{view.kind.zh}改期通知"
    doc = PdfDocument(
        title,
        watermark="已改期" if view.status == "postponed" else None,
        letterhead=letterhead,
        issued_on=view.issued_at.date() if view.issued_at else None,
    )
    wording = outage_wording(view, repair_minutes or {})
    for index, notice in enumerate(view.notices):
        if index:
            doc.page_break()
        payload, code = qr_of(notice.number, str(notice.id), letterhead)
        doc.section(
            notice.number, payload, f"{notice.number} {notice.customer_name}", verification=code
        )
        if index:
            doc.title_line(title)
        customer = {"manager": notice.manager}
        doc.fields(
            [
                ("通知编号", notice.number),
                ("户号", notice.account_no),
                ("客户名称", notice.customer_name),
                ("联系人", notice.contact),
                ("客户经理", manager_label(customer)),
                ("服务热线", letterhead.hotline),
            ]
        )
        doc.spacer(3)
        doc.paragraph(f"尊敬的{notice.customer_name}:")
        for line in wording:
            doc.paragraph(line)
        doc.paragraph(manager_line(customer, letterhead))
        doc.signatures(["客户签收", "送达人"], statement="本单位已收到本通知。")
    return doc.render(target)
