"""Sync against a real server process on loopback: convergence, conflicts, access, failures."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.store.local import PendingChange
from keyacct_desktop.store.models import Contact, Customer, Grid, Park, SyncConflict
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import SyncError
from keyacct_desktop.sync.state import pending_count
from tests.sync_helpers import Device, ServerProcess

#: The whole module runs against an embedded SQLite server and against PostgreSQL.
pytestmark = pytest.mark.parametrize("server_database", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="module")
def server(server_database: str) -> Iterator[ServerProcess]:
    process = ServerProcess(server_database)
    process.create_user("admin", "admin")
    process.create_user("super", "supervisor")
    process.create_user("wang", "manager")
    process.create_user("li", "manager")
    process.start()
    yield process
    process.stop()


@pytest.fixture
def world(server: ServerProcess, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """A supervisor's laptop, two laptops of manager 王, one of manager 李; a grid each; a customer."""
    office = Device.sign_in(server, tmp_path, "office", "super")
    wang1 = Device.sign_in(server, tmp_path, "wang-laptop", "wang")
    wang2 = Device.sign_in(server, tmp_path, "wang-tablet", "wang")
    li = Device.sign_in(server, tmp_path, "li-laptop", "li")
    office.sync()  # the user records arrive first: grids refer to their managers
    suffix = uuid.uuid4().hex[:6]
    park = Park(name=f"高新区-{suffix}")
    grid_wang = Grid(name=f"王的网格-{suffix}", manager_id=wang1.user_id)
    grid_li = Grid(name=f"李的网格-{suffix}", manager_id=li.user_id)
    customer = Customer(
        account_no=f"A{suffix}",
        name="华东精密科技有限公司",
        grid=grid_wang,
        park=park,
        capacity_kva=2000.0,
        voltage_kv=10.0,
    )
    customer.contacts.append(Contact(name="张敏", mobile="13800138000"))
    other = Customer(account_no=f"B{suffix}", name="江南化工有限公司", grid=grid_li, park=park)
    with office.store.begin() as session:
        session.add_all([park, grid_wang, grid_li, customer, other])
    office.sync()
    for device in (wang1, wang2, li):
        device.sync()
    yield {
        "office": office,
        "wang1": wang1,
        "wang2": wang2,
        "li": li,
        "customer": customer.id,
        "other": other.id,
        "grid_wang": grid_wang.id,
        "grid_li": grid_li.id,
    }
    for device in (office, wang1, wang2, li):
        device.close()


def edit(device: Device, customer_id: uuid.UUID, **values: Any) -> None:
    with device.store.begin() as session:
        customer = session.get(Customer, customer_id)
        for key, value in values.items():
            setattr(customer, key, value)


def get(device: Device, customer_id: uuid.UUID) -> Customer | None:
    with device.store.read() as session:
        return session.get(Customer, customer_id)


def conflicts(device: Device) -> list[SyncConflict]:
    with device.store.read() as session:
        return list(session.scalars(select(SyncConflict)))


def test_managers_see_only_their_grids(world) -> None:
    assert get(world["wang1"], world["customer"]) is not None
    assert get(world["wang1"], world["other"]) is None
    assert (
        get(world["li"], world["other"]) is not None and get(world["li"], world["customer"]) is None
    )
    assert get(world["office"], world["customer"]) and get(world["office"], world["other"])
    with world["wang1"].store.read() as session:
        assert [c.name for c in session.get(Customer, world["customer"]).contacts] == ["张敏"]


def test_edits_to_different_fields_merge(world) -> None:
    wang1, wang2 = world["wang1"], world["wang2"]
    edit(wang1, world["customer"], name="华东精密科技股份有限公司")
    edit(wang2, world["customer"], address="科技大道 88 号")
    wang1.sync()
    wang2.sync()
    wang1.sync()
    for device in (wang1, wang2):
        customer = get(device, world["customer"])
        assert (customer.name, customer.address) == ("华东精密科技股份有限公司", "科技大道 88 号")
    assert conflicts(wang1) == []


def test_same_field_clash_keeps_the_losing_value(world) -> None:
    wang1, office = world["wang1"], world["office"]
    edit(office, world["customer"], notes="办公室:请核实产能")
    edit(wang1, world["customer"], notes="现场:产能扩大一倍")
    office.sync()  # first to reach the server wins
    report = wang1.sync()
    assert report.conflicts == 1
    office.sync()
    for device in (wang1, office):
        assert get(device, world["customer"]).notes == "办公室:请核实产能"
        (conflict,) = [c for c in conflicts(device) if c.row_id == world["customer"]]
        assert (conflict.field_name, conflict.kept_value, conflict.lost_value) == (
            "notes",
            "办公室:请核实产能",
            "现场:产能扩大一倍",
        )
        assert conflict.lost_by.startswith("wang@")
    assert wang1.snapshot({world["customer"]}) == office.snapshot({world["customer"]})


def test_own_pushes_do_not_come_back_as_new_rows(world) -> None:
    wang1 = world["wang1"]
    new = Customer(
        account_no=f"N{uuid.uuid4().hex[:6]}", name="新建客户", grid_id=world["grid_wang"]
    )
    with wang1.store.begin() as session:
        session.add(new)
    for _ in range(3):
        wang1.sync()
    with wang1.store.read() as session:
        assert len(session.scalars(select(Customer).where(Customer.name == "新建客户")).all()) == 1
    assert pending_count(wang1.store) == 0
    world["wang2"].sync()
    assert get(world["wang2"], new.id).name == "新建客户"


def test_a_deleted_record_that_was_edited_offline_comes_back_with_a_conflict(world) -> None:
    """Edit beats silent delete: the office deletes a contact that 王 edits offline; the edit
    reaches the server after the delete, revives the contact on every device and records
    who deleted it."""
    wang1, office = world["wang1"], world["office"]
    with office.store.read() as session:
        contact_id = session.scalars(
            select(Contact.id).where(Contact.customer_id == world["customer"])
        ).first()
    with office.store.begin() as session:
        session.delete(session.get(Contact, contact_id))
    with wang1.store.begin() as session:
        session.get(Contact, contact_id).mobile = "13911112222"
    office.sync()
    wang1.sync()
    wang1.sync()
    for device in (wang1, office, world["wang2"]):
        device.sync()
        with device.store.read() as session:
            assert session.get(Contact, contact_id).mobile == "13911112222", device.name
    (record,) = [c for c in conflicts(office) if c.row_id == contact_id]
    assert record.field_name == "__deleted__"
    assert record.lost_value == {"state": "deleted", "user": "super", "device": "office"}
    assert record.kept_value == {"state": "edited", "user": "wang", "device": "wang-laptop"}


def test_a_duplicated_batch_is_applied_once(world, server) -> None:
    wang1 = world["wang1"]
    op = {
        "op_id": str(uuid.uuid4()),
        "table": "contact",
        "id": str(uuid.uuid4()),
        "op": "upsert",
        "base_version": 0,
        "fields": {"customer_id": str(world["customer"]), "name": "赵强", "role": "finance"},
    }
    first = wang1.api.push([op])
    second = wang1.api.push([op])
    assert first[0]["status"] == "applied" and second[0].get("duplicate") is True
    assert second[0]["version"] == first[0]["version"]
    wang1.sync()
    with wang1.store.read() as session:
        assert len(session.scalars(select(Contact).where(Contact.name == "赵强")).all()) == 1


def test_server_killed_mid_push_then_resumed(world, server) -> None:
    wang1 = world["wang1"]
    with wang1.store.begin() as session:
        for index in range(30):
            session.add(Contact(customer_id=world["customer"], name=f"联系人{index:02d}"))
    # The server applies a batch, then dies before the device hears the answer.
    from keyacct_desktop.sync.push import _build_batch

    _seqs, ops = _build_batch(wang1.store)
    wang1.api.push(ops)
    server.kill()
    with pytest.raises(SyncError) as caught:
        wang1.sync()
    assert "无法连接" in caught.value.message_zh
    assert pending_count(wang1.store) == 30  # nothing was dropped
    server.start()
    wang1.sync()
    assert pending_count(wang1.store) == 0
    world["wang2"].sync()
    with world["wang2"].store.read() as session:
        names = session.scalars(select(Contact.name).where(Contact.name.like("联系人%"))).all()
    assert sorted(names) == [f"联系人{i:02d}" for i in range(30)]


def test_wrong_and_revoked_tokens_get_401(world, server) -> None:
    bad = ServerApi(server.url, token="not-a-token")
    anonymous = ServerApi(server.url)
    try:
        with pytest.raises(SyncError, match=r"revoked|signed out"):
            bad.pull(0)
        with pytest.raises(UserError):
            anonymous.login("wang", "wrong password", "x")
        lost = ServerApi(server.url)
        answer = lost.login("wang", "correct horse battery", "lost laptop")
        lost.pull(0)
        admin = ServerApi(server.url)
        admin.login("admin", "correct horse battery", "admin desk")
        revoked = admin.client.post(
            f"/api/v1/admin/devices/{answer['device_id']}/revoke",
            headers={"Authorization": f"Bearer {admin.token}"},
        )
        assert revoked.status_code == 200
        with pytest.raises(SyncError, match="revoked"):
            lost.pull(0)  # cut off at its next contact
        manager_revoke = world["wang1"].api.client.post(
            f"/api/v1/admin/devices/{answer['device_id']}/revoke",
            headers={"Authorization": f"Bearer {world['wang1'].api.token}"},
        )
        assert manager_revoke.status_code == 403
    finally:
        for api in (bad, anonymous, lost, admin):
            api.close()


def test_another_grids_customer_is_invisible_and_refused(world) -> None:
    wang1 = world["wang1"]
    op = {
        "op_id": str(uuid.uuid4()),
        "table": "customer",
        "id": str(world["other"]),
        "op": "upsert",
        "base_version": 0,
        "fields": {"name": "改名"},
    }
    (result,) = wang1.api.push([op])
    assert result["status"] == "rejected" and "forbidden" in result["error"]
    page = wang1.api.pull(0, 5000)
    assert str(world["other"]) not in {c["id"] for c in page["changes"]}
    grab = {
        "op_id": str(uuid.uuid4()),
        "table": "customer",
        "id": str(uuid.uuid4()),
        "op": "upsert",
        "base_version": 0,
        "fields": {"name": "抢来的", "account_no": "X1", "grid_id": str(world["grid_li"])},
    }
    assert wang1.api.push([grab])[0]["status"] == "rejected"
    assert get(world["office"], world["other"]).name == "江南化工有限公司"


def test_malformed_bodies_get_422_and_write_nothing(world, server) -> None:
    token = world["wang1"].api.token
    new_id = str(uuid.uuid4())
    good = {
        "op_id": str(uuid.uuid4()),
        "table": "contact",
        "id": new_id,
        "op": "upsert",
        "base_version": 0,
        "fields": {"customer_id": str(world["customer"]), "name": "半截写入"},
    }
    bad = {
        "op_id": "not-a-uuid",
        "table": "contact",
        "id": str(uuid.uuid4()),
        "op": "upsert",
        "base_version": 0,
    }
    for body in (
        {"protocol": 1, "ops": [good, bad]},
        {"protocol": 1, "ops": "x"},
        {"ops": [good]},
        [1, 2],
    ):
        answer = httpx.post(
            f"{server.url}/api/v1/push", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert answer.status_code == 422, body
    wrong_type = dict(
        good, op_id=str(uuid.uuid4()), fields={"customer_id": str(world["customer"]), "name": 5}
    )
    (result,) = world["wang1"].api.push([wrong_type])
    assert result["status"] == "rejected" and "wrong type" in result["error"]
    page = world["wang1"].api.pull(0, 5000)
    assert new_id not in {c["id"] for c in page["changes"]}


def test_grid_reassignment_reaches_devices_as_removal_and_addition(world) -> None:
    office, wang1, li = world["office"], world["wang1"], world["li"]
    edit(office, world["customer"], grid_id=world["grid_li"])
    office.sync()
    wang1.sync()
    li.sync()
    assert get(wang1, world["customer"]) is None
    with wang1.store.read() as session:
        assert (
            session.scalars(select(Contact).where(Contact.customer_id == world["customer"])).all()
            == []
        )
    arrived = get(li, world["customer"])
    assert arrived is not None
    with li.store.read() as session:
        assert [c.name for c in session.get(Customer, world["customer"]).contacts] == ["张敏"]
    assert pending_count(wang1.store) == 0
    with wang1.store.read() as session:
        assert session.scalars(select(PendingChange)).all() == []


def test_issued_documents_never_conflict_and_a_refused_edit_is_not_silent(world) -> None:
    """A draft issued on one laptop and edited on the other: the issued one stays, unmerged;
    the other laptop gets it, no conflict record, and the refused edit is listed for review."""
    from datetime import date

    from keyacct_desktop.services.checklists import ChecklistService
    from keyacct_desktop.settings import Settings
    from keyacct_desktop.store.models import Checklist
    from keyacct_desktop.sync import review

    wang1, wang2 = world["wang1"], world["wang2"]
    draft_id = ChecklistService(wang1.store, Settings()).draft(
        world["customer"], "suspension", date(2026, 11, 20)
    )
    wang1.sync()
    wang2.sync()
    issued = ChecklistService(wang1.store, Settings()).issue(draft_id)
    wang1.sync()
    with wang2.store.begin() as session:  # still a draft on this laptop: allowed locally
        session.get(Checklist, draft_id).case_note = "平板上补充的说明"
    report = wang2.sync()
    assert [r["table"] for r in report.rejected] == ["checklist"]
    with wang2.store.read() as session:
        checklist = session.get(Checklist, draft_id)
        assert (checklist.status, checklist.number) == ("issued", issued.number)
        assert checklist.case_note is None and checklist.content_hash == issued.content_hash
    assert [c for c in conflicts(wang2) if c.row_id == draft_id] == []
    (refused,) = review.rejected_changes(wang2.store)
    assert refused.table == "checklist" and refused.label == issued.number
    assert refused.code == "frozen" and not refused.created
    assert refused.values == {"case_note": "平板上补充的说明"}  # the user's own value stays
    assert "出具" in refused.reason() and "出具新版本" in refused.reason()
    assert "issued" in refused.reason("en")
    assert review.overview(wang2.store).rejected == 1
    assert review.discard(wang2.store, "checklist", draft_id) == 1
    assert review.rejected_changes(wang2.store) == []
    with wang2.store.read() as session:  # discarding a refused edit keeps the server's record
        assert session.get(Checklist, draft_id).number == issued.number
    assert pending_count(wang2.store) == 0


def test_every_change_is_in_the_audit_log_with_who_device_and_what(world, server) -> None:
    from keyacct_desktop.server.db import server_engine
    from keyacct_desktop.server.models import Account, AuditEntry
    from keyacct_desktop.server.models import Device as DeviceRow

    wang1 = world["wang1"]
    edit(wang1, world["customer"], notes="审计:走访后补充")
    wang1.sync()
    engine = server_engine(server.database)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                select(AuditEntry.action, AuditEntry.detail, AuditEntry.at, Account.username)
                .join(Account, Account.id == AuditEntry.account_id)
                .join(DeviceRow, DeviceRow.id == AuditEntry.device_id)
                .where(
                    AuditEntry.table_name == "customer",
                    AuditEntry.row_id == world["customer"],
                    DeviceRow.name == "wang-laptop",
                )
            ).all()
    finally:
        engine.dispose()
    assert rows, "the edit from 王's laptop is in the audit log"
    action, detail, at, username = rows[-1]
    assert action == "update", action
    assert username == "wang" and at is not None
    assert "notes" in str(detail), detail  # what changed
