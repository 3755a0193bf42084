"""Consumption and billing on screen: the 24-month chart, credit reasons, advice, arrears
follow-up, 首页's box of sharp changes; screenshots at 1366x768 (offscreen)."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QDate
from PySide6.QtGui import QImage
from sqlalchemy import func, insert, select, update

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.billing import month_span
from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.economics.panel import CustomerEconomicsDialog, EconomicsPanel
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.operations import change_bus, database_worker
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.models import (
    ArrearsAction,
    Customer,
    CustomerMonth,
    customer_month_id,
)
from tests.conftest import DEMO_TODAY
from tests.op_helpers import ThreadLog, note_threads

MONTHS = month_span("2026-10", 24)


def add_history(ctx: AppContext) -> dict[str, uuid.UUID]:
    """24 months for every demo customer; three with a story:
    a two-part-tariff plant whose consumption fell 40 % and owes money, one that grew 50 %."""
    with ctx.store.read() as session:
        ids = list(session.scalars(select(Customer.id).order_by(Customer.account_no)))
    plant, grower = ids[0], ids[1]
    with ctx.store.begin() as session:
        session.execute(
            update(Customer)
            .where(Customer.id == plant)
            .values(tariff="large_industry", capacity_kva=1000.0, credit_rating="AAA")
        )
    rows = []
    demands = [300, 320, 350, 380, 400, 420, 450, 430, 410, 390, 360, 340]
    for n, cid in enumerate(ids):
        for m, month in enumerate(MONTHS):
            kwh = 50_000.0 + 1_000 * (n % 17) + 2_000 * (m % 12)
            if cid == plant and m >= 21:
                kwh *= 0.6
            if cid == grower and m >= 21:
                kwh *= 1.5
            peak, flat = round(kwh * 0.35), round(kwh * 0.40)
            rows.append(
                {
                    "id": customer_month_id(cid, month),
                    "customer_id": cid,
                    "month": month,
                    "version": 0,
                    "kwh": kwh,
                    "kwh_peak": float(peak),
                    "kwh_flat": float(flat),
                    "kwh_valley": kwh - peak - flat,
                    "bill_yuan": kwh * 0.7,
                    "paid_yuan": kwh * 0.7,
                    "arrears_yuan": 0.0,
                    "max_demand_kw": float(demands[m % 12]),
                    "billing_mode": "capacity",
                }
            )
    rows[23].update(paid_yuan=0.0, arrears_yuan=rows[23]["bill_yuan"], overdue_days=35)
    with ctx.store.begin() as session:
        for start in range(0, len(rows), 5000):
            session.execute(insert(CustomerMonth), rows[start : start + 5000])
    return {"plant": plant, "grower": grower}


@pytest.fixture
def story(demo_ctx: AppContext) -> dict[str, uuid.UUID]:
    return add_history(demo_ctx)


def bar_pixels(image: QImage, widget, window) -> int:  # type: ignore[no-untyped-def]
    origin = widget.mapTo(window, widget.rect().topLeft())
    count = 0
    for x in range(origin.x(), origin.x() + widget.width(), 3):
        for y in range(origin.y(), origin.y() + widget.height(), 3):
            colour = image.pixelColor(x, y)
            if colour.blue() > 120 and colour.red() < 80:
                count += 1
    return count


def test_customer_window_shows_chart_credit_advice_and_arrears(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot, tmp_path: Path, monkeypatch
) -> None:
    dialog = CustomerEconomicsDialog(demo_ctx, story["plant"])
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitExposed(dialog)
    panel = dialog.panel
    panel.today = date(2026, 11, 20)
    assert "用电与电费" in dialog.windowTitle()
    # the last 3 months fell 40 % against a year before
    assert [round(c.change, 2) for c in panel.data.changes[-3:]] == [-0.4, -0.4, -0.4]
    assert "截至 2026-10 的近 12 个月" in panel.summary.text()
    assert "同比 -" in panel.summary.text()
    # credit from the history: one overdue month with 35 days, the whole bill unpaid
    reasons = [panel.credit_reasons.item(i).text() for i in range(panel.credit_reasons.count())]
    assert any("最长逾期 35 天" in r for r in reasons)
    assert "档案中的等级:AAA" in panel.credit_title.text()
    assert panel.apply_rating_button.isEnabled()
    # the worked case: demand billing at 400 kW is 131,040 yuan cheaper
    assert "按容量 336,000.00 元,按需量 204,960.00 元" in panel.advice_text.text()
    assert "建议按需量计费,核定需量 400 kW" in panel.advice_text.text()
    assert "逾期 35 天" in panel.arrears_text.text() and "风险 高" in panel.arrears_text.text()

    shot = tmp_path / "customer-economics.png"
    assert dialog.grab().save(str(shot))
    assert bar_pixels(QImage(str(shot)), panel.chart, dialog) > 200

    # printing the reminder logs a written reminder; the preview gets the PDF
    previews: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        EconomicsPanel, "_preview", lambda self, pdf, title: previews.append((pdf, title))
    )
    assert panel.print_notice() is not None
    assert previews[-1][0].startswith(b"%PDF") and previews[-1][1] == "电费催缴通知单"
    assert panel.action_list.count() == 1 and "书面催缴通知" in panel.action_list.item(0).text()
    assert panel.print_advice() is not None

    # an instalment agreement through the dialog: a bad line is refused with a reason
    follow_up = panel.log_follow_up()
    assert follow_up is not None
    follow_up.kind.setCurrentIndex(follow_up.kind.findData("instalment"))
    follow_up.done_on.setDate(QDate(2026, 11, 21))
    follow_up.amount.setValue(100_000)
    follow_up.instalments.setPlainText("2026-12-20 五万")
    assert not follow_up.save()
    assert "不是数字" in follow_up.problem.text()
    follow_up.instalments.setPlainText("2026-12-20 50,000\n2027-01-20 50000")
    assert follow_up.save()
    assert panel.action_list.count() == 2 and "分期缴费协议" in panel.action_list.item(0).text()
    assert "2 期中 2 期未缴  下一期 2026-12-20:50,000.00" in panel.action_list.item(0).text()
    panel.action_list.setCurrentRow(1)  # the written reminder: nothing to pay
    assert not panel.paid_button.isEnabled()
    panel.action_list.setCurrentRow(0)
    assert panel.paid_button.isEnabled() and panel.mark_paid()
    assert "下一期 2027-01-20" in panel.action_list.item(0).text()

    panel.apply_rating()
    assert not panel.apply_rating_button.isEnabled()
    with demo_ctx.store.read() as session:
        assert session.get(Customer, story["plant"]).credit_rating == panel.data.credit.rating


def test_home_lists_sharp_changes_and_arrears(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot, tmp_path: Path
) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    home = window.pages["home"]
    home.today = DEMO_TODAY
    box = home.economics
    with qtbot.waitSignal(box.loaded, timeout=20_000):
        home.refresh()
        window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: not home.loading)
    falls = [box.falls.item(i).text() for i in range(box.falls.count())]
    rises = [box.rises.item(i).text() for i in range(box.rises.count())]
    with demo_ctx.store.read() as session:
        plant = session.get(Customer, story["plant"]).name
        grower = session.get(Customer, story["grower"]).name
    assert falls == [f"-40%  {plant}"]
    assert rises == [f"+50%  {grower}"]
    assert "欠费客户 1 户(高风险 1 户)" in box.arrears.text()
    assert window.grab().save(str(tmp_path / "home-economics.png"))
    box.falls.itemDoubleClicked.emit(box.falls.item(0))
    assert isinstance(box.dialog, CustomerEconomicsDialog)
    assert box.dialog.panel.data.customer_id == story["plant"]
    box.dialog.reject()


def test_customer_list_and_editor_open_the_history(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot
) -> None:
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    assert page.show_economics() is None  # nothing selected yet
    page.table.selectRow(0)
    dialog = page.show_economics()
    assert dialog is not None and dialog.panel.data.customer_id == page.model.customer_id(0)
    dialog.reject()
    editor = page.edit_customer(story["plant"])
    assert editor.economics is not None
    assert editor.tabs.tabText(editor.tabs.count() - 1) == "用电与电费"
    assert len(editor.economics.chart.months) == 24
    editor.reject()


def test_monthly_import_from_home_with_preview_and_arrears_list(
    keyacct_qapp, demo_ctx: AppContext, qtbot, tmp_path: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QInputDialog, QMessageBox

    from keyacct_desktop.gui.economics.home_box import EconomicsBox

    with demo_ctx.store.read() as session:
        accounts = list(session.scalars(select(Customer.account_no).order_by(Customer.account_no)))
    box = EconomicsBox(demo_ctx)
    qtbot.addWidget(box)
    box.today = date(2026, 11, 20)
    path = tmp_path / "营销系统-2026-10.csv"
    lines = ["户号,总电量,应收电费,实收电费,欠费金额,欠费天数"]
    lines += [f"{a},1000,700,700,0,0" for a in accounts[:5]]
    lines += [f"{accounts[5]},2000,1400,0,1400,20", "9999999999,1,1,1,0,0"]
    path.write_text("\n".join(lines), encoding="utf-8")

    previews: list[QMessageBox] = []

    def import_valid_rows(dialog: QMessageBox) -> int:
        previews.append(dialog)
        for button in dialog.buttons():
            if dialog.buttonRole(button) == QMessageBox.ButtonRole.AcceptRole:
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", import_valid_rows)
    # the file has no month column: the user is asked for it
    monkeypatch.setattr(QInputDialog, "getText", lambda *args: ("2026-10", True))
    with qtbot.waitSignal(box.loaded, timeout=20_000):
        box.importer.check(path)
    assert "7 行:新增 6,变化 0,已存在 0;1 行有问题" in previews[0].text()
    assert "第 8 行 · 户号 9999999999 不在客户档案中" in previews[0].detailedText()
    assert box.importer.result is not None and box.importer.result.inserted == 6
    with demo_ctx.store.read() as session:  # the profile's indicators follow (box checked)
        owing = session.scalars(select(Customer).where(Customer.account_no == accounts[5])).one()
        assert (owing.overdue_count, owing.overdue_days_max, owing.recovery_rate) == (1, 20, 0)
    assert "欠费客户 1 户" in box.arrears.text()

    # re-importing the same file: nothing to write, the import button is disabled
    previews.clear()
    monkeypatch.setattr(QMessageBox, "exec", lambda dialog: previews.append(dialog) or 0)
    task = box.importer.check(path, "2026-10")
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    assert task.done
    assert "新增 0,变化 0,已存在 6" in previews[0].text()
    accept = [
        b
        for b in previews[0].buttons()
        if previews[0].buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    ]
    assert not accept[0].isEnabled()

    dialog = box.show_arrears()
    assert dialog is not None and dialog.model.rowCount() == 1
    assert dialog.model.index(0, 2).data() == "1,400.00"
    assert dialog.model.index(0, 5).data() == "中"  # 20 days ≥ 10: medium
    opened = dialog.open_row(0)
    assert isinstance(opened, CustomerEconomicsDialog)
    opened.reject()
    dialog.reject()


def _read_threads(monkeypatch: pytest.MonkeyPatch) -> ThreadLog:
    """The threads the panel's reads run on (the real read, noted on the way)."""
    from keyacct_desktop.gui.economics import panel as panel_module

    return note_threads(monkeypatch, panel_module, "customer_economics")


def _open_economics_tab(ctx: AppContext, customer_id: uuid.UUID, qtbot) -> CustomerEditor:  # type: ignore[no-untyped-def]
    editor = CustomerEditor(ctx, customer_id)
    qtbot.addWidget(editor)
    assert editor.economics is not None
    editor.tabs.setCurrentWidget(editor.economics)
    editor.show()
    qtbot.waitExposed(editor)
    return editor


def test_the_panel_is_read_on_the_worker_and_a_closed_editor_drops_the_answer(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: the 24-month read and its scores run on the database worker; "reading…"
    shows meanwhile; an answer for an editor closed since, or for an older load, is dropped."""
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = _read_threads(monkeypatch)
    editor = _open_economics_tab(demo_ctx, story["plant"], qtbot)
    panel = editor.economics
    assert panel is not None
    assert panel.data is None and panel.summary.text() == "正在读取…"  # nothing read here
    assert not panel.log_button.isEnabled()
    qtbot.waitUntil(lambda: panel.data is not None, timeout=10_000)
    assert len(panel.chart.months) == 24 and "截至 2026-10 的近 12 个月" in panel.summary.text()
    assert panel.log_button.isEnabled() and panel.apply_rating_button.isEnabled()
    assert threads.all_off_the_gui_thread

    # a newer load (another customer) before the first answer: only the newer one shows
    shown: list[uuid.UUID] = []
    panel.loaded.connect(lambda data: shown.append(data.customer_id))
    panel.load(story["plant"])
    panel.load(story["grower"])
    assert panel.summary.text() == "正在读取…"
    qtbot.waitUntil(lambda: len(threads) == 3, timeout=10_000)
    database_worker().waitForDone()
    qtbot.waitUntil(lambda: bool(shown), timeout=10_000)
    QCoreApplication.processEvents()
    assert shown == [story["grower"]] and panel.data.customer_id == story["grower"]  # type: ignore[union-attr]

    # closed before its answer arrives: the answer is dropped
    second = CustomerEditor(demo_ctx, story["plant"])
    qtbot.addWidget(second)
    late = second.economics
    assert late is not None
    second.reject()
    qtbot.waitUntil(lambda: len(threads) == 4, timeout=10_000)
    database_worker().waitForDone()
    QCoreApplication.processEvents()
    assert late.data is None


def test_a_change_notice_for_the_customer_reads_the_panel_again(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync (or any write elsewhere) that adds a month of this customer's refreshes the
    open panel through the store's change bus; another customer's change does not."""
    monkeypatch.delenv("KEYACCT_OPS_INLINE")
    threads = _read_threads(monkeypatch)
    editor = _open_economics_tab(demo_ctx, story["plant"], qtbot)
    panel = editor.economics
    assert panel is not None
    qtbot.waitUntil(lambda: panel.data is not None, timeout=10_000)
    bus = change_bus(demo_ctx.store)

    def add_month(customer_id: uuid.UUID, month: str) -> Changes:
        """A month pulled by a sync: written under the sync's capture, then announced as
        the sync controller does."""
        row = {
            "id": customer_month_id(customer_id, month),
            "customer_id": customer_id,
            "month": month,
            "version": 1,
            "kwh": 40_000.0,
            "bill_yuan": 28_000.0,
            "paid_yuan": 28_000.0,
            "arrears_yuan": 0.0,
        }
        feed = change_feed(demo_ctx.store)
        with feed.capture("sync") as capture, demo_ctx.store.begin() as session:
            session.execute(insert(CustomerMonth), [row])
        bus.publish(capture.changes)
        return capture.changes

    reads = len(threads)
    changes = add_month(story["grower"], "2026-11")
    assert changes.origin == "sync" and story["grower"] in changes.customers
    assert len(threads) == reads  # another customer's month: nothing read again
    assert "截至 2026-10" in panel.summary.text()

    add_month(story["plant"], "2026-11")
    qtbot.waitUntil(lambda: "截至 2026-11" in panel.summary.text(), timeout=10_000)
    assert len(threads) == reads + 1 and threads.none_on_the_gui_thread
    assert panel.data is not None and panel.data.last_month == "2026-11"

    # hidden behind another tab: read again when shown, not before
    editor.tabs.setCurrentIndex(0)
    add_month(story["plant"], "2026-12")
    assert len(threads) == reads + 1
    editor.tabs.setCurrentWidget(panel)
    qtbot.waitUntil(lambda: "截至 2026-12" in panel.summary.text(), timeout=10_000)
    assert len(threads) == reads + 2

    # the panel's own write is read again once, not again when it is announced
    assert panel.apply_rating_button.isEnabled()
    panel.apply_rating()
    qtbot.waitUntil(lambda: not panel.apply_rating_button.isEnabled(), timeout=10_000)
    database_worker().waitForDone()
    QCoreApplication.processEvents()
    assert len(threads) == reads + 3


def test_the_advice_sheet_is_built_off_the_gui_thread(
    keyacct_qapp, demo_ctx: AppContext, story, qtbot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ReportLab renders the advice sheet on the database worker (it logs nothing: a read);
    the preview opens when the PDF is there."""
    from keyacct_desktop.services import economics_print

    monkeypatch.delenv("KEYACCT_OPS_INLINE")
    threads = note_threads(monkeypatch, economics_print, "print_advice_sheet")
    previews: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        EconomicsPanel, "_preview", lambda self, pdf, title: previews.append((pdf, title))
    )
    dialog = CustomerEconomicsDialog(demo_ctx, story["plant"])
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.panel
    qtbot.waitUntil(lambda: panel.print_advice_button.isEnabled(), timeout=10_000)
    assert "用电与电费:" in dialog.windowTitle()  # the customer's name, once read
    with demo_ctx.store.read() as session:
        actions_before = session.scalar(select(func.count()).select_from(ArrearsAction))
    assert panel.print_advice() is None  # not built here
    assert not previews and not panel.print_advice_button.isEnabled()
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    assert previews[0][0].startswith(b"%PDF") and previews[0][1] == "基本电费建议"
    assert threads.all_off_the_gui_thread
    assert panel.print_advice_button.isEnabled()
    with demo_ctx.store.read() as session:  # nothing logged
        assert session.scalar(select(func.count()).select_from(ArrearsAction)) == actions_before
