"""The laptop never keeps customer data in a plain file outside ``--demo``; another user's data
is wiped (after a truthful warning) or refused; transport failures say what they are."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from keyacct_desktop import cli
from keyacct_desktop.context import AppContext
from keyacct_desktop.security.encryption import SQLITE_HEADER
from keyacct_desktop.security.keys import PASSPHRASE_ENV
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.models import Customer, Park
from keyacct_desktop.sync.account import OtherUsersDataError, SyncAccount
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import OtherUserError, sync_once
from keyacct_desktop.sync.state import pending_count
from keyacct_desktop.sync.transport import (
    CaFileError,
    CertificateError,
    OfflineError,
    PlainHttpError,
)
from tests.security.conftest import footprint
from tests.security_helpers import MemoryKeyring
from tests.sync_helpers import (
    PASSWORD,
    Device,
    ServerProcess,
    api_sign_in,
    applied,
    free_port,
    pull_changes,
    self_signed_certificate,
    wire_op,
)

PASSPHRASE = "laptop passphrase 2026"
HEADER = "户号,客户名称,统一社会信用代码,所属园区,行业,电压等级,合同容量,联系人,手机,地址\n"


def plain_sqlite_files(folder: Path) -> list[Path]:
    """Every file under ``folder`` (backups included) that is a readable SQLite database."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                if handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                    found.append(path)
    return found


def all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in folder.rglob("*") if p.is_file())


@pytest.fixture(scope="module")
def park_name(server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A park on the server (customers are imported into it)."""
    office = Device.sign_in(server, tmp_path_factory.mktemp("office"), "office", "admin")
    name = f"高新区{uuid.uuid4().hex[:4]}"
    with office.store.begin() as session:
        session.add(Park(name=name))
    office.sync()
    office.close()
    return name


def _customers_csv(folder: Path, park: str, name: str) -> Path:
    path = folder / "customers.csv"
    path.write_text(
        HEADER + f"3107{uuid.uuid4().int % 10**6:06d},{name},91350100M000100Y43,{park},C,10kV,"
        "2500,王工,13800138000,高新路1号\n",
        encoding="utf-8",
    )
    return path


def test_headless_commands_on_a_new_folder_leave_no_plain_sqlite_file(
    server: ServerProcess,
    park_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 15: import, sync login + sync and backup on a new folder made a plain SQLite
    file (and plain backups): customer names readable with ``sqlite3``."""
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    data = tmp_path / "data"
    base = ["--data-dir", str(data)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*base, "sync", "login", server.url, "wang", "--password-stdin"]) == 0
    assert cli.main([*base, "sync"]) == 0
    customer = f"钱塘精密机械{uuid.uuid4().hex[:4]}有限公司"
    assert cli.main([*base, "import", str(_customers_csv(tmp_path, park_name, customer))]) == 0
    assert cli.main([*base, "backup"]) == 0
    capsys.readouterr()
    assert list((data / "backups").iterdir())  # a backup was taken …
    assert plain_sqlite_files(data) == []  # … and nothing in the folder is plain SQLite
    assert customer.encode() not in all_bytes(data)
    assert park_name.encode() not in all_bytes(data)
    ctx = AppContext.open(data)  # the passphrase (from the environment) opens it
    try:
        with ctx.store.read() as session:
            assert session.scalars(select(Customer.name)).all() == [customer]
    finally:
        ctx.close()


@pytest.mark.parametrize(
    "command",
    [
        ["import", "{csv}"],
        ["backup"],
        ["sync"],
        ["export", "-o", "{out}"],
        ["import-months", "{csv}"],
    ],
)
def test_without_a_passphrase_a_new_folder_is_refused_and_left_empty(
    server: ServerProcess,
    park_name: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    data = tmp_path / "data"
    if command == ["sync"]:  # signed in (the token is in the keyring), but no passphrase
        monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
        assert (
            cli.main(
                ["--data-dir", str(data), "sync", "login", server.url, "wang", "--password-stdin"]
            )
            == 0
        )
    monkeypatch.setattr("sys.stdin", io.StringIO(""))  # no terminal to ask in
    csv = _customers_csv(tmp_path, park_name, "江南化工有限公司")
    args = [part.format(csv=csv, out=tmp_path / "out.xlsx") for part in command]
    capsys.readouterr()
    assert cli.main(["--data-dir", str(data), *args]) == 2
    err = capsys.readouterr().err
    assert "客户数据不能以明文保存" in err and PASSPHRASE_ENV in err and "Traceback" not in err
    assert not (data / "keyacct.sqlite3").exists()
    assert plain_sqlite_files(data) == []


def test_status_and_logout_on_a_new_folder_write_no_store(
    server: ServerProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PASSPHRASE_ENV, raising=False)
    data = tmp_path / "data"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    base = ["--data-dir", str(data)]
    assert cli.main([*base, "sync", "login", server.url, "wang", "--password-stdin"]) == 0
    assert cli.main([*base, "sync", "status"]) == 0
    assert cli.main([*base, "sync", "logout"]) == 0
    assert not (data / "keyacct.sqlite3").exists() and plain_sqlite_files(data) == []


def test_a_plain_demo_store_is_encrypted_before_customer_data_comes_in(
    park_name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``keyacct demo`` stays plain (generated data only); importing real customers into it
    encrypts it first."""
    data = tmp_path / "data"
    assert cli.main(["--data-dir", str(data), "demo", "--customers", "3"]) == 0
    assert plain_sqlite_files(data)  # the documented exception: demo data
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    cli.main(
        ["--data-dir", str(data), "import", str(_customers_csv(tmp_path, park_name, "某公司"))]
    )
    assert plain_sqlite_files(data) == []


def test_a_weak_passphrase_from_the_environment_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(PASSPHRASE_ENV, "short")
    data = tmp_path / "data"
    assert cli.main(["--data-dir", str(data), "backup"]) == 2
    assert "口令" in capsys.readouterr().err
    assert plain_sqlite_files(data) == [] and not (data / "keyacct.sqlite3").exists()


def test_switching_users_wipes_the_first_users_data_or_refuses(
    server: ServerProcess,
    park_name: str,
    database,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Issue 15: logout, then login as another user in the same folder kept the first
    user's customers readable and pushed the first user's unsynced edit as the second."""
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    data = tmp_path / "data"
    base = ["--data-dir", str(data)]
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*base, "sync", "login", server.url, "wang", "--password-stdin"]) == 0
    assert cli.main([*base, "sync"]) == 0
    secret = f"王的未同步园区{uuid.uuid4().hex[:6]}"
    ctx = AppContext.open(data)
    with ctx.store.begin() as session:
        session.add(Park(name=secret))  # an edit not yet on the server
    ctx.close()
    assert cli.main([*base, "sync", "logout"]) == 0
    capsys.readouterr()

    before = footprint(database)
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli.main([*base, "sync", "login", server.url, "li", "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "wang" in err and "1 项修改尚未上传到服务器" in err and "--switch-user" in err
    assert footprint(database) == before  # no sign-in happened
    assert Settings.in_dir(data).get("sync.username") == "wang"

    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main([*base, "sync", "login", server.url, "li", "--password-stdin", "--switch-user"])
        == 0
    )
    err = capsys.readouterr().err
    assert "1 项修改尚未上传到服务器" in err and "已清除" in err
    assert secret.encode() not in all_bytes(data)
    assert not (data / "keyacct.sqlite3").exists()
    assert cli.main([*base, "sync"]) == 0  # li's own, new (encrypted) store
    assert plain_sqlite_files(data) == []
    with database.connect() as connection:
        from keyacct_desktop.server.models import SyncRow

        names = [row.data.get("name") for row in connection.execute(select(SyncRow))]
    assert secret not in names  # wang's edit never reached the server as li's


def test_the_sync_page_refuses_another_user_while_a_users_data_is_here(
    server: ServerProcess, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """``SyncAccount.sign_in`` refuses (the sync page then offers the switch dialog, the CLI
    the wipe)."""
    data = tmp_path / "data"
    ctx = AppContext.open(data)
    account = SyncAccount(data, ctx.settings)
    account.sign_in(server.url, "wang", PASSWORD, "wang's laptop")
    token = account.token()
    with pytest.raises(OtherUsersDataError) as refused:
        account.sign_in(server.url, "li", PASSWORD, "wang's laptop")
    assert (
        "wang" in refused.value.message_zh and "退出登录并清除本机数据" in refused.value.message_zh
    )
    assert account.token() == token and account.username == "wang"
    account.sign_in(server.url, "wang", PASSWORD, "wang's laptop")  # the same user again
    ctx.close()


def test_a_store_of_one_user_never_syncs_as_another(
    server: ServerProcess,
    database,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    """The last line of defence, below every command and dialog: ``sync_once`` itself."""
    wang = Device.sign_in(server, tmp_path, "wang-laptop", "wang")
    wang.sync()
    with wang.store.begin() as session:
        session.add(Park(name=f"王的园区{uuid.uuid4().hex[:6]}"))
    li_api = ServerApi(server.url)
    li_api.login("li", PASSWORD, "borrowed laptop")
    before = footprint(database)
    with pytest.raises(OtherUserError) as refused:
        sync_once(wang.store, li_api)
    assert "另一位用户" in refused.value.message_zh
    assert pending_count(wang.store) == 1
    assert footprint(database) == before
    li_api.close()
    wang.close()


def test_tokens_rotate_silently_and_the_new_one_is_kept(
    server: ServerProcess, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    account = SyncAccount(data, Settings.in_dir(data))
    account.sign_in(server.url, "wang", PASSWORD, "rotating laptop")
    first = account.token()
    assert not account.rotation_due()
    rotation_entry = next(key for key in memory_keyring.entries if "rotate" in key[1])
    memory_keyring.entries[rotation_entry] = "2000-01-01T00:00:00+00:00"  # long due
    assert account.rotation_due()
    ctx = AppContext.open(data)
    api = account.api()
    try:
        sync_once(ctx.store, api)
    finally:
        api.close()
        ctx.close()
    second = account.token()
    assert second and second != first and not account.rotation_due()
    answer = httpx.get(f"{server.url}/api/v1/access", headers={"Authorization": f"Bearer {second}"})
    assert answer.status_code == 200


def test_certificate_errors_are_not_reported_as_offline(
    tmp_path: Path, server_database: str
) -> None:
    """Issue 15: a certificate failure was reported as "cannot reach the server"."""
    tls_server = ServerProcess(server_database, tls=self_signed_certificate(tmp_path))
    tls_server.start()
    try:
        with pytest.raises(CertificateError) as untrusted:
            ServerApi(tls_server.url).login("wang", PASSWORD, "x")  # not our CA
        assert "证书" in untrusted.value.message_zh and "certificate" in untrusted.value.message_en
        trusted = ServerApi(tls_server.url, verify=str(tls_server.tls[0]))  # type: ignore[index]
        assert trusted.login("wang", PASSWORD, "x")["token"]
        trusted.close()
    finally:
        tls_server.stop()
    with pytest.raises(OfflineError) as offline:
        ServerApi(f"http://127.0.0.1:{free_port()}").login("wang", PASSWORD, "x")
    assert "证书" not in offline.value.message_zh


def test_a_missing_ca_file_is_a_clear_message_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: a missing ``sync.ca_file`` gave a traceback."""
    data = tmp_path / "data"
    settings = Settings.in_dir(data)
    settings.set("sync.ca_file", str(tmp_path / "gone.pem"))
    settings.save()
    account = SyncAccount(data, settings)
    with pytest.raises(CaFileError) as missing:
        account.sign_in("https://sync.example.cn", "wang", PASSWORD)
    assert "CA 证书文件" in missing.value.message_zh and "gone.pem" in missing.value.message_zh
    (tmp_path / "junk.pem").write_text("not a certificate")
    with pytest.raises(CaFileError):
        ServerApi("https://sync.example.cn", verify=str(tmp_path / "junk.pem"))
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    base = ["--data-dir", str(data), "sync", "login", "https://sync.example.cn", "wang"]
    assert cli.main([*base, "--password-stdin"]) == 2
    err = capsys.readouterr().err
    assert "CA 证书文件" in err and "Traceback" not in err


@pytest.mark.parametrize(
    "url", ["http://sync.example.cn", "http://10.1.2.3:8765", "http://[2001:db8::1]:8765"]
)
def test_plain_http_to_another_computer_is_refused_unless_allowed(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 15: ``http://`` to a non-loopback host was accepted silently."""
    with pytest.raises(PlainHttpError) as refused:
        ServerApi(url)
    assert "http://" in refused.value.message_zh and "sync.allow_http" in refused.value.message_zh
    ServerApi(url, allow_http=True).close()  # an explicit setting allows it
    for loopback in ("http://127.0.0.1:8765", "http://localhost:8765", "http://[::1]:8765"):
        ServerApi(loopback).close()
    data = tmp_path / "data"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert (
        cli.main(["--data-dir", str(data), "sync", "login", url, "wang", "--password-stdin"]) == 2
    )
    err = capsys.readouterr().err
    assert "拒绝用未加密的 http://" in err and "Traceback" not in err


# ------------------------------------------------------------------ switching users in the app


def _window_of_wang(server: ServerProcess, folder: Path, keyring_backend: MemoryKeyring, qtbot):  # type: ignore[no-untyped-def]
    """The app's main window for 王 (signed in, synced once) with one unsynced customer in
    the grid the office gave him."""
    from keyacct_desktop.gui.main_window import MainWindow
    from keyacct_desktop.gui.security.controller import SecurityController
    from tests.security_helpers import set_up_keys

    folder.mkdir()
    park, grid = uuid.uuid4(), uuid.uuid4()
    office = api_sign_in(server, "admin", "office")
    users = {
        c["data"]["username"]: c["id"] for c in pull_changes(office)[0] if c["table"] == "user"
    }
    applied(
        office.push(
            [
                wire_op("park", park, {"name": f"园区{park.hex[:6]}"}),
                wire_op("grid", grid, {"name": f"王{grid.hex[:6]}", "manager_id": users["wang"]}),
            ]
        )
    )
    office.close()
    keys, key = set_up_keys(folder, keyring_backend)
    ctx = AppContext.open(folder, key=key)
    ctx.settings.set("sync.after_edit_seconds", 0)  # the test decides when to sync
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    security = SecurityController(ctx, window, keys)
    window.resize(1366, 768)
    window.show()
    controller = window.sync_controller
    controller.account.sign_in(server.url, "wang", PASSWORD, "shared laptop")
    with qtbot.waitSignal(controller.finished, timeout=30_000):
        controller.signed_in_changed()  # what the sync page does: a first sync
    name = f"王未同步的客户{uuid.uuid4().hex[:6]}"
    with ctx.store.begin() as session:
        session.add(Customer(account_no=name[-6:], name=name, park_id=park, grid_id=grid))
    return window, security, name


def grid_of(window):  # type: ignore[no-untyped-def]
    with window.ctx.store.read() as session:
        return session.scalars(select(Customer.grid_id)).first()


def _ask_to_switch(qtbot, window, password: str):  # type: ignore[no-untyped-def]
    """As 李 on the sync page: sign in; returns the switch dialog once it is shown."""
    page = window.pages["sync"]
    page.username.setText("li")
    page.password.setText(password)
    page.sign_in()
    qtbot.waitUntil(lambda: page.switch_dialog is not None and page.switch_dialog.isVisible())
    return page, page.switch_dialog


def test_the_app_switches_users_after_syncing_first_or_a_typed_wipe(
    server: ServerProcess,
    database,  # type: ignore[no-untyped-def]
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    qtbot,  # type: ignore[no-untyped-def]
    keyacct_qapp,  # type: ignore[no-untyped-def]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from keyacct_desktop.paths import store_path
    from keyacct_desktop.server.models import SyncRow

    QApplication.setQuitOnLastWindowClosed(False)
    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text: said.append(text))
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: said.append(text))

    def on_server(name: str) -> bool:
        with database.connect() as connection:
            return name in {r.data.get("name") for r in connection.execute(select(SyncRow))}

    # Online, 同步后切换: a wrong password first switches nothing; then 王's customer reaches
    # the server, his data goes and 李 is signed in.
    window, security, name = _window_of_wang(server, tmp_path / "a", memory_keyring, qtbot)
    page, dialog = _ask_to_switch(qtbot, window, "wrong password")
    with qtbot.waitSignal(page.signed_in, timeout=30_000) as refused:
        dialog.sync_first_button.click()
    assert refused.args == [False] and store_path(tmp_path / "a").exists()
    assert page.controller.account.username == "wang" and "密码" in said[-1]
    window.sync_controller.periodic.stop()  # restarted after the refusal: not in this test
    qtbot.waitUntil(lambda: not window.sync_controller.running, timeout=30_000)
    with window.ctx.store.begin() as session:
        session.add(Customer(account_no=name[-5:] + "x", name=name + "乙", grid_id=grid_of(window)))
    page, dialog = _ask_to_switch(qtbot, window, PASSWORD)
    assert dialog.windowTitle() == "切换用户"
    assert "wang" in dialog.findChild(type(dialog.losses), "heading").text()
    assert "1 项修改尚未上传到服务器" in dialog.losses.text()
    assert dialog.sync_first_button.text() == "同步后切换" and dialog.sync_first_button.isEnabled()
    assert dialog.wipe_button.text() == "清除并切换" and not dialog.wipe_button.isEnabled()
    dialog.confirmation.setText("清除")
    assert dialog.wipe_button.isEnabled()
    Path("/tmp/keyacct-security-screens").mkdir(exist_ok=True)
    dialog.grab().save("/tmp/keyacct-security-screens/switch-user.png")
    with qtbot.waitSignal(security.signed_out, timeout=30_000):
        dialog.sync_first_button.click()
    assert on_server(name + "乙")
    assert not store_path(tmp_path / "a").exists() and not window.isVisible()
    account = page.controller.account
    assert account.username == "li" and account.token() and account.data_owner() == ""
    assert "wang" in said[-1] and "li" in said[-1]

    # 清除并切换 with a typed confirmation: the unsynced customer is lost, as the dialog said.
    window, security, name = _window_of_wang(server, tmp_path / "b", memory_keyring, qtbot)
    page, dialog = _ask_to_switch(qtbot, window, PASSWORD)
    dialog.confirmation.setText("清除")
    with qtbot.waitSignal(security.signed_out, timeout=30_000):
        dialog.wipe_button.click()
    assert not on_server(name) and not store_path(tmp_path / "b").exists()
    assert page.controller.account.username == "li"
    keyacct_qapp.removeEventFilter(security.idle_lock)
    QApplication.setQuitOnLastWindowClosed(True)
