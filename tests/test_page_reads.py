"""Pages read what they show on the database worker: the 走访 page its plan, logs and
satisfaction trend, the 转办 page its referrals, the 停电通知 / 告知单 / 供电方案 pages their
lists, the document selected and the one to print; an answer for filters changed since, or
for a document no longer selected, is dropped."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui import operations
from keyacct_desktop.gui.operations import change_bus, database_worker
from keyacct_desktop.gui.pages import visits as visits_page
from keyacct_desktop.gui.pages.visits import VisitsPage
from keyacct_desktop.gui.widgets.rows_model import ObjectRole
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.referrals import NewReferral, ReferralService
from tests.op_helpers import answer, hold_reads, note_threads


def test_the_visits_page_is_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(
        monkeypatch, visits_page, "visit_plan", "count_visits", "completed_visits"
    )
    page = VisitsPage(demo_ctx)
    qtbot.addWidget(page)
    page.activated()
    assert page.plan_model.rowCount() == 0  # nothing read on this thread
    qtbot.waitUntil(
        lambda: (
            page.plan_model.rowCount() > 0
            and page.model.rowCount() > 0
            and bool(page.complaints_label.text())
        ),
        timeout=10_000,
    )
    assert set(threads.by_name) == {"visit_plan", "count_visits", "completed_visits"}
    assert threads.none_on_the_gui_thread


def test_an_answer_for_filters_changed_since_is_dropped(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    page = VisitsPage(demo_ctx)
    qtbot.addWidget(page)
    page.activated()  # at once (tests): the whole plan
    everyone = page.plan_model.rowCount()
    assert everyone > 8  # a park's day plan has at most 8 (a day's round)
    waiting = hold_reads(monkeypatch, operations)
    page.park_filter.setCurrentIndex(1)  # one park's day plan…
    page.park_filter.setCurrentIndex(0)  # …no: all parks again
    assert len(waiting) == 2
    for read in reversed(waiting):  # the later answer first, the earlier one late
        answer(read)
    assert page.plan_model.rowCount() == everyone


def test_the_referrals_page_is_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keyacct_desktop.gui.pages.referrals import ReferralsPage
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    service = ReferralService(demo_ctx.store, demo_ctx.settings)
    customer = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[0]
    created = service.create(NewReferral(customer, "billing", "电费发票抬头更正"))
    page = ReferralsPage(demo_ctx)
    qtbot.addWidget(page)
    threads = note_threads(monkeypatch, page.service, "rows")
    page.customer_filter.setText("")
    page.team.setCurrentIndex(page.team.findData("billing"))
    page.activated()
    qtbot.waitUntil(lambda: created in {r.id for r in page._rows}, timeout=10_000)
    assert threads.all_off_the_gui_thread
    row = next(i for i, r in enumerate(page._rows) if r.id == created)
    page.view.selectRow(row)
    with qtbot.waitSignal(page.model.modelReset, timeout=10_000):
        page.reassign("李工", "2099-01-15")  # written, then read again, on the worker
    qtbot.waitUntil(lambda: page.selected() is not None, timeout=10_000)
    assert page.selected().id == created and page.selected().owner_name == "李工"  # type: ignore[union-attr]


def test_the_class_preview_is_computed_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Recompute classes: how many would change is worked out on the worker (seconds at
    100k customers); the question follows when it is known."""
    from PySide6.QtWidgets import QMessageBox

    from keyacct_desktop.gui.pages.customers import CustomersPage
    from keyacct_desktop.services.pyramid import PyramidService

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, PyramidService, "recompute")
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda _p, _t, text, *_a: asked.append(text) or QMessageBox.StandardButton.No,
    )
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: asked.append(text))
    page = CustomersPage(demo_ctx)
    qtbot.addWidget(page)
    page.recompute_classes()
    assert not asked  # nothing worked out on this thread
    qtbot.waitUntil(lambda: bool(asked), timeout=10_000)
    assert threads.all_off_the_gui_thread


def test_the_sync_page_lists_are_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Up to 1,000 pending changes, each with its label, and the conflicts, refusals and
    set-aside changes: read on the worker whenever a sync ends or something changes."""
    from keyacct_desktop.gui.operations import QueryOp
    from keyacct_desktop.gui.pages import sync as sync_page
    from keyacct_desktop.gui.pages.sync import SyncPage
    from keyacct_desktop.sync import review

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, review, "pending_changes")
    delivered: list[int] = []

    class Counted(QueryOp):  # type: ignore[type-arg]
        def __init__(self, parent: Any, op: Any, success: Any, failure: Any) -> None:
            super().__init__(parent, op, lambda v: (delivered.append(1), success(v)), failure)

    monkeypatch.setattr(sync_page, "QueryOp", Counted)
    page = SyncPage(demo_ctx)
    qtbot.addWidget(page)
    shown: list[int] = []
    page.pending_model.modelReset.connect(lambda: shown.append(page.pending_model.rowCount()))
    page.refresh()
    page.refresh()  # asked again before the first answer: that one is dropped
    assert not shown
    qtbot.waitUntil(lambda: len(delivered) == 2, timeout=10_000)
    assert len(shown) == 1 and threads.none_on_the_gui_thread


def test_the_outage_reminders_are_read_off_the_gui_thread_while_shown(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 停电通知 page's minute timer reads the customers to remind on the worker, only
    while the page is shown; the customers selected in the list stay selected."""
    from datetime import datetime, timedelta

    from keyacct_desktop.gui.pages.outages import OutagesPage
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
    from keyacct_desktop.services.outages import OutageService

    service = OutageService(demo_ctx.store, demo_ctx.settings)
    customers = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:3]

    def issue(customer_ids: list[Any]) -> None:
        starts = datetime.now() + timedelta(minutes=20)
        service.issue(
            kind="fault",
            starts_at=starts,
            ends_at=starts + timedelta(hours=2),
            area="科技大道以东",
            reason="线路故障抢修",
            customer_ids=customer_ids,
        )

    issue(customers[:2])
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, OutageService, "reminders_due")
    page = OutagesPage(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.reminder_timer.setInterval(50)  # the minute, shortened
    qtbot.waitUntil(lambda: page.reminders.count() == 2, timeout=10_000)
    assert threads.all_off_the_gui_thread
    assert page.reminded_button.isEnabled()
    page.reminders.item(1).setSelected(True)
    chosen = page.reminders.item(1).data(Qt.ItemDataRole.UserRole)
    issue(customers[2:])  # a new outage comes within the reminder window
    qtbot.waitUntil(lambda: page.reminders.count() == 3, timeout=10_000)
    selected = [item.data(Qt.ItemDataRole.UserRole) for item in page.reminders.selectedItems()]
    assert selected == [chosen]
    page.hide()
    database_worker().waitForDone()  # a read asked before: done
    reads = len(threads)
    qtbot.wait(300)  # several ticks: nothing read while hidden
    assert len(threads) == reads


@dataclass(frozen=True)
class _DocumentPage:
    """One of the 停电通知 / 告知单 / 供电方案 pages, as these tests drive it."""

    key: str
    model: str  # the list's model and view
    view: str
    action: str  # a button that acts on the document shown
    print_method: str

    def page(self, ctx: AppContext) -> Any:
        from keyacct_desktop.gui.pages.checklists import ChecklistsPage
        from keyacct_desktop.gui.pages.outages import OutagesPage
        from keyacct_desktop.gui.pages.plans import SupplyPlansPage

        kind = {"outages": OutagesPage, "checklists": ChecklistsPage, "plans": SupplyPlansPage}
        return kind[self.key](ctx)

    def service(self) -> type:
        from keyacct_desktop.services.checklists import ChecklistService
        from keyacct_desktop.services.outages import OutageService
        from keyacct_desktop.services.plans import SupplyPlanService

        kind = {
            "outages": OutageService,
            "checklists": ChecklistService,
            "plans": SupplyPlanService,
        }
        return kind[self.key]

    def create(self, ctx: AppContext, number: int) -> uuid.UUID:
        """A new document for the ``number``-th customer, written outside the page."""
        from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

        customer = CustomerDirectory(ctx.store).find_ids(CustomerQuery())[number]
        service = self.service()(ctx.store, ctx.settings)
        if self.key == "outages":
            starts = datetime.now() + timedelta(days=9 + number)
            view = service.issue(
                kind="planned",
                starts_at=starts,
                ends_at=starts + timedelta(hours=4),
                area="科技大道以东",
                reason="线路检修",
                customer_ids=[customer],
            )
            return view.id  # type: ignore[no-any-return]
        if self.key == "checklists":
            return service.draft(customer, "hv_new", date.today())  # type: ignore[no-any-return]
        return service.draft(customer, date.today())  # type: ignore[no-any-return]


DOCUMENT_PAGES = [
    _DocumentPage("outages", "events_model", "events_view", "print_button", "print_batch"),
    _DocumentPage("checklists", "list_model", "list_view", "preview_button", "preview"),
    _DocumentPage("plans", "list_model", "list_view", "preview_button", "preview"),
]


def _selected_id(page: Any, spec: _DocumentPage) -> Any:
    rows = getattr(page, spec.view).selectionModel().selectedRows()
    return getattr(page, spec.model).data(rows[0], ObjectRole) if rows else None


def _row_of(page: Any, spec: _DocumentPage, document_id: uuid.UUID) -> int:
    model = getattr(page, spec.model)
    return [model.object_at(row) for row in range(model.rowCount())].index(document_id)


@pytest.mark.parametrize("spec", DOCUMENT_PAGES, ids=lambda spec: spec.key)
def test_document_pages_read_list_view_and_print_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    spec: _DocumentPage,
) -> None:
    """The list shows "reading…" at first; selecting reads the document on the worker;
    a change notice reads the list again while the rows and the selection stay on screen;
    print reads the document as stored now on the worker, then previews it."""
    from keyacct_desktop.gui.print_preview import PrintPreviewDialog

    first = spec.create(demo_ctx, 0)
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    reads = note_threads(monkeypatch, spec.service(), "list", "view")
    previews: list[PrintPreviewDialog] = []
    monkeypatch.setattr(PrintPreviewDialog, "exec", lambda self: previews.append(self) or 0)
    page = spec.page(demo_ctx)
    qtbot.addWidget(page)
    bus = change_bus(demo_ctx.store)
    bus.published.connect(page.refresh_changes)
    page.show()
    page.activated()
    model, view = getattr(page, spec.model), getattr(page, spec.view)
    assert not page.loaded and page.loading_note.isVisible() and model.rowCount() == 0
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert not page.loading_note.isVisible() and model.rowCount() == 1
    assert reads.names == ["list"]

    view.selectRow(0)
    assert not page.loaded and page.current is None  # read on the worker
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert page.current.id == first and getattr(page, spec.action).isEnabled()

    # another window (or a sync) adds a document: the notice reads the list again; until
    # the answer the rows and the selection stay as they are, and after it too
    with reads.paused():  # a write of the test's own (it may read inside): not the page's
        second = spec.create(demo_ctx, 1)
    bus.flush()
    assert not page.loaded and model.rowCount() == 1 and _selected_id(page, spec) == first
    qtbot.waitUntil(lambda: page.loaded, timeout=10_000)
    assert model.rowCount() == 2 and second in {model.object_at(r) for r in range(2)}
    assert _selected_id(page, spec) == first and page.current.id == first
    assert not page.loading_note.isVisible()

    printed = len(reads)
    getattr(page, spec.print_method)()
    qtbot.waitUntil(lambda: bool(previews), timeout=20_000)
    assert previews[0].document.pageCount() >= 1
    assert reads.names[printed:] == ["view"]  # as stored now
    assert set(reads.names) == {"list", "view"}
    assert reads.none_on_the_gui_thread


@pytest.mark.parametrize("spec", DOCUMENT_PAGES, ids=lambda spec: spec.key)
def test_an_answer_for_a_document_no_longer_selected_is_dropped(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
    spec: _DocumentPage,
) -> None:
    """Two documents selected in turn before either is read: the later one is shown, the
    earlier answer arriving late is dropped; meanwhile the buttons do not act on the one
    shown before."""

    first, second = spec.create(demo_ctx, 0), spec.create(demo_ctx, 1)
    held = hold_reads(monkeypatch, operations)
    page = spec.page(demo_ctx)
    qtbot.addWidget(page)
    page.show()
    page.activated()
    while held:  # the list (and the outage page's reminders)
        answer(held.pop(0))
    assert page.loaded and getattr(page, spec.model).rowCount() == 2
    view = getattr(page, spec.view)
    view.selectRow(_row_of(page, spec, second))
    (read_second,) = held
    held.clear()
    answer(read_second)
    assert page.current.id == second and getattr(page, spec.action).isEnabled()

    view.selectRow(_row_of(page, spec, first))
    view.selectRow(_row_of(page, spec, second))
    assert not getattr(page, spec.action).isEnabled()  # the first is coming, then the second
    assert len(held) == 2 and not page.loaded
    (first_op, first_success), (again_op, again_success) = held
    late = first_op(TaskState())
    again_success(again_op(TaskState()))
    first_success(late)  # dropped: the second is the one selected
    assert page.current.id == second and page.loaded
    assert _selected_id(page, spec) == second and getattr(page, spec.action).isEnabled()


def test_the_filter_lists_and_grid_names_are_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The park, grid and manager lists of the 客户 and 走访 pages' filters, and the grids'
    names beside a balancing proposal, come from the worker; the filter chosen stays."""
    from keyacct_desktop.gui.grid_balance_dialog import GridBalanceDialog
    from keyacct_desktop.gui.pages.customers import CustomersPage
    from keyacct_desktop.services import choices

    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, choices, "grids", "parks", "managers")
    customers = CustomersPage(demo_ctx)
    qtbot.addWidget(customers)
    customers.activated()
    qtbot.waitUntil(lambda: customers.park_filter.count() > 1, timeout=10_000)
    customers.park_filter.setCurrentIndex(1)
    chosen = customers.park_filter.currentData()
    customers.refresh()  # e.g. a sync brought parks: read again, the park chosen stays
    database_worker().waitForDone()
    qtbot.waitUntil(lambda: customers.park_filter.currentData() == chosen, timeout=10_000)

    visits = VisitsPage(demo_ctx)
    qtbot.addWidget(visits)
    visits.activated()
    qtbot.waitUntil(
        lambda: visits.manager_filter.count() > 1 and visits.trend_scope.count() > 1,
        timeout=10_000,
    )
    dialog = GridBalanceDialog(demo_ctx)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.proposal is not None, timeout=20_000)
    assert dialog.model.rowCount() >= 2 and dialog.apply_button.isEnabled()
    assert len(threads) >= 7 and threads.none_on_the_gui_thread


def test_the_outage_form_finds_its_customers_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The 停电通知 form: the substations and lines offered, the customers a line feeds and a
    customer picked by hand are read on the worker; two picks in a row both arrive."""
    from keyacct_desktop.gui.pages.outages import OutagesPage
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
    from keyacct_desktop.services.outages import OutageService
    from keyacct_desktop.store.models import PowerSource

    with demo_ctx.store.read() as session:
        substation, line = session.query(PowerSource.substation, PowerSource.line).first()
    picked = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:2]
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, OutageService, "known_feeders", "affected_customers")
    rows = note_threads(monkeypatch, CustomerDirectory, "rows")
    page = OutagesPage(demo_ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(
        lambda: substation in page.substation_completer.model().stringList(), timeout=10_000
    )
    assert line in page.line_completer.model().stringList()

    page.lines.setText(line)
    page.find_customers()
    assert page.affected.count() == 0  # nothing read on this thread
    qtbot.waitUntil(lambda: page.affected.count() >= 1, timeout=10_000)
    found = page.affected.count()
    assert page.affected.item(0).checkState() == Qt.CheckState.Checked

    page.affected.clear()
    for customer_id in picked:
        page._add_picked(customer_id)
    qtbot.waitUntil(lambda: page.affected.count() == 2, timeout=10_000)
    assert {page.affected.item(i).data(Qt.ItemDataRole.UserRole) for i in range(2)} == set(picked)
    assert found >= 1 and threads.all_off_the_gui_thread and rows.all_off_the_gui_thread
    assert set(threads.names) == {"known_feeders", "affected_customers"}
