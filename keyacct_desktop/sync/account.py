"""The device's sync account: server URL and user name in settings, the token in the keyring.

The password is sent once, to obtain a per-device token, and never stored anywhere. The token
lives in the OS keyring under an entry per data directory, so a demo folder or a test never
picks up the real one. An administrator who revokes the device makes the token useless: the
next sync answers 401 and the app asks the manager to sign in again.

Tokens expire (``server.accounts``): once a token is older than the server's rotation age,
the next sync first exchanges it for a fresh one, kept in the same keyring entry. When that
is due is kept in a second keyring entry beside the token.
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.device import WipeReport, shred_device_data
from keyacct_desktop.security.keys import DeviceKeys
from keyacct_desktop.settings import Settings
from keyacct_desktop.sync.api import ServerApi

KEYRING_SERVICE = "KeyAcct Desktop sync"


class NotSignedInError(UserError):
    def __init__(self) -> None:
        super().__init__(
            "尚未登录同步服务器:请在“同步”页填写服务器地址并登录",
            "not signed in to the sync server: enter the server address and sign in on the Sync page",
        )


class OtherUsersDataError(UserError):
    """Signing in as another user while this folder holds a user's data."""

    def __init__(self, previous: str, username: str) -> None:
        self.previous = previous
        self.username = username
        super().__init__(
            f"此数据文件夹中是用户 {previous} 的数据,不能直接以 {username} 登录。"
            "请用原账号登录;要换用户,先在“安全”菜单中“退出登录并清除本机数据”"
            "(会先列出尚未同步的修改),再以新用户登录。",
            f"this data folder holds {previous}'s data, so {username} cannot simply sign in. "
            "Sign in as that user; to switch users, first use Security > Sign out and remove "
            "data from this computer (it lists unsynced changes first), then sign in.",
            field="username",
        )


def normalise_server_url(url: str) -> str:
    """``https://host:port`` without a trailing slash; refuses anything that is not http(s)."""
    cleaned = url.strip().rstrip("/")
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UserError(
            f"服务器地址无效:“{url}”。应以 https:// 或 http:// 开头,例如 https://sync.example.cn",
            f"invalid server address '{url}': it must start with https:// or http://",
            field="server_url",
        )
    return cleaned


@dataclass
class SyncAccount:
    """Who this device syncs as, and with which server.

    Attributes:
        data_dir: the data folder whose store syncs (one account per folder).
        settings: where the server URL and user name are kept (not secret).
        backend: the keyring backend; ``None`` means the OS keyring.
    """

    data_dir: Path
    settings: Settings
    backend: keyring.backend.KeyringBackend | None = None

    @property
    def server_url(self) -> str:
        return str(self.settings.get("sync.server_url") or "")

    @property
    def username(self) -> str:
        return str(self.settings.get("sync.username") or "")

    @property
    def ca_file(self) -> str:
        return str(self.settings.get("sync.ca_file") or "")

    @property
    def user_id(self) -> str:
        """The server user id of the account this folder's data belongs to ("" if none yet)."""
        return str(self.settings.get("sync.user_id") or "")

    @property
    def keyring_account(self) -> str:
        digest = hashlib.sha256(str(store_path(self.data_dir)).encode("utf-8")).hexdigest()
        return f"sync-token:{digest[:24]}"

    @property
    def _rotation_account(self) -> str:
        return self.keyring_account.replace("sync-token:", "sync-token-rotate:", 1)

    def rotation_due(self) -> bool:
        """Whether the token should be exchanged for a fresh one at the next request (also
        when the time is unknown: a token from before tokens rotated)."""
        try:
            when = self._keyring().get_password(KEYRING_SERVICE, self._rotation_account)
        except KeyringError:
            return True
        try:
            return when is None or datetime.now(UTC) >= datetime.fromisoformat(when)
        except ValueError:
            return True

    def keep_token(self, answer: dict[str, Any]) -> None:
        """Store a token from the server (sign-in or rotation) and when to replace it."""
        rotate_in = timedelta(seconds=int(answer.get("rotate_after_seconds") or 0))
        try:
            self._keyring().set_password(KEYRING_SERVICE, self.keyring_account, answer["token"])
            self._keyring().set_password(
                KEYRING_SERVICE,
                self._rotation_account,
                (datetime.now(UTC) + rotate_in).isoformat(timespec="seconds"),
            )
        except KeyringError as error:
            raise UserError(
                "本机没有可用的系统钥匙串,无法保存登录凭据",
                "this computer has no usable keyring to keep the sign-in token",
            ) from error

    def _keyring(self) -> keyring.backend.KeyringBackend:
        return self.backend or keyring.get_keyring()

    def token(self) -> str | None:
        try:
            return self._keyring().get_password(KEYRING_SERVICE, self.keyring_account)
        except KeyringError:
            return None

    @property
    def signed_in(self) -> bool:
        return bool(self.server_url and self.token())

    def api(self, *, timeout: float = 30.0) -> ServerApi:
        """A client for the configured server with this device's token."""
        token = self.token()
        if not self.server_url or not token:
            raise NotSignedInError()
        return ServerApi(
            self.server_url,
            token,
            verify=self.ca_file or True,
            timeout=timeout,
            allow_http=bool(self.settings.get("sync.allow_http")),
            on_token=self.keep_token,
            rotate_due=self.rotation_due(),
            user_id=self.user_id,
        )

    def sign_in(
        self,
        server_url: str,
        username: str,
        password: str,
        device_name: str | None = None,
        state: TaskState | None = None,
    ) -> dict[str, str]:
        """Exchange the password for a device token; keep URL and name in settings, token in keyring.

        ``state``: run on a worker, a sign-in cancelled while the server was answering stores
        nothing (raises :class:`~keyacct_desktop.progress.Cancelled`).
        """
        url = normalise_server_url(server_url)
        if not username.strip():
            raise UserError("请填写用户名", "enter the user name", field="username")
        if not password:
            raise UserError("请填写密码", "enter the password", field="password")
        previous = self.data_owner()
        if previous and previous != username.strip():
            raise OtherUsersDataError(previous, username.strip())
        answer = self.exchange(url, username, password, device_name)
        if state is not None:
            state.check()
        self.keep(url, username, answer)
        return answer

    def data_owner(self) -> str:
        """The user whose data this folder holds ("" when there is no store yet)."""
        path = store_path(self.data_dir)
        if not path.exists() or path.stat().st_size == 0:
            return ""
        return self.username

    def exchange(
        self, server_url: str, username: str, password: str, device_name: str | None = None
    ) -> dict[str, Any]:
        """Ask the server for a device token (nothing is kept yet: see :meth:`keep`)."""
        api = ServerApi(
            normalise_server_url(server_url),
            verify=self.ca_file or True,
            allow_http=bool(self.settings.get("sync.allow_http")),
        )
        try:
            return api.login(username.strip(), password, device_name or default_device_name())
        finally:
            api.close()

    def keep(self, server_url: str, username: str, answer: dict[str, Any]) -> None:
        """Keep a sign-in: the token in the keyring, address, name and user id in settings."""
        self.keep_token(answer)
        self.settings.set("sync.server_url", normalise_server_url(server_url))
        self.settings.set("sync.username", username.strip())
        self.settings.set("sync.user_id", str(answer.get("user_id") or ""))
        self.settings.save()

    def forget(self) -> None:
        """Remove the token (sign-out, device wipe); the server URL stays for the next sign-in."""
        for account in (self.keyring_account, self._rotation_account):
            with contextlib.suppress(PasswordDeleteError, KeyringError):
                self._keyring().delete_password(KEYRING_SERVICE, account)


def default_device_name() -> str:
    return f"{platform.node() or 'laptop'} ({platform.system()})"


def wipe_device(data_dir: Path, keys: DeviceKeys) -> WipeReport:
    """Remove every trace of customer data from this device: store, backups, attachments, key,
    and the sync sign-in (its token would let the next owner of the laptop sync as the manager).

    The store must be closed. Settings (server address, UI language) are kept: they hold
    no customer data and let the manager sign in again on the same laptop.
    """
    report = shred_device_data(data_dir, keys)
    SyncAccount(data_dir, Settings.in_dir(data_dir), keys._keyring).forget()
    return report
