"""Crash visibility: the log file in the data folder, the exception hooks, ``--debug``.

The dialog is answered by a patched ``CrashDialog.exec`` that presses "复制详细信息" the way
a manager would, so no test waits for a human.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer, qWarning
from PySide6.QtGui import QGuiApplication

from keyacct_desktop import logs
from keyacct_desktop.gui import crash
from keyacct_desktop.gui.crash import CrashDialog, install_crash_reporting

REPO = Path(__file__).resolve().parent.parent


class CrashInTest(RuntimeError):
    """Raised on purpose; its name is what the log and the dialog must show."""


@pytest.fixture
def log_folder(tmp_path: Path) -> Iterator[Path]:
    path = logs.log_to_folder(tmp_path)
    yield path
    logs.stop_logging_to_folder()


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[CrashDialog]:
    """Every crash dialog that was shown; each one "answered" by copying the details."""
    dialogs: list[CrashDialog] = []

    def answer(dialog: CrashDialog) -> int:
        dialogs.append(dialog)
        dialog.copy_button.click()
        return 0

    monkeypatch.setattr(CrashDialog, "exec", answer)
    return dialogs


@pytest.fixture
def reporting(keyacct_qapp):  # type: ignore[no-untyped-def]
    installed = install_crash_reporting(keyacct_qapp)
    yield installed
    installed.uninstall()


def test_log_file_in_the_data_folder_rotates(tmp_path: Path) -> None:
    path = logs.log_to_folder(tmp_path)
    try:
        assert path == tmp_path / "logs" / "keyacct.log"
        assert logs.current_log_file() == path
        record = "x" * 1000
        for _ in range(logs.MAX_BYTES // 1000 + 50):  # a little over one file's worth
            logging.getLogger("keyacct_desktop.test").info(record)
    finally:
        logs.stop_logging_to_folder()
    assert logs.current_log_file() is None
    assert (tmp_path / "logs" / "keyacct.log.1").stat().st_size <= logs.MAX_BYTES
    first = (tmp_path / "logs" / "keyacct.log.1").read_text(encoding="utf-8")
    assert "KeyAcct 0." in first.splitlines()[0] and "started: Python" in first.splitlines()[0]
    assert path.read_text(encoding="utf-8").count(record) >= 1


@pytest.mark.qt_no_exception_capture  # the app's own hook must see it, not pytest-qt's
def test_an_error_in_a_slot_is_logged_and_shown_with_copyable_details(
    keyacct_qapp, log_folder: Path, shown: list[CrashDialog], reporting, qtbot
) -> None:
    def fail() -> None:
        raise CrashInTest("客户列表刷新失败")

    QTimer.singleShot(0, fail)
    qtbot.waitUntil(lambda: len(shown) == 1)

    text = log_folder.read_text(encoding="utf-8")
    assert "CRITICAL" in text and "uncaught exception" in text
    assert "Traceback (most recent call last)" in text
    assert "CrashInTest: 客户列表刷新失败" in text
    assert 'in fail\n    raise CrashInTest("客户列表刷新失败")' in text

    dialog = shown[0]
    assert dialog.windowTitle() == "KeyAcct 出错了"  # the Chinese UI of the real app
    assert dialog.copy_button.text() == "已复制"  # pressed: was "复制详细信息"
    assert str(log_folder) in dialog.log_label.text() and "日志文件" in dialog.log_label.text()
    details = dialog.details_view.toPlainText()
    assert details.startswith("KeyAcct Desktop ")
    assert "CrashInTest: 客户列表刷新失败" in details and f"log: {log_folder}" in details
    assert QGuiApplication.clipboard().text() == details
    assert reporting.reporter.shown == 1


def test_the_copy_button_is_labelled_in_chinese(keyacct_qapp, qtbot) -> None:
    dialog = CrashDialog("details", None)
    qtbot.addWidget(dialog)
    assert dialog.copy_button.text() == "复制详细信息"
    assert dialog.log_label.text() == "当前没有写入日志文件。"
    assert not dialog.folder_button.isEnabled()


def test_an_error_in_a_worker_thread_is_logged_and_shown_on_the_gui_thread(
    keyacct_qapp, log_folder: Path, shown: list[CrashDialog], reporting, qtbot
) -> None:
    def work() -> None:
        raise CrashInTest("后台同步失败")

    worker = threading.Thread(target=work, name="sync-worker")
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: len(shown) == 1)  # queued to the GUI thread
    text = log_folder.read_text(encoding="utf-8")
    assert "uncaught exception in thread sync-worker" in text
    assert "CrashInTest: 后台同步失败" in text
    assert "thread: sync-worker" in shown[0].details


@pytest.mark.qt_no_exception_capture
def test_one_dialog_at_a_time_while_every_error_is_logged(
    keyacct_qapp, log_folder: Path, monkeypatch: pytest.MonkeyPatch, reporting, qtbot
) -> None:
    """A second error while the dialog is open is logged, not stacked as another dialog."""
    seen: list[str] = []

    def answer(dialog: CrashDialog) -> int:
        seen.append(dialog.details)
        if len(seen) == 1:
            try:
                raise CrashInTest("second")
            except CrashInTest:
                sys.excepthook(*sys.exc_info())  # type: ignore[arg-type]
            keyacct_qapp.processEvents()  # delivers the second report while "open"
        return 0

    monkeypatch.setattr(CrashDialog, "exec", answer)
    QTimer.singleShot(0, lambda: (_ for _ in ()).throw(CrashInTest("first")))
    qtbot.waitUntil(lambda: len(seen) == 1)
    keyacct_qapp.processEvents()
    assert len(seen) == 1
    text = log_folder.read_text(encoding="utf-8")
    assert "CrashInTest: first" in text and "CrashInTest: second" in text


@pytest.mark.qt_log_ignore("a Qt warning for the log")
def test_qt_warnings_go_into_the_log(keyacct_qapp, log_folder: Path, reporting) -> None:
    qWarning("a Qt warning for the log")
    text = log_folder.read_text(encoding="utf-8")
    assert "WARNING  [MainThread] qt: a Qt warning for the log" in text


def test_hooks_are_put_back(keyacct_qapp) -> None:
    before = (sys.excepthook, threading.excepthook)
    installed = install_crash_reporting(keyacct_qapp)
    assert sys.excepthook is not before[0]
    installed.uninstall()
    assert (sys.excepthook, threading.excepthook) == before
    assert crash.qt_log.name == "qt"


def _keyacct(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyacct_desktop", *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=240,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )


def test_debug_logs_to_stderr_and_to_the_file_at_debug_level(tmp_path: Path) -> None:
    quiet = _keyacct("--data-dir", str(tmp_path / "q"), "--demo", "--demo-customers", "5",
                     "--quit-after", "0")  # fmt: skip
    assert quiet.returncode == 0, quiet.stderr
    assert "DEBUG" not in quiet.stderr
    quiet_log = (tmp_path / "q" / "logs" / "keyacct.log").read_text(encoding="utf-8")
    assert "started: Python" in quiet_log and " DEBUG " not in quiet_log

    loud = _keyacct("--debug", "--data-dir", str(tmp_path / "d"), "--demo",
                    "--demo-customers", "5", "--quit-after", "0")  # fmt: skip
    assert loud.returncode == 0, loud.stderr
    assert "DEBUG" in loud.stderr and "debug logging on" in loud.stderr
    loud_log = (tmp_path / "d" / "logs" / "keyacct.log").read_text(encoding="utf-8")
    assert " DEBUG " in loud_log and "started: Python" in loud_log


def test_debug_option_after_a_headless_command(tmp_path: Path) -> None:
    result = _keyacct("--data-dir", str(tmp_path), "demo", "--customers", "3", "--debug")
    assert result.returncode == 0, result.stderr
    assert "debug logging on" in result.stderr


def test_an_error_before_the_window_is_in_the_log(tmp_path: Path) -> None:
    """An unreadable settings file stops the start; a windowed build has no stderr for the
    message, so it must be in the log."""
    (tmp_path / "settings.json").write_text("{broken", encoding="utf-8")
    result = _keyacct("--data-dir", str(tmp_path), "--quit-after", "0")
    assert result.returncode == 2
    assert "设置文件" in result.stderr
    text = (tmp_path / "logs" / "keyacct.log").read_text(encoding="utf-8")
    assert "ERROR" in text and f"stopped: settings file {tmp_path / 'settings.json'}" in text
