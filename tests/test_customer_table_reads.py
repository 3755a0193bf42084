"""The customer list reads on the database worker whatever the view needs: a row being read
shows a placeholder and is repainted when its block arrives; a sort keeps the rows until the
new order arrives and the selection then follows its customer; an answer for an older query
or order is dropped. Answers are delivered by hand here, in any order."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt

from keyacct_desktop.gui import customer_table
from keyacct_desktop.gui.customer_table import LOADING, CustomerTableModel, IdRole
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services import customers as service
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park


class Reads:
    """Stands in for ``QueryOp``: each read waits until the test answers it."""

    def __init__(self) -> None:
        self.waiting: list[tuple[Callable[[TaskState], Any], Any, Any]] = []

    def op(self, _parent: Any, op: Any, success: Any, failure: Any) -> Reads:
        self.waiting.append((op, success, failure))
        return self

    def run_in_background(self) -> Reads:
        return self

    def answer(self, number: int = 0) -> None:
        """Run read ``number`` (0: the oldest waiting) and deliver its answer."""
        op, success, _failure = self.waiting.pop(number)
        success(op(TaskState()))

    def fail(self, number: int, error: BaseException) -> None:
        self.waiting.pop(number)[2](error)

    def answer_all(self) -> None:
        while self.waiting:
            self.answer()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Reads:
    held = Reads()
    monkeypatch.setattr(customer_table, "QueryOp", held.op)
    monkeypatch.setattr(service, "FIRST_PAGE", 10)
    monkeypatch.setattr(customer_table, "BLOCK_SIZE", 8)
    return held


@pytest.fixture
def directory(store: Store) -> CustomerDirectory:
    park, grid = Park(name="测试园区"), Grid(name="测试网格")
    with store.begin() as session:
        session.add_all([park, grid])
        for number in range(30):  # account numbers and names sort in opposite orders
            session.add(
                Customer(
                    account_no=f"CT{number:04d}",
                    name=f"客户{29 - number:02d}有限公司",
                    grid=grid,
                    park=park,
                )
            )
    return CustomerDirectory(store)


def test_a_block_answered_later_fills_its_rows(
    reads: Reads, directory: CustomerDirectory, keyacct_qapp, qtbot
) -> None:
    model = CustomerTableModel(directory)
    model.set_query(CustomerQuery(sort="account_no"))
    assert model.rowCount() == 0  # the first page is on its way
    reads.answer()
    assert model.rowCount() == 30 and not reads.waiting  # counted with the first page

    assert model.index(0, 1).data() == LOADING and model.index(0, 0).data() is None
    for row in range(10):  # a screenful painted: one read per block, not per row
        for column in range(model.columnCount()):
            model.index(row, column).data()
    assert len(reads.waiting) == 2  # rows 0–7, then 8–13
    with qtbot.waitSignal(model.dataChanged) as changed:
        reads.answer()
    first, last = changed.args[:2]
    assert first.row() == 0 and last.row() == 7
    reads.answer()
    assert model.index(0, 0).data() == "CT0000" and model.index(1, 1).data() == "客户28有限公司"

    # Past the ids read so far (the first page): the ids, then the rows, on the worker.
    assert model.index(25, 0).data() is None and model.index(25, 1).data() == LOADING
    with qtbot.waitSignal(model.dataChanged):
        reads.answer()  # the ids
    assert model.index(25, 1).data() == LOADING
    with qtbot.waitSignal(model.dataChanged):
        reads.answer()  # the block
    assert model.index(25, 0).data() == "CT0025" and not reads.waiting


def test_a_sort_answered_later_keeps_the_selected_customer_selected(
    reads: Reads, directory: CustomerDirectory, keyacct_qapp
) -> None:
    model = CustomerTableModel(directory)
    selection = QItemSelectionModel(model)
    model.set_query(CustomerQuery(sort="account_no"))
    reads.answer()
    chosen = model.index(2, 0).data(IdRole)
    reads.answer_all()
    selection.select(
        model.index(2, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    model.sort(1, Qt.SortOrder.AscendingOrder)  # by name: the reverse order here
    assert model.index(2, 0).data() == "CT0002"  # the rows stay until the new order arrives
    reads.answer()  # the new order (read on past the first page, to the selected customer)
    assert model.query.sort == "name" and len(reads.waiting) == 0
    (selected,) = selection.selectedRows()
    assert selected.row() == 27 and model.index(27, 0).data(IdRole) == chosen
    assert model.index(27, 1).data() == "客户27有限公司"  # its row, read before, is kept
    assert model.index(2, 1).data() == LOADING
    reads.answer_all()
    assert model.index(27, 0).data() == "CT0002" and model.index(2, 0).data() == "CT0027"


def test_answers_for_an_older_query_or_order_are_dropped(
    reads: Reads, directory: CustomerDirectory, keyacct_qapp
) -> None:
    model = CustomerTableModel(directory)
    model.set_query(CustomerQuery(sort="account_no"))
    reads.answer()
    assert model.index(0, 1).data() == LOADING  # a block read is on its way…
    model.set_query(CustomerQuery(text="客户01"))  # …when another search is asked
    model.set_query(CustomerQuery(text="客户02"))
    reads.answer(2)  # the latest search answers first
    assert model.rowCount() == 1 and model.query.text == "客户02"
    reads.answer_all()  # the block and the earlier search: too late, dropped
    assert model.rowCount() == 1 and model.query.text == "客户02"
    assert model.index(0, 1).data() == LOADING  # the old block filled nothing: read anew
    reads.answer()
    assert model.index(0, 1).data() == "客户02有限公司"

    model.sort(0, Qt.SortOrder.DescendingOrder)
    model.sort(0, Qt.SortOrder.AscendingOrder)  # changed their mind before the answer
    reads.answer(1)
    reads.answer(0)  # the first order's answer, late: dropped
    assert model.query.descending is False


def test_a_sort_that_cannot_be_read_keeps_the_rows_and_reads_them_again(
    reads: Reads, directory: CustomerDirectory, keyacct_qapp, qtbot
) -> None:
    model = CustomerTableModel(directory)
    model.set_query(CustomerQuery(sort="account_no"))
    reads.answer()
    assert model.index(0, 1).data() == LOADING  # its block is on its way when…
    model.sort(1, Qt.SortOrder.AscendingOrder)  # …a sort is asked, and fails
    with qtbot.waitSignals([model.read_failed, model.dataChanged]):
        reads.fail(1, OSError("disk"))
    assert model.query.sort == "account_no"
    reads.answer()  # the block asked before the sort: dropped
    assert model.index(0, 1).data() == LOADING and len(reads.waiting) == 1  # asked again
    reads.answer()
    assert model.index(0, 1).data() == "客户29有限公司"


def test_the_model_stays_well_behaved_with_reads_on_the_worker(
    demo_ctx, keyacct_qapp, qtbot, qtmodeltester, monkeypatch
) -> None:
    """The app's way (no answers by hand): the model tester watches every signal while
    pages of ids, blocks of rows, searches and sorts arrive from the worker."""
    monkeypatch.delenv("KEYACCT_OPS_INLINE")
    monkeypatch.setattr(service, "FIRST_PAGE", 10)
    model = CustomerTableModel(CustomerDirectory(demo_ctx.store))
    model.set_query(CustomerQuery())
    qtbot.waitUntil(lambda: model.rowCount() == 120, timeout=10_000)
    qtmodeltester.check(model, force_py=True)

    def all_read() -> bool:
        return all(model.index(r, 1).data() not in (None, LOADING) for r in range(model.rowCount()))

    qtbot.waitUntil(all_read, timeout=10_000)
    model.sort(1, Qt.SortOrder.DescendingOrder)
    model.set_query(CustomerQuery(text="有限"))
    model.sort(0, Qt.SortOrder.AscendingOrder)  # asked while the search is on its way
    qtbot.waitUntil(
        lambda: (
            model.query == CustomerQuery(text="有限", sort="account_no") and model.total is not None
        ),
        timeout=10_000,
    )
    qtbot.waitUntil(all_read, timeout=10_000)
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    assert shown == sorted(shown) and all("有限" in model.index(r, 1).data() for r in range(3))


def test_ids_read_for_the_list_shown_before_are_dropped(
    reads: Reads, directory: CustomerDirectory, keyacct_qapp
) -> None:
    model = CustomerTableModel(directory)
    model.set_query(CustomerQuery(sort="account_no"))
    reads.answer()
    later = CustomerQuery(text="有限公司")
    model.set_query(later)  # a search is on its way while the list shown is scrolled:
    assert model.index(12, 1).data() == LOADING  # ids past its first page are asked for
    reads.answer(0)  # the search answers first
    reads.answer()  # the ids of the list shown before: not added to this one
    assert model.index(12, 0).data(IdRole) is None  # not read yet for this list
    reads.answer_all()
    assert model.index(12, 0).data(IdRole) == directory.find_ids(later)[12]
