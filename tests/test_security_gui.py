"""Sign-in, idle lock, sign-out and restore windows, driven as a user would (Chinese UI)."""

from __future__ import annotations

import argparse
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.fail
import pytest
from PySide6.QtCore import QEvent, Qt, QThreadPool, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QWidget,
)
from sqlalchemy import select

from keyacct_desktop.backup import backups_dir, check_file, create_backup, list_backups
from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.gui.app import run_gui
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.operations import database_worker, run_op
from keyacct_desktop.gui.security import controller as security_controller_module
from keyacct_desktop.gui.security.controller import SecurityController
from keyacct_desktop.gui.security.exports import confirm_unprotected_export
from keyacct_desktop.gui.security.idle import IdleLock
from keyacct_desktop.gui.security.restore import RestoreDialog
from keyacct_desktop.gui.security.sign_in import SignInDialog, SignInMode, mode_for
from keyacct_desktop.gui.security.start import ask_for_key, open_with_recovery
from keyacct_desktop.gui.tasks import run_task
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.device import StoreState, store_state
from keyacct_desktop.security.keys import DeviceKeys
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.changes import Changes
from keyacct_desktop.store.db import Store, StoreLockedError, open_store
from keyacct_desktop.store.local import SyncRefused
from keyacct_desktop.store.models import Park
from tests.security_helpers import FAST_KDF, PASSPHRASE, MemoryKeyring, set_up_keys

SCREENSHOTS = Path("/tmp/keyacct-security-screens")


def _shot(widget: QDialog | MainWindow, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SCREENSHOTS / f"{name}.png"))


@pytest.fixture(autouse=True)
def _event_loops_run(keyacct_qapp: QApplication) -> None:
    """Clear a quit left pending by an earlier test, which would end every wait at once.

    (``QApplication.quit()`` called after ``exec()`` has already returned leaves Qt's
    "quit now" flag set; one short ``exec()`` clears it.)
    """
    QTimer.singleShot(0, keyacct_qapp.quit)
    keyacct_qapp.exec()


@pytest.fixture
def encrypted_ctx(data_dir: Path) -> Iterator[tuple[AppContext, DeviceKeys]]:
    keys, key = set_up_keys(data_dir)
    store = open_store(store_path(data_dir), key=key)
    generate_demo(store, customers=12, seed=5)
    store.close()
    ctx = AppContext.open(data_dir, key=key)
    yield ctx, keys
    ctx.close()


def _run(qtbot, dialog: SignInDialog, passphrase: str, confirmation: str = "", ok: bool = True):  # type: ignore[no-untyped-def]
    """Type and submit; wait for the dialog to accept, or for the error to show."""
    dialog.passphrase.setText(passphrase)
    dialog.confirmation.setText(confirmation)
    signal = "finished" if ok else "failed"
    task = dialog.submit()
    with qtbot.waitSignal(getattr(task, signal), timeout=10_000):
        pass
    return task


def test_first_start_chooses_a_passphrase_checked_field_by_field(
    keyacct_qapp: QApplication, qtbot, data_dir: Path
) -> None:
    backend = MemoryKeyring()
    keys = DeviceKeys(data_dir, backend)
    assert mode_for(data_dir, keys) is SignInMode.SET_UP
    dialog = SignInDialog(data_dir, keys, SignInMode.SET_UP, kdf_params=FAST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()

    _run(qtbot, dialog, "short", "short", ok=False)
    assert dialog.error.text() == "口令至少需要 8 个字符"
    assert not dialog.error.isHidden()
    _run(qtbot, dialog, PASSPHRASE, PASSPHRASE + "!", ok=False)
    assert dialog.error.text() == "两次输入的口令不一致"
    assert dialog.confirmation.hasFocus() or not dialog.isActiveWindow()
    _shot(dialog, "set-up-error")

    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _run(qtbot, dialog, PASSPHRASE, PASSPHRASE)
    assert dialog.key is not None
    assert keys.is_set_up
    assert keys.remembered_key() == dialog.key
    assert store_state(data_dir) is StoreState.ENCRYPTED  # encrypted from its first byte
    ctx = AppContext.open(data_dir, key=dialog.key)
    ctx.close()


def test_sign_in_refuses_a_wrong_passphrase_then_opens(
    keyacct_qapp: QApplication, qtbot, encrypted_ctx: tuple[AppContext, DeviceKeys]
) -> None:
    ctx, keys = encrypted_ctx
    dialog = SignInDialog(ctx.data_dir, keys, mode_for(ctx.data_dir, keys))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mode is SignInMode.SIGN_IN
    assert dialog.confirmation.isHidden()
    _run(qtbot, dialog, "not my passphrase", ok=False)
    assert dialog.error.text().startswith("口令错误或数据文件已损坏")
    _shot(dialog, "sign-in-wrong")
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _run(qtbot, dialog, PASSPHRASE)
    assert dialog.key == ctx.store.key
    assert keys.remembered_key() is None


def test_an_existing_plain_store_is_encrypted_at_first_sign_in(
    keyacct_qapp: QApplication, qtbot, demo_ctx: AppContext
) -> None:
    data_dir = demo_ctx.data_dir
    demo_ctx.close()
    keys = DeviceKeys(data_dir, MemoryKeyring())
    dialog = SignInDialog(data_dir, keys, mode_for(data_dir, keys), kdf_params=FAST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.mode is SignInMode.SET_UP
    assert "已有的客户数据" in dialog.explanation.text()
    _shot(dialog, "set-up-plain")
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        _run(qtbot, dialog, PASSPHRASE, PASSPHRASE)
    assert store_state(data_dir) is StoreState.ENCRYPTED
    ctx = AppContext.open(data_dir, key=dialog.key)
    from keyacct_desktop.services.customers import CustomerDirectory

    assert CustomerDirectory(ctx.store).count() == 120
    ctx.close()


def test_start_uses_the_remembered_key_without_asking(
    keyacct_qapp: QApplication, encrypted_ctx: tuple[AppContext, DeviceKeys]
) -> None:
    ctx, keys = encrypted_ctx
    assert ctx.store.key is not None
    keys.remember(ctx.store.key)
    assert ask_for_key(ctx.data_dir, keys, ctx.settings) == ctx.store.key


def test_start_asks_when_nothing_is_remembered(
    keyacct_qapp: QApplication, qtbot, encrypted_ctx: tuple[AppContext, DeviceKeys]
) -> None:
    ctx, keys = encrypted_ctx

    def type_passphrase() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, SignInDialog)
        dialog.passphrase.setText(PASSPHRASE)
        dialog.submit()

    QTimer.singleShot(0, type_passphrase)
    assert ask_for_key(ctx.data_dir, keys, ctx.settings) == ctx.store.key


def test_idle_lock_restarts_on_input_and_fires_when_idle(keyacct_qapp: QApplication, qtbot) -> None:
    lock = IdleLock(15)
    keyacct_qapp.installEventFilter(lock)
    try:
        assert lock.timer.interval() == 15 * 60_000
        lock.timer.stop()
        lock.timer.start()
        lock.timer.setInterval(60_000)
        key = QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
        QApplication.sendEvent(lock, key)
        assert lock.timer.isActive()
        lock.pause()
        QApplication.sendEvent(lock, key)
        assert not lock.timer.isActive(), "input while locked must not restart the timer"
        lock.set_minutes(0)
        assert not lock.timer.isActive()
        lock.set_minutes(1)
        lock.timer.setInterval(1)
        lock.timer.start()
        with qtbot.waitSignal(lock.idle, timeout=5_000):
            pass
    finally:
        keyacct_qapp.removeEventFilter(lock)


@pytest.fixture
def secured_window(
    keyacct_qapp: QApplication, qtbot, encrypted_ctx: tuple[AppContext, DeviceKeys]
) -> Iterator[tuple[MainWindow, SecurityController]]:
    ctx, keys = encrypted_ctx
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = SecurityController(ctx, window, keys)
    window.show()
    # The dashboard loads on a worker; restore, sign-out and rekeying wait for workers.
    home = window.pages["home"]
    qtbot.waitUntil(lambda: not home.loading)
    yield window, controller
    keyacct_qapp.removeEventFilter(controller.idle_lock)
    QApplication.setQuitOnLastWindowClosed(True)


def test_security_menu_is_in_chinese(secured_window: tuple[MainWindow, SecurityController]) -> None:
    window, controller = secured_window
    menu = window.menuBar().findChild(type(window.menuBar().addMenu("x")), "securityMenu")
    assert menu is not None and menu.title() == "安全(&S)"
    assert [a.text() for a in menu.actions() if a.text()] == [
        "立即锁定",
        "立即备份",
        "从备份恢复…",
        "修改口令…",
        "退出登录并清除本机数据…",
    ]
    assert controller.idle_lock.timer.isActive()


def test_lock_hides_the_data_until_the_right_passphrase(
    qtbot, secured_window: tuple[MainWindow, SecurityController]
) -> None:
    window, controller = secured_window
    customer_card = QDialog()  # any other window showing data hides too
    qtbot.addWidget(customer_card)
    customer_card.show()
    with qtbot.waitSignal(controller.locked_changed):
        controller.idle_lock.idle.emit()
    assert window.isHidden()
    assert customer_card.isHidden()
    dialog = controller.lock_dialog
    assert dialog is not None and dialog.mode is SignInMode.UNLOCK
    assert dialog.remember.isHidden()
    _shot(dialog, "locked")
    _run(qtbot, dialog, "wrong passphrase", ok=False)
    assert dialog.error.text() == "口令错误"
    assert window.isHidden()
    with qtbot.waitSignal(controller.locked_changed) as unlocked:
        _run(qtbot, dialog, PASSPHRASE)
    assert unlocked.args == [False]
    assert window.isVisible()
    assert customer_card.isVisible()
    assert controller.idle_lock.timer.isActive()


def test_backup_and_restore_from_the_menu(
    qtbot, secured_window: tuple[MainWindow, SecurityController], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, controller = secured_window
    with qtbot.waitSignal(controller.backed_up, timeout=10_000) as backed_up:
        controller.back_up_now()
    assert backed_up.args[0].path.exists()
    assert "已备份" in window.statusBar().currentMessage()
    with controller.ctx.store.begin() as session:
        session.add(Park(name="备份后新增园区"))

    dialog = controller.choose_backup_to_restore()
    qtbot.addWidget(dialog)
    _shot(dialog, "restore")
    assert dialog.list.count() == 1
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    announced: list[Changes] = []
    window.pages["customers"].refresh_changes = announced.append  # type: ignore[method-assign]
    with qtbot.waitSignal(controller.restored, timeout=10_000):
        dialog.accept()
    with controller.ctx.store.read() as session:
        assert "备份后新增园区" not in set(session.scalars(select(Park.name)))
    # The pages hear it through their typed interface, on the new store's bus.
    assert announced and announced[-1].touches("customer", "park", "visit")
    with controller.ctx.store.begin() as session:
        session.add(Park(name="恢复后新增园区"))
    qtbot.waitUntil(lambda: any(c.rows.get("park") for c in announced), timeout=5_000)
    assert controller.back_up_if_due() is None  # a fresh backup exists


def test_sign_out_warns_about_unsynced_changes_and_wipes(
    qtbot, secured_window: tuple[MainWindow, SecurityController], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, controller = secured_window
    ctx = controller.ctx
    assert ctx.store.key is not None
    controller.keys.remember(ctx.store.key)
    create_backup(ctx.store, backups_dir(ctx.data_dir), keep=3)
    with ctx.store.begin() as session:
        session.add_all([Park(name="甲园区"), Park(name="乙园区")])
    with ctx.store.begin() as session:  # work the server refused, kept for the manager
        session.add(
            SyncRefused(
                table_name="customer",
                row_id=uuid.uuid4(),
                op="upsert",
                created=True,
                fields=["grid_id"],
                values={},
                code="grid_required",
                error_fields=["grid_id"],
            )
        )
    shown: list[str] = []

    def answer(button: QMessageBox.StandardButton):  # type: ignore[no-untyped-def]
        def warning(_parent, _title, text, *_args):  # type: ignore[no-untyped-def]
            shown.append(text)
            return button

        return warning

    monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.No))
    assert controller.sign_out() is False
    assert "2 项修改尚未上传到服务器" in shown[0]
    assert "1 项修改被服务器拒绝、待处理" in shown[0]
    assert "均已同步" not in shown[0]  # never says all is synced while refused work waits
    assert store_path(ctx.data_dir).exists()

    monkeypatch.setattr(QMessageBox, "warning", answer(QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(controller.signed_out):
        assert controller.sign_out() is True
    assert not store_path(ctx.data_dir).exists()
    assert list_backups(backups_dir(ctx.data_dir)) == []
    assert not controller.keys.is_set_up
    assert controller.keys.remembered_key() is None
    assert not window.isVisible()


def test_a_damaged_store_offers_the_backups_at_start(
    keyacct_qapp: QApplication, qtbot, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(store_path(data_dir))
    generate_demo(store, customers=30, seed=8)
    create_backup(store, backups_dir(data_dir), keep=3)
    store.close()
    with open(store_path(data_dir), "r+b") as handle:
        handle.seek(store_path(data_dir).stat().st_size // 2)
        handle.write(b"\x5a" * 8192)
    offered: list[RestoreDialog] = []

    def choose_newest(dialog: RestoreDialog) -> int:
        offered.append(dialog)
        _shot(dialog, "damaged-start")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(RestoreDialog, "exec", choose_newest)
    ctx = open_with_recovery(data_dir, None, "zh_CN")
    assert ctx is not None
    assert "数据文件已损坏" in offered[0].explanation.text()
    from keyacct_desktop.services.customers import CustomerDirectory

    assert CustomerDirectory(ctx.store).count() == 30
    ctx.close()

    monkeypatch.setattr(RestoreDialog, "exec", lambda _d: QDialog.DialogCode.Rejected)
    store_path(data_dir).write_bytes(b"garbage" * 1000)
    assert open_with_recovery(data_dir, None, "zh_CN") is None
    assert Settings.in_dir(data_dir).get("ui.language") == "zh_CN"


def _gui_args(data_dir: Path, *, demo: bool) -> argparse.Namespace:
    return argparse.Namespace(
        data_dir=str(data_dir), demo=demo, demo_customers=20, lang=None, quit_after=None
    )


def _discard_windows(keep: set[QWidget]) -> None:
    """Close and delete the windows ``run_gui`` opened, so later tests do not see them."""
    for widget in set(QApplication.topLevelWidgets()) - keep:
        widget.close()
        widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def _event_loop_until_the_store_is_open(shown: list[MainWindow]) -> int:
    """Stands in for ``app.exec()``: runs events until every shown main window has its store.

    ``run_gui`` shows the window first and opens the store on a worker; this returns once
    the GUI thread has attached it (security controller, backup task queued), as the real
    event loop would go on from there. The windows seen are added to ``shown``.
    """
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        QApplication.processEvents()
        windows = [
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        ]
        if windows and all(w.attached for w in windows):
            shown.extend(windows)
            return 0
        time.sleep(0.01)
    raise AssertionError("the store was never attached to the main window")


def _refuse_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_dialog: QDialog) -> int:
        raise AssertionError("no dialog may ask anything here")

    monkeypatch.setattr(SignInDialog, "exec", fail)
    monkeypatch.setattr(RestoreDialog, "exec", fail)


def test_demo_launch_asks_nothing_and_stays_unencrypted(
    keyacct_qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _refuse_dialogs(monkeypatch)
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda *_: _event_loop_until_the_store_is_open(shown))
    windows_before = set(QApplication.topLevelWidgets())
    assert run_gui(_gui_args(data_dir, demo=True)) == 0
    assert shown and shown[0].pages.is_built("home")
    assert store_state(data_dir) is StoreState.PLAIN
    assert len(list_backups(backups_dir(data_dir))) == 1  # the automatic backup on start
    _discard_windows(windows_before)


def test_launch_signs_in_with_the_keyring_and_backs_up(
    keyacct_qapp: QApplication, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = MemoryKeyring()
    keys, key = set_up_keys(data_dir, backend)
    keys.remember(key)
    open_store(store_path(data_dir), key=key).close()
    monkeypatch.setattr(keyring, "get_keyring", lambda: backend)
    _refuse_dialogs(monkeypatch)
    shown: list[MainWindow] = []
    monkeypatch.setattr(QApplication, "exec", lambda *_: _event_loop_until_the_store_is_open(shown))
    windows_before = set(QApplication.topLevelWidgets())
    assert run_gui(_gui_args(data_dir, demo=False)) == 0
    assert any(window.findChild(SecurityController) for window in shown)
    (backup,) = list_backups(backups_dir(data_dir))
    assert b"SQLite format 3" not in backup.path.read_bytes()
    _discard_windows(windows_before)


def test_exports_warn_that_the_file_is_not_encrypted(
    keyacct_qapp: QApplication, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    asked: list[tuple[str, str]] = []

    def warning(_parent, title, text, *_args):  # type: ignore[no-untyped-def]
        asked.append((title, text))
        return (
            QMessageBox.StandardButton.Cancel if len(asked) > 1 else QMessageBox.StandardButton.Save
        )

    monkeypatch.setattr(QMessageBox, "warning", warning)
    target = tmp_path / "供电方案.pdf"
    assert confirm_unprotected_export(None, target, "zh_CN") is True
    assert confirm_unprotected_export(None, target, "zh_CN") is False
    title, text = asked[0]
    assert title == "导出文件未加密"
    assert "不加密" in text and str(target) in text


def test_restore_waits_for_running_work_and_refuses_a_bad_backup(
    qtbot, secured_window: tuple[MainWindow, SecurityController], monkeypatch: pytest.MonkeyPatch
) -> None:
    window, controller = secured_window
    errors: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *_a: errors.append(text))
    backup = create_backup(controller.ctx.store, backups_dir(controller.ctx.data_dir), keep=3)

    release = threading.Event()
    busy = run_task(lambda _state: release.wait(10), title="sync", parent=window)
    try:
        assert controller.restore(backup) is False
        assert errors == ["请等正在进行的操作(如同步、备份)完成后再试"]
    finally:
        with qtbot.waitSignal(busy.finished):
            release.set()
    QThreadPool.globalInstance().waitForDone()

    backup.path.write_bytes(b"SQLite format 3\x00" + bytes(4096))
    outcome: list[bool] = []
    checked_on: list[threading.Thread] = []
    check = security_controller_module.check_file
    monkeypatch.setattr(
        security_controller_module,
        "check_file",
        lambda *a: checked_on.append(threading.current_thread()) or check(*a),
    )
    assert controller.restore(backup, on_finished=outcome.append) is True  # checking
    qtbot.waitUntil(lambda: outcome == [False], timeout=10_000)
    assert checked_on and checked_on[0] is not threading.main_thread()  # off the GUI thread
    assert "cannot be used" not in errors[-1] and "无法使用" in errors[-1]
    with controller.ctx.store.read() as session:  # the store is open and intact
        assert session.scalars(select(Park.name)).all()


def test_remembering_without_a_keyring_tells_the_user(
    keyacct_qapp: QApplication, qtbot, encrypted_ctx: tuple[AppContext, DeviceKeys], monkeypatch
) -> None:
    ctx, _keys = encrypted_ctx
    keys = DeviceKeys(ctx.data_dir, keyring.backends.fail.Keyring())
    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *_a: told.append(text))
    dialog = SignInDialog(ctx.data_dir, keys, SignInMode.SIGN_IN)
    qtbot.addWidget(dialog)
    dialog.remember.setChecked(True)
    with qtbot.waitSignal(dialog.accepted, timeout=10_000):
        _run(qtbot, dialog, PASSPHRASE)
    assert told == ["本机没有可用的系统钥匙串,无法记住密钥。以后每次启动仍需输入口令。"]


def test_change_passphrase_from_the_menu(
    qtbot, secured_window: tuple[MainWindow, SecurityController]
) -> None:
    _window, controller = secured_window
    controller.kdf_params = FAST_KDF
    store = controller.ctx.store
    old_key = store.key
    with store.read() as session:
        parks = sorted(session.scalars(select(Park.name)))
    dialog = controller.ask_to_change_passphrase()
    qtbot.addWidget(dialog)
    new = "新口令-这回够长了"

    # A new passphrase too short or mistyped is refused at once, at its field.
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText("短")
    dialog.confirmation.setText("短")
    dialog.buttons.accepted.emit()
    assert dialog.error.text() == "口令至少需要 8 个字符"
    assert not dialog.busy
    dialog.new.setText(new)
    dialog.buttons.accepted.emit()
    assert dialog.error.text() == "两次输入的口令不一致"
    assert dialog.confirmation.hasFocus() or not dialog.isActiveWindow()

    # A wrong current passphrase is found on the worker (Argon2id), then shown at its field.
    dialog.current.setText("not the passphrase")
    dialog.confirmation.setText(new)
    dialog.buttons.accepted.emit()
    assert dialog.busy and not dialog.current.isEnabled()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)
    assert dialog.error.text() == "当前口令不正确"
    assert dialog.isVisible() and dialog.current.isEnabled()
    assert dialog.current.hasFocus() or not dialog.isActiveWindow()
    assert store.key == old_key
    with store.read() as session:  # open again, with the old key
        assert sorted(session.scalars(select(Park.name))) == parks
    _shot(dialog, "change-passphrase-error")

    dialog.current.setText(PASSPHRASE)
    with (
        qtbot.waitSignal(controller.backed_up, timeout=10_000),
        qtbot.waitSignal(controller.passphrase_changed, timeout=10_000),
    ):
        dialog.buttons.accepted.emit()
    assert not dialog.isVisible()
    assert controller.ctx.store is store  # the same store: whoever holds it keeps working
    assert store.key not in (None, old_key)
    assert controller.keys.derive(new) == store.key
    with store.read() as session:
        assert sorted(session.scalars(select(Park.name))) == parks
    with pytest.raises(StoreLockedError):  # the old passphrase no longer opens the file
        open_store(store.path, key=old_key)
    (backup,) = list_backups(backups_dir(controller.ctx.data_dir))
    assert check_file(backup.path, store.key) == []


def test_the_rekey_runs_off_the_gui_thread_and_nothing_reaches_the_closed_store(
    qtbot, secured_window: tuple[MainWindow, SecurityController], monkeypatch: pytest.MonkeyPatch
) -> None:
    """While the store is rekeyed the window stays live, the dialog can be neither edited nor
    closed, and what a timer starts meanwhile waits: a write queued on the database worker
    (an editor's autosave) and a read on another worker run after the rekey, with the new
    key; the sync timer reads nothing until the store is open again."""
    monkeypatch.delenv("KEYACCT_OPS_INLINE")  # operations on the database worker, as in the app
    window, controller = secured_window
    controller.kdf_params = FAST_KDF
    store = controller.ctx.store
    sync = window.sync_controller
    assert sync is not None
    rekeyed_on: list[threading.Thread] = []
    started, release = threading.Event(), threading.Event()
    rekey = security_controller_module.change_passphrase

    def held_rekey(*args: object, **kwargs: object) -> bytes:
        rekeyed_on.append(threading.current_thread())
        started.set()
        release.wait(10)
        return rekey(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(security_controller_module, "change_passphrase", held_rekey)
    dialog = controller.ask_to_change_passphrase()
    qtbot.addWidget(dialog)
    new = "新口令-这回够长了"
    dialog.current.setText(PASSPHRASE)
    dialog.new.setText(new)
    dialog.confirmation.setText(new)
    outcome: list[bool] = []
    try:
        assert controller._change_passphrase(dialog, outcome.append) is True
        assert started.wait(10)
        assert rekeyed_on[0] is not threading.main_thread()

        ticks: list[int] = []
        QTimer.singleShot(0, lambda: ticks.append(1))
        qtbot.waitUntil(lambda: ticks == [1])  # the GUI thread is free
        qtbot.waitUntil(lambda: dialog.findChild(QProgressDialog) is not None)
        progress = dialog.findChild(QProgressDialog)
        assert progress is not None and progress.isVisible()
        assert progress.labelText() == "正在用新口令重新加密客户数据…"
        assert progress.windowModality() == Qt.WindowModality.WindowModal
        assert not [b for b in progress.findChildren(QPushButton) if b.isVisible()]  # no Cancel
        dialog.reject()  # Esc, the close button
        assert dialog.isVisible() and not dialog.current.isEnabled()
        assert not controller.idle_lock.timer.isActive()

        statuses: list[object] = []
        sync.status_changed.connect(statuses.append)
        sync.periodic.timeout.emit()  # due: would read the store for its status
        assert statuses == [] and not sync.running

        def rename(_state: object) -> None:
            with store.begin() as session:
                park = session.scalars(select(Park).order_by(Park.name)).first()
                assert park is not None
                park.name = "重新加密期间改名的园区"

        written = run_op(window, store, rename)
        read = run_task(lambda _state: _park_names(store), title="", dialog=False)
        qtbot.wait(300)
        assert not written.done and not read.done  # both wait for the store
    finally:
        release.set()
    qtbot.waitUntil(lambda: outcome == [True], timeout=10_000)
    qtbot.waitUntil(lambda: written.done and read.done, timeout=10_000)
    assert not progress.isVisible() and not dialog.isVisible()
    assert written.error is None
    assert read.done and statuses  # the held sync caught up
    assert controller.idle_lock.timer.isActive()
    assert store.key == controller.keys.derive(new)
    assert "重新加密期间改名的园区" in _park_names(store)
    database_worker().waitForDone(10_000)
    QThreadPool.globalInstance().waitForDone(10_000)


def _park_names(store: Store) -> list[str]:
    with store.read() as session:
        return sorted(session.scalars(select(Park.name)))
