"""Views a manager reads in the field: the whole visit history (searchable, paged), 首页 with
nothing to show yet, and one unit of consumption across the app."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.store.models import Customer, User, Visit


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot):  # type: ignore[no-untyped-def]
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.sync_controller.stop()


def _visits(ctx) -> int:  # type: ignore[no-untyped-def]
    with ctx.store.read() as session:
        return session.scalar(select(func.count()).select_from(Visit)) or 0


def test_the_whole_visit_history_is_paged_and_searchable(window, demo_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    total = _visits(demo_ctx)
    page = window.show_page("visits")
    page.LIMIT = 7  # small pages: the demo store has a few dozen visits
    assert total > 2 * page.LIMIT
    page.refresh_logs(page=0)
    assert page.model.rowCount() == 7 and page.log_count.text() == f"第 1–7 条,共 {total} 条"
    assert not page.previous_logs.isEnabled() and page.next_logs.isEnabled()
    seen = {page.model.object_at(r) for r in range(page.model.rowCount())}
    while page.next_logs.isEnabled():  # every visit once, the oldest on the last page
        page.next_logs.click()
        seen |= {page.model.object_at(r) for r in range(page.model.rowCount())}
    assert len(seen) == total and page.previous_logs.isEnabled()
    last = page.model.index(page.model.rowCount() - 1, 0).data()
    with demo_ctx.store.read() as session:
        oldest = session.scalar(select(func.min(Visit.started_at)))
    assert last == oldest.strftime("%Y-%m-%d %H:%M")

    # Search by customer name: only that customer's visits, from the first page.
    with demo_ctx.store.read() as session:
        name, count = session.execute(
            select(Customer.name, func.count(Visit.id))
            .join(Visit, Visit.customer_id == Customer.id)
            .group_by(Customer.id)
            .order_by(func.count(Visit.id).desc())
        ).first()
    page.log_search.setText(name)
    qtbot.waitUntil(lambda: page.log_count.text() == f"第 1–{min(count, 7)} 条,共 {count} 条")
    assert {page.model.index(r, 1).data() for r in range(page.model.rowCount())} == {name}
    page.log_search.setText("没有这样的走访")
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.log_count.text() == "第 0–0 条,共 0 条" and not page.next_logs.isEnabled()


def test_home_for_a_manager_with_no_customers_says_what_to_do(keyacct_qapp, ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    with ctx.store.begin() as session:
        session.add(User(username="newcomer", display_name="新来的经理"))
    ctx.settings.set("sync.username", "newcomer")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    home = window.show_page("home")
    qtbot.waitUntil(lambda: home.data is not None and not home.loading, timeout=20_000)
    assert home.data.customers == 0
    for chart in (home.consumption_chart, home.satisfaction_chart):
        assert chart.empty.isVisible() and not chart.has_data
    assert "“客户”页新建或导入客户" in home.consumption_chart.empty.text()
    assert "Ctrl+Shift+N" in home.satisfaction_chart.empty.text()
    window.sync_controller.stop()


def test_home_charts_with_data_show_no_empty_note(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    home = window.show_page("home")
    qtbot.waitUntil(lambda: home.data is not None and not home.loading, timeout=20_000)
    assert not home.consumption_chart.empty.isVisible()
    assert home.consumption_chart.has_data


def test_one_consumption_unit_across_the_app(window, demo_ctx, qtbot) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.customer_table import ObjectRole

    customers = window.show_page("customers")
    qtbot.waitUntil(lambda: customers.model.rowCount() > 0)
    home = window.show_page("home")
    qtbot.waitUntil(lambda: home.data is not None and not home.loading, timeout=20_000)
    header = customers.model.headerData(8, _horizontal())
    axis = home.consumption_chart.y_title
    assert header == "年用电量(万千瓦时)" and axis == "万千瓦时/年"
    row = customers.model.index(0, 0).data(ObjectRole)
    shown = customers.model.index(0, 8).data()
    assert shown == f"{row.annual_kwh / 10_000:,.1f}"

    demo_ctx.settings.set("ui.consumption_unit", "kwh")
    home.refresh()
    qtbot.waitUntil(lambda: not home.loading, timeout=20_000)
    assert customers.model.headerData(8, _horizontal()) == "年用电量(千瓦时)"
    assert home.consumption_chart.y_title == "千瓦时/年"
    assert customers.model.index(0, 8).data() == f"{row.annual_kwh:,.0f}"


def _horizontal() -> Qt.Orientation:
    return Qt.Orientation.Horizontal


def test_the_profile_editor_types_consumption_in_the_same_unit(
    keyacct_qapp, demo_ctx, qtbot
) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.customer_editor import CustomerEditor

    with demo_ctx.store.begin() as session:
        customer = session.scalars(select(Customer).order_by(Customer.account_no)).first()
        customer.annual_kwh = 23_940_912.0
        customer_id = customer.id
    editor = CustomerEditor(demo_ctx, customer_id)
    qtbot.addWidget(editor)
    spin = editor.numbers["annual_kwh"]
    assert spin.suffix() == " 万千瓦时" and spin.value() == pytest.approx(2394.0912)
    assert editor.form().annual_kwh == 23_940_912.0  # untouched: kept to the kWh
    assert not editor.has_changes()
    spin.setValue(500)
    assert editor.form().annual_kwh == 5_000_000.0
    editor.reject()

    demo_ctx.settings.set("ui.consumption_unit", "kwh")
    plain = CustomerEditor(demo_ctx, customer_id)
    qtbot.addWidget(plain)
    assert plain.numbers["annual_kwh"].suffix() == " 千瓦时"
    assert plain.numbers["annual_kwh"].value() == 23_940_912.0
    plain.reject()
