"""Reach: a manager with a valid account cannot write or read outside their grids.

Each attack of issue 15 ("access by indirection", "poison") is sent as a modified client would
send it, to a real ``keyacct-server`` process on loopback (SQLite and PostgreSQL), and each
test asserts the refusal (code and fields of the sync contract) **and** that nothing was
written: a supervisor's pull after the attack finds no new or changed record.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from keyacct_desktop.protocol.rules import MAX_TEXT_CHARS
from keyacct_desktop.store.models import visit_review_id
from keyacct_desktop.sync.client import ServerApi
from tests.sync_helpers import (
    LI_DOCUMENT,
    NOW,
    ServerProcess,
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
def reach_server(server_database: str) -> Iterator[ServerProcess]:
    yield from serve_office_and_two_managers(server_database)


@pytest.fixture(scope="module")
def world(reach_server: ServerProcess) -> Iterator[dict[str, Any]]:
    """王 and 李 each manage a grid with a customer; 李's customer has a visit, a signed
    document (uploaded), a referral and a draft checklist."""
    yield from two_grid_world_of(reach_server)


def attack(world: dict[str, Any], who: str, ops: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Push ``ops`` as ``who``; asserts that the server stored nothing at all."""
    office: ServerApi = world["office"]
    _changes, cursor = pull_changes(office)
    results = world[who].push(ops)
    assert pull_changes(office, cursor)[0] == [], "a refused push wrote records"
    return results


def refused(result: dict[str, Any], code: str, fields: list[str]) -> None:
    assert result["status"] == "rejected", result
    assert (result["code"], result["fields"]) == (code, fields), result
    assert result["message_zh"] and result["error"]


def stored(world: dict[str, Any], table: str, row_id: str) -> dict[str, Any] | None:
    found = [
        c for c in pull_changes(world["office"])[0] if c["table"] == table and c["id"] == row_id
    ]
    return found[-1]["data"] if found else None


# ------------------------------------------------------------------ access by indirection


def test_moving_a_contact_to_another_grids_customer_is_refused(world) -> None:
    (result,) = attack(
        world, "wang", [wire_op("contact", world["contact"], {"customer_id": world["b"]})]
    )
    refused(result, "forbidden_reach", ["customer_id"])
    assert stored(world, "contact", world["contact"])["customer_id"] == world["a"]  # type: ignore[index]


def test_a_new_contact_of_another_grids_customer_is_refused(world) -> None:
    (result,) = attack(
        world,
        "wang",
        [wire_op("contact", uuid.uuid4(), {"customer_id": world["b"], "name": "越界"})],
    )
    refused(result, "forbidden_reach", ["customer_id"])


def test_a_conflict_record_without_a_customer_is_refused(world) -> None:
    """It would reach every device; restoring it writes the forger's text into the row."""
    forged = {
        "table_name": "customer",
        "row_id": world["a"],
        "customer_id": None,
        "field_name": "name",
        "kept_value": "江南化工",
        "lost_value": "伪造的名称",
        "lost_by": "li@li-laptop",
        "detected_at": NOW,
    }
    (result,) = attack(world, "wang", [wire_op("sync_conflict", uuid.uuid4(), forged)])
    refused(result, "forbidden_reach", ["customer_id"])


def test_a_conflict_record_naming_another_grids_row_is_refused(world) -> None:
    forged = {
        "table_name": "customer",
        "row_id": world["b"],
        "customer_id": world["a"],  # wang's own customer as cover
        "field_name": "name",
        "kept_value": "江南化工",
        "lost_value": "伪造的名称",
        "detected_at": NOW,
    }
    (result,) = attack(world, "wang", [wire_op("sync_conflict", uuid.uuid4(), forged)])
    refused(result, "forbidden_reach", ["row_id"])


def test_a_conflict_record_about_an_office_table_is_refused(world) -> None:
    """Restoring it would write a grid (an office table) by indirection."""
    forged = {
        "table_name": "grid",
        "row_id": world["grid_li"],
        "customer_id": None,
        "field_name": "manager_id",
        "kept_value": world["users"]["li"],
        "lost_value": world["users"]["wang"],
        "detected_at": NOW,
    }
    (result,) = attack(world, "wang", [wire_op("sync_conflict", uuid.uuid4(), forged)])
    refused(result, "forbidden_reach", ["table_name"])


def test_an_attachment_record_naming_another_grids_owner_is_refused(world) -> None:
    forged = {
        "owner_table": "visit",
        "owner_id": world["visit"],
        "customer_id": world["a"],
        "kind": "document",
        "filename": "偷看.pdf",
        "mime": "application/pdf",
        "size": len(LI_DOCUMENT),
        "sha256": world["sha"],
    }
    (result,) = attack(world, "wang", [wire_op("attachment", uuid.uuid4(), forged)])
    refused(result, "forbidden_reach", ["owner_id"])
    assert world["wang"].download(world["sha"]) is None


def test_a_row_without_an_owner_is_refused(world) -> None:
    orphan = {
        "owner_table": "customer",
        "owner_id": world["a"],
        "customer_id": None,
        "kind": "photo",
        "filename": "x.png",
        "mime": "image/png",
        "size": 3,
        "sha256": world["sha"],
    }
    (result,) = attack(world, "wang", [wire_op("attachment", uuid.uuid4(), orphan)])
    refused(result, "forbidden_reach", ["customer_id"])


def test_a_child_of_another_grids_record_is_refused(world) -> None:
    ops = [
        wire_op(
            "referral_event",
            uuid.uuid4(),
            {"referral_id": world["referral"], "to_state": "closed", "at": NOW},
        ),
        wire_op(
            "checklist_item",
            uuid.uuid4(),
            {
                "checklist_id": world["checklist"],
                "position": 1,
                "stage": "application",
                "kind": "material",
                "text": "伪造",
            },
        ),
        wire_op(
            "visit_amendment",
            uuid.uuid4(),
            {"visit_id": world["visit"], "field_name": "advice", "reason": "伪造"},
        ),
        wire_op(
            "referral",
            uuid.uuid4(),
            {
                "customer_id": world["a"],
                "visit_id": world["visit"],  # li's visit under wang's customer
                "description": "x",
                "team": "营销部",
            },
        ),
    ]
    results = attack(world, "wang", ops)
    refused(results[0], "forbidden_reach", ["referral_id"])
    refused(results[1], "forbidden_reach", ["checklist_id"])
    refused(results[2], "forbidden_reach", ["visit_id"])
    refused(results[3], "forbidden_reach", ["visit_id"])


def test_editing_or_deleting_another_grids_record_is_refused(world) -> None:
    results = attack(
        world,
        "wang",
        [
            wire_op("customer", world["b"], {"name": "改别人的"}),
            wire_op("visit", world["visit"], kind="delete"),
        ],
    )
    refused(results[0], "forbidden_reach", [])
    refused(results[1], "forbidden_reach", [])


def test_office_tables_are_refused_directly_and_by_moving_customers(world) -> None:
    results = attack(
        world,
        "wang",
        [
            wire_op("grid", world["grid_li"], {"manager_id": world["users"]["wang"]}),
            wire_op(
                "grid", uuid.uuid4(), {"name": "自建网格", "manager_id": world["users"]["wang"]}
            ),
            wire_op("user", uuid.uuid4(), {"username": "x", "display_name": "x"}),
            wire_op("customer", world["a"], {"grid_id": world["grid_li"]}),
            wire_op(
                "customer",
                uuid.uuid4(),
                {
                    "account_no": uuid.uuid4().hex[:12],
                    "name": "塞进别人的网格",
                    "grid_id": world["grid_li"],
                },
            ),
        ],
    )
    for result in results[:3]:
        refused(result, "forbidden_table", [])
    refused(results[3], "forbidden_reach", ["grid_id"])
    refused(results[4], "grid_required", ["grid_id"])


# ------------------------------------------------------------------ poison


def test_an_outage_event_by_a_random_user_is_refused(world) -> None:
    event = {
        "starts_at": NOW,
        "ends_at": "2026-12-01T17:00:00",
        "area": "高新区",
        "reason": "检修",
        "created_by": str(uuid.uuid4()),
    }
    (result,) = attack(world, "wang", [wire_op("outage_event", uuid.uuid4(), event)])
    refused(result, "missing_reference", ["created_by"])


def test_a_referral_event_pointing_at_no_referral_is_refused(world) -> None:
    (result,) = attack(
        world,
        "wang",
        [
            wire_op(
                "referral_event",
                uuid.uuid4(),
                {"referral_id": str(uuid.uuid4()), "to_state": "closed", "at": NOW},
            )
        ],
    )
    refused(result, "missing_reference", ["referral_id"])


def test_an_integer_beyond_64_bits_is_refused(world) -> None:
    (result,) = attack(world, "wang", [wire_op("customer", world["a"], {"overdue_count": 2**63})])
    refused(result, "invalid_value", ["overdue_count"])


def test_an_oversized_text_field_is_refused(world) -> None:
    (result,) = attack(
        world, "wang", [wire_op("customer", world["a"], {"notes": "长" * (MAX_TEXT_CHARS + 1)})]
    )
    refused(result, "invalid_value", ["notes"])


def test_nobody_but_a_specialist_or_admin_writes_a_visit_review(world) -> None:
    """The manager of the visit (or a supervisor) cannot rate it: the business specialist's
    review is read-only for them, new, edited or deleted."""
    review_id = visit_review_id(uuid.UUID(world["visit"]))
    review = {
        "visit_id": world["visit"],
        "rating": "excellent",
        "comments": "自评优秀",
        "reviewed_at": NOW,
    }
    (by_manager,) = attack(world, "li", [wire_op("visit_review", review_id, review)])
    refused(by_manager, "forbidden_table", [])
    assert "业务专员" in by_manager["message_zh"]
    (by_office,) = attack(world, "office", [wire_op("visit_review", review_id, review)])
    refused(by_office, "forbidden_table", [])
    (deleted,) = attack(world, "li", [wire_op("visit_review", review_id, kind="delete")])
    refused(deleted, "forbidden_table", [])


# ------------------------------------------------------------------ blobs


def test_blob_download_and_state_answer_only_for_visible_blobs(world) -> None:
    sha, missing = world["sha"], hashlib.sha256(b"never uploaded").hexdigest()
    li: ServerApi = world["li"]
    wang: ServerApi = world["wang"]
    assert li.download(sha) == LI_DOCUMENT
    assert li.blob_state(sha)["complete"] is True
    # For wang, li's blob answers exactly like one that does not exist.
    assert wang.download(sha) is None and wang.download(missing) is None
    assert wang.blob_state(sha) == {**wang.blob_state(missing), "sha256": sha}
    assert wang.blob_state(sha)["size"] is None
    # Uploading does not tell either: it is refused the same way.
    headers = {"Authorization": f"Bearer {wang.token}"}
    answers = [
        wang.client.put(
            f"/api/v1/blobs/{digest}",
            params={"size": len(LI_DOCUMENT), "offset": 0},
            content=LI_DOCUMENT[:10],
            headers=headers,
        )
        for digest in (sha, missing)
    ]
    assert [a.status_code for a in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
