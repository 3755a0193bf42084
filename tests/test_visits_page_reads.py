"""The 走访 page reads its plan, logs and satisfaction trend on the database worker; an answer
for filters changed since is dropped."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.pages import visits as visits_page
from keyacct_desktop.gui.pages.visits import VisitsPage
from keyacct_desktop.progress import TaskState


def test_the_visits_page_is_read_off_the_gui_thread(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads: dict[str, str] = {}
    for name in ("visit_plan", "count_visits", "completed_visits"):
        read = getattr(visits_page, name)

        def here(*args: Any, _read: Any = read, _name: str = name, **kwargs: Any) -> Any:
            threads[_name] = threading.current_thread().name
            return _read(*args, **kwargs)

        monkeypatch.setattr(visits_page, name, here)
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
    assert set(threads) == {"visit_plan", "count_visits", "completed_visits"}
    assert threading.current_thread().name not in threads.values()


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
    waiting: list[tuple[Any, Any]] = []

    class Held:
        def __init__(self, _parent: Any, op: Any, success: Any, _failure: Any) -> None:
            waiting.append((op, success))

        def run_in_background(self) -> None:
            pass

    monkeypatch.setattr(visits_page, "QueryOp", Held)
    page.park_filter.setCurrentIndex(1)  # one park's day plan…
    page.park_filter.setCurrentIndex(0)  # …no: all parks again
    assert len(waiting) == 2
    for op, success in reversed(waiting):  # the later answer first, the earlier one late
        success(op(TaskState()))
    assert page.plan_model.rowCount() == everyone
