"""Printed economics documents: the 电费催缴通知单 and the one-page basic-charge advice sheet.

Plain data in (views built by ``services.economics_print``), PDF bytes out. The notice's wording
comes from the bundled template ``resources/templates/notices/arrears_notice.toml`` so the legal
text can follow provincial rules without a code change. The advice sheet draws its chart with
ReportLab's vector graphics (sharp at any zoom, nothing rasterised).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing, Line, String
from reportlab.lib import colors
from reportlab.lib.units import mm

from keyacct_desktop.domain.billing import BasicChargeAdvice, mode_label
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import resources_dir
from keyacct_desktop.printing.base import BRAND, CONTENT_WIDTH, Letterhead, PdfDocument

TEMPLATE_KEYS = ("title", "greeting", "body", "legal", "closing", "signatures")


def _yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.2f}"


def load_notice_template(path: Path | None = None) -> dict[str, Any]:
    """The wording of the 电费催缴通知单 (bundled, or ``path``); checked for every key."""
    source = path or resources_dir() / "templates" / "notices" / "arrears_notice.toml"
    try:
        data = tomllib.loads(source.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise UserError(
            f"催缴通知单模板 {source.name} 无法读取:{error}",
            f"the arrears notice template {source.name} cannot be read: {error}",
        ) from error
    missing = [k for k in TEMPLATE_KEYS if k not in data]
    if missing:
        raise UserError(
            f"催缴通知单模板缺少:{'、'.join(missing)}",
            f"the arrears notice template lacks: {', '.join(missing)}",
        )
    return data


@dataclass(frozen=True)
class ArrearsNoticeView:
    number: str
    customer_id: str
    customer_name: str
    account_no: str
    address: str
    contact: str
    as_of: date
    pay_by: date
    months: tuple[tuple[str, float | None, float | None, float, int | None], ...]
    # (month, bill, paid, arrears, overdue days)
    amount: float
    manager_name: str
    manager_phone: str
    suspension_notice_days: int


def render_arrears_notice(
    view: ArrearsNoticeView,
    letterhead: Letterhead,
    template: dict[str, Any] | None = None,
    target: Path | None = None,
) -> bytes:
    """One A4 page: who owes what since when, by when to pay, the legal basis, who to call."""
    wording = template or load_notice_template()
    values = {
        "customer_name": view.customer_name,
        "account_no": view.account_no,
        "as_of": f"{view.as_of:%Y年%m月%d日}",
        "pay_by": f"{view.pay_by:%Y年%m月%d日}",
        "amount": _yuan(view.amount),
        "suspension_notice_days": view.suspension_notice_days,
        "hotline": letterhead.hotline,
        "manager_name": view.manager_name or "—",
        "manager_phone": view.manager_phone or "—",
        "company": letterhead.company,
    }

    def fill(text: str) -> str:
        try:
            return text.format(**values)
        except (KeyError, IndexError, ValueError) as error:
            raise UserError(
                f"催缴通知单模板中的占位符无效:{error}",
                f"the arrears notice template has an unknown placeholder: {error}",
            ) from error

    doc = PdfDocument(
        wording["title"],
        number=view.number,
        doc_id=view.customer_id,
        letterhead=letterhead,
        issued_on=view.as_of,
    )
    doc.fields(
        [
            ("通知编号", view.number),
            ("户号", view.account_no),
            ("客户名称", view.customer_name),
            ("用电地址", view.address or "—"),
            ("联系人", view.contact or "—"),
            ("欠费合计(元)", _yuan(view.amount)),
        ]
    )
    doc.spacer(3)
    doc.paragraph(fill(wording["greeting"]))
    doc.paragraph(fill(wording["body"]))
    doc.spacer(2)
    doc.table(
        ["电费年月", "应收电费(元)", "实收电费(元)", "月末欠费余额(元)", "欠费天数"],
        [
            [month, _yuan(bill), _yuan(paid), _yuan(owed), "—" if days is None else str(days)]
            for month, bill, paid, owed, days in view.months
        ]
        + [["当前欠费", "", "", _yuan(view.amount), ""]],
        col_widths=[30, 36, 36, 36, 36],
    )
    doc.heading("依据与说明")
    for number, line in enumerate(wording["legal"], start=1):
        doc.paragraph(f"{number}. {fill(line)}")
    doc.spacer(2)
    doc.paragraph(fill(wording["closing"]))
    doc.spacer(2)
    doc.paragraph(f"{letterhead.company}  {letterhead.department}")
    doc.paragraph(f"{view.as_of:%Y年%m月%d日}")
    doc.signatures(list(wording["signatures"]))
    return doc.render(target)


# --------------------------------------------------------------------------- advice sheet


@dataclass(frozen=True)
class AdviceSheetView:
    customer_id: str
    customer_name: str
    account_no: str
    capacity_kva: float
    advice: BasicChargeAdvice
    issued_on: date
    manager_name: str
    manager_phone: str
    floor_share: float = 0.40
    tolerance: float = 1.05
    power_factor_note: str | None = None  # months under the power-factor standard


def _demand_chart(advice: BasicChargeAdvice, width: float, height: float) -> Drawing:
    """Bars: each month's max demand; lines: the capacity and the recommended declared demand."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 38, 30
    chart.width, chart.height = width - 60, height - 55
    demands = [m.max_demand_kw for m in advice.months]
    chart.data = [demands]
    top = max([*demands, advice.capacity_kva, advice.declared_kw]) * 1.1
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = top
    chart.valueAxis.labels.fontName = _font()
    chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.categoryNames = [m.month[2:] for m in advice.months]
    chart.categoryAxis.labels.fontName = _font()
    chart.categoryAxis.labels.fontSize = 7
    chart.bars[0].fillColor = BRAND
    chart.bars[0].strokeColor = None
    drawing.add(chart)

    def level(value: float, colour: Any, caption: str) -> None:
        y = chart.y + chart.height * value / top
        drawing.add(Line(chart.x, y, chart.x + chart.width, y, strokeColor=colour, strokeWidth=1.2))
        label = Label()
        label.setOrigin(chart.x + chart.width - 2, y + 3)
        label.boxAnchor = "se"
        label.setText(caption)
        label.fontName = _font()
        label.fontSize = 7.5
        label.fillColor = colour
        drawing.add(label)

    level(advice.capacity_kva, colors.HexColor("#c0392b"), f"容量 {advice.capacity_kva:,.0f} kVA")
    level(
        advice.declared_kw, colors.HexColor("#27ae60"), f"建议核定需量 {advice.declared_kw:,.0f} kW"
    )
    drawing.add(String(4, height - 12, "最大需量(kW)", fontName=_font(), fontSize=8))
    return drawing


def _font() -> str:
    from keyacct_desktop.printing.fonts import register_fonts

    return register_fonts()


def render_advice_sheet(
    view: AdviceSheetView, letterhead: Letterhead, target: Path | None = None
) -> bytes:
    """One page for the customer: both modes' yearly basic charge, the advice, the chart."""
    advice = view.advice
    doc = PdfDocument(
        "基本电费计费方式测算建议书",
        doc_id=view.customer_id,
        letterhead=letterhead,
        issued_on=view.issued_on,
    )
    first, last = advice.months[0].month, advice.months[-1].month
    doc.fields(
        [
            ("户号", view.account_no),
            ("客户名称", view.customer_name),
            ("受电容量", f"{view.capacity_kva:,.0f} kVA"),
            ("测算期间", f"{first} 至 {last}({len(advice.months)} 个月)"),
            ("现行计费方式", mode_label(advice.current_mode) or "—"),
            (
                "现行核定需量",
                f"{advice.current_declared_kw:,.0f} kW" if advice.current_declared_kw else "—",
            ),
        ]
    )
    doc.heading("两种计费方式的基本电费比较")
    rows = [
        ["按容量", f"{view.capacity_kva:,.0f} kVA", _yuan(advice.capacity_total)],
        ["按需量(建议核定值)", f"{advice.declared_kw:,.0f} kW", _yuan(advice.demand_total)],
    ]
    if advice.current_mode == "demand" and advice.current_total is not None:
        rows.append(
            [
                "按需量(现行核定值)",
                f"{advice.current_declared_kw or 0:,.0f} kW",
                _yuan(advice.current_total),
            ]
        )
    doc.table(["计费方式", "计费基数", "测算期基本电费(元)"], rows, col_widths=[60, 50, 64])
    doc.spacer(2)
    cheaper = mode_label(advice.recommended_mode)
    text = f"建议按{cheaper[1:]}计收基本电费"
    if advice.recommended_mode == "demand":
        text += f",核定需量 {advice.declared_kw:,.0f} kW"
    text += f";测算期内可比另一方式少缴 {advice.saving:,.2f} 元"
    if advice.saving_vs_current and advice.saving_vs_current > 0.005:
        text += f",比现行方式少缴 {advice.saving_vs_current:,.2f} 元"
    doc.paragraph(text + "。")
    excess = [m for m in advice.months if m.excess_kw > 0]
    if advice.recommended_mode == "demand" and excess:
        doc.paragraph(
            "按建议核定值,"
            + "、".join(f"{m.month} 超出 {m.excess_kw:,.1f} kW" for m in excess)
            + f"(超过核定值 {view.tolerance:.0%} 的部分加倍收取),已计入上表。",
            small=True,
        )
    doc.heading("各月最大需量")
    doc.story.append(_demand_chart(advice, CONTENT_WIDTH, 62 * mm))
    if advice.flags:
        doc.heading("容量调整提示")
        doc.bullets([flag.message_zh for flag in advice.flags])
    if view.power_factor_note:
        doc.heading("功率因数")
        doc.bullets([view.power_factor_note])
    doc.spacer(3)
    doc.paragraph(
        f"说明:按需量计费时,核定需量低于受电容量 {view.floor_share:.0%} 的按 "
        f"{view.floor_share:.0%} 计;实际最大需量超过核定值 {view.tolerance:.0%} "
        "的部分加倍计收。变更计费方式或核定需量须提前申请(以当地规定为准)。测算依据历史数据,"
        "仅供参考。"
        + (
            f"如需办理,请联系客户经理 {view.manager_name}(电话 {view.manager_phone})。"
            if view.manager_name
            else ""
        ),
        small=True,
    )
    return doc.render(target)
