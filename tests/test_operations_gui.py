"""Operations and change notices: a sync that changes a customer updates the open customer list
and an open profile editor (one with unsaved edits says so instead of overwriting them); an
edit saved as an operation on the database worker updates the list the same way."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.models import Customer, Grid, Park
from keyacct_desktop.sync.account import SyncAccount
from tests.op_helpers import note_threads
from tests.sync_helpers import PASSWORD, Device, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:  # type: ignore[no-untyped-def]
    process = ServerProcess(f"sqlite:///{tmp_path_factory.mktemp('ops') / 'server.sqlite3'}")
    process.create_user("super", "supervisor")
    process.start()
    yield process
    process.stop()


def _names(page) -> set[str]:  # type: ignore[no-untyped-def]
    model = page.model
    return {model.index(row, 1).data() for row in range(model.rowCount())}


def test_a_sync_changing_a_customer_updates_the_open_list_and_editors(
    server: ServerProcess,
    data_dir: Path,
    tmp_path: Path,
    keyacct_qapp,  # type: ignore[no-untyped-def]
    qtbot,
    memory_keyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: operations on the worker thread
    desk = Device.sign_in(server, tmp_path, "desk", "super")  # the second device
    park, grid = Park(name="东区园区"), Grid(name="东区一网格")
    first = Customer(
        account_no="3500000001", name="东方精工有限公司", grid=grid, park=park, voltage_kv=10.0
    )
    second = Customer(
        account_no="3500000002", name="南山材料有限公司", grid=grid, park=park, voltage_kv=10.0
    )
    with desk.store.begin() as session:
        session.add_all([park, grid, first, second])
    desk.sync()

    ctx = AppContext.open(data_dir)
    SyncAccount(ctx.data_dir, ctx.settings).sign_in(server.url, "super", PASSWORD, "笔记本")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    controller = window.sync_controller
    assert controller is not None
    with qtbot.waitSignal(controller.finished, timeout=20_000):
        controller.sync_now()
    page = window.show_page("customers")
    qtbot.waitUntil(lambda: {"东方精工有限公司", "南山材料有限公司"} <= _names(page))
    clean = page.edit_customer(first.id)  # open, nothing typed
    qtbot.addWidget(clean)
    editing = page.edit_customer(second.id)  # open with an edit not saved
    qtbot.addWidget(editing)
    assert not editing.loaded and not editing.name.isEnabled()  # read on the worker
    qtbot.waitUntil(lambda: clean.loaded and editing.loaded, timeout=10_000)
    assert editing.name.text() == "南山材料有限公司" and editing.name.isEnabled()
    editing.notes.setText("笔记本上未保存的备注")

    with desk.store.begin() as session:  # meanwhile, on the other device
        session.get(Customer, first.id).name = "东方精工(集团)有限公司"
        session.get(Customer, second.id).notes = "台式机上改的备注"
    desk.sync()
    with qtbot.waitSignals([controller.changed, controller.finished], timeout=20_000):
        controller.sync_now()

    qtbot.waitUntil(lambda: "东方精工(集团)有限公司" in _names(page), timeout=5_000)
    qtbot.waitUntil(lambda: editing.remote_row.isVisible(), timeout=5_000)  # read on the worker
    assert clean.name.text() == "东方精工(集团)有限公司" and not clean.remote_row.isVisible()
    assert editing.notes.text() == "笔记本上未保存的备注"  # what was typed is kept…
    assert editing.remote_row.isVisible()  # …and the user is told
    assert "同步" in editing.remote_note.text()
    editing.load_remote()
    assert editing.notes.text() == "台式机上改的备注" and not editing.has_changes()
    editing.reject()

    # A save is an operation on the database worker; what it changed reaches the list.
    published: list[Changes] = []
    window._bus.published.connect(published.append)  # type: ignore[union-attr]
    clean.name.setText("东方精工股份有限公司")
    with qtbot.waitSignal(clean.accepted, timeout=10_000):
        assert clean.save(), clean.problems.text()
    assert clean.saved_id == first.id
    assert any(c.touches_row("customer", first.id) and c.origin == "local" for c in published)
    qtbot.waitUntil(lambda: "东方精工股份有限公司" in _names(page), timeout=5_000)
    window.close()
    desk.close()
    ctx.close()


def test_the_feed_names_rows_customers_and_bulk_tables(ctx: AppContext) -> None:
    from sqlalchemy import update

    feed = change_feed(ctx.store)
    heard: list[tuple[Changes, bool]] = []
    unsubscribe = feed.subscribe(lambda changes, captured: heard.append((changes, captured)))
    park, grid = Park(name="西区园区"), Grid(name="西区网格")
    customer = Customer(account_no="FD0001", name="西区客户", grid=grid, park=park)
    with feed.capture() as capture, ctx.store.begin() as session:
        session.add_all([park, grid, customer])
    assert capture.changes.touches_row("customer", customer.id)
    assert capture.changes.customers == {customer.id} and capture.changes.local_edit
    assert heard[-1][1] is True  # captured: the operation publishes it
    with ctx.store.begin() as session:  # bookkeeping only: not a change anyone shows
        session.execute(update(Customer).values(version=Customer.version + 1))
    with ctx.store.begin() as session:
        session.execute(update(Customer).where(Customer.id == customer.id).values(notes="批量"))
    last, captured = heard[-1]
    assert not captured and "customer" in last.whole and last.touches_customer(uuid.uuid4())
    with ctx.store.read() as session:
        assert session.scalar(select(Customer.notes).where(Customer.id == customer.id)) == "批量"
    unsubscribe()


def test_every_page_implements_the_page_interface(keyacct_qapp) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.pages import PAGES, load_page_class

    for key, _title, target in PAGES:
        page_class = load_page_class(target)
        missing = [
            name
            for name in ("activated", "refresh", "refresh_changes", "keep_or_drop_changes")
            if not callable(getattr(page_class, name, None))
        ]
        assert not missing, (key, missing)


def test_document_writes_run_as_operations_and_refresh_open_lists(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An outage issued on the worker thread reaches a second open outage list through the
    change bus; a refused plan issue shows the Chinese error and writes nothing."""
    import threading
    from datetime import datetime, timedelta

    from PySide6.QtWidgets import QMessageBox

    from keyacct_desktop.gui import operations
    from keyacct_desktop.gui.errors import error_text
    from keyacct_desktop.gui.operations import change_bus
    from keyacct_desktop.gui.pages.outages import OutagesPage
    from keyacct_desktop.gui.pages.plans import SupplyPlansPage
    from keyacct_desktop.services.plans import SupplyPlanService
    from keyacct_desktop.store.models import PowerSource

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: operations on the worker thread
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    errors: list[str] = []
    monkeypatch.setattr(
        operations, "show_error", lambda _p, error, lang: errors.append(error_text(error, lang))
    )
    page, other = OutagesPage(demo_ctx), OutagesPage(demo_ctx)  # e.g. a second window
    for widget in (page, other):
        qtbot.addWidget(widget)
        widget.show()
        widget.activated()
    bus = change_bus(demo_ctx.store)
    bus.published.connect(other.refresh_changes)
    published: list[Changes] = []
    bus.published.connect(published.append)
    threads = note_threads(monkeypatch, page.service, "issue")
    with demo_ctx.store.read() as session:
        customer_id = session.query(PowerSource.customer_id).first()[0]
    page.add_customers([customer_id])
    qtbot.waitUntil(lambda: page.affected.count() == 1, timeout=10_000)  # read on the worker
    start = datetime.now() + timedelta(days=9)
    page.starts.setDateTime(start)
    page.ends.setDateTime(start + timedelta(hours=4))
    page.area.setText("科技大道以东")
    page.reason.setText("线路检修")
    page.issue()
    qtbot.waitUntil(lambda: other.events_model.rowCount() == 1, timeout=10_000)
    assert threads and threads[0] != threading.current_thread().name  # off the GUI thread
    assert page.events_model.rowCount() == 1 and page.current is not None
    assert any(c.touches("outage_event") and c.origin == "local" for c in published)
    assert not errors

    plans = SupplyPlansPage(demo_ctx)
    qtbot.addWidget(plans)
    plans.customer.set_customer(customer_id)
    plans.create_draft()
    qtbot.waitUntil(lambda: plans.current is not None, timeout=10_000)
    plan_id = plans.current.id  # type: ignore[union-attr]
    plans.issue()  # incomplete (no 受电装置形式): the service refuses it on the worker
    qtbot.waitUntil(lambda: bool(errors), timeout=10_000)
    assert len(errors) == 1 and "受电装置形式" in errors[0]  # in the user's language
    view = SupplyPlanService(demo_ctx.store, demo_ctx.settings).view(plan_id)
    assert view.status == "draft" and not view.number  # nothing written


def test_the_customer_list_is_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The list's first page, count, rows and re-sorts are read by read operations on the
    worker; of two searches asked in a row, the answer of the later one is shown."""
    from PySide6.QtCore import Qt

    from keyacct_desktop.gui.pages.customers import CustomersPage

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    park, grid = Park(name="北区园区"), Grid(name="北区网格")
    with ctx.store.begin() as session:
        session.add_all([park, grid])
        for number, name in enumerate(["北方重工有限公司", "北辰电子有限公司", "南岭建材"]):
            session.add(Customer(account_no=f"BQ00{number}", name=name, grid=grid, park=park))
    page = CustomersPage(ctx)
    qtbot.addWidget(page)
    threads = note_threads(monkeypatch, page.directory, "first_page", "rows")
    page.activated()
    qtbot.waitUntil(lambda: page.model.rowCount() == 3, timeout=10_000)
    assert threads.all_off_the_gui_thread
    page.search.setText("南岭")
    page.apply_filters()
    page.search.setText("北")
    found: list[int] = []
    page.apply_filters(then=lambda: found.append(page.model.rowCount()))
    qtbot.waitUntil(lambda: bool(found), timeout=10_000)
    qtbot.waitUntil(lambda: page.model.total == 2, timeout=10_000)
    wanted = {"北方重工有限公司", "北辰电子有限公司"}  # the later search; rows read on the worker
    qtbot.waitUntil(lambda: _names(page) == wanted, timeout=10_000)
    assert page.model.query.text == "北"
    page.table.selectRow(1)
    chosen = page.selected_customer()
    asked = len(threads)
    page.model.sort(1, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: page.model.query.descending, timeout=10_000)
    assert page.selected_customer() == chosen and page.table.currentIndex().row() == 0
    assert len(threads) > asked and threads.none_on_the_gui_thread
