"""The server's database: SQLite by default, PostgreSQL in production (``postgresql+psycopg://``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop.store.db import alembic_config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


#: Worker threads that run requests (anyio's default), and so the most connections in use.
#: The pool must hold one connection per thread: with fewer, requests that own connections
#: wait for a thread while threads wait for connections, until the pool times out.
REQUEST_THREADS = 40
POOL_SIZE = REQUEST_THREADS + 5


def server_engine(url: str) -> Engine:
    """An engine for ``url``; a bare ``postgresql://`` URL uses psycopg 3 (the one we ship)."""
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    if url.startswith("sqlite"):
        engine = create_engine(
            url,
            connect_args={"timeout": 30, "check_same_thread": False},
            pool_size=POOL_SIZE,
            max_overflow=0,
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_size=POOL_SIZE, max_overflow=0, pool_pre_ping=True)


def migrate_server(engine: Engine) -> None:
    config = alembic_config(MIGRATIONS_DIR)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
