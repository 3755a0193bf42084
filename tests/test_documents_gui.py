"""The 告知单 / 供电方案 / 停电通知 pages drive the document services end to end."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from PySide6.QtCore import QDate, QDateTime, QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.print_preview import PrintPreviewDialog
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.models import PowerSource


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot, monkeypatch) -> MainWindow:
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes
    )
    shown: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: shown.append(self) or 0)
    main = MainWindow(demo_ctx)
    main.previews = shown  # type: ignore[attr-defined]
    qtbot.addWidget(main)
    main.show()
    return main


def first_customer(ctx):
    return CustomerDirectory(ctx.store).find_ids(CustomerQuery())[0]


def test_checklist_page_drafts_reviews_issues_and_previews(
    window, demo_ctx, tmp_path, qtbot
) -> None:
    page = window.show_page("checklists")
    page.customer.set_customer(first_customer(demo_ctx))
    page.business.setCurrentIndex(page.business.findData("suspension"))
    page.create_draft()
    assert page.current is not None and page.current.status == "draft"
    items_before = len(page.current.items)
    page.new_item.setText("停产说明函")
    page.add_item()
    assert len(page.current.items) == items_before + 1
    page.issue()
    assert page.current.status == "issued" and page.current.number.startswith("GZ")
    assert not page.add_button.isEnabled() and page.correct_button.isEnabled()
    assert page.list_model.rowCount() == 1
    page.items_view.selectRow(0)
    page.mark_received()
    assert page.current.items[0].received_on == date.today()
    # several items at once, on the day they really came in; and a mistake undone
    page.received_date.setDate(QDate.currentDate().addDays(-3))
    page.items_view.selectRow(1)
    page.items_view.selectionModel().select(
        page.items_model.index(2, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    page.mark_received()
    earlier = date.today() - timedelta(days=3)
    assert [i.received_on for i in page.current.items[1:3]] == [earlier, earlier]
    page.items_view.selectRow(0)
    page.clear_received()
    assert page.current.items[0].received_on is None
    assert page.received_date.maximumDate() == QDate.currentDate()  # no receipt in the future
    page.preview()  # laid out on a worker, then shown
    qtbot.waitUntil(lambda: bool(window.previews), timeout=20_000)
    (dialog,) = window.previews
    assert dialog.document.pageCount() >= 1
    qtbot.addWidget(dialog)
    assert window.grab().save(str(tmp_path / "checklists.png"))


def test_checklist_page_records_when_each_time_limited_step_starts_and_ends(
    window, demo_ctx, tmp_path, monkeypatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(
        "keyacct_desktop.gui.operations.show_error",  # the page's writes are operations
        lambda _parent, error, _language: errors.append(error.message_zh),
    )
    page = window.show_page("checklists")
    page.customer.set_customer(first_customer(demo_ctx))
    page.business.setCurrentIndex(page.business.findData("hv_new"))
    page.accepted.setDate(QDate.currentDate().addDays(-12))
    page.create_draft()
    assert not page.started_button.isEnabled()  # a draft is not tracked yet
    page.issue()
    assert page.started_button.isEnabled() and page.completed_button.isEnabled()
    texts = [page.items_model.index(row, 3).data() for row in range(page.items_model.rowCount())]
    progress = {text: page.items_model.index(row, 6).data() for row, text in enumerate(texts)}
    mid = next(row for row, text in enumerate(texts) if text.startswith("中间检查："))
    plan = next(row for row, text in enumerate(texts) if text.startswith("供电方案答复"))
    # twelve days after acceptance the mid-construction check has not started: no countdown
    assert progress[texts[mid]] == "未开始" and page.items_model.index(mid, 7).data() in ("", None)
    assert progress[texts[plan]] != "未开始"  # the plan reply runs from acceptance
    started = QDate.currentDate().addDays(-1)
    page.progress_date.setDate(started)
    page.items_view.selectRow(mid)
    page.mark_started()
    item = page.current.items[mid]
    assert item.started_on == started.toPython() and item.limit.state == "running"
    assert page.items_model.index(mid, 5).data() == started.toString("yyyy-MM-dd")
    assert page.items_model.index(mid, 6).data() == item.limit.deadline.isoformat()
    assert page.items_model.index(mid, 7).data() == str(item.limit.remaining)
    page.progress_date.setDate(QDate.currentDate())
    page.items_view.selectRow(mid)
    page.mark_completed()
    done = QDate.currentDate().toString("yyyy-MM-dd")
    assert page.items_model.index(mid, 6).data() == f"已办结 {done}"
    page.items_view.selectRow(0)  # a material has no clock: the service says so
    page.mark_started()
    assert errors and "不是计时的办理时限" in errors[-1]
    page.items_view.selectRow(mid)
    page.clear_progress()
    assert page.current.items[mid].started_on is None
    assert page.items_model.index(mid, 6).data() == "未开始"
    assert window.grab().save(str(tmp_path / "checklist_progress.png"))


def test_checklist_page_needs_a_customer(window, monkeypatch) -> None:
    page = window.show_page("checklists")
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _parent, _title, text: told.append(text))
    page.create_draft()
    assert told == ["请先选择客户。"]


def test_plan_page_shows_warnings_and_issues(
    window, demo_ctx, tmp_path, qtbot, monkeypatch
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: errors.append(text))
    page = window.show_page("plans")
    page.customer.set_customer(first_customer(demo_ctx))
    page.create_draft()
    assert page.current.status == "draft"
    page.inputs["property_boundary"].setText("客户进线电缆终端头")
    page.power_factor.setValue(0.5)
    assert page.save()
    assert any(w.field == "power_factor" for w in page.current.warnings)
    assert page.warnings.count() >= 1 and "功率因数" in page.warnings.item(0).text()
    page.issue()  # incomplete: refused, the customer's copy would carry blanks
    assert page.current.status == "draft" and errors and "受电装置形式" in errors[0]
    page.inputs["receiving_type"].setText("户内变电站")
    page.inputs["protection"].setText("进线设速断、过流保护")
    page.issue()
    assert page.current.status == "issued" and page.current.valid_until is not None
    assert not page.save_button.isEnabled()
    page.preview()  # laid out on a worker, then shown
    qtbot.waitUntil(lambda: bool(window.previews), timeout=20_000)
    assert window.previews[-1].document.pageCount() >= 1
    assert window.grab().save(str(tmp_path / "plans.png"))


def test_outage_page_refuses_short_notice_and_issues(
    window, demo_ctx, monkeypatch, tmp_path, qtbot
) -> None:
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: errors.append(text))
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.Yes
    )
    page = window.show_page("outages")
    with demo_ctx.store.read() as session:
        line = session.query(PowerSource.line).first()[0]
    page.lines.setText(line)
    page.find_customers()
    assert page.affected.count() >= 1
    assert page.affected.item(0).checkState() == Qt.CheckState.Checked
    page.area.setText("科技大道以东")
    page.reason.setText("线路检修")
    soon = QDateTime.currentDateTime().addDays(2)
    page.starts.setDateTime(soon)
    page.ends.setDateTime(soon.addSecs(3600 * 4))
    page.issue()
    assert errors and "提前 7 天" in errors[0]
    page.starts.setDateTime(QDateTime.currentDateTime().addDays(9))
    page.ends.setDateTime(QDateTime.currentDateTime().addDays(9).addSecs(3600 * 4))
    page.issue()
    assert page.current is not None and len(page.current.notices) >= 1
    page.notices_view.selectRow(0)
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("张敏", True))
    page.record_acknowledgement()
    assert page.current.notices[0].acknowledged_by == "张敏"
    page.print_batch()
    qtbot.waitUntil(lambda: bool(window.previews), timeout=20_000)
    assert window.previews[-1].document.pageCount() == len(page.current.notices)
    assert window.grab().save(str(tmp_path / "outages.png"))


def test_a_broken_template_is_listed_on_the_page_not_fatal(
    keyacct_qapp, demo_ctx, qtbot, tmp_path, monkeypatch
) -> None:
    from keyacct_desktop.gui.pages import checklists as page_module
    from keyacct_desktop.services import documents

    broken = tmp_path / "templates"
    broken.mkdir()
    for path in documents.TEMPLATE_DIR.glob("*.toml"):
        (broken / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (broken / "close.toml").write_text('business_type = "close"\n[[materials]\n', encoding="utf-8")
    monkeypatch.setattr(
        page_module,
        "template_library",
        lambda settings: documents.template_library(settings, broken),
    )
    page = page_module.ChecklistsPage(demo_ctx)
    qtbot.addWidget(page)
    assert "close.toml 第 2 行" in page.template_problems.text()
    assert not page.template_problems.isHidden()
    assert page.business.findData("close") == -1
    assert page.business.count() == 17


def test_saving_a_pdf_warns_that_it_is_not_encrypted(
    keyacct_qapp, qtbot, monkeypatch, tmp_path
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from keyacct_desktop.printing.base import Letterhead, PdfDocument

    document = PdfDocument("测试文件", letterhead=Letterhead())
    document.paragraph("客户联系人:张敏")
    dialog = PrintPreviewDialog(document.render(), "测试")
    qtbot.addWidget(dialog)
    target = tmp_path / "告知书"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    answers = [QMessageBox.StandardButton.Cancel, QMessageBox.StandardButton.Save]
    warned: list[str] = []

    def warning(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
        warned.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "warning", warning)
    dialog.save_as()
    assert not target.with_suffix(".pdf").exists()  # cancelled: nothing written
    dialog.save_as()
    assert target.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert len(warned) == 2 and "加密" in warned[0]


@pytest.mark.parametrize("key", ["checklists", "plans", "outages", "sync"])
def test_no_column_header_is_clipped(window, demo_ctx, key) -> None:
    from PySide6.QtWidgets import QTableView

    page = window.show_page(key)
    if key == "checklists":  # fill the item table, whose narrow columns are the tightest
        page.customer.set_customer(first_customer(demo_ctx))
        page.create_draft()
    for view in page.findChildren(QTableView):
        header = view.horizontalHeader()
        for column in range(header.count()):
            if header.isSectionHidden(column):
                continue
            needed = header.sectionSizeFromContents(column).width()
            title = view.model().headerData(column, Qt.Orientation.Horizontal)
            assert header.sectionSize(column) >= needed, (key, title)


def test_english_checklist_page_shows_english_stages(keyacct_qapp, demo_ctx, qtbot) -> None:
    from keyacct_desktop.gui.pages.checklists import ChecklistsPage

    demo_ctx.settings.set("ui.language", "en")
    page = ChecklistsPage(demo_ctx)
    qtbot.addWidget(page)
    page.customer.set_customer(first_customer(demo_ctx))
    page.create_draft()
    stages = {page.items_model.index(r, 1).data() for r in range(page.items_model.rowCount())}
    assert "At application" in stages and all(stage.isascii() for stage in stages)


def test_reminders_list_the_customers_to_call_and_can_be_ticked_off(window, demo_ctx) -> None:
    from datetime import datetime, timedelta

    from keyacct_desktop.services.outages import OutageService

    customers = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:3]
    starts = datetime.now() + timedelta(minutes=20)
    OutageService(demo_ctx.store, demo_ctx.settings).issue(
        kind="fault",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        area="科技大道以东",
        reason="线路故障抢修",
        customer_ids=customers,
    )
    page = window.show_page("outages")
    assert page.reminders.count() == 3 and page.reminded_button.isEnabled()
    page.reminders.item(0).setSelected(True)
    page.mark_reminded()
    assert page.reminders.count() == 2
    page.reminders.clearSelection()
    page.mark_reminded()  # none selected: every customer listed was reminded
    assert page.reminders.count() == 0 and not page.reminded_button.isEnabled()
    assert page.reminder_timer.isActive()


def test_plan_editor_has_every_field_of_the_handout(
    window, demo_ctx, tmp_path, monkeypatch
) -> None:
    """Sources, metering and fees tables, load grade, contact and power quality are edited
    on the page, saved, frozen at issue and printed."""
    from keyacct_desktop.domain.enums import LoadGrade
    from tests.test_documents import pdf_text

    page = window.show_page("plans")
    page.customer.set_customer(first_customer(demo_ctx))
    page.create_draft()
    assert page.customer_facts.text(), "user category, industry and grade are shown"
    page.inputs["contact"].setText("张敏 13800138000")
    page.inputs["power_quality"].setText("谐波电流须满足 GB/T 14549")
    for key, value in (
        ("property_boundary", "客户进线电缆终端头"),
        ("receiving_type", "户内变电站"),
        ("protection", "进线设速断、过流保护"),
    ):
        page.inputs[key].setText(value)
    page.load_grade.setCurrentIndex(page.load_grade.findData(LoadGrade.SECOND.value))
    page.sources_table.add_row()
    row = page.sources_table.rowCount() - 1
    for column, text in (
        (0, "2"),
        (2, "10"),
        (3, "800"),
        (4, "城南 110 kV 变电站"),
        (5, "城南二回"),
    ):
        page.sources_table.item(row, column).setText(text)
    role = page.sources_table.cellWidget(row, 1)
    role.setCurrentIndex(role.findData("backup"))
    page.fees_table.add_row()
    page.fees_table.item(0, 0).setText("高可靠性供电费")
    page.fees_table.item(0, 1).setText("260")
    page.fees_table.item(0, 2).setText("2000")
    assert page.save()
    data = page.current.data
    assert data["contact"] == "张敏 13800138000" and data["load_grade"] == "second"
    assert data["sources"][-1]["role"] == "backup" and data["sources"][-1]["capacity_kva"] == 800
    assert data["fees"] == [
        {
            "item": "高可靠性供电费",
            "unit_price": 260,
            "quantity": 2000,
            "amount": 520000,
            "basis": "",
        }
    ], "the amount is unit price × quantity"
    assert data["metering"] and page.metering_table.rowCount() == len(data["metering"])

    page.fees_table.item(0, 1).setText("二百六")
    errors: list[str] = []
    monkeypatch.setattr(
        "keyacct_desktop.gui.pages.plans.show_error",
        lambda _parent, error, _language: errors.append(str(error)),
    )
    assert not page.save()
    assert errors and "not a number" in errors[0]
    page.fees_table.item(0, 1).setText("260")

    page.issue()
    assert page.current.status == "issued"
    assert not page.table_buttons[0].isEnabled() and not page.load_grade.isEnabled()
    target = tmp_path / "plan.pdf"
    target.write_bytes(page.pdf())
    text = pdf_text(target)
    for expected in (
        "张敏13800138000",
        "二级负荷",
        "城南110kV变电站",
        "备供",
        "520000",
        "GB/T14549",
    ):
        assert expected in text, expected
    assert "520000.0" not in text


def test_printing_through_qt_sends_every_page_at_a_sane_resolution(
    keyacct_qapp, demo_ctx, tmp_path, qtbot
) -> None:
    """The Qt print path (QPdfDocument → QPrinter), with a PDF file as the printer."""
    import re
    import subprocess

    from PySide6.QtPrintSupport import QPrinter

    from keyacct_desktop.gui.print_preview import PRINT_DPI, print_pdf
    from keyacct_desktop.printing.base import Letterhead
    from keyacct_desktop.printing.documents import render_checklist
    from keyacct_desktop.services.checklists import ChecklistService

    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    view = service.issue(service.draft(first_customer(demo_ctx), "hv_new", date(2026, 11, 20)))
    dialog = PrintPreviewDialog(render_checklist(view, Letterhead()), "告知书")
    qtbot.addWidget(dialog)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert printer.resolution() > PRINT_DPI  # a fine printer: pages must not be sent at 1200 dpi
    pages = dialog.document.pageCount()
    assert pages >= 2 and print_pdf(dialog.document, printer) == pages
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "printed.pdf")], capture_output=True, text=True, check=True
    ).stdout
    assert int(re.search(r"Pages:\s+(\d+)", info)[1]) == pages
    listing = subprocess.run(
        ["pdfimages", "-list", str(tmp_path / "printed.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()[2:]
    widths = [int(line.split()[3]) for line in listing if line.split()[2] == "image"]
    assert len(widths) == pages and max(widths) <= round(210 / 25.4 * PRINT_DPI) + 1


def test_outage_page_offers_the_known_substations_and_lines(window, demo_ctx) -> None:
    page = window.show_page("outages")
    with demo_ctx.store.read() as session:
        substation, line = session.query(PowerSource.substation, PowerSource.line).first()
    assert substation in page.substation_completer.model().stringList()
    assert line in page.line_completer.model().stringList()
    page.substation_completer.setCompletionPrefix(substation[1:3])  # any part of the name
    assert page.substation_completer.completionCount() >= 1


def test_outage_page_cancels_an_issued_outage_after_confirmation(
    window, demo_ctx, monkeypatch
) -> None:
    from keyacct_desktop.services.outages import OutageService

    with demo_ctx.store.read() as session:
        customer_id = session.query(PowerSource.customer_id).first()[0]
    start = datetime.now() + timedelta(days=9)
    view = OutageService(demo_ctx.store, demo_ctx.settings).issue(
        kind="planned",
        starts_at=start,
        ends_at=start + timedelta(hours=4),
        area="科技大道以东",
        reason="线路检修",
        customer_ids=[customer_id],
    )
    page = window.show_page("outages")
    page.show_outage(view.id)
    asked: list[str] = []

    def answer(reply):  # type: ignore[no-untyped-def]
        return lambda _parent, _title, text: asked.append(text) or reply

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.No))
    page.cancel_outage()
    assert asked and page.current.status == "issued"  # declined: nothing changed
    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Yes))
    page.cancel_outage()
    assert page.current.status == "cancelled"
