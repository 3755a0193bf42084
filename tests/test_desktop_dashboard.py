"""首页 dashboard: the figures, the lists behind them, the charts and locale formatting."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtGui import QImage

from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.pages.dashboard import DrillDownDialog, format_date, format_number
from keyacct_desktop.services.checklists import ChecklistService
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.outages import OutageService
from keyacct_desktop.services.overview import (
    DUE_WITHIN_DAYS,
    dashboard,
    manager_for,
    visit_frequency_days,
)
from keyacct_desktop.store.models import Customer
from tests.conftest import DEMO_TODAY


@pytest.fixture
def customers(demo_ctx):
    directory = CustomerDirectory(demo_ctx.store)
    return directory.find_ids(CustomerQuery())[:3]


def test_dashboard_figures_on_demo_data(demo_ctx) -> None:
    data = dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY)
    assert data.customers == 120 and set(data.by_class) <= {"A", "B", "C", "D", "-"}
    assert sum(data.consumption_by_class.values()) > 0
    assert data.visits_overdue and data.visits_due_soon
    horizon = DEMO_TODAY + timedelta(days=DUE_WITHIN_DAYS)
    assert all(v.due_on <= horizon for v in data.visits_due)
    assert all(v.due_on < DEMO_TODAY or v.last_visit is None for v in data.visits_overdue)
    assert all(r.state in ("open", "in_progress", "answered") for r in data.referrals)
    assert all(r.due_on < DEMO_TODAY for r in data.referrals_overdue)
    assert sum(data.referrals_by_team.values()) == len(data.referrals)
    assert data.risks and all(r.reasons for r in data.risks)
    months = [month for month, _score, _count in data.satisfaction]
    assert months == sorted(months) and 1 <= len(months) <= 12
    assert all(1 <= score <= 5 for _month, score, _count in data.satisfaction)
    assert not data.limits and not data.notices  # the demo issues no documents


def test_visit_frequency_is_the_shorter_of_class_and_grade(demo_ctx) -> None:
    settings = demo_ctx.settings
    plain = Customer(pyramid_class="D", important_grade=None)
    important = Customer(pyramid_class="D", important_grade="special")
    assert visit_frequency_days(plain, settings) == 180
    assert visit_frequency_days(important, settings) == 15
    settings.set("visits.class_frequency_days", {"A": 30, "B": 60, "C": 90, "D": 10})
    assert visit_frequency_days(important, settings) == 10


def test_my_customers_only_when_signed_in(demo_ctx) -> None:
    me = manager_for(demo_ctx.store, "manager1")
    assert me is not None and manager_for(demo_ctx.store, "nobody") is None
    mine = dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY, manager_id=me[0])
    everyone = dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY)
    assert 0 < mine.customers < everyone.customers
    assert {v.customer_id for v in mine.visits_due} <= {v.customer_id for v in everyone.visits_due}


def test_expiring_time_limits_and_notices_to_deliver(demo_ctx, customers) -> None:
    checklists = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = checklists.draft(customers[0], "hv_new", DEMO_TODAY - timedelta(days=30))
    checklists.issue(checklist_id, now=datetime(2026, 10, 21, 9, 0))
    outages = OutageService(demo_ctx.store, demo_ctx.settings)
    now = datetime.combine(DEMO_TODAY, datetime.min.time()) + timedelta(hours=10)
    event = outages.issue(
        kind="planned",
        starts_at=now + timedelta(days=8),
        ends_at=now + timedelta(days=8, hours=6),
        area="科技大道以东",
        reason="线路检修",
        customer_ids=customers[:2],
        now=now,
    )
    data = dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY)
    assert data.limits and all(limit.checklist_id == checklist_id for limit in data.limits)
    # 30 days after acceptance only the plan reply has run out: the later steps never started
    (overdue,) = data.limits_overdue
    assert overdue.text.startswith("供电方案答复") and data.limits == [overdue]
    page = checklists.view(checklist_id, today=DEMO_TODAY)
    assert [item.text for item in page.warnings] == [overdue.text]
    assert {n.customer_id for n in data.notices} == set(customers[:2])
    outages.record_delivery(data.notices[0].notice_id, "当面送达", "李明", at=now)
    after = dashboard(demo_ctx.store, demo_ctx.settings, today=DEMO_TODAY)
    assert len(after.notices) == 1
    assert event is not None


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot) -> MainWindow:
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    home = main.pages["home"]
    home.today = DEMO_TODAY
    home.refresh()  # the window's own refresh is running: this one follows it
    main.show()
    qtbot.waitExposed(main)
    qtbot.waitUntil(lambda: not home.loading and home.data and home.data.today == DEMO_TODAY)
    return main


def test_tiles_show_the_figures_in_locale_format(window: MainWindow) -> None:
    home = window.pages["home"]
    data = home.data
    assert home.tiles["customers"].value.text() == "120"
    assert home.tiles["A"].value.text() == str(data.by_class["A"])
    assert home.tiles["visits_overdue"].value.text() == format_number(len(data.visits_overdue))
    assert "%" in home.tiles["A"].detail.text()
    assert home.tiles["customers"].caption.text() == "我的客户"
    assert home.consumption_chart.values == {
        k: v for k, v in data.consumption_by_class.items() if k != "-"
    }
    assert home.satisfaction_chart.points == data.satisfaction


def test_class_tile_opens_the_filtered_customer_list(window: MainWindow, qtbot) -> None:
    home = window.pages["home"]
    home.tiles["B"].click()
    page = window.stack.currentWidget()
    assert page is window.pages["customers"]
    assert page.class_filter.currentData() == ("B",)
    assert page.model.rowCount() == home.data.by_class["B"]


def test_visit_tile_lists_the_customers_and_opens_one(window: MainWindow) -> None:
    home = window.pages["home"]
    home.tiles["visits_overdue"].click()
    dialog = home.dialog
    assert isinstance(dialog, DrillDownDialog) and dialog.isVisible()
    assert dialog.model.rowCount() == len(home.data.visits_overdue)
    first = home.data.visits_overdue[0]
    assert dialog.model.index(0, 0).data() == first.account_no
    dialog.open_row(0)
    page = window.stack.currentWidget()
    assert page is window.pages["customers"]
    assert page.search.text() == first.account_no and page.model.rowCount() == 1


def test_risk_and_referral_tiles_list_their_records(window: MainWindow) -> None:
    home = window.pages["home"]
    home.tiles["risk"].click()
    assert home.dialog.model.rowCount() == len(home.data.risks)
    assert home.dialog.model.index(0, 2).data()  # the reasons, in Chinese
    home.dialog.reject()
    home.tiles["referrals"].click()
    assert home.dialog.model.rowCount() == len(home.data.referrals)
    home.dialog.reject()


def test_limit_tile_opens_the_checklist(window: MainWindow, demo_ctx, customers, qtbot) -> None:
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    checklist_id = service.draft(customers[0], "hv_new", DEMO_TODAY - timedelta(days=30))
    service.issue(checklist_id, now=datetime(2026, 10, 21, 9, 0))
    home = window.show_page("home")
    with qtbot.waitSignal(home.loaded):
        home.refresh()
    assert home.tiles["limits"].value.text() == str(len(home.data.limits))
    home.tiles["limits"].click()
    home.dialog.open_row(0)
    page = window.stack.currentWidget()
    assert page is window.pages["checklists"]
    assert page.current is not None and page.current.id == checklist_id


def test_dates_and_numbers_follow_the_ui_locale(keyacct_qapp) -> None:
    day = date(2026, 11, 20)
    try:
        QLocale.setDefault(QLocale("en_US"))
        assert format_number(1234567) == "1,234,567"
        assert format_date(day) == "11/20/26"
        QLocale.setDefault(QLocale("de_DE"))
        assert format_number(1234567) == "1.234.567"
    finally:
        QLocale.setDefault(QLocale("zh_CN"))
    assert format_date(day) == "2026/11/20"
    assert format_number(2.5, 1) == "2.5"


def test_screenshot_shows_tiles_and_charts(window: MainWindow, tmp_path: Path) -> None:
    home = window.show_page("home")
    shot = tmp_path / "home.png"
    assert window.grab().save(str(shot))
    image = QImage(str(shot))
    chart = home.consumption_chart
    origin = chart.mapTo(window, chart.rect().topLeft())
    blue = 0
    for x in range(origin.x(), origin.x() + chart.width(), 3):
        for y in range(origin.y(), origin.y() + chart.height(), 3):
            color = image.pixelColor(x, y)
            if color.blue() > 120 and color.red() < 80:
                blue += 1
    assert blue > 200, "the consumption bars are not drawn"
