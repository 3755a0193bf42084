"""Keyboard: global shortcuts work from every page, F1 lists them all, Enter opens a row."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication

from keyacct_desktop.gui.customer_editor import CustomerEditor
from keyacct_desktop.gui.desktop.menus import ShortcutsDialog
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.pages import PAGES
from keyacct_desktop.gui.visits.editor import VisitEditor

PAGE_KEYS = [key for key, _title, _target in PAGES]


@pytest.fixture
def window(keyacct_qapp, demo_ctx, qtbot):  # type: ignore[no-untyped-def]
    main = MainWindow(demo_ctx)
    qtbot.addWidget(main)
    main.show()
    main.activateWindow()
    qtbot.waitActive(main)
    yield main
    main.sync_controller.stop()


def _press(qtbot, window, keys: str) -> None:  # type: ignore[no-untyped-def]
    """Type ``keys`` where the keyboard focus is (the shortcut map decides who acts)."""
    target = QApplication.focusWidget() or window
    sequence = QKeySequence(keys)[0]
    qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())


def _modal_children(window, kind):  # type: ignore[no-untyped-def]
    return [w for w in window.findChildren(kind) if w.isVisible()]


def test_no_two_actions_share_a_shortcut(window) -> None:  # type: ignore[no-untyped-def]
    """Two actions with one shortcut trigger neither (Qt calls it ambiguous)."""
    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString()
        if keys:
            assert keys not in seen, f"{keys}: {seen[keys]!r} and {action.text()!r}"
            seen[keys] = action.text()
    assert {"F9", "Ctrl+N", "Ctrl+Shift+N", "F1", "Ctrl+F", "Ctrl+P", "F5"} <= set(seen)


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_f9_works_from_every_page_and_says_why_not(window, key: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page(key)
    _press(qtbot, window, "F9")
    assert window.stack.currentWidget() is window.pages["sync"]  # where to sign in
    assert window.statusBar().currentMessage() == "尚未登录:请在此登录服务器后再同步。"


def test_f9_syncs_when_signed_in(window, qtbot, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    controller = window.sync_controller
    started: list[bool] = []
    monkeypatch.setattr(type(controller.account), "signed_in", property(lambda _self: True))
    monkeypatch.setattr(controller, "sync_now", lambda: started.append(True) or True)
    window.show_page("customers")
    _press(qtbot, window, "F9")
    assert started == [True] and window.stack.currentWidget() is window.pages["customers"]
    assert window.statusBar().currentMessage() == "正在同步…"


@pytest.mark.parametrize("key", PAGE_KEYS)
def test_new_customer_and_new_visit_from_every_page(window, key: str, qtbot) -> None:  # type: ignore[no-untyped-def]
    window.show_page(key)
    _press(qtbot, window, "Ctrl+N")
    editors = _modal_children(window, CustomerEditor)
    assert len(editors) == 1 and editors[0].customer_id is None
    editors[0].reject()  # untouched: closes without asking
    window.show_page(key)
    _press(qtbot, window, "Ctrl+Shift+N")
    visits = _modal_children(window, VisitEditor)
    assert len(visits) == 1
    visits[0].reject()


def test_f1_lists_every_shortcut(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    _press(qtbot, window, "F1")
    (dialog,) = _modal_children(window, ShortcutsDialog)
    rows = {
        dialog.table.item(row, 0).text(): dialog.table.item(row, 1).text()
        for row in range(dialog.table.rowCount())
    }
    assert rows["F9"] == "立即同步" and rows["Ctrl+N"] == "新建客户"
    assert rows["Ctrl+Shift+N"] == "新建走访记录" and rows["Enter"] == "打开所选的行"
    assert rows["Ctrl+F"] and rows["Ctrl+1"] == "首页" and rows["F1"]
    assert "Esc" in rows
    for action in window.findChildren(QAction):
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert not keys or keys in rows, keys
    dialog.reject()


def test_enter_opens_the_selected_row(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = window.show_page("customers")
    qtbot.waitUntil(lambda: page.model.rowCount() > 0)
    page.table.setFocus()
    page.table.selectRow(2)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    (editor,) = _modal_children(window, CustomerEditor)
    assert editor.customer_id == page.model.customer_id(2)
    editor.reject()

    visits = window.show_page("visits")
    visits.tabs.setCurrentIndex(1)
    assert visits.model.rowCount() > 0
    visits.table.setFocus()
    visits.table.selectRow(0)
    qtbot.keyClick(visits.table, Qt.Key.Key_Enter)
    (opened,) = _modal_children(window, VisitEditor)
    assert opened.visit_id == str(visits.model.object_at(0))
    opened.reject()
