"""200 devices syncing at once against one server process (SQLite and PostgreSQL).

All clients start together and run push+pull cycles back to back (no think time), so this
is the worst minute of a Monday morning, not an average one. One asyncio loop drives the
200 httpx clients from one process; the server is ``keyacct-server serve`` (one process).
"""

from __future__ import annotations

import asyncio
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from keyacct_desktop.sync.codec import PROTOCOL_VERSION
from tests.benchmarks.common import Figure, LoggedServer, percentile
from tests.sync_helpers import PASSWORD

CLIENTS = 200
CYCLES = 3
TARGET_P99_MS = 300.0


async def _login(client: httpx.AsyncClient, name: str) -> str:
    answer = await client.post(
        "/api/v1/login",
        json={
            "protocol": PROTOCOL_VERSION,
            "username": "office",
            "password": PASSWORD,
            "device_name": name,
        },
    )
    answer.raise_for_status()
    return answer.json()["token"]


async def _scenario(url: str) -> tuple[list[float], int, list[str], float]:
    limits = httpx.Limits(max_connections=CLIENTS + 10, max_keepalive_connections=CLIENTS + 10)
    # 30 s per request, as the app's ServerApi: a request that takes longer has failed.
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        # Set-up, not measured (argon2 logins are deliberately slow): one device per client,
        # and one customer per client created by an office device.
        began = time.perf_counter()
        tokens: list[str] = []
        for first in range(0, CLIENTS, 10):
            tokens += await asyncio.gather(
                *(_login(http, f"bench-{i}") for i in range(first, min(first + 10, CLIENTS)))
            )
        print(f"  {CLIENTS} logins took {time.perf_counter() - began:.0f} s", flush=True)
        customer_ids = [uuid.uuid4() for _ in range(CLIENTS)]
        ops = [
            {
                "op_id": str(uuid.uuid4()),
                "table": "customer",
                "id": str(cid),
                "op": "upsert",
                "base_version": 0,
                "fields": {
                    "account_no": f"LOAD{i:05d}-{cid.hex[:6]}",
                    "name": f"负载测试客户{i}有限公司",
                },
                "base": {},
            }
            for i, cid in enumerate(customer_ids)
        ]
        answer = await http.post(
            "/api/v1/push",
            json={"protocol": PROTOCOL_VERSION, "ops": ops},
            headers={"Authorization": f"Bearer {tokens[0]}"},
        )
        answer.raise_for_status()
        versions = [r["version"] for r in answer.json()["results"]]

        latencies: list[float] = []
        errors: list[str] = []
        start_gate = asyncio.Event()

        async def timed(call: Any) -> dict[str, Any] | None:
            start = time.perf_counter()
            try:
                response = await call
                latencies.append((time.perf_counter() - start) * 1000)
                if response.status_code != 200:
                    errors.append(f"HTTP {response.status_code}: {response.text[:80]}")
                    return None
                return response.json()
            except httpx.HTTPError as error:
                latencies.append((time.perf_counter() - start) * 1000)
                errors.append(type(error).__name__)
                return None

        async def device(index: int) -> None:
            headers = {"Authorization": f"Bearer {tokens[index]}"}
            version, cursor = versions[index], 0
            await start_gate.wait()
            for cycle in range(CYCLES):
                op = {
                    "op_id": str(uuid.uuid4()),
                    "table": "customer",
                    "id": str(customer_ids[index]),
                    "op": "upsert",
                    "base_version": version,
                    "fields": {"notes": f"第{cycle + 1}次走访记录 device {index}"},
                    "base": {},
                }
                pushed = await timed(
                    http.post(
                        "/api/v1/push",
                        json={"protocol": PROTOCOL_VERSION, "ops": [op]},
                        headers=headers,
                    )
                )
                if pushed:
                    version = pushed["results"][0].get("version") or version
                pulled = await timed(
                    http.post(
                        "/api/v1/pull",
                        json={"protocol": PROTOCOL_VERSION, "cursor": cursor, "limit": 1000},
                        headers=headers,
                    )
                )
                if pulled:
                    cursor = pulled["cursor"]

        tasks = [asyncio.create_task(device(i)) for i in range(CLIENTS)]
        await asyncio.sleep(0.1)
        begin = time.perf_counter()
        start_gate.set()
        await asyncio.gather(*tasks)
        print(f"  {len(latencies)} requests took {time.perf_counter() - begin:.0f} s", flush=True)
        return latencies, len(latencies), errors, time.perf_counter() - begin


def run_one(database: str, label: str, log_path: Path) -> Figure:
    server = LoggedServer(database, log_path)
    server.create_user("office", "supervisor")
    server.start()
    try:
        latencies, requests, errors, wall = asyncio.run(_scenario(server.url))
    finally:
        server.stop()
    logged = server.log_errors()
    p99 = percentile(latencies, 0.99)
    return Figure(
        f"{CLIENTS} concurrent clients, {label}",
        p99,
        "ms",
        f"p99 ≤ {TARGET_P99_MS:.0f} ms, 0 errors",
        p99 <= TARGET_P99_MS and not errors,
        detail=(
            f"{requests} requests in {wall:.1f} s ({requests / wall:.0f}/s), "
            f"p50 {percentile(latencies, 0.5):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
            f"errors {len(errors)}"
            + (f" (first: {errors[0]})" if errors else "")
            + (
                f"; server log: {len(logged)} error lines, last {logged[-1][:100]!r}"
                if logged
                else ""
            )
        ),
    )


def run(folder: Path) -> list[Figure]:
    folder.mkdir(parents=True, exist_ok=True)
    figures = [
        run_one(
            f"sqlite:///{folder / 'load.sqlite3'}", "SQLite server", folder / "sqlite-server.log"
        )
    ]
    import pgserver

    postgres = pgserver.get_server(folder / "pg", cleanup_mode="stop")
    try:
        name = f"keyacct_load_{uuid.uuid4().hex[:8]}"
        postgres.psql(f'CREATE DATABASE "{name}";')
        figures.append(
            run_one(
                postgres.get_uri().replace("/postgres?", f"/{name}?", 1),
                "PostgreSQL server",
                folder / "pg-server.log",
            )
        )
    finally:
        postgres.cleanup()
    return figures
