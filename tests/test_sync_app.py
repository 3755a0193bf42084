"""Sync as the manager uses it: sign-in with a keyring token, ``keyacct sync``, the background
controller with backoff, the status bar, and reviewing/restoring conflicts on the Sync page."""

from __future__ import annotations

import io
import json
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import select

from keyacct_desktop import cli
from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.main_window import MainWindow
from keyacct_desktop.gui.sync.controller import FIRST_RETRY_SECONDS, SyncPhase
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.local import PendingChange, SyncRefused
from keyacct_desktop.store.models import Customer, Grid, Park, SyncConflict
from keyacct_desktop.sync.account import KEYRING_SERVICE, SyncAccount
from keyacct_desktop.sync.client import SyncError
from keyacct_desktop.sync.review import conflicts, overview, restore_lost
from keyacct_desktop.sync.state import set_state
from tests.sync_helpers import PASSWORD, Device, ServerProcess, free_port, self_signed_certificate


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:
    database = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    process = ServerProcess(database)
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def server_database_sqlite(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tls-server.sqlite3'}"


def signed_in_ctx(server: ServerProcess, data_dir: Path, username: str = "super") -> AppContext:
    ctx = AppContext.open(data_dir)
    SyncAccount(ctx.data_dir, ctx.settings).sign_in(server.url, username, PASSWORD, "测试笔记本")
    return ctx


def test_sign_in_keeps_a_token_in_the_keyring_and_never_the_password(
    server: ServerProcess, data_dir: Path, memory_keyring
) -> None:
    account = SyncAccount(data_dir, Settings.in_dir(data_dir))
    assert not account.signed_in
    with pytest.raises(UserError) as bad_url:
        account.sign_in("sync.example.cn", "super", PASSWORD)
    assert "服务器地址无效" in bad_url.value.message_zh
    with pytest.raises(SyncError) as wrong:
        account.sign_in(server.url, "super", "not the password")
    assert wrong.value.message_zh == "用户名或密码错误"  # wrong password or unknown user alike
    assert not account.signed_in

    account.sign_in(server.url + "/", "super", PASSWORD, "办公室电脑")
    assert account.signed_in and account.server_url == server.url
    ((service, _entry), token), *_ = memory_keyring.entries.items()
    assert service == KEYRING_SERVICE and token and token != PASSWORD
    stored = "".join(p.read_text("utf-8") for p in data_dir.rglob("*.json"))
    assert PASSWORD not in stored and token not in stored
    assert json.loads((data_dir / "settings.json").read_text("utf-8"))["sync.username"] == "super"

    account.forget()
    assert not account.signed_in and not memory_keyring.entries


def test_keyacct_sync_login_sync_status_logout(
    server: ServerProcess, data_dir: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv("KEYACCT_PASSPHRASE", "sync test passphrase")  # syncing encrypts the store
    base = ["--data-dir", str(data_dir)]
    assert cli.main([*base, "sync"]) == 2  # not signed in: a user error, not a traceback
    assert "尚未登录同步服务器" in capsys.readouterr().err

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*base, "sync", "login", server.url, "super", "--password-stdin"]) == 0
    assert "已登录" in capsys.readouterr().out

    ctx = AppContext.open(data_dir)
    with ctx.store.begin() as session:
        session.add(Park(name=f"命令行园区-{uuid.uuid4().hex[:6]}"))
    ctx.close()
    assert cli.main([*base, "sync", "status"]) == 0
    assert "待上传 / pending changes: 1" in capsys.readouterr().out
    assert cli.main([*base, "sync"]) == 0
    assert "上传 pushed 1" in capsys.readouterr().out
    assert cli.main([*base, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "待上传 / pending changes: 0" in status and "从未" not in status

    ctx = AppContext.open(data_dir)
    with ctx.store.begin() as session:
        session.add(
            SyncRefused(
                table_name="checklist",
                row_id=uuid.uuid4(),
                op="upsert",
                fields=["case_note"],
                values={"case_note": "平板上补充的说明"},
                code="frozen",
                error_fields=["case_note"],
                error="issued document: case_note cannot change",
            )
        )
    ctx.close()
    assert cli.main([*base, "sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "refused, needing attention: 1" in status and "已在其他设备上出具" in status
    assert "字段:其他说明" in status and "平板上补充的说明" in status  # full reason, own values

    assert cli.main([*base, "sync", "logout"]) == 0
    assert cli.main([*base, "sync", "status"]) == 0
    assert "未登录 / not signed in" in capsys.readouterr().out


def test_background_sync_after_an_edit_updates_the_status_bar(
    server: ServerProcess, data_dir: Path, keyacct_qapp, qtbot
) -> None:
    ctx = signed_in_ctx(server, data_dir)
    ctx.settings.set("sync.after_edit_seconds", 1)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = window.sync_controller
    with qtbot.waitSignal(controller.finished, timeout=20_000):
        controller.start()  # signed in: the first sync starts at once
    assert "已同步" in window.sync_label.text()

    with (
        qtbot.waitSignal(controller.status_changed, timeout=5_000),
        ctx.store.begin() as session,  # an edit anywhere in the app
    ):
        session.add(Park(name=f"后台同步园区-{uuid.uuid4().hex[:6]}"))
    assert "1 条修改待上传" in window.sync_label.text()
    with qtbot.waitSignal(controller.finished, timeout=20_000):
        pass  # the after-edit timer syncs by itself
    assert overview(ctx.store).pending == 0
    assert "待上传" not in window.sync_label.text()
    window.close()
    ctx.close()


def test_an_unreachable_server_backs_off_and_the_app_stays_usable(
    data_dir: Path, keyacct_qapp, qtbot, memory_keyring
) -> None:
    ctx = AppContext.open(data_dir)
    account = SyncAccount(ctx.data_dir, ctx.settings)
    ctx.settings.set("sync.server_url", f"http://127.0.0.1:{free_port()}")  # nobody listens
    memory_keyring.set_password(KEYRING_SERVICE, account.keyring_account, "a-token")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = window.sync_controller
    delays = []
    for _attempt in range(3):
        with qtbot.waitSignal(
            controller.status_changed,
            timeout=20_000,
            check_params_cb=lambda status: status.phase is SyncPhase.OFFLINE,
        ) as blocker:
            assert controller.sync_now()
        delays.append(blocker.args[0].retry_in_seconds)
    assert delays == [FIRST_RETRY_SECONDS, 2 * FIRST_RETRY_SECONDS, 4 * FIRST_RETRY_SECONDS]
    assert controller.retry.isActive()
    assert "离线" in window.sync_label.text()
    with ctx.store.begin() as session:  # offline work goes on and is queued
        session.add(Park(name="离线园区"))
    assert overview(ctx.store).pending == 1
    window.close()
    ctx.close()


def test_a_revoked_device_shows_an_error_and_stops_retrying(
    server: ServerProcess, data_dir: Path, keyacct_qapp, qtbot, memory_keyring
) -> None:
    ctx = AppContext.open(data_dir)
    account = SyncAccount(ctx.data_dir, ctx.settings)
    account.sign_in(server.url, "super", PASSWORD, "丢失的笔记本")
    memory_keyring.set_password(KEYRING_SERVICE, account.keyring_account, "revoked-token")
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    controller = window.sync_controller
    with qtbot.waitSignal(
        controller.status_changed,
        timeout=20_000,
        check_params_cb=lambda status: status.phase is SyncPhase.ERROR,
    ):
        controller.sync_now()
    assert "重新登录" in window.sync_label.text()
    assert not controller.retry.isActive()
    window.close()
    ctx.close()


def test_conflicts_are_reviewed_side_by_side_and_the_lost_value_restored(
    server: ServerProcess, tmp_path: Path, keyacct_qapp, qtbot, monkeypatch
) -> None:
    office = Device.sign_in(server, tmp_path, "office", "super")
    laptop = Device.sign_in(server, tmp_path, "laptop", "super")
    suffix = uuid.uuid4().hex[:6]
    park = Park(name=f"冲突园区-{suffix}")
    grid = Grid(name=f"冲突网格-{suffix}")
    customer = Customer(account_no=f"C{suffix}", name="东方电缆有限公司", park=park, grid=grid)
    with office.store.begin() as session:
        session.add_all([park, grid, customer])
    office.sync()
    laptop.sync()
    for device, note in ((office, "办公室:年底扩产"), (laptop, "现场:新增两台变压器")):
        with device.store.begin() as session:
            session.get(Customer, customer.id).notes = note
    office.sync()  # first to the server wins
    laptop.sync()  # the laptop's value lost and is kept in a conflict record

    ctx = AppContext(data_dir=tmp_path, settings=Settings.in_dir(tmp_path), store=laptop.store)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    page = window.show_page("sync")
    assert page.conflict_model.rowCount() == 1
    row = [page.conflict_model.index(0, c).data() for c in range(7)]
    assert row[1] == "东方电缆有限公司" and row[3] == "备注"
    assert row[4] == "办公室:年底扩产" and row[5] == "现场:新增两台变压器"
    assert "1 个冲突待处理" in window.sync_label.text()
    window.grab().save(str(tmp_path / "sync-page.png"))

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: told.append(text))
    page.restore_lost()  # nothing selected
    assert told == ["请先选择一条冲突。"]
    page.conflict_view.selectRow(0)
    page.restore_lost()
    assert page.conflict_model.rowCount() == 0
    with laptop.store.read() as session:
        assert session.get(Customer, customer.id).notes == "现场:新增两台变压器"
        assert session.scalar(select(SyncConflict.resolution)) == "restored"
        assert session.scalars(select(PendingChange)).first() is not None
    laptop.sync()
    office.sync()
    with office.store.read() as session:
        assert session.get(Customer, customer.id).notes == "现场:新增两台变压器"
        (conflict,) = session.scalars(select(SyncConflict))
        assert conflict.resolution == "restored"
    with pytest.raises(UserError) as again:
        restore_lost(laptop.store, conflicts(laptop.store, include_resolved=True)[0].id)
    assert "已处理" in again.value.message_zh
    window.close()
    office.close()
    laptop.close()


def test_tls_server_is_trusted_only_with_its_certificate(
    tmp_path: Path, data_dir: Path, server_database_sqlite: str
) -> None:
    certfile, keyfile = self_signed_certificate(tmp_path)
    process = ServerProcess(server_database_sqlite, tls=(certfile, keyfile))
    process.create_user("tls-user", "manager")
    process.start()
    try:
        assert process.url.startswith("https://")
        account = SyncAccount(data_dir, Settings.in_dir(data_dir))
        with pytest.raises(SyncError) as untrusted:  # an unknown certificate is refused
            account.sign_in(process.url, "tls-user", PASSWORD)
        assert "服务器证书无法验证" in untrusted.value.message_zh  # not "cannot reach"
        account.settings.set("sync.ca_file", str(certfile))
        account.sign_in(process.url, "tls-user", PASSWORD)
        api = account.api()
        try:
            assert api.access()["customers"] == []  # a new manager with no grid yet
        finally:
            api.close()
    finally:
        process.stop()


def test_a_wrong_computer_clock_is_pointed_out(ctx: AppContext, keyacct_qapp, qtbot) -> None:

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    with ctx.store.begin() as session:
        set_state(session, "clock_skew_seconds", -960.0)  # the laptop is 16 minutes behind
    window.sync_controller.publish()
    assert overview(ctx.store).clock_is_off
    assert "本机时钟偏差 16 分钟" in window.sync_label.text()
    page = window.show_page("sync")
    assert "相差 16 分钟" in page.status_text.text()


def test_every_synced_column_has_a_chinese_name() -> None:
    from keyacct_desktop.protocol.labels import field_label, table_label
    from keyacct_desktop.store.models import MODEL_BY_TABLE

    for table, model in MODEL_BY_TABLE.items():
        assert not table_label(table).isascii(), table
        for column in model.__table__.columns:
            assert not field_label(column.key).isascii(), f"{table}.{column.key}"
            assert field_label(column.key, "en").isascii()


def test_sync_page_speaks_chinese_and_lists_refused_changes(
    demo_ctx: AppContext, keyacct_qapp, qtbot, monkeypatch
) -> None:
    from datetime import date

    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery

    customer_id = CustomerDirectory(demo_ctx.store).find_ids(CustomerQuery())[0]
    service = ChecklistService(demo_ctx.store, demo_ctx.settings)
    issued = service.issue(service.draft(customer_id, "close", date(2026, 11, 20)))
    with demo_ctx.store.begin() as session:
        session.get(Customer, customer_id).notes = "走访后补充"
        session.add(
            SyncRefused(
                table_name="checklist",
                row_id=issued.id,
                op="upsert",
                fields=["case_note"],
                values={"case_note": "补充说明"},
                code="frozen",
                error_fields=[],
                error="issued document: case_note cannot change",
            )
        )
    window = MainWindow(demo_ctx)
    qtbot.addWidget(window)
    page = window.show_page("sync")
    model = page.pending_model
    rows = [
        [model.index(r, c).data() for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert rows, "the issue and the edit wait for upload"
    for row in rows:
        assert not str(row[4]).isascii(), row  # field names in Chinese, no raw column names
    item_rows = [row for row in rows if row[1] == "告知书条目"]
    assert item_rows and all(row[2] == issued.number for row in item_rows)

    assert page.tabs.tabText(2) == "待处理(1)"
    refused = [page.rejected_model.index(0, c).data() for c in range(5)]
    assert refused[:3] == ["一次性告知书", issued.number, "修改"]
    assert "已在其他设备上出具" in refused[3] and "补充说明" in refused[4]
    window.sync_controller.publish()
    assert "1 项被拒绝的修改待处理" in window.sync_label.text()
    page.rejected_view.selectRow(0)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.No)
    assert page.discard_refused() is False  # asked first; nothing goes without a yes
    assert page.rejected_model.rowCount() == 1
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert page.discard_refused() is True
    assert page.rejected_model.rowCount() == 0 and page.tabs.tabText(2) == "待处理(0)"
    window.close()


def test_sync_status_names_each_open_conflict_and_keep_or_restore_closes_it(
    data_dir: Path, capsys
) -> None:
    """The same customer typed on two laptops: the name that lost is kept as a conflict, and
    ``keyacct sync status`` says which record, which field, both values and who (not just a
    count); ``keyacct sync restore|keep <编号>`` settles it without the window."""
    ctx = AppContext.open(data_dir)
    customer_id = uuid.uuid4()
    with ctx.store.begin() as session:
        session.add(Customer(id=customer_id, account_no="3109990001", name="远景光伏科技有限公司"))
        for field, lost in (("name", "远景光伏科技"), ("address", "高新区光伏路1号")):
            session.add(
                SyncConflict(
                    table_name="customer",
                    row_id=customer_id,
                    customer_id=customer_id,
                    field_name=field,
                    kept_value=None if field == "address" else "远景光伏科技有限公司",
                    lost_value=lost,
                    lost_by="wang@笔记本 (同一客户重复录入)",
                    detected_at=datetime(2026, 12, 2, 9, 0),
                )
            )
    ctx.close()
    base = ["--data-dir", str(data_dir)]
    assert cli.main([*base, "sync", "status"]) == 0
    out = capsys.readouterr().out
    assert "待处理冲突 / open conflicts: 2" in out
    assert (
        "客户档案 远景光伏科技有限公司 · 名称:现为“远景光伏科技有限公司”,未采用“远景光伏科技”"
        in out
    )
    assert "(来自 wang@笔记本 (同一客户重复录入))" in out
    lines = [line for line in out.splitlines() if "高新区光伏路1号" in line]
    assert len(lines) == 1 and "现为“—”" in lines[0]
    assert cli.main([*base, "sync", "restore", lines[0].split("]")[0].strip(" [")]) == 0
    assert cli.main([*base, "sync", "keep", "zz"]) == 2  # no such conflict: told, not a traceback
    assert "keyacct sync status" in capsys.readouterr().err
    ctx = AppContext.open(data_dir)
    with ctx.store.read() as session:
        assert session.get(Customer, customer_id).address == "高新区光伏路1号"
    assert [c.field for c in conflicts(ctx.store)] == ["name"]
    ctx.close()
