"""The server's HTTP API as the client calls it (``ServerApi``), with errors turned into
messages a manager understands."""

from __future__ import annotations

import logging
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from keyacct_desktop.progress import Cancelled
from keyacct_desktop.protocol import jsontext
from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.sync.interrupt import AbortableBackend, abortable_transport
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)
from keyacct_desktop.sync.transport import (
    SyncError,
    check_server_url,
    classify,
    refusal_error,
    tls_context,
)

if TYPE_CHECKING:
    pass


log = logging.getLogger(__name__)


#: Changes per pull page: the server's limit (``server.app.MAX_PAGE``); fewer round trips.
PULL_PAGE = 5000


class BlobNotNamed(SyncError):
    """The server takes an attachment's content only once an attachment record the account
    sees names it (e.g. not while the record waits, refused, on this laptop)."""


class ServerApi:
    """The HTTP calls, with errors turned into messages a manager understands.

    The address and TLS set-up are checked first (``sync.transport``). ``on_token`` hears
    each new token (sign-in, rotation) so the caller keeps it; with ``rotate_due`` the
    token is exchanged for a fresh one before the first request (``server.accounts``).
    """

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        *,
        verify: bool | str | ssl.SSLContext = True,
        transport: httpx.BaseTransport | None = None,
        timeout: float = 30.0,
        allow_http: bool = False,
        on_token: Callable[[dict[str, Any]], None] | None = None,
        rotate_due: bool = False,
        user_id: str | None = None,
    ) -> None:
        check_server_url(base_url, allow_http=allow_http)
        if isinstance(verify, str):  # a CA file to trust (a company CA or a self-signed server)
            verify = tls_context(verify)
        self._backend: AbortableBackend | None = None
        if transport is None:  # connections that abort() can stop (sync.interrupt)
            transport, self._backend = abortable_transport(verify)
        self.client = httpx.Client(
            base_url=base_url.rstrip("/"), timeout=timeout, verify=verify, transport=transport
        )
        self.aborted = False
        self.token = token
        self.on_token = on_token
        self.rotate_due = rotate_due and token is not None
        #: The server user this client acts for (from the sign-in): see :func:`check_owner`.
        self.user_id = user_id or None

    def close(self) -> None:
        self.client.close()

    def abort(self) -> None:
        """Stop the request in flight and refuse later ones with :class:`Cancelled`; safe to
        call from another thread (the Sync page's Cancel, the app closing)."""
        self.aborted = True
        if self._backend is not None:
            self._backend.abort()

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        response = self._send(method, path, json=body)
        self._check(response)
        answer: dict[str, Any] = jsontext.loads(response.content)  # a pull page: 2 MB
        return answer

    def _send(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        if self.rotate_due:
            self.rotate_due = False
            self.rotate_token()
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        headers.update(kwargs.pop("headers", {}))
        if self.aborted:
            raise Cancelled()
        try:
            return self.client.request(method, path, headers=headers, **kwargs)
        except httpx.HTTPError as error:
            if self.aborted:
                raise Cancelled() from error
            raise classify(error) from error

    def rotate_token(self) -> None:
        """Exchange this device's token for a fresh one; ``on_token`` keeps it."""
        answer = self._call("POST", "/api/v1/token", {"protocol": PROTOCOL_VERSION})
        self.token = answer["token"]
        if self.on_token is not None:
            self.on_token(answer)

    @staticmethod
    def _check(response: httpx.Response) -> None:
        if response.status_code in (401, 429):
            raise refusal_error(response)
        if response.status_code == 426:
            raise SyncError(
                "服务器的同步协议版本不同,请更新 KeyAcct",
                "the server speaks another sync protocol: update KeyAcct",
            )
        if response.status_code >= 400:
            # The body may echo what was sent (customer data): it goes to the log, and the
            # message names only the status and the server's machine-readable code.
            log.warning("server refused %s: %s", response.status_code, response.text[:500])
            try:
                body = response.json()
            except ValueError:
                body = None
            code = body.get("code") if isinstance(body, dict) else None
            what = (
                f"{response.status_code}, {code}"
                if isinstance(code, str)
                else str(response.status_code)
            )
            raise SyncError(
                f"服务器拒绝了请求({what}),本机的修改都还保留;请稍后重试,如一再出现请联系管理员",
                f"the server refused the request ({what}); nothing on this computer was lost. "
                "Try again later; if it keeps happening, tell the administrator",
            )

    def login(self, username: str, password: str, device_name: str) -> dict[str, Any]:
        """Exchange a password for a device token.

        A refused sign-in says "wrong user name or password" whichever was wrong: the server
        does not tell them apart, and neither does the message.
        """
        response = self._send(
            "POST",
            "/api/v1/login",
            json={
                "protocol": PROTOCOL_VERSION,
                "username": username,
                "password": password,
                "device_name": device_name,
            },
        )
        if response.status_code in (401, 429):  # wrong credentials, locked, disabled…
            raise refusal_error(response, signing_in=True)
        self._check(response)
        answer = response.json()
        self.token = answer["token"]
        self.user_id = str(answer["user_id"])
        if self.on_token is not None:
            self.on_token(answer)
        return answer

    def push(self, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return self._call("POST", "/api/v1/push", {"protocol": PROTOCOL_VERSION, "ops": ops})[
            "results"
        ]

    def pull(
        self, cursor: int, limit: int = PULL_PAGE, customer_ids: list[str] | None = None
    ) -> dict[str, Any]:
        body: dict[str, Any] = {"protocol": PROTOCOL_VERSION, "cursor": cursor, "limit": limit}
        if customer_ids is not None:
            body["customer_ids"] = customer_ids
        return self._call("POST", "/api/v1/pull", body)

    def access(self) -> dict[str, Any]:
        return self._call("GET", "/api/v1/access")

    def blob_state(self, sha256: str) -> dict[str, Any]:
        return self._call("GET", f"/api/v1/blobs/{sha256}/state")

    def upload_chunk(self, sha256: str, size: int, offset: int, data: bytes) -> int:
        """Send one chunk; returns how many bytes the server now has (its offset on 409)."""
        response = self._send(
            "PUT",
            f"/api/v1/blobs/{sha256}",
            params={"size": size, "offset": offset},
            content=data,
            headers={"Content-Type": "application/octet-stream"},
        )
        if response.status_code == 409 and response.json().get("received") is not None:
            return int(response.json()["received"])  # out of step: resume where the server is
        if response.status_code == 404:  # no record of this account names it (yet): refused
            raise BlobNotNamed(
                "服务器上没有可见的附件记录引用该附件,稍后再上传",
                "no attachment record this account sees names the content; upload it later",
            )
        self._check(response)
        return int(response.json()["received"])

    def download(self, sha256: str, offset: int = 0, length: int | None = None) -> bytes | None:
        """Up to ``length`` bytes of the blob from ``offset``; ``None`` while not uploaded yet."""
        params = {"offset": offset} if length is None else {"offset": offset, "length": length}
        response = self._send("GET", f"/api/v1/blobs/{sha256}", params=params)
        if response.status_code == 404:
            return None
        self._check(response)
        return response.content
