"""Monthly figures per customer, imported from the marketing system's exports (营销系统).

The utility's marketing system exports one row per customer and billing month: 户号, 电费年月,
total and time-of-use kWh, the bill, the basic charge and how it is billed, max demand, power
factor, what was paid and what is still owed. A file holds one month (the month then comes
from the caller) or many (a 年月 column). Like the roster import, nothing is written until the
caller has seen the plan: every row is checked and each problem reported with its row number.

Re-importing a month is idempotent: a row whose figures are already stored is left alone, only
changed figures are written (and queued for sync), and columns the file does not have are never
blanked (nor are blank cells). Rows are written with Core statements in one transaction, and their change-log
entries with them (the ORM's flush hook would cost ~10x the time for 120,000 rows).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, insert, select, update

from keyacct_desktop.domain.billing import MONTH_PATTERN, add_months
from keyacct_desktop.domain.customer_values import account_value, fold, header_key, text_value
from keyacct_desktop.domain.economics import MonthFigures
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.roster.files import MAX_ROWS as ROSTER_MAX_ROWS
from keyacct_desktop.services.roster.files import read_sheets
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Customer, CustomerMonth, customer_month_id

#: Field → header spellings seen in marketing-system exports (compared without blanks/units).
HEADERS: dict[str, tuple[str, ...]] = {
    "account_no": ("户号", "用户编号", "客户编号", "用电户号"),
    "name": ("户名", "用户名称", "客户名称", "单位名称"),
    "month": ("电费年月", "账务年月", "结算年月", "抄表年月", "年月", "月份", "电费月份"),
    "kwh": ("总电量", "结算电量", "抄见电量", "合计电量", "用电量", "电量", "有功总电量"),
    "kwh_peak": ("峰电量", "高峰电量", "峰段电量"),
    "kwh_flat": ("平电量", "平段电量"),
    "kwh_valley": ("谷电量", "低谷电量", "谷段电量"),
    "bill_yuan": ("应收电费", "电费金额", "应收金额", "电费合计", "应收电费合计"),
    "basic_charge_yuan": ("基本电费",),
    "billing_mode": ("基本电费计费方式", "基本电费计收方式", "计费方式"),
    "declared_demand_kw": ("核定需量", "合同需量", "申报需量", "合同最大需量"),
    "max_demand_kw": ("最大需量", "实际最大需量", "抄见最大需量"),
    "power_factor": ("功率因数", "力率", "实际功率因数"),
    "paid_yuan": ("实收电费", "实收金额", "已缴金额", "缴费金额"),
    "arrears_yuan": ("欠费金额", "欠费余额", "欠费", "应收未收"),
    "overdue_days": ("欠费天数", "逾期天数"),
}
#: Chinese names of the figures, for problems and the preview.
LABELS: dict[str, str] = {
    "kwh": "总电量",
    "kwh_peak": "峰电量",
    "kwh_flat": "平电量",
    "kwh_valley": "谷电量",
    "bill_yuan": "应收电费",
    "basic_charge_yuan": "基本电费",
    "declared_demand_kw": "核定需量",
    "max_demand_kw": "最大需量",
    "power_factor": "功率因数",
    "paid_yuan": "实收电费",
    "arrears_yuan": "欠费金额",
    "overdue_days": "欠费天数",
    "billing_mode": "基本电费计费方式",
}
FIGURES = tuple(LABELS)
_CUSTOMER_MONTH = cast(Table, CustomerMonth.__table__)  # a mapped class's table is a Table
_PENDING_CHANGE = cast(Table, PendingChange.__table__)
#: Figures that may be negative (a prepaid balance shows as negative arrears).
SIGNED = frozenset({"arrears_yuan"})
MODES = {
    "按容量": "capacity",
    "容量": "capacity",
    "按变压器容量": "capacity",
    "capacity": "capacity",
    "按需量": "demand",
    "需量": "demand",
    "按最大需量": "demand",
    "按合同最大需量": "demand",
    "按实际最大需量": "demand",
    "demand": "demand",
}


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number as the spreadsheet shows it
    field: str
    zh: str
    en: str


@dataclass
class MonthRow:
    row: int
    customer_id: uuid.UUID
    account_no: str
    month: str
    values: dict[str, Any]


@dataclass
class MonthlyPlan:
    """What a file would import, and what of it is new, changed or already stored."""

    source: str
    header_row: int
    mapped: dict[str, str]  # field -> header as found
    rows: list[MonthRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    months: set[str] = field(default_factory=set)
    data_rows: int = 0  # non-blank rows under the header
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def bad_rows(self) -> set[int]:
        return {p.row for p in self.problems}

    @property
    def valid(self) -> list[MonthRow]:
        bad = self.bad_rows
        return [r for r in self.rows if r.row not in bad]


@dataclass(frozen=True)
class MonthlyResult:
    inserted: int
    updated: int
    unchanged: int
    skipped: int


# --------------------------------------------------------------------------- reading


def _key(text: Any) -> str:
    """A header as compared with the aliases (the roster import's folding), units dropped:
    "总电量(kWh)" and "总电量（千瓦时）" → "总电量"."""
    return re.sub(r"(kwh|kw|kva|千瓦时|千瓦|万元|元|天|%)$", "", header_key(text))


def read_rows(path: Path) -> list[list[Any]]:
    """The first sheet of an .xlsx/.xls or the rows of a .csv, read as the roster import reads
    them (encoding detection, Excel's tab-separated "Unicode text", old .xls)."""
    sheets = read_sheets(path)
    rows = next(iter(sheets.values()), [])
    if len(rows) > ROSTER_MAX_ROWS:
        raise UserError(
            f"文件超过 {ROSTER_MAX_ROWS} 行,请按月份分批导入",
            f"more than {ROSTER_MAX_ROWS} rows: import a few months at a time",
        )
    return rows


def find_header(rows: list[list[Any]]) -> tuple[int, dict[str, int], dict[str, str]]:
    aliases = {_key(a): f for f, names in HEADERS.items() for a in names}
    for index, row in enumerate(rows[:15]):
        columns: dict[str, int] = {}
        found: dict[str, str] = {}
        for position, cell in enumerate(row):
            name = aliases.get(_key(cell))
            if name and name not in columns:
                columns[name] = position
                found[name] = str(cell).strip()
        if "account_no" in columns and set(columns) & set(FIGURES):
            return index, columns, found
    raise UserError(
        "找不到表头:表格前 15 行中应有“户号”列和至少一列电量或电费",
        "no header row: the first 15 rows need an account-no. column and a figure column",
    )


def _text(value: Any) -> str:
    return text_value(value)


def parse_month(value: Any) -> str | None:
    """ "2026-10", "202610", "2026年10月", "2026/10", "2026.10" or an Excel date → "2026-10"."""
    if isinstance(value, datetime | date):
        return f"{value.year:04d}-{value.month:02d}"
    text = fold(_text(value))
    match = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?(?:[-/.]\d{1,2}日?)?", text)
    if not match:
        return None
    month = f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"
    return month if MONTH_PATTERN.match(month) else None


def parse_number(value: Any) -> float | None:
    """A figure as the exports write it: "1,234.5", "12.3万", "92%", "-50" → float.

    Raises ``ValueError`` when the cell is not a number.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    text = fold(_text(value)).replace(",", "")
    if not text or text in ("-", "--", "—"):
        return None
    factor = 1.0
    text = re.sub(r"(?i)(kwh|kw|kva|千瓦时|千瓦|元|天)$", "", text)
    if text.endswith("%"):
        text, factor = text[:-1], 0.01
    elif text.endswith("万"):
        text, factor = text[:-1], 10_000.0
    return float(text) * factor


# --------------------------------------------------------------------------- planning


def plan_monthly_import(store: Store, path: Path, month: str | None = None) -> MonthlyPlan:
    """Read and check a file; write nothing. ``month`` is used when the file has no 年月 column."""
    if month is not None and not MONTH_PATTERN.match(month):
        raise UserError(f"月份“{month}”应写成 YYYY-MM", f"month {month!r}: use YYYY-MM")
    rows = read_rows(path)
    header_index, columns, found = find_header(rows)
    if "month" not in columns and month is None:
        raise UserError(
            "文件中没有“电费年月”列,请指定导入的月份",
            "the file has no month column: say which month it is",
            field="month",
        )
    plan = MonthlyPlan(path.name, header_index + 1, found)
    with store.read() as session:
        accounts = dict(session.execute(select(Customer.account_no, Customer.id)).tuples().all())
    figure_columns = [f for f in FIGURES if f in columns]
    seen: dict[tuple[str, str], int] = {}
    for index, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        cells = {f: (row[c] if c < len(row) else None) for f, c in columns.items()}
        if not any(_text(v) for v in cells.values()):
            continue  # blank (trailing) rows
        plan.data_rows += 1
        problems: list[RowProblem] = []
        account = account_value(cells.get("account_no"))
        customer_id = accounts.get(account)
        if not account:
            problems.append(RowProblem(index, "account_no", "户号为空", "no account no."))
        elif customer_id is None:
            problems.append(
                RowProblem(
                    index,
                    "account_no",
                    f"户号 {account} 不在客户档案中",
                    f"account no. {account} is not a known customer",
                )
            )
        row_month = parse_month(cells["month"]) if "month" in columns else month
        if row_month is None:
            text = _text(cells.get("month"))
            problems.append(
                RowProblem(
                    index, "month", f"电费年月“{text}”无法识别", f"month {text!r} not understood"
                )
            )
        values = _figures(cells, figure_columns, index, problems)
        if row_month and account:
            key = (account, row_month)
            if key in seen:
                problems.append(
                    RowProblem(
                        index,
                        "account_no",
                        f"户号 {account} {row_month} 与第 {seen[key]} 行重复",
                        f"account no. {account} {row_month} repeats row {seen[key]}",
                    )
                )
            seen.setdefault(key, index)
        plan.problems.extend(problems)
        if customer_id is not None and row_month is not None:
            plan.rows.append(MonthRow(index, customer_id, account, row_month, values))
            plan.months.add(row_month)
    _compare_with_store(store, plan)
    return plan


def _figures(
    cells: dict[str, Any], names: list[str], row: int, problems: list[RowProblem]
) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        raw = cells.get(name)
        label = LABELS[name]
        if name == "billing_mode":
            text = _text(raw)
            mode = MODES.get(text.replace(" ", "").lower()) if text else None
            if not text:
                continue
            if mode is None:
                problems.append(
                    RowProblem(
                        row,
                        name,
                        f"{label}“{text}”无法识别(应为按容量或按需量)",
                        f"billing mode {text!r}: by capacity or by demand",
                    )
                )
            else:
                values[name] = mode
            continue
        try:
            number = parse_number(raw)
        except ValueError:
            problems.append(
                RowProblem(
                    row,
                    name,
                    f"{label}“{_text(raw)}”不是数字",
                    f"{name} {_text(raw)!r} is not a number",
                )
            )
            continue
        if number is None:
            continue  # a blank cell never blanks a stored figure
        if number < 0 and name not in SIGNED:
            problems.append(
                RowProblem(row, name, f"{label}不能为负数", f"{name} cannot be negative")
            )
            continue
        if name == "power_factor":
            if 20 <= number <= 100:
                number /= 100  # "92" meaning 0.92 (1 < x < 20 is a typo, not a percent)
            if not 0 < number <= 1:
                problems.append(
                    RowProblem(
                        row,
                        name,
                        f"功率因数“{_text(raw)}”应在 0 到 1 之间",
                        "power factor must lie in (0, 1]",
                    )
                )
                continue
        if name == "overdue_days":
            values[name] = round(number)
            continue
        values[name] = number
    parts = [values.get(k) for k in ("kwh_peak", "kwh_flat", "kwh_valley")]
    if "kwh" not in values and any(p is not None for p in parts) and "kwh" not in names:
        values["kwh"] = sum(p or 0.0 for p in parts)
    total = values.get("kwh")
    if total is not None and all(p is not None for p in parts):
        if sum(p or 0.0 for p in parts) > total * 1.01 + 1:
            problems.append(
                RowProblem(
                    row,
                    "kwh",
                    f"峰平谷电量之和 {sum(p or 0.0 for p in parts):,.0f} 大于总电量 {total:,.0f}",
                    "peak + flat + valley exceed the total kWh",
                )
            )
    return values


def _compare_with_store(store: Store, plan: MonthlyPlan) -> None:
    """Count the rows that are new, changed or already stored as they are."""
    stored = _stored(store, plan.months, [f for f in FIGURES if f in plan.mapped])
    for row in plan.rows:
        old = stored.get((row.customer_id, row.month))
        if old is None:
            plan.new += 1
        elif any(old.get(k) != v for k, v in row.values.items()):
            plan.changed += 1
        else:
            plan.unchanged += 1


def _stored(
    store: Store, months: Iterable[str], names: list[str]
) -> dict[tuple[uuid.UUID, str], dict[str, Any]]:
    """The stored figures ``names`` (and the row id) of every customer in ``months``."""
    columns = [getattr(CustomerMonth, f) for f in names]
    found: dict[tuple[uuid.UUID, str], dict[str, Any]] = {}
    with store.read() as session:
        for month in sorted(months):
            for row in session.execute(
                select(CustomerMonth.customer_id, CustomerMonth.id, *columns).where(
                    CustomerMonth.month == month
                )
            ):
                values = dict(zip(names, row[2:], strict=True))
                values["id"] = row[1]
                found[(row[0], month)] = values
    return found


# --------------------------------------------------------------------------- writing


def apply_monthly_import(
    store: Store,
    plan: MonthlyPlan,
    *,
    valid_only: bool,
    progress: Callable[[int, int], None] | None = None,
) -> MonthlyResult:
    """Write the plan in ONE transaction: new rows inserted, changed figures updated.

    Without ``valid_only`` a plan with any problem writes nothing and says so. Unchanged rows
    write nothing (no update, no change-log entry): re-importing a month is free.
    """
    if plan.problems and not valid_only:
        raise UserError(
            f"有 {len(plan.bad_rows)} 行有误,未导入任何数据(可选择只导入有效行)",
            f"{len(plan.bad_rows)} row(s) have problems; nothing was imported "
            "(choose valid rows only)",
        )
    rows = plan.valid
    stored = _stored(store, {r.month for r in rows}, [f for f in FIGURES if f in plan.mapped])
    now = utcnow()
    inserts: list[dict[str, Any]] = []
    updates: dict[frozenset[str], list[dict[str, Any]]] = {}
    changes: list[dict[str, Any]] = []
    unchanged = 0
    all_fields = ["id", "customer_id", "month", *FIGURES, "source"]
    for row in rows:
        old = stored.get((row.customer_id, row.month))
        if old is None:
            row_id = customer_month_id(row.customer_id, row.month)
            inserts.append(
                {
                    **dict.fromkeys(FIGURES),
                    **row.values,
                    "id": row_id,
                    "customer_id": row.customer_id,
                    "month": row.month,
                    "source": plan.source[:200],
                    "version": 0,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            changes.append(_change(row_id, all_fields, now))
            continue
        changed = {k: v for k, v in row.values.items() if old.get(k) != v}
        if not changed:
            unchanged += 1
            continue
        changed["source"] = plan.source[:200]
        updates.setdefault(frozenset(changed), []).append(
            {**changed, "_id": old["id"], "updated_at": now}
        )
        changes.append(_change(old["id"], sorted(changed), now))
    total = len(inserts) + sum(len(v) for v in updates.values())
    done = 0
    with store.begin() as session:
        for start in range(0, len(inserts), 5000):
            session.connection().execute(insert(_CUSTOMER_MONTH), inserts[start : start + 5000])
            done += len(inserts[start : start + 5000])
            if progress:
                progress(done, total)
        from sqlalchemy import bindparam

        for keys, batch in updates.items():
            statement = (
                update(_CUSTOMER_MONTH)
                .where(_CUSTOMER_MONTH.c.id == bindparam("_id"))
                .values({k: bindparam(k) for k in (*sorted(keys), "updated_at")})
            )
            for start in range(0, len(batch), 5000):
                session.connection().execute(statement, batch[start : start + 5000])
                done += len(batch[start : start + 5000])
                if progress:
                    progress(done, total)
        for start in range(0, len(changes), 5000):
            session.connection().execute(insert(_PENDING_CHANGE), changes[start : start + 5000])
    updated = sum(len(v) for v in updates.values())
    return MonthlyResult(len(inserts), updated, unchanged, len(plan.rows) - len(rows))


def _change(row_id: uuid.UUID, fields: list[str], now: datetime) -> dict[str, Any]:
    """A change-log entry exactly as the flush hook would write it (``store.changelog``)."""
    return {
        "op_id": uuid.uuid4(),
        "table_name": CustomerMonth.__tablename__,
        "row_id": row_id,
        "op": "upsert",
        "fields": fields,
        "attempts": 0,
        "created_at": now,
    }


def report_lines(plan: MonthlyPlan, language: str = "zh_CN") -> list[str]:
    english = language.startswith("en")
    return [
        f"row {p.row} · {p.en}" if english else f"第 {p.row} 行 · {p.zh}" for p in plan.problems
    ]


# --------------------------------------------------------------------------- reading back


@dataclass(frozen=True)
class MonthRecord:
    """One stored month, plain data for the GUI and the printouts."""

    month: str
    kwh: float | None
    kwh_peak: float | None
    kwh_flat: float | None
    kwh_valley: float | None
    bill_yuan: float | None
    basic_charge_yuan: float | None
    billing_mode: str | None
    declared_demand_kw: float | None
    max_demand_kw: float | None
    power_factor: float | None
    paid_yuan: float | None
    arrears_yuan: float | None
    overdue_days: int | None

    def figures(self) -> MonthFigures:
        return MonthFigures(
            self.month,
            self.kwh,
            self.bill_yuan,
            self.paid_yuan,
            self.arrears_yuan,
            self.overdue_days,
        )


def customer_history(
    store: Store, customer_id: uuid.UUID, *, last_month: str | None = None, months: int = 24
) -> list[MonthRecord]:
    """The customer's recorded months, oldest first: the ``months`` up to ``last_month``
    (default: up to the newest recorded month)."""
    columns = [getattr(CustomerMonth, f) for f in MonthRecord.__dataclass_fields__]
    with store.read() as session:
        if last_month is None:
            last_month = session.scalar(
                select(CustomerMonth.month)
                .where(CustomerMonth.customer_id == customer_id)
                .order_by(CustomerMonth.month.desc())
                .limit(1)
            )
            if last_month is None:
                return []
        first = add_months(last_month, -months + 1)
        rows = session.execute(
            select(*columns)
            .where(
                CustomerMonth.customer_id == customer_id,
                CustomerMonth.month >= first,
                CustomerMonth.month <= last_month,
            )
            .order_by(CustomerMonth.month)
        ).all()
    return [MonthRecord(*row) for row in rows]


def latest_month(store: Store) -> str | None:
    """The newest month any customer has figures for."""
    with store.read() as session:
        return session.scalar(
            select(CustomerMonth.month).order_by(CustomerMonth.month.desc()).limit(1)
        )
