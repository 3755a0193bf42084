"""Signing in never freezes the window: it runs on a worker, with progress and Cancel, and a
refused sign-in says so in plain Chinese (the same words for a wrong password and an unknown
user, as the server does not tell them apart either)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from keyacct_desktop.gui.main_window import MainWindow
from tests.sync_helpers import PASSWORD, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:  # type: ignore[no-untyped-def]
    process = ServerProcess(f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}")
    process.create_user("wang", "manager")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def silent_server() -> Iterator[socket.socket]:
    """A server that accepts connections and never answers (a hung proxy, a dead backend)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener
    listener.close()


@pytest.fixture
def page(keyacct_qapp, ctx, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    shown = window.show_page("sync")
    yield shown
    window.sync_controller.stop()


def _warnings(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: told.append(text))
    return told


def _sign_in(page, qtbot, url: str, user: str, password: str) -> bool:  # type: ignore[no-untyped-def]
    page.server_url.setText(url)
    page.username.setText(user)
    page.password.setText(password)
    with qtbot.waitSignal(page.signed_in, timeout=30_000) as outcome:
        task = page.sign_in()
        assert task is not None and not page.sign_in_button.isEnabled()
        assert page.password.text() == ""  # never kept in the widget while the server works
    return bool(outcome.args[0])


def test_sign_in_runs_on_a_worker_and_says_who_is_signed_in(page, server, qtbot, monkeypatch):  # type: ignore[no-untyped-def]
    told = _warnings(monkeypatch)
    assert _sign_in(page, qtbot, server.url, "wang", PASSWORD), (told, page.account_state.text())
    assert told == [] and page.account_state.text() == "已登录:wang"
    assert page.sign_in_button.isEnabled() and page.controller.account.signed_in


@pytest.mark.parametrize("user, password", [("wang", "not the password"), ("nobody", PASSWORD)])
def test_a_refused_sign_in_says_wrong_user_name_or_password(
    page, server, qtbot, monkeypatch, user: str, password: str
) -> None:  # type: ignore[no-untyped-def]
    told = _warnings(monkeypatch)
    assert not _sign_in(page, qtbot, server.url, user, password)
    assert told == ["用户名或密码错误"]
    assert (page.server_url.text(), page.username.text()) == (server.url, user)
    assert "登录已失效" not in told[0] and not page.controller.account.signed_in


def test_a_server_that_does_not_answer_can_be_cancelled(
    page, silent_server, qtbot, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    url = f"http://127.0.0.1:{silent_server.getsockname()[1]}"
    told = _warnings(monkeypatch)
    page.server_url.setText(url)
    page.username.setText("wang")
    page.password.setText(PASSWORD)
    QTest.keyClick(page.password, Qt.Key.Key_Return)  # keyboard only: Enter signs in
    task = page.sign_in_task
    assert task is not None
    assert page.account_state.text() == "正在登录…" and not page.sign_in_button.isEnabled()
    assert page.sign_in() is None  # a second click does not start a second sign-in
    qtbot.waitUntil(lambda: task.dialog is not None and task.dialog.isVisible(), timeout=10_000)
    assert url in task.dialog.labelText()  # the window is responsive: it painted the dialog

    with qtbot.waitSignal(page.signed_in) as outcome:
        task.dialog.findChild(QPushButton).click()  # the progress dialog's Cancel button
    assert outcome.args == [False] and told == []
    assert page.account_state.text() == "已取消登录。" and page.sign_in_button.isEnabled()
    assert (page.server_url.text(), page.username.text()) == (url, "wang")  # not typed again
    assert page.sign_in_task is None  # a new sign-in may start at once

    # The connection ends (the listener closes); the worker finishes and stores nothing.
    silent_server.close()
    qtbot.waitUntil(lambda: task.done, timeout=30_000)
    assert not page.controller.account.signed_in and told == []
