"""Monthly figures imported from the marketing system's exports: preview, per-row report,
idempotent re-import, change log for sync, the CLI, and 24 months x 5,000 customers."""

from __future__ import annotations

import csv
import uuid
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, insert, select

from keyacct_desktop import cli
from keyacct_desktop.domain.billing import month_span
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.monthly_history import (
    apply_monthly_import,
    customer_history,
    parse_month,
    parse_number,
    plan_monthly_import,
    report_lines,
)
from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Customer, CustomerMonth, customer_month_id


def add_customers(store: Store, count: int) -> dict[str, uuid.UUID]:
    rows = [
        {
            "id": uuid.uuid4(),
            "account_no": f"31{n:08d}",
            "name": f"客户{n}",
            "capacity_kva": 1000.0,
            "version": 0,
            "overdue_count": 0,
            "overdue_days_max": 0,
            "violation_count": 0,
            "high_energy": False,
            "operating_trouble": False,
            "pool_status": "pooled",
            "status": "active",
        }
        for n in range(count)
    ]
    with store.begin() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(Customer), rows[start : start + 5000])
    return {r["account_no"]: r["id"] for r in rows}


def pending(store: Store) -> int:
    with store.read() as session:
        return int(
            session.scalar(
                select(func.count())
                .select_from(PendingChange)
                .where(PendingChange.table_name == "customer_month")
            )
            or 0
        )


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年10月 大客户电费明细(营销系统导出)"])  # a title row above the header
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


HEADER = [
    "户号",
    "户名",
    "电费年月",
    "总电量(kWh)",
    "峰电量",
    "平电量",
    "谷电量",
    "应收电费(元)",
    "基本电费",
    "基本电费计费方式",
    "核定需量",
    "最大需量(kW)",
    "功率因数",
    "实收电费",
    "欠费金额",
    "欠费天数",
]


def test_parsing_of_cells() -> None:
    assert parse_month("2026年3月") == "2026-03"
    assert parse_month("202603") == "2026-03"
    assert parse_month("2026/03") == "2026-03"
    assert parse_month("2026-13") is None
    assert parse_number("1,234.5") == 1234.5
    assert parse_number("12.3万") == pytest.approx(123_000)
    assert parse_number("92%") == pytest.approx(0.92)
    assert parse_number(" ") is None
    with pytest.raises(ValueError):
        parse_number("一千")


def test_xlsx_preview_reports_each_bad_row_and_imports_nothing(store: Store, tmp_path) -> None:
    ids = add_customers(store, 3)
    path = write_xlsx(
        tmp_path / "202610.xlsx",
        [
            HEADER,
            [
                "3100000000",
                "客户0",
                "2026年10月",
                "120,000",
                50000,
                40000,
                30000,
                "78,000.50",
                28000,
                "按容量",
                None,
                450,
                0.93,
                78000.5,
                0,
                0,
            ],
            [
                "3100000001",
                "客户1",
                "202610",
                80000,
                None,
                None,
                None,
                52000,
                16800,
                "按需量",
                400,
                380,
                "91%",
                40000,
                12000,
                12,
            ],
            [
                "3199999999",
                "无此户",
                "2026-10",
                1000,
                None,
                None,
                None,
                600,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "3100000002",
                "客户2",
                "2026-10",
                "一万",
                None,
                None,
                None,
                -5,
                None,
                "按面积",
                None,
                None,
                1.7,
                None,
                None,
                None,
            ],
            [
                "3100000000",
                "客户0",
                "2026-10",
                1,
                None,
                None,
                None,
                1,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [
                "3100000001",
                "客户1",
                "2026-10",
                10,
                50,
                40,
                30,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
            ],
            [None] * 16,
        ],
    )
    plan = plan_monthly_import(store, path)
    assert plan.header_row == 2 and plan.months == {"2026-10"}
    lines = report_lines(plan)
    assert "第 5 行 · 户号 3199999999 不在客户档案中" in lines
    assert "第 6 行 · 总电量“一万”不是数字" in lines
    assert "第 6 行 · 应收电费不能为负数" in lines
    assert "第 6 行 · 基本电费计费方式“按面积”无法识别(应为按容量或按需量)" in lines
    assert "第 6 行 · 功率因数“1.7”应在 0 到 1 之间" in lines
    assert "第 7 行 · 户号 3100000000 2026-10 与第 3 行重复" in lines
    assert any(line.startswith("第 8 行 · 峰平谷电量之和 120 大于总电量 10") for line in lines)
    assert "row 5 · account no. 3199999999 is not a known customer" in report_lines(plan, "en")
    with pytest.raises(UserError) as caught:
        apply_monthly_import(store, plan, valid_only=False)
    assert "未导入任何数据" in caught.value.message_zh
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(CustomerMonth)) == 0
    assert pending(store) == 0

    # only the valid rows: rows 3 and 4 (row 7 repeats row 3, so row 3 stays valid)
    result = apply_monthly_import(store, plan, valid_only=True)
    assert (result.inserted, result.updated, result.unchanged) == (2, 0, 0)
    first = customer_history(store, ids["3100000000"])[0]
    assert (first.month, first.kwh, first.kwh_peak, first.bill_yuan) == (
        "2026-10",
        120_000,
        50_000,
        78_000.5,
    )
    assert (first.billing_mode, first.max_demand_kw, first.power_factor) == ("capacity", 450, 0.93)
    second = customer_history(store, ids["3100000001"])[0]
    assert (second.billing_mode, second.declared_demand_kw, second.power_factor) == (
        "demand",
        400,
        pytest.approx(0.91),
    )
    assert (second.arrears_yuan, second.overdue_days) == (12_000, 12)
    assert pending(store) == 2


def test_a_file_without_a_month_column_needs_the_month(store: Store, tmp_path) -> None:
    add_customers(store, 1)
    path = tmp_path / "m.csv"
    path.write_text("户号,总电量\n3100000000,100\n", encoding="gbk")
    with pytest.raises(UserError) as caught:
        plan_monthly_import(store, path)
    assert caught.value.field == "month"
    plan = plan_monthly_import(store, path, "2026-09")
    assert plan.months == {"2026-09"} and plan.new == 1


def test_reimport_changes_only_what_changed_and_never_blanks(store: Store, tmp_path) -> None:
    ids = add_customers(store, 2)
    path = tmp_path / "oct.csv"
    path.write_text(
        "户号,电费年月,总电量,应收电费,欠费金额\n"
        "3100000000,2026-10,1000,700,0\n"
        "3100000001,2026-10,2000,1400,300\n",
        encoding="utf-8",
    )
    apply_monthly_import(store, plan_monthly_import(store, path), valid_only=False)
    assert pending(store) == 2
    with store.read() as session:
        row = session.scalars(select(CustomerMonth)).first()
        assert row is not None and row.id == customer_month_id(row.customer_id, "2026-10")
        stamp = session.scalar(select(func.max(CustomerMonth.updated_at)))

    again = plan_monthly_import(store, path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 2)
    result = apply_monthly_import(store, again, valid_only=False)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 2)
    assert pending(store) == 2  # nothing queued
    with store.read() as session:
        assert session.scalar(select(func.max(CustomerMonth.updated_at))) == stamp

    # a payments file for the same month: only arrears change; kWh and bill stay
    payments = tmp_path / "paid.csv"
    payments.write_text(
        "户号,电费年月,欠费金额,总电量\n3100000001,2026-10,0,\n3100000000,2026-10,0,\n",
        encoding="utf-8",
    )
    plan = plan_monthly_import(store, payments)
    assert (plan.new, plan.changed, plan.unchanged) == (0, 1, 1)
    assert apply_monthly_import(store, plan, valid_only=False).updated == 1
    record = customer_history(store, ids["3100000001"])[0]
    assert (record.kwh, record.bill_yuan, record.arrears_yuan) == (2000, 1400, 0)
    with store.read() as session:
        last = session.scalars(select(PendingChange).order_by(PendingChange.seq.desc())).first()
        assert last is not None and last.fields == ["arrears_yuan", "source"]


def test_cli_imports_and_reports(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KEYACCT_PASSPHRASE", "monthly import passphrase")  # importing encrypts
    store = open_store(tmp_path / "keyacct.sqlite3")
    add_customers(store, 1)
    store.close()
    path = tmp_path / "sep.csv"
    path.write_text("户号,总电量,最大需量,欠费金额\n3100000000,500,80,100\n", encoding="utf-8")
    args = ["--data-dir", str(tmp_path), "import-months", str(path), "--month", "2026-09"]
    assert cli.main([*args, "--dry-run"]) == 0
    assert "新增 / new 1" in capsys.readouterr().out
    assert cli.main([*args, "--update-profiles"]) == 0
    out = capsys.readouterr().out
    assert "新增 / inserted 1" in out and "1 户更新 / updated (截至 / to 2026-09)" in out
    assert cli.main(args) == 0
    assert "未变 / unchanged 1" in capsys.readouterr().out
    assert cli.main([*args[:-1], "2026-9"]) == 2  # bad month: a clear error, exit code 2
    assert "YYYY-MM" in capsys.readouterr().err


def test_24_months_of_250_customers_and_a_reimport_that_changes_nothing(
    store: Store, tmp_path
) -> None:
    """6,000 rows: more than one insert batch of 5,000 (100k customers × 24 months:
    tests/benchmarks/bench_economics.py)."""
    ids = add_customers(store, 250)
    months = month_span("2026-10", 24)
    path = tmp_path / "history.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["户号", "电费年月", "总电量", "应收电费", "最大需量", "实收电费", "欠费金额"]
        )
        for n, account in enumerate(ids):
            for m, month in enumerate(months):
                kwh = 10_000 + n * 3 + m * 100
                writer.writerow([account, month, kwh, kwh * 0.7, 300 + m, kwh * 0.7, 0])
    plan = plan_monthly_import(store, path)
    assert not plan.problems and len(plan.rows) == 6_000 and plan.new == 6_000
    result = apply_monthly_import(store, plan, valid_only=False)
    assert result.inserted == 6_000
    assert pending(store) == 6_000
    history = customer_history(store, ids["3100000249"])
    assert len(history) == 24 and history[-1].month == "2026-10"
    assert history[-1].kwh == 10_000 + 249 * 3 + 23 * 100

    again = plan_monthly_import(store, path)
    assert (again.new, again.changed, again.unchanged) == (0, 0, 6_000)
    result = apply_monthly_import(store, again, valid_only=False)
    assert (result.inserted, result.updated, result.unchanged) == (0, 0, 6_000)
    assert pending(store) == 6_000


def test_utf16_tab_export_with_full_width_figures(store: Store, tmp_path) -> None:
    """Excel's "Unicode text" (UTF-16, tab-separated) as some marketing-system exports come,
    with full-width digits and a bracketed unit in the header (read by the roster's reader)."""
    ids = add_customers(store, 1)
    path = tmp_path / "export.txt"
    text = "户号\t电费年月\t总电量（千瓦时）\t功率因数\n3100000000\t2026年９月\t１２，３４５\t０.９２\n"
    path.write_bytes(text.encode("utf-16"))
    plan = plan_monthly_import(store, path)
    assert not plan.problems and plan.months == {"2026-09"}
    apply_monthly_import(store, plan, valid_only=False)
    record = customer_history(store, ids["3100000000"])[0]
    assert (record.kwh, record.power_factor) == (12_345, 0.92)
