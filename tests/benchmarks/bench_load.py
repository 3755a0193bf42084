"""200 devices syncing at once against one server process (SQLite and PostgreSQL).

All clients start together and run push+pull cycles back to back (no think time), so this
is the worst minute of a Monday morning, not an average one. One asyncio loop drives the
200 devices from one process; the server is ``keyacct-server serve`` (one process).

The load generator shares the 2 cores with the server (200 real laptops would not), so it is
kept lean. The measured phase uses :class:`DeviceConnection`, one keep-alive HTTP/1.1
connection per device (as each laptop has its own), instead of a shared
``httpx.AsyncClient``: httpx spent ~15 ms of CPU per request with 200 connections in its
pool (the load generator, not the server, was the bottleneck), this client ~0.5 ms, and
~0.25 ms with orjson reading the answers (``json.loads`` of the pulled pages was half of
it). The requests are the same: method, path, JSON body, bearer token, 30 s timeout. The
figure also reports the CPU time the server and the load generator spent per request, so a
missed target says which side ran out.
"""

from __future__ import annotations

import asyncio
import gc
import os
import resource
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson

from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.server import accounts
from tests.benchmarks.common import Figure, LoggedServer, percentile
from tests.sync_helpers import PASSWORD

CLIENTS = 200
CYCLES = 3
TARGET_P99_MS = 300.0


class DeviceConnection:
    """A device's own keep-alive HTTP/1.1 connection to the server (JSON in, JSON out)."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port = host, port
        self.headers = (
            f"Host: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
            "Content-Type: application/json\r\nAccept: */*\r\n"
        )
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def post(self, path: str, payload: dict[str, Any]) -> tuple[int, bytes]:
        """Status and body of ``POST path``; reconnects after an error or ``Connection: close``."""
        body = orjson.dumps(payload)
        await self.connect()
        assert self.reader is not None and self.writer is not None
        try:
            self.writer.write(
                f"POST {path} HTTP/1.1\r\n{self.headers}Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            head = await self.reader.readuntil(b"\r\n\r\n")
            status_line, *header_lines = head.decode("latin-1").split("\r\n")
            length, close = 0, False
            for line in header_lines:
                name, _, value = line.partition(":")
                name = name.strip().lower()
                if name == "content-length":
                    length = int(value)
                elif name == "transfer-encoding":
                    raise OSError("chunked answers are not expected from this server")
                elif name == "connection" and "close" in value.lower():
                    close = True
            data = await self.reader.readexactly(length)
        except BaseException:
            self.close()
            raise
        if close:
            self.close()
        return int(status_line.split(" ", 2)[1]), data

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def process_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its child processes still running."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


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


@dataclass
class Cpu:
    """CPU seconds the server process(es) and the load generator spent in the measured phase."""

    server: float
    client: float


async def _scenario(
    url: str, server_pid: int
) -> tuple[dict[str, list[float]], int, list[str], float, Cpu]:
    limits = httpx.Limits(max_connections=CLIENTS + 10, max_keepalive_connections=CLIENTS + 10)
    # 30 s per request, as the app's ServerApi: a request that takes longer has failed.
    async with httpx.AsyncClient(base_url=url, timeout=30, limits=limits) as http:
        # Set-up, not measured (argon2 logins are deliberately slow): one device per client,
        # and one customer per client created by an office device.
        began = time.perf_counter()
        tokens: list[str] = []
        # A few at a time: sign-ins of one user name count as attempts until they succeed,
        # and more than ACCOUNT_LIMIT of them in flight at once look like guessing.
        group = accounts.ACCOUNT_LIMIT - 1
        for first in range(0, CLIENTS, group):
            tokens += await asyncio.gather(
                *(_login(http, f"bench-{i}") for i in range(first, min(first + group, CLIENTS)))
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

        latencies: dict[str, list[float]] = {"push": [], "pull": []}  # ms, by request kind
        errors: list[str] = []
        start_gate = asyncio.Event()
        host, port = http.base_url.host, http.base_url.port
        assert port is not None

        async def timed(connection: DeviceConnection, path: str, payload: dict[str, Any]) -> Any:
            start = time.perf_counter()
            kind = path.rsplit("/", 1)[1]
            try:
                status, data = await asyncio.wait_for(connection.post(path, payload), 30)
                latencies[kind].append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errors.append(f"HTTP {status}: {data[:80].decode(errors='replace')}")
                    return None
                return orjson.loads(data)
            except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError) as error:
                latencies[kind].append((time.perf_counter() - start) * 1000)
                errors.append(type(error).__name__)
                return None

        async def device(index: int, connection: DeviceConnection) -> None:
            version, cursor = versions[index], 0
            await start_gate.wait()
            try:
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
                        connection, "/api/v1/push", {"protocol": PROTOCOL_VERSION, "ops": [op]}
                    )
                    if pushed:
                        version = pushed["results"][0].get("version") or version
                    pulled = await timed(
                        connection,
                        "/api/v1/pull",
                        {"protocol": PROTOCOL_VERSION, "cursor": cursor, "limit": 1000},
                    )
                    if pulled:
                        cursor = pulled["cursor"]
            finally:
                connection.close()

        # Each laptop's TCP handshake is its own: made before the start. (200 connects from
        # this one process at the start delayed the last first requests by ~0.4 s, the load
        # generator's doing, not the server's.)
        connections = [DeviceConnection(host, port, token) for token in tokens]
        await asyncio.gather(*(connection.connect() for connection in connections))
        tasks = [asyncio.create_task(device(i, c)) for i, c in enumerate(connections)]
        await asyncio.sleep(0.1)
        # In the whole suite this process still holds the other benchmarks' data: frozen, the
        # load generator's garbage collections do not walk it during the measured phase.
        gc.collect()
        gc.freeze()
        server_cpu = process_cpu_seconds(server_pid)
        own = resource.getrusage(resource.RUSAGE_SELF)
        begin = time.perf_counter()
        start_gate.set()
        try:
            await asyncio.gather(*tasks)
        finally:
            gc.unfreeze()
        wall = time.perf_counter() - begin
        after = resource.getrusage(resource.RUSAGE_SELF)
        cpu = Cpu(
            server=process_cpu_seconds(server_pid) - server_cpu,
            client=(after.ru_utime + after.ru_stime) - (own.ru_utime + own.ru_stime),
        )
        requests = sum(len(kind) for kind in latencies.values())
        print(f"  {requests} requests took {wall:.1f} s", flush=True)
        return latencies, requests, errors, wall, cpu


def run_one(database: str, label: str, log_path: Path) -> Figure:
    server = LoggedServer(database, log_path)
    server.create_user("office", "supervisor")
    server.start()
    assert server.process is not None
    try:
        by_kind, requests, errors, wall, cpu = _run(_scenario(server.url, server.process.pid))
    finally:
        server.stop()
    logged = server.log_errors()
    latencies = [ms for kind in by_kind.values() for ms in kind]
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
            f"errors {len(errors)}; p99 push {percentile(by_kind['push'], 0.99):.0f} ms, "
            f"pull {percentile(by_kind['pull'], 0.99):.0f} ms"
            f"; CPU per request: server {cpu.server / requests * 1000:.2f} ms, "
            f"load generator {cpu.client / requests * 1000:.2f} ms"
            + (f" (first: {errors[0]})" if errors else "")
            + (
                f"; server log: {len(logged)} error lines, last {logged[-1][:100]!r}"
                if logged
                else ""
            )
        ),
    )


def _run(scenario: Any) -> Any:
    """``asyncio.run`` on uvloop when it is installed (a leaner load generator)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(scenario)
    return uvloop.run(scenario)


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
