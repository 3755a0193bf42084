"""Alembic environment of the local (device) store.

The app runs migrations programmatically (see ``store.db.migrate``) and hands over its own
connection in ``config.attributes["connection"]``. Batch mode makes ALTERs work on SQLite.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from keyacct_desktop.store import local, models  # noqa: F401  (register tables)
from keyacct_desktop.store.base import Base, LocalBase

target_metadata = [Base.metadata, LocalBase.metadata]


def run_migrations() -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:
        url = context.config.get_main_option("sqlalchemy.url") or "sqlite:///keyacct.sqlite3"
        with create_engine(url).begin() as own_connection:
            _run(own_connection)
    else:
        _run(connection)


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
