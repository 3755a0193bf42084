"""Customer lists in and out of Excel/CSV, the way utilities really keep them.

Real sheets have a merged title row or two above the header, Chinese headers with several
spellings, numbers typed as text ("1,250", "10kV"), and blank rows at the end. The importer finds
the header row, maps the columns it knows, checks every row with the same rules as the editor,
and reports each problem with its row number. Nothing is half-imported: the caller chooses to
import the valid rows or nothing, and the import is one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.codes import normalize_phone, normalize_uscc
from keyacct_desktop.domain.enums import (
    CreditRating,
    ImportantGrade,
    Industry,
    LabelledEnum,
    MeteringMethod,
    PoolStatus,
    TariffCategory,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customer_profile import ContactForm, ProfileForm, check
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Contact, Customer, Park

#: Field → header spellings seen in utilities' sheets (compared without blanks/brackets).
HEADERS: dict[str, tuple[str, ...]] = {
    "account_no": ("户号", "用户编号", "客户编号", "用电户号"),
    "name": ("户名", "客户名称", "用户名称", "单位名称", "名称"),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码"),
    "address": ("用电地址", "地址"),
    "park": ("园区", "所属园区"),
    "industry": ("行业", "行业分类", "行业门类"),
    "voltage_kv": ("电压等级", "供电电压", "电压等级kV", "电压"),
    "capacity_kva": ("合同容量", "合同容量kVA", "容量", "运行容量"),
    "annual_kwh": ("年用电量", "年用电量kWh", "年电量"),
    "contact_name": ("联系人", "联系人姓名"),
    "mobile": ("手机", "手机号", "联系电话", "移动电话"),
    "landline": ("固定电话", "座机", "办公电话"),
    "tariff": ("电价类别", "用电类别", "电价"),
    "metering": ("计量方式",),
    "important_grade": ("重要客户等级", "重要用户等级", "重要电力用户等级"),
    "credit_rating": ("信用等级", "信用评级"),
    "pool_status": ("入池状态",),
}
#: Coded columns: read by code, Chinese or English label; written with the Chinese label.
CODED: dict[str, tuple[type[LabelledEnum], str, str]] = {
    "industry": (Industry, "行业", "industry"),
    "tariff": (TariffCategory, "电价类别", "tariff"),
    "metering": (MeteringMethod, "计量方式", "metering"),
    "important_grade": (ImportantGrade, "重要客户等级", "important-customer grade"),
    "credit_rating": (CreditRating, "信用等级", "credit rating"),
    "pool_status": (PoolStatus, "入池状态", "pool status"),
}
EXPORT_COLUMNS = (
    ("户号", "account_no"),
    ("客户名称", "name"),
    ("统一社会信用代码", "uscc"),
    ("分级", "pyramid_class"),
    ("园区", "park"),
    ("网格", "grid"),
    ("行业", "industry"),
    ("电压等级(kV)", "voltage_kv"),
    ("合同容量(kVA)", "capacity_kva"),
    ("年用电量(kWh)", "annual_kwh"),
    ("重要客户等级", "important_grade"),
    ("信用等级", "credit_rating"),
    ("入池状态", "pool_status"),
)
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    field: str
    zh: str
    en: str


@dataclass
class ImportPlan:
    """What a file would import: the valid rows and every problem, before anything is written."""

    source: str
    header_row: int
    mapped: dict[str, str]  # field -> header as found
    rows: list[tuple[int, ProfileForm, str]] = field(default_factory=list)  # row, form, park name
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def valid(self) -> list[tuple[int, ProfileForm, str]]:
        bad = self.bad_rows
        return [r for r in self.rows if r[0] not in bad]


def _key(text: Any) -> str:
    return re.sub(r"[\s()（）:：\[\]]", "", str(text or ""))


def _read_rows(path: Path) -> list[list[Any]]:
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            import openpyxl

            try:
                book = openpyxl.load_workbook(path, read_only=True, data_only=True)
            except Exception as error:  # openpyxl raises many kinds for a damaged file
                raise UserError(
                    f"无法读取 Excel 文件 {path.name}:文件已损坏或不是 .xlsx 格式",
                    f"cannot read {path.name}: damaged or not an .xlsx workbook ({type(error).__name__})",
                ) from error
            try:
                sheet = book.worksheets[0]
                rows = []
                for values in sheet.iter_rows(values_only=True):
                    rows.append(list(values))
                    if len(rows) > MAX_ROWS:
                        break
                return rows
            finally:
                book.close()
        if suffix in (".csv", ".txt"):
            data = path.read_bytes()
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    text = data.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:  # pragma: no cover - gb18030 decodes any byte string
                raise UserError("无法识别 CSV 文件的编码", "unknown CSV encoding")
            return [list(r) for r in csv.reader(io.StringIO(text))][: MAX_ROWS + 1]
    except OSError as error:
        raise UserError(f"无法打开文件:{error}", f"cannot open the file: {error}") from error
    raise UserError(
        f"不支持的文件类型“{path.suffix}”:请使用 .xlsx 或 .csv",
        f"unsupported file type {path.suffix!r}: use .xlsx or .csv",
    )


def _find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int], dict[str, str]]:
    aliases = {_key(a): f for f, names in HEADERS.items() for a in names}
    for index, row in enumerate(rows[:15]):
        columns: dict[str, int] = {}
        found: dict[str, str] = {}
        for position, cell in enumerate(row):
            name = aliases.get(_key(cell))
            if name and name not in columns:
                columns[name] = position
                found[name] = str(cell).strip()
        if "account_no" in columns and "name" in columns:
            return index, columns, found
    raise UserError(
        "找不到表头:表格前 15 行中应有“户号”和“户名/客户名称”两列",
        "no header row: the first 15 rows need an account-no. and a name column",
    )


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # 户号 stored as a number in Excel
    return str(value).strip()


def _number(value: Any, name: str, zh: str, row: int, problems: list[RowProblem]) -> float | None:
    text = _text(value)
    if not text:
        return None
    cleaned = re.sub(
        r"(?i)(kva|kwh|kv|千伏安|千瓦时|千伏|万千瓦时)$", "", text.replace(",", "").replace(",", "")
    ).strip()
    try:
        number = float(cleaned)
    except ValueError:
        problems.append(
            RowProblem(row, name, f"{zh}“{text}”不是数字", f"{name} {text!r} is not a number")
        )
        return None
    if "万千瓦时" in text:
        number *= 10_000
    return number


def plan_import(store: Store, path: Path) -> ImportPlan:
    """Read and check a file; write nothing."""
    rows = _read_rows(path)
    if len(rows) > MAX_ROWS:
        raise UserError(
            f"文件超过 {MAX_ROWS} 行,请分批导入", f"more than {MAX_ROWS} rows: import in parts"
        )
    header_index, columns, found = _find_header(rows)
    plan = ImportPlan(path.name, header_index + 1, found)
    with store.read() as session:
        parks = {name: park_id for park_id, name in session.execute(select(Park.id, Park.name))}
    seen_accounts: dict[str, int] = {}
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {f: (row[c] if c < len(row) else None) for f, c in columns.items()}
        if not any(_text(v) for v in cells.values()):
            continue  # blank (trailing) rows
        problems: list[RowProblem] = []
        codes: dict[str, str] = {}
        for name in CODED:
            enum, zh, en = CODED[name]
            text = _text(cells.get(name))
            if not text:
                continue
            try:
                codes[name] = enum.from_label(text).value
            except ValueError:
                if name == "industry" and text[:1].isascii():  # "C 制造业", "C13"
                    try:
                        codes[name] = enum.from_label(text[:1].upper()).value
                        continue
                    except ValueError:
                        pass
                problems.append(
                    RowProblem(index, name, f"{zh}“{text}”无法识别", f"unknown {en} {text!r}")
                )
        park_name = _text(cells.get("park"))
        if park_name and park_name not in parks:
            problems.append(
                RowProblem(
                    index, "park", f"园区“{park_name}”不存在", f"no park named {park_name!r}"
                )
            )
        contact = ContactForm(
            name=_text(cells.get("contact_name")),
            mobile=normalize_phone(_text(cells.get("mobile"))),
            landline=normalize_phone(_text(cells.get("landline"))),
        )
        form = ProfileForm(
            account_no=_text(cells.get("account_no")),
            name=_text(cells.get("name")),
            uscc=_text(cells.get("uscc")),
            address=_text(cells.get("address")),
            park_id=parks.get(park_name),
            voltage_kv=_number(cells.get("voltage_kv"), "voltage_kv", "电压等级", index, problems),
            capacity_kva=_number(
                cells.get("capacity_kva"), "capacity_kva", "合同容量", index, problems
            ),
            annual_kwh=_number(cells.get("annual_kwh"), "annual_kwh", "年用电量", index, problems),
            contacts=[contact] if (contact.name or contact.mobile or contact.landline) else [],
            **codes,
        )
        numbers_bad = {p.field for p in problems}
        for problem in check(form, store):
            if problem.field not in numbers_bad:
                problems.append(RowProblem(index, problem.field, problem.zh, problem.en))
        if form.account_no in seen_accounts:
            problems.append(
                RowProblem(
                    index,
                    "account_no",
                    f"户号 {form.account_no} 与第 {seen_accounts[form.account_no]} 行重复",
                    f"account no. repeats row {seen_accounts[form.account_no]}",
                )
            )
        seen_accounts.setdefault(form.account_no, index)
        plan.rows.append((index, form, park_name))
        plan.problems.extend(problems)
    return plan


def apply_import(store: Store, plan: ImportPlan, *, valid_only: bool) -> int:
    """Write the plan in ONE transaction: every row, or (``valid_only``) the valid ones.

    Without ``valid_only`` a plan with any problem imports nothing and says so.
    """
    if plan.problems and not valid_only:
        raise UserError(
            f"有 {len(plan.bad_rows)} 行有误,未导入任何数据(可选择只导入有效行)",
            f"{len(plan.bad_rows)} row(s) have problems; nothing was imported (choose valid rows only)",
        )
    rows = plan.valid
    with store.begin() as session:
        for _row, form, _park in rows:
            customer = Customer(
                account_no=form.account_no,
                name=form.name,
                uscc=normalize_uscc(form.uscc) or None,
                address=form.address or None,
                industry=form.industry or None,
                tariff=form.tariff or None,
                metering=form.metering or None,
                important_grade=form.important_grade or None,
                credit_rating=form.credit_rating or None,
                park_id=form.park_id,
                voltage_kv=form.voltage_kv,
                capacity_kva=form.capacity_kva,
                annual_kwh=form.annual_kwh,
                pool_status=form.pool_status,  # pooled unless the sheet says otherwise
                pooled_on=date.today() if form.pool_status == PoolStatus.POOLED else None,
            )
            for contact in form.contacts:
                customer.contacts.append(
                    Contact(
                        name=contact.name or "联系人",
                        mobile=contact.mobile or None,
                        landline=contact.landline or None,
                    )
                )
            session.add(customer)
    return len(rows)


def report_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    english = language.startswith("en")
    return [
        f"{'row' if english else '第'} {p.row}{'' if english else ' 行'} · {p.en if english else p.zh}"
        for p in plan.problems
    ]


def _cell(row: Any, key: str) -> Any:
    """A value as the sheet shows it: coded columns with their Chinese label."""
    value = getattr(row, key, None)
    if key in CODED and value:
        try:
            return CODED[key][0](value).zh
        except ValueError:
            return value
    return value


def export_customers(store: Store, query: CustomerQuery, path: Path) -> int:
    """Write the customers matching ``query`` (as listed) to an .xlsx file; returns the count."""
    import openpyxl
    from openpyxl.styles import Font

    directory = CustomerDirectory(store)
    ids = directory.find_ids(query)
    book = openpyxl.Workbook(write_only=False)
    sheet = book.active
    sheet.title = "大客户清单"
    sheet.append([title for title, _ in EXPORT_COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for start in range(0, len(ids), 2000):
        rows = directory.rows(ids[start : start + 2000])
        for customer_id in ids[start : start + 2000]:
            row = rows[customer_id]
            sheet.append([_cell(row, key) for _title, key in EXPORT_COLUMNS])
    sheet.freeze_panes = "A2"
    from keyacct_desktop.security.files import atomic_write

    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
    return len(ids)
