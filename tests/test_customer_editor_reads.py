"""The customer profile editor reads on the database worker (issue 20): when it opens (fields
disabled, "reading…" meanwhile, no Save) and when a sync changes the customer; an answer for
a closed editor, or older than the last read asked, is dropped."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from sqlalchemy import delete, select

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui import customer_editor as editor_module
from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.operations import change_bus, database_worker
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.customer_profile import ProfileService
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.models import Customer
from tests.op_helpers import answer, hold_reads, note_threads


def _synced(ctx: AppContext, change: Callable[[Any], None]) -> Changes:
    """A change pulled by a sync: written under the sync's capture, then announced on the
    store's change bus as the sync controller does."""
    with change_feed(ctx.store).capture("sync") as capture, ctx.store.begin() as session:
        change(session)
    change_bus(ctx.store).publish(capture.changes)
    return capture.changes


def _first_customer(ctx: AppContext) -> Customer:
    with ctx.store.read() as session:
        customer = session.scalars(select(Customer).order_by(Customer.account_no)).first()
    assert customer is not None
    return customer


def test_the_editor_reads_on_the_worker_when_it_opens_and_after_a_sync(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: reads on the worker thread
    threads = note_threads(monkeypatch, ProfileService, "load", "status")
    customer = _first_customer(demo_ctx)
    editor = CustomerEditor(demo_ctx, customer.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    # nothing read on this thread: a short "reading…", nothing to type in or save yet
    assert not editor.loaded and threads.none_on_the_gui_thread
    assert editor.loading.isVisible() and editor.loading.text() == "正在读取客户档案…"
    assert not editor.name.isEnabled() and not editor.contacts.isEnabled()
    save = editor.buttons.button(editor.buttons.StandardButton.Save)
    assert not save.isEnabled() and not editor.save() and not editor.has_changes()

    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    assert editor.name.text() == customer.name and editor.account_no.text() == customer.account_no
    assert editor.name.isEnabled() and save.isEnabled() and not editor.loading.isVisible()
    assert editor.refs["park_id"].count() > 1  # the parks to choose from came with it
    assert editor.refs["park_id"].currentData() == customer.park_id
    assert "当前分级" in editor.class_label.text() and not editor.has_changes()
    assert threads.all_off_the_gui_thread
    assert editor.isAncestorOf(editor.focusWidget())  # the keyboard is in the form

    # a sync renames the customer: the editor (nothing typed) shows it, read on the worker
    reads = len(threads)
    _synced(demo_ctx, lambda s: setattr(s.get(Customer, customer.id), "name", "同步改名有限公司"))
    qtbot.waitUntil(lambda: editor.name.text() == "同步改名有限公司", timeout=10_000)
    assert len(threads) > reads and threads.none_on_the_gui_thread
    assert not editor.remote_row.isVisible() and not editor.has_changes()

    # with an edit typed here, a sync's change is announced, not put over the edit
    editor.notes.setText("本机未保存的备注")
    _synced(demo_ctx, lambda s: setattr(s.get(Customer, customer.id), "notes", "台式机的备注"))
    qtbot.waitUntil(lambda: editor.remote_row.isVisible(), timeout=10_000)
    assert editor.notes.text() == "本机未保存的备注" and editor.load_remote_button.isVisible()
    assert "同步" in editor.remote_note.text()
    editor.load_remote()
    assert editor.notes.text() == "台式机的备注" and not editor.has_changes()
    assert not editor.remote_row.isVisible()
    assert threads.none_on_the_gui_thread
    editor.reject()


def test_a_customer_removed_by_a_sync_is_said_so_in_the_open_editor(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")
    gone = Customer(account_no="3599000001", name="将被移走的客户", voltage_kv=10.0)
    with demo_ctx.store.begin() as session:
        session.add(gone)
    editor = CustomerEditor(demo_ctx, gone.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    assert editor.name.text() == "将被移走的客户"
    _synced(demo_ctx, lambda s: s.execute(delete(Customer).where(Customer.id == gone.id)))
    qtbot.waitUntil(lambda: editor.remote_row.isVisible(), timeout=10_000)
    assert "同步" in editor.remote_note.text() and not editor.load_remote_button.isVisible()
    assert editor.name.text() == "将被移走的客户"  # what was shown stays, to copy from


def test_a_closed_editor_drops_its_answer(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KEYACCT_OPS_INLINE")
    threads = note_threads(monkeypatch, ProfileService, "load", "status")
    editor = CustomerEditor(demo_ctx, _first_customer(demo_ctx).id)
    qtbot.addWidget(editor)
    editor.show()
    editor.reject()  # nothing typed (nothing can be yet): closes without asking
    assert not editor.isVisible()
    qtbot.waitUntil(lambda: bool(threads), timeout=10_000)
    database_worker().waitForDone()
    QCoreApplication.processEvents()
    assert not editor.loaded and editor.name.text() == ""


def test_an_older_answer_is_dropped_and_a_sync_is_not_lost_to_an_own_change(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sync's notice, then the editor's own class change, before either read answers: the
    last read's answer shows the synced profile; the first one's, arriving late, is dropped."""
    held = hold_reads(monkeypatch, editor_module)
    customer = _first_customer(demo_ctx)
    editor = CustomerEditor(demo_ctx, customer.id)
    qtbot.addWidget(editor)
    editor.show()
    answer(held.pop())  # opened
    assert editor.loaded and editor.name.text() == customer.name

    _synced(demo_ctx, lambda s: setattr(s.get(Customer, customer.id), "name", "第一次同步"))
    first_op, first_success = held.pop()
    first = first_op(TaskState())  # read now, answered late
    _synced(demo_ctx, lambda s: setattr(s.get(Customer, customer.id), "name", "第二次同步"))
    newer_op, newer_success = held.pop()
    editor.manual_reason.setText("省重点招商项目")
    assert editor.set_class("A")  # own change (an operation, at once under tests)
    own_ops = list(held)
    held.clear()
    assert len(own_ops) == 2  # the class shown again; the profile read again
    for read in own_ops:
        answer(read)
    newer_success(newer_op(TaskState()))  # dropped too: the own change's read is the latest
    first_success(first)
    assert editor.name.text() == "第二次同步" and not editor.remote_row.isVisible()
    assert "当前分级:A" in editor.class_label.text()
    assert not held and not editor.has_changes()
    editor.reject()


def test_a_notice_while_the_editor_opens_reads_it_again(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Changed by a sync after the opening read ran but before its answer came: read again."""
    held = hold_reads(monkeypatch, editor_module)
    customer = _first_customer(demo_ctx)
    editor = CustomerEditor(demo_ctx, customer.id)
    qtbot.addWidget(editor)
    editor.show()
    op, success = held.pop()
    before = op(TaskState())
    _synced(demo_ctx, lambda s: setattr(s.get(Customer, customer.id), "name", "打开时同步改名"))
    again_op, again_success = held.pop()
    success(before)  # older: dropped
    assert not editor.loaded and not editor.name.isEnabled()
    again_success(again_op(TaskState()))
    assert editor.loaded and editor.name.text() == "打开时同步改名"
    assert not held
    editor.reject()


def test_saving_checks_the_store_on_the_worker_and_tells_every_problem_at_once(
    keyacct_qapp,  # type: ignore[no-untyped-def]
    demo_ctx: AppContext,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Save: a 户号 another customer has (a check that reads the store) and a date typed
    wrong are told together; the store check ran on the worker; nothing was written."""
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # the app's way: on the worker thread
    with demo_ctx.store.read() as session:
        first, other = session.scalars(select(Customer).order_by(Customer.account_no)).all()[:2]
    threads = note_threads(monkeypatch, editor_module, "check")
    editor = CustomerEditor(demo_ctx, first.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.loaded, timeout=10_000)
    editor.account_no.setText(other.account_no)
    editor.risk_updated_on.setText("2026/13/40")
    editor.save()
    qtbot.waitUntil(lambda: bool(editor.problems.text()), timeout=10_000)
    assert "户号" in editor.problems.text() and "信用指标更新日期" in editor.problems.text()
    assert threads.all_off_the_gui_thread and editor.saved_id is None and editor.isVisible()
    assert editor.buttons.isEnabled()
    with demo_ctx.store.read() as session:
        assert session.get(Customer, first.id).account_no == first.account_no
    editor.reject()
