"""Issue 14, follow-ups: deletes of referenced rows, records moving to another customer,
set-aside rows retried when what they wait for arrives, and the causes of rare divergences
the convergence property found (each pinned by a deterministic scenario).

Real stores (SQLite files) and a real ``keyacct-server`` on loopback (SQLite; the property
test covers PostgreSQL too).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from keyacct_desktop.protocol.codec import row_to_data
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import SyncRefused, SyncSetAside, SyncState
from keyacct_desktop.store.models import Customer, Grid, Referral, Visit
from keyacct_desktop.sync import backlog, client, review
from tests.sync_helpers import Device, ServerProcess
from tests.test_sync_laptop import _contact_data, _customer_data, _pulled

NOW = datetime(2026, 12, 1, 9, 30)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    database = f"sqlite:///{tmp_path_factory.mktemp('followups') / 'server.sqlite3'}"
    process = ServerProcess(database)
    for name, role in (("super", "supervisor"), ("super2", "supervisor")):
        process.create_user(name, role)
    for name in ("wang", "li"):
        process.create_user(name, "manager")
    process.start()
    yield process
    process.stop()


def _attempts(store: Store) -> dict[uuid.UUID, int]:
    with store.read() as session:
        return {row.row_id: row.attempts for row in session.scalars(select(SyncSetAside))}


def _get(device: Device, model: Any, row_id: uuid.UUID) -> Any:
    with device.store.read() as session:
        return session.get(model, row_id)


# --------------------------------------------------------------------------- set-aside backlog


def test_set_aside_rows_are_retried_when_what_they_wait_for_arrives(store: Store) -> None:
    """Before: every set-aside row was decoded, checked and written again at every sync."""
    first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    contacts = {name: uuid.uuid4() for name in ("a", "b", "c")}
    grid_id = uuid.uuid4()
    _pulled(
        store,
        ("contact", contacts["a"], 5, False, _contact_data(contacts["a"], first, "甲")),
        ("contact", contacts["b"], 6, False, _contact_data(contacts["b"], second, "乙")),
        # a chain: the contact waits for its customer, which waits for its grid
        ("contact", contacts["c"], 7, False, _contact_data(contacts["c"], third, "丙")),
        ("customer", third, 8, False, _customer_data(third, "3100000003", grid_id=str(grid_id))),
    )
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["a"]: 1, contacts["b"]: 1, contacts["c"]: 1, third: 1}
    with store.read() as session:
        waits = dict(session.execute(select(SyncSetAside.row_id, SyncSetAside.waits_for)).all())
    assert waits[contacts["a"]] == f"customer:{first}" and waits[third] == f"grid:{grid_id}"

    # An unrelated download retries nothing (the backlog costs a sync nothing).
    unrelated = uuid.uuid4()
    _pulled(store, ("customer", unrelated, 9, False, _customer_data(unrelated, "3100000009")))
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["a"]: 1, contacts["b"]: 1, contacts["c"]: 1, third: 1}

    # What one row waits for arrives: that row applies, the others are not touched.
    _pulled(store, ("customer", first, 10, False, _customer_data(first, "3100000001")))
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["b"]: 1, contacts["c"]: 1, third: 1}

    # The grid arrives: the customer waiting for it applies, and the contact waiting for that
    # customer follows in the same sync.
    grid = row_to_data(Grid(id=grid_id, name="远方网格"))
    _pulled(store, ("grid", grid_id, 11, False, grid))
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["b"]: 1}

    # The safety net: once it is due, every waiting row is tried again (and only then).
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["b"]: 1}
    with store.begin() as session:
        session.get(SyncState, backlog.SAFETY_NET_KEY).value = "2026-01-01T00:00:00+00:00"
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["b"]: 2}
    client._apply_inbox(store)
    assert _attempts(store) == {contacts["b"]: 2}


# --------------------------------------------------------------------------- referenced deletes


def _visit_world(server: ServerProcess, folder: Path) -> dict[str, Any]:
    """Two office laptops holding one customer with a visit."""
    one = Device.sign_in(server, folder, "one", "super")
    two = Device.sign_in(server, folder, "two", "super2")
    one.sync()
    customer = Customer(account_no=f"32{uuid.uuid4().int % 10**8:08d}", name="江南化工")
    visit = Visit(customer=customer, started_at=NOW, purpose="年度走访")
    with one.store.begin() as session:
        session.add_all([customer, visit])
    one.sync()
    two.sync()
    return {"one": one, "two": two, "customer": customer.id, "visit": visit.id}


def test_a_delete_of_a_record_others_still_name_is_refused_and_undone(
    server: ServerProcess, tmp_path: Path
) -> None:
    """Before: the server deleted the visit while a referral named it; every device holding
    the referral then failed to apply the delete (FOREIGN KEY constraint failed)."""
    world = _visit_world(server, tmp_path)
    one, two = world["one"], world["two"]
    try:
        referral = Referral(
            customer_id=world["customer"],
            visit_id=world["visit"],
            description="增容",
            team="营销部",
        )
        with two.store.begin() as session:
            session.add(referral)
        two.sync()
        with one.store.begin() as session:  # offline: one has not seen the referral
            session.delete(session.get(Visit, world["visit"]))
        report = one.sync()
        (refused,) = report.rejected
        assert refused["code"] == "referenced" and refused["table"] == "visit"
        (entry,) = review.rejected_changes(one.store)
        assert entry.code == "referenced" and entry.op == "delete"
        assert "引用" in entry.reason() and "转办" in (entry.message_zh or "")
        for device in (one, two):
            device.sync()
            assert _get(device, Visit, world["visit"]) is not None  # nothing was lost
            assert _get(device, Referral, referral.id).visit_id == world["visit"]
            assert review.overview(device.store).set_aside == 0

        # The answer names the referencing rows (machine-readable), and deleting the
        # referral first lets the visit go.
        with one.store.begin() as session:
            session.delete(session.get(Referral, referral.id))
            session.delete(session.get(Visit, world["visit"]))
        assert one.sync().rejected == []
        two.sync()
        assert _get(two, Visit, world["visit"]) is None
        assert review.overview(two.store).set_aside == 0
    finally:
        one.close()
        two.close()


def test_the_refusal_names_each_referencing_row(server: ServerProcess, tmp_path: Path) -> None:
    from tests.sync_helpers import api_sign_in, wire_op

    world = _visit_world(server, tmp_path)
    world["one"].close()
    world["two"].close()
    office = api_sign_in(server, "super", "raw")
    try:
        signature, planned = uuid.uuid4(), uuid.uuid4()
        customer, visit = str(world["customer"]), str(world["visit"])
        answers = office.push(
            [
                wire_op(
                    "attachment",
                    signature,
                    {
                        "owner_table": "visit",
                        "owner_id": visit,
                        "customer_id": customer,
                        "kind": "signature",
                        "filename": "签名.png",
                        "mime": "image/png",
                        "size": 10,
                        "sha256": "0" * 64,
                    },
                ),
                wire_op(
                    "visit",
                    visit,
                    {"signature_id": str(signature)},
                    base_version=1,
                    base={"signature_id": None},
                ),
                wire_op(
                    "planned_visit",
                    planned,
                    {"customer_id": customer, "planned_on": "2026-12-03", "visit_id": visit},
                ),
                wire_op("attachment", signature, kind="delete", base_version=10**9),
                wire_op("visit", visit, kind="delete", base_version=10**9),
            ]
        )
        assert [a["status"] for a in answers[:3]] == ["applied", "applied", "applied"]
        for answer, named in (
            (answers[3], {("visit", visit, "signature_id")}),
            (answers[4], {("planned_visit", str(planned), "visit_id")}),
        ):
            assert answer["status"] == "rejected" and answer["code"] == "referenced"
            assert {(r["table"], r["id"], r["field"]) for r in answer["referenced_by"]} == named
    finally:
        office.close()


def test_a_pulled_delete_of_a_row_a_local_record_names_waits_instead_of_failing(
    store: Store,
) -> None:
    """A local-only referral (refused, kept for the manager) names a visit the server
    deleted: the tombstone waits (no FOREIGN KEY failure, the rest applies) and applies once
    the referral is discarded."""
    customer = Customer(account_no="3100000077", name="本地客户")
    visit = Visit(customer=customer, started_at=NOW)
    referral = Referral(customer=customer, visit_id=visit.id, description="增容", team="营销部")
    with store.begin() as session:
        session.add_all([customer, visit])
        session.flush()
        referral.visit_id = visit.id
        session.add(referral)
    with store.begin() as session:  # only the referral is local-only, refused by the server
        session.execute(update(SyncState).values(value=None).where(SyncState.key == "x"))
        session.add(
            SyncRefused(
                table_name="referral",
                row_id=referral.id,
                op="upsert",
                created=True,
                fields=[],
                values={},
                code="forbidden_reach",
                error_fields=[],
                seq=1,
                refused_at=NOW,
            )
        )
    from sqlalchemy import delete

    from keyacct_desktop.store.local import PendingChange

    with store.begin() as session:
        session.execute(delete(PendingChange))
    other = uuid.uuid4()
    _pulled(
        store,
        ("visit", visit.id, 20, True, row_to_data(visit)),
        ("customer", other, 21, False, _customer_data(other, "3100000078")),
    )
    client._apply_inbox(store)  # no exception
    with store.read() as session:
        assert session.get(Customer, other) is not None  # the rest applied
        assert session.get(Visit, visit.id) is not None
    (aside,) = review.set_aside_rows(store)
    assert (aside.table, aside.code) == ("visit", "referenced")
    assert "引用" in aside.reason()
    review.discard(store, "referral", referral.id)
    client._apply_inbox(store)  # the next sync: the delete applies
    with store.read() as session:
        assert session.get(Visit, visit.id) is None
    assert review.set_aside_rows(store) == []


# --------------------------------------------------------------------------- moving records


def test_records_moved_to_another_customer_take_their_children_along(
    server: ServerProcess, tmp_path: Path
) -> None:
    """The office moves a checklist, a referral and a visit from 王's customer to 李's:
    李's laptop gets them with their items, events, amendment, review-free attachment and
    conflict record; 王's laptop, which cannot see 李's customer, has them removed.
    Before: the children kept the old customer on the server (李 never got them, 王 kept
    them), and 王 kept the moved records themselves."""
    from keyacct_desktop.store.models import (
        Attachment,
        Checklist,
        ChecklistItem,
        ReferralEvent,
        SyncConflict,
        VisitAmendment,
    )

    office = Device.sign_in(server, tmp_path, "office", "super")
    wang = Device.sign_in(server, tmp_path, "wang-laptop", "wang")
    li = Device.sign_in(server, tmp_path, "li-laptop", "li")
    try:
        office.sync()
        suffix = uuid.uuid4().hex[:6]
        grids = {
            "wang": Grid(name=f"王-{suffix}", manager_id=wang.user_id),
            "li": Grid(name=f"李-{suffix}", manager_id=li.user_id),
        }
        ids = {name: uuid.uuid4() for name in ("a", "visit", "referral")}
        a = Customer(id=ids["a"], account_no=f"A{suffix}", name="华东精密", grid=grids["wang"])
        b = Customer(account_no=f"B{suffix}", name="江南化工", grid=grids["li"])
        checklist = Checklist(customer=a, business_type="new_install")
        item = ChecklistItem(
            checklist=checklist, position=1, stage="application", kind="material", text="申请表"
        )
        visit = Visit(id=ids["visit"], customer=a, started_at=NOW, purpose="年度走访")
        amendment = VisitAmendment(
            visit_id=ids["visit"], field_name="purpose", new_value="复查", reason="补记"
        )
        photo = Attachment(
            owner_table="visit",
            owner_id=ids["visit"],
            customer_id=ids["a"],
            kind="photo",
            filename="现场.jpg",
            mime="image/jpeg",
            size=3,
            sha256="1" * 64,
        )
        referral = Referral(
            id=ids["referral"],
            customer=a,
            visit_id=ids["visit"],
            description="增容",
            team="营销部",
        )
        event = ReferralEvent(referral_id=ids["referral"], to_state="open", at=NOW)
        with office.store.begin() as session:
            session.add_all([*grids.values(), a, b, visit])
            session.flush()
            session.add_all([checklist, item, referral])
            session.flush()
            session.add_all([photo, amendment, event])
        office.sync()
        # A conflict record about the visit (two laptops edited its purpose).
        for device in (wang, li):
            device.sync()
        with wang.store.begin() as session:
            session.get(Visit, visit.id).purpose = "王的说法"
        with office.store.begin() as session:
            session.get(Visit, visit.id).purpose = "主管的说法"
        office.sync()
        wang.sync()
        office.sync()

        moved = {
            Checklist: checklist.id,
            ChecklistItem: item.id,
            Visit: visit.id,
            VisitAmendment: amendment.id,
            Attachment: photo.id,
            Referral: referral.id,
            ReferralEvent: event.id,
        }
        assert all(_get(wang, model, row_id) is not None for model, row_id in moved.items())
        assert all(_get(li, model, row_id) is None for model, row_id in moved.items())
        with office.store.begin() as session:
            for model in (Checklist, Visit, Referral):
                session.get(model, moved[model]).customer_id = b.id
            session.get(Attachment, photo.id).customer_id = b.id
        assert office.sync().rejected == []
        for device in (wang, li, office):
            device.sync()
            assert review.overview(device.store).set_aside == 0
        for model, row_id in moved.items():
            assert _get(wang, model, row_id) is None, model  # 王 lost sight of them
            assert _get(li, model, row_id) is not None, model  # 李 got them, children too
            assert _get(office, model, row_id) is not None, model
        assert _get(li, Attachment, photo.id).customer_id == b.id
        with li.store.read() as session:
            (conflict,) = session.scalars(
                select(SyncConflict).where(SyncConflict.row_id == visit.id)
            ).all()
            assert conflict.customer_id == b.id
        with wang.store.read() as session:
            assert (
                session.scalars(select(SyncConflict).where(SyncConflict.row_id == visit.id)).all()
                == []
            )
        # 李 can work on the moved records; 王's laptop is quiet.
        with li.store.begin() as session:
            session.get(Referral, referral.id).answer = "已受理"
        assert li.sync().rejected == []
        office.sync()
        assert _get(office, Referral, referral.id).answer == "已受理"
        assert wang.sync().pulled == 0 or _get(wang, Referral, referral.id) is None
    finally:
        for device in (office, wang, li):
            device.close()


# --------------------------------------------------------------------------- convergence causes


def test_a_delete_of_a_row_already_gone_says_it_removed_nothing(server: ServerProcess) -> None:
    """The convergence property's divergence: laptop A deleted a customer it had seen edited
    (based on the edit's version), then laptop B's stale delete of the same customer
    (based on an older version) answered plain ``applied`` — indistinguishable from the
    delete that removed it, so the record looked deleted "over a later edit" by B. A delete
    of a row that is already gone now answers ``noop``; a child removed by its parent's
    delete in the same push does not (that push did delete it)."""
    from tests.sync_helpers import api_sign_in, wire_op

    a, b = api_sign_in(server, "super", "noop-a"), api_sign_in(server, "super2", "noop-b")
    try:
        customer, contact = uuid.uuid4(), uuid.uuid4()
        created = a.push(
            [
                wire_op("customer", customer, {"account_no": f"N{customer.hex[:9]}", "name": "甲"}),
                wire_op("contact", contact, {"customer_id": str(customer), "name": "张敏"}),
            ]
        )
        edited = a.push(
            [wire_op("customer", customer, {"notes": "扩产"}, base_version=created[0]["version"])]
        )
        removed = a.push(
            [
                wire_op("customer", customer, kind="delete", base_version=edited[0]["version"]),
                wire_op("contact", contact, kind="delete", base_version=created[1]["version"]),
            ]
        )
        assert [r["status"] for r in removed] == ["applied", "applied"]
        assert not any(r.get("noop") for r in removed)  # this push removed both
        (stale,) = b.push(
            [wire_op("customer", customer, kind="delete", base_version=created[0]["version"])]
        )
        assert stale["status"] == "applied" and stale["noop"] is True
        (unknown,) = b.push([wire_op("contact", uuid.uuid4(), kind="delete", base_version=3)])
        assert unknown["noop"] is True
    finally:
        a.close()
        b.close()
