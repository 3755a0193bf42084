"""Reach: a manager with a valid account cannot write or read outside their grids.

Each attack of issue 15 ("access by indirection", "poison") is sent as a modified client would
send it, to a real ``keyacct-server`` process on loopback (SQLite and PostgreSQL), and each
test asserts the refusal (code and fields of the sync contract) **and** that nothing was
written: a supervisor's pull after the attack finds no new or changed record.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.engine import Engine

from keyacct_desktop.protocol.rules import MAX_TEXT_CHARS
from keyacct_desktop.server.models import Blob, BlobHolder, BlobUpload, BlobUploadChunk
from keyacct_desktop.store.models import visit_review_id
from keyacct_desktop.sync.api import ServerApi
from tests.sync_helpers import (
    LI_DOCUMENT,
    NOW,
    ServerProcess,
    api_sign_in,
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
def reach_server(server_database: str) -> Iterator[ServerProcess]:
    yield from serve_office_and_two_managers(server_database)


@pytest.fixture(scope="module")
def world(reach_server: ServerProcess) -> Iterator[dict[str, Any]]:
    """王 and 李 each manage a grid with a customer; 李's customer has a visit, a signed
    document (uploaded), a referral and a draft checklist. ``extra``: more signed-in
    clients a test opens, closed at the end."""
    for found in two_grid_world_of(reach_server):
        found["server"], found["extra"] = reach_server, []
        yield found
        for api in found["extra"]:
            api.close()


@pytest.fixture(scope="module")
def database(reach_server: ServerProcess) -> Iterator[Engine]:
    """The server's own database, to look at what was (not) kept."""
    url = reach_server.database
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = create_engine(url)
    yield engine
    engine.dispose()


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


# ------------------------------------------------------------------ blobs: proof of possession
# Knowing a SHA-256 is not having the document (server/blobs.py): a blob is read only by its
# holders (accounts that sent every byte) and through records created by a holder.


def name_blob(world: dict[str, Any], who: str, data: bytes, sha: str | None = None) -> str:
    """``who`` pushes an attachment record on their own customer naming ``sha`` (default:
    the hash of ``data``); returns the hash."""
    customer = world["a"] if who == "wang" else world["b"]
    sha = sha or hashlib.sha256(data).hexdigest()
    record = {
        "owner_table": "customer",
        "owner_id": customer,
        "customer_id": customer,
        "kind": "document",
        "filename": "合同.pdf",
        "mime": "application/pdf",
        "size": len(data),
        "sha256": sha,
    }
    applied(world[who].push([wire_op("attachment", uuid.uuid4(), record)]))
    return sha


def upload(api: ServerApi, data: bytes, sha: str, chunk: int = 700) -> int:
    offset = 0
    while offset < len(data):
        offset = api.upload_chunk(sha, len(data), offset, data[offset : offset + chunk])
    return offset


def raw(api: ServerApi, method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {api.token}"}
    answer = api.client.request(method, path, headers=headers, **kwargs)
    return answer.status_code, answer.json()


def same(known: tuple[int, Any], unknown: tuple[int, Any], sha: str, missing: str) -> bool:
    """Whether two answers are the same but for the hash they name."""
    return json.dumps(known).replace(sha, missing) == json.dumps(unknown)


def count(engine: Engine, model: Any, sha: str | None = None) -> int:
    query = select(func.count()).select_from(model)
    if sha is not None:
        query = query.where(model.sha256 == sha)
    with engine.connect() as connection:
        return int(connection.scalar(query) or 0)


def li_document(world: dict[str, Any], data: bytes) -> str:
    """李 attaches ``data`` to her customer and uploads it; returns its hash."""
    sha = name_blob(world, "li", data)
    assert upload(world["li"], data, sha) == len(data)
    return sha


def test_a_known_hash_on_an_own_record_reveals_nothing(world) -> None:
    """The attack: 王 names 李's document on his own customer. Download, state and upload
    answer exactly as for a hash the server has never seen (王 names that one too)."""
    wang: ServerApi = world["wang"]
    sha = name_blob(world, "wang", LI_DOCUMENT, li_document(world, LI_DOCUMENT + b"v2"))
    missing = name_blob(world, "wang", LI_DOCUMENT, hashlib.sha256(b"never uploaded").hexdigest())
    assert wang.download(sha) is None
    for path in ("/api/v1/blobs/{}", "/api/v1/blobs/{}/state"):
        known, unknown = (raw(wang, "GET", path.format(digest)) for digest in (sha, missing))
        assert same(known, unknown, sha, missing)
    assert raw(wang, "GET", f"/api/v1/blobs/{sha}/state")[1]["size"] is None
    # A first chunk of a "proof" is taken the same way too: it reports wang's own progress.
    put = [
        raw(wang, "PUT", f"/api/v1/blobs/{d}", params={"size": 900, "offset": 0}, content=b"x")
        for d in (sha, missing)
    ]
    assert put[0][0] == 200 and same(put[0], put[1], sha, missing)
    assert wang.blob_state(sha) == {"sha256": sha, "size": 900, "received": 1, "complete": False}
    # 李's other laptop and the office still read it: 李 created the record and holds it.
    assert api_sign_in_for(world, "li").download(sha) == LI_DOCUMENT + b"v2"
    assert world["office"].download(sha) == LI_DOCUMENT + b"v2"


def api_sign_in_for(world: dict[str, Any], who: str) -> ServerApi:
    """A second laptop of ``who`` (closed with the world)."""
    api = api_sign_in(world["server"], who, f"{who}-tablet")
    world["extra"].append(api)
    return api


def test_a_mismatching_proof_is_refused_and_starts_over(world, database) -> None:
    wang: ServerApi = world["wang"]
    data = LI_DOCUMENT + b"v3"
    sha = name_blob(world, "wang", data, li_document(world, data))
    wrong = bytes(b ^ 1 for b in data)  # same size, other bytes
    assert wang.upload_chunk(sha, len(wrong), 0, wrong[:700]) == 700  # restarts: other size
    status, answer = raw(
        wang,
        "PUT",
        f"/api/v1/blobs/{sha}",
        params={"size": len(wrong), "offset": 700},
        content=wrong[700:],
    )
    assert (status, answer["code"], answer["received"]) == (422, "content_mismatch", 0)
    assert wang.blob_state(sha) == {"sha256": sha, "size": None, "received": 0, "complete": False}
    assert wang.download(sha) is None
    assert count(database, BlobUploadChunk, sha) == count(database, BlobUpload, sha) == 0
    assert count(database, Blob, sha) == 1


def test_an_account_that_has_the_bytes_proves_it_by_uploading(world, database) -> None:
    """王 legitimately has the same file: his upload of it makes him a holder; the server
    keeps one copy; his other laptop then downloads through his record."""
    wang: ServerApi = world["wang"]
    data = b"%PDF-1.4 the same public tariff notice " * 50
    sha = li_document(world, data)
    name_blob(world, "wang", data)
    assert wang.download(sha) is None
    assert wang.upload_chunk(sha, len(data), 0, data[:1000]) == 1000
    assert wang.blob_state(sha)["received"] == 1000  # resumable like any upload
    assert wang.upload_chunk(sha, len(data), 1000, data[1000:]) == len(data)
    assert wang.blob_state(sha)["complete"] is True
    assert api_sign_in_for(world, "wang").download(sha) == data
    assert count(database, BlobHolder, sha) == 2 and count(database, BlobUpload, sha) == 0
    assert count(database, Blob, sha) == 1  # stored once


def test_an_attachment_cannot_be_pointed_at_other_content(world) -> None:
    """Readers trust a record because its creator held the content: it cannot change."""
    data = b"site photo " * 30
    sha = name_blob(world, "wang", data)
    record = next(
        c for c in world["wang"].pull(0, 1000)["changes"] if c["data"].get("sha256") == sha
    )
    (result,) = world["wang"].push(
        [
            wire_op(
                "attachment",
                record["id"],
                {"sha256": world["sha"]},
                base_version=record["version"],
            )
        ]
    )
    assert (result["status"], result["code"], result["fields"]) == (
        "rejected",
        "frozen",
        ["sha256"],
    )
