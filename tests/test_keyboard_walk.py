"""The main tasks with the keyboard only: find a customer, log a visit with a demand referred on,
issue a checklist and print it. Every step is a key press sent where the keyboard focus is
(as a user types), and the tab order through the visit editor reads like the form.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy import select

from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.print_preview import PrintPreviewDialog
from keyacct_desktop.gui.visits.editor import FINDINGS, VisitEditor
from keyacct_desktop.store.models import Customer, Referral, Visit


def focus() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "the keyboard focus is nowhere"
    return widget


def press(qtbot, keys: str) -> None:  # type: ignore[no-untyped-def]
    """One key combination, typed where the focus is."""
    combination = QKeySequence(keys)[0]
    qtbot.keyClick(focus(), combination.key(), combination.keyboardModifiers())


def type_text(qtbot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Characters one by one where the focus is (it may move, e.g. into a cell editor).

    Chinese characters arrive as key events carrying the text, as an input method sends them
    (``QTest.keyClicks`` takes Latin-1 only).
    """
    for char in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(focus(), event)


def tab_through(qtbot, expected: Iterable[QWidget]) -> None:  # type: ignore[no-untyped-def]
    for widget in expected:
        press(qtbot, "Tab")
        assert focus() is widget or widget.isAncestorOf(focus()), (
            f"Tab went to {focus().objectName() or type(focus()).__name__}"
        )


def back_to(qtbot, window: QWidget) -> None:  # type: ignore[no-untyped-def]
    """A window opened or a dialog closed: the window manager makes it the active window (the
    offscreen platform has no window manager, so the test does what it would)."""
    with qtbot.waitActive(window):
        window.activateWindow()


def visible(window: QWidget, kind: type) -> list:  # type: ignore[type-arg]
    return [w for w in window.findChildren(kind) if w.isVisible()]


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot):  # type: ignore[no-untyped-def]
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    with qtbot.waitActive(main):
        main.show()
        main.activateWindow()
    yield main
    main.sync_controller.stop()


def test_find_log_refer_issue_and_print_with_the_keyboard(
    window, demo_ctx, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    with demo_ctx.store.read() as session:
        customer = session.scalars(select(Customer).order_by(Customer.account_no)).first()
    assert customer is not None

    # 1. Find the customer: Ctrl+F, type the account number, Enter goes to the list.
    press(qtbot, "Ctrl+F")
    page = window.pages["customers"]
    assert focus() is page.search
    type_text(qtbot, customer.account_no)
    press(qtbot, "Return")
    assert focus() is page.table and page.model.rowCount() == 1
    assert page.selected_customer() == customer.id
    press(qtbot, "Return")  # Enter opens the profile; Esc closes it (nothing changed)
    (profile,) = visible(window, CustomerEditor)
    assert profile.customer_id == customer.id
    back_to(qtbot, profile)
    qtbot.waitUntil(lambda: profile.isAncestorOf(focus()))
    press(qtbot, "Esc")
    assert not profile.isVisible()
    back_to(qtbot, window)
    assert focus() is page.table  # where the keyboard was before the profile opened

    # 2. Log a visit to the selected customer: Ctrl+Shift+N, typing starts at the place.
    press(qtbot, "Ctrl+Shift+N")
    (editor,) = visible(window, VisitEditor)
    editor.timer.stop()
    back_to(qtbot, editor)
    assert editor.customer.customer_id == customer.id
    qtbot.waitUntil(lambda: focus() is editor.place)
    type_text(qtbot, "客户配电房")
    tab_through(qtbot, [editor.ours])
    type_text(qtbot, "王经理")
    tab_through(qtbot, [editor.theirs, editor.purpose])
    type_text(qtbot, "季度走访")
    tab_through(qtbot, [editor.texts[FINDINGS[0]]])
    type_text(qtbot, "运行正常")
    # On through the form as it reads: findings, scores, comments, attachments, demands.
    tab_through(
        qtbot,
        [
            *[editor.texts[key] for key in FINDINGS[1:]],
            *editor.scores.values(),
            editor.texts["comments"],
            editor.texts["complaints"],
            editor.photo_list,
        ],
    )
    while focus() is not editor.add_demand_button:  # the attachment buttons, the table
        press(qtbot, "Tab")
        assert editor.isAncestorOf(focus())

    # 3. Refer a demand: Space adds a row and starts its text; Tab to the team, Down picks.
    press(qtbot, "Space")
    assert editor.demands.rowCount() == 1
    type_text(qtbot, "申请增容 800 kVA")
    press(qtbot, "Tab")
    team = editor.demands.cellWidget(0, 2)
    assert focus() is team
    press(qtbot, "Down")
    assert team.currentData() == team.itemData(1)
    with qtbot.waitSignal(editor.accepted):  # a button's shortcut clicks it visibly (animated)
        press(qtbot, "Ctrl+S")
    assert not editor.isVisible() and editor.saved_id is not None, editor.error.text()
    back_to(qtbot, window)
    with demo_ctx.store.read() as session:
        visit = session.get(Visit, editor.saved_id)
        referral = session.scalars(select(Referral).where(Referral.visit_id == visit.id)).one()
    assert visit.place == "客户配电房" and visit.findings_reliability == "运行正常"
    assert referral.description == "申请增容 800 kVA" and referral.team == team.itemData(1)

    # 4. Issue a checklist: Ctrl+5, pick the customer from the suggestions, create, issue.
    press(qtbot, "Ctrl+5")
    checklists = window.pages["checklists"]
    checklists.customer.setFocus()
    qtbot.waitUntil(lambda: focus() is checklists.customer)
    type_text(qtbot, customer.account_no)
    popup = checklists.customer.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert checklists.customer.customer_id == customer.id
    tab_through(qtbot, [checklists.business, checklists.accepted])
    while focus() is not checklists.create_button:
        press(qtbot, "Tab")
    press(qtbot, "Space")
    assert checklists.current is not None and checklists.current.customer_id == customer.id
    monkeypatch.setattr(QMessageBox, "question", lambda *_a: QMessageBox.StandardButton.Yes)
    for _ in range(80):  # the issue button is reachable with Tab
        if focus() is checklists.issue_button:
            break
        press(qtbot, "Tab")
    assert focus() is checklists.issue_button
    press(qtbot, "Space")
    assert checklists.current.status == "issued"

    # 5. Print: Ctrl+P lays the PDF out on a worker and opens the preview; Esc closes it.
    shown: list[PrintPreviewDialog] = []

    def close_preview() -> None:  # runs inside the preview's own event loop once it is up
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, PrintPreviewDialog) and not shown:
            shown.append(dialog)
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    watcher = QTimer()
    watcher.timeout.connect(close_preview)
    watcher.start(20)
    press(qtbot, "Ctrl+P")
    qtbot.waitUntil(lambda: bool(shown) and not shown[0].isVisible(), timeout=20_000)
    watcher.stop()
    assert shown[0].document.pageCount() >= 1
