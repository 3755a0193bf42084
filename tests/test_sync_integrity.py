"""One set of integrity rules on both ends: every refusal code of the sync contract.

Against a real ``keyacct-server`` process on loopback (SQLite and PostgreSQL): each code is
provoked as a device (or a careless script) would, and the test checks the answer's code,
fields and Chinese message, and that nothing of a refused operation was stored. The rules
themselves are derived from the device store's models (``keyacct_desktop.protocol.rules``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from keyacct_desktop.protocol.rules import INT64_MAX, MAX_JSON_CHARS, rules
from keyacct_desktop.protocol.wire import PROTOCOL_VERSION
from keyacct_desktop.sync.api import ServerApi
from tests.sync_helpers import (
    NOW,
    ServerProcess,
    pull_changes,
    serve_office_and_two_managers,
    two_grid_world_of,
    wire_op,
)

#: The tests against a server run with an embedded SQLite server and with PostgreSQL.
both_backends = pytest.mark.parametrize(
    "server_database",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)


@pytest.fixture(scope="module")
def integrity_server(server_database: str) -> Iterator[ServerProcess]:
    yield from serve_office_and_two_managers(server_database)


@pytest.fixture(scope="module")
def world(integrity_server: ServerProcess) -> Iterator[dict[str, Any]]:
    yield from two_grid_world_of(integrity_server)


def push_storing_nothing(world: dict[str, Any], who: str, ops: list[dict[str, Any]]) -> Any:
    office: ServerApi = world["office"]
    cursor = pull_changes(office)[1]
    results = world[who].push(ops)
    assert pull_changes(office, cursor)[0] == [], "a refused operation was stored"
    return results


def refused(result: dict[str, Any], code: str, fields: list[str]) -> None:
    assert result["status"] == "rejected", result
    assert (result["code"], result["fields"]) == (code, fields), result
    assert result["error"] and result["message_zh"]


def test_the_rules_come_from_the_device_store_models() -> None:
    customer = rules("customer")
    assert {"account_no", "name"} <= customer.required
    assert ("account_no",) in customer.unique_keys
    assert ("event_id", "customer_id") in rules("outage_notice").unique_keys
    assert ("number",) in rules("checklist").unique_keys
    by_field = {r.field: r for r in rules("contact").references}
    assert by_field["customer_id"].table == "customer" and by_field["customer_id"].cascade
    assert {r.field: r.table for r in rules("outage_event").references} == {"created_by": "user"}


@both_backends
def test_unknown_and_office_tables(world) -> None:
    results = push_storing_nothing(
        world,
        "wang",
        [
            wire_op("no_such_table", uuid.uuid4(), {"x": 1}),
            wire_op("park", uuid.uuid4(), {"name": "经理自建园区"}),
        ],
    )
    refused(results[0], "unknown_table", [])
    refused(results[1], "forbidden_table", [])
    assert "主管" in results[1]["message_zh"]


@both_backends
def test_required_fields_are_named(world) -> None:
    results = push_storing_nothing(
        world,
        "wang",
        [
            wire_op("customer", uuid.uuid4(), {"grid_id": world["grid_wang"]}),
            wire_op("customer", world["a"], {"name": None}),
        ],
    )
    refused(results[0], "required", ["account_no", "name"])
    assert "户号" in results[0]["message_zh"] and "名称" in results[0]["message_zh"]
    refused(results[1], "required", ["name"])


@both_backends
def test_invalid_values_are_named(world) -> None:
    ops = [
        wire_op(
            "customer",
            world["a"],
            {"overdue_count": INT64_MAX + 1, "capacity_kva": "很大", "industry": "AB"},
        ),
        wire_op("customer", world["a"], {"no_such_field": 1}),
        wire_op("customer", world["a"], {"overdue_count": -(2**63) - 1}),
        wire_op(
            "visit",
            uuid.uuid4(),
            {
                "customer_id": world["a"],
                "started_at": NOW,
                "our_participants": ["x" * MAX_JSON_CHARS],
            },
        ),
        wire_op("contact", uuid.uuid4(), {"customer_id": world["a"], "name": "a\x00b"}),
    ]
    results = push_storing_nothing(world, "wang", ops)
    refused(results[0], "invalid_value", ["capacity_kva", "industry", "overdue_count"])
    refused(results[1], "invalid_value", ["no_such_field"])
    refused(results[2], "invalid_value", ["overdue_count"])
    refused(results[3], "invalid_value", ["our_participants"])
    refused(results[4], "invalid_value", ["name"])


@both_backends
def test_a_non_finite_number_is_refused(world) -> None:
    """``1e400`` is valid JSON that Python reads as infinity; PostgreSQL's JSON cannot hold it."""
    cursor = pull_changes(world["office"])[1]
    op = wire_op("customer", world["a"], {"capacity_kva": 12345})
    body = json.dumps({"protocol": PROTOCOL_VERSION, "ops": [op]}).replace("12345", "1e400")
    answer = world["wang"].client.post(
        "/api/v1/push",
        content=body,
        headers={
            "Authorization": f"Bearer {world['wang'].token}",
            "Content-Type": "application/json",
        },
    )
    assert answer.status_code == 200, answer.text
    refused(answer.json()["results"][0], "invalid_value", ["capacity_kva"])
    assert pull_changes(world["office"], cursor)[0] == []


@both_backends
def test_references_to_missing_or_deleted_rows(world) -> None:
    gone = str(uuid.uuid4())
    wang: ServerApi = world["wang"]
    (made,) = wang.push([wire_op("contact", gone, {"customer_id": world["a"], "name": "临时"})])
    wang.push([wire_op("contact", gone, kind="delete", base_version=made["version"])])
    results = push_storing_nothing(
        world,
        "wang",
        [
            wire_op("contact", uuid.uuid4(), {"customer_id": str(uuid.uuid4()), "name": "无主"}),
            wire_op(
                "customer",
                world["a"],
                {"park_id": str(uuid.uuid4())},
            ),
            wire_op(
                "attachment",
                uuid.uuid4(),
                {
                    "owner_table": "contact",
                    "owner_id": gone,
                    "customer_id": world["a"],
                    "kind": "photo",
                    "filename": "x.png",
                    "mime": "image/png",
                    "size": 1,
                    "sha256": "0" * 64,
                },
            ),
        ],
    )
    refused(results[0], "missing_reference", ["customer_id"])
    refused(results[1], "missing_reference", ["park_id"])
    refused(results[2], "missing_reference", ["owner_id"])


@both_backends
def test_dependents_of_a_refused_row_are_refused_with_its_cause(world) -> None:
    """The issue's manager: a customer created without a grid, then a visit, a contact, a
    referral with its event — in one push and in a later one."""
    customer, visit, referral = (str(uuid.uuid4()) for _ in range(3))
    results = push_storing_nothing(
        world,
        "wang",
        [
            wire_op("customer", customer, {"account_no": uuid.uuid4().hex[:12], "name": "新客户"}),
            wire_op("contact", uuid.uuid4(), {"customer_id": customer, "name": "联系人"}),
            wire_op("visit", visit, {"customer_id": customer, "started_at": NOW}),
            wire_op(
                "referral",
                referral,
                {
                    "customer_id": customer,
                    "visit_id": visit,
                    "description": "增容",
                    "team": "营销部",
                },
            ),
            wire_op(
                "referral_event",
                uuid.uuid4(),
                {"referral_id": referral, "to_state": "open", "at": NOW},
            ),
        ],
    )
    refused(results[0], "grid_required", ["grid_id"])
    assert results[0]["message_zh"] == "客户经理只能在自己的网格中新建客户,请选择您负责的网格"
    cause = {
        "table": "customer",
        "id": customer,
        "code": "grid_required",
        "message_zh": results[0]["message_zh"],
    }
    for result, field in zip(
        results[1:], ["customer_id", "customer_id", "customer_id", "referral_id"], strict=True
    ):
        refused(result, "parent_refused", [field])
        assert result["cause"] == cause
    (later,) = push_storing_nothing(
        world,
        "wang",
        [
            wire_op(
                "planned_visit", uuid.uuid4(), {"customer_id": customer, "planned_on": "2026-12-03"}
            )
        ],
    )
    refused(later, "parent_refused", ["customer_id"])
    assert later["cause"] == cause
    # Fixed and resent, with everything that depends on it: all stored.
    fixed = world["wang"].push(
        [
            wire_op(
                "customer",
                customer,
                {
                    "account_no": uuid.uuid4().hex[:12],
                    "name": "新客户",
                    "grid_id": world["grid_wang"],
                },
            ),
            wire_op("visit", visit, {"customer_id": customer, "started_at": NOW}),
        ]
    )
    assert [r["status"] for r in fixed] == ["applied", "applied"], fixed


@both_backends
def test_a_row_named_before_it_is_created_in_the_same_push_is_accepted(world) -> None:
    """A visit names its signature, whose record the client may queue after the visit."""
    visit, signature = str(uuid.uuid4()), str(uuid.uuid4())
    results = world["wang"].push(
        [
            wire_op(
                "visit",
                visit,
                {"customer_id": world["a"], "started_at": NOW, "signature_id": signature},
            ),
            wire_op(
                "attachment",
                signature,
                {
                    "owner_table": "visit",
                    "owner_id": visit,
                    "customer_id": world["a"],
                    "kind": "signature",
                    "filename": "签名.png",
                    "mime": "image/png",
                    "size": 10,
                    "sha256": "1" * 64,
                },
            ),
        ]
    )
    assert [r["status"] for r in results] == ["applied", "applied"], results
    assert results[1]["version"] < results[0]["version"]  # the signature was stored first


@both_backends
def test_duplicate_business_keys_of_an_edit_are_refused(world) -> None:
    office: ServerApi = world["office"]
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    number = f"GZ-{uuid.uuid4().hex[:8]}"
    made = office.push(
        [
            wire_op(
                "checklist",
                first,
                {"customer_id": world["a"], "business_type": "new_install", "number": number},
            ),
            wire_op(
                "checklist", second, {"customer_id": world["a"], "business_type": "new_install"}
            ),
        ]
    )
    assert [r["status"] for r in made] == ["applied", "applied"]
    results = push_storing_nothing(
        world,
        "office",
        [
            wire_op("customer", world["a"], {"account_no": f"B{world['suffix']}"}),  # b's 户号
            wire_op("checklist", second, {"number": number}, base_version=made[1]["version"]),
            wire_op(
                "checklist",
                uuid.uuid4(),
                {"customer_id": world["a"], "business_type": "new_install", "number": number},
            ),
        ],
    )
    refused(results[0], "duplicate_key", ["account_no"])
    refused(results[1], "duplicate_key", ["number"])
    refused(results[2], "duplicate_key", ["number"])  # document numbers never merge


@both_backends
def test_issued_documents_are_frozen(world) -> None:
    checklist = str(uuid.uuid4())
    (made,) = world["office"].push(
        [
            wire_op(
                "checklist",
                checklist,
                {
                    "customer_id": world["a"],
                    "business_type": "new_install",
                    "status": "issued",
                    "number": f"GZ-{uuid.uuid4().hex[:8]}",
                },
            )
        ]
    )
    results = push_storing_nothing(
        world,
        "wang",
        [
            wire_op("checklist", checklist, {"case_note": "改"}, base_version=made["version"]),
            wire_op("checklist", checklist, kind="delete", base_version=made["version"]),
        ],
    )
    refused(results[0], "frozen", ["case_note"])
    refused(results[1], "frozen", [])


def test_the_sqlite_server_store_commits_durably(tmp_path) -> None:
    """synchronous=FULL: a commit a device was told about survives a power cut."""
    from sqlalchemy import text

    from keyacct_desktop.server.db import server_engine

    engine = server_engine(f"sqlite:///{tmp_path / 'server.sqlite3'}")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    engine.dispose()
