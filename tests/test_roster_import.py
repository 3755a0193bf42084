"""Real customer rosters into a FRESH store, and complete profiles out (issue 16).

Every roster here is generated in the shape utilities keep (tests/roster_helpers.py): their
headers and units, short forms, full-width digits, a 序号 and a 立户日期 column, a 合计 row.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from keyacct_desktop import cli
from keyacct_desktop.domain.customer_fields import (
    CONTACT_FIELDS,
    CUSTOMER_FIELDS,
    FIELD_BY_KEY,
    SOURCE_FIELDS,
)
from keyacct_desktop.domain.customer_values import (
    ValueProblem,
    parse_code,
    parse_number,
    split_header,
)
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customers import CustomerQuery
from keyacct_desktop.services.roster.apply import apply_import, import_note
from keyacct_desktop.services.roster.export import export_customers
from keyacct_desktop.services.roster.plan import UNNAMED_CONTACT, plan_import
from keyacct_desktop.services.roster.report import report_lines, summary_lines
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, User
from tests.roster_helpers import csv_text, roster_rows, write_xls, write_xlsx

# ----------------------------------------------------------------------- the alias/unit table


@pytest.mark.parametrize(
    ("header", "field", "unit", "factor"),
    [
        ("年用电量(万千瓦时)", "annual_kwh", "万千瓦时", 1e4),
        ("年用电量（万kWh）", "annual_kwh", "万kWh", 1e4),
        ("年用电量(MWh)", "annual_kwh", "MWh", 1e3),
        ("年用电量kWh", "annual_kwh", "kWh", 1),
        ("年电量（单位：万千瓦时）", "annual_kwh", "万千瓦时", 1e4),
        ("合同容量(千伏安)", "capacity_kva", "千伏安", 1),
        ("合同容量(kVA)", "capacity_kva", "kVA", 1),
        ("运行容量(MVA)", "capacity_kva", "MVA", 1e3),
        ("供电电压(kV)", "voltage_kv", "kV", 1),
        ("利润贡献(万元)", "annual_profit_yuan", "万元", 1e4),
        ("电费回收率(%)", "recovery_rate", "%", 0.01),
        ("户名", "name", "", 1),
        ("用户编号", "account_no", "", 1),
        ("统一社会信用代码", "uscc", "", 1),
        ("信用代码", "uscc", "", 1),
        ("联系电话", "contact_phone", "", 1),
        ("重要电力用户等级", "important_grade", "", 1),
        ("窃电/违章次数", "violation_count", "", 1),
        ("应急电源", "emergency_power", "", 1),
        ("信用指标更新日期", "risk_updated_on", "", 1),
    ],
)
def test_headers_map_to_fields_with_their_unit(header, field, unit, factor) -> None:
    from keyacct_desktop.services.roster.plan import _match_header

    spec, found = _match_header("客户", header)
    assert spec is not None and spec.key == field
    if unit:
        assert split_header(header)[1] == unit
        from keyacct_desktop.domain.customer_values import unit_factor

        assert unit_factor(spec, found) == factor


def test_every_profile_field_is_declared_with_aliases_and_an_export_column() -> None:
    profile = {
        c.key
        for c in Customer.__table__.columns
        if c.key
        not in {"id", "version", "created_at", "updated_at", "park_id", "grid_id", "manager_id"}
    } - {"status"}
    declared = {f.key for f in CUSTOMER_FIELDS if f.export}
    assert profile - declared == set()
    assert {"park", "grid", "manager"} <= declared
    for fields in (CUSTOMER_FIELDS, CONTACT_FIELDS, SOURCE_FIELDS):
        columns = [f.column for f in fields if f.export]
        assert len(columns) == len(set(columns))  # an export's headers are unambiguous
    assert FIELD_BY_KEY["annual_kwh"].column == "年用电量(kWh)"
    contact_columns = {c.key for c in Contact.__table__.columns} - {
        "id",
        "version",
        "created_at",
        "updated_at",
        "customer_id",
    }
    assert contact_columns <= {f.key for f in CONTACT_FIELDS}


@pytest.mark.parametrize(
    ("field", "text", "code"),
    [
        ("tariff", "大工业", "large_industry"),
        ("tariff", "一般工商业", "commercial"),
        ("tariff", "大工业用电(两部制)", "large_industry"),
        ("important_grade", "一级", "first"),
        ("important_grade", "二级", "second"),
        ("important_grade", "特级", "special"),
        ("important_grade", "临时性", "temporary"),
        ("important_grade", "否", ""),
        ("credit_rating", "AAA级", "AAA"),
        ("credit_rating", "ＡＡ级", "AA"),
        ("credit_rating", "3A", "AAA"),
        ("load_grade", "一级负荷中特别重要", "first_special"),
        ("industry", "制造业", "C"),
        ("industry", "C 制造业", "C"),
        ("industry", "C13", "C"),
        ("industry", "批发零售", "F"),
        ("industry", "化学原料和化学制品制造业", "C"),  # GB/T 4754 divisions (大类)
        ("industry", "酒、饮料和精制茶制造业", "C"),
        ("industry", "电力、热力生产和供应业", "D"),
        ("industry", "软件和信息技术服务业", "I"),
        ("industry", "卫生", "Q"),
        ("industry", "26", "C"),
        ("industry", "C2614", "C"),
        ("industry", "4411", "D"),
        ("industry", "65", "I"),
        ("pool_status", "入池", "pooled"),
        ("pool_status", "评估中", "evaluating"),
        ("metering", "高供低计", "hv_lv"),
    ],
)
def test_value_short_forms(field, text, code) -> None:
    assert parse_code(FIELD_BY_KEY[field], text) == code


@pytest.mark.parametrize(
    ("field", "value", "factor", "number"),
    [
        ("voltage_kv", "10千伏", 1, 10),
        ("voltage_kv", "交流10kV", 1, 10),
        ("voltage_kv", "AC 35kV", 1, 35),
        ("voltage_kv", "380V", 1, 0.4),
        ("voltage_kv", "0.4", 1, 0.4),
        ("capacity_kva", "２，５００", 1, 2500),
        ("capacity_kva", "2,500 kVA", 1, 2500),
        ("capacity_kva", "1.25MVA", 1, 1250),
        ("annual_kwh", "860万千瓦时", 1, 8_600_000),
        ("annual_kwh", 86.5, 1e4, 865_000),
        ("annual_kwh", "1.2MWh", 1, 1200),
        ("recovery_rate", "98.5%", 1, 0.985),
        ("recovery_rate", 98.5, 1, 0.985),
        ("recovery_rate", 0.985, 1, 0.985),
        ("recovery_rate", 98.5, 0.01, 0.985),
    ],
)
def test_numbers_with_units_and_full_width_digits(field, value, factor, number) -> None:
    assert parse_number(FIELD_BY_KEY[field], value, factor) == pytest.approx(number)


def test_a_wrong_unit_in_a_cell_is_refused_in_chinese() -> None:
    with pytest.raises(ValueProblem) as refused:
        parse_number(FIELD_BY_KEY["capacity_kva"], "860万千瓦时")
    assert "单位不对" in refused.value.zh


# ----------------------------------------------------------------------- a utility's roster


def customers(store) -> dict[str, Customer]:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return {
            c.account_no: c
            for c in session.scalars(
                select(Customer).options(
                    selectinload(Customer.contacts),
                    selectinload(Customer.park),
                    selectinload(Customer.grid),
                    selectinload(Customer.manager),
                )
            )
        }


def check_imported(store, expected) -> None:  # type: ignore[no-untyped-def]
    stored = customers(store)
    assert len(stored) == len(expected)
    for row in expected:
        c = stored[row.account_no]
        assert (c.name, c.park.name, c.grid.name, c.manager.display_name) == (
            row.name,
            row.park,
            row.grid,
            row.manager,
        )
        assert c.voltage_kv == row.voltage_kv and c.capacity_kva == row.capacity_kva
        assert c.annual_kwh == pytest.approx(row.annual_kwh)
        assert (c.tariff, c.important_grade, c.credit_rating, c.industry) == (
            row.tariff,
            row.important_grade,
            row.credit_rating,
            "C",
        )
        if row.contact_name is None and row.mobile is None and row.landline is None:
            assert c.contacts == []
        else:
            (contact,) = c.contacts
            assert contact.name == (row.contact_name or UNNAMED_CONTACT) and contact.is_primary
            assert (contact.mobile, contact.landline) == (row.mobile, row.landline)


def test_an_industry_division_keeps_its_section_and_its_name(store, tmp_path) -> None:
    """Rosters often name the division (大类): the section is the industry, the division's
    name the detail when the sheet has none, and a detail of its own is left alone."""
    rows = [
        ["户号", "户名", "电压等级", "行业类别", "主要产品"],
        ["0031000124", "福建闽江化工股份有限公司", "35kV", "化学原料和化学制品制造业", None],
        ["0031000125", "福州东湖数据中心有限公司", "10kV", "I65", "数据中心"],
    ]
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(tmp_path / "行业.xlsx")
    plan = plan_import(store, tmp_path / "行业.xlsx")
    assert plan.problems == []
    apply_import(store, plan, valid_only=False, create_refs=True)
    stored = customers(store)
    assert (stored["0031000124"].industry, stored["0031000124"].industry_detail) == (
        "C",
        "化学原料和化学制品制造业",
    )
    assert (stored["0031000125"].industry, stored["0031000125"].industry_detail) == (
        "I",
        "数据中心",
    )


def test_a_utility_roster_goes_into_a_fresh_store(store, tmp_path) -> None:
    rows, expected = roster_rows(40)
    path = write_xlsx(tmp_path / "高新供电大客户档案.xlsx", rows)
    plan = plan_import(store, path)
    assert plan.problems == [] and len(plan.valid) == 40 and plan.header_row == 2
    mapping = {c.header: (c.field, c.factor) for c in plan.columns}
    assert mapping["年用电量(万千瓦时)"] == ("annual_kwh", 1e4)
    assert mapping["合同容量(千伏安)"] == ("capacity_kva", 1)
    assert mapping["联系电话"][0] == "contact_phone"
    assert {c.header for c in plan.ignored} == {"序号", "立户日期"}
    assert plan.new_parks == ["高新区", "滨江工业园", "临港物流园"]
    assert plan.new_grids == ["高新一网格", "滨江网格", "临港网格"]
    assert plan.new_managers == ["陈立", "王海"]
    (total,) = [n for n in plan.notes if "合计" in n.zh]
    assert total.row == 43  # title, header, 40 rows, then the totals row
    text = "\n".join(summary_lines(plan))
    assert "序号" in text and "立户日期" in text and "将新建园区:高新区" in text
    assert "年用电量(万千瓦时) → 年用电量 (万千瓦时, ×10000)" in text

    with pytest.raises(UserError) as refused:  # never silently
        apply_import(store, plan, valid_only=False)
    assert "--create-parks" in refused.value.message_zh
    assert customers(store) == {}
    assert apply_import(store, plan, valid_only=False, create_refs=True) == 40
    check_imported(store, expected)
    stored = customers(store)
    first = stored["0310000000"]  # leading zero kept
    assert first.pool_status == "pooled" and first.pooled_on == date.today()
    assert first.pool_note == f"批量导入 高新供电大客户档案.xlsx {date.today().isoformat()}"
    assert stored["0310000002"].contacts[0].landline.endswith("转8001")
    with store.read() as session:
        grid = session.scalar(select(Grid).where(Grid.name == "高新一网格"))
        manager = session.scalar(select(User).where(User.display_name == "陈立"))
        assert grid.manager_id == manager.id
        assert session.scalar(select(func.count()).select_from(Park)) == 3


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("utf-16", "\t"), ("utf-8-sig", ","), ("utf-8", ","), ("gb18030", ",")],
)
def test_csv_encodings_are_detected(store, tmp_path, encoding, delimiter) -> None:
    rows, expected = roster_rows(10)
    path = tmp_path / "档案.csv"
    path.write_bytes(csv_text(rows, delimiter).encode(encoding))
    plan = plan_import(store, path)
    assert plan.problems == [] and len(plan.valid) == 10
    apply_import(store, plan, valid_only=False, create_refs=True)
    check_imported(store, expected)


def test_an_xls_roster_is_read(store, tmp_path) -> None:
    rows, expected = roster_rows(12)
    plan = plan_import(store, write_xls(tmp_path / "档案.xls", rows))
    assert plan.problems == [] and len(plan.valid) == 12
    assert any("合计" in n.zh for n in plan.notes)
    apply_import(store, plan, valid_only=False, create_refs=True)
    check_imported(store, expected)


def test_a_damaged_xls_is_refused_with_the_way_to_convert(store, tmp_path) -> None:
    path = tmp_path / "旧档案.xls"
    path.write_bytes(b"PK\x03\x04 this is not an old Excel file" * 10)
    with pytest.raises(UserError) as refused:
        plan_import(store, path)
    assert (
        "另存为" in refused.value.message_zh and "Excel 工作簿(*.xlsx)" in refused.value.message_zh
    )


def test_pool_status_from_a_column_or_the_users_choice(store, tmp_path) -> None:
    rows, _ = roster_rows(6)
    plan = plan_import(store, write_xlsx(tmp_path / "潜在客户.xlsx", rows))
    assert not plan.pool_column
    with pytest.raises(UserError) as refused:  # a grid needs the pool
        apply_import(store, plan, valid_only=False, create_refs=True, pool_status="evaluating")
    assert "网格" in refused.value.message_zh
    assert customers(store) == {}

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户号", "客户名称", "电压等级", "入池状态", "园区"])
    sheet.append(["3107000001", "甲公司", "10kV", "已入池", "高新区"])
    sheet.append(["3107000002", "乙公司", "10kV", "潜在", "高新区"])
    sheet.append(["3107000003", "丙公司", "10kV", "", "高新区"])
    book.save(tmp_path / "入池.xlsx")
    plan = plan_import(store, tmp_path / "入池.xlsx")
    assert plan.pool_column and plan.problems == []
    apply_import(store, plan, valid_only=False, create_refs=True, pool_status="evaluating")
    stored = customers(store)
    assert stored["3107000001"].pool_status == "pooled" and stored["3107000001"].pool_note is None
    assert stored["3107000002"].pool_status == "prospect"
    assert stored["3107000003"].pool_status == "evaluating"  # empty cell: the user's choice
    assert stored["3107000003"].pool_note == import_note(plan)


def test_a_utility_sheet_s_yes_no_pool_column_and_impossible_values(store, tmp_path) -> None:
    """A 城东供电所 sheet: 是否入池 = 否 is not pooled; 99999 in a MVA column and a bad check
    digit are refused with the Excel row and the file's column, problems in row order."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["城东供电所重要客户台账"])
    sheet.append(["用户编号", "户名", "供电电压", "运行容量(MVA)", "统一社会信用代码", "是否入池"])
    sheet.append(["0012345001", "城东医院", "35", 6.3, "", "否"])
    sheet.append(["0012345002", "电池厂", "交流10kV", 2, "91350100M000100Y4X", "是"])
    sheet.append(["0012345003", "新能源厂", "10千伏", 99999, "", "是"])
    book.save(tmp_path / "台账.xlsx")
    plan = plan_import(store, tmp_path / "台账.xlsx")
    assert report_lines(plan) == [
        "第 4 行 E 列“统一社会信用代码” · 校验位错误:最后一位应为“3”,实为“X”",
        "第 5 行 D 列“运行容量(MVA)” · 合同容量 99,999,000 kVA 超过上限 10,000,000 kVA,"
        "请检查数值和单位",
    ]
    assert report_lines(plan, "en")[0].startswith("row 4, column E (统一社会信用代码) · ")
    apply_import(store, plan, valid_only=True, create_refs=True, pool_status="pooled")
    assert {k: c.pool_status for k, c in customers(store).items()} == {"0012345001": "prospect"}


def test_problems_name_the_excel_row_in_chinese_and_totals_do_not_block(store, tmp_path) -> None:
    rows, _ = roster_rows(5)
    rows[1][10] = "很多"  # capacity
    rows[2][16] = "87654321"  # a landline without area code
    rows[3][1] = "03-1"  # account no.
    plan = plan_import(store, write_xlsx(tmp_path / "有误.xlsx", rows))
    by_row = {p.row: p for p in plan.problems}
    assert set(by_row) == {4, 5, 6}  # title + header: data starts in Excel row 3
    assert "合同容量“很多”不是数字" in by_row[4].zh
    assert "固定电话" in by_row[5].zh and "区号" in by_row[5].zh
    assert "户号" in by_row[6].zh
    with pytest.raises(UserError):
        apply_import(store, plan, valid_only=False, create_refs=True)
    assert customers(store) == {}
    assert apply_import(store, plan, valid_only=True, create_refs=True) == 2


# ----------------------------------------------------------------------- round trips


def workbook_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        sheets = {}
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            width = len(rows[0])  # read-only rows stop at their last value: pad them
            sheets[sheet.title] = [tuple(r) + (None,) * (width - len(r)) for r in rows]
        return sheets
    finally:
        book.close()


def test_a_whole_demo_store_round_trips_field_by_field(tmp_path) -> None:
    """Export, import into a fresh store, export again: the same workbooks. (5,000 customers
    and more: tests/benchmarks/bench_import.py.)"""
    from keyacct_desktop.demo import generate_demo

    CUSTOMERS = 400  # enough for every column to carry data somewhere
    source = open_store(tmp_path / "source.sqlite3")
    fresh = open_store(tmp_path / "fresh.sqlite3")
    try:
        generate_demo(source, customers=CUSTOMERS)
        with source.begin() as session:  # every field filled somewhere
            customer = session.scalar(select(Customer).order_by(Customer.account_no).limit(1))
            customer.risk_updated_on = date(2026, 10, 31)
            customer.pyramid_override = "A"
            customer.pyramid_override_reason = "重点招商项目"
            customer.notes = "夜间检修需提前一天预约"
            customer.contacts[0].email = "dian@example.cn"
            customer.pool_status = "exited"
            customer.pooled_on = date(2025, 3, 1)
            customer.grid_id = None
        first = tmp_path / "first.xlsx"
        assert export_customers(source, CustomerQuery(), first) == CUSTOMERS
        exported = workbook_rows(first)
        assert list(exported) == ["客户", "联系人", "电源"]
        header = exported["客户"][0]
        for column, title in enumerate(header):  # every column carries data
            assert any(row[column] not in (None, "") for row in exported["客户"][1:]), title
        plan = plan_import(fresh, first)
        assert plan.problems == [] and plan.ignored == [] and len(plan.valid) == CUSTOMERS
        assert plan.sheets == ["客户", "联系人", "电源"]
        assert apply_import(fresh, plan, valid_only=False, create_refs=True) == CUSTOMERS
        second = tmp_path / "second.xlsx"
        assert export_customers(fresh, CustomerQuery(), second) == CUSTOMERS
        again = workbook_rows(second)
        for sheet, rows in exported.items():
            assert len(again[sheet]) == len(rows), sheet
            for before, after in zip(rows, again[sheet], strict=True):
                assert before == after, (sheet, before, after)
    finally:
        source.close()
        fresh.close()


def test_importing_an_export_into_its_own_store_updates_with_a_changes_preview(
    demo_ctx, tmp_path
) -> None:
    store = demo_ctx.store
    path = tmp_path / "清单.xlsx"
    export_customers(store, CustomerQuery(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["客户"]
    header = [c.value for c in sheet[1]]
    account = sheet.cell(2, header.index("户号") + 1).value
    rate = sheet.cell(2, header.index("电费回收率") + 1)
    assert rate.number_format == "0.00%" and 0 < rate.value <= 1  # shown in %, kept exact
    assert isinstance(account, str)  # 户号 written as text
    sheet.cell(2, header.index("年用电量(kWh)") + 1).value = 1_234_567
    sheet.cell(2, header.index("信用等级") + 1).value = "C级"
    sheet.cell(2, header.index("电费回收率") + 1).value = "91.5%"
    book.save(path)
    plan = plan_import(store, path)
    assert plan.problems == [] and plan.new_refs is False
    new, updated, same = plan.counts()
    assert (new, updated) == (0, 1) and same == len(plan.rows) - 1
    (row,) = [r for r in plan.rows if r.changes]
    assert row.form.account_no == account
    assert {c.field: c.new for c in row.changes} == {
        "annual_kwh": "1234567",
        "credit_rating": "C(信用较差)",
        "recovery_rate": "91.5%",
    }
    assert "信用等级: " in "\n".join(summary_lines(plan))
    with store.read() as session:
        total = session.scalar(select(func.count()).select_from(Customer))
    assert apply_import(store, plan, valid_only=False) == 1
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == total
        changed = session.scalar(select(Customer).where(Customer.account_no == account))
        assert (changed.annual_kwh, changed.credit_rating, changed.recovery_rate) == (
            1_234_567,
            "C",
            0.915,
        )


# ----------------------------------------------------------------------- the command line


def test_cli_dry_run_then_create_parks(data_dir, tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KEYACCT_PASSPHRASE", "roster test passphrase")  # importing encrypts
    rows, expected = roster_rows(8)
    path = write_xlsx(tmp_path / "档案.xlsx", rows)
    base = ["--data-dir", str(data_dir), "import", str(path)]
    assert cli.main([*base, "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "用户编号 → 户号" in out and "忽略的列" in out and "序号" in out
    assert "将新建园区:高新区、滨江工业园、临港物流园" in out and "将新建客户经理:陈立、王海" in out
    assert "8 行有效" in out and "未写入任何数据" in out
    assert cli.main(base) == 2
    assert "--create-parks" in capsys.readouterr().err
    assert cli.main([*base, "--create-parks", "--pool-status", "pooled"]) == 0
    assert "已导入 / imported: 8" in capsys.readouterr().out
    target = tmp_path / "导出.xlsx"
    assert cli.main(["--data-dir", str(data_dir), "export", "-o", str(target)]) == 0
    sheet = workbook_rows(target)["客户"]
    header = sheet[0]
    exported = {row[header.index("户号")]: row for row in sheet[1:]}
    assert set(exported) == {row.account_no for row in expected}  # leading zeros kept
    for row in expected:
        line = exported[row.account_no]
        assert line[header.index("园区")] == row.park
        assert line[header.index("年用电量(kWh)")] == pytest.approx(row.annual_kwh)


def test_contact_and_source_sheets_report_their_own_rows(store, tmp_path) -> None:
    rows, _ = roster_rows(6)
    apply_import(
        store,
        plan_import(store, write_xlsx(tmp_path / "a.xlsx", rows)),
        valid_only=True,
        create_refs=True,
    )
    path = tmp_path / "导出.xlsx"
    export_customers(store, CustomerQuery(), path)
    book = openpyxl.load_workbook(path)
    book["联系人"].append(["9999999999", "王五", "电气", None, "13800000000"])
    book["联系人"].append(["0310000001", "赵六", "财务", None, "1380000"])
    book["电源"].append(["0310000002", 1, "主供", "10kV", "2,000", "城东变", "城东一线"])
    book.save(path)
    fresh = open_store(tmp_path / "fresh.sqlite3")
    try:
        plan = plan_import(fresh, path)
    finally:
        fresh.close()
    problems = {(p.sheet, p.row): p.zh for p in plan.problems}
    contacts = len(list(openpyxl.load_workbook(path)["联系人"].iter_rows()))
    assert problems[("联系人", contacts - 1)] == "户号“9999999999”不在客户表中"
    (zhao,) = [r.row for r in plan.rows if r.form.account_no == "0310000001"]
    assert "“1380000”格式不对" in problems[("", zhao)]  # blocks the customer it belongs to
    assert {r.form.account_no for r in plan.rows if r.row not in plan.bad_rows} == {
        "0310000000",
        "0310000002",
        "0310000003",
        "0310000004",
        "0310000005",
    }
    (source_row,) = [r for r in plan.rows if r.form.account_no == "0310000002"]
    assert [s.substation for s in source_row.form.power_sources] == ["城东变"]


def test_a_big_import_indexes_search_like_the_triggers_do(tmp_path, monkeypatch) -> None:
    """From BULK_INDEX_ROWS new customers the search index is written in one go: same result."""
    from sqlalchemy import text

    from keyacct_desktop.services.customers import CustomerDirectory
    from keyacct_desktop.services.roster import apply as roster_apply

    rows, _ = roster_rows(300)
    path = write_xlsx(tmp_path / "档案.xlsx", rows)
    found = {}
    for mode, threshold in (("triggers", 10**9), ("bulk", 1)):
        monkeypatch.setattr(roster_apply, "BULK_INDEX_ROWS", threshold)
        store = open_store(tmp_path / f"{mode}.sqlite3")
        try:
            with store.begin() as session:  # a customer already there keeps its document
                session.add(
                    Customer(account_no="3100000001", name="已有客户精密制造", pool_status="pooled")
                )
            apply_import(store, plan_import(store, path), valid_only=False, create_refs=True)
            with store.read() as session:
                triggers = set(
                    session.execute(
                        text("SELECT name FROM sqlite_master WHERE type = 'trigger'")
                    ).scalars()
                )
                bodies = sorted(session.execute(text("SELECT body FROM customer_search")).scalars())
            directory = CustomerDirectory(store)
            hits = {
                query: sorted(map(str, directory.find_ids(CustomerQuery(text=query))))
                for query in (
                    "精",
                    "精密",
                    "精密制造",
                    "高新区第1",
                    "0591",
                    "转8001",
                    "已有",
                    "139",
                )
            }
            found[mode] = (triggers, bodies, {q: len(h) for q, h in hits.items()})
        finally:
            store.close()
    assert roster_apply.SEARCH_TRIGGERS <= found["bulk"][0] == found["triggers"][0]
    assert found["bulk"][1] == found["triggers"][1] and len(found["bulk"][1]) == 301
    assert found["bulk"][2] == found["triggers"][2] and found["bulk"][2]["精密制造"] == 301


@pytest.mark.parametrize(
    ("header", "scale"),
    [("年用电量(万kWh)", 1), ("年用电量（MWh）", 10), ("年电量 万千瓦时", 1), ("年用电量", 10_000)],
)
def test_the_consumption_unit_of_the_header_is_applied(store, tmp_path, header, scale) -> None:
    import tests.roster_helpers as helpers

    rows, expected = roster_rows(5)
    for row in rows:
        row[11] = round(row[11] * scale, 6)  # the same consumption in the header's unit
    original = helpers.HEADER[11]
    helpers.HEADER[11] = header
    try:
        path = write_xlsx(tmp_path / "档案.xlsx", rows)
    finally:
        helpers.HEADER[11] = original
    plan = plan_import(store, path)
    assert plan.problems == [] and header not in {c.header for c in plan.ignored}
    apply_import(store, plan, valid_only=False, create_refs=True)
    check_imported(store, expected)  # every row's 年用电量 in kWh, never dropped
