"""Duplicates created offline become a merge; a delete that meets an edit loses (server side).

Against a real ``keyacct-server`` process on loopback (SQLite and PostgreSQL), with the
operations a laptop sends (docs/SYNC_PROTOCOL.md, "Duplicate merge", "Delete meets edit").
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from keyacct_desktop.sync.api import ServerApi
from tests.sync_helpers import (
    NOW,
    ServerProcess,
    applied,
    pull_changes,
    serve_office_and_two_managers,
    two_grid_world_of,
    wire_op,
)

pytestmark = pytest.mark.parametrize(
    "server_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


@pytest.fixture(scope="module")
def merge_server(server_database: str) -> Iterator[ServerProcess]:
    yield from serve_office_and_two_managers(server_database)


@pytest.fixture(scope="module")
def world(merge_server: ServerProcess) -> Iterator[dict[str, Any]]:
    yield from two_grid_world_of(merge_server)


def server_rows(world: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Every record's last change as the supervisor pulls it, by (table, id)."""
    return {(c["table"], c["id"]): c for c in pull_changes(world["office"])[0]}


def conflicts_about(world: dict[str, Any], row_id: str) -> list[dict[str, Any]]:
    return [
        change["data"]
        for (table, _id), change in server_rows(world).items()
        if table == "sync_conflict" and change["data"]["row_id"] == row_id
    ]


def new_customer(world: dict[str, Any], **fields: Any) -> tuple[str, int]:
    """A customer of 王's grid created by the office: its id and version."""
    customer = str(uuid.uuid4())
    (result,) = applied(
        world["office"].push(
            [
                wire_op(
                    "customer",
                    customer,
                    {
                        "account_no": f"M{uuid.uuid4().hex[:10]}",
                        "name": "华东精密",
                        "grid_id": world["grid_wang"],
                        **fields,
                    },
                )
            ]
        )
    )
    return customer, result["version"]


def new_contact(world: dict[str, Any], customer: str, name: str) -> tuple[str, int]:
    """A contact of ``customer`` created by the office: its id and version."""
    contact = str(uuid.uuid4())
    (made,) = applied(
        world["office"].push([wire_op("contact", contact, {"customer_id": customer, "name": name})])
    )
    return contact, made["version"]


# ------------------------------------------------------------------ duplicate merge


def test_the_same_customer_created_on_two_laptops_is_merged(world) -> None:
    kept, _version = new_customer(world, capacity_kva=2000.0)
    account_no = server_rows(world)[("customer", kept)]["data"]["account_no"]
    duplicate, contact, visit = (str(uuid.uuid4()) for _ in range(3))
    wang: ServerApi = world["wang"]
    results = wang.push(
        [
            wire_op(
                "customer",
                duplicate,
                {
                    "account_no": account_no,
                    "name": "华东精密科技有限公司",  # typed differently
                    "uscc": "91320500MA1XXXXXX1",  # only this laptop knows it
                    "grid_id": world["grid_wang"],
                    "capacity_kva": 2000.0,
                },
            ),
            wire_op("contact", contact, {"customer_id": duplicate, "name": "张敏"}),
            wire_op("visit", visit, {"customer_id": duplicate, "started_at": NOW}),
        ]
    )
    merged = results[0]
    assert merged["status"] == "merged" and merged["into"] == kept, merged
    assert merged["conflicts"] == ["name"]
    assert [r["status"] for r in results[1:]] == ["applied", "applied"], results
    rows = server_rows(world)
    assert ("customer", duplicate) not in rows  # one id kept
    customer = rows[("customer", kept)]
    assert customer["version"] == merged["version"]
    assert customer["data"]["name"] == "华东精密"  # the kept value stays
    assert customer["data"]["uscc"] == "91320500MA1XXXXXX1"  # an empty field is filled
    assert rows[("contact", contact)]["data"]["customer_id"] == kept  # children re-pointed
    assert rows[("visit", visit)]["data"]["customer_id"] == kept
    (conflict,) = conflicts_about(world, kept)
    assert (conflict["field_name"], conflict["kept_value"], conflict["lost_value"]) == (
        "name",
        "华东精密",
        "华东精密科技有限公司",
    )
    assert conflict["customer_id"] == kept
    assert conflict["lost_by"] == "wang@wang-laptop (同一客户重复录入)"
    # A later push that still names the duplicate's id reaches the kept customer.
    later = wang.push(
        [
            wire_op("customer", duplicate, {"notes": "后来的备注"}, base={"notes": None}),
            wire_op(
                "planned_visit",
                uuid.uuid4(),
                {"customer_id": duplicate, "planned_on": "2026-12-08"},
            ),
        ]
    )
    assert [r["status"] for r in later] == ["applied", "applied"], later
    rows = server_rows(world)
    assert rows[("customer", kept)]["data"]["notes"] == "后来的备注"
    assert ("customer", duplicate) not in rows


def test_a_duplicate_of_another_grids_customer_is_not_merged(world) -> None:
    account_no = server_rows(world)[("customer", world["b"])]["data"]["account_no"]
    cursor = pull_changes(world["office"])[1]
    (result,) = world["wang"].push(
        [
            wire_op(
                "customer",
                uuid.uuid4(),
                {"account_no": account_no, "name": "江南化工", "grid_id": world["grid_wang"]},
            )
        ]
    )
    assert (result["status"], result["code"], result["fields"]) == (
        "rejected",
        "duplicate_key",
        ["account_no"],
    )
    assert pull_changes(world["office"], cursor)[0] == []


# ------------------------------------------------------------------ delete meets edit


def test_a_delete_that_arrives_after_an_edit_keeps_the_row(world) -> None:
    customer, _version = new_customer(world)
    contact, made_version = new_contact(world, customer, "甲")
    applied(
        world["wang"].push(
            [
                wire_op(
                    "contact",
                    contact,
                    {"mobile": "13911112222"},
                    base_version=made_version,
                )
            ]
        )
    )
    (deleted,) = world["office"].push(
        [wire_op("contact", contact, kind="delete", base_version=made_version)]
    )
    assert (deleted["status"], deleted["code"]) == ("conflict", "delete_edited"), deleted
    row = server_rows(world)[("contact", contact)]
    assert row["deleted"] is False and row["data"]["mobile"] == "13911112222"
    assert row["version"] == deleted["version"]  # bumped: the deleting laptop pulls it back
    (record,) = conflicts_about(world, contact)
    assert record["field_name"] == "__deleted__"
    assert record["kept_value"] == {"state": "edited", "user": "wang", "device": "wang-laptop"}
    assert record["lost_value"] == {"state": "deleted", "user": "super", "device": "office"}


def test_an_edit_that_arrives_after_the_delete_revives_the_row(world) -> None:
    customer, _version = new_customer(world)
    contact, made_version = new_contact(world, customer, "乙")
    applied(
        world["office"].push(
            [wire_op("contact", contact, kind="delete", base_version=made_version)]
        )
    )
    (edited,) = world["wang"].push(
        [
            wire_op(
                "contact",
                contact,
                {"mobile": "13800000000"},
                base_version=made_version,
                base={"mobile": None},
            )
        ]
    )
    assert (edited["status"], edited["code"]) == ("conflict", "edit_revived"), edited
    assert edited["conflicts"] == ["__deleted__"]
    row = server_rows(world)[("contact", contact)]
    assert row["deleted"] is False and row["data"]["mobile"] == "13800000000"
    (record,) = conflicts_about(world, contact)
    assert record["kept_value"]["user"] == "wang" and record["lost_value"]["user"] == "super"


def test_a_customer_deleted_with_its_records_comes_back_whole_when_one_is_edited(world) -> None:
    customer, version = new_customer(world)
    contact, visit, checklist, item = (str(uuid.uuid4()) for _ in range(4))
    made = applied(
        world["wang"].push(
            [
                wire_op("contact", contact, {"customer_id": customer, "name": "丙"}),
                wire_op("visit", visit, {"customer_id": customer, "started_at": NOW}),
                wire_op(
                    "checklist",
                    checklist,
                    {"customer_id": customer, "business_type": "new_install"},
                ),
                wire_op(
                    "checklist_item",
                    item,
                    {
                        "checklist_id": checklist,
                        "position": 1,
                        "stage": "application",
                        "kind": "material",
                        "text": "营业执照",
                    },
                ),
                wire_op("customer", customer, {"name": "改名"}, base_version=version),
            ]
        )
    )
    renamed = made[4]["version"]
    (deleted,) = world["wang"].push(
        [wire_op("customer", customer, kind="delete", base_version=renamed)]
    )
    assert deleted["status"] == "applied", deleted
    rows = server_rows(world)
    for key in (
        ("contact", contact),
        ("visit", visit),
        ("checklist", checklist),
        ("checklist_item", item),
    ):
        assert rows[key]["deleted"] is True, key  # deleted with it, by the server
    # The office edited the visit offline before it heard of the delete.
    (edited,) = world["office"].push(
        [
            wire_op(
                "visit",
                visit,
                {"advice": "建议增容"},
                base_version=made[1]["version"],
                base={"advice": None},
            )
        ]
    )
    assert (edited["status"], edited["code"]) == ("conflict", "edit_revived"), edited
    rows = server_rows(world)
    for key in (
        ("customer", customer),
        ("contact", contact),
        ("visit", visit),
        ("checklist", checklist),
        ("checklist_item", item),
    ):
        assert rows[key]["deleted"] is False, key
    assert rows[("visit", visit)]["data"]["advice"] == "建议增容"


def test_a_customer_deleted_while_a_contact_was_edited_stays_with_its_contacts(world) -> None:
    """The deleting laptop sends the contact's delete with the customer's (ORM cascade);
    another laptop edited that contact since: both deletes lose, both rows come back."""
    customer, version = new_customer(world)
    contact, other = str(uuid.uuid4()), str(uuid.uuid4())
    made = applied(
        world["office"].push(
            [
                wire_op("contact", contact, {"customer_id": customer, "name": "丁"}),
                wire_op("contact", other, {"customer_id": customer, "name": "戊"}),
            ]
        )
    )
    applied(
        world["wang"].push(
            [wire_op("contact", contact, {"title": "总经理"}, base_version=made[0]["version"])]
        )
    )
    results = world["office"].push(
        [
            wire_op("contact", contact, kind="delete", base_version=made[0]["version"]),
            wire_op("contact", other, kind="delete", base_version=made[1]["version"]),
            wire_op("customer", customer, kind="delete", base_version=version),
        ]
    )
    assert [(r["status"], r.get("code")) for r in results] == [("conflict", "delete_edited")] * 3
    rows = server_rows(world)
    for key in (("customer", customer), ("contact", contact), ("contact", other)):
        assert rows[key]["deleted"] is False, key
        assert rows[key]["version"] > made[1]["version"], key  # pulled back by the office
    assert rows[("contact", contact)]["data"]["title"] == "总经理"
    assert [c["field_name"] for c in conflicts_about(world, customer)] == ["__deleted__"]


def test_conflict_records_are_never_deleted_by_a_cascade(world) -> None:
    customer, version = new_customer(world)
    applied(
        world["wang"].push([wire_op("customer", customer, {"notes": "王"}, base_version=version)])
    )
    (clash,) = world["office"].push(
        [
            wire_op(
                "customer",
                customer,
                {"notes": "办公室"},
                base_version=version,
                base={"notes": None},
            )
        ]
    )
    assert clash["status"] == "conflict"
    current = server_rows(world)[("customer", customer)]["version"]
    (deleted,) = world["office"].push(
        [wire_op("customer", customer, kind="delete", base_version=current)]
    )
    assert deleted["status"] == "applied", deleted
    rows = server_rows(world)
    assert rows[("customer", customer)]["deleted"] is True
    records = [
        change
        for (table, _id), change in rows.items()
        if table == "sync_conflict" and change["data"]["row_id"] == customer
    ]
    assert [r["deleted"] for r in records] == [False]


def test_a_contact_moved_away_in_the_same_push_survives_its_old_customers_delete(world) -> None:
    """A laptop moves a contact to another customer, then deletes the one it left, offline;
    one push carries both. The delete cascades onto what the customer holds after the move,
    not onto what the database held before the push: the contact stays, under its new
    customer (it used to vanish with the deleted customer, on every laptop)."""
    old_customer, old_version = new_customer(world)
    new_home, _version = new_customer(world)
    contact, made_version = new_contact(world, old_customer, "己")
    results = world["office"].push(
        [
            wire_op(
                "contact",
                contact,
                {"customer_id": new_home},
                base_version=made_version,
                base={"customer_id": old_customer},
            ),
            wire_op("customer", old_customer, kind="delete", base_version=old_version),
        ]
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    rows = server_rows(world)
    assert rows[("customer", old_customer)]["deleted"] is True
    moved = rows[("contact", contact)]
    assert moved["deleted"] is False
    assert moved["data"]["customer_id"] == new_home
    assert moved["data"]["name"] == "己"


def test_an_edit_merged_onto_an_unseen_move_does_not_let_a_delete_take_the_contact(
    world,
) -> None:
    """王 moves a contact to another customer. The office, which has not pulled that move,
    edits the contact (merged field by field: the move stays) and deletes the customer the
    contact now belongs to, in one push. The office never saw the contact there: the delete
    meets an edit and loses; the contact stays with 王's move and the office's edit."""
    old_home, _version = new_customer(world)
    new_home, new_home_version = new_customer(world)
    contact, made_version = new_contact(world, old_home, "庚")
    applied(
        world["wang"].push(
            [
                wire_op(
                    "contact",
                    contact,
                    {"customer_id": new_home},
                    base_version=made_version,
                    base={"customer_id": old_home},
                )
            ]
        )
    )
    edit, delete = world["office"].push(
        [
            wire_op(
                "contact",
                contact,
                {"title": "电气主管"},
                base_version=made_version,
                base={"title": None},
            ),
            wire_op("customer", new_home, kind="delete", base_version=new_home_version),
        ]
    )
    assert edit["status"] == "applied", edit
    assert (delete["status"], delete.get("code")) == ("conflict", "delete_edited"), delete
    rows = server_rows(world)
    assert rows[("customer", new_home)]["deleted"] is False
    kept = rows[("contact", contact)]
    assert kept["deleted"] is False
    assert kept["data"]["customer_id"] == new_home and kept["data"]["title"] == "电气主管"
    assert [c["field_name"] for c in conflicts_about(world, new_home)] == ["__deleted__"]


def test_an_edit_claiming_the_current_version_with_another_base_value_is_a_clash(
    world,
) -> None:
    """A laptop whose edit of a field lost (a conflict answer moves its base version on, not
    its data) edits the field again before it pulls: the edit names the current version but
    the old base value. The server trusts the base value it is sent: a clash, the value of
    the laptop that won stays, the new one is kept in a conflict record — never overwritten
    silently (the convergence property found it with a contact moved twice)."""
    customer, version = new_customer(world, notes="原备注")
    (won,) = applied(
        world["wang"].push(
            [wire_op("customer", customer, {"notes": "王的备注"}, base_version=version)]
        )
    )
    (lost,) = world["office"].push(
        [
            wire_op(
                "customer",
                customer,
                {"notes": "办公室的备注"},
                base_version=version,
                base={"notes": "原备注"},
            )
        ]
    )
    assert lost["status"] == "conflict" and lost["version"] == won["version"]
    (again,) = world["office"].push(
        [
            wire_op(
                "customer",
                customer,
                {"notes": "办公室再改"},
                base_version=lost["version"],  # what the laptop keeps after the answer
                base={"notes": "原备注"},
            )
        ]
    )
    assert again["status"] == "conflict", again
    assert server_rows(world)[("customer", customer)]["data"]["notes"] == "王的备注"
    assert "办公室再改" in [c["lost_value"] for c in conflicts_about(world, customer)]
