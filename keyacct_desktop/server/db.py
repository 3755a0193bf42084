"""The server's database: SQLite by default, PostgreSQL in production (``postgresql+psycopg://``).

How requests use it (see ``server.app``):

* **SQLite** has one writer at a time anyway, and a request's work takes well under a
  millisecond, so requests run their transaction **inline on the event loop**, one after the
  other: no thread hop, no lock contention, no ``database is locked``. Every request
  transaction starts with ``BEGIN IMMEDIATE``, so its reads and writes form one atomic unit
  (a push never merges against a row another writer changes before it writes) and another
  process (``keyacct-server revoke-device``) is waited for with ``busy_timeout`` instead of
  failing on a read-to-write upgrade.
* **PostgreSQL** runs each request's transaction in one worker thread with its own pooled
  connection (pool = threads, so nothing ever waits for a connection while holding a thread).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop.store.db import alembic_config

T = TypeVar("T")
MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
#: Execution option of the engine request sessions use: start transactions ``BEGIN IMMEDIATE``.
BEGIN_IMMEDIATE = "keyacct_begin_immediate"
#: How long a SQLite writer waits for another process's write lock before failing (seconds).
SQLITE_BUSY_TIMEOUT = 30

#: Worker threads that run PostgreSQL requests, and so the most connections in use. More
#: threads than cores only add GIL hand-offs; a few cover the round trips to the database.
REQUEST_THREADS = 8
POOL_SIZE = REQUEST_THREADS + 4


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")  # readers never wait for the writer
    # FULL: the WAL is synced at every commit, so a change a device was told was applied
    # survives a power cut (NORMAL would only be consistent, and could lose the last commits).
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT * 1000}")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    """``BEGIN IMMEDIATE`` for request sessions; other users keep pysqlite's lazy ``BEGIN``."""
    if connection.get_execution_options().get(BEGIN_IMMEDIATE):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def server_engine(url: str) -> Engine:
    """An engine for ``url``; a bare ``postgresql://`` URL uses psycopg 3 (the one we ship)."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT, "check_same_thread": False},
            # Requests run one at a time on the event loop; a few more for login, blobs, CLI.
            pool_size=5,
            max_overflow=REQUEST_THREADS,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=0, pool_pre_ping=True)


def migrate_server(engine: Engine) -> None:
    config = alembic_config(MIGRATIONS_DIR)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def request_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions for request transactions: ``BEGIN IMMEDIATE`` on SQLite (see module doc)."""
    if is_sqlite(engine):
        engine = engine.execution_options(**{BEGIN_IMMEDIATE: True})
    return sessionmaker(engine, expire_on_commit=False)


class LoopConnection:
    """SQLite: the one connection request transactions use on the event loop thread.

    Requests run there one at a time (see the module doc), so they share one connection
    instead of checking one out of the pool each time (that and a pooled session cost more
    than a small request's SQL). Only the event loop's thread may call :meth:`run`.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None

    def run(self, work: Callable[[Session], T]) -> T:
        """``work`` in one ``BEGIN IMMEDIATE`` transaction, committed before this returns."""
        connection = self._connection
        if connection is None or connection.invalidated or connection.closed:
            if connection is not None:
                connection.close()
            connection = self.engine.connect().execution_options(**{BEGIN_IMMEDIATE: True})
            self._connection = connection
        with connection.begin():
            session = Session(bind=connection, expire_on_commit=False)
            try:
                result = work(session)
                session.flush()
            finally:
                session.close()
        return result

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
