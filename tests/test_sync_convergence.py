"""Property: any interleaving of offline edits and syncs on two or three devices converges.

Hypothesis draws a sequence of steps — a device edits a field of a customer or contact while
offline, or a device syncs — then every device syncs until quiet. Afterwards:

* all devices hold identical records (customers, contacts and conflict records);
* no value was lost silently: every value a device pushed is the final value, or was
  deliberately overwritten by a device that had already seen it (it was that edit's merge
  base), or is kept as the losing value of a conflict record.

The same property runs against an embedded-SQLite server and a PostgreSQL server.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from keyacct_desktop.store.models import Contact, Customer, Grid, Park, SyncConflict
from tests.sync_helpers import Device, ServerProcess

pytestmark = pytest.mark.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)

#: Fields the steps edit: text fields and a number, on customers and on a contact.
CUSTOMER_FIELDS = ("name", "notes", "address", "capacity_kva")
CONTACT_FIELDS = ("mobile", "title")
USERS = ("super", "super2", "wang")


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("super", "supervisor")
    process.create_user("super2", "supervisor")
    process.create_user("wang", "manager")
    process.start()
    yield process
    process.stop()


edit_step = st.tuples(
    st.just("edit"),
    st.integers(0, 2),  # device
    st.integers(0, 1),  # customer
    st.sampled_from(
        [("customer", f) for f in CUSTOMER_FIELDS] + [("contact", f) for f in CONTACT_FIELDS]
    ),
)
sync_step = st.tuples(st.just("sync"), st.integers(0, 2))
scenario = st.tuples(
    st.integers(2, 3),  # devices taking part
    st.lists(st.one_of(edit_step, edit_step, sync_step), min_size=4, max_size=22),
)


def _value(table: str, field: str, step: int, device: int) -> Any:
    """A value nobody else writes, so each pushed value can be traced to its fate."""
    if field == "capacity_kva":
        return float(1000 + step * 10 + device)
    if field == "mobile":
        return f"13{device}{step:08d}"[:11]
    return f"{table}.{field}-d{device}-s{step}"


def _traced(value: Any) -> str:
    """A value's identity in the traces: numbers by value, since a JSON number read back from
    the device store's JSON columns (NUMERIC affinity in SQLite) may come back as 1041 for
    1041.0; restoring it goes through the column's decoder and yields 1041.0 again."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return repr(float(value))
    return repr(value)


def _converged_view(device: Device, customer_ids: set[uuid.UUID]) -> dict[str, Any]:
    return {
        key: value
        for key, value in device.snapshot(customer_ids).items()
        if key.split(":")[0] in ("customer", "contact", "sync_conflict")
    }


@settings(
    max_examples=8,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(case=scenario)
def test_random_offline_edits_converge_and_lose_nothing(server: ServerProcess, case) -> None:
    device_count, steps = case
    with tempfile.TemporaryDirectory() as folder:
        devices = [
            Device.sign_in(server, Path(folder), f"d{n}", USERS[n]) for n in range(device_count)
        ]
        pushed: list[tuple[str, str, str, Any]] = []  # (table, id, field, value)
        seen: set[tuple[str, str, str, str]] = set()  # values an edit was based on

        def record(ops: list[dict[str, Any]], _results: list[dict[str, Any]]) -> None:
            for op in ops:
                for field, value in op["fields"].items():
                    pushed.append((op["table"], op["id"], field, value))
                for field, value in op["base"].items():
                    seen.add((op["table"], op["id"], field, _traced(value)))

        try:
            first = devices[0]
            first.sync()  # user records first: the grid refers to its manager
            wang = next((d for d in devices if d.name == "d2"), None)
            suffix = uuid.uuid4().hex[:8]
            park = Park(name=f"属性园区-{suffix}")
            grid = Grid(name=f"属性网格-{suffix}", manager_id=wang.user_id if wang else None)
            customers = [
                Customer(
                    account_no=f"P{suffix}{n}", name=f"属性测试{n}号有限公司", park=park, grid=grid
                )
                for n in range(2)
            ]
            for customer in customers:
                customer.contacts.append(Contact(name="联系人", mobile="13800138000"))
            with first.store.begin() as session:
                session.add_all([park, grid, *customers])
            first.sync()
            for device in devices:
                device.sync()
                device.on_push = record
            customer_ids = {c.id for c in customers}
            contact_ids = [c.contacts[0].id for c in customers]

            for number, step in enumerate(steps):
                if step[0] == "sync":
                    devices[step[1] % device_count].sync()
                    continue
                _kind, device_no, customer_no, (table, field) = step
                device = devices[device_no % device_count]
                value = _value(table, field, number, device_no % device_count)
                with device.store.begin() as session:
                    model, row_id = (
                        (Customer, customers[customer_no].id)
                        if table == "customer"
                        else (Contact, contact_ids[customer_no])
                    )
                    setattr(session.get(model, row_id), field, value)

            for _round in range(3):  # everyone syncs until nothing moves
                for device in devices:
                    device.sync()
            views = [_converged_view(device, customer_ids) for device in devices]
            for other in views[1:]:
                assert other == views[0]

            with first.store.read() as session:
                final = {
                    (table, str(row_id), field): getattr(session.get(model, row_id), field)
                    for table, model, ids, fields in (
                        ("customer", Customer, [c.id for c in customers], CUSTOMER_FIELDS),
                        ("contact", Contact, contact_ids, CONTACT_FIELDS),
                    )
                    for row_id in ids
                    for field in fields
                }
                lost = {
                    (c.table_name, str(c.row_id), c.field_name, _traced(c.lost_value))
                    for c in session.scalars(select(SyncConflict))
                }
            for table, row_id, field, value in pushed:
                key = (table, row_id, field)
                if key not in final:
                    continue  # bookkeeping fields of the insert
                trace = (table, row_id, field, _traced(value))
                assert value == final[key] or trace in seen or trace in lost, (
                    f"{trace} vanished without a conflict record"
                )
        finally:
            for device in devices:
                device.close()
