"""A child process for the kill -9 tests: edits the store the way the app does, forever.

Each round is three user actions, each one transaction, as services do it:

1. autosave a draft of the customer being typed (``Draft`` row ``customer:<n>``);
2. save the customer and drop its draft, in the same transaction;
3. log a visit to that customer.

After each commit returns, the worker prints ``draft <n>``, ``saved <n>`` or ``visit <n>``
and flushes, so
the parent knows what was committed before it kills the process at a random moment.
Usage: ``python -m tests.crash_worker STORE_FILE KEY_HEX [MODE]`` (empty key: a plain store).
Other modes: ``backup`` takes backups in a loop (printing ``backup <n>``); ``encrypt``
encrypts the plain store once (``start``, then ``done``).
"""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, func, select

from keyacct_desktop.backup import backups_dir, create_backup, open_checked_store
from keyacct_desktop.security.encryption import encrypt_plain_store
from keyacct_desktop.store.local import Draft
from keyacct_desktop.store.models import Customer, Visit


def account_no(number: int) -> str:
    return f"K{number:07d}"


def main(store_file: str, key_hex: str) -> None:
    store = open_checked_store(Path(store_file), bytes.fromhex(key_hex) if key_hex else None)
    with store.read() as session:
        number = int(session.scalar(select(func.count()).select_from(Customer)) or 0)
        number += int(session.scalar(select(func.count()).select_from(Draft)) or 0)
    while True:
        name = f"崩溃测试客户{number}有限公司"
        with store.begin() as session:
            session.merge(Draft(key=f"customer:{number}", kind="customer", payload={"name": name}))
        print(f"draft {number}", flush=True)
        customer = Customer(account_no=account_no(number), name=name, status="active")
        with store.begin() as session:
            session.add(customer)
            session.execute(delete(Draft).where(Draft.key == f"customer:{number}"))
        print(f"saved {number}", flush=True)
        with store.begin() as session:
            session.add(Visit(customer_id=customer.id, started_at=datetime(2026, 11, 20, 9, 30)))
        print(f"visit {number}", flush=True)
        number += 1


def back_up_forever(store_file: str, key_hex: str) -> None:
    store = open_checked_store(Path(store_file), bytes.fromhex(key_hex) if key_hex else None)
    number = 0
    while True:
        create_backup(store, backups_dir(Path(store_file).parent), keep=3)
        print(f"backup {number}", flush=True)
        number += 1


def encrypt_once(store_file: str, key_hex: str) -> None:
    print("start", flush=True)
    encrypt_plain_store(Path(store_file), bytes.fromhex(key_hex))
    print("done", flush=True)


if __name__ == "__main__":
    mode = sys.argv[3] if len(sys.argv) > 3 else "edit"
    {"edit": main, "backup": back_up_forever, "encrypt": encrypt_once}[mode](
        sys.argv[1], sys.argv[2]
    )
