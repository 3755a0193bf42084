"""The same customer typed on two laptops, with the same contact: after the server merges the
customer, the contact is one person, one primary contact, and nothing is lost
(docs/SYNC_PROTOCOL.md, "Duplicate merge"). Two real devices against a real server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from keyacct_desktop.services.customer_profile import ProfileService, check
from keyacct_desktop.store.models import Contact, Customer, Grid, SyncConflict
from tests.sync_helpers import Device, ServerProcess


@pytest.fixture(scope="module")
def devices(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Device, Device]]:
    folder: Path = tmp_path_factory.mktemp("merge-contacts")
    server = ServerProcess(f"sqlite:///{folder / 'server.sqlite3'}")
    server.create_user("wang", "manager")
    server.create_user("super", "supervisor")
    server.start()
    office = Device.sign_in(server, folder, "office", "super")
    one = Device.sign_in(server, folder, "laptop-1", "wang")
    two = Device.sign_in(server, folder, "laptop-2", "wang")
    try:
        office.sync()
        with office.store.begin() as session:
            session.add(Grid(name="王的网格", manager_id=one.user_id))
        office.sync()
        one.sync()
        two.sync()
        yield one, two
    finally:
        for device in (office, one, two):
            device.close()
        server.stop()


def _type_customer(device: Device, account_no: str, contacts: list[Contact]) -> None:
    with device.store.begin() as session:
        grid = session.scalars(select(Grid)).one()
        customer = Customer(account_no=account_no, name="华东精密", grid_id=grid.id)
        customer.contacts.extend(contacts)
        session.add(customer)


def _contacts(device: Device, account_no: str) -> list[tuple[str, str | None, bool]]:
    with device.store.read() as session:
        customer = session.scalars(select(Customer).where(Customer.account_no == account_no)).one()
        return sorted((c.name, c.mobile, c.is_primary) for c in customer.contacts)


def test_the_same_contact_typed_twice_is_one_primary_contact(devices) -> None:
    one, two = devices
    account_no = f"D{uuid.uuid4().hex[:8]}"
    _type_customer(one, account_no, [Contact(name="张三", mobile="13800138000", is_primary=True)])
    _type_customer(
        two,
        account_no,
        [
            Contact(name="张三", mobile="138 0013 8000", title="电气主管", is_primary=True),
            Contact(name="李四", mobile="13900139000", is_primary=True),  # another person
        ],
    )
    one.sync()
    report = two.sync()
    assert not report.refused
    one.sync()
    expected = sorted([("张三", "13800138000", True), ("李四", "13900139000", False)])
    for device in (one, two):
        assert _contacts(device, account_no) == expected, device.name
        with device.store.read() as session:
            customer_id = session.scalars(
                select(Customer.id).where(Customer.account_no == account_no)
            ).one()
            kept = {
                (c.field_name, c.lost_value)
                for c in session.scalars(
                    select(SyncConflict).where(SyncConflict.customer_id == customer_id)
                )
            }
        # nothing lost: the other spelling of the number and the second tick are restorable
        assert kept == {("mobile", "138 0013 8000"), ("is_primary", True)}, device.name
        form = ProfileService(device.store).load(customer_id)
        problems = [p.field for p in check(form, device.store)]
        assert not [f for f in problems if f.startswith("contacts")]  # the editor saves them
    with two.store.read() as session:
        title = session.scalars(select(Contact.title).where(Contact.name == "张三")).all()
    assert "电气主管" in title  # an empty field of the kept contact took the incoming value
