"""What operations rely on: seeding, health and readiness, metrics, JSON logs, graceful shutdown.

All against a real ``keyacct-server`` process on loopback (SQLite, and PostgreSQL from
``pgserver`` where the behaviour differs).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, func, select, text

from keyacct_desktop.server import accounts
from keyacct_desktop.store.models import Customer, Grid, Park
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import OfflineError, SyncError
from keyacct_desktop.sync.state import pending_count
from tests.sync_helpers import PASSWORD, Device, ServerProcess


def _sqlite_url(folder: Path) -> str:
    return f"sqlite:///{folder / 'server.sqlite3'}"


def _seed(database: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "keyacct_desktop.server.cli", "--database", database, "demo", *args],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)
def test_seeded_server_serves_each_manager_their_grid(server_database: str, tmp_path: Path) -> None:
    """The seeding command fills an empty database; a manager's first sync gets exactly the
    customers of their grid, and the data applies on a device like any pushed data."""
    seeded = _seed(server_database, "--customers", "600", "--managers", "4", "--referrals", "500")
    assert seeded.returncode == 0, seeded.stderr
    assert "seeded 600 customers, 4 managers" in seeded.stdout
    assert "customers: 600/600" in seeded.stderr  # progress

    again = _seed(server_database, "--customers", "10", "--managers", "1")
    assert again.returncode == 2
    assert "empty database" in again.stderr

    engine = create_engine(server_database.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        manager1 = connection.execute(
            text("SELECT user_id FROM account WHERE username = 'manager1'")
        ).scalar_one()
        grid_ids = [
            row[0]
            for row in connection.execute(
                text("SELECT row_id FROM sync_row WHERE table_name = 'grid' AND manager_id = :m"),
                {"m": manager1},
            )
        ]
        in_grid = connection.execute(
            text(
                "SELECT count(*) FROM sync_row WHERE table_name = 'customer' "
                "AND grid_id = :g AND NOT deleted"
            ),
            {"g": grid_ids[0]},
        ).scalar_one()
        versions = connection.execute(
            text("SELECT count(*), count(DISTINCT version), max(version) FROM sync_row")
        ).one()
        counter = connection.execute(
            text("SELECT value FROM counter WHERE name = 'change'")
        ).scalar_one()
        referrals = connection.execute(
            text("SELECT count(*) FROM sync_row WHERE table_name = 'referral'")
        ).scalar_one()
    engine.dispose()
    assert referrals >= 500  # complaints and phoned-in demands top up the visits' referrals
    assert len(grid_ids) == 1 and in_grid > 0
    assert versions[0] == versions[1]  # every row its own version
    assert versions[2] == counter  # handed out from the counter, as pushes do

    server = ServerProcess(server_database)
    server.start()
    try:
        device = Device.sign_in(server, tmp_path, "laptop", "manager1")
        report = device.sync()
        assert report.pulled > in_grid
        with device.store.begin() as session:
            held = session.scalar(select(func.count()).select_from(Customer))
            grids = session.scalars(select(Grid.id)).all()
        assert held == in_grid
        assert set(grids) >= set(uuid.UUID(str(g)) for g in grid_ids)
        assert pending_count(device.store) == 0
        assert device.sync().pulled == 0  # nothing left over
        device.store.close()
        device.api.close()
    finally:
        server.stop()


def test_health_readiness_and_metrics(tmp_path: Path) -> None:
    server = ServerProcess(_sqlite_url(tmp_path))
    server.create_user("super", "supervisor")
    server.start()
    try:
        assert httpx.get(f"{server.url}/healthz").json()["status"] == "ok"
        ready = httpx.get(f"{server.url}/readyz")
        assert ready.status_code == 200 and ready.json()["status"] == "ready"

        office = Device.sign_in(server, tmp_path, "office", "super")
        with office.store.begin() as session:
            session.add(Park(name="高新区"))
        office.sync()
        intruder = ServerApi(server.url)
        try:
            with pytest.raises(SyncError):
                intruder.login("nobody", PASSWORD, "intruder")
        finally:
            intruder.close()

        metrics = httpx.get(f"{server.url}/metrics").text
        lines = metrics.splitlines()
        # Requests by route template (never by raw path), status and method.
        assert any(
            line.startswith("keyacct_http_requests_total{")
            and 'route="/api/v1/push"' in line
            and 'status="200"' in line
            for line in lines
        )
        assert any(
            line.startswith("keyacct_http_request_duration_seconds_bucket{")
            and 'route="/api/v1/pull"' in line
            for line in lines
        )
        assert any(
            line.startswith("keyacct_push_results_total{")
            and 'status="applied"' in line
            and not line.endswith(" 0.0")
            for line in lines
        )
        assert 'keyacct_logins_total{outcome="ok"} 1.0' in lines
        assert 'keyacct_logins_total{outcome="refused"} 1.0' in lines
        assert any(line.startswith("keyacct_pull_rows_count ") for line in lines)
        httpx.get(f"{server.url}/api/v1/blobs/{'0' * 64}/state")  # 401, labelled by template
        metrics = httpx.get(f"{server.url}/metrics").text
        assert 'route="/api/v1/blobs/{sha256}/state"' in metrics
        assert "0" * 64 not in metrics
        office.store.close()
        office.api.close()
    finally:
        server.stop()


def test_readiness_refuses_a_database_at_another_schema(tmp_path: Path) -> None:
    """``serve --no-migrate`` on a database that was never migrated: alive, not ready."""
    database = _sqlite_url(tmp_path)
    engine = create_engine(database)
    with engine.begin() as connection:  # an old schema: a known revision that is not ours
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('s0001')"))
    engine.dispose()
    server = ServerProcess(database, serve_args=("--no-migrate",))
    server.start()
    try:
        assert httpx.get(f"{server.url}/healthz").status_code == 200
        ready = httpx.get(f"{server.url}/readyz")
        assert ready.status_code == 503
        assert ready.json()["status"] == "schema mismatch"
        assert ready.json()["database"] == ["s0001"]
    finally:
        server.stop()


def test_readiness_serves_on_a_newer_schema_during_a_rolling_restart(tmp_path: Path) -> None:
    """``migrate`` ran with the next release: this process (older code) keeps serving."""
    database = _sqlite_url(tmp_path)
    engine = create_engine(database)
    from keyacct_desktop.server.db import migrate_server

    migrate_server(engine)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 's9999_next_release'"))
    engine.dispose()
    server = ServerProcess(database, serve_args=("--no-migrate",))
    server.start()
    try:
        ready = httpx.get(f"{server.url}/readyz")
        assert ready.status_code == 200
        assert ready.json()["status"] == "schema ahead"
    finally:
        server.stop()


def test_after_restore_new_changes_reach_devices_that_synced_past_the_backup(
    tmp_path: Path,
) -> None:
    """A backup is restored: devices' cursors are past its counter. ``after-restore`` moves
    the counter on, so what is written next reaches them (without it, it would not)."""
    database_file = tmp_path / "server.sqlite3"
    server = ServerProcess(f"sqlite:///{database_file}")
    server.create_user("super", "supervisor")
    server.start()
    office = Device.sign_in(server, tmp_path, "office", "super")
    laptop = Device.sign_in(server, tmp_path, "laptop", "super")
    with office.store.begin() as session:
        session.add(Park(name="备份前的园区"))
    office.sync()
    server.stop()
    backup = database_file.read_bytes()  # the nightly backup (server stopped: a clean copy)
    server.start()
    with office.store.begin() as session:
        session.add_all(Park(name=f"备份后的园区{i}") for i in range(20))
    office.sync()
    laptop.sync()  # its cursor is now past everything the backup holds
    server.stop()

    for suffix in ("-wal", "-shm"):  # the disaster: back to the backup
        Path(f"{database_file}{suffix}").unlink(missing_ok=True)
    database_file.write_bytes(backup)
    restored = server.cli("after-restore")
    assert "devices will see new changes" in restored.stdout
    server.start()
    try:
        with office.store.begin() as session:
            session.add(Park(name="恢复后新建的园区"))
        office.sync()
        laptop.sync()
        with laptop.store.begin() as session:
            names = set(session.scalars(select(Park.name)))
        assert "恢复后新建的园区" in names
    finally:
        for device in (office, laptop):
            device.store.close()
            device.api.close()
        server.stop()


def test_json_logs_carry_one_object_per_line(tmp_path: Path) -> None:
    server = ServerProcess(
        _sqlite_url(tmp_path), serve_args=("--log-format", "json", "--access-log")
    )
    server.start()
    try:
        httpx.get(f"{server.url}/healthz")
        httpx.post(f"{server.url}/api/v1/pull", json={"protocol": 1, "cursor": 0})
    finally:
        server.stop()
    entries = [
        json.loads(line) for line in server.log_path.read_text("utf-8").splitlines() if line.strip()
    ]
    assert entries, "the server wrote no log"
    assert all({"time", "level", "logger", "message"} <= entry.keys() for entry in entries)
    requests = [entry for entry in entries if entry["logger"] == "keyacct.server.access"]
    assert {"route": "/api/v1/pull", "status": 401} in [
        {"route": entry["route"], "status": entry["status"]} for entry in requests
    ]
    assert all(entry["duration_ms"] >= 0 for entry in requests)
    # uvicorn's own lines (start-up, shutdown) are JSON too.
    assert any(entry["logger"].startswith("uvicorn") for entry in entries)


@pytest.mark.postgres
def test_sigterm_mid_push_finishes_it_and_loses_nothing(postgres_server, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """kill -TERM while a push is being applied: that push is committed and answered, the
    server exits cleanly, and after a restart the device's next sync sends only the rest."""
    name = f"keyacct_{uuid.uuid4().hex[:10]}"
    postgres_server.psql(f'CREATE DATABASE "{name}";')
    server_database = postgres_server.get_uri().replace("/postgres?", f"/{name}?", 1)
    server = ServerProcess(server_database)
    server.create_user("super", "supervisor")
    server.start()
    office = Device.sign_in(server, tmp_path, "office", "super")
    total = 4000
    with office.store.begin() as session:
        park = Park(name="高新区")
        session.add(park)
        session.add_all(
            Customer(account_no=f"T{index:06d}", name=f"测试客户{index}", park=park)
            for index in range(total)
        )
    before = pending_count(office.store)

    def in_flight() -> float:
        for line in httpx.get(f"{server.url}/metrics").text.splitlines():
            if line.startswith("keyacct_http_requests_in_flight "):
                return float(line.split()[1])
        return 0.0

    def wait_for(condition: Callable[[], bool]) -> None:
        deadline = time.monotonic() + 60
        while not condition():
            assert time.monotonic() < deadline, "timed out waiting for the server"
            time.sleep(0.05)

    # Hold the version counter's row lock: the first push blocks inside its transaction, so
    # the SIGTERM lands while it is being applied, whatever the machine's speed.
    engine = create_engine(server_database.replace("postgresql://", "postgresql+psycopg://", 1))
    lock = engine.connect()
    lock.begin()
    lock.execute(text("SELECT value FROM counter WHERE name = 'change' FOR UPDATE"))
    outcome: list[BaseException | None] = []

    def sync() -> None:
        try:
            office.sync()
            outcome.append(None)
        except BaseException as error:
            outcome.append(error)

    syncing = threading.Thread(target=sync)
    syncing.start()
    try:
        wait_for(lambda: in_flight() >= 2)  # the metrics request and the blocked push
        assert server.process is not None
        os.kill(server.process.pid, signal.SIGTERM)
        wait_for(lambda: "Shutting down" in server.log_path.read_text("utf-8"))
    finally:
        lock.rollback()
        lock.close()
        engine.dispose()
    syncing.join(60)
    assert len(outcome) == 1 and isinstance(outcome[0], OfflineError)  # later pushes: gone
    assert server.process is not None
    # uvicorn re-raises the signal once it has shut down cleanly.
    assert server.process.wait(30) in (0, -signal.SIGTERM)
    server.stop()
    log = server.log_path.read_text("utf-8")
    assert "Waiting for application shutdown" in log and "Finished server process" in log
    assert "Traceback" not in log
    left = pending_count(office.store)
    assert 0 < left < before  # the push in flight was committed AND answered

    server.start()
    try:
        office.sync()
        assert pending_count(office.store) == 0
        fresh = Device.sign_in(server, tmp_path, "fresh", "super")
        fresh.sync()
        with fresh.store.begin() as session:
            numbers = session.scalars(select(Customer.account_no)).all()
        assert len(numbers) == total == len(set(numbers))  # every customer, each once
        fresh.store.close()
        fresh.api.close()
        office.store.close()
        office.api.close()
    finally:
        server.stop()


def test_passwords_are_hashed_at_rfc_9106_cost_unless_a_test_says_otherwise() -> None:
    """The suite's fast hashing (conftest) is opt-in by name; a server hashes at Argon2's
    RFC 9106 low-memory profile, and checks a stored hash at the cost written in it."""
    real = accounts.password_hasher({}).hash("a long enough password")
    assert real.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    cheap = accounts.password_hasher({accounts.INSECURE_FAST_HASH_ENV: "1"})
    assert cheap.verify(real, "a long enough password")
