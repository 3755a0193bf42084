"""Customer list filters of issue 3: voltage and data quality (score below N, a problem kind)
combine with search, sort and every way of reading a page; the quality scores follow edits;
the page keeps showing the active grid and park after a refresh; the risk flags are named
in the list; the customer picker reads only the first page."""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import bindparam, insert, select, update

from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.services import customers as service
from keyacct_desktop.services.customer_quality import quality_index
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.services.data_quality import quality_report
from keyacct_desktop.store.models import Contact, Customer, Grid, Park
from tests.op_helpers import note_threads
from tests.test_customer_list import filled, small_plans  # noqa: F401  (fixtures)


def _matches(
    query: CustomerQuery, score: int, kinds: frozenset[str], voltage: float | None
) -> bool:
    if query.quality_below is not None and not score < query.quality_below:
        return False
    if query.quality_kind is not None and query.quality_kind not in kinds:
        return False
    return query.voltage_kv is None or voltage == query.voltage_kv


@pytest.mark.usefixtures("small_plans")
def test_voltage_and_quality_filters_with_search_sort_and_every_plan(filled) -> None:  # noqa: F811
    store, grid_id = filled
    with store.begin() as session:  # some variety: good files, no contacts
        for n, customer in enumerate(session.scalars(select(Customer).order_by(Customer.name))):
            if n % 5 == 0:
                customer.uscc = "91350100M000100Y43"
                customer.address = "科技路 1 号"
            if n % 7 == 0:
                customer.contacts.clear()
    report = {r.customer_id: r for r in quality_report(store)}
    scores = sorted({r.score for r in report.values()})
    assert len(scores) >= 3
    below = scores[len(scores) // 2]
    directory = CustomerDirectory(store)
    voltages = {i: r.voltage_kv for i, r in directory.rows(list(report)).items()}
    filters = [
        {"quality_below": below},
        {"quality_kind": "no_contact"},
        {"voltage_kv": 10.0, "quality_below": below, "pyramid_classes": ("A", "B")},
        {"voltage_kv": 35.0, "grid_id": grid_id},
        {"quality_kind": "invalid", "risk_only": True},
    ]
    sorts = [("name", False), ("annual_kwh", True), ("voltage_kv", False), ("account_no", True)]
    # Every pair of (words, filter), (words, sort) and (filter, sort), not every triple:
    # the sort rotates with the words and the filter (160 combinations cut to 40).
    for w, words in enumerate(("", "有限公司", "有", "锦程", "化工", "张", "139", "M")):
        for f, extra in enumerate(filters):
            for sort, descending in [sorts[(w + f) % len(sorts)]]:
                query = CustomerQuery(text=words, sort=sort, descending=descending, **extra)
                unfiltered = replace(query, quality_below=None, quality_kind=None, voltage_kv=None)
                expected = [
                    i
                    for i in directory.find_ids(unfiltered)
                    if _matches(query, report[i].score, report[i].kinds, voltages[i])
                ]
                assert directory.find_ids(query) == expected, query
                first = directory.first_page(query)
                assert first.ids == expected[: service.FIRST_PAGE], (query, first.plan)
                assert first.total in (None, len(expected))
                assert directory.count(query) == len(expected), query
                for plan in ("hits", "merge", "documents"):
                    assert directory.page(query, 15, 30, plan) == expected[15:45], (query, plan)
    assert directory.count(CustomerQuery(quality_kind="no_contact")) == sum(
        "no_contact" in r.kinds for r in report.values()
    )


def test_quality_scores_follow_edits_deletes_bulk_writes_and_other_processes(store) -> None:
    good = Customer(
        account_no="3107000201",
        name="完整档案有限公司",
        uscc="91350100M000100Y43",
        address="科技路 1 号",
        park=Park(name="高新区"),
        industry="C",
        voltage_kv=10.0,
        capacity_kva=2000,
        annual_kwh=5e6,
        tariff="large_industry",
        credit_rating="AA",
    )
    good.contacts.append(Contact(name="张敏", mobile="13912345678", last_verified=date.today()))
    lonely = Customer(account_no="3107000202", name="无联系人有限公司", voltage_kv=10.0)
    with store.begin() as session:
        session.add_all([good, lonely])
    directory = CustomerDirectory(store)
    no_contact = CustomerQuery(quality_kind="no_contact")
    invalid = CustomerQuery(quality_kind="invalid")
    below_100 = CustomerQuery(quality_below=100)
    assert directory.find_ids(no_contact) == [lonely.id]
    assert directory.find_ids(below_100) == [lonely.id]
    index = quality_index(store)
    assert index.current()

    with store.begin() as session:  # an edit: only the customers it touched are assessed
        customer = session.get(Customer, lonely.id)
        customer.contacts.append(Contact(name="李四", mobile="139"))
        session.get(Customer, good.id).uscc = "91350100M000100Y44"  # wrong check character
    assert not index.current() and not index.needs_rebuild()
    assert directory.find_ids(no_contact) == []
    assert set(directory.find_ids(invalid)) == {lonely.id, good.id}
    assert set(directory.find_ids(below_100)) == {lonely.id, good.id}

    with store.begin() as session:  # a contact removed, a customer deleted
        session.delete(session.get(Customer, lonely.id))
        customer = session.get(Customer, good.id)
        customer.uscc = "91350100M000100Y43"
        customer.contacts.clear()
    assert directory.find_ids(no_contact) == [good.id]
    assert directory.find_ids(invalid) == []

    bulk_id = uuid.uuid4()
    with store.begin() as session:  # a bulk insert that carries its ids names its customers
        session.execute(
            insert(Customer),
            [{"id": bulk_id, "account_no": "3107000203", "name": "批量导入有限公司"}],
        )
    assert not index.current() and not index.needs_rebuild()
    with store.begin() as session:  # a bulk update names no customer: everyone again
        session.execute(update(Customer).where(Customer.id == bulk_id).values(notes="批量"))
    assert index.needs_rebuild()
    cancelled = TaskState()
    cancelled.cancel()
    with pytest.raises(Cancelled):  # the list's worker was cancelled: still to be done
        index.ensure(cancelled)
    assert index.needs_rebuild() and not index.current()
    assert set(directory.find_ids(no_contact)) == {good.id, bulk_id}

    table = Customer.__table__  # sync bookkeeping (the server's version) changes no score
    with store.begin() as session:
        session.execute(
            update(table)
            .where(table.c.id == bindparam("key_id", type_=table.c.id.type))
            .values(version=bindparam("new_version", type_=table.c.version.type)),
            [{"key_id": good.id, "new_version": 7}],
        )
    assert index.current()

    tomorrow = date.today() + timedelta(days=1)  # contact freshness counts from today
    assert index.needs_rebuild(tomorrow) and not index.needs_rebuild()

    raw = sqlite3.connect(str(store.path))  # another process: found when verifying
    with raw:
        raw.execute("DELETE FROM customer WHERE account_no = '3107000203'")
    raw.close()
    index.ensure(verify=True)
    assert directory.find_ids(no_contact) == [good.id]
    expected = {r.customer_id for r in quality_report(store) if r.score < 100}
    assert set(directory.find_ids(below_100)) == expected


def test_the_page_keeps_its_filters_and_offers_voltage_and_quality(
    demo_ctx, keyacct_qapp, qtbot, qtmodeltester
) -> None:
    from keyacct_desktop.gui.pages.customers import CustomersPage

    page = CustomersPage(demo_ctx)
    qtbot.addWidget(page)
    page.activated()
    with demo_ctx.store.read() as session:
        grid_id, park_id = session.execute(
            select(Customer.grid_id, Customer.park_id).where(
                Customer.grid_id.is_not(None), Customer.park_id.is_not(None)
            )
        ).first()
    page.grid_filter.setCurrentIndex(
        next(i for i in range(page.grid_filter.count()) if page.grid_filter.itemData(i) == grid_id)
    )
    page.park_filter.setCurrentIndex(
        next(i for i in range(page.park_filter.count()) if page.park_filter.itemData(i) == park_id)
    )
    filtered = page.model.count_now()
    assert 0 < filtered < 120
    page.refresh()  # the combos are filled again with UUIDs read in another session
    assert page.grid_filter.currentIndex() > 0 and page.grid_filter.currentData() == grid_id
    assert page.park_filter.currentIndex() > 0 and page.park_filter.currentData() == park_id
    assert page.model.query.grid_id == grid_id and page.model.count_now() == filtered

    page.grid_filter.setCurrentIndex(0)
    page.park_filter.setCurrentIndex(0)
    voltage = page.voltage_filter.findText("10 kV")
    page.voltage_filter.setCurrentIndex(voltage)
    assert page.model.query.voltage_kv == 10.0
    directory = CustomerDirectory(demo_ctx.store)
    assert page.model.count_now() == directory.count(CustomerQuery(voltage_kv=10.0))

    kind = next(
        i
        for i in range(page.quality_filter.count())
        if page.quality_filter.itemData(i) == ("kind", "stale_contact")
    )
    page.quality_filter.setCurrentIndex(kind)  # the first use scores everyone on a worker
    qtbot.waitUntil(lambda: page.model.query.quality_kind == "stale_contact")
    stale = {r.customer_id for r in quality_report(demo_ctx.store, kind="stale_contact")} & set(
        directory.find_ids(CustomerQuery(voltage_kv=10.0))
    )
    assert page.model.count_now() == len(stale)
    assert {page.model.customer_id(r) for r in range(page.model.rowCount())} == stale
    page.search.setText("有限")
    page.apply_filters()
    qtmodeltester.check(page.model, force_py=True)
    page.refresh()  # verifies the scores on a worker, then reads the list again
    qtbot.waitUntil(lambda: page._quality_task is None)
    assert page.quality_filter.currentData() == ("kind", "stale_contact")
    assert page.model.query.quality_kind == "stale_contact" and page.model.query.text == "有限"


def test_the_list_names_each_risk_flag(store, keyacct_qapp) -> None:
    from PySide6.QtCore import Qt

    from keyacct_desktop.gui.customer_table import RISK_COLUMN, CustomerTableModel

    risky = Customer(
        account_no="3107000301",
        name="风险客户有限公司",
        credit_rating="C",
        on_time_rate=0.8,
        overdue_count=5,
        overdue_days_max=45,
        violation_count=1,
        high_energy=True,
    )
    watched = Customer(account_no="3107000302", name="高耗能有限公司", high_energy=True)
    calm = Customer(account_no="3107000303", name="平稳有限公司", credit_rating="AAA")
    with store.begin() as session:
        session.add_all([risky, watched, calm])
    model = CustomerTableModel(CustomerDirectory(store), "zh_CN")
    model.set_query(CustomerQuery(sort="account_no"))
    flags = model.index(0, RISK_COLUMN).data()
    tooltip = model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    for name in (
        "信用等级低",
        "缴费准时率低",
        "多次欠费",
        "欠费最长 45 天",
        "窃电/违章用电",
        "高耗能行业",
    ):
        assert name in flags and name in tooltip, name
    assert model.index(0, 10).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(1, RISK_COLUMN).data() == "高耗能行业"
    assert "高耗能行业" in model.index(1, RISK_COLUMN).data(Qt.ItemDataRole.ToolTipRole)
    assert model.index(1, 10).data(Qt.ItemDataRole.BackgroundRole) is None  # not a risk
    assert model.index(2, RISK_COLUMN).data() == ""
    assert model.index(2, 10).data(Qt.ItemDataRole.ToolTipRole) is None
    english = CustomerTableModel(CustomerDirectory(store), "en")
    english.set_query(CustomerQuery(sort="account_no"))
    assert "high-energy industry" in english.index(0, RISK_COLUMN).data()


def test_the_picker_suggests_the_first_page(filled, keyacct_qapp, qtbot) -> None:  # noqa: F811
    from keyacct_desktop.gui.widgets.customer_picker import SUGGESTIONS, CustomerPicker

    store, _grid = filled
    directory = CustomerDirectory(store)
    picker = CustomerPicker(directory)
    qtbot.addWidget(picker)
    calls: list[CustomerQuery] = []
    original = directory.find_ids
    directory.find_ids = lambda query: calls.append(query) or original(query)  # type: ignore[method-assign]
    picker.setText("有限")
    picker.refresh_suggestions()
    expected = directory.first_page(CustomerQuery(text="有限"), SUGGESTIONS).ids
    rows = directory.rows(expected)
    assert picker._model.stringList() == [f"{rows[i].name}({rows[i].account_no})" for i in expected]
    assert len(expected) == SUGGESTIONS and calls == []


def test_the_picker_reads_suggestions_off_the_gui_thread(
    store, keyacct_qapp, qtbot, monkeypatch
) -> None:
    """Typed over before the answer: only the later text's suggestions show."""
    from keyacct_desktop.gui.widgets.customer_picker import CustomerPicker

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    park, grid = Park(name="选择园区"), Grid(name="选择网格")
    with store.begin() as session:
        session.add_all([park, grid])
        for number, name in enumerate(["北方重工", "北辰电子", "南岭建材"]):
            session.add(Customer(account_no=f"XZ00{number}", name=name, grid=grid, park=park))
    directory = CustomerDirectory(store)
    threads = note_threads(monkeypatch, directory, "first_page")
    picker = CustomerPicker(directory)
    qtbot.addWidget(picker)
    shown: list[list[str]] = []
    picker._model.modelReset.connect(lambda: shown.append(picker._model.stringList()))
    picker.setText("南岭")
    picker.refresh_suggestions()
    picker.setText("北")
    picker.refresh_suggestions()
    assert picker._model.stringList() == []  # nothing read on this thread
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [["北方重工(XZ000)", "北辰电子(XZ001)"]]  # the earlier answer was dropped
    assert threads.none_on_the_gui_thread


def test_grids_in_filters_are_found_by_value(store, keyacct_qapp) -> None:
    from PySide6.QtWidgets import QComboBox

    from keyacct_desktop.gui.widgets.combo import select_data

    grid = Grid(name="第1网格")
    with store.begin() as session:
        session.add(grid)
    combo = QComboBox()
    combo.addItem("all", None)
    with store.read() as session:
        combo.addItem("第1网格", session.scalar(select(Grid.id)))
    select_data(combo, uuid.UUID(str(grid.id)))
    assert combo.currentIndex() == 1
