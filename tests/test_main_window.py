"""The main window opens on demo data, shows Chinese, and the customer search filters."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from keyacct_desktop.gui.customer_table import IdRole, ObjectRole
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.pages import PAGES


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot) -> MainWindow:
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    return main


def test_navigation_lists_every_page_in_chinese(window: MainWindow) -> None:
    titles = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    assert len(titles) == len(PAGES)
    assert titles[:2] == ["首页", "客户"]
    assert {"走访", "告知单", "供电方案", "停电通知", "同步"} <= set(titles)
    for key, *_ in PAGES:
        assert window.show_page(key) is window.stack.currentWidget()


def test_customer_table_model_is_well_behaved(window: MainWindow, qtmodeltester) -> None:
    page = window.show_page("customers")
    qtmodeltester.check(page.model)
    assert page.model.rowCount() == 120


def test_search_filters_by_chinese_substring_account_and_contact(window: MainWindow, qtbot) -> None:
    page = window.show_page("customers")
    model = page.model
    first = model.index(0, 0).data(ObjectRole)
    fragment = first.name[2:5]  # a Chinese substring from the middle of a name

    page.search.setText(fragment)
    qtbot.waitUntil(lambda: 0 < model.rowCount() < 120)
    names = [model.index(row, 1).data() for row in range(model.rowCount())]
    assert all(fragment in name for name in names) and first.name in names

    page.search.setText(first.account_no)
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert model.index(0, 0).data(IdRole) == first.id

    page.search.setText("没有这样的客户")
    qtbot.waitUntil(lambda: model.rowCount() == 0)
    assert "0" in page.count_label.text()


def test_class_filter_and_sorting(window: MainWindow) -> None:
    page = window.show_page("customers")
    page.class_filter.setCurrentIndex(1)  # class A
    assert page.model.rowCount() > 0
    assert {page.model.index(r, 2).data() for r in range(page.model.rowCount())} == {"A"}
    page.class_filter.setCurrentIndex(0)
    page.model.sort(8, Qt.SortOrder.DescendingOrder)  # annual consumption
    values = [page.model.index(r, 0).data(ObjectRole).annual_kwh for r in range(20)]
    assert values == sorted(values, reverse=True)


def test_screenshot_shows_a_filled_table(window: MainWindow, tmp_path: Path, qtbot) -> None:
    page = window.show_page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() == 120)
    shot = tmp_path / "main_window.png"
    assert window.grab().save(str(shot))
    image = QImage(str(shot))
    table = page.table.viewport()
    origin = table.mapTo(window, table.rect().topLeft())
    background = image.pixelColor(origin.x() + table.width() - 3, origin.y() + table.height() - 3)
    differing = 0
    for x in range(origin.x() + 5, origin.x() + min(table.width(), 700), 4):
        for y in range(origin.y() + 5, origin.y() + min(table.height(), 300), 4):
            if image.pixelColor(x, y) != background:
                differing += 1
    assert differing > 500, "the table area looks empty"
    assert page.model.index(0, 1).data()  # rows have text
    assert window.sync_label.text()
