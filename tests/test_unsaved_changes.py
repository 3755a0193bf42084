"""Nothing typed is lost without a question: Esc, Cancel and closing an editor ask first.

The question itself (``gui.widgets.unsaved.ask``) is answered by patching, as every modal box
in the tests; its real buttons and texts are checked on the box before it is shown.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.visits.editor import VisitEditor
from keyacct_desktop.gui.widgets import unsaved
from keyacct_desktop.services.visits import VisitForm, VisitLogService
from keyacct_desktop.store.models import Customer


class Asked:
    """Stands in for the user: records each question and gives the next answer."""

    def __init__(self, *answers: unsaved.Answer) -> None:
        self.answers = list(answers)
        self.questions: list[tuple[str, bool]] = []

    def __call__(self, _parent, what: str, *, drafts: bool = False) -> unsaved.Answer:  # type: ignore[no-untyped-def]
        self.questions.append((what, drafts))
        return self.answers.pop(0)


@pytest.fixture
def first_customer(demo_ctx):  # type: ignore[no-untyped-def]
    with demo_ctx.store.read() as session:
        return session.scalars(select(Customer).order_by(Customer.account_no)).first()


def _name_in_store(ctx, customer_id) -> str:  # type: ignore[no-untyped-def]
    with ctx.store.read() as session:
        return session.get(Customer, customer_id).name


def test_the_question_offers_save_draft_discard_and_editing(keyacct_qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    box = unsaved.unsaved_box(None, "本次走访记录", drafts=True)
    qtbot.addWidget(box)
    assert box.windowTitle() == "未保存的修改"
    assert box.text() == "本次走访记录有尚未保存的修改。"
    buttons = {b.property("answer"): b.text() for b in box.buttons()}
    assert buttons == {
        "save": "保存",
        "keep_draft": "保留为草稿",
        "discard": "放弃修改",
        "edit": "继续编辑",
    }
    assert box.escapeButton().property("answer") == "edit"  # Esc on the box loses nothing
    plain = unsaved.unsaved_box(None, "客户档案")
    qtbot.addWidget(plain)
    assert "keep_draft" not in {b.property("answer") for b in plain.buttons()}
    assert plain.informativeText() == "保存还是放弃这些修改?"


def test_customer_editor_closes_at_once_when_nothing_changed(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = Asked()
    monkeypatch.setattr(unsaved, "ask", asked)
    editor = CustomerEditor(demo_ctx, first_customer.id)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible() and asked.questions == []


def test_customer_editor_asks_on_esc_cancel_and_close(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = Asked(unsaved.Answer.EDIT, unsaved.Answer.EDIT, unsaved.Answer.DISCARD)
    monkeypatch.setattr(unsaved, "ask", asked)
    editor = CustomerEditor(demo_ctx, first_customer.id)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.setText("改过名字的客户")

    qtbot.keyClick(editor, Qt.Key.Key_Escape)  # Esc: go on editing, nothing lost
    assert editor.isVisible() and editor.name.text() == "改过名字的客户"
    editor.buttons.button(editor.buttons.StandardButton.Cancel).click()  # Cancel: the same
    assert editor.isVisible()
    editor.close()  # the window's close button: discard
    assert not editor.isVisible()
    assert asked.questions == [("客户档案", False)] * 3
    assert _name_in_store(demo_ctx, first_customer.id) == first_customer.name


def test_customer_editor_saves_when_asked_to(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(unsaved, "ask", Asked(unsaved.Answer.SAVE, unsaved.Answer.SAVE))
    editor = CustomerEditor(demo_ctx, first_customer.id)
    qtbot.addWidget(editor)
    editor.show()
    editor.name.setText("")  # invalid: "save" shows the problem and keeps the editor open
    editor.reject()
    assert editor.isVisible() and editor.problems.text()
    editor.name.setText("改过名字的客户")
    editor.reject()
    assert not editor.isVisible() and editor.saved_id == first_customer.id
    assert _name_in_store(demo_ctx, first_customer.id) == "改过名字的客户"


def _visit_editor(ctx, customer) -> VisitEditor:  # type: ignore[no-untyped-def]
    form = VisitForm(
        customer_id=str(customer.id),
        started_at=datetime(2026, 11, 20, 9, 30).isoformat(timespec="minutes"),
    )
    return VisitEditor(ctx, form)


def test_an_untouched_visit_log_leaves_no_draft(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = Asked()
    monkeypatch.setattr(unsaved, "ask", asked)
    service = VisitLogService(demo_ctx.store, demo_ctx.settings, demo_ctx.attachment_files)
    editor = _visit_editor(demo_ctx, first_customer)
    qtbot.addWidget(editor)
    editor.show()
    editor.autosave()  # the timer's first tick writes the untouched form
    assert len(service.drafts()) == 1
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert not editor.isVisible() and asked.questions == [] and service.drafts() == []


def test_a_cancelled_visit_log_is_kept_but_not_offered_as_a_crash(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = Asked(unsaved.Answer.EDIT, unsaved.Answer.KEEP_DRAFT)
    monkeypatch.setattr(unsaved, "ask", asked)
    service = VisitLogService(demo_ctx.store, demo_ctx.settings, demo_ctx.attachment_files)
    editor = _visit_editor(demo_ctx, first_customer)
    qtbot.addWidget(editor)
    editor.show()
    editor.purpose.setText("季度走访,取消后稍后再写")
    editor.reject()
    assert editor.isVisible() and editor.timer.isActive()  # go on editing
    editor.reject()
    assert not editor.isVisible() and asked.questions == [("本次走访记录", True)] * 2
    (draft,) = service.drafts()
    assert draft.cancelled and draft.form.purpose == "季度走访,取消后稍后再写"

    # The next start does not say "程序上次意外退出" about it; the 走访 page still lists it.
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window._drafts_queued)
    assert window.offer_drafts() is None and window.drafts_dialog is None
    dialog = window.offer_drafts(everything=True)
    assert dialog is not None and dialog.model.rowCount() == 1
    assert dialog.model.index(0, 4).data() == "已取消,已保留"
    assert "意外退出" not in dialog.intro.text() and "取消" in dialog.intro.text()
    window.sync_controller.stop()

    # Restored and edited again, it is an ordinary draft (a crash now would offer it).
    editor = VisitEditor(demo_ctx, draft.form)
    qtbot.addWidget(editor)
    editor.purpose.setText("季度走访,接着写")
    editor.autosave()
    (draft,) = service.drafts()
    assert not draft.cancelled


def test_discarding_a_visit_log_removes_its_draft(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(unsaved, "ask", Asked(unsaved.Answer.DISCARD))
    service = VisitLogService(demo_ctx.store, demo_ctx.settings, demo_ctx.attachment_files)
    editor = _visit_editor(demo_ctx, first_customer)
    qtbot.addWidget(editor)
    editor.show()
    editor.purpose.setText("不要了")
    editor.autosave()
    editor.close()
    assert not editor.isVisible() and service.drafts() == []


def test_a_restored_draft_asks_even_when_nothing_more_was_typed(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    service = VisitLogService(demo_ctx.store, demo_ctx.settings, demo_ctx.attachment_files)
    form = VisitForm(customer_id=str(first_customer.id), started_at="2026-11-20T09:30")
    form.purpose = "崩溃前写的内容"
    service.autosave(form)
    asked = Asked(unsaved.Answer.KEEP_DRAFT)
    monkeypatch.setattr(unsaved, "ask", asked)
    editor = VisitEditor(demo_ctx, form)
    qtbot.addWidget(editor)
    editor.show()
    editor.reject()
    assert asked.questions and service.drafts()[0].cancelled


def _two_plan_drafts(ctx, window):  # type: ignore[no-untyped-def]
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    page = window.show_page("plans")
    for customer_id in CustomerDirectory(ctx.store).find_ids(CustomerQuery())[:2]:
        page.customer.set_customer(customer_id)
        page.create_draft()
    assert page.list_model.rowCount() == 2
    page.list_view.selectRow(0)
    return page


def test_a_plan_draft_asks_before_another_plan_replaces_its_edits(
    keyacct_qapp, demo_ctx, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = _two_plan_drafts(demo_ctx, window)
    first = page.current.id
    field = next(iter(page.inputs.values()))
    field.setText("改过但未保存的内容")
    page.refresh()  # F5, a sync: the typed text stays
    assert field.text() == "改过但未保存的内容" and page.has_changes()

    asked = Asked(unsaved.Answer.EDIT, unsaved.Answer.SAVE)
    monkeypatch.setattr(unsaved, "ask", asked)
    page.list_view.selectRow(1)  # go on editing: the first plan stays, its row selected
    assert page.current.id == first and page.list_view.currentIndex().row() == 0
    assert field.text() == "改过但未保存的内容"
    page.list_view.selectRow(1)  # save, then the other plan
    assert page.current.id != first and asked.questions == [("供电方案草稿", False)] * 2
    assert not page.has_changes()
    name = next(iter(page.inputs))
    assert page.service.view(first).data.get(name) == "改过但未保存的内容"
    window.sync_controller.stop()


def test_quitting_asks_about_open_editors(
    keyacct_qapp, demo_ctx, first_customer, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    asked = Asked(unsaved.Answer.EDIT, unsaved.Answer.DISCARD)
    monkeypatch.setattr(unsaved, "ask", asked)
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    window.show()
    editor = window.show_page("customers").edit_customer(first_customer.id)
    editor.name.setText("改过名字的客户")
    window.close()  # go on editing: nothing closes
    assert window.isVisible() and editor.isVisible()
    window.close()  # discard: the editor and the window close
    assert not editor.isVisible() and not window.isVisible()
    assert _name_in_store(demo_ctx, first_customer.id) == first_customer.name


def test_a_material_typed_on_a_checklist_is_not_lost_by_choosing_another(
    keyacct_qapp, demo_ctx, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("checklists")
    for customer_id in CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[:2]:
        page.customer.set_customer(customer_id)
        page.create_draft()
    page.list_view.selectRow(0)
    first = page.current.id
    page.new_item.setText("环评批复文件(复印件)")

    asked = Asked(unsaved.Answer.EDIT, unsaved.Answer.EDIT, unsaved.Answer.SAVE)
    monkeypatch.setattr(unsaved, "ask", asked)
    page.list_view.selectRow(1)  # go on typing: the first checklist stays, its row selected
    assert page.current.id == first and page.list_view.currentIndex().row() == 0
    assert page.new_item.text() == "环评批复文件(复印件)"
    window.show()
    window.close()  # quitting asks too; go on typing
    assert window.isVisible()
    page.list_view.selectRow(1)  # add it, then the other checklist
    assert page.current.id != first and not page.new_item.text()
    assert asked.questions == [("本告知单已输入但未添加的材料", False)] * 3
    texts = [item.text for item in page.service.view(first).items]
    assert "环评批复文件(复印件)" in texts
    window.sync_controller.stop()
