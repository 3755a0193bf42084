"""A child process for the kill -9 sync test: edit, sync, edit, sync … until killed.

Usage: ``python -m tests.sync_crash_worker STORE_FILE SERVER_URL TOKEN PREFIX``. After each
committed edit it prints ``saved <n>``, after each finished sync ``synced <n>``, flushing, so
the parent knows what had been committed when it kills the process at a random moment.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import func, select

from keyacct_desktop.store.db import open_store
from keyacct_desktop.store.models import Park
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import sync_once


def main(store_file: str, url: str, token: str, prefix: str) -> None:
    store = open_store(Path(store_file))
    api = ServerApi(url, token)
    with store.read() as session:
        number = session.scalar(
            select(func.count()).select_from(Park).where(Park.name.startswith(prefix))
        )
    while True:
        number += 1
        with store.begin() as session:
            session.add(Park(name=f"{prefix}-{number:04d}", note="断电测试 " * 20))
        print(f"saved {number}", flush=True)
        if number % 2 == 0:  # several edits per push, as in the field
            sync_once(store, api)
            print(f"synced {number}", flush=True)


if __name__ == "__main__":
    main(*sys.argv[1:5])
