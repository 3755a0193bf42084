"""First sync of 50k records and the no-op sync, client and real server process on loopback."""

from __future__ import annotations

import sqlite3
import time
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from keyacct_desktop.store.db import open_store
from tests.benchmarks.common import (
    Dataset,
    Figure,
    LoggedServer,
    make_dataset,
    make_store,
    median,
    percentile,
)
from tests.sync_helpers import Device

#: The full figure is 50k (``--sync-records 50000``); the default run uses 10k so the suite
#: stays near 10 minutes while first sync is slow. The target is a ratio, so it carries over.
FULL_RECORDS = 50_000
RECORDS = 10_000
NOOP_RUNS = 30
NOOP_TARGET_MS = 50.0


def dataset(records: int = RECORDS) -> Dataset:
    customers = round(records / 3.33)
    return make_dataset(customers, contacts_per_customer=2.33, seed=50)


def _raw(value: Any) -> Any:
    """A Python value as SQLAlchemy stores it in SQLite (Uuid as 32 hex chars)."""
    if isinstance(value, uuid.UUID):
        return value.hex
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def raw_bulk_insert(path: Path, data: Dataset) -> float:
    """Seconds to insert the same rows with sqlite3 ``executemany`` in one transaction."""
    open_store(path).close()  # the app's schema, so both sides write the same tables/indexes
    connection = sqlite3.connect(str(path))
    try:
        start = time.perf_counter()
        for model, rows in data.tables():
            names = list(rows[0])
            sql = (
                f'INSERT INTO "{model.__tablename__}" ({", ".join(names)}) '
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            connection.executemany(sql, ([_raw(row[n]) for n in names] for row in rows))
        connection.commit()
        return time.perf_counter() - start
    finally:
        connection.close()


def run(folder: Path, records: int = RECORDS) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    data = dataset(records)
    baseline_s = raw_bulk_insert(folder / "raw.sqlite3", data)
    make_store(folder / "pusher.sqlite3", data, log_for_push=True).close()

    server = LoggedServer(f"sqlite:///{folder / 'server.sqlite3'}", folder / "server.log")
    server.create_user("office", "supervisor")
    server.start()
    figures: list[Figure] = []
    try:
        pusher = Device.sign_in(server, folder, "pusher", "office")
        puller = Device.sign_in(server, folder, "puller", "office")
        start = time.perf_counter()
        push_report = pusher.sync()
        push_s = time.perf_counter() - start
        start = time.perf_counter()
        pull_report = puller.sync()
        pull_s = time.perf_counter() - start
        for name, seconds, detail in (
            (
                f"first sync {records // 1000}k records: pushing device",
                push_s,
                f"pushed {push_report.pushed}, pulled back {push_report.pulled}",
            ),
            (
                f"first sync {records // 1000}k records: new device pulls",
                pull_s,
                f"pulled {pull_report.pulled}",
            ),
        ):
            figures.append(
                Figure(
                    name,
                    seconds,
                    "s",
                    "≤ 3× raw insert",
                    seconds <= 3 * baseline_s,
                    baseline=baseline_s,
                    baseline_label=f"raw sqlite3 bulk insert of the {data.record_count} rows",
                    detail=f"{detail}; SQLite server",
                )
            )

        puller.sync()  # settle: access epoch and cursor known
        noop_ms: list[float] = []
        for _ in range(NOOP_RUNS):
            start = time.perf_counter()
            report = puller.sync()
            noop_ms.append((time.perf_counter() - start) * 1000)
            assert report.pulled == 0 and report.pushed == 0, report
        bare_ms: list[float] = []
        with httpx.Client(base_url=server.url) as client:
            client.get("/health")
            for _ in range(NOOP_RUNS):
                start = time.perf_counter()
                client.get("/health").raise_for_status()
                bare_ms.append((time.perf_counter() - start) * 1000)
        noop = median(noop_ms)
        figures.append(
            Figure(
                "no-op incremental sync",
                noop,
                "ms",
                f"≤ {NOOP_TARGET_MS:.0f} ms",
                noop <= NOOP_TARGET_MS,
                baseline=median(bare_ms),
                baseline_label="bare httpx GET round trip",
                detail=f"median of {NOOP_RUNS}, p95 {percentile(noop_ms, 0.95):.1f} ms; store holds {records} records",
            )
        )
        pusher.close()
        puller.close()
    finally:
        server.stop()
    return figures
