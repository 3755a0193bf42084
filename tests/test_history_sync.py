"""Monthly figures and arrears actions travel through a real server: two laptops that import the
same month offline end up with one row per customer and month, and a re-import after sync
changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from keyacct_desktop.services.monthly_history import (
    apply_monthly_import,
    customer_history,
    plan_monthly_import,
)
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import ArrearsAction, Customer, CustomerMonth, Grid
from keyacct_desktop.sync.state import pending_count
from tests.sync_helpers import Device, ServerProcess

#: Against an embedded SQLite server and against PostgreSQL, with the server's integrity rules.
pytestmark = pytest.mark.parametrize(
    "server_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


@pytest.fixture
def world(tmp_path: Path, server_database: str) -> Iterator[dict[str, object]]:
    process = ServerProcess(server_database)
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.create_user("li", "manager")
    process.start()
    office = Device.sign_in(process, tmp_path, "office", "super")
    laptop = Device.sign_in(process, tmp_path, "wang-laptop", "wang")
    tablet = Device.sign_in(process, tmp_path, "wang-tablet", "wang")
    li = Device.sign_in(process, tmp_path, "li-laptop", "li")
    office.sync()
    grid = Grid(name="王的网格", manager_id=laptop.user_id)
    customers = [
        Customer(account_no=f"310000000{n}", name=f"客户{n}", grid=grid, capacity_kva=1000.0)
        for n in range(3)
    ]
    with office.store.begin() as session:
        session.add_all([grid, *customers])
    office.sync()
    for device in (laptop, tablet, li):
        device.sync()
    yield {
        "laptop": laptop,
        "tablet": tablet,
        "li": li,
        "customers": [c.id for c in customers],
    }
    for device in (office, laptop, tablet, li):
        device.close()
    process.stop()


def months_file(folder: Path) -> Path:
    path = folder / "export-2026-10.csv"
    path.write_text(
        "户号,电费年月,总电量,应收电费,最大需量,欠费金额\n"
        "3100000000,2026-09,1000,700,400,0\n"
        "3100000000,2026-10,1100,770,420,0\n"
        "3100000001,2026-10,2000,1400,800,300\n"
        "3100000002,2026-10,3000,2100,900,0\n",
        encoding="utf-8",
    )
    return path


def import_file(device: Device, path: Path) -> tuple[int, int, int]:
    plan = plan_monthly_import(device.store, path)
    result = apply_monthly_import(device.store, plan, valid_only=False)
    return result.inserted, result.updated, result.unchanged


def test_the_same_month_imported_on_two_laptops_is_one_row(world, tmp_path: Path) -> None:
    laptop, tablet, li = world["laptop"], world["tablet"], world["li"]
    path = months_file(tmp_path)
    assert import_file(laptop, path) == (4, 0, 0)
    assert import_file(tablet, path) == (4, 0, 0)  # offline, before any sync
    with tablet.store.begin() as session:
        session.add(
            ArrearsAction(
                customer_id=world["customers"][1],
                kind="instalment",
                done_on=date(2026, 11, 5),
                amount_yuan=300.0,
                instalments=[{"due_on": "2026-11-30", "amount": 300.0, "paid_on": None}],
            )
        )
    for device in (laptop, tablet, laptop):
        report = device.sync()
        assert report.rejected == []
    for device in (laptop, tablet):
        assert pending_count(device.store) == 0
        with device.store.read() as session:
            assert session.scalar(select(func.count()).select_from(CustomerMonth)) == 4
            assert session.scalar(select(func.count()).select_from(ArrearsAction)) == 1
    assert [m.kwh for m in customer_history(laptop.store, world["customers"][0])] == [1000, 1100]
    # a re-import after sync finds everything in place and queues nothing
    assert import_file(laptop, path) == (0, 0, 4)
    assert pending_count(laptop.store) == 0
    with laptop.store.read() as session:
        assert session.scalar(select(func.count()).select_from(PendingChange)) == 0

    # a corrected figure on one laptop reaches the other
    path.write_text("户号,电费年月,欠费金额\n3100000001,2026-10,0\n", encoding="utf-8")
    assert import_file(tablet, path) == (0, 1, 0)
    tablet.sync()
    laptop.sync()
    assert customer_history(laptop.store, world["customers"][1])[-1].arrears_yuan == 0

    # another manager's laptop never sees these customers' figures
    li.sync()
    with li.store.read() as session:
        assert session.scalar(select(func.count()).select_from(CustomerMonth)) == 0
        assert session.scalar(select(func.count()).select_from(ArrearsAction)) == 0
