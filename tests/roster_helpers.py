"""Generated customer rosters shaped like the ones utilities keep in Excel.

A title row above the header, their own headers (用户编号, 户名, 合同容量(千伏安),
年用电量(万千瓦时), 联系电话, …), a 序号 and a 立户日期 column the app does not keep, short
forms (大工业, 一级, AAA级, 交流10kV), full-width digits, landlines with extensions, phones
without a name, 户号 with leading zeros, and a 合计 row under the data.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from keyacct_desktop.demo import demo_uscc, person_name

TITLE = "2026 年高新供电服务中心大客户档案"
HEADER = [
    "序号",
    "用户编号",
    "户名",
    "信用代码",
    "用电地址",
    "所属园区",
    "网格",
    "客户经理",
    "行业分类",
    "供电电压",
    "合同容量(千伏安)",
    "年用电量(万千瓦时)",
    "用电类别",
    "重要用户等级",
    "信用评级",
    "联系人",
    "联系电话",
    "立户日期",
]
PARKS = ["高新区", "滨江工业园", "临港物流园"]
GRIDS = {
    "高新区": ("高新一网格", "陈立"),
    "滨江工业园": ("滨江网格", "王海"),
    "临港物流园": ("临港网格", "王海"),
}
VOLTAGES = [("10千伏", 10.0), ("交流10kV", 10.0), ("35kV", 35.0), ("0.4", 0.4), ("AC110kV", 110.0)]
TARIFFS = [("大工业", "large_industry"), ("一般工商业", "commercial")]
GRADES = [("", None), ("", None), ("一级", "first"), ("二级", "second"), ("特级", "special")]
CREDITS = [("AAA级", "AAA"), ("AA级", "AA"), ("A级", "A"), ("B", "B")]
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


@dataclass
class Expected:
    """What one roster row must become in the store."""

    account_no: str
    name: str
    park: str
    grid: str
    manager: str
    voltage_kv: float
    capacity_kva: float
    annual_kwh: float
    tariff: str
    important_grade: str | None
    credit_rating: str
    contact_name: str | None
    mobile: str | None
    landline: str | None


def roster_rows(count: int, seed: int = 16) -> tuple[list[list[Any]], list[Expected]]:
    """Data rows (as a sheet shows them) and what each must import as."""
    rng = random.Random(seed)
    rows: list[list[Any]] = []
    expected: list[Expected] = []
    for index in range(count):
        park = PARKS[index % len(PARKS)]
        grid, manager = GRIDS[park]
        account = f"0{310000000 + index:09d}"  # leading zero: text, never a number
        voltage_text, voltage = VOLTAGES[index % len(VOLTAGES)]
        capacity = float(rng.choice([315, 630, 1250, 2500, 8000]))
        capacity_text: Any = f"{capacity:,.0f}"
        if index % 4 == 1:
            capacity_text = capacity_text.translate(FULL_WIDTH)  # "２，５００"
        elif index % 4 == 2:
            capacity_text = capacity  # a real number cell
        wan = round(rng.uniform(20, 900), 2)  # 万千瓦时
        tariff_text, tariff = TARIFFS[index % 2]
        grade_text, grade = GRADES[index % len(GRADES)]
        credit_text, credit = CREDITS[index % len(CREDITS)]
        name: str | None = person_name(rng)
        mobile: str | None = None
        landline: str | None = None
        kind = index % 5
        if kind == 0:
            mobile = f"139{rng.randrange(10**8):08d}"
            phone = f"{mobile[:3]} {mobile[3:7]} {mobile[7:]}"
        elif kind == 1:
            landline = f"0591-{rng.randrange(2 * 10**7, 9 * 10**7)}"
            phone = landline
        elif kind == 2:
            landline = f"0591-{rng.randrange(2 * 10**7, 9 * 10**7)}转8001"
            phone = landline
        elif kind == 3:
            mobile = f"186{rng.randrange(10**8):08d}"
            phone = mobile
            name = None  # a phone and nobody's name
        else:
            phone = ""
            name = None
        rows.append(
            [
                index + 1,
                account,
                f"{park}第{index + 1}号精密制造有限公司",
                demo_uscc(rng),
                f"{park}兴业路 {index + 1} 号",
                park,
                grid,
                manager,
                "制造业" if index % 3 else "C 制造业",
                voltage_text,
                capacity_text,
                wan,
                tariff_text,
                grade_text,
                credit_text,
                name or "",
                phone,
                date(2010, 1, 1) + timedelta(days=index % 4000),
            ]
        )
        expected.append(
            Expected(
                account,
                f"{park}第{index + 1}号精密制造有限公司",
                park,
                grid,
                manager,
                voltage,
                capacity,
                round(wan * 10_000, 6),
                tariff,
                grade,
                credit,
                name if (name or mobile or landline) else None,
                mobile,
                landline,
            )
        )
    return rows, expected


def totals_row(rows: list[list[Any]]) -> list[Any]:
    total = [None] * len(HEADER)
    total[0] = "合计"
    total[11] = round(sum(float(r[11]) for r in rows), 2)
    return total


def write_xlsx(path: Path, rows: list[list[Any]], *, totals: bool = True) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "大客户档案"
    sheet.append([TITLE])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(HEADER)
    for number, row in enumerate(rows, start=3):
        sheet.append(row)
        sheet.cell(number, 2).number_format = "@"  # 户号 typed as text
    if totals:
        sheet.append(totals_row(rows))
    book.save(path)
    return path


def write_xls(path: Path, rows: list[list[Any]]) -> Path:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("大客户档案")
    dates = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(0, 0, TITLE)
    for column, title in enumerate(HEADER):
        sheet.write(1, column, title)
    for number, row in enumerate([*rows, totals_row(rows)], start=2):
        for column, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, date):
                sheet.write(number, column, value, dates)
            else:
                sheet.write(number, column, value)
    book.save(str(path))
    return path


def csv_text(rows: list[list[Any]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([TITLE])
    writer.writerow(HEADER)
    for row in [*rows, totals_row(rows)]:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()
