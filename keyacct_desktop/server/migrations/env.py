"""Alembic environment of the central server's database (SQLite or PostgreSQL)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from keyacct_desktop.server.models import ServerBase

target_metadata = ServerBase.metadata


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    with create_engine(
        context.config.get_main_option("sqlalchemy.url") or "sqlite:///server.sqlite3"
    ).begin() as own:
        _run(own)
else:
    _run(connection)
