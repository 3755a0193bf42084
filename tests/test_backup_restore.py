"""Rotating backups, restore, and recovery from a damaged store — library and command line."""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from pathlib import Path

import keyring.backends.fail
import pytest
from sqlalchemy import func, select

from keyacct_desktop.backup import (
    DAMAGED_PREFIX,
    StoreDamagedError,
    auto_backup,
    backup_is_due,
    backups_dir,
    check_file,
    create_backup,
    list_backups,
    open_checked_store,
    restore_backup,
    restore_last_good_backup,
)
from keyacct_desktop.cli import main
from keyacct_desktop.context import AppContext
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.paths import store_path
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.security.keys import PASSPHRASE_ENV
from keyacct_desktop.store.db import Store, open_store
from keyacct_desktop.store.models import Customer, Park
from tests.security_helpers import PASSPHRASE, set_up_keys

T0 = datetime(2026, 11, 20, 8, 30)


def _customers(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def _add_park(store: Store, name: str) -> None:
    with store.begin() as session:
        session.add(Park(name=name))


def _damage(path: Path) -> None:
    """Overwrite the middle of a store file, where table pages live."""
    size = path.stat().st_size
    with open(path, "r+b") as handle:
        handle.seek(size // 2)
        handle.write(b"\xa5" * 8192)


def test_backups_rotate_and_list_newest_first(store: Store, data_dir: Path) -> None:
    directory = backups_dir(data_dir)
    for hour in range(5):
        create_backup(store, directory, keep=3, now=T0 + timedelta(hours=hour))
    backups = list_backups(directory)
    assert [b.created_at for b in backups] == [T0 + timedelta(hours=h) for h in (4, 3, 2)]
    assert all(check_file(b.path, None) == [] for b in backups)
    assert not list(directory.glob("*.partial"))
    assert backup_is_due(directory, timedelta(hours=24), now=T0 + timedelta(hours=30))
    assert not backup_is_due(directory, timedelta(hours=24), now=T0 + timedelta(hours=5))


def test_automatic_backup_only_when_due(store: Store, data_dir: Path) -> None:
    assert auto_backup(store, data_dir, keep=5, interval_hours=24) is not None
    assert auto_backup(store, data_dir, keep=5, interval_hours=24) is None
    assert auto_backup(store, data_dir, keep=5, interval_hours=0) is None
    assert auto_backup(store, data_dir, keep=5, interval_hours=24, force=True) is not None
    assert len(list_backups(backups_dir(data_dir))) == 2


def test_backup_reports_progress_and_can_be_cancelled(store: Store, data_dir: Path) -> None:
    generate_demo(store, customers=60, seed=5)
    reports = []
    create_backup(store, backups_dir(data_dir), keep=3, state=TaskState(reports.append))
    assert reports and reports[-1].done == reports[-1].total > 0
    state = TaskState()
    state.cancel()
    with pytest.raises(Cancelled):
        create_backup(store, backups_dir(data_dir), keep=3, state=state, now=T0)
    assert len(list_backups(backups_dir(data_dir))) == 1
    assert not list(backups_dir(data_dir).glob("*.partial"))


def test_encrypted_backups_need_the_key_and_restore_what_was_saved(data_dir: Path) -> None:
    _keys, key = set_up_keys(data_dir)
    store_file = store_path(data_dir)
    store = open_store(store_file, key=key)
    generate_demo(store, customers=10, seed=4)
    backup = create_backup(store, backups_dir(data_dir), keep=3)
    _add_park(store, "备份之后新建的园区")
    store.close()

    assert b"SQLite format 3" not in backup.path.read_bytes()
    assert check_file(backup.path, None) != []
    with pytest.raises(UserError, match="cannot be used"):
        restore_backup(backup.path, store_file, bytes(32))

    aside = restore_backup(backup.path, store_file, key)
    assert aside is not None and aside.name.startswith(DAMAGED_PREFIX)
    restored = open_checked_store(store_file, key)
    with restored.read() as session:
        assert "备份之后新建的园区" not in set(session.scalars(select(Park.name)))
    assert _customers(restored) == 10
    restored.close()
    # The replaced store was set aside, not deleted, and is not offered as a backup.
    assert aside.exists()
    assert [b.path for b in list_backups(backups_dir(data_dir))] == [backup.path]


def test_damaged_store_is_detected_and_the_last_good_backup_restored(data_dir: Path) -> None:
    store_file = store_path(data_dir)
    store = open_store(store_file)
    generate_demo(store, customers=40, seed=9)
    directory = backups_dir(data_dir)
    good = create_backup(store, directory, keep=5, now=T0)
    newest = create_backup(store, directory, keep=5, now=T0 + timedelta(hours=1))
    store.close()
    _damage(newest.path)
    _damage(store_file)

    with pytest.raises(StoreDamagedError) as damaged:
        AppContext.open(data_dir)
    assert "从最近的完好备份恢复" in damaged.value.message_zh

    skipped: list[str] = []
    restored = restore_last_good_backup(
        store_file, None, on_skip=lambda i, _p: skipped.append(i.path.name)
    )
    assert restored.path == good.path
    assert skipped == [newest.path.name]
    ctx = AppContext.open(data_dir)
    assert _customers(ctx.store) == 40
    ctx.close()
    assert len(list(directory.glob(f"{DAMAGED_PREFIX}*"))) == 1


def test_a_store_file_that_is_not_a_database_is_reported_as_damaged(data_dir: Path) -> None:
    store_path(data_dir).write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreDamagedError):
        open_checked_store(store_path(data_dir), None)
    with pytest.raises(UserError, match="no usable backup"):
        restore_last_good_backup(store_path(data_dir), None)


def test_cli_backup_list_and_restore(
    data_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(keyring, "get_keyring", lambda: keyring.backends.fail.Keyring())
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    _keys, key = set_up_keys(data_dir)
    store = open_store(store_path(data_dir), key=key)
    generate_demo(store, customers=8, seed=1)
    store.close()
    dir_args = ["--data-dir", str(data_dir)]

    assert main([*dir_args, "backup", "--list"]) == 0
    assert "no backups yet" in capsys.readouterr().out
    assert main([*dir_args, "backup"]) == 0
    assert "backed up" in capsys.readouterr().out
    assert main([*dir_args, "backup", "--list"]) == 0
    listing = capsys.readouterr().out
    (backup,) = list_backups(backups_dir(data_dir))
    assert str(backup.path) in listing

    store = open_store(store_path(data_dir), key=key)
    _add_park(store, "备份之后新建的园区")
    store.close()
    assert main([*dir_args, "restore"]) == 2  # no terminal to confirm in, no --yes
    assert "--yes" in capsys.readouterr().err
    assert main([*dir_args, "restore", "--yes"]) == 0
    assert backup.path.name in capsys.readouterr().out
    store = open_store(store_path(data_dir), key=key)
    with store.read() as session:
        assert "备份之后新建的园区" not in set(session.scalars(select(Park.name)))
    store.close()
    assert main([*dir_args, "restore", "--yes", str(data_dir / "missing.sqlite3")]) == 2
    assert "not found" in capsys.readouterr().err
    assert main([*dir_args, "restore", "--yes", str(backup.path)]) == 0
