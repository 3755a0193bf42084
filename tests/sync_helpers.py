"""A real ``keyacct-server`` process on loopback, and devices (local stores) that sync with it."""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest.mock
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from keyacct_desktop.protocol.codec import row_to_data
from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.models import SYNCED_MODELS
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import sync_once
from keyacct_desktop.sync.state import SyncReport

PASSWORD = "correct horse battery"


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for ``localhost`` and its key, as PEM files (for TLS tests)."""
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "server.pem", folder / "server.key"
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


def _new_log_file() -> Path:
    handle, name = tempfile.mkstemp(prefix="keyacct-server-", suffix=".log")
    os.close(handle)
    return Path(name)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class ServerProcess:
    """``keyacct-server serve`` in a subprocess; can be killed with SIGKILL and restarted."""

    database: str
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    #: ``(certfile, keyfile)`` to serve HTTPS; the certificate is also what clients trust.
    tls: tuple[Path, Path] | None = None
    log_path: Path = field(
        default_factory=lambda: _new_log_file(),
        repr=False,
    )
    _log: Any = field(default=None, repr=False)
    #: More ``serve`` options (``--log-format json``, ``--workers 2`` …).
    serve_args: tuple[str, ...] = ()

    @property
    def url(self) -> str:
        scheme = "https" if self.tls else "http"
        host = "localhost" if self.tls else "127.0.0.1"
        return f"{scheme}://{host}:{self.port}"

    def cli(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """``keyacct-server ARGS`` against this server's database, its ``main`` run in this
        process (a ``keyacct-server`` process spends seconds importing; the command line
        itself is tested in test_accounts and test_cli). A non-zero exit raises."""
        from keyacct_desktop.server.cli import main

        argv = ["--database", self.database, *args]
        out, err = io.StringIO(), io.StringIO()
        with (
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
            unittest.mock.patch.object(sys, "stdin", io.StringIO(stdin or "")),
        ):
            code = main(argv)
        if code != 0:
            raise subprocess.CalledProcessError(code, argv, out.getvalue(), err.getvalue())
        return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())

    def create_user(self, username: str, role: str) -> str:
        """``keyacct-server create-user`` without its process (the same account code, run
        here: a ``keyacct-server`` process spends seconds importing before it starts)."""
        from keyacct_desktop.server import accounts
        from keyacct_desktop.server.db import migrate_server, server_engine, session_factory

        engine = server_engine(self.database)
        try:
            migrate_server(engine)
            with session_factory(engine).begin() as session:
                account = accounts.create_account(session, username, PASSWORD, role, None, None)
                return str(account.user_id)
        finally:
            engine.dispose()

    def start(self, patience: float = 90) -> None:
        """Start and wait (up to ``patience`` seconds) until ``/health`` answers."""
        self._log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "keyacct_desktop.server.cli",
                "--database",
                self.database,
                "serve",
                "--port",
                str(self.port),
                *(
                    ["--certfile", str(self.tls[0]), "--keyfile", str(self.tls[1])]
                    if self.tls
                    else []
                ),
                *self.serve_args,
            ],
            stdout=subprocess.DEVNULL,
            stderr=self._log,  # a file, never a pipe: an unread pipe fills and blocks the server
        )
        deadline = time.monotonic() + patience  # a loaded 2-core machine is slow
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text("utf-8", "replace") or "server died")
            try:
                verify = ssl.create_default_context(cafile=self.tls[0]) if self.tls else True
                if httpx.get(f"{self.url}/health", timeout=1, verify=verify).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def kill(self) -> None:
        """SIGKILL: no clean shutdown, as when the machine loses power."""
        if self.process is not None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(10)
            self._close_pipes()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self._close_pipes()

    def _close_pipes(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None
        self.process = None


@dataclass
class Device:
    """One laptop: its own local store, signed in to the server as ``username``."""

    name: str
    store: Store
    api: ServerApi
    user_id: uuid.UUID
    on_push: Callable[[list[dict[str, Any]], list[dict[str, Any]]], None] | None = None

    @classmethod
    def sign_in(cls, server: ServerProcess, folder: Path, name: str, username: str) -> Device:
        store = open_store(folder / f"{name}.sqlite3")
        api = ServerApi(server.url)
        answer = api.login(username, PASSWORD, name)
        device = cls(name, store, api, uuid.UUID(answer["user_id"]))
        original = api.push

        def recording_push(ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
            results = original(ops)
            if device.on_push is not None:
                device.on_push(ops, results)
            return results

        api.push = recording_push  # type: ignore[method-assign]
        return device

    def sync(self) -> SyncReport:
        return sync_once(self.store, self.api)

    def snapshot(self, customer_ids: set[uuid.UUID] | None = None) -> dict[str, dict[str, Any]]:
        """Every synced record as wire data, keyed by table:id (or only the records of some
        customers: a manager's device holds only some rows of no customer, server/reach.py)."""
        result: dict[str, dict[str, Any]] = {}
        with self.store.read() as session:
            for model in SYNCED_MODELS:
                for obj in session.scalars(select(model)):
                    data = row_to_data(obj)
                    owner = data.get("customer_id") or (
                        data["id"] if model.__tablename__ == "customer" else None
                    )
                    if customer_ids is not None and (
                        owner is None or uuid.UUID(owner) not in customer_ids
                    ):
                        continue
                    result[f"{model.__tablename__}:{data['id']}"] = data
        return result

    def close(self) -> None:
        self.api.close()
        self.store.close()


# ------------------------------------------------------------------ raw protocol, as an attacker


def wire_op(
    table: str,
    row_id: uuid.UUID | str,
    fields: dict[str, Any] | None = None,
    *,
    kind: str = "upsert",
    base_version: int = 0,
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One push operation as it travels (what a modified client could send)."""
    return {
        "op_id": str(uuid.uuid4()),
        "table": table,
        "id": str(row_id),
        "op": kind,
        "base_version": base_version,
        "fields": fields or {},
        "base": base or {},
    }


def api_sign_in(server: ServerProcess, username: str, device_name: str) -> ServerApi:
    """A signed-in API client without a local store."""
    api = ServerApi(server.url)
    api.login(username, PASSWORD, device_name)
    return api


def pull_changes(api: ServerApi, cursor: int = 0) -> tuple[list[dict[str, Any]], int]:
    """Every change after ``cursor`` the account sees, and the cursor after them."""
    changes: list[dict[str, Any]] = []
    while True:
        page = api.pull(cursor, 1000)
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["more"]:
            return changes, cursor


def applied(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``results``, asserting every operation was applied."""
    assert [r["status"] for r in results] == ["applied"] * len(results), results
    return results


NOW = "2026-12-01T09:30:00"
LI_DOCUMENT = b"%PDF-1.4 li's customer contract " * 40


def serve_office_and_two_managers(database: str) -> Iterator[ServerProcess]:
    """A started server whose accounts are 主管 ``super`` and the managers ``wang`` and ``li``
    (the accounts :func:`two_grid_world` signs in with); stopped when the generator ends."""
    process = ServerProcess(database)
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.create_user("li", "manager")
    process.start()
    yield process
    process.stop()


def two_grid_world_of(server: ServerProcess) -> Iterator[dict[str, Any]]:
    """:func:`two_grid_world` for a module fixture: its clients closed when it ends."""
    found = two_grid_world(server)
    yield found
    for name in ("office", "wang", "li"):
        found[name].close()


def two_grid_world(server: ServerProcess) -> dict[str, Any]:
    """Signed-in API clients of 主管 (``office``), 王 and 李 (users ``super``, ``wang``, ``li``
    must exist): a park, a grid each, customer ``a`` in 王's grid with a contact, customer
    ``b`` in 李's grid with a visit, an uploaded signed document, a referral and a draft
    checklist. Returns the clients and every id by name."""
    office = api_sign_in(server, "super", "office")
    wang = api_sign_in(server, "wang", "wang-laptop")
    li = api_sign_in(server, "li", "li-laptop")
    users = {
        c["data"]["username"]: c["id"] for c in pull_changes(office)[0] if c["table"] == "user"
    }
    ids = {name: str(uuid.uuid4()) for name in ("park", "grid_wang", "grid_li", "a", "b")}
    suffix = uuid.uuid4().hex[:6]
    applied(
        office.push(
            [
                wire_op("park", ids["park"], {"name": f"高新区-{suffix}"}),
                wire_op(
                    "grid", ids["grid_wang"], {"name": f"王-{suffix}", "manager_id": users["wang"]}
                ),
                wire_op(
                    "grid", ids["grid_li"], {"name": f"李-{suffix}", "manager_id": users["li"]}
                ),
                wire_op(
                    "customer",
                    ids["a"],
                    {"account_no": f"A{suffix}", "name": "华东精密", "grid_id": ids["grid_wang"]},
                ),
                wire_op(
                    "customer",
                    ids["b"],
                    {"account_no": f"B{suffix}", "name": "江南化工", "grid_id": ids["grid_li"]},
                ),
            ]
        )
    )
    more = {name: str(uuid.uuid4()) for name in ("visit", "document", "referral", "checklist")}
    sha = hashlib.sha256(LI_DOCUMENT).hexdigest()
    applied(
        li.push(
            [
                wire_op("visit", more["visit"], {"customer_id": ids["b"], "started_at": NOW}),
                wire_op(
                    "attachment",
                    more["document"],
                    {
                        "owner_table": "visit",
                        "owner_id": more["visit"],
                        "customer_id": ids["b"],
                        "kind": "document",
                        "filename": "合同.pdf",
                        "mime": "application/pdf",
                        "size": len(LI_DOCUMENT),
                        "sha256": sha,
                    },
                ),
                wire_op(
                    "referral",
                    more["referral"],
                    {"customer_id": ids["b"], "description": "增容申请", "team": "营销部"},
                ),
                wire_op(
                    "checklist",
                    more["checklist"],
                    {"customer_id": ids["b"], "business_type": "new_install"},
                ),
            ]
        )
    )
    assert li.upload_chunk(sha, len(LI_DOCUMENT), 0, LI_DOCUMENT) == len(LI_DOCUMENT)
    contact = str(uuid.uuid4())
    applied(wang.push([wire_op("contact", contact, {"customer_id": ids["a"], "name": "张敏"})]))
    return {
        "office": office,
        "wang": wang,
        "li": li,
        "users": users,
        "sha": sha,
        "contact": contact,
        "suffix": suffix,
        **ids,
        **more,
    }
