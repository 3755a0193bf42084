"""The security suite: each attack of issue 15 against a real ``keyacct-server`` process on
loopback, on SQLite and on PostgreSQL, asserting the refusal and that nothing was written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import Engine

from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.server.models import AuditEntry, Device, SyncRow
from tests.sync_helpers import PASSWORD, ServerProcess

#: Both server databases; PostgreSQL tests carry the ``postgres`` marker.
DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    """A server with an administrator and two managers (module-wide: starting one costs)."""
    process = ServerProcess(server_database)
    for name, role in (("admin", "admin"), ("wang", "manager"), ("li", "manager")):
        process.create_user(name, role)
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def database(server: ServerProcess) -> Iterator[Engine]:
    """The server's own database, to look at what was (not) written."""
    url = server.database
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def http(server: ServerProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=60) as client:
        yield client


def login(
    http: httpx.Client, username: str, password: str = PASSWORD, device: str = "laptop"
) -> httpx.Response:
    return http.post(
        "/api/v1/login",
        json={
            "protocol": PROTOCOL_VERSION,
            "username": username,
            "password": password,
            "device_name": device,
        },
    )


def token_of(http: httpx.Client, username: str, device: str = "laptop") -> str:
    answer = login(http, username, device=device)
    assert answer.status_code == 200, answer.text
    return str(answer.json()["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def footprint(engine: Engine) -> dict[str, Any]:
    """What a refused request must leave unchanged: rows, versions, audit entries, devices."""
    with engine.connect() as connection:
        return {
            "rows": connection.scalar(select(func.count()).select_from(SyncRow)),
            "last_version": connection.scalar(select(func.max(SyncRow.version))),
            "audit": connection.scalar(select(func.count()).select_from(AuditEntry)),
            "devices": connection.scalar(select(func.count()).select_from(Device)),
            "blobs": connection.scalar(text("SELECT count(*) FROM blob")),
        }


def audit_actions(engine: Engine, since: int = 0) -> list[tuple[str, dict[str, Any] | None]]:
    """Audit entries after id ``since``: (action, detail)."""
    with engine.connect() as connection:
        return [
            (action, detail)
            for action, detail in connection.execute(
                select(AuditEntry.action, AuditEntry.detail)
                .where(AuditEntry.id > since)
                .order_by(AuditEntry.id)
            )
        ]


def last_audit_id(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.scalar(select(func.max(AuditEntry.id))) or 0)


def admin(server: ServerProcess, *args: str, stdin: str | None = None) -> str:
    """``keyacct-server ARGS`` against the server's database; its standard output."""
    return server.cli(*args, stdin=stdin).stdout
