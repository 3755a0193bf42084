"""The sync transport's checks and error classification, in one place for the GUI and the CLI.

Before a request: the server address must be HTTPS, or plain HTTP to this computer only
(``sync.allow_http`` lets an administrator allow plain HTTP on a trusted network); the CA
file named in ``sync.ca_file`` must exist and hold certificates. After a failed request the
error says *why* in words a manager can act on — a certificate the laptop does not trust is
not "cannot reach the server" (retrying will not help, and it may be an attack).
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from keyacct_desktop.domain.errors import UserError


class SyncError(UserError):
    """Sync could not finish; the message says why and what to do."""


class OfflineError(SyncError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"无法连接同步服务器,稍后自动重试({detail})",
            f"cannot reach the sync server; will retry ({detail})",
        )


class _Unreachable(OfflineError):
    """Cannot reach the server, for a reason said in words (never an exception's name)."""

    def __init__(self, zh: str, en: str) -> None:
        SyncError.__init__(self, f"无法连接同步服务器:{zh}", f"cannot reach the sync server: {en}")


class ServerTimeoutError(_Unreachable):
    """The server did not answer in time (a dead backend, a very slow link)."""

    def __init__(self) -> None:
        super().__init__(
            "等待服务器应答超时。请检查网络连接,或稍后再试。",
            "it did not answer in time. Check the network, or try again later.",
        )


class UnknownServerError(_Unreachable):
    """The server's name does not resolve: usually a mistyped address (or no network)."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"找不到服务器“{host}”。请检查服务器地址是否写对,以及本机是否已连上网络。",
            f"no server is known as {host!r}. Check the server address and the network.",
        )


class RefusedError(_Unreachable):
    """Nothing listens at the address (server down, wrong port, a firewall)."""

    def __init__(self, host: str) -> None:
        super().__init__(
            f"{host} 拒绝连接:同步服务未运行、端口不对,或被防火墙阻断。",
            f"{host} refused the connection: the service is down, the port is wrong or a "
            "firewall blocks it.",
        )


class ConnectionLostError(_Unreachable):
    """The connection broke off mid-way."""

    def __init__(self) -> None:
        super().__init__(
            "连接中途断开。请检查网络后重试。",
            "the connection broke off. Check the network and try again.",
        )


class CertificateError(SyncError):
    """The server's TLS certificate is not trusted: no retry fixes that."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "服务器证书无法验证,已停止连接:证书可能已过期、不属于这个地址,或由本机不信任的机构签发。"
            "请联系管理员核对服务器地址和证书(设置 sync.ca_file);"
            f"在公共网络上这也可能是有人冒充服务器。({detail})",
            "the server's certificate cannot be verified, so the connection was stopped: it may "
            "have expired, belong to another address or be signed by an authority this computer "
            "does not trust. Ask the administrator to check the server address and the CA file "
            f"(sync.ca_file); on a public network someone may be impersonating the server. ({detail})",
        )


class CaFileError(SyncError):
    """``sync.ca_file`` names a file that is missing or holds no certificate."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(
            f"设置的 CA 证书文件无法使用:{path}({problem})。"
            "请改正设置 sync.ca_file(数据文件夹中的 settings.json),或清空它以使用系统证书。",
            f"the CA certificate file cannot be used: {path} ({problem}). Correct sync.ca_file "
            "in the settings, or empty it to use the system's certificates.",
            field="ca_file",
        )


class PlainHttpError(SyncError):
    """Plain ``http://`` to another computer: passwords and customer data would travel
    readable by anyone on the network."""

    def __init__(self, url: str) -> None:
        super().__init__(
            f"拒绝用未加密的 http:// 连接其他计算机:{url}。密码和客户数据会以明文在网络上传输。"
            "请改用 https://;仅在可信内网测试时,管理员可在设置中打开 sync.allow_http。",
            f"refusing unencrypted http:// to another computer: {url}. Passwords and customer "
            "data would cross the network in clear text. Use https://; for a test on a trusted "
            "network an administrator can turn on sync.allow_http.",
            field="server_url",
        )


def is_loopback(host: str) -> bool:
    """Whether ``host`` is this computer (``localhost``, 127.0.0.0/8, ``::1``)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_server_url(url: str, *, allow_http: bool = False) -> None:
    """Refuse plain HTTP to anything but this computer, unless explicitly allowed."""
    parts = urlsplit(url)
    if parts.scheme == "http" and not allow_http and not is_loopback(parts.hostname or ""):
        raise PlainHttpError(url)


def tls_context(ca_file: str) -> ssl.SSLContext:
    """A verifying TLS context that trusts ``ca_file`` (a company CA or a self-signed server)."""
    path = Path(ca_file).expanduser()
    if not path.is_file():
        raise CaFileError(ca_file, "文件不存在 / file not found")
    try:
        return ssl.create_default_context(cafile=str(path))
    except (ssl.SSLError, OSError, ValueError) as error:
        raise CaFileError(
            ca_file, f"不是 PEM 格式的证书 / not a PEM certificate: {error}"
        ) from None


def _certificate_problem(error: BaseException) -> ssl.SSLCertVerificationError | None:
    """The certificate failure somewhere in ``error``'s causes, if that is what it is."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLCertVerificationError):
            return current
        for argument in getattr(current, "args", ()):
            if isinstance(argument, ssl.SSLCertVerificationError):
                return argument
        current = current.__cause__ or current.__context__
    return None


#: What a 401/429 answer's ``code`` means for the manager (``server.accounts``).
_REFUSALS = {
    "wrong_credentials": ("用户名或密码错误", "wrong user name or password"),
    "login_locked": (
        "登录尝试次数过多,该账号或本机地址已暂时锁定:请 15 分钟后再试,或请管理员解锁",
        "too many sign-in attempts: this account or address is locked for a while; try again "
        "in 15 minutes or ask the administrator to unlock it",
    ),
    "account_disabled": (
        "此账号已被管理员停用,请联系管理员",
        "this account was disabled by the administrator",
    ),
    "web_only": (
        "此账号(后台团队或业务专员)只能在浏览器中登录协同台(服务器地址/console/),不能在笔记本上登录",
        "this account (back-office team or specialist) works in the web console (/console/), "
        "not on a laptop",
    ),
    "token_expired": (
        "本设备的登录已过期(超过 30 天未同步),请重新登录",
        "this device's sign-in expired (no sync for 30 days): sign in again",
    ),
}


def refusal_error(response: httpx.Response, *, signing_in: bool = False) -> SyncError:
    """The :class:`SyncError` of a 401 or 429 answer, by the ``code`` the server gave.

    ``signing_in``: a refused sign-in without a code means wrong credentials (a wrong
    password and an unknown user alike), not a device signed out or revoked.
    """
    try:
        code = response.json().get("code")
    except (ValueError, AttributeError):
        code = None
    fallback = (
        _REFUSALS["wrong_credentials"]
        if signing_in
        else (
            "登录已失效或本设备已被停用,请重新登录",
            "signed out or this device was revoked: sign in again",
        )
    )
    zh, en = _REFUSALS.get(str(code), fallback)
    return SyncError(zh, en)


def classify(error: httpx.HTTPError) -> SyncError:
    """The :class:`SyncError` a failed request means (certificate, or cannot reach)."""
    problem = _certificate_problem(error)
    if problem is not None:
        return CertificateError(problem.verify_message or str(problem))
    if "CERTIFICATE_VERIFY_FAILED" in str(error):
        return CertificateError(str(error))
    if isinstance(error, httpx.TimeoutException):
        return ServerTimeoutError()
    host = _host(error)
    if _caused_by(error, socket.gaierror):
        return UnknownServerError(host)
    if _caused_by(error, ConnectionRefusedError):
        return RefusedError(host)
    if isinstance(error, httpx.RemoteProtocolError | httpx.ReadError | httpx.WriteError):
        return ConnectionLostError()
    if isinstance(error, httpx.ConnectError):
        return RefusedError(host)
    return _Unreachable("网络错误,请检查网络后重试。", "a network error; check the network.")


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is ``error`` or among its causes (httpx wraps the socket's error)."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, kind) or any(isinstance(a, kind) for a in current.args):
            return True
        current = current.__cause__ or current.__context__
    return False


def _host(error: httpx.HTTPError) -> str:
    try:
        return error.request.url.host or "?"
    except RuntimeError:  # an error raised before the request was made
        return "?"
