"""Opening the local store: engine, SQLite pragmas, sessions and automatic migration."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.changelog import record_local_changes
from keyacct_desktop.store.guards import refuse_frozen_changes

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class StoreSession(Session):
    """Session for any store: enforces the frozen-document guard."""


class ClientSession(StoreSession):
    """Session for a device's local store: also writes the outgoing change log."""


event.listen(StoreSession, "before_flush", refuse_frozen_changes)
event.listen(ClientSession, "before_flush", record_local_changes)


def _set_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.execute("PRAGMA busy_timeout = 10000")
    cursor.close()


def sqlite_engine(path: Path, **kwargs: Any) -> Engine:
    """An engine on a SQLite file with WAL and foreign keys switched on for every connection."""
    engine = create_engine(f"sqlite:///{path}", **kwargs)
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


#: Length of a raw SQLCipher key in bytes (256-bit AES key, given as hex, so no KDF runs).
KEY_BYTES = 32


class StoreLockedError(UserError):
    """The store cannot be read: a wrong key/passphrase, or the file is damaged."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "口令错误或数据文件已损坏",
            "wrong passphrase, or the data file is damaged",
            field="passphrase",
        )
        self.path = path


def key_pragma(key: bytes) -> str:
    """``PRAGMA key`` with a raw hex key: SQLCipher uses it as is, with no KDF of its own."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"a store key has {KEY_BYTES} bytes, not {len(key)}")
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_encrypted(path: Path, key: bytes) -> Any:
    """A raw ``sqlcipher3`` connection to ``path``; ``PRAGMA key`` is its very first statement."""
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(path), check_same_thread=False)
    connection.execute(key_pragma(key))
    # A wrong key is reported to the user as a UserError; SQLCipher's own stderr log is noise.
    connection.execute("PRAGMA cipher_log_level = NONE")
    return connection


def encrypted_engine(path: Path, key: bytes, **kwargs: Any) -> Engine:
    """An engine on an SQLCipher file, with the same pragmas as :func:`sqlite_engine`."""
    import sqlcipher3.dbapi2 as sqlcipher

    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=lambda: connect_encrypted(path, key),
        poolclass=QueuePool,
        **kwargs,
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def alembic_config(migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return config


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions(migrations_dir: Path = MIGRATIONS_DIR) -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config(migrations_dir)).get_heads())


def migrate(engine: Engine, revision: str = "heads", migrations_dir: Path = MIGRATIONS_DIR) -> None:
    """Bring the schema to ``revision`` (Alembic), in one transaction."""
    config = alembic_config(migrations_dir)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@dataclass
class Store:
    """The open local store. Services open one session per user action with :meth:`begin`."""

    path: Path
    engine: Engine
    sessions: sessionmaker[ClientSession] = field(repr=False)
    #: The SQLCipher key (``None`` for a plain store); backups are encrypted with it too.
    key: bytes | None = field(default=None, repr=False)

    @contextmanager
    def begin(self) -> Iterator[ClientSession]:
        """A session in a transaction committed on success and rolled back on any error."""
        with self.sessions.begin() as session:
            yield session

    def read(self) -> ClientSession:
        """A session for read-only work; the caller closes it (use as a context manager)."""
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()


def open_store(path: Path, *, key: bytes | None = None, upgrade: bool = True) -> Store:
    """Open (creating if needed) the store at ``path`` and migrate it to the newest schema.

    With ``key`` the file is an SQLCipher database encrypted with that raw 256-bit key.
    A wrong key, or a file that is not a database at all, raises :class:`StoreLockedError`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = sqlite_engine(path) if key is None else encrypted_engine(path, key)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except exc.DatabaseError as error:
        engine.dispose()
        raise StoreLockedError(path) from error
    if upgrade:
        migrate(engine)
    sessions = sessionmaker(engine, class_=ClientSession, expire_on_commit=False)
    return Store(path=path, engine=engine, sessions=sessions, key=key)


def sqlite_library_version() -> str:
    return sqlite3.sqlite_version
