"""Opening the local store: engine, SQLite pragmas, sessions and automatic migration.

Alembic is imported only when a store is behind (or new): importing it costs about a second
of start-up, and an up-to-date store is recognised with one query of ``alembic_version``
against the head revisions read from the revision files (:func:`known_heads`).
"""

from __future__ import annotations

import ast
import logging
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, exc, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.changelog import record_local_changes
from keyacct_desktop.store.guards import refuse_frozen_changes

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = logging.getLogger(__name__)

#: Names a migrated, empty plain store: a new plain store starts as a copy of it instead of
#: running every migration (seconds on a slow laptop). The test suite sets it, making many
#: thousand stores; a template behind the head is simply migrated the rest of the way.
STORE_TEMPLATE_ENV = "KEYACCT_STORE_TEMPLATE"


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


class StoreConnector:
    """Opens the connections of one encrypted store with its current key.

    The key can change under a running app (:meth:`Store.closed` and :meth:`Store.use_key`)
    while the engine, its sessions and its change feed stay the same objects, so everything
    holding the store keeps working. While the file is closed, a connection asked for from
    any thread waits until it is open again.
    """

    def __init__(self, path: Path, key: bytes) -> None:
        self.path = path
        self.key = key
        self.open = threading.Event()
        self.open.set()

    def __call__(self) -> Any:
        self.open.wait()
        return connect_encrypted(self.path, self.key)


def encrypted_engine(
    path: Path, key: bytes, *, connector: StoreConnector | None = None, **kwargs: Any
) -> Engine:
    """An engine on an SQLCipher file, with the same pragmas as :func:`sqlite_engine`."""
    import sqlcipher3.dbapi2 as sqlcipher

    engine = create_engine(
        "sqlite://",
        module=sqlcipher,
        creator=connector or StoreConnector(path, key),
        poolclass=QueuePool,
        **kwargs,
    )
    event.listen(engine, "connect", _set_sqlite_pragmas)
    return engine


def alembic_config(migrations_dir: Path = MIGRATIONS_DIR) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    return config


def current_revisions(engine: Engine) -> set[str]:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return set(MigrationContext.configure(connection).get_current_heads())


def head_revisions(migrations_dir: Path = MIGRATIONS_DIR) -> set[str]:
    from alembic.script import ScriptDirectory

    return set(ScriptDirectory.from_config(alembic_config(migrations_dir)).get_heads())


_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=]*)?=\s*(.+?)\s*$", re.MULTILINE)


@cache
def known_heads(migrations_dir: Path = MIGRATIONS_DIR) -> frozenset[str] | None:
    """The head revisions, read from the revision files without importing Alembic.

    Returns ``None`` when a file does not state its revisions plainly; the caller then asks
    Alembic. Never wrong in the unsafe direction: a revision it cannot read makes it give up.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in sorted((migrations_dir / "versions").glob("*.py")):
        found: dict[str, Any] = {}
        for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
            try:
                found.setdefault(name, ast.literal_eval(value))
            except (ValueError, SyntaxError):
                return None
        revision, down = found.get("revision"), found.get("down_revision", ...)
        if not isinstance(revision, str) or down is ...:
            return None
        revisions.add(revision)
        downs = down if isinstance(down, tuple | list) else (down,)
        parents.update(d for d in downs if d is not None)
    return frozenset(revisions - parents) if revisions else None


class StoreTooNewError(UserError):
    """The store's schema is from a newer version of the app (an older laptop install)."""

    def __init__(self, path: Path, revisions: set[str]) -> None:
        found = ", ".join(sorted(revisions))
        super().__init__(
            f"数据文件 {path.name} 由更新版本的 KeyAcct 写入（数据库版本 {found}），"
            "本程序无法打开。请安装最新版本后再打开；数据文件未做任何改动。",
            f"The store {path.name} was written by a newer KeyAcct (schema {found}); this "
            "version cannot open it. Install the latest version; the file was not changed.",
        )


def known_revisions(migrations_dir: Path = MIGRATIONS_DIR) -> set[str]:
    """Every revision id this version ships (read from the revision files, no Alembic)."""
    revisions: set[str] = set()
    for path in (migrations_dir / "versions").glob("*.py"):
        for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
            if name == "revision":
                with suppress(ValueError, SyntaxError):
                    revision = ast.literal_eval(value)
                    if isinstance(revision, str):
                        revisions.add(revision)
    return revisions


def stored_revisions(engine: Engine) -> set[str]:
    """The revisions ``alembic_version`` holds (empty for a new store)."""
    with engine.connect() as connection:
        has_table = connection.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")
        ).first()
        if not has_table:
            return set()
        return set(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


def is_up_to_date(engine: Engine, migrations_dir: Path = MIGRATIONS_DIR) -> bool:
    """Whether the store is at the head revisions: one query, no Alembic import."""
    heads = known_heads(migrations_dir)
    if heads is None:
        return False
    return stored_revisions(engine) == heads


def migrate(engine: Engine, revision: str = "heads", migrations_dir: Path = MIGRATIONS_DIR) -> None:
    """Bring the schema to ``revision`` (Alembic), in one transaction."""
    from alembic import command

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
    #: Set while the integrity check of a trusted start runs in the background
    #: (``backup.BackgroundCheck``): :meth:`begin` calls it first, so writes wait for the
    #: check and fail if it found damage. ``None`` once the store is known to be healthy.
    write_gate: Callable[[], None] | None = field(default=None, repr=False)
    #: Opens the connections of an encrypted store (``None`` for a plain one).
    connector: StoreConnector | None = field(default=None, repr=False)

    @contextmanager
    def begin(self) -> Iterator[ClientSession]:
        """A session in a transaction committed on success and rolled back on any error."""
        gate = self.write_gate
        if gate is not None:
            gate()
        with self.sessions.begin() as session:
            yield session

    def read(self) -> ClientSession:
        """A session for read-only work; the caller closes it (use as a context manager)."""
        return self.sessions()

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def closed(self) -> Iterator[None]:
        """Close an encrypted store for work on its file (``PRAGMA rekey``) and keep it closed
        until the block ends: a connection asked for meanwhile, from any thread, waits and
        then opens with the key current at the end (see :meth:`use_key`).

        A running background integrity check is waited for first (it holds a connection).
        The caller makes sure no other thread is inside a session when the block starts.
        """
        if self.connector is None:
            raise ValueError("only an encrypted store is closed for a rekey")
        gate = self.write_gate
        if gate is not None:
            gate()
        self.connector.open.clear()
        try:
            self.engine.dispose()
            yield
        finally:
            self.connector.open.set()

    def use_key(self, key: bytes) -> None:
        """Connect with ``key`` from now on: the file was re-encrypted under it (inside
        :meth:`closed`). The store stays the same object, for the services holding it."""
        if self.connector is None:
            raise ValueError("a plain store has no key")
        self.engine.dispose()
        self.connector.key = key
        self.key = key


def open_store(
    path: Path,
    *,
    key: bytes | None = None,
    upgrade: bool = True,
    on_phase: Callable[[str], None] | None = None,
) -> Store:
    """Open (creating if needed) the store at ``path`` and migrate it to the newest schema.

    With ``key`` the file is an SQLCipher database encrypted with that raw 256-bit key.
    A wrong key, or a file that is not a database at all, raises :class:`StoreLockedError`.
    ``on_phase("upgrade")`` is called before a migration runs (it can take a while on a big
    store: the app says so instead of looking stuck).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is None and upgrade:
        _start_from_template(path)
    connector = None if key is None else StoreConnector(path, key)
    engine = (
        sqlite_engine(path)
        if connector is None
        else encrypted_engine(path, connector.key, connector=connector)
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT count(*) FROM sqlite_master")).scalar_one()
    except exc.DatabaseError as error:
        engine.dispose()
        raise StoreLockedError(path) from error
    if upgrade and not is_up_to_date(engine):
        stored = stored_revisions(engine)
        unknown = stored - known_revisions()
        if unknown:  # Alembic would fail with "Can't locate revision": say what it means
            engine.dispose()
            raise StoreTooNewError(path, unknown)
        if on_phase is not None and stored:  # a new store's schema is made in a moment
            on_phase("upgrade")
        migrate(engine)
    sessions = sessionmaker(engine, class_=ClientSession, expire_on_commit=False)
    log.debug("store %s open (%s)", path, "encrypted" if key is not None else "plain")
    return Store(path=path, engine=engine, sessions=sessions, key=key, connector=connector)


def _start_from_template(path: Path) -> None:
    """Copy the :data:`STORE_TEMPLATE_ENV` store to ``path`` if there is no store there yet."""
    template = os.environ.get(STORE_TEMPLATE_ENV)
    if not template or path.exists():
        return
    with suppress(OSError):  # no usable template: the new store is migrated as usual
        shutil.copyfile(template, path)
        log.debug("new store %s copied from %s", path, template)


def sqlite_library_version() -> str:
    return sqlite3.sqlite_version
