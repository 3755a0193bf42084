"""Crash safety: kill -9 a real process at random moments while it edits the encrypted store.

After every kill the store must open, pass ``integrity_check``, hold every customer and visit
whose commit was reported, hold none twice, keep a change-log entry per record, and give back
the draft of any record that was being typed when the process died. Backups and the
plain → encrypted migration are killed too: what is left is always usable and complete.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from keyacct_desktop.backup import backups_dir, check_file, list_backups, open_checked_store
from keyacct_desktop.demo import generate_demo
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.encryption import is_plain_sqlite, table_row_counts
from keyacct_desktop.store.db import connect_encrypted, open_store
from keyacct_desktop.store.local import Draft, PendingChange
from keyacct_desktop.store.models import Customer, Visit
from tests.crash_worker import account_no

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
KEY = bytes(range(32))


def _run_and_kill(
    store_file: Path, rng: random.Random, mode: str = "edit", key: bytes = KEY, most: int = 12
) -> list[str]:
    """Start the worker, let it report a random number of steps, kill -9 it mid-work."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "tests.crash_worker", str(store_file), key.hex(), mode],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert worker.stdout is not None and worker.stderr is not None
    lines: list[str] = []
    try:
        for _ in range(rng.randint(1, most)):
            line = worker.stdout.readline()
            if not line:
                pytest.fail(f"worker stopped by itself: {worker.stderr.read()}")
            lines.append(line.strip())
    finally:
        worker.kill()  # SIGKILL: no atexit, no rollback, no flush of anything unwritten
        worker.wait()
    lines += [line.strip() for line in worker.stdout.read().splitlines() if line.strip()]
    worker.stdout.close()
    worker.stderr.close()
    return lines


@pytest.mark.slow
def test_kill_9_while_editing_loses_nothing_duplicates_nothing_and_keeps_drafts(
    data_dir: Path,
) -> None:
    store_file = store_path(data_dir)
    open_store(store_file, key=KEY).close()  # schema in place before the first kill
    rng = random.Random(7)
    reported: dict[str, set[int]] = {"draft": set(), "saved": set(), "visit": set()}
    for _ in range(KILLS):
        for line in _run_and_kill(store_file, rng):
            event, number = line.split()
            reported[event].add(int(number))
        assert check_file(store_file, KEY, quick=True) == []

    assert check_file(store_file, KEY) == []
    store = open_checked_store(store_file, KEY)
    with store.read() as session:
        accounts = list(session.scalars(select(Customer.account_no)))
        drafts = {key for key in session.scalars(select(Draft.key))}
        visited = list(
            session.scalars(
                select(Customer.account_no).join(Visit, Visit.customer_id == Customer.id)
            )
        )
        logged = session.scalar(select(func.count()).select_from(PendingChange))
    store.close()
    saved, drafted = reported["saved"], reported["draft"]

    assert saved, "the worker never got to save anything"
    assert len(accounts) == len(set(accounts)), "a customer was saved twice"
    assert {account_no(n) for n in saved} <= set(accounts), "a reported commit was lost"
    assert len(visited) == len(set(visited)), "a visit was logged twice"
    assert {account_no(n) for n in reported["visit"]} <= set(visited), "a reported visit was lost"
    assert logged == len(accounts) + len(visited), "an edit lost its change-log entry (or got two)"
    for number in drafted - saved:
        in_store = account_no(number) in accounts
        has_draft = f"customer:{number}" in drafts
        assert in_store != has_draft, f"customer {number}: saved={in_store}, draft={has_draft}"
    for number in saved:
        assert f"customer:{number}" not in drafts, "a saved customer kept its draft"


def test_kill_9_while_backing_up_leaves_store_and_backups_usable(data_dir: Path) -> None:
    store_file = store_path(data_dir)
    store = open_store(store_file, key=KEY)
    generate_demo(store, customers=40, seed=3)
    store.close()
    rng = random.Random(11)
    for _ in range(4):
        _run_and_kill(store_file, rng, mode="backup", most=3)
    assert check_file(store_file, KEY) == []
    backups = list_backups(backups_dir(data_dir))
    assert 1 <= len(backups) <= 3
    assert all(check_file(info.path, KEY) == [] for info in backups)


def test_kill_9_while_encrypting_leaves_either_store_complete(data_dir: Path) -> None:
    plain_file = data_dir / "plain.sqlite3"
    plain = open_store(plain_file)
    generate_demo(plain, customers=150, seed=4)
    plain.close()
    expected = check_file(plain_file, None), _row_counts(plain_file, None)
    rng = random.Random(5)
    outcomes = set()
    for attempt in range(4):
        store_file = data_dir / f"attempt{attempt}" / "keyacct.sqlite3"
        store_file.parent.mkdir()
        shutil.copyfile(plain_file, store_file)
        # The last attempt runs to the end, so both outcomes are seen.
        lines = _run_and_kill(store_file, rng, mode="encrypt", most=2 if attempt == 3 else 1)
        key = None if is_plain_sqlite(store_file) else KEY
        outcomes.add("plain" if key is None else "encrypted")
        assert (check_file(store_file, key), _row_counts(store_file, key)) == expected, lines
    assert "encrypted" in outcomes


def _row_counts(store_file: Path, key: bytes | None) -> dict[str, int]:
    connection = connect_encrypted(store_file, key) if key else sqlite3.connect(store_file)
    try:
        return table_row_counts(connection)
    finally:
        connection.close()
