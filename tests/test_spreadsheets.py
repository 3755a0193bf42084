"""Customer import/export with real .xlsx/.csv files as utilities keep them; fuzzed importer."""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from keyacct_desktop import cli
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.services.customers import CustomerQuery
from keyacct_desktop.services.roster.apply import apply_import
from keyacct_desktop.services.roster.export import export_customers
from keyacct_desktop.services.roster.plan import plan_import
from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Contact, Customer, Park

HEADER = [
    "户号",
    "客户名称",
    "统一社会信用代码",
    "所属园区",
    "行业",
    "电压等级",
    "合同容量(kVA)",
    "年用电量",
    "联系人",
    "手机",
]


def utility_sheet(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026 年高新区大客户档案"])  # a merged title row
    sheet.merge_cells("A1:J1")
    sheet.append(["制表:营销部", None, None, None, None, None, None, None, None, "2026-11"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    for _ in range(5):
        sheet.append([None] * len(HEADER))  # trailing blank rows
    book.save(path)
    return path


GOOD = [
    "3107000101",
    "钱塘精密机械有限公司",
    "91350100M000100Y43",
    "高新区",
    "C",
    "10kV",
    "2,500",
    "860万千瓦时",
    "张敏",
    "139 1234 5678",
]


@pytest.fixture
def park(store):  # type: ignore[no-untyped-def]
    with store.begin() as session:
        session.add(Park(name="高新区"))


def count(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Customer)) or 0


def test_a_real_sheet_imports_with_text_numbers_title_rows_and_blank_tail(
    store, park, tmp_path
) -> None:
    second = [
        "3107000102",
        "江南化工有限公司",
        "",
        "高新区",
        "制造业",
        "35",
        "8000",
        "1200000",
        "",
        "",
    ]
    plan = plan_import(store, utility_sheet(tmp_path / "档案.xlsx", [GOOD, second]))
    assert plan.header_row == 3 and not plan.problems and len(plan.rows) == 2
    assert apply_import(store, plan, valid_only=False) == 2
    with store.read() as session:
        first = session.scalar(select(Customer).where(Customer.account_no == "3107000101"))
        assert (
            first.voltage_kv == 10.0
            and first.capacity_kva == 2500
            and first.annual_kwh == 8_600_000
        )
        assert first.park is not None and first.park.name == "高新区" and first.industry == "C"
        assert session.scalar(select(Contact.mobile)) == "13912345678"


def test_bad_rows_are_reported_and_nothing_is_half_imported(store, park, tmp_path) -> None:
    rows = [
        GOOD,
        [
            "3107000103",
            "坏信用代码公司",
            "91350100M000100Y44",
            "高新区",
            "C",
            "10",
            "100",
            "",
            "",
            "",
        ],
        ["31-07", "", "", "火星园区", "X", "11kV", "很多", "", "王", "123"],
        ["3107000101", "重复户号公司", "", "", "", "10", "", "", "", ""],
    ]
    plan = plan_import(store, utility_sheet(tmp_path / "bad.xlsx", rows))
    by_row: dict[int, set[str]] = {}
    for problem in plan.problems:
        by_row.setdefault(problem.row, set()).add(problem.field)
    assert by_row[5] == {"uscc"}
    assert {"account_no", "name", "industry", "voltage_kv", "capacity_kva"} <= by_row[6]
    assert plan.new_parks == []  # 火星园区 only on a bad row: nothing would create it
    assert by_row[7] == {"account_no"}  # repeats row 4
    with pytest.raises(UserError) as refused:
        apply_import(store, plan, valid_only=False)
    assert "未导入任何数据" in refused.value.message_zh
    assert count(store) == 0
    assert apply_import(store, plan, valid_only=True) == 1


def test_csv_in_gbk_and_the_commands(store, park, data_dir, capsys, monkeypatch) -> None:
    monkeypatch.setenv("KEYACCT_PASSPHRASE", "import test passphrase")  # importing encrypts
    csv_file = data_dir.parent / "list.csv"
    csv_file.write_bytes(
        (
            "\n".join([",".join(HEADER), ",".join(GOOD).replace("2,500", "2500"), ",,,,,,,,,"])
            + "\n"
        ).encode("gb18030")
    )
    store.close()
    assert cli.main(["--data-dir", str(data_dir), "import", str(csv_file)]) == 0
    assert "已导入 / imported: 1" in capsys.readouterr().out
    target = data_dir.parent / "export.xlsx"
    assert (
        cli.main(["--data-dir", str(data_dir), "export", "-o", str(target), "--search", "钱塘"])
        == 0
    )
    sheet = openpyxl.load_workbook(target).active
    assert [c.value for c in sheet[1]][:2] == ["户号", "客户名称"]
    assert sheet.max_row == 2 and sheet["B2"].value == "钱塘精密机械有限公司"
    assert (
        cli.main(["--data-dir", str(data_dir), "import", str(data_dir.parent / "nope.docx")]) == 2
    )
    assert "不支持的文件类型" in capsys.readouterr().err


def test_export_writes_the_filtered_list(demo_ctx, tmp_path) -> None:
    everyone = export_customers(demo_ctx.store, CustomerQuery(), tmp_path / "all.xlsx")
    class_a = export_customers(
        demo_ctx.store, CustomerQuery(pyramid_classes=("A",)), tmp_path / "a.xlsx"
    )
    assert 0 < class_a < everyone == 120
    assert openpyxl.load_workbook(tmp_path / "a.xlsx").active.max_row == class_a + 1


cell = st.one_of(
    st.none(),
    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=12),
    st.integers(-(10**6), 10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(
        ["10kV", "3107000199", "91350100M000100Y43", "高新区", "1,0", "1e400", "=SUM(A1)"]
    ),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cell, min_size=0, max_size=12), max_size=8), st.booleans())
def test_any_sheet_is_reported_or_imported_whole_never_crashes(tmp_path, rows, valid_only) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = open_store(Path(folder) / "fuzz.sqlite3")
        try:
            path = utility_sheet(Path(folder) / "fuzz.xlsx", [[*r] for r in rows])
            try:
                plan = plan_import(store, path)
                imported = apply_import(store, plan, valid_only=valid_only)
            except UserError as error:
                assert error.message_zh and error.message_en
                assert count(store) == 0  # refused: nothing written
            else:
                assert count(store) == imported == len(plan.valid)
        finally:
            store.close()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000), st.sampled_from([".xlsx", ".csv"]))
def test_random_bytes_are_refused_clearly(tmp_path, data, suffix) -> None:
    with tempfile.TemporaryDirectory(dir=tmp_path) as folder:
        store = open_store(Path(folder) / "fuzz.sqlite3")
        try:
            path = Path(folder) / f"random{suffix}"
            path.write_bytes(data)
            try:
                plan = plan_import(store, path)
                apply_import(store, plan, valid_only=True)
            except UserError as error:
                assert error.message_zh
        finally:
            store.close()


def test_import_and_export_from_the_customer_page(
    ctx, keyacct_qapp, qtbot, monkeypatch, tmp_path
) -> None:
    """The page checks the file off the GUI thread and opens the preview (a fresh store)."""
    from PySide6.QtWidgets import QMessageBox

    from keyacct_desktop.gui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    bad = ["3107000109", "", "", "", "", "10", "", "", "", ""]
    path = utility_sheet(tmp_path / "档案.xlsx", [GOOD, bad])
    task = page.import_file(path)
    qtbot.waitUntil(lambda: task.done and getattr(page, "import_dialog", None) is not None)
    dialog = page.import_dialog
    assert dialog.plan.new_parks == ["高新区"] and not dialog.import_button.isEnabled()
    assert [(r[0], r[1], r[3]) for r in dialog.problems.rows] == [("", "5", "请填写客户名称")]
    dialog.create_refs.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.import_button.click()
    assert dialog.imported == 1
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)

    warned: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a: warned.append(a[2]) or QMessageBox.StandardButton.Save
    )
    target = tmp_path / "导出.xlsx"
    task = page.export_file(target)  # written on a worker
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert page.exported == 1 and target.exists() and "加密" in warned[0]


def test_an_export_shows_chinese_labels_and_imports_back_the_same(
    demo_ctx, tmp_path, data_dir
) -> None:
    target = tmp_path / "清单.xlsx"
    exported = export_customers(demo_ctx.store, CustomerQuery(), target)
    sheet = openpyxl.load_workbook(target).active
    header = [c.value for c in sheet[1]]
    values = {
        title: {row[header.index(title)] for row in sheet.iter_rows(min_row=2, values_only=True)}
        for title in ("行业", "重要客户等级", "信用等级", "入池状态")
    }
    assert "制造业" in values["行业"] and "C" not in values["行业"]
    assert "一级重要电力用户" in values["重要客户等级"] and "first" not in values["重要客户等级"]
    assert "已入池" in values["入池状态"] and "pooled" not in values["入池状态"]
    with demo_ctx.store.read() as session:
        parks = list(session.scalars(select(Park.name)))
        before = {
            c.account_no: (c.industry, c.important_grade, c.credit_rating, c.uscc, c.pool_status)
            for c in session.scalars(select(Customer))
        }
    assert {"prospect", "pooled"} <= {values[4] for values in before.values()}
    other = open_store(tmp_path / "other.sqlite3")
    try:
        with other.begin() as session:
            session.add_all([Park(name=name) for name in parks])
        plan = plan_import(other, target)
        assert apply_import(other, plan, valid_only=True, create_refs=True) == len(plan.valid)
        with other.read() as session:
            after = {
                c.account_no: (
                    c.industry,
                    c.important_grade,
                    c.credit_rating,
                    c.uscc,
                    c.pool_status,
                )
                for c in session.scalars(select(Customer))
            }
    finally:
        other.close()
    assert len(after) == exported - len(plan.bad_rows) > exported * 0.9
    assert all(after[account] == before[account] for account in after)
