"""kill -9 the app while it syncs, many times: nothing committed is lost or duplicated."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Park
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import sync_once
from keyacct_desktop.sync.state import pending_count
from tests.sync_helpers import Device, ServerProcess

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[ServerProcess]:
    database = f"sqlite:///{tmp_path_factory.mktemp('server') / 'server.sqlite3'}"
    process = ServerProcess(database)
    process.create_user("super", "supervisor")
    process.start()
    yield process
    process.stop()


def test_kill_9_while_syncing_loses_and_duplicates_nothing(
    server: ServerProcess, tmp_path: Path
) -> None:
    laptop = Device.sign_in(server, tmp_path, "laptop", "super")
    store_file, token = laptop.store.path, laptop.api.token
    laptop.close()
    prefix = f"断电园区-{uuid.uuid4().hex[:6]}"
    rng = random.Random(20261123)
    saved: set[str] = set()
    for _round in range(8):
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.sync_crash_worker",
                str(store_file),
                server.url,
                token,
                prefix,
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert worker.stdout is not None
        for _line in range(rng.randint(2, 9)):
            line = worker.stdout.readline()
            assert line, worker.stderr.read() if worker.stderr else "worker died"
            kind, number = line.split()
            if kind == "saved":
                saved.add(f"{prefix}-{int(number):04d}")
        os.kill(worker.pid, signal.SIGKILL)  # mid-edit, mid-push or mid-pull
        worker.wait(10)
        worker.stdout.close()
        if worker.stderr is not None:
            worker.stderr.close()

    store = open_store(store_file)
    with store.read() as session:
        local = list(session.scalars(select(Park.name).where(Park.name.startswith(prefix))))
    assert saved <= set(local) and len(local) == len(set(local))
    api = ServerApi(server.url, token)  # the app restarts with the same device token
    try:
        sync_once(store, api)
    finally:
        api.close()
    assert pending_count(store) == 0

    office = Device.sign_in(server, tmp_path, "office", "super")
    office.sync()
    with office.store.read() as session:
        names = list(session.scalars(select(Park.name).where(Park.name.startswith(prefix))))
    assert sorted(names) == sorted(local)  # every committed edit reached the server, once
    office.close()
    store.close()
