"""Shared pieces of the benchmark suite: figures, timing helpers and bulk test data.

A figure is measured next to a baseline taken in the same run on the same machine, so the
ratio means something even on a slow or busy box; absolute targets are printed beside it.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert

from keyacct_desktop.demo import (
    CITY_WORDS,
    CORE_WORDS,
    INDUSTRY_PLAN,
    SURNAMES,
    demo_mobile,
    demo_uscc,
)
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.changelog import sync_columns
from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Contact, Customer, Grid, Park
from tests.sync_helpers import ServerProcess

REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = 20261123

#: Characters of brand names (字号): two of them make names like 华东瑞丰精密科技有限公司.
BRAND_CHARS = "瑞丰鑫源博远嘉禾振华永盛鼎新汇能凯旋星河正泰远航晨光瀚海锦程德润同创云启华茂隆兴顺安泰和昌盛宏达金桥海川天元恒通鸿运立信明德"
GIVEN_CHARS = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英建华志海燕晓东立新春梅国栋文博思雨子涵浩然俊峰佳怡欣悦宇轩婷"


@dataclass
class Figure:
    """One line of the results table."""

    name: str
    value: float
    unit: str
    target: str
    passed: bool
    baseline: float | None = None
    baseline_label: str = ""
    detail: str = ""
    error: str | None = None

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0) or self.error:
            return None
        return self.value / self.baseline  # type: ignore[operator]

    def cells(self) -> list[str]:
        if self.error:
            return [self.name, "ERROR", "", "", self.target, "MISSED", self.error[:120]]
        baseline = "" if self.baseline is None else f"{fmt(self.baseline)} {self.unit}"
        if self.baseline_label and baseline:
            baseline += f" ({self.baseline_label})"
        ratio = "" if self.ratio is None else f"{self.ratio:.2f}×"
        return [
            self.name,
            f"{fmt(self.value)} {self.unit}",
            baseline,
            ratio,
            self.target,
            "ok" if self.passed else "MISSED",
            self.detail,
        ]


def fmt(value: float) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation: a p99 is a latency someone really saw)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


@contextmanager
def stopwatch() -> Iterator[Callable[[], float]]:
    """``with stopwatch() as elapsed: ...``; ``elapsed()`` is seconds (frozen after the block)."""
    start = time.perf_counter()
    end: list[float] = []
    yield lambda: (end[0] if end else time.perf_counter()) - start
    end.append(time.perf_counter())


def bench_env() -> dict[str, str]:
    """Environment for child processes: offscreen Qt, no real keyring, the repo importable.

    Bytecode caching is on, as for an installed app (pip compiles at install, PyInstaller
    bundles .pyc): a sandbox's ``PYTHONDONTWRITEBYTECODE=1`` made every measured start compile
    the app's modules from source, ~40 ms of a 250 ms cold start (2026-12-02)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.setdefault("XDG_RUNTIME_DIR", "/tmp")
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    env.pop("KEYACCT_DATA_DIR", None)
    env["PYTHONPATH"] = str(REPO_ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def times_until_lines(command: list[str], markers: list[str], timeout: float = 120) -> list[float]:
    """Seconds from spawning ``command`` until each marker's line appears (in that order)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bench_env(),
        cwd=REPO_ROOT,
    )
    assert process.stdout is not None
    found: list[float] = []
    for line in process.stdout:
        if len(found) < len(markers) and markers[len(found)] in line:
            found.append(time.perf_counter() - start)
    try:
        _out, err = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        _out, err = process.communicate()
    if len(found) < len(markers) or process.returncode != 0:
        raise RuntimeError(f"{command[2:5]} printed {len(found)} of {markers!r}: {err[-800:]}")
    return found


def time_until_line(command: list[str], marker: str, timeout: float = 120) -> float:
    """Seconds from spawning ``command`` until it prints a line containing ``marker``."""
    return times_until_lines(command, [marker], timeout)[0]


# ---------------------------------------------------------------------------- bulk data


def company_name(rng: random.Random) -> str:
    _section, suffix, _weight = rng.choices(INDUSTRY_PLAN, [p[2] for p in INDUSTRY_PLAN])[0]
    brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
    core = rng.choice(CORE_WORDS) if "有限公司" in suffix and rng.random() < 0.7 else ""
    return f"{rng.choice(CITY_WORDS)}{brand}{core}{suffix}"


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN_CHARS) + (rng.choice(GIVEN_CHARS) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


@dataclass
class Dataset:
    """Rows of a bulk data set, ready for Core ``insert`` (and for a raw baseline insert)."""

    parks: list[dict[str, Any]]
    grids: list[dict[str, Any]]
    customers: list[dict[str, Any]]
    contacts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return len(self.parks) + len(self.grids) + len(self.customers) + len(self.contacts)

    def tables(self) -> list[tuple[Any, list[dict[str, Any]]]]:
        return [
            (Park, self.parks),
            (Grid, self.grids),
            (Customer, self.customers),
            (Contact, self.contacts),
        ]


def make_dataset(customers: int, contacts_per_customer: float = 2.4, seed: int = SEED) -> Dataset:
    """Customers with realistic Chinese company names and their contacts (no visits)."""
    rng = random.Random(seed)
    now = utcnow()
    stamp = {"version": 0, "created_at": now, "updated_at": now}

    def new_id() -> uuid.UUID:
        return uuid.UUID(int=rng.getrandbits(128), version=4)

    parks = [
        {
            "id": new_id(),
            "name": f"{city}产业园{seed % 1000}",
            "district": city,
            "address": None,
            "note": None,
            **stamp,
        }
        for city in CITY_WORDS[:6]
    ]
    grids = [
        {
            "id": new_id(),
            "name": f"第{i + 1}网格-{seed % 1000}",
            "manager_id": None,
            "note": None,
            **stamp,
        }
        for i in range(8)
    ]
    customer_rows: list[dict[str, Any]] = []
    contact_rows: list[dict[str, Any]] = []
    today = date(2026, 11, 20)
    whole, fraction = int(contacts_per_customer), contacts_per_customer % 1
    for index in range(customers):
        customer_id = new_id()
        capacity = float(rng.choice([315, 630, 1000, 1600, 2500, 4000, 8000]))
        customer_rows.append(
            {
                "id": customer_id,
                "account_no": f"31{seed % 97:02d}{index + 1:07d}",
                "name": company_name(rng),
                "uscc": demo_uscc(rng),
                "address": f"{rng.choice(CITY_WORDS)}工业路 {rng.randrange(1, 400)} 号",
                "park_id": rng.choice(parks)["id"],
                "grid_id": rng.choice(grids)["id"],
                "manager_id": None,
                "industry": rng.choice("CCCDGFIK"),
                "industry_detail": rng.choice(CORE_WORDS),
                "voltage_kv": rng.choice([10.0, 10.0, 20.0, 35.0, 110.0]),
                "capacity_kva": capacity,
                "annual_kwh": round(capacity * rng.uniform(1500, 6500), -2),
                "pool_status": "pooled",
                "pyramid_class": rng.choices("ABCD", [0.05, 0.15, 0.3, 0.5])[0],
                "credit_rating": rng.choice(["AAA", "AA", "A", "B"]),
                "overdue_count": rng.choices([0, 1, 2], [0.8, 0.15, 0.05])[0],
                "overdue_days_max": 0,
                "violation_count": 0,
                "high_energy": False,
                "operating_trouble": False,
                "status": "active",
                **stamp,
            }
        )
        for _ in range(whole + (1 if rng.random() < fraction else 0)):
            contact_rows.append(
                {
                    "id": new_id(),
                    "customer_id": customer_id,
                    "name": person(rng),
                    "role": rng.choice(["electrical", "finance", "general"]),
                    "title": None,
                    "mobile": demo_mobile(rng),
                    "landline": None,
                    "email": None,
                    "last_verified": today - timedelta(days=rng.randrange(0, 720)),
                    "is_primary": False,
                    **stamp,
                }
            )
    return Dataset(parks, grids, customer_rows, contact_rows)


def insert_dataset(store: Store, data: Dataset, *, log_for_push: bool = False) -> None:
    """Bulk-insert ``data``; with ``log_for_push`` also queue every row for upload."""
    with store.begin() as session:
        for model, rows in data.tables():
            for start in range(0, len(rows), 5000):
                session.execute(insert(model), rows[start : start + 5000])
        if log_for_push:
            now = datetime.now()
            for model, rows in data.tables():
                names = sync_columns(model)
                changes = [
                    {
                        "op_id": uuid.uuid4(),
                        "table_name": model.__tablename__,
                        "row_id": row["id"],
                        "op": "upsert",
                        "fields": names,
                        "attempts": 0,
                        "created_at": now,
                    }
                    for row in rows
                ]
                for start in range(0, len(changes), 5000):
                    session.execute(insert(PendingChange), changes[start : start + 5000])


def make_store(path: Path, data: Dataset, *, log_for_push: bool = False) -> Store:
    store = open_store(path)
    insert_dataset(store, data, log_for_push=log_for_push)
    return store


def python() -> str:
    return sys.executable


class LoggedServer(ServerProcess):
    """``keyacct-server serve`` whose stderr goes to a file instead of an unread pipe.

    Under load the server logs (e.g. errors); a full, unread pipe would block it.
    """

    def __init__(self, database: str, log_path: Path) -> None:
        super().__init__(database)
        self.log_path = log_path

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                python(),
                "-m",
                "keyacct_desktop.server.cli",
                "--database",
                self.database,
                "serve",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=log,
            env=bench_env(),
        )
        log.close()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(self.log_path.read_text(errors="replace")[-2000:])
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
            self.process = None

    def log_errors(self) -> list[str]:
        """Lines of the server log that report an error (tracebacks' last lines)."""
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        # uvicorn logs its life-cycle under the logger "uvicorn.error" at INFO: not an error.
        return [
            line
            for line in text.splitlines()
            if "error" in line.replace("uvicorn.error", "").lower()
        ]
