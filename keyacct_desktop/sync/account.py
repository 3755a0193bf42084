"""The device's sync account: server URL and user name in settings, the token in the keyring.

The password is sent once, to obtain a per-device token, and never stored anywhere. The token
lives in the OS keyring under an entry per data directory, so a demo folder or a test never
picks up the real one. An administrator who revokes the device makes the token useless: the
next sync answers 401 and the app asks the manager to sign in again.
"""

from __future__ import annotations

import contextlib
import hashlib
import platform
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import keyring
import keyring.backend
from keyring.errors import KeyringError, PasswordDeleteError

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.progress import TaskState
from keyacct_desktop.settings import Settings
from keyacct_desktop.sync.client import ServerApi

KEYRING_SERVICE = "KeyAcct Desktop sync"


class NotSignedInError(UserError):
    def __init__(self) -> None:
        super().__init__(
            "尚未登录同步服务器:请在“同步”页填写服务器地址并登录",
            "not signed in to the sync server: enter the server address and sign in on the Sync page",
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
    def keyring_account(self) -> str:
        digest = hashlib.sha256(str(store_path(self.data_dir)).encode("utf-8")).hexdigest()
        return f"sync-token:{digest[:24]}"

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
        return ServerApi(self.server_url, token, verify=self.ca_file or True, timeout=timeout)

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
        api = ServerApi(url, verify=self.ca_file or True)
        try:
            answer = api.login(username.strip(), password, device_name or default_device_name())
        finally:
            api.close()
        if state is not None:
            state.check()
        try:
            self._keyring().set_password(KEYRING_SERVICE, self.keyring_account, answer["token"])
        except KeyringError as error:
            raise UserError(
                "本机没有可用的系统钥匙串,无法保存登录凭据",
                "this computer has no usable keyring to keep the sign-in token",
            ) from error
        self.settings.set("sync.server_url", url)
        self.settings.set("sync.username", username.strip())
        self.settings.save()
        return answer

    def forget(self) -> None:
        """Remove the token (sign-out, device wipe); the server URL stays for the next sign-in."""
        with contextlib.suppress(PasswordDeleteError, KeyringError):
            self._keyring().delete_password(KEYRING_SERVICE, self.keyring_account)


def default_device_name() -> str:
    return f"{platform.node() or 'laptop'} ({platform.system()})"
