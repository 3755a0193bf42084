"""Rotating backups of the local store, restore, and the integrity check on start.

Backups use SQLite's online backup API (``Connection.backup``), so they are consistent even
while the app writes, and they are encrypted with the store's own key (SQLCipher backs up
page by page between two databases keyed alike). Each backup is first written to a temp
file, checked with ``PRAGMA quick_check`` and only then renamed into place; the oldest are
pruned beyond ``backup.keep``.

On start :func:`open_checked_store` runs ``PRAGMA quick_check``; a damaged store raises
:class:`StoreDamagedError` and :func:`restore_last_good_backup` is the recovery path: the
damaged file is set aside (never deleted) and the newest backup that passes a full
``integrity_check`` takes its place.

``quick_check`` reads the whole file (about a second at 20k customers, growing with the
store), so it is not run before the window after a clean shutdown: closing the context
writes a marker beside the store (:func:`mark_clean_shutdown`) with the file's identity,
size and modification time, and the next open trusts it only if the file is exactly as it
was left (no WAL, same inode, size and mtime). Any crash, kill, power cut or outside change
means no marker or a mismatch, and the check runs before the window opens, as before.
After a trusted start the same check still runs, on a thread of its own
(:class:`BackgroundCheck`), because damage at rest changes no mtime: writes through
``Store.begin`` wait until it passes and fail if it does not, and the GUI then offers the
last good backup. Backups keep checking every copy they write.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import exc

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import BACKUP_DIRNAME
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.encryption import integrity_problems, sidecar_files
from keyacct_desktop.store.db import Store, StoreLockedError, connect_encrypted, open_store

BACKUP_PREFIX = "keyacct-"
BACKUP_SUFFIX = ".sqlite3"
#: Damaged stores set aside by a restore; kept for forensics, never listed as backups.
DAMAGED_PREFIX = "damaged-"
_STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
_BACKUP_NAME = re.compile(rf"^{BACKUP_PREFIX}(\d{{8}}-\d{{6}}-\d{{6}}){re.escape(BACKUP_SUFFIX)}$")
#: Pages copied per step of the online backup; between steps progress and cancel are checked.
PAGES_PER_STEP = 256
#: Suffix of the clean-shutdown marker beside the store file (see :func:`mark_clean_shutdown`).
CLEAN_MARKER_SUFFIX = ".clean-shutdown"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: where it is, when it was taken (local time) and its size in bytes."""

    path: Path
    created_at: datetime
    size: int


class StoreDamagedError(UserError):
    """The store fails its integrity check; the way out is a restore from a backup."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        detail = "; ".join(problems[:3])
        super().__init__(
            "数据文件已损坏,可以从最近的完好备份恢复",
            f"the data file is damaged ({detail}); it can be restored from the last good backup",
        )
        self.path = path
        self.problems = problems


def backups_dir(data_dir: Path) -> Path:
    path = data_dir / BACKUP_DIRNAME
    path.mkdir(parents=True, exist_ok=True)
    return path


def list_backups(directory: Path) -> list[BackupInfo]:
    """The backups in ``directory``, newest first."""
    found = []
    if directory.is_dir():
        for path in directory.iterdir():
            match = _BACKUP_NAME.match(path.name)
            if match and path.is_file():
                taken = datetime.strptime(match.group(1), _STAMP_FORMAT)
                found.append(BackupInfo(path, taken, path.stat().st_size))
    return sorted(found, key=lambda info: info.created_at, reverse=True)


def _connect(path: Path, key: bytes | None) -> Any:
    if key is None:
        return sqlite3.connect(str(path), isolation_level=None)
    return connect_encrypted(path, key)


def check_file(path: Path, key: bytes | None, *, quick: bool = False) -> list[str]:
    """Integrity findings for a store or backup file; empty means healthy.

    A file that cannot be read at all (wrong key, not a database), or a healthy database
    that is not a KeyAcct store (an empty file is one to SQLite), is reported as a problem.
    """
    try:
        connection = _connect(path, key)
    except Exception as error:
        return [f"cannot open: {error}"]
    try:
        problems = integrity_problems(connection, quick=quick)
        if not problems and not _schema_versions(connection):
            problems = ["not a KeyAcct store (no schema version)"]
        return problems
    except Exception as error:  # sqlite3 and sqlcipher3 each raise their own DatabaseError
        return [str(error)]
    finally:
        connection.close()


def _schema_versions(connection: Any) -> list[str]:
    """The Alembic revisions recorded in a store; an empty or foreign database has none."""
    tables = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).fetchall()
    if not tables:
        return []
    return [row[0] for row in connection.execute("SELECT version_num FROM alembic_version")]


def prune_backups(directory: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` backups; returns the deleted files."""
    removed = []
    for info in list_backups(directory)[max(keep, 1) :]:
        info.path.unlink(missing_ok=True)
        removed.append(info.path)
    return removed


def create_backup(
    store: Store,
    directory: Path,
    *,
    keep: int,
    state: TaskState | None = None,
    now: datetime | None = None,
) -> BackupInfo:
    """Back the open store up into ``directory`` (online, consistent), then prune old backups."""
    directory.mkdir(parents=True, exist_ok=True)
    taken = now or datetime.now()
    final = directory / f"{BACKUP_PREFIX}{taken.strftime(_STAMP_FORMAT)}{BACKUP_SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    partial.unlink(missing_ok=True)

    def on_progress(_status: int, remaining: int, total: int) -> None:
        if state is not None:
            state.report(total - remaining, total, "")

    raw = store.engine.raw_connection()
    source = raw.driver_connection
    assert source is not None
    target = _connect(partial, store.key)
    try:
        source.backup(target, pages=PAGES_PER_STEP, progress=on_progress)
    except BaseException:
        target.close()
        partial.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    target.close()
    problems = check_file(partial, store.key, quick=True)
    if problems:
        partial.unlink(missing_ok=True)
        raise UserError(
            f"备份校验失败:{'; '.join(problems[:3])}",
            f"the backup failed its check: {'; '.join(problems[:3])}",
        )
    os.replace(partial, final)
    prune_backups(directory, keep)
    return BackupInfo(final, taken, final.stat().st_size)


def backup_is_due(directory: Path, interval: timedelta, now: datetime | None = None) -> bool:
    """Whether the newest backup is older than ``interval`` (or there is none)."""
    backups = list_backups(directory)
    return not backups or (now or datetime.now()) - backups[0].created_at >= interval


def auto_backup(
    store: Store, data_dir: Path, *, keep: int, interval_hours: int, force: bool = False
) -> BackupInfo | None:
    """Take a backup if one is due (``backup.interval_hours``); ``None`` if none was needed."""
    directory = backups_dir(data_dir)
    if interval_hours <= 0 and not force:
        return None
    if force or backup_is_due(directory, timedelta(hours=interval_hours)):
        return create_backup(store, directory, keep=keep)
    return None


def clean_marker(store_file: Path) -> Path:
    """Where the clean-shutdown marker of ``store_file`` lives."""
    return store_file.with_name(store_file.name + CLEAN_MARKER_SUFFIX)


def _fingerprint(store_file: Path) -> dict[str, int] | None:
    """What identifies the file as left at close; ``None`` if it is missing or has a WAL."""
    try:
        stat = store_file.stat()
    except FileNotFoundError:
        return None
    for sidecar in sidecar_files(store_file):
        if sidecar.name.endswith(("-wal", "-journal")) and sidecar.exists():
            if sidecar.stat().st_size > 0:
                return None  # uncheckpointed or unfinished writes: not a clean state
    return {"inode": stat.st_ino, "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def mark_clean_shutdown(store_file: Path) -> bool:
    """Record that the (closed) store was shut down cleanly; the next start may skip the check.

    Call only after the store's last connection is closed. Returns whether a marker was
    written (not when the file is missing or a WAL is left over).
    """
    fingerprint = _fingerprint(store_file)
    marker = clean_marker(store_file)
    if fingerprint is None:
        marker.unlink(missing_ok=True)
        return False
    partial = marker.with_name(marker.name + ".partial")
    partial.write_text(json.dumps(fingerprint), encoding="utf-8")
    os.replace(partial, marker)
    return True


def take_clean_shutdown_mark(store_file: Path) -> bool:
    """Whether the store was shut down cleanly and is unchanged since; the marker is consumed.

    The marker is removed whatever the answer, so a crash of the session now starting leaves
    none behind and the next start checks the file in full.
    """
    marker = clean_marker(store_file)
    try:
        recorded = json.loads(marker.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        recorded = None
    marker.unlink(missing_ok=True)
    return recorded is not None and recorded == _fingerprint(store_file)


class BackgroundCheck:
    """``PRAGMA quick_check`` of an open store on a thread of its own, gating its writes.

    A plain thread rather than a pool worker: writers (possibly pool workers) wait for it,
    so it must never queue behind them.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self.problems: list[str] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="store-check", daemon=True)

    def start(self) -> BackgroundCheck:
        self.store.write_gate = self.wait_until_healthy
        self._thread.start()
        return self

    def _run(self) -> None:
        problems: list[str] = []
        try:
            with self.store.engine.connect() as connection:
                problems = integrity_problems(connection.connection.driver_connection, quick=True)
        except Exception as error:  # any DatabaseError, a closed store: not healthy either
            problems = [str(getattr(error, "orig", None) or error)]
        finally:
            self.problems = problems
            if not problems and self.store.write_gate == self.wait_until_healthy:
                self.store.write_gate = None
            self._done.set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def wait(self, timeout: float | None = None) -> list[str]:
        """Wait for the result; the problems found (empty: healthy)."""
        self._done.wait(timeout)
        return self.problems

    def wait_until_healthy(self) -> None:
        """Block until the check is done; raise :class:`StoreDamagedError` if it failed."""
        if self.wait():
            raise StoreDamagedError(self.store.path, self.problems)


def open_checked_store(
    path: Path,
    key: bytes | None,
    *,
    trust_clean_shutdown: bool = False,
    on_phase: Callable[[str], None] | None = None,
) -> Store:
    """Open the store and run ``PRAGMA quick_check``; raise :class:`StoreDamagedError` if bad.

    With ``trust_clean_shutdown`` the check does not hold up the open when the previous
    session closed the store cleanly and the file is unchanged since
    (:func:`take_clean_shutdown_mark`): it runs as a :class:`BackgroundCheck` and writes wait
    for it (``store.write_gate``). Either way a pending marker is consumed: only the next clean
    close writes a new one. ``on_phase`` hears "upgrade" (a migration starts) and "check"
    (the integrity check runs before the open returns).
    """
    existed = path.exists() and path.stat().st_size > 0
    clean = take_clean_shutdown_mark(path) and existed
    try:
        store = open_store(path, key=key, on_phase=on_phase)
    except StoreLockedError:
        if key is None and existed:  # a plain file that is not a database: damaged
            raise StoreDamagedError(path, ["file is not a database"]) from None
        raise
    except exc.DatabaseError as error:  # damage found while migrating
        raise StoreDamagedError(path, [str(error.orig)]) from error
    if trust_clean_shutdown and clean:
        BackgroundCheck(store).start()
        return store
    if on_phase is not None and existed:
        on_phase("check")
    try:
        with store.engine.connect() as connection:
            problems = integrity_problems(connection.connection.driver_connection, quick=True)
    except Exception as error:  # SQLAlchemy's, sqlite3's or sqlcipher3's DatabaseError
        problems = [str(getattr(error, "orig", None) or error)]
    if problems:
        store.close()
        raise StoreDamagedError(path, problems)
    return store


def _set_aside(store_file: Path, directory: Path, now: datetime) -> Path | None:
    """Move the current store (and its WAL) into the backups folder under a ``damaged-`` name."""
    if not store_file.exists():
        return None
    aside = directory / f"{DAMAGED_PREFIX}{now.strftime(_STAMP_FORMAT)}{BACKUP_SUFFIX}"
    shutil.move(store_file, aside)
    for sidecar in sidecar_files(store_file):
        if sidecar.exists():
            shutil.move(sidecar, aside.with_name(aside.name + sidecar.name[len(store_file.name) :]))
    return aside


def restore_backup(
    backup_file: Path, store_file: Path, key: bytes | None, *, now: datetime | None = None
) -> Path | None:
    """Put ``backup_file`` in place of the (closed) store; the old store is set aside.

    The backup is checked first (full ``integrity_check`` under ``key``), so a bad backup
    never replaces anything. Returns where the previous store was moved, if there was one.
    """
    problems = check_file(backup_file, key)
    if problems:
        raise unusable_backup(backup_file, problems)
    return put_backup_in_place(backup_file, store_file, now=now)


def unusable_backup(backup_file: Path, problems: list[str]) -> UserError:
    """The error of a backup that failed its integrity check (the first problems named)."""
    return UserError(
        f"备份 {backup_file.name} 无法使用:{'; '.join(problems[:3])}",
        f"backup {backup_file.name} cannot be used: {'; '.join(problems[:3])}",
    )


def put_backup_in_place(
    backup_file: Path, store_file: Path, *, now: datetime | None = None
) -> Path | None:
    """The second half of :func:`restore_backup`, for a backup already checked (the GUI checks
    on a worker, then swaps the closed store's file on its own thread): copy, fsync, set the
    old store aside, rename into place. Returns where the previous store was moved."""
    directory = backups_dir(store_file.parent)
    clean_marker(store_file).unlink(missing_ok=True)
    incoming = store_file.with_name(store_file.name + ".restoring")
    shutil.copyfile(backup_file, incoming)
    with open(incoming, "rb") as handle:
        os.fsync(handle.fileno())
    aside = _set_aside(store_file, directory, now or datetime.now())
    os.replace(incoming, store_file)
    return aside


def restore_last_good_backup(
    store_file: Path,
    key: bytes | None,
    *,
    on_skip: Callable[[BackupInfo, list[str]], None] | None = None,
) -> BackupInfo:
    """Restore the newest backup that passes ``integrity_check``; raise if there is none."""
    for info in list_backups(backups_dir(store_file.parent)):
        problems = check_file(info.path, key)
        if not problems:
            restore_backup(info.path, store_file, key)
            return info
        if on_skip is not None:
            on_skip(info, problems)
    raise UserError(
        "没有可用的完好备份;请联系管理员,或退出登录后从服务器重新同步",
        "there is no usable backup; contact your administrator, or sign out and sync again",
    )
