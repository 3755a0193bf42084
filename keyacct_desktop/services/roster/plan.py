"""Planning a roster import: headers mapped to fields, cells read, rows checked, and for a
customer already in the store the fields that would change. Nothing is written here
(``roster.apply`` writes a plan)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.codes import MOBILE_RE, normalize_phone, normalize_uscc
from keyacct_desktop.domain.customer_fields import (
    CONTACT_FIELDS,
    CONTACT_SHEET,
    CUSTOMER_FIELDS,
    CUSTOMER_SHEET,
    SOURCE_FIELDS,
    SOURCE_SHEET,
    CustomerField,
)
from keyacct_desktop.domain.customer_values import (
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
from keyacct_desktop.services.roster.files import MAX_ROWS, read_sheets
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park, User

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

    def column_of(self, problem: RowProblem) -> ColumnMapping | None:
        """The file's column a problem is about (``None``: the row as a whole)."""
        sheet = problem.sheet or CUSTOMER_SHEET
        found = {c.field: c for c in self.columns if c.field and c.sheet == sheet}
        for key in _column_keys(problem.field, bool(problem.sheet)):
            if key in found:
                return found[key]
        return None

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
    from keyacct_desktop.domain.customer_values import UNITS

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


def _column_keys(key: str, child_sheet: bool) -> tuple[str, ...]:
    """The fields whose column a problem's field names: ``contacts.1.landline`` on the
    customers' sheet is the inline 联系电话 column; ``grid_id`` is the 网格 column."""
    parts = key.split(".")
    if parts[0] == "contacts" and len(parts) == 3 and not child_sheet:
        inline = {"name": ("contact_name",), "mobile": ("contact_mobile", "contact_phone")}
        inline["landline"] = ("contact_landline", "contact_phone")
        return inline.get(parts[2], ())
    last = parts[-1]
    return (key, last, last.removesuffix("_id"))


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
    sheet_order = {name: n for n, name in enumerate(("", *plan.sheets[1:]))}
    plan.problems.sort(key=lambda p: (sheet_order.get(p.sheet, len(sheet_order)), p.row))
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
        for found in check(form, None):
            if found.field not in reported.get(planned.row, ()):
                plan.problems.append(RowProblem(planned.row, found.field, found.zh, found.en))


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
    old: Any
    new: Any
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


# ----------------------------------------------------------------------- export
