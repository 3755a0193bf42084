"""What an operations team watches: liveness, readiness, Prometheus metrics, JSON logs.

* ``GET /healthz`` — the process answers (no database work: a liveness probe must not restart
  a server whose database is merely slow);
* ``GET /readyz`` — the database answers and its schema is the one this code expects (a
  rolling restart sends traffic only to processes whose schema is migrated), 503 otherwise,
  and 503 as soon as a graceful shutdown starts;
* ``GET /metrics`` — Prometheus text format: requests by route and status, latency
  histograms, push and pull sizes, refused operations, login failures and lockouts. With
  several worker processes set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder (the
  ``prometheus_client`` multiprocess mode) so that each scrape sums every worker.

The metrics middleware is plain ASGI (not Starlette's ``BaseHTTPMiddleware``, which adds a
task per request) and labels requests by route *template* (``/api/v1/blobs/{sha256}``), never
by raw path, so the number of series stays bounded whatever clients send.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client import multiprocess as prometheus_multiprocess
from sqlalchemy import Engine, text

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
#: Latency buckets (seconds): the sync targets are p99 <= 300 ms, so resolution sits there.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)
SIZE_BUCKETS = (0, 1, 10, 50, 100, 500, 1000, 2000, 5000)

REQUESTS = Counter(
    "keyacct_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
LATENCY = Histogram(
    "keyacct_http_request_duration_seconds",
    "Time from request start to the last byte of the answer",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
PUSH_OPERATIONS = Histogram(
    "keyacct_push_operations", "Operations per push request", buckets=SIZE_BUCKETS
)
PUSH_RESULTS = Counter(
    "keyacct_push_results_total", "Answers to pushed operations", ["status", "code"]
)
PULL_ROWS = Histogram("keyacct_pull_rows", "Rows per pull page", buckets=SIZE_BUCKETS)
LOGINS = Counter("keyacct_logins_total", "Sign-in attempts by outcome", ["outcome"])
IN_FLIGHT = Gauge(
    "keyacct_http_requests_in_flight",
    "HTTP requests being answered (a graceful shutdown waits for them)",
    multiprocess_mode="livesum",
)

log = logging.getLogger("keyacct.server")


def record_push(operations: int, results: list[dict[str, Any]]) -> None:
    """Count one push: its size and each operation's answer (refusals by their code)."""
    PUSH_OPERATIONS.observe(operations)
    for result in results:
        PUSH_RESULTS.labels(result.get("status", "?"), result.get("code") or "").inc()


def record_login(outcome: str) -> None:
    """``outcome``: ok / refused / locked / throttled."""
    LOGINS.labels(outcome).inc()


def metrics_text() -> tuple[bytes, str]:
    """The exposition of this process, or of every worker in multiprocess mode."""
    if os.environ.get(MULTIPROC_ENV):
        registry = CollectorRegistry()
        prometheus_multiprocess.MultiProcessCollector(registry)
        return generate_latest(registry), CONTENT_TYPE_LATEST
    from prometheus_client import REGISTRY

    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST


def _migrations() -> Any:
    """The server's Alembic script directory."""
    from alembic.script import ScriptDirectory

    from keyacct_desktop.server.db import MIGRATIONS_DIR
    from keyacct_desktop.store.db import alembic_config

    return ScriptDirectory.from_config(alembic_config(MIGRATIONS_DIR))


def expected_heads() -> set[str]:
    """The schema revisions this code was written for (the heads of the server migrations)."""
    return set(_migrations().get_heads())


def route_template(scope: dict[str, Any]) -> str:
    """The path template of the route that answered (bounded label values), or "unmatched"."""
    route = scope.get("route")
    return getattr(route, "path", None) or "unmatched"


#: How far ``after-restore`` moves the version counter: more versions than a server writes in
#: decades (a busy province: ~10^8 a year), still far below the 64-bit limit.
RESTORE_VERSION_GAP = 2**40


def after_restore(engine: Engine) -> tuple[int, int]:
    """Move the version counter past every version a device may hold as its pull cursor.

    A restored backup's counter is behind the cursors of devices that synced after the
    backup was taken; changes written next would get versions those devices believe they
    have, and never pull. Returns the counter before and after.
    """
    with engine.begin() as connection:
        before = connection.execute(
            text("SELECT value FROM counter WHERE name = 'change'")
        ).scalar_one()
        after = before + RESTORE_VERSION_GAP
        connection.execute(
            text("UPDATE counter SET value = :after WHERE name = 'change'"), {"after": after}
        )
    return before, after


def known_revisions() -> set[str]:
    """Every server schema revision this code knows (older ones included)."""
    return {script.revision for script in _migrations().walk_revisions()}


def readiness(
    engine: Engine, expected_heads: set[str], known: set[str] | None = None
) -> tuple[bool, dict[str, Any]]:
    """Whether this process can serve: the database answers and its schema is ours, or newer.

    A database *behind* the code (a revision we know, not our head) is not ready: run
    ``keyacct-server migrate``. One *ahead* of it (revisions this code does not know) is the
    middle of a rolling restart: migrations are additive (docs/DEPLOY.md), so the old
    processes keep serving until they are replaced.
    """
    try:
        with engine.connect() as connection:
            found = {
                row[0]
                for row in connection.execute(text("SELECT version_num FROM alembic_version"))
            }
    except Exception as error:  # any database failure means "not ready", with its class
        return False, {"status": "database unavailable", "error": type(error).__name__}
    if found == expected_heads:
        return True, {"status": "ready", "schema": sorted(found)}
    detail = {"database": sorted(found), "expected": sorted(expected_heads)}
    if found and not found & (known if known is not None else known_revisions()):
        return True, {"status": "schema ahead", **detail}
    return False, {"status": "schema mismatch", **detail}


class MetricsMiddleware:
    """ASGI middleware: counts and times every HTTP request by route template."""

    def __init__(self, app: Any, route_of: Callable[[dict[str, Any]], str]) -> None:
        self.app = app
        self.route_of = route_of

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        IN_FLIGHT.inc()

        async def sending(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            IN_FLIGHT.dec()
            route = self.route_of(scope)
            method = scope.get("method", "?")
            REQUESTS.labels(method, route, str(status)).inc()
            LATENCY.labels(method, route).observe(time.perf_counter() - started)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info(
                    "request",
                    extra={
                        "method": method,
                        "route": route,
                        "status": status,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "client": (scope.get("client") or ("?",))[0],
                    },
                )


access_log = logging.getLogger("keyacct.server.access")

#: Attributes every LogRecord has; anything else was passed with ``extra=`` and is logged too.
_STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC, ISO 8601), level, logger, message, extras, and
    the exception when there is one — what log shippers (Loki, ELK, Fluent Bit) parse as is."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def logging_config(log_format: str, access: bool, level: str = "info") -> dict[str, Any]:
    """A ``logging.config.dictConfig`` for uvicorn and the server: ``text`` or ``json`` on
    stderr; the per-request access log only when asked (it costs about as much as a small
    request, docs/BENCHMARKS.md)."""
    formatter = (
        {"()": f"{__name__}.JsonFormatter"}
        if log_format == "json"
        else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}
    )
    handler = {"class": "logging.StreamHandler", "formatter": "main", "stream": "ext://sys.stderr"}
    upper = level.upper()
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"main": formatter},
        "handlers": {"stderr": handler},
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "uvicorn.error": {"handlers": ["stderr"], "level": upper, "propagate": False},
            # uvicorn's own access log is off (``access_log=False``); ours is structured.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "keyacct.server": {"handlers": ["stderr"], "level": upper, "propagate": False},
            "keyacct.server.access": {
                "handlers": ["stderr"],
                "level": "INFO" if access else "WARNING",
                "propagate": False,
            },
        },
    }
