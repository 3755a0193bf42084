"""A failed connection says why in Chinese a manager can act on, never an exception's name:
an unknown server, a refused connection, a timeout and a dropped connection each have their own
words (the certificate case is tested with the TLS server in test_sync_app)."""

from __future__ import annotations

import re
import socket
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QMessageBox

from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import OfflineError
from keyacct_desktop.sync.transport import (
    ConnectionLostError,
    RefusedError,
    ServerTimeoutError,
    UnknownServerError,
)

#: An English exception name in a message ("ReadTimeout", "ConnectError"…).
EXCEPTION_NAME = re.compile(r"[A-Z][a-z]+(Error|Timeout|Exception)")


def _sign_in(url: str, timeout: float = 30.0) -> OfflineError:
    api = ServerApi(url, timeout=timeout)
    try:
        with pytest.raises(OfflineError) as caught:
            api.login("wang", "whatever-password", "测试笔记本")
    finally:
        api.close()
    message = caught.value.message_zh
    assert message.startswith("无法连接同步服务器:") and not EXCEPTION_NAME.search(message)
    return caught.value


@pytest.fixture
def closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there now
    return port


@pytest.fixture
def silent_listener() -> Iterator[socket.socket]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    yield listener
    listener.close()


@pytest.fixture
def hanging_up() -> Iterator[str]:
    """Accepts each connection and closes it without a word."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def serve() -> None:
        while True:
            try:
                connection, _address = listener.accept()
            except OSError:
                return
            connection.recv(65536)
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() waiting in the thread (close won't)
    listener.close()
    thread.join(timeout=10)


def test_an_unknown_server_name_asks_to_check_the_address() -> None:
    error = _sign_in("https://keyacct-no-such-server.invalid:8443")
    assert isinstance(error, UnknownServerError)
    assert "找不到服务器“keyacct-no-such-server.invalid”" in error.message_zh


def test_a_refused_connection_says_the_service_is_not_there(closed_port: int) -> None:
    error = _sign_in(f"http://127.0.0.1:{closed_port}")
    assert isinstance(error, RefusedError) and "拒绝连接" in error.message_zh


def test_a_server_that_does_not_answer_times_out(silent_listener: socket.socket) -> None:
    port = silent_listener.getsockname()[1]
    error = _sign_in(f"http://127.0.0.1:{port}", timeout=0.5)
    assert isinstance(error, ServerTimeoutError) and "超时" in error.message_zh


def test_a_connection_that_drops_says_so(hanging_up: str) -> None:
    error = _sign_in(hanging_up)
    assert isinstance(error, ConnectionLostError) and "中途断开" in error.message_zh


def test_the_sync_page_shows_the_reason(keyacct_qapp, ctx, qtbot, monkeypatch, closed_port) -> None:  # type: ignore[no-untyped-def]
    from keyacct_desktop.gui.main_window import MainWindow

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: told.append(text))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("sync")
    page.server_url.setText(f"http://127.0.0.1:{closed_port}")
    page.username.setText("wang")
    page.password.setText("whatever-password")
    with qtbot.waitSignal(page.signed_in, timeout=30_000) as outcome:
        page.sign_in()
    assert outcome.args == [False] and len(told) == 1
    assert "拒绝连接" in told[0] and not EXCEPTION_NAME.search(told[0])
    window.sync_controller.stop()
