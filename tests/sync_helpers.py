"""A real ``keyacct-server`` process on loopback, and devices (local stores) that sync with it."""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select

from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.models import SYNCED_MODELS
from keyacct_desktop.sync.client import ServerApi, SyncReport, sync_once
from keyacct_desktop.sync.codec import row_to_data

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
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "keyacct_desktop.server.cli",
                "--database",
                self.database,
                *args,
            ],
            input=stdin,
            capture_output=True,
            text=True,
            check=True,
        )

    def create_user(self, username: str, role: str) -> str:
        output = self.cli("create-user", username, "--role", role, stdin=PASSWORD + "\n").stdout
        return output.split("user id ")[1].strip(" )\n")

    def start(self) -> None:
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
        deadline = time.monotonic() + 30
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
        """Every synced record as wire data, keyed by table:id (optionally for some customers)."""
        result: dict[str, dict[str, Any]] = {}
        with self.store.read() as session:
            for model in SYNCED_MODELS:
                for obj in session.scalars(select(model)):
                    data = row_to_data(obj)
                    owner = data.get("customer_id") or (
                        data["id"] if model.__tablename__ == "customer" else None
                    )
                    if (
                        customer_ids is not None
                        and owner is not None
                        and uuid.UUID(owner) not in customer_ids
                    ):
                        continue
                    result[f"{model.__tablename__}:{data['id']}"] = data
        return result

    def close(self) -> None:
        self.api.close()
        self.store.close()
