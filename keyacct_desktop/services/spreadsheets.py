"""Customer rosters in and out of Excel/CSV, the way utilities really keep them.

Real sheets have a merged title row or two above the header, Chinese headers with several
spellings and the unit in brackets (``年用电量(万千瓦时)``), numbers typed as text with
full-width digits ("２，５００"), short forms (大工业, 一级, AAA级), a 序号 column, 合计 rows and
blank rows at the end. Every field is declared once in :mod:`keyacct_desktop.domain.customer_fields`
(labels, unit, aliases, export column); this module reads and writes through that table.

An import is planned first (:func:`plan_import`, nothing written): which column maps to which
field and which columns are ignored, the parks/grids/managers that would be created, every row
checked with the editor's rules and each problem reported with its Excel row number, and for a
customer already in the store (same 户号) the fields that would change. :func:`apply_import`
then writes the plan in ONE transaction, or nothing.

An export (:func:`export_customers`) writes every profile field: a workbook with the sheets
客户, 联系人 and 电源, which imports back into a fresh store field for field.
"""

from __future__ import annotations

import csv
import importlib
import io
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from keyacct_desktop.domain.codes import MOBILE_RE, normalize_phone, normalize_uscc
from keyacct_desktop.domain.customer_fields import (
    CONTACT_FIELDS,
    CONTACT_SHEET,
    CUSTOMER_FIELDS,
    CUSTOMER_SHEET,
    SOURCE_FIELDS,
    SOURCE_SHEET,
    CustomerField,
    ValueProblem,
    account_value,
    export_value,
    fold,
    header_key,
    industry_division,
    parse_bool,
    parse_code,
    parse_date,
    parse_int,
    parse_number,
    split_header,
    split_phones,
    text_value,
    unit_factor,
)
from keyacct_desktop.domain.enums import PoolStatus
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customer_profile import ContactForm, ProfileForm, SourceForm, check
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.changelog import sync_columns
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, PowerSource, User

MAX_ROWS = 200_000
HEADER_SEARCH_ROWS = 15
#: Labels of rows that add up the others (合计/小计/总计), skipped with a note.
TOTAL_RE = re.compile(r"^(合计|小计|总计|累计|汇总|总数|共计)")
#: Contact name recorded when a roster gives a phone but nobody's name.
UNNAMED_CONTACT = "未留姓名"
#: The profile fields a customer row writes besides the form (export/import round trip).
RECORD_ONLY = ("pooled_on", "pyramid_class", "pyramid_override", "pyramid_override_reason")
REFS = ("park", "grid", "manager")
INLINE_CONTACT = ("contact_name", "contact_phone", "contact_mobile", "contact_landline")

#: Kept for callers of the old importer: field → header spellings.
HEADERS: dict[str, tuple[str, ...]] = {f.key: (f.zh, *f.aliases) for f in CUSTOMER_FIELDS}
EXPORT_COLUMNS = tuple((f.column, f.key) for f in CUSTOMER_FIELDS if f.export)


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    field: str
    zh: str
    en: str
    sheet: str = ""  # "" for the customers' sheet
    customer_row: int | None = None  # the customer's row a contact/source problem blocks

    @property
    def blocks(self) -> int:
        return self.customer_row if self.customer_row is not None else self.row


@dataclass(frozen=True)
class RowNote:
    """Something the import did on purpose and says so (a 合计 row skipped, a number left out)."""

    row: int
    zh: str
    en: str
    sheet: str = ""


@dataclass(frozen=True)
class ColumnMapping:
    """One column of a sheet: the field it fills (None: ignored) and the unit of its header."""

    sheet: str
    position: int
    header: str
    field: str | None
    label_zh: str = ""
    label_en: str = ""
    unit: str = ""
    factor: float = 1.0
    reason_zh: str = ""  # why an ignored column is ignored
    reason_en: str = ""


@dataclass(frozen=True)
class FieldChange:
    field: str
    label_zh: str
    label_en: str
    old: str
    new: str


@dataclass
class PlannedRow:
    row: int
    form: ProfileForm
    park: str = ""
    grid: str = ""
    manager: str = ""
    record: dict[str, Any] = field(default_factory=dict)  # pooled_on, pyramid_* from the file
    provided: set[str] = field(default_factory=set)  # fields the file gives for this row
    pool_from_file: bool = False
    existing_id: uuid.UUID | None = None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportPlan:
    """What a file would import: mapping, rows, problems and changes, before anything is written."""

    source: str
    header_row: int
    columns: list[ColumnMapping] = field(default_factory=list)
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    notes: list[RowNote] = field(default_factory=list)
    new_parks: list[str] = field(default_factory=list)
    new_grids: list[str] = field(default_factory=list)
    new_managers: list[str] = field(default_factory=list)
    sheets: list[str] = field(default_factory=list)
    pool_column: bool = False
    today: date = field(default_factory=date.today)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (zh, en)

    @property
    def mapped(self) -> dict[str, str]:
        """Field → header as found (customers' sheet)."""
        return {c.field: c.header for c in self.columns if c.field and c.sheet == CUSTOMER_SHEET}

    @property
    def ignored(self) -> list[ColumnMapping]:
        return [c for c in self.columns if c.field is None]

    @property
    def bad_rows(self) -> set[int]:
        return {p.blocks for p in self.problems}

    @property
    def valid(self) -> list[PlannedRow]:
        bad = self.bad_rows
        return [r for r in self.rows if r.row not in bad]

    @property
    def new_refs(self) -> bool:
        return bool(self.new_parks or self.new_grids or self.new_managers)

    def counts(self) -> tuple[int, int, int]:
        """(new customers, updated customers, unchanged customers) among the valid rows."""
        new = updated = same = 0
        for row in self.valid:
            if row.existing_id is None:
                new += 1
            elif row.changes:
                updated += 1
            else:
                same += 1
        return new, updated, same


# ----------------------------------------------------------------------- reading files


def _decode(data: bytes) -> str:
    """UTF-16 (Excel's "Unicode text"), UTF-8 with or without BOM, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace")
    sample = data[:4000]
    if len(sample) >= 4 and sample.count(b"\x00") > len(sample) // 4:
        even = sample[0::2].count(b"\x00")
        odd = sample[1::2].count(b"\x00")
        return data.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", errors="replace")


def _csv_rows(data: bytes) -> list[list[Any]]:
    text = _decode(data).replace("\x00", "")
    head = text[:8000]  # Excel's "Unicode text" is tab-separated; title rows have neither
    delimiter = "\t" if head.count("\t") > head.count(",") else ","
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append(list(row))
        if len(rows) > MAX_ROWS:
            break
    return rows


XLS_HELP_ZH = (
    "请用 Excel 或 WPS 打开该文件,选择“文件 → 另存为”,保存类型选“Excel 工作簿(*.xlsx)”,"
    "再导入新保存的 .xlsx 文件"
)
XLS_HELP_EN = (
    "open it in Excel or WPS, choose File → Save As, type 'Excel Workbook (*.xlsx)', "
    "and import the saved .xlsx file"
)


def _xls_sheets(path: Path) -> dict[str, list[list[Any]]]:
    try:
        import xlrd
    except ImportError as error:  # pragma: no cover - xlrd is a dependency
        raise UserError(
            f"无法读取旧版 Excel 文件 {path.name}(.xls):{XLS_HELP_ZH}",
            f"cannot read the old Excel file {path.name} (.xls): {XLS_HELP_EN}",
        ) from error
    try:
        book = xlrd.open_workbook(str(path), on_demand=True)
    except Exception as error:  # xlrd raises many kinds for a damaged or disguised file
        raise UserError(
            f"无法读取 .xls 文件 {path.name}:文件已损坏或实为其他格式。{XLS_HELP_ZH}",
            f"cannot read {path.name}: damaged or not a real .xls file; {XLS_HELP_EN}",
        ) from error
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for sheet in book.sheets():
            rows = []
            for index in range(min(sheet.nrows, MAX_ROWS + 1)):
                values: list[Any] = []
                for cell in sheet.row(index):
                    if cell.ctype == xlrd.XL_CELL_DATE:
                        values.append(xlrd.xldate.xldate_as_datetime(cell.value, book.datemode))
                    elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        values.append(None)
                    else:
                        values.append(cell.value)
                rows.append(values)
            sheets[sheet.name] = rows
    finally:
        book.release_resources()
    return sheets


def _xlsx_sheets(path: Path) -> dict[str, list[list[Any]]]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise UserError(
            f"无法读取 Excel 文件 {path.name}:文件已损坏或不是 .xlsx 格式",
            f"cannot read {path.name}: damaged or not an .xlsx workbook ({type(error).__name__})",
        ) from error
    sheets: dict[str, list[list[Any]]] = {}
    try:
        for number, sheet in enumerate(book.worksheets):
            if number and sheet.title not in (CONTACT_SHEET, SOURCE_SHEET):
                continue  # a roster is its first sheet; an export adds contacts and sources
            rows = []
            for values in sheet.iter_rows(min_row=1, values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_ROWS:
                    break
            sheets[sheet.title] = rows
    finally:
        book.close()
    return sheets


def read_sheets(path: Path) -> dict[str, list[list[Any]]]:
    """Every sheet the importer reads, by name; the first one holds the customers."""
    suffix = path.suffix.lower()
    try:
        if suffix in (".xlsx", ".xlsm"):
            return _xlsx_sheets(path)
        if suffix == ".xls":
            return _xls_sheets(path)
        if suffix in (".csv", ".txt"):
            return {CUSTOMER_SHEET: _csv_rows(path.read_bytes())}
    except OSError as error:
        raise UserError(f"无法打开文件:{error}", f"cannot open the file: {error}") from error
    if suffix in (".et", ".ods", ".numbers"):
        raise UserError(
            f"不支持的文件类型“{path.suffix}”:请另存为 Excel 工作簿(.xlsx)后再导入",
            f"unsupported file type {path.suffix!r}: save it as an Excel workbook (.xlsx) first",
        )
    raise UserError(
        f"不支持的文件类型“{path.suffix}”:请使用 .xlsx、.xls 或 .csv",
        f"unsupported file type {path.suffix!r}: use .xlsx, .xls or .csv",
    )


# ----------------------------------------------------------------------- header mapping


def _alias_table(fields: Iterable[CustomerField]) -> dict[str, CustomerField]:
    table: dict[str, CustomerField] = {}
    for spec in fields:
        for alias in (spec.zh, *spec.aliases, spec.column):
            table.setdefault(header_key(alias), spec)
    return table


_ALIASES = {
    CUSTOMER_SHEET: _alias_table(CUSTOMER_FIELDS),
    CONTACT_SHEET: _alias_table(CONTACT_FIELDS),
    SOURCE_SHEET: _alias_table(SOURCE_FIELDS),
}


def _match_header(sheet: str, cell: Any) -> tuple[CustomerField | None, str]:
    """The field a header names and the unit it gives (whole header first, then name + unit)."""
    aliases = _ALIASES[sheet]
    spec = aliases.get(header_key(cell))
    if spec is not None:
        return spec, ""
    name, unit = split_header(cell)
    if unit:
        spec = aliases.get(header_key(name))
        if spec is not None:
            return spec, unit
    return None, ""


def _map_header(
    sheet: str, rows: list[list[Any]], needed: tuple[str, ...]
) -> tuple[int, list[ColumnMapping]]:
    best: tuple[int, int, list[ColumnMapping]] | None = None
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns: list[ColumnMapping] = []
        used: set[str] = set()
        for position, cell in enumerate(row):
            header = text_value(cell)
            if not header:
                continue
            spec, unit = _match_header(sheet, cell)
            if spec is None:
                columns.append(
                    ColumnMapping(
                        sheet,
                        position,
                        header,
                        None,
                        reason_zh="不是档案字段",
                        reason_en="not a profile field",
                    )
                )
                continue
            if spec.key in used:
                columns.append(
                    ColumnMapping(
                        sheet,
                        position,
                        header,
                        None,
                        reason_zh=f"与前面的“{spec.zh}”列重复",
                        reason_en=f"repeats the {spec.en} column",
                    )
                )
                continue
            factor = unit_factor(spec, unit)
            if factor is None:
                allowed = "、".join(_units_of(spec))
                raise UserError(
                    f"{sheet}表第 {index + 1} 行的列“{header}”:单位“{unit}”不适用于{spec.zh}"
                    f"(可用:{allowed})",
                    f"column {header!r}: unit {unit!r} does not fit {spec.en} (use {allowed})",
                )
            used.add(spec.key)
            columns.append(
                ColumnMapping(
                    sheet, position, header, spec.key, spec.zh, spec.en, unit or spec.unit, factor
                )
            )
        if all(n in used for n in needed):
            score = len(used)
            if best is None or score > best[1]:
                best = (index, score, columns)
    if best is None:
        raise UserError(
            f"找不到表头:{sheet}表前 {HEADER_SEARCH_ROWS} 行中应有“户号”和“户名/客户名称”两列",
            f"no header row: the first {HEADER_SEARCH_ROWS} rows need an account-no. and a name column",
        )
    return best[0], best[2]


def _units_of(spec: CustomerField) -> list[str]:
    from keyacct_desktop.domain.customer_fields import UNITS

    if spec.kind == "rate":
        return ["%"]
    return list(UNITS.get(spec.unit, {}))


# ----------------------------------------------------------------------- reading cells


def _is_total(row: list[Any]) -> bool:
    for cell in row[:4]:
        text = fold(cell)
        if text and TOTAL_RE.match(text):
            return True
    return False


def _read_value(spec: CustomerField, mapping: ColumnMapping, value: Any) -> Any:
    kind = spec.kind
    if kind in ("number", "rate"):
        return parse_number(spec, value, mapping.factor)
    if kind == "int":
        return parse_int(spec, value)
    if kind == "code":
        return parse_code(spec, value)
    if kind == "bool":
        return parse_bool(spec, value)
    if kind == "date":
        return parse_date(spec, value)
    if kind == "account":
        return account_value(value)
    if kind == "phone":
        return split_phones(value)
    return text_value(value)


def _cells(
    row: list[Any],
    columns: list[ColumnMapping],
    specs: dict[str, CustomerField],
    number: int,
    sheet: str,
    problems: list[RowProblem],
    customer_row: int | None = None,
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for mapping in columns:
        if mapping.field is None or mapping.position >= len(row):
            continue
        raw = row[mapping.position]
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        spec = specs[mapping.field]
        try:
            values[spec.key] = _read_value(spec, mapping, raw)
        except ValueProblem as problem:
            problems.append(
                RowProblem(number, spec.key, problem.zh, problem.en, sheet, customer_row)
            )
    if "industry" in values and not values.get("industry_detail"):
        # A division named in the industry column (化学原料和化学制品制造业): the profile keeps
        # its section, and the division as the detail, so nothing of the cell is lost.
        raw = next(row[m.position] for m in columns if m.field == "industry")
        division = industry_division(str(raw))
        if division:
            values["industry_detail"] = division
    return values


def _phones(values: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, str, list[str]]:
    """(mobile, landline, extra numbers) from every phone column: each number by its form."""
    mobile = landline = ""
    extra: list[str] = []
    for key in keys:
        for phone in values.get(key) or []:
            normalized = normalize_phone(phone)
            if MOBILE_RE.match(normalized):
                if not mobile:
                    mobile = normalized
                    continue
            elif not landline:
                landline = normalized
                continue
            extra.append(phone)
    return mobile, landline, extra


# ----------------------------------------------------------------------- planning


@dataclass
class _Lookups:
    parks: dict[str, uuid.UUID]
    grids: dict[str, uuid.UUID]
    managers: dict[str, uuid.UUID]
    accounts: dict[str, uuid.UUID]


def _lookups(store: Store) -> _Lookups:
    with store.read() as session:
        managers: dict[str, uuid.UUID] = {}
        for user_id, username, display_name in session.execute(
            select(User.id, User.username, User.display_name)
        ):
            managers.setdefault(display_name, user_id)
            managers.setdefault(username, user_id)
        return _Lookups(
            parks=dict(session.execute(select(Park.name, Park.id)).tuples().all()),
            grids=dict(session.execute(select(Grid.name, Grid.id)).tuples().all()),
            managers=managers,
            accounts=dict(session.execute(select(Customer.account_no, Customer.id)).tuples().all()),
        )


_FORM_FIELDS = set(ProfileForm.__dataclass_fields__)
_SPECS = {f.key: f for f in CUSTOMER_FIELDS}
_CONTACT_SPECS = {f.key: f for f in CONTACT_FIELDS}
_SOURCE_SPECS = {f.key: f for f in SOURCE_FIELDS}


def plan_import(
    store: Store,
    path: Path,
    *,
    progress: Callable[[int, int], None] | None = None,
    username: str = "",
) -> ImportPlan:
    """Read and check a file; write nothing.

    ``username``: the account this laptop syncs as; a manager is warned that the server takes
    parks, grids and accounts only from supervisors, and new customers only in their grids.
    """
    sheets = read_sheets(path)
    names = list(sheets)
    if not names or not sheets[names[0]]:
        raise UserError(f"文件 {path.name} 是空的", f"{path.name} is empty")
    customer_rows = sheets[names[0]]
    if len(customer_rows) > MAX_ROWS:
        raise UserError(
            f"文件超过 {MAX_ROWS} 行,请分批导入", f"more than {MAX_ROWS} rows: import in parts"
        )
    header_index, columns = _map_header(CUSTOMER_SHEET, customer_rows, ("account_no", "name"))
    plan = ImportPlan(path.name, header_index + 1, columns, sheets=[names[0]])
    plan.pool_column = any(c.field == "pool_status" for c in columns)
    lookups = _lookups(store)
    seen: dict[str, int] = {}
    by_account: dict[str, PlannedRow] = {}
    new_parks: dict[str, None] = {}
    new_grids: dict[str, None] = {}
    new_managers: dict[str, None] = {}
    total = len(customer_rows)
    for index in range(header_index + 1, total):
        row = customer_rows[index]
        number = index + 1
        if progress is not None and number % 2000 == 0:
            progress(number, total)
        if not any(c is not None and str(c).strip() for c in row):
            continue  # blank (trailing) rows
        if _is_total(row):
            plan.notes.append(RowNote(number, "合计/小计行,已跳过", "a totals row, skipped"))
            continue
        problems: list[RowProblem] = []
        values = _cells(row, columns, _SPECS, number, "", problems)
        planned = _planned_row(number, values, problems, plan)
        form = planned.form
        existing = lookups.accounts.get(form.account_no)
        planned.existing_id = existing
        if form.account_no in seen:
            problems.append(
                RowProblem(
                    number,
                    "account_no",
                    f"户号 {form.account_no} 与第 {seen[form.account_no]} 行重复",
                    f"account no. repeats row {seen[form.account_no]}",
                )
            )
        elif form.account_no:
            seen[form.account_no] = number
            by_account[form.account_no] = planned
        plan.rows.append(planned)
        plan.problems.extend(problems)
    for name, fields, attach in (
        (CONTACT_SHEET, CONTACT_FIELDS, _attach_contact),
        (SOURCE_SHEET, SOURCE_FIELDS, _attach_source),
    ):
        if name in sheets and name != names[0] and sheets[name]:
            plan.sheets.append(name)
            _plan_children(plan, name, sheets[name], fields, by_account, attach)
    _check_rows(store, plan)
    for planned in plan.valid:  # only rows that will be imported create anything
        for ref, known, new in (
            ("park", lookups.parks, new_parks),
            ("grid", lookups.grids, new_grids),
            ("manager", lookups.managers, new_managers),
        ):
            name = getattr(planned, ref)
            if name and name not in known:
                new[name] = None
    plan.new_parks = list(new_parks)
    plan.new_grids = list(new_grids)
    plan.new_managers = list(new_managers)
    if username and plan.valid:
        with store.read() as session:
            role = session.scalar(select(User.role).where(User.username == username))
        if role == "manager":
            plan.warnings.append(
                (
                    "您以客户经理身份同步:服务器只接受主管或管理员新建的园区、网格和客户经理,"
                    "也只接受您自己网格中的新客户。全辖档案请由主管导入,或先请主管建好园区和网格。",
                    "you sync as an account manager: the server takes new parks, grids and "
                    "managers only from supervisors or administrators, and new customers only in "
                    "your own grids; have a supervisor import the whole roster, or create the "
                    "parks and grids first",
                )
            )
    return plan


def _planned_row(
    number: int, values: dict[str, Any], problems: list[RowProblem], plan: ImportPlan
) -> PlannedRow:
    form = ProfileForm(pool_status="")
    record: dict[str, Any] = {}
    planned = PlannedRow(number, form, record=record, provided=set(values))
    for key, value in values.items():
        if key in REFS:
            setattr(planned, key, value)
        elif key in RECORD_ONLY:
            record[key] = value or None
        elif key in _FORM_FIELDS:
            setattr(form, key, value)
    form.uscc = normalize_uscc(form.uscc)
    planned.pool_from_file = bool(values.get("pool_status"))
    if not planned.pool_from_file:
        form.pool_status = PoolStatus.POOLED  # checked as pooled; apply uses the user's choice
    name = values.get("contact_name", "")
    mobile, landline, extra = _phones(
        values, ("contact_mobile", "contact_phone", "contact_landline")
    )
    if extra:
        plan.notes.append(
            RowNote(
                number,
                f"多余的电话 {'、'.join(extra)} 未导入(每位联系人一个手机、一个固定电话)",
                f"extra phone numbers {', '.join(extra)} not imported (one mobile, one landline)",
            )
        )
    if name or mobile or landline:
        if not name:
            name = UNNAMED_CONTACT
            plan.notes.append(
                RowNote(
                    number,
                    f"联系电话没有联系人姓名,记为“{UNNAMED_CONTACT}”",
                    f"a phone without a contact name, recorded as {UNNAMED_CONTACT!r}",
                )
            )
        form.contacts.append(
            ContactForm(name=name, mobile=mobile, landline=landline, is_primary=True)
        )
        planned.provided.add("contacts")
    return planned


def _attach_contact(
    planned: PlannedRow, values: dict[str, Any], note: Callable[[str, str], None]
) -> None:
    mobile, landline, extra = _phones(values, ("mobile", "phone", "landline"))
    if extra:
        note(f"多余的电话 {'、'.join(extra)} 未导入", f"extra phone numbers {extra} not imported")
    contacts = planned.form.contacts if "contact_sheet" in planned.provided else []
    contact = ContactForm(
        name=values.get("name") or UNNAMED_CONTACT,
        role=values.get("role") or "general",
        title=values.get("title", ""),
        mobile=mobile,
        landline=landline,
        last_verified=values.get("last_verified"),
        email=values.get("email", ""),
        is_primary=bool(values.get("is_primary")),
    )
    contacts.append(contact)
    planned.form.contacts = contacts
    planned.provided |= {"contacts", "contact_sheet"}


def _attach_source(
    planned: PlannedRow, values: dict[str, Any], _note: Callable[[str, str], None]
) -> None:
    sources = planned.form.power_sources
    sources.append(
        SourceForm(
            source_no=values.get("source_no") or len(sources) + 1,
            role=values.get("role") or ("main" if not sources else "backup"),
            voltage_kv=values.get("voltage_kv"),
            capacity_kva=values.get("capacity_kva"),
            substation=values.get("substation", ""),
            line=values.get("line", ""),
            bay=values.get("bay", ""),
            line_type=values.get("line_type", ""),
        )
    )
    planned.provided.add("power_sources")


def _plan_children(
    plan: ImportPlan,
    sheet: str,
    rows: list[list[Any]],
    fields: tuple[CustomerField, ...],
    by_account: dict[str, PlannedRow],
    attach: Callable[[PlannedRow, dict[str, Any], Callable[[str, str], None]], None],
) -> None:
    """A contacts or power-sources sheet: each row belongs to a customer by 户号."""
    needed = ("account_no", "name") if sheet == CONTACT_SHEET else ("account_no", "substation")
    header_index, columns = _map_header(sheet, rows, needed)
    plan.columns.extend(columns)
    specs = {f.key: f for f in fields}
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index + 1
        if not any(c is not None and str(c).strip() for c in row) or _is_total(row):
            continue
        account_column = next(c for c in columns if c.field == "account_no")
        account = (
            account_value(row[account_column.position])
            if account_column.position < len(row)
            else ""
        )
        planned = by_account.get(account)
        if planned is None:
            plan.problems.append(
                RowProblem(
                    number,
                    "account_no",
                    f"户号“{account}”不在客户表中",
                    f"account no. {account!r} is not on the customers' sheet",
                    sheet,
                    -number,  # blocks no customer, but is reported
                )
            )
            continue
        problems: list[RowProblem] = []
        values = _cells(row, columns, specs, number, sheet, problems, planned.row)
        plan.problems.extend(problems)

        def note(zh: str, en: str, number: int = number) -> None:
            plan.notes.append(RowNote(number, zh, en, sheet))

        attach(planned, values, note)


def _check_rows(store: Store, plan: ImportPlan) -> None:
    """The editor's rules for every row; for a customer in the store, the fields that change."""
    existing = _existing_forms(store, [r.existing_id for r in plan.rows if r.existing_id])
    reported: dict[int, set[str]] = {}  # a cell already refused is not refused twice
    for problem in plan.problems:
        if not problem.sheet:
            reported.setdefault(problem.row, set()).add(problem.field)
    for planned in plan.rows:
        form = planned.form
        if planned.existing_id is not None and planned.existing_id in existing:
            before, before_record, refs = existing[planned.existing_id]
            merged = _merge(before, planned)
            if not planned.pool_from_file:
                merged.pool_status = before.pool_status
            planned.changes = _changes(before, before_record, refs, merged, planned)
            planned.form = form = merged
        for problem in check(form, None):
            if problem.field not in reported.get(planned.row, ()):
                plan.problems.append(RowProblem(planned.row, problem.field, problem.zh, problem.en))


def _existing_forms(
    store: Store, ids: list[uuid.UUID]
) -> dict[uuid.UUID, tuple[ProfileForm, dict[str, Any], dict[str, str]]]:
    from keyacct_desktop.services.customer_profile import ProfileService

    if not ids:
        return {}
    service = ProfileService(store)
    result = {}
    with store.read() as session:
        names = {
            "park": dict(session.execute(select(Park.id, Park.name)).tuples().all()),
            "grid": dict(session.execute(select(Grid.id, Grid.name)).tuples().all()),
            "manager": dict(session.execute(select(User.id, User.display_name)).tuples().all()),
        }
        records = {
            row.id: row
            for start in range(0, len(ids), 500)
            for row in session.execute(
                select(Customer.id, *(getattr(Customer, k) for k in RECORD_ONLY)).where(
                    Customer.id.in_(ids[start : start + 500])
                )
            )
        }
    for customer_id in ids:
        form = service.load(customer_id)
        record_row = records[customer_id]
        record = {k: getattr(record_row, k) for k in RECORD_ONLY}
        refs = {
            "park": names["park"].get(form.park_id, "") if form.park_id else "",
            "grid": names["grid"].get(form.grid_id, "") if form.grid_id else "",
            "manager": names["manager"].get(form.manager_id, "") if form.manager_id else "",
        }
        result[customer_id] = (form, record, refs)
    return result


def _merge(before: ProfileForm, planned: PlannedRow) -> ProfileForm:
    """The stored profile with the fields the file gives replaced (others kept)."""
    merged = replace(
        before, contacts=list(before.contacts), power_sources=list(before.power_sources)
    )
    for key in planned.provided:
        if key in _FORM_FIELDS and key not in ("contacts", "power_sources"):
            setattr(merged, key, getattr(planned.form, key))
    if "contacts" in planned.provided:
        by_name = {c.name: c for c in before.contacts}
        merged.contacts = [
            replace(c, id=by_name[c.name].id) if c.name in by_name else c
            for c in planned.form.contacts
        ]
        if "contact_sheet" not in planned.provided:
            # a roster's one contact updates or joins the stored ones, never removes them
            given = {c.name for c in merged.contacts}
            merged.contacts += [
                replace(c, is_primary=False) for c in before.contacts if c.name not in given
            ]
    if "power_sources" in planned.provided:
        by_no = {s.source_no: s for s in before.power_sources}
        merged.power_sources = [
            replace(s, id=by_no[s.source_no].id) if s.source_no in by_no else s
            for s in planned.form.power_sources
        ]
    return merged


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.12g}"
    return str(value)


def _changes(
    before: ProfileForm,
    before_record: dict[str, Any],
    refs: dict[str, str],
    merged: ProfileForm,
    planned: PlannedRow,
) -> list[FieldChange]:
    changes: list[FieldChange] = []
    for spec in CUSTOMER_FIELDS:
        key = spec.key
        if key not in planned.provided:
            continue
        if key in REFS:
            old, new = refs[key], getattr(planned, key)
        elif key in RECORD_ONLY:
            old, new = before_record.get(key), planned.record.get(key)
        elif key in _FORM_FIELDS:
            old, new = getattr(before, key), getattr(merged, key)
        else:
            continue
        if (old or None) != (new or None) and not (old in (0, None, "") and new in (0, None, "")):
            shown_old, shown_new = export_value(spec, old), export_value(spec, new)
            if spec.kind == "rate":  # 0.915 → 91.5%
                shown_old, shown_new = (
                    None if v is None else f"{float(v) * 100:.10g}%"  # type: ignore[arg-type]
                    for v in (shown_old, shown_new)
                )
            changes.append(FieldChange(key, spec.zh, spec.en, _show(shown_old), _show(shown_new)))
    for key, zh, en, show in (
        ("contacts", "联系人", "contacts", _contact_text),
        ("power_sources", "电源", "power sources", _source_text),
    ):
        if key in planned.provided:
            old_text = "; ".join(sorted(show(x) for x in getattr(before, key)))
            new_text = "; ".join(sorted(show(x) for x in getattr(merged, key)))
            if old_text != new_text:
                changes.append(FieldChange(key, zh, en, old_text or "—", new_text or "—"))
    return changes


def _contact_text(c: ContactForm) -> str:
    role = _CONTACT_SPECS["role"]
    parts = [c.name, str(export_value(role, c.role) or ""), c.title, c.mobile, c.landline, c.email]
    parts.append(c.last_verified.isoformat() if c.last_verified else "")
    parts.append("主要" if c.is_primary else "")
    return " ".join(p for p in parts if p)


def _source_text(s: SourceForm) -> str:
    return " ".join(
        str(p)
        for p in (
            s.source_no,
            export_value(_SOURCE_SPECS["role"], s.role) or "",
            _show(s.voltage_kv),
            _show(s.capacity_kva),
            s.substation,
            s.line,
            s.bay,
            export_value(_SOURCE_SPECS["line_type"], s.line_type) or "",
        )
        if p not in ("", None, "—")
    )


# ----------------------------------------------------------------------- applying


def import_note(plan: ImportPlan) -> str:
    """The evaluation note of customers a roster put into the pool."""
    return f"批量导入 {plan.source} {plan.today.isoformat()}"


def apply_import(
    store: Store,
    plan: ImportPlan,
    *,
    valid_only: bool,
    create_refs: bool = False,
    pool_status: str = PoolStatus.POOLED,
) -> int:
    """Write the plan in ONE transaction: every row, or (``valid_only``) the valid ones.

    Without ``valid_only`` a plan with any problem imports nothing and says so. Parks, grids
    and managers the store does not know are created only with ``create_refs`` (the user
    confirmed the list the preview showed). Rows without a pool-status column get
    ``pool_status``; customers entering the pool get the note "批量导入 <file> <date>".
    Returns the number of customers created or updated.
    """
    if plan.problems and not valid_only:
        raise UserError(
            f"有 {len(plan.bad_rows)} 行有误,未导入任何数据(可选择只导入有效行)",
            f"{len(plan.bad_rows)} row(s) have problems; nothing was imported (choose valid rows only)",
        )
    if pool_status not in {s.value for s in PoolStatus}:
        raise UserError(f"入池状态“{pool_status}”无效", f"invalid pool status {pool_status!r}")
    rows = [r for r in plan.valid if r.existing_id is None or r.changes]
    if plan.new_refs and not create_refs:
        missing = "、".join([*plan.new_parks, *plan.new_grids, *plan.new_managers])
        raise UserError(
            f"以下园区/网格/客户经理尚不存在:{missing}。确认创建它们后再导入"
            "(命令行加 --create-parks),未导入任何数据",
            f"these parks/grids/managers do not exist yet: {missing}; confirm creating them "
            "(--create-parks on the command line); nothing was imported",
        )
    if pool_status != PoolStatus.POOLED:
        gridded = [r.row for r in rows if not r.pool_from_file and r.grid and r.existing_id is None]
        if gridded:
            raise UserError(
                f"{len(gridded)} 行填有网格(如第 {gridded[0]} 行),只有已入池的客户能划入网格:"
                "请选择“已入池”,或删去网格列后再导入",
                f"{len(gridded)} row(s) have a grid (e.g. row {gridded[0]}); only pooled customers "
                "are placed in a grid: choose 'pooled' or remove the grid column",
            )
    note = import_note(plan)
    with store.begin() as session:
        refs = _create_refs(session, plan)
        new_rows = [r for r in rows if r.existing_id is None]
        _insert_new(session, new_rows, refs, pool_status, note, plan.today)
        updates = [r for r in rows if r.existing_id is not None]
        if updates:
            _update_existing(session, updates, refs, note, plan.today)
    return len(rows)


def _create_refs(session: Any, plan: ImportPlan) -> dict[str, dict[str, uuid.UUID]]:
    refs = {
        "park": dict(session.execute(select(Park.name, Park.id)).tuples().all()),
        "grid": dict(session.execute(select(Grid.name, Grid.id)).tuples().all()),
        "manager": {},
    }
    for user_id, username, display_name in session.execute(
        select(User.id, User.username, User.display_name)
    ):
        refs["manager"].setdefault(display_name, user_id)
        refs["manager"].setdefault(username, user_id)
    for name in plan.new_parks:
        if name not in refs["park"]:
            park = Park(name=name, note=f"{import_note(plan)} 时创建")
            session.add(park)
            refs["park"][name] = park.id
    for name in plan.new_managers:
        if name not in refs["manager"]:
            username = name
            suffix = 1
            while session.scalar(select(User.id).where(User.username == username)) is not None:
                suffix += 1
                username = f"{name}{suffix}"
            user = User(username=username, display_name=name, role="manager", active=True)
            session.add(user)
            refs["manager"][name] = user.id
    grid_managers: dict[str, str] = {}
    for row in plan.valid:
        if row.grid and row.manager:
            grid_managers.setdefault(row.grid, row.manager)
    for name in plan.new_grids:
        if name not in refs["grid"]:
            manager = grid_managers.get(name)
            grid = Grid(
                name=name,
                manager_id=refs["manager"].get(manager) if manager else None,
                note=f"{import_note(plan)} 时创建",
            )
            session.add(grid)
            refs["grid"][name] = grid.id
    session.flush()
    return refs


_CUSTOMER_COLUMNS = sync_columns(Customer)
_CONTACT_COLUMNS = sync_columns(Contact)
_SOURCE_COLUMNS = sync_columns(PowerSource)
_CUSTOMER_TEXT = (
    "address",
    "industry",
    "industry_detail",
    "tariff",
    "metering",
    "important_grade",
    "load_grade",
    "credit_rating",
    "emergency_power",
    "pool_note",
    "lead_source",
    "notes",
)
_CUSTOMER_VALUES = (
    "voltage_kv",
    "capacity_kva",
    "annual_kwh",
    "annual_profit_yuan",
    "emergency_power_kw",
    "recovery_rate",
    "on_time_rate",
    "overdue_count",
    "overdue_days_max",
    "violation_count",
    "high_energy",
    "consumption_growth",
    "operating_trouble",
    "risk_updated_on",
)


def _customer_values(
    planned: PlannedRow,
    refs: dict[str, dict[str, uuid.UUID]],
    pool_status: str,
    note: str,
    today: date,
) -> dict[str, Any]:
    form = planned.form
    status = form.pool_status if planned.pool_from_file else pool_status
    values: dict[str, Any] = {
        "account_no": form.account_no.strip(),
        "name": form.name.strip(),
        "uscc": normalize_uscc(form.uscc) or None,
        "park_id": refs["park"].get(planned.park) if planned.park else None,
        "grid_id": refs["grid"].get(planned.grid) if planned.grid else None,
        "manager_id": refs["manager"].get(planned.manager) if planned.manager else None,
        "pool_status": status,
    }
    for key in _CUSTOMER_TEXT:
        values[key] = (getattr(form, key) or "").strip() or None
    for key in _CUSTOMER_VALUES:
        values[key] = getattr(form, key)
    record = planned.record
    values["pooled_on"] = record.get("pooled_on") or (
        today if status == PoolStatus.POOLED else None
    )
    if status != PoolStatus.POOLED:
        values["pooled_on"] = record.get("pooled_on") if status == PoolStatus.EXITED else None
    if (
        not values["pool_note"]
        and not planned.pool_from_file
        and status in (PoolStatus.POOLED, PoolStatus.EVALUATING)
    ):
        values["pool_note"] = note  # the user's choice for the whole import, on record
    for key in ("pyramid_class", "pyramid_override", "pyramid_override_reason"):
        values[key] = record.get(key) or None
    return values


def _insert_new(
    session: Any,
    rows: list[PlannedRow],
    refs: dict[str, dict[str, uuid.UUID]],
    pool_status: str,
    note: str,
    today: date,
) -> None:
    """New customers with Core inserts (a 50,000-row roster in seconds), change log included."""
    from keyacct_desktop.store.base import utcnow

    now = utcnow()
    stamp = {"version": 0, "created_at": now, "updated_at": now}
    customers: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for planned in rows:
        customer_id = uuid.uuid4()
        values = _customer_values(planned, refs, pool_status, note, today)
        customers.append({"id": customer_id, "status": "active", **stamp, **values})
        for contact in planned.form.contacts:
            contacts.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer_id,
                    "name": contact.name.strip(),
                    "role": contact.role or "general",
                    "title": contact.title.strip() or None,
                    "mobile": normalize_phone(contact.mobile) or None,
                    "landline": normalize_phone(contact.landline) or None,
                    "email": contact.email.strip() or None,
                    "last_verified": contact.last_verified,
                    "is_primary": contact.is_primary,
                    **stamp,
                }
            )
        for source in planned.form.power_sources:
            sources.append(
                {
                    "id": uuid.uuid4(),
                    "customer_id": customer_id,
                    "source_no": source.source_no,
                    "role": source.role,
                    "voltage_kv": source.voltage_kv,
                    "capacity_kva": source.capacity_kva,
                    "substation": source.substation.strip(),
                    "line": source.line.strip(),
                    "bay": source.bay.strip() or None,
                    "line_type": source.line_type or None,
                    **stamp,
                }
            )
    changes = [
        {
            "op_id": uuid.uuid4(),
            "table_name": model.__tablename__,
            "row_id": r["id"],
            "op": "upsert",
            "fields": columns,
            "attempts": 0,
            "created_at": now,
        }
        for model, table_rows, columns in (
            (Customer, customers, _CUSTOMER_COLUMNS),
            (Contact, contacts, _CONTACT_COLUMNS),
            (PowerSource, sources, _SOURCE_COLUMNS),
        )
        for r in table_rows
    ]
    # Core on the tables: one executemany each (the ORM's bulk path goes row by row).
    for start in range(0, len(changes), 5000):
        session.execute(PendingChange.__table__.insert(), changes[start : start + 5000])
    if len(customers) >= BULK_INDEX_ROWS:
        with _search_index_rebuilt_after(session):
            _insert_tables(session, (Customer, customers), (Contact, contacts))
    else:
        # Contacts before their customers, foreign keys checked at commit (the transaction
        # is open now): the customer's insert trigger then writes its search document once,
        # contacts included, instead of each contact's trigger rewriting it; same index.
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        deferred = session.execute(text("PRAGMA defer_foreign_keys")).scalar() == 1
        pairs = ((Contact, contacts), (Customer, customers))
        _insert_tables(session, *(pairs if deferred else pairs[::-1]))
    _insert_tables(session, (PowerSource, sources))


def _insert_tables(session: Any, *tables: tuple[Any, list[dict[str, Any]]]) -> None:
    for model, table_rows in tables:
        for start in range(0, len(table_rows), 5000):
            session.execute(model.__table__.insert(), table_rows[start : start + 5000])


#: From this many new customers the search index is written once for all of them instead of
#: by the insert triggers row by row (about a third of a big import's writing time).
BULK_INDEX_ROWS = 2000
#: The search-index triggers of migration 0008 (``store/migrations/versions``).
SEARCH_TRIGGERS = frozenset(
    {
        "customer_search_ai",
        "customer_search_au",
        "customer_search_bd",
        "contact_search_insert",
        "contact_search_delete",
        "contact_search_update",
    }
)


@contextmanager
def _search_index_rebuilt_after(session: Any) -> Iterator[None]:
    """Inside: inserts into customer/contact without the search triggers; after: the
    documents and grams of the new customers written in two set-based statements, with the
    expressions the triggers use (migration 0008), and the triggers put back as they were.
    All in the import's transaction: a failure rolls the triggers back too. A store whose
    triggers are not the known ones keeps them (row by row, same result).
    """
    triggers = session.execute(
        text("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
    ).all()
    known = {name: sql for name, sql in triggers if name in SEARCH_TRIGGERS}
    if set(known) != SEARCH_TRIGGERS:
        yield
        return
    index = importlib.import_module(
        "keyacct_desktop.store.migrations.versions.0008_customer_list_indexes"
    )
    last = session.execute(text("SELECT coalesce(max(rowid), 0) FROM customer")).scalar()
    for name in known:
        session.execute(text(f"DROP TRIGGER {name}"))
    yield
    session.execute(
        text(
            f"INSERT INTO customer_search(rowid, body) SELECT c.rowid, {index.BODY} "
            "FROM customer c WHERE c.rowid > :last"
        ),
        {"last": last},
    )
    session.execute(
        text(
            f"INSERT INTO customer_grams(rowid, grams) SELECT d.rowid, {index.GRAMS} FROM "
            "(SELECT rowid AS rowid, lower(body) AS t FROM customer_search "
            "WHERE rowid > :last) d"
        ),
        {"last": last},
    )
    for sql in known.values():
        session.execute(text(sql))


def _update_existing(
    session: Any,
    rows: list[PlannedRow],
    refs: dict[str, dict[str, uuid.UUID]],
    note: str,
    today: date,
) -> None:
    """Customers already in the store (same 户号): the fields the file gives, through the ORM."""
    from keyacct_desktop.services.customer_profile import _matched_children

    ids = [r.existing_id for r in rows]
    customers = {
        c.id: c
        for c in session.scalars(
            select(Customer)
            .where(Customer.id.in_(ids))
            .options(selectinload(Customer.contacts), selectinload(Customer.power_sources))
        )
    }
    for planned in rows:
        customer = customers[planned.existing_id]
        form = planned.form
        changed = {c.field for c in planned.changes}
        values = _customer_values(planned, refs, customer.pool_status, note, today)
        for key, value in values.items():
            field_key = {"park_id": "park", "grid_id": "grid", "manager_id": "manager"}.get(
                key, key
            )
            if field_key in changed:
                setattr(customer, key, value)
        if "pool_status" in changed:
            if form.pool_status == PoolStatus.POOLED and "pooled_on" not in changed:
                customer.pooled_on = today
            if form.pool_status == PoolStatus.POOLED and not customer.pool_note:
                customer.pool_note = note
        if "contacts" in changed:
            for contact, target in _matched_children(
                session, customer.contacts, form.contacts, lambda c: Contact(name=c.name.strip())
            ):
                target.name = contact.name.strip()
                target.role = contact.role
                target.title = contact.title.strip() or None
                target.mobile = normalize_phone(contact.mobile) or None
                target.landline = normalize_phone(contact.landline) or None
                target.email = contact.email.strip() or None
                target.last_verified = contact.last_verified
                target.is_primary = contact.is_primary
        if "power_sources" in changed:
            for source, record in _matched_children(
                session, customer.power_sources, form.power_sources, lambda _s: PowerSource()
            ):
                record.source_no = source.source_no
                record.role = source.role
                record.voltage_kv = source.voltage_kv
                record.capacity_kva = source.capacity_kva
                record.substation = source.substation.strip()
                record.line = source.line.strip()
                record.bay = source.bay.strip() or None
                record.line_type = source.line_type or None


# ----------------------------------------------------------------------- reports


def _where(sheet: str, row: int, english: bool) -> str:
    if english:
        return f"{sheet + ' ' if sheet else ''}row {row}"
    return f"{sheet + '表' if sheet else ''}第 {row} 行"


def report_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """Every problem, in the language of the UI, with its sheet and Excel row number."""
    english = language.startswith("en")
    return [
        f"{_where(p.sheet, p.row, english)} · {p.en if english else p.zh}" for p in plan.problems
    ]


def note_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    english = language.startswith("en")
    return [f"{_where(n.sheet, n.row, english)} · {n.en if english else n.zh}" for n in plan.notes]


def mapping_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """Column → field (with the unit converted), then the columns ignored and why."""
    english = language.startswith("en")
    lines = []
    for c in plan.columns:
        sheet = f"[{c.sheet}] " if c.sheet != CUSTOMER_SHEET else ""
        if c.field is None:
            continue
        label = c.label_en if english else c.label_zh
        unit = (
            f" ({c.unit}{', ×' + format(c.factor, 'g') if c.factor != 1 else ''})" if c.unit else ""
        )
        lines.append(f"{sheet}{c.header} → {label}{unit}")
    return lines


def summary_lines(plan: ImportPlan, language: str = "zh_CN") -> list[str]:
    """The preview as text (``keyacct import --dry-run`` prints it; the dialog shows the same)."""
    english = language.startswith("en")
    new, updated, same = plan.counts()
    lines = []
    if english:
        lines.append(
            f"{plan.source}: header in row {plan.header_row}; {len(plan.rows)} data rows, "
            f"{len(plan.valid)} valid, {len(plan.bad_rows & {r.row for r in plan.rows})} with problems"
        )
        lines.append(f"  new customers: {new}, updated: {updated}, unchanged: {same}")
        lines.append("columns:")
    else:
        lines.append(
            f"{plan.source}:表头在第 {plan.header_row} 行;{len(plan.rows)} 行数据,"
            f"{len(plan.valid)} 行有效,{len(plan.bad_rows & {r.row for r in plan.rows})} 行有误"
        )
        lines.append(f"  新建客户 {new} 户,更新 {updated} 户,无变化 {same} 户")
        lines.append("列对应:")
    lines += [f"  {line}" for line in mapping_lines(plan, language)]
    ignored = plan.ignored
    if ignored:
        lines.append("ignored columns:" if english else "忽略的列:")
        for c in ignored:
            sheet = f"[{c.sheet}] " if c.sheet != CUSTOMER_SHEET else ""
            lines.append(f"  {sheet}{c.header} ({c.reason_en if english else c.reason_zh})")
    for names, zh, en in (
        (plan.new_parks, "将新建园区", "parks to create"),
        (plan.new_grids, "将新建网格", "grids to create"),
        (plan.new_managers, "将新建客户经理", "managers to create"),
    ):
        if names:
            lines.append(f"{en}: {', '.join(names)}" if english else f"{zh}:{'、'.join(names)}")
    for zh, en in plan.warnings:
        lines.append(f"note: {en}" if english else f"注意:{zh}")
    if not plan.pool_column:
        lines.append(
            "no pool-status column: the status chosen for the import applies"
            if english
            else "没有入池状态列:按导入时选择的状态,评估意见记为“" + import_note(plan) + "”"
        )
    changed = [r for r in plan.valid if r.existing_id is not None and r.changes]
    if changed:
        lines.append("changes:" if english else "将更新的字段:")
        for row in changed:
            for change in row.changes:
                label = change.label_en if english else change.label_zh
                lines.append(
                    f"  {_where('', row.row, english)} {row.form.account_no} "
                    f"{label}: {change.old} → {change.new}"
                )
    if plan.notes:
        lines.append("notes:" if english else "说明:")
        lines += [f"  {line}" for line in note_lines(plan, language)]
    return lines


# ----------------------------------------------------------------------- export


def _sheet_header(sheet: Any, fields: tuple[CustomerField, ...]) -> list[CustomerField]:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    specs = [f for f in fields if f.export]
    bold = Font(bold=True)
    cells = []
    for spec in specs:
        cell = WriteOnlyCell(sheet, value=spec.column)
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)
    sheet.freeze_panes = "A2"
    return specs


def _out(sheet: Any, spec: CustomerField, value: Any) -> Any:
    """A cell as exported: codes by label, 户号 as text, rates as a fraction shown in %."""
    value = export_value(spec, value)
    if spec.kind == "account" and value is not None:
        return str(value)
    if spec.kind == "rate" and value is not None:
        from openpyxl.cell import WriteOnlyCell

        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "0.00%"  # 0.9725 shows as 97.25%; the value stays exact
        return cell
    return value


def export_customers(store: Store, query: CustomerQuery, path: Path) -> int:
    """Write every profile field of the customers matching ``query`` to an .xlsx workbook.

    Sheets 客户 (one row per customer), 联系人 and 电源 (one row each, by 户号); the
    workbook imports back through :func:`plan_import`. Returns the number of customers.
    """
    import openpyxl

    from keyacct_desktop.security.files import atomic_write

    ids = CustomerDirectory(store).find_ids(query)
    book = openpyxl.Workbook(write_only=True)
    customers = book.create_sheet(CUSTOMER_SHEET)
    contacts = book.create_sheet(CONTACT_SHEET)
    sources = book.create_sheet(SOURCE_SHEET)
    customer_specs = _sheet_header(customers, CUSTOMER_FIELDS)
    contact_specs = _sheet_header(contacts, CONTACT_FIELDS)
    source_specs = _sheet_header(sources, SOURCE_FIELDS)
    with store.read() as session:
        names = {
            "park": dict(session.execute(select(Park.id, Park.name)).tuples().all()),
            "grid": dict(session.execute(select(Grid.id, Grid.name)).tuples().all()),
            "manager": dict(session.execute(select(User.id, User.display_name)).tuples().all()),
        }
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            loaded = {
                c.id: c
                for c in session.scalars(
                    select(Customer)
                    .where(Customer.id.in_(chunk))
                    .options(selectinload(Customer.contacts), selectinload(Customer.power_sources))
                )
            }
            for customer_id in chunk:
                customer = loaded[customer_id]
                refs = {
                    "park": names["park"].get(customer.park_id),
                    "grid": names["grid"].get(customer.grid_id),
                    "manager": names["manager"].get(customer.manager_id),
                }
                customers.append(
                    [
                        _out(
                            customers,
                            s,
                            refs[s.key] if s.key in REFS else getattr(customer, s.key),
                        )
                        for s in customer_specs
                    ]
                )
                for contact in sorted(customer.contacts, key=lambda k: (not k.is_primary, k.name)):
                    contacts.append(
                        [
                            _out(
                                contacts,
                                s,
                                customer.account_no
                                if s.key == "account_no"
                                else getattr(contact, s.key),
                            )
                            for s in contact_specs
                        ]
                    )
                for source in customer.power_sources:
                    sources.append(
                        [
                            _out(
                                sources,
                                s,
                                customer.account_no
                                if s.key == "account_no"
                                else getattr(source, s.key),
                            )
                            for s in source_specs
                        ]
                    )
    buffer = io.BytesIO()
    book.save(buffer)
    atomic_write(path, buffer.getvalue())
    return len(ids)
