"""A sync waiting on a silent server (it accepts, never answers) stops at once when the
manager cancels it on the Sync page or closes the app; nothing queued is lost. F9 leaves
building the HTTP client (TLS set-up) to the worker."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction

from keyacct_desktop.context import AppContext
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.sync.controller import SyncPhase
from keyacct_desktop.store.models import Park
from keyacct_desktop.sync.account import KEYRING_SERVICE, SyncAccount
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.review import overview
from tests.sync_helpers import free_port


@pytest.fixture
def silent_server() -> Iterator[tuple[str, threading.Event]]:
    """An address whose server accepts connections and never says a word."""
    listener = socket.create_server(("127.0.0.1", 0))
    accepted = threading.Event()
    held: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            held.append(connection)
            accepted.set()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", accepted
    listener.close()
    for connection in held:
        connection.close()


def test_cancel_and_closing_stop_a_sync_waiting_on_a_silent_server(
    data_dir: Path, keyacct_qapp, qtbot, memory_keyring, silent_server
) -> None:
    url, accepted = silent_server
    ctx = AppContext.open(data_dir)
    account = SyncAccount(ctx.data_dir, ctx.settings)
    ctx.settings.set("sync.server_url", url)
    memory_keyring.set_password(KEYRING_SERVICE, account.keyring_account, "a-token")
    with ctx.store.begin() as session:
        session.add(Park(name="待上传园区"))
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = window.sync_controller
    page = window.show_page("sync")
    assert controller.sync_now()
    qtbot.waitUntil(accepted.is_set, timeout=5_000)  # the request waits for an answer
    assert page.cancel_sync_button.isEnabled()
    started = time.monotonic()
    with qtbot.waitSignal(
        controller.status_changed,
        timeout=2_000,
        check_params_cb=lambda status: status.phase is SyncPhase.IDLE,
    ) as blocker:
        page.cancel_sync_button.click()
    assert time.monotonic() - started < 2
    assert "取消" in blocker.args[0].message
    assert not controller.running and not controller.retry.isActive()
    assert not page.cancel_sync_button.isEnabled()
    assert overview(ctx.store).pending == 1  # the change stays queued

    accepted.clear()
    assert controller.sync_now()
    qtbot.waitUntil(accepted.is_set, timeout=5_000)
    started = time.monotonic()
    window.close()  # closing the app stops it too
    qtbot.waitUntil(lambda: not controller.running, timeout=2_000)
    assert time.monotonic() - started < 2
    assert overview(ctx.store).pending == 1
    ctx.close()


def test_f9_builds_the_client_off_the_gui_thread(
    data_dir: Path, keyacct_qapp, qtbot, memory_keyring, monkeypatch
) -> None:
    on_main_thread: list[bool] = []
    build = SyncAccount.api

    def recording(self: SyncAccount, **kwargs: float) -> ServerApi:
        on_main_thread.append(threading.current_thread() is threading.main_thread())
        return build(self, **kwargs)

    monkeypatch.setattr(SyncAccount, "api", recording)
    ctx = AppContext.open(data_dir)
    account = SyncAccount(ctx.data_dir, ctx.settings)
    ctx.settings.set("sync.server_url", f"http://127.0.0.1:{free_port()}")  # nobody listens
    memory_keyring.set_password(KEYRING_SERVICE, account.keyring_account, "a-token")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    f9 = next(a for a in window.findChildren(QAction) if a.shortcut().toString() == "F9")
    with qtbot.waitSignal(
        window.sync_controller.status_changed,
        timeout=10_000,
        check_params_cb=lambda status: status.phase is SyncPhase.OFFLINE,
    ):
        f9.trigger()
    assert on_main_thread == [False]
    window.close()
    ctx.close()
