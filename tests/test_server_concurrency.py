"""Many devices at once against a real server process (SQLite and PostgreSQL).

What the request plumbing must keep while it is made fast (docs/BENCHMARKS.md, hot spot 6):
concurrent pushes never fail with ``database is locked``, a device that pulls while others
push never skips a committed change (its cursor ends up with every row, and versions have no
gaps), stored JSON reaches devices unchanged, and a revoked token is refused at its very next
request even when the revocation comes from another process.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from tests.sync_helpers import PASSWORD, ServerProcess

pytestmark = pytest.mark.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)

WRITERS = 12
BATCHES = 5
PER_BATCH = 4


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("admin", "admin")
    process.create_user("office", "supervisor")
    process.start()
    yield process
    process.stop()


def _login(server: ServerProcess, username: str, name: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=server.url, timeout=30)
    answer = client.post(
        "/api/v1/login",
        json={
            "protocol": PROTOCOL_VERSION,
            "username": username,
            "password": PASSWORD,
            "device_name": name,
        },
    )
    answer.raise_for_status()
    client.headers["Authorization"] = f"Bearer {answer.json()['token']}"
    return client, answer.json()["device_id"]


def _pull(client: httpx.Client, cursor: int) -> httpx.Response:
    return client.post(
        "/api/v1/pull", json={"protocol": PROTOCOL_VERSION, "cursor": cursor, "limit": 50}
    )


def _pull_all(client: httpx.Client, cursor: int, into: dict[str, dict[str, Any]]) -> int:
    """Pull pages after ``cursor`` into ``into`` (keyed table:id); returns the new cursor."""
    while True:
        answer = _pull(client, cursor)
        assert answer.status_code == 200, answer.text
        page = answer.json()
        for change in page["changes"]:
            into[f"{change['table']}:{change['id']}"] = change
        cursor = page["cursor"]
        if not page["more"]:
            return cursor


def test_concurrent_pushes_never_lock_and_the_cursor_skips_nothing(
    server: ServerProcess,
) -> None:
    devices = [_login(server, "office", f"writer-{i}")[0] for i in range(WRITERS)]
    observer, _ = _login(server, "office", "observer")
    tricky = 'A "quoted" \\ back\\slash, a\nnew line, 名称 and \u2028 too'
    pushed: dict[str, dict[str, Any]] = {}
    lock = threading.Lock()
    done = threading.Event()

    def write(index: int) -> list[str]:
        problems = []
        for batch in range(BATCHES):
            ops = []
            for k in range(PER_BATCH):
                row_id = str(uuid.uuid4())
                fields = {
                    "account_no": f"C{index:02d}{batch}{k}-{row_id[:6]}",
                    "name": f"{tricky} {index}-{batch}-{k}",
                }
                ops.append(
                    {
                        "op_id": str(uuid.uuid4()),
                        "table": "customer",
                        "id": row_id,
                        "op": "upsert",
                        "base_version": 0,
                        "fields": fields,
                        "base": {},
                    }
                )
                with lock:
                    pushed[row_id] = fields
            answer = devices[index].post(
                "/api/v1/push", json={"protocol": PROTOCOL_VERSION, "ops": ops}
            )
            if answer.status_code != 200:
                problems.append(f"HTTP {answer.status_code}: {answer.text[:200]}")
                continue
            problems += [
                str(result) for result in answer.json()["results"] if result["status"] != "applied"
            ]
        return problems

    seen: dict[str, dict[str, Any]] = {}
    cursor = 0

    def observe() -> None:
        nonlocal cursor
        while not done.is_set():
            cursor = _pull_all(observer, cursor, seen)

    watcher = threading.Thread(target=observe)
    watcher.start()
    try:
        with ThreadPoolExecutor(WRITERS) as pool:
            problems = [p for result in pool.map(write, range(WRITERS)) for p in result]
    finally:
        done.set()
        watcher.join(60)
    cursor = _pull_all(observer, cursor, seen)

    assert problems == []
    # Every row a writer created reached the observer through its moving cursor...
    got = {
        key.split(":", 1)[1]: change for key, change in seen.items() if key.startswith("customer:")
    }
    assert set(pushed) <= set(got)
    for row_id, fields in pushed.items():
        assert got[row_id]["data"]["name"] == fields["name"]  # JSON spliced verbatim
        assert got[row_id]["data"]["account_no"] == fields["account_no"]
    # ... and equals what a fresh pull from 0 sees, with versions 1..N and no gap.
    fresh: dict[str, dict[str, Any]] = {}
    _pull_all(observer, 0, fresh)
    assert {k: v["version"] for k, v in fresh.items()} == {k: v["version"] for k, v in seen.items()}
    versions = sorted(change["version"] for change in fresh.values())
    assert versions == list(range(1, len(versions) + 1))
    log = server.log_path.read_text("utf-8", "replace")
    assert "database is locked" not in log
    assert "Traceback" not in log
    for client in [*devices, observer]:
        client.close()


def test_a_revoked_token_is_refused_at_its_next_request(server: ServerProcess) -> None:
    admin, _ = _login(server, "admin", "admin-laptop")
    laptop, laptop_id = _login(server, "office", "laptop")
    tablet, tablet_id = _login(server, "office", "tablet")
    try:
        for client in (laptop, tablet):  # signed in and used: anything cacheable is warm
            assert _pull(client, 0).status_code == 200
            assert _pull(client, 0).status_code == 200
        # Revoked by another process, straight in the database (keyacct-server revoke-device).
        server.cli("revoke-device", laptop_id)
        refused = _pull(laptop, 0)
        assert refused.status_code == 401
        assert "revoked" in refused.json()["detail"]
        assert _pull(tablet, 0).status_code == 200
        # Revoked through the API: the very next push is refused, nothing written.
        assert admin.post(f"/api/v1/admin/devices/{tablet_id}/revoke").status_code == 200
        op = {
            "op_id": str(uuid.uuid4()),
            "table": "customer",
            "id": str(uuid.uuid4()),
            "op": "upsert",
            "base_version": 0,
            "fields": {"account_no": "REVOKED-1", "name": "不应写入"},
            "base": {},
        }
        answer = tablet.post("/api/v1/push", json={"protocol": PROTOCOL_VERSION, "ops": [op]})
        assert answer.status_code == 401
        everything: dict[str, dict[str, Any]] = {}
        _pull_all(admin, 0, everything)
        assert f"customer:{op['id']}" not in everything
    finally:
        for client in (admin, laptop, tablet):
            client.close()
