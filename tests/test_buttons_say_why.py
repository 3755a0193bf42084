"""Every button acts or says why not; actions keep the selection; issuing asks first."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from PySide6.QtWidgets import QMessageBox

from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.outages import OutageService


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot):  # type: ignore[no-untyped-def]
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.sync_controller.stop()


@pytest.fixture
def boxes(monkeypatch):  # type: ignore[no-untyped-def]
    """Message boxes answered in the test: what they said, and the next Yes/No."""

    class Boxes:
        def __init__(self) -> None:
            self.told: list[str] = []
            self.asked: list[str] = []
            self.answers: list[QMessageBox.StandardButton] = []

    found = Boxes()
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: found.told.append(text))
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *_a: found.asked.append(text) or found.answers.pop(0),
    )
    return found


def _outage(ctx, customers: int = 3):  # type: ignore[no-untyped-def]
    ids = CustomerDirectory(ctx.store).find_ids(CustomerQuery())[:customers]
    starts = datetime.now().replace(second=0, microsecond=0) + timedelta(days=9)
    return OutageService(ctx.store, ctx.settings).issue(
        kind="planned",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        area="科技大道以东",
        reason="线路检修",
        customer_ids=ids,
    )


def test_delivery_and_acknowledgement_say_when_nothing_is_selected(
    window, demo_ctx, boxes, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    view = _outage(demo_ctx)
    page = window.show_page("outages")
    page.show_outage(view.id)
    page.notices_view.setCurrentIndex(page.notices_model.index(-1, 0))
    page.deliver_button.click()
    page.ack_button.click()
    assert boxes.told == ["请先选择一次停电,再在其通知列表中选择一位客户的通知。"] * 2

    # After 登记送达 the same notice stays selected, so 登记签收 acts on it next.
    monkeypatch.setattr(
        "PySide6.QtWidgets.QInputDialog.getItem", lambda *a, **k: ("现场送达", True)
    )
    monkeypatch.setattr("PySide6.QtWidgets.QInputDialog.getText", lambda *a, **k: ("张敏", True))
    page.notices_view.selectRow(1)
    page.deliver_button.click()
    assert page.notices_view.currentIndex().row() == 1
    assert page.notices_view.selectionModel().isRowSelected(1)
    page.ack_button.click()
    assert page.current.notices[1].delivered_at is not None
    assert page.current.notices[1].acknowledged_by == "张敏"
    assert page.notices_view.currentIndex().row() == 1 and len(boxes.told) == 2


def test_issuing_an_outage_asks_first_and_names_the_count(window, demo_ctx, boxes) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QDateTime

    page = window.show_page("outages")
    ids = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:2]
    page.add_customers(ids)
    page.area.setText("科技大道以东")
    page.reason.setText("线路检修")
    starts = QDateTime.currentDateTime().addDays(9)
    page.starts.setDateTime(starts)
    page.ends.setDateTime(starts.addSecs(4 * 3600))
    before = len(OutageService(demo_ctx.store, demo_ctx.settings).list())
    boxes.answers[:] = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    page.issue()
    assert len(OutageService(demo_ctx.store, demo_ctx.settings).list()) == before
    assert "2 份" in boxes.asked[0] and starts.toString("yyyy-MM-dd HH:mm") in boxes.asked[0]
    assert "不能撤回" in boxes.asked[0]
    page.issue()
    assert len(OutageService(demo_ctx.store, demo_ctx.settings).list()) == before + 1
    assert page.current is not None and len(page.current.notices) == 2


def test_settings_tooltips_show_labels_not_keys(keyacct_qapp, demo_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.desktop.settings_dialog import SettingsDialog

    dialog = SettingsDialog(demo_ctx.settings, "zh_CN")
    qtbot.addWidget(dialog)
    for key, editor in dialog.editors.items():
        tip = editor.toolTip()
        assert tip and key not in tip, (key, tip)
    assert dialog.editors["security.idle_lock_minutes"].toolTip().endswith("(默认:15)")


def test_customer_actions_keep_the_selection(window, boxes) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("customers")
    page.apply_filters()
    page.table.selectRow(3)
    chosen = page.selected_customer()
    assert page.override_class("A", "市重点保障企业")  # refreshes the list
    assert page.selected_customer() == chosen
    page.refresh()
    assert page.selected_customer() == chosen
