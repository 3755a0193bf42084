"""The web console's team queue on PostgreSQL with 100,000 customers and 200,000 referrals.

The database is filled by ``seed_server`` (the code of ``keyacct-server demo --referrals``);
one back-office account per team. A real ``keyacct-server serve`` answers the pages over
HTTP to a signed-in session (cookie and all), and each figure is the p95 of the page next
to the p95 of its bare SQL (the same statements :func:`queue.queue_page` runs, on a psycopg
connection, no HTTP, no rendering) measured in the same run. Pages: the default "待办"
queue of the busiest team, its overdue filter, the closed "客户已确认" filter at page 1 and
deep in it (page 100, reached by following "下一页": keyset cursors), and one referral with
its visit and history.

``KEYACCT_CONSOLE_CUSTOMERS`` / ``KEYACCT_CONSOLE_REFERRALS`` change the size.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import select, text

from keyacct_desktop.domain.enums import BackOfficeTeam
from keyacct_desktop.server import accounts
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.server.seed import seed_server
from keyacct_desktop.server.web import queue
from tests.benchmarks.common import Figure, percentile, stopwatch
from tests.sync_helpers import PASSWORD, ServerProcess

CUSTOMERS = int(os.environ.get("KEYACCT_CONSOLE_CUSTOMERS", "100000"))
REFERRALS = int(os.environ.get("KEYACCT_CONSOLE_REFERRALS", "200000"))
MANAGERS = 300
REPEATS = 40
TARGET_MS = 100.0
EXPLAIN_FILE = "console-explain.txt"


def _timed(work: Callable[[], Any], repeats: int = REPEATS) -> list[float]:
    work()  # warm: connection, plan cache, pages in shared buffers
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return times


def _sign_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    page = client.get("/console/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token is not None
    answer = client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
    )
    assert answer.status_code == 303, answer.text[:300]
    return client


def _detail(http: list[float], sql: list[float]) -> str:
    """p50s and the machine's load (p95s on a shared 2-core machine mostly measure waiting)."""
    load = os.getloadavg()[0]
    return (
        f"p50 {percentile(http, 0.5):.1f} ms (SQL {percentile(sql, 0.5):.1f} ms); "
        f"load average {load:.1f}"
    )


def run(folder: Path) -> list[Figure]:
    from tests.benchmarks.bench_desk import _seeded

    folder.mkdir(parents=True, exist_ok=True)
    # KEYACCT_BENCH_PGDIR + KEYACCT_BENCH_DB: a database seeded before (see bench_desk).
    postgres, url, fresh = _seeded(folder)
    engine = server_engine(url)
    figures: list[Figure] = []
    process: ServerProcess | None = None
    try:
        migrate_server(engine)
        with stopwatch() as seeding:
            if fresh:
                seed_server(engine, CUSTOMERS, MANAGERS, PASSWORD, referrals=REFERRALS)
        with engine.connect() as connection:
            per_team = dict(
                connection.execute(
                    text(
                        f"SELECT {queue.QUEUE_KEY['postgresql'][0]}, count(*) FROM sync_row "
                        f"WHERE {queue.QUEUE_ROWS} GROUP BY 1"
                    )
                ).all()
            )
        team = max(per_team, key=lambda code: per_team[code])
        with session_factory(engine).begin() as session:
            from keyacct_desktop.server.models import Account

            known = session.scalars(
                select(Account).where(Account.username == "bench-team")
            ).one_or_none()
            if known is None:
                accounts.create_account(session, "bench-team", PASSWORD, "team", "基准", team)
            else:
                known.team = team
        print(
            f"  seeded {CUSTOMERS:,} customers, {sum(per_team.values()):,} referrals in "
            f"{seeding():.0f} s; {BackOfficeTeam(team).zh} has {per_team[team]:,}",
            flush=True,
        )
        process = ServerProcess(url, serve_args=("--no-migrate",))
        process.start(patience=300)  # after seeding, a loaded machine starts slowly
        client = _sign_in(process.url, "bench-team")
        today = date.today()
        sessions = session_factory(engine)
        pages = {
            "待办 (default)": ("todo", 1),
            "逾期": ("overdue", 1),
            "客户已确认, page 1": ("confirmed", 1),
            "客户已确认, page 100": ("confirmed", 100),
        }
        first_id: str | None = None
        for label, (wanted, number) in pages.items():
            # Deep pages are reached as a person does: following "下一页" (keyset cursors).
            params = {"state": wanted}
            for _ in range(number - 1):
                listing = client.get("/console/queue", params=params).text
                link = re.search(r'rel="next" href="\?([^"]+)"', listing)
                assert link is not None, f"no page after {params}"
                params = dict(
                    pair.split("=", 1) for pair in link.group(1).replace("&amp;", "&").split("&")
                )

            def page(params: dict[str, str] = params) -> str:
                answer = client.get("/console/queue", params=params)
                assert answer.status_code == 200, answer.status_code
                return answer.text

            def bare(wanted: str = wanted, params: dict[str, str] = params) -> None:
                with sessions.begin() as session:
                    queue.queue_page(
                        session,
                        team,
                        wanted,
                        int(params.get("page", 1)),
                        today,
                        after=params.get("after"),
                    )

            found = re.search(r'href="/console/referrals/([0-9a-f-]{36})"', page())
            first_id = first_id or (found.group(1) if found else None)
            http_times = _timed(page)
            http = percentile(http_times, 0.95)
            sql_times = _timed(bare)
            sql = percentile(sql_times, 0.95)
            figures.append(
                Figure(
                    f"team queue p95, {label}, {per_team[team]:,} referrals of the team",
                    http,
                    "ms",
                    f"≤ {TARGET_MS:.0f} ms",
                    http <= TARGET_MS,
                    baseline=sql,
                    baseline_label="the page's SQL alone",
                    detail=_detail(http_times, sql_times),
                )
            )
        if first_id is not None:
            referral_id = first_id

            def detail() -> None:
                answer = client.get(f"/console/referrals/{referral_id}")
                assert answer.status_code == 200, answer.status_code

            def detail_sql() -> None:
                with sessions.begin() as session:
                    queue.team_referral(session, team, referral_id, today)

            http_times = _timed(detail)
            sql_times = _timed(detail_sql)
            http = percentile(http_times, 0.95)
            figures.append(
                Figure(
                    "one referral (visit, history) p95",
                    http,
                    "ms",
                    f"≤ {TARGET_MS:.0f} ms",
                    http <= TARGET_MS,
                    baseline=percentile(sql_times, 0.95),
                    baseline_label="its SQL alone",
                    detail=_detail(http_times, sql_times),
                )
            )
        _explain(engine, team, today, folder)
        client.close()
    finally:
        if process is not None:
            process.stop()
        engine.dispose()
        if fresh:
            postgres.cleanup()
    return figures


def _explain(engine: Any, team: str, today: date, folder: Path) -> None:
    """The plan of the default page (written next to the results: docs/BENCHMARKS.md)."""
    team_key, closed, due, _row_id = queue.QUEUE_KEY["postgresql"]
    statement = (
        f"EXPLAIN (ANALYZE, BUFFERS) SELECT row_id, data FROM sync_row WHERE {queue.QUEUE_ROWS} "
        f"AND {team_key} = :team AND {closed} = 0 ORDER BY {due}, row_id LIMIT 31"
    )
    with engine.connect() as connection:
        plan = [row[0] for row in connection.execute(text(statement), {"team": team})]
    target = Path(os.environ.get("KEYACCT_BENCH_EXPLAIN_DIR", folder)) / EXPLAIN_FILE
    target.write_text("\n".join(plan) + "\n", encoding="utf-8")
    print("\n".join("  " + line for line in plan), flush=True)
