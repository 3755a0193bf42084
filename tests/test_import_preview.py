"""The import preview dialog (pytest-qt): a generated utility roster into a fresh store."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from keyacct_desktop.gui.import_preview import ImportPreviewDialog
from keyacct_desktop.services.customers import CustomerQuery
from keyacct_desktop.services.roster.export import export_customers
from keyacct_desktop.services.roster.plan import plan_import
from keyacct_desktop.store.models import Customer, Park
from tests.roster_helpers import roster_rows, write_xlsx


def count(store) -> int:  # type: ignore[no-untyped-def]
    with store.read() as session:
        return session.scalar(select(func.count()).select_from(Customer)) or 0


@pytest.fixture
def roster(tmp_path):  # type: ignore[no-untyped-def]
    rows, _ = roster_rows(30)
    rows[4][10] = "很多"  # Excel row 7: capacity
    rows[9][1] = ""  # Excel row 12: no account no.
    return write_xlsx(tmp_path / "高新档案.xlsx", rows)


def test_the_preview_shows_mapping_new_parks_problems_and_imports_on_consent(
    ctx, keyacct_qapp, qtbot, qtmodeltester, roster
) -> None:
    plan = plan_import(ctx.store, roster)
    dialog = ImportPreviewDialog(ctx, plan)
    qtbot.addWidget(dialog)
    dialog.show()
    for model in (dialog.mapping, dialog.problems, dialog.notes, dialog.changes):
        qtmodeltester.check(model)
    assert ("", "年用电量(万千瓦时)", "年用电量", "万千瓦时 ×10000") in dialog.mapping.rows
    assert ("", "用户编号", "户号", "") in dialog.mapping.rows
    ignored = {row[1]: row[2] for row in dialog.mapping.rows if row[2].startswith("(")}
    assert set(ignored) == {"序号", "立户日期"}
    from PySide6.QtCore import Qt

    grey = [
        dialog.mapping.data(dialog.mapping.index(n, 1), Qt.ItemDataRole.ForegroundRole)
        for n in range(len(dialog.mapping.rows))
    ]
    assert [dialog.mapping.rows[n][1] for n, color in enumerate(grey) if color] == [
        "序号",
        "立户日期",
    ]
    assert {(row[1], row[2], row[3]) for row in dialog.problems.rows} >= {
        ("7", "K 列“合同容量(千伏安)”", "合同容量“很多”不是数字"),
        ("12", "B 列“用户编号”", "户号应为 6–16 位数字"),
    }
    assert any("合计" in row[2] for row in dialog.notes.rows)
    assert "28" in dialog.summary.text() and "高新区" in dialog.new_refs.text()
    assert dialog.tabs.currentIndex() == 1  # problems first
    from PySide6.QtWidgets import QAbstractItemView

    tables = dialog.findChildren(QAbstractItemView)
    assert tables and not any(t.tabKeyNavigation() for t in tables)  # Tab reaches the buttons
    assert dialog.pool_status.isVisibleTo(dialog)  # no pool column: the user chooses

    assert not dialog.import_button.isEnabled()  # parks are created only on consent
    assert dialog.start_import() is None and count(ctx.store) == 0
    dialog.create_refs.setChecked(True)
    dialog.pool_status.setCurrentIndex(dialog.pool_status.findData("evaluating"))
    failed: list[BaseException] = []
    from keyacct_desktop.gui import import_preview

    original = import_preview.show_error
    import_preview.show_error = lambda _parent, error, _language: failed.append(error)
    try:
        task = dialog.start_import()
        assert task is not None
        qtbot.waitUntil(lambda: task.done and bool(failed), timeout=20_000)
    finally:
        import_preview.show_error = original
    assert "网格" in dialog.status.text() and count(ctx.store) == 0  # nothing half-written
    dialog.pool_status.setCurrentIndex(dialog.pool_status.findData("pooled"))
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.start_import()
    assert dialog.imported == 28 == count(ctx.store)
    with ctx.store.read() as session:
        assert session.scalar(select(func.count()).select_from(Park)) == 3


def test_the_preview_lists_the_changes_of_an_update(
    ctx, keyacct_qapp, qtbot, roster, tmp_path
) -> None:
    from keyacct_desktop.services.roster.apply import apply_import

    apply_import(ctx.store, plan_import(ctx.store, roster), valid_only=True, create_refs=True)
    path = tmp_path / "导出.xlsx"
    export_customers(ctx.store, CustomerQuery(), path)
    book = openpyxl.load_workbook(path)
    sheet = book["客户"]
    header = [c.value for c in sheet[1]]
    sheet.cell(3, header.index("合同容量(kVA)") + 1).value = "4,000"
    account = sheet.cell(3, 1).value
    book.save(path)
    dialog = ImportPreviewDialog(ctx, plan_import(ctx.store, path))
    qtbot.addWidget(dialog)
    (change,) = dialog.changes.rows
    assert change[1:3] == (account, "合同容量") and change[4] == "4000"
    assert dialog.import_button.isEnabled() and not dialog.create_refs.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        dialog.start_import()
    assert dialog.imported == 1 and count(ctx.store) == 28


def test_a_manager_is_told_what_the_server_will_refuse(ctx, keyacct_qapp, qtbot, roster) -> None:
    from keyacct_desktop.store.models import User

    with ctx.store.begin() as session:
        session.add(User(username="wang", display_name="王海", role="manager"))
        session.add(User(username="chen", display_name="陈立", role="supervisor"))
    assert plan_import(ctx.store, roster, username="chen").warnings == []
    plan = plan_import(ctx.store, roster, username="wang")
    ((zh, _en),) = plan.warnings
    assert "主管" in zh and "自己网格" in zh
    dialog = ImportPreviewDialog(ctx, plan)
    qtbot.addWidget(dialog)
    assert dialog.warning.isVisibleTo(dialog) and dialog.warning.text() == zh
