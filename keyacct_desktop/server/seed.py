"""``keyacct-server demo``: fill an empty server database with realistic data at scale.

For load tests, sizing and demonstrations: grids (one manager each), parks, customers with
contacts and power sources, a year of visits, referrals with their events — the same
generators as the desktop's demo store (:mod:`keyacct_desktop.demo`), written straight into
the server's row store, as if every device had pushed them. Every manager gets an account
(``manager1`` … ``managerM``) and there is a ``supervisor`` account, all with one password.

It works in slices of customers (each slice generated, encoded and written, then dropped),
so memory stays flat at a million customers; on PostgreSQL rows go in with ``COPY``. Versions
are handed out from the ``change`` counter exactly as pushes do, so devices then sync from
this database like from any other.
"""

from __future__ import annotations

import json
import random
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, insert, select, update

from keyacct_desktop.demo import (
    DEFAULT_SEED,
    demo_customers,
    demo_people,
    demo_requests,
    demo_visits,
)
from keyacct_desktop.protocol.codec import columns, to_wire
from keyacct_desktop.server import accounts
from keyacct_desktop.server.models import Account, Counter, SyncRow
from keyacct_desktop.store.base import utcnow

#: Customers generated and written per slice (with their contacts, sources, visits, …).
SLICE = 5_000

Progress = Callable[[str, int, int], None]


class SeedError(ValueError):
    """The database cannot be seeded as asked (not empty, bad numbers)."""


@dataclass(frozen=True)
class SeedSummary:
    customers: int
    managers: int
    rows: int


def _wire(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A generated row as the JSON document the server stores (bookkeeping columns dropped)."""
    return {key: to_wire(row.get(key)) for key in columns(table)}


def _records(
    table: str,
    rows: list[dict[str, Any]],
    customer_of: Callable[[dict[str, Any]], uuid.UUID | None],
) -> Iterator[
    tuple[str, uuid.UUID, uuid.UUID | None, uuid.UUID | None, uuid.UUID | None, dict[str, Any]]
]:
    """``(table, id, customer, grid, manager, document)`` for each row of ``table``."""
    for row in rows:
        grid = row.get("grid_id") if table == "customer" else None
        manager = row.get("manager_id") if table == "grid" else None
        yield (
            table,
            row["id"],
            customer_of(row),
            grid,
            manager,
            _wire(table, row),
        )


def _no_customer(_row: dict[str, Any]) -> None:
    return None


def _own_customer(row: dict[str, Any]) -> uuid.UUID:
    return row["customer_id"]


class _Writer:
    """Writes sync rows with consecutive versions: ``COPY`` on PostgreSQL, executemany else."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.postgres = engine.dialect.name == "postgresql"
        self.written = 0

    def write(self, records: list[tuple[Any, ...]]) -> None:
        if not records:
            return
        now = utcnow()
        with self.engine.begin() as connection:
            # Take a block of versions the way pushes do (one counter bump, row-locked).
            last = connection.execute(
                update(Counter)
                .where(Counter.name == "change")
                .values(value=Counter.value + len(records))
                .returning(Counter.value)
            ).scalar_one()
            first = last - len(records) + 1
            if self.postgres:
                raw = connection.connection.driver_connection
                with (
                    raw.cursor() as cursor,  # type: ignore[union-attr]
                    cursor.copy(
                        "COPY sync_row (table_name, row_id, version, customer_id, grid_id,"
                        " manager_id, deleted, data, updated_at) FROM STDIN"
                    ) as copy,
                ):
                    for offset, (table, row_id, customer, grid, manager, data) in enumerate(
                        records
                    ):
                        copy.write_row(
                            (
                                table,
                                row_id,
                                first + offset,
                                customer,
                                grid,
                                manager,
                                False,
                                json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                                now,
                            )
                        )
            else:
                connection.execute(
                    insert(SyncRow),
                    [
                        {
                            "table_name": table,
                            "row_id": row_id,
                            "version": first + offset,
                            "customer_id": customer,
                            "grid_id": grid,
                            "manager_id": manager,
                            "deleted": False,
                            "data": data,
                            "updated_at": now,
                        }
                        for offset, (table, row_id, customer, grid, manager, data) in enumerate(
                            records
                        )
                    ],
                )
        self.written += len(records)


def seed_server(
    engine: Engine,
    customers: int,
    managers: int,
    password: str,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Progress | None = None,
    referrals: int = 0,
) -> SeedSummary:
    """Fill an empty server database; raises :class:`SeedError` if it holds customers.

    ``referrals``: at least this many referrals in all; those the visits do not raise are
    complaints and phoned-in demands without a visit (:func:`demo_requests`), spread evenly
    over the slices.
    """
    if customers < 0 or managers < 1:
        raise SeedError("--customers must be >= 0 and --managers >= 1")
    if len(password) < 8:
        raise SeedError("the password must have at least 8 characters")
    with engine.connect() as connection:
        if connection.scalar(select(func.count()).select_from(Account)):
            raise SeedError("the database already has accounts: seed an empty database")
        if connection.scalar(
            select(SyncRow.row_id).where(SyncRow.table_name == "customer").limit(1)
        ):
            raise SeedError("the database already has customers: seed an empty database")
    report = progress or (lambda _stage, _done, _total: None)
    rng = random.Random(seed)
    today = today or date.today()
    now = utcnow()
    stamp = {"version": 0, "created_at": now, "updated_at": now}
    users, parks, grids = demo_people(rng, managers, stamp)
    writer = _Writer(engine)

    # Accounts: one Argon2 hash for everyone (hashing 3,000 passwords would take minutes).
    hashed = accounts.hash_password(password)
    with engine.begin() as connection:
        connection.execute(
            insert(Account),
            [
                {
                    "id": uuid.uuid4(),
                    "user_id": user["id"],
                    "username": user["username"],
                    "display_name": user["display_name"],
                    "role": user["role"],
                    "password_hash": hashed,
                    "active": True,
                    "created_at": now,
                }
                for user in users
            ],
        )
        connection.execute(
            update(Counter).where(Counter.name == "access").values(value=Counter.value + 1)
        )
    writer.write(
        [
            *_records("user", users, _no_customer),
            *_records("park", parks, _no_customer),
            *_records("grid", grids, _no_customer),
        ]
    )
    report("customers", 0, customers)
    done = 0
    referred = 0
    while done < customers:
        count = min(SLICE, customers - done)
        rows, contacts, sources = demo_customers(
            rng, count, users, parks, grids, today, seed, stamp, first_index=done
        )
        visits, raised, events = demo_visits(rng, rows, users, today, stamp)
        wanted = referrals * (done + count) // customers - referred if customers else 0
        requests, opened = demo_requests(rng, rows, max(0, wanted - len(raised)), today, stamp)
        raised += requests
        events += opened
        referred += len(raised)
        customer_of_referral: dict[Any, uuid.UUID] = {r["id"]: r["customer_id"] for r in raised}

        def referral_customer(
            row: dict[str, Any], parents: dict[Any, uuid.UUID] = customer_of_referral
        ) -> uuid.UUID:
            return parents[row["referral_id"]]

        writer.write(
            [
                *_records("customer", rows, lambda row: row["id"]),
                *_records("contact", contacts, _own_customer),
                *_records("power_source", sources, _own_customer),
                *_records("visit", visits, _own_customer),
                *_records("referral", raised, _own_customer),
                *_records(
                    "referral_event",
                    events,
                    referral_customer,
                ),
            ]
        )
        done += count
        report("customers", done, customers)
    if writer.postgres:
        # Statistics for the planner and a visibility map for index-only scans (pulls read
        # versions from the (customer_id, version) index); VACUUM runs outside a transaction.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("VACUUM (ANALYZE) sync_row")
    return SeedSummary(customers, managers, writer.written)
