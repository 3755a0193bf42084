"""Which rows of no customer a manager's device pulls (issue 22, server/reach.py): its own
grids, itself, the office's people, and the other managers its rows name — never a row it
cannot apply for want of a user; grids given and taken away follow."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import select

from keyacct_desktop.store.local import SyncSetAside
from keyacct_desktop.store.models import Customer, Grid, User, Visit
from tests.sync_helpers import Device, ServerProcess

pytestmark = pytest.mark.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("super", "supervisor")
    for name in ("wang", "li", "zhao"):
        process.create_user(name, "manager")
    process.start()
    yield process
    process.stop()


@pytest.fixture(scope="module")
def world(server: ServerProcess, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The office gives 王 and 李 a grid each; 王's customer has a visit by 李 (its previous
    manager); 赵 manages nothing here."""
    folder = tmp_path_factory.mktemp("reach")
    office = Device.sign_in(server, folder, "office", "super")
    office.sync()
    with office.store.read() as session:
        users = {u.username: u.id for u in session.scalars(select(User))}
    grid_wang = Grid(name="王的网格", manager_id=users["wang"])
    grid_li = Grid(name="李的网格", manager_id=users["li"])
    mine = Customer(account_no="3100000001", name="华东精密", grid=grid_wang)
    theirs = Customer(account_no="3100000002", name="江南化工", grid=grid_li)
    visit = Visit(customer=mine, manager_id=users["li"], started_at=datetime(2026, 12, 1, 9, 30))
    with office.store.begin() as session:
        session.add_all([grid_wang, grid_li, mine, theirs, visit])
    office.sync()
    yield {
        "server": server,
        "office": office,
        "folder": folder,
        "users": users,
        "grid_wang": grid_wang.id,
        "grid_li": grid_li.id,
        "mine": mine.id,
        "theirs": theirs.id,
        "visit": visit.id,
    }
    office.close()


def held(device: Device, model: Any) -> set[uuid.UUID]:
    with device.store.read() as session:
        return set(session.scalars(select(model.id)))


def test_a_first_sync_brings_the_managers_grid_and_the_users_its_rows_name(world) -> None:
    users = world["users"]
    wang = Device.sign_in(world["server"], world["folder"], "wang-1", "wang")
    try:
        report = wang.sync()
        assert report.set_aside == 0
        assert held(wang, Grid) == {world["grid_wang"]}
        # 王, the supervisor, and 李 (named by the visit); not 赵, nor 李's grid
        assert held(wang, User) == {users["wang"], users["super"], users["li"]}
        assert held(wang, Customer) == {world["mine"]}
        assert held(wang, Visit) == {world["visit"]}
        with wang.store.read() as session:
            assert session.scalars(select(SyncSetAside)).all() == []
    finally:
        wang.close()


def test_a_grid_given_arrives_and_a_grid_taken_away_goes(world) -> None:
    """李's grid goes to 赵: 赵's device gets it with its customer (and 李, named by nothing
    of it, stays away); 李's device loses the customer and then the grid itself."""
    users, office = world["users"], world["office"]
    li = Device.sign_in(world["server"], world["folder"], "li-1", "li")
    zhao = Device.sign_in(world["server"], world["folder"], "zhao-1", "zhao")
    try:
        li.sync()
        zhao.sync()
        assert held(li, Grid) == {world["grid_li"]} and held(zhao, Grid) == set()
        with office.store.begin() as session:
            session.get(Grid, world["grid_li"]).manager_id = users["zhao"]
        office.sync()
        assert zhao.sync().set_aside == 0
        assert held(zhao, Grid) == {world["grid_li"]}
        assert held(zhao, Customer) == {world["theirs"]}
        assert users["li"] not in held(zhao, User)
        li.sync()
        assert held(li, Customer) == set() and held(li, Grid) == set()
    finally:
        li.close()
        zhao.close()
        with office.store.begin() as session:  # as it was, for any test after this one
            session.get(Grid, world["grid_li"]).manager_id = users["li"]
        office.sync()
