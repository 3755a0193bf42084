"""Batched push on the server and batched apply on the client: the edge cases of batching.

The server applies a push request as one batch (rows read with ``IN`` queries, versions taken
from the counter once, rows written with executemany). These tests pin down that a batch
behaves exactly like its operations applied one by one: duplicates inside a batch, retried
batches, mixed answers, several operations on one row, and versions that stay in commit
order between concurrent pushes. They run in-process against SQLite and PostgreSQL.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop.progress import TaskState
from keyacct_desktop.protocol.codec import row_to_data
from keyacct_desktop.server import accounts
from keyacct_desktop.server import pull as server_pull
from keyacct_desktop.server import push as server_push
from keyacct_desktop.server import push_batch as server_push_batch
from keyacct_desktop.server import push_ops as server_push_ops
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.server.models import Account, AppliedOp, AuditEntry, Counter, Device, SyncRow
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import PendingChange, SyncBase, SyncInbox
from keyacct_desktop.store.models import Contact, Customer
from keyacct_desktop.sync import pull as sync_pull
from keyacct_desktop.sync import state as sync_state

PASSWORD = "correct horse battery"
Sessions = sessionmaker[Session]


def _database_url(request: pytest.FixtureRequest, folder: Path, kind: str) -> str:
    if kind == "postgresql":
        server = request.getfixturevalue("postgres_server")
        name = f"keyacct_{uuid.uuid4().hex[:10]}"
        server.psql(f'CREATE DATABASE "{name}";')
        return server.get_uri().replace("/postgres?", f"/{name}?", 1)
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'server.sqlite3'}"


@pytest.fixture(params=["sqlite", "postgresql"])
def new_server(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Callable[[], dict[str, Any]]]:
    """Makes fresh server databases, each with the same accounts and records (a "world")."""
    engines = []

    def make(ids: dict[str, str] | None = None) -> dict[str, Any]:
        engine = server_engine(
            _database_url(request, tmp_path / f"server{len(engines)}", request.param)
        )
        engines.append(engine)
        migrate_server(engine)
        return _world(session_factory(engine), ids)

    yield make
    for engine in engines:
        engine.dispose()


def _world(sessions: Sessions, ids: dict[str, str] | None = None) -> dict[str, Any]:
    """A supervisor, managers 王 and 李 with a grid and a customer each, an issued checklist.

    ``ids`` (from another world) makes a second server with the same record ids.
    """
    world: dict[str, Any] = {"sessions": sessions}
    with sessions.begin() as session:
        for name, role in (("office", "supervisor"), ("wang", "manager"), ("li", "manager")):
            account = accounts.create_account(session, name, PASSWORD, role)
            token, device, _account = accounts.login(session, name, PASSWORD, f"{name}-laptop")
            world[name] = (account.id, device.id)
            world[f"{name}_token"] = token
            world[f"{name}_user"] = str(account.user_id)
    names = ("park", "grid_wang", "grid_li", "a", "b", "checklist", "item", "number")
    ids = ids or {name: str(uuid.uuid4()) for name in names}
    world |= {name: ids[name] for name in names}
    results = push(
        world,
        "office",
        [
            op("park", ids["park"], {"name": "高新区"}),
            op("grid", ids["grid_wang"], {"name": "王的网格", "manager_id": world["wang_user"]}),
            op("grid", ids["grid_li"], {"name": "李的网格", "manager_id": world["li_user"]}),
            op("customer", ids["a"], customer_fields("A1", "华东精密", ids["grid_wang"])),
            op("customer", ids["b"], customer_fields("B1", "江南化工", ids["grid_li"])),
            op(
                "checklist",
                ids["checklist"],
                {
                    "customer_id": ids["a"],
                    "business_type": "new_install",
                    "status": "issued",
                    "number": f"N{ids['number'][:8]}",
                },
            ),
            op(
                "checklist_item",
                ids["item"],
                {
                    "checklist_id": ids["checklist"],
                    "position": 1,
                    "stage": "application",
                    "kind": "material",
                    "text": "营业执照",
                },
            ),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 7, results
    return world


def customer_fields(account_no: str, name: str, grid_id: str) -> dict[str, Any]:
    return {"account_no": account_no, "name": name, "grid_id": grid_id}


def op(
    table: str,
    row_id: str,
    fields: dict[str, Any] | None = None,
    *,
    kind: str = "upsert",
    base_version: int = 0,
    base: dict[str, Any] | None = None,
    op_id: uuid.UUID | None = None,
) -> server_push_batch.Operation:
    return server_push_batch.Operation(
        op_id or uuid.uuid4(),
        table,
        uuid.UUID(row_id),
        kind,
        base_version,
        fields or {},
        base or {},
    )


def push(
    world: dict[str, Any], who: str, operations: list[server_push_batch.Operation]
) -> list[dict[str, Any]]:
    """One push request by ``who``, committed like the HTTP endpoint does."""
    with world["sessions"].begin() as session:
        account_id, device_id = world[who]
        account = session.get(Account, account_id)
        device = session.get(Device, device_id)
        assert account is not None and device is not None
        return server_push.push(session, account, device, operations)


def row(world: dict[str, Any], table: str, row_id: str) -> SyncRow | None:
    with world["sessions"]() as session:
        return session.get(SyncRow, (table, uuid.UUID(row_id)))


def count(world: dict[str, Any], model: Any) -> int:
    with world["sessions"]() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def counter(world: dict[str, Any], name: str = "change") -> int:
    with world["sessions"]() as session:
        return session.scalar(select(Counter.value).where(Counter.name == name)) or 0


def contact(customer_id: str, name: str) -> dict[str, Any]:
    return {"customer_id": customer_id, "name": name}


# ------------------------------------------------------------------ server


def test_duplicate_op_ids_inside_one_batch_are_applied_once(new_server) -> None:
    world = new_server()
    repeated = op("contact", str(uuid.uuid4()), contact(world["a"], "赵强"))
    other = op("contact", str(uuid.uuid4()), contact(world["a"], "钱丽"))
    applied_before = count(world, AppliedOp)
    results = push(world, "wang", [repeated, other, repeated])
    assert [r["status"] for r in results] == ["applied"] * 3
    assert results[2]["duplicate"] is True and "duplicate" not in results[0]
    assert results[2]["version"] == results[0]["version"] != results[1]["version"]
    assert count(world, AppliedOp) == applied_before + 2
    assert counter(world) == results[1]["version"]


def test_an_issued_document_cannot_be_reopened_by_a_push(new_server) -> None:
    """Back to draft would let its content change under the same number and hash."""
    world = new_server()
    issued = row(world, "checklist", world["checklist"]).version  # type: ignore[union-attr]
    results = push(
        world,
        "office",
        [
            op("checklist", world["checklist"], {"status": "draft"}, base_version=issued),
            op("checklist_item", world["item"], {"text": "改了内容"}),
            op("checklist", world["checklist"], {"status": "superseded"}, base_version=issued),
        ],
    )
    assert [r["status"] for r in results] == ["rejected", "rejected", "applied"], results
    assert "status cannot go from issued to draft" in results[0]["error"]
    assert row(world, "checklist", world["checklist"]).data["status"] == "superseded"  # type: ignore[union-attr]
    assert row(world, "checklist_item", world["item"]).data["text"] == "营业执照"  # type: ignore[union-attr]


def test_a_retried_batch_gets_the_same_answers_and_writes_nothing(new_server) -> None:
    world = new_server()
    customer_a = row(world, "customer", world["a"])
    assert customer_a is not None
    batch = [
        op("contact", str(uuid.uuid4()), contact(world["a"], "赵强")),
        op(
            "customer",
            world["a"],
            {"name": "改名一"},
            base_version=customer_a.version,
            base={"name": "华东精密"},
        ),
        op("customer", world["b"], {"name": "别人的客户"}),  # li's customer: refused
    ]
    first = push(world, "wang", batch)
    state = (counter(world), count(world, AppliedOp), count(world, AuditEntry))
    again = push(world, "wang", batch)  # the answer was lost; the device sends it again
    assert [{k: v for k, v in r.items() if k != "duplicate"} for r in again] == first
    assert all(r["duplicate"] for r in again)
    assert (counter(world), count(world, AppliedOp), count(world, AuditEntry)) == state


def test_mixed_answers_in_one_batch(new_server) -> None:
    world = new_server()
    customer_a = row(world, "customer", world["a"])
    assert customer_a is not None
    new_customer, new_contact = str(uuid.uuid4()), str(uuid.uuid4())
    batch = [
        op("contact", str(uuid.uuid4()), contact(world["a"], "赵强")),  # applied
        op("customer", world["b"], {"name": "改别人的"}),  # li's customer: forbidden
        op("contact", str(uuid.uuid4()), contact(world["b"], "越界")),  # forbidden
        op(  # someone changed the name since this device's base: conflict, theirs kept
            "customer",
            world["a"],
            {"name": "我的名字"},
            base_version=customer_a.version - 1,
            base={"name": "旧名字"},
        ),
        op("checklist_item", world["item"], {"text": "改了内容"}),  # issued: refused
        op(
            "checklist_item",
            world["item"],
            {"received_note": "已收到"},
            base={"received_note": None},
        ),  # allowed
        op("contact", str(uuid.uuid4()), {"customer_id": world["a"], "nope": 1}),  # bad field
        op("no_such_table", str(uuid.uuid4()), {"x": 1}),  # unknown table
        op("grid", world["grid_wang"], {"name": "改网格"}),  # office table
        op("customer", str(uuid.uuid4()), customer_fields("C1", "别处", world["grid_li"])),
        op("customer", new_customer, customer_fields("D1", "新客户", world["grid_wang"])),
        op("contact", new_contact, contact(new_customer, "新联系人")),  # sees the new customer
        op("checklist", world["checklist"], {}, kind="delete"),  # issued: never deleted
    ]
    results = push(world, "wang", batch)
    assert [r["status"] for r in results] == [
        "applied",
        "rejected",
        "rejected",
        "conflict",
        "rejected",
        "applied",
        "rejected",
        "rejected",
        "rejected",
        "rejected",
        "applied",
        "applied",
        "rejected",
    ], results
    assert "forbidden" in results[1]["error"] and "forbidden" in results[2]["error"]
    assert results[3]["conflicts"] == ["name"]
    assert "issued document" in results[4]["error"]
    assert "forbidden" in results[9]["error"]
    assert "cannot be deleted" in results[12]["error"]
    assert row(world, "customer", world["b"]).data["name"] == "江南化工"  # type: ignore[union-attr]
    assert row(world, "customer", world["a"]).data["name"] == "华东精密"  # type: ignore[union-attr]
    item = row(world, "checklist_item", world["item"])
    assert item is not None and item.data["text"] == "营业执照"
    assert item.data["received_note"] == "已收到"
    assert row(world, "contact", new_contact).customer_id == uuid.UUID(new_customer)  # type: ignore[union-attr]
    with world["sessions"]() as session:
        lost = session.scalars(select(SyncRow).where(SyncRow.table_name == "sync_conflict")).all()
    assert [(c.data["kept_value"], c.data["lost_value"]) for c in lost] == [
        ("华东精密", "我的名字")
    ]
    assert lost[0].customer_id == uuid.UUID(world["a"])
    assert counter(world) == max(r["version"] for r in results if r.get("version"))


def test_two_operations_on_one_row_in_one_batch(new_server) -> None:
    world = new_server()
    edited, removed, clashed = (str(uuid.uuid4()) for _ in range(3))
    first = {**contact(world["a"], "赵强"), "mobile": None}  # an insert sends every field
    results = push(
        world,
        "wang",
        [
            # created, then edited on this device: based on the first op, as the client sends it
            op("contact", edited, first),
            op("contact", edited, {"mobile": "13800000000"}, base=first),
            # created, then deleted
            op("contact", removed, contact(world["a"], "临时")),
            op("contact", removed, kind="delete"),
            # created, then a second op whose base predates the first: a real clash
            op("contact", clashed, contact(world["a"], "原名")),
            op("contact", clashed, {"name": "甲"}, base={"name": "原名"}),
            op("contact", clashed, {"name": "乙"}, base={"name": "原名"}),
        ],
    )
    assert [r["status"] for r in results] == ["applied"] * 6 + ["conflict"]
    versions = [r["version"] for r in results]
    assert versions[:6] == sorted(versions[:6]) and len(set(versions[:6])) == 6
    stored = row(world, "contact", edited)
    assert stored is not None and stored.version == versions[1]
    assert stored.data["name"] == "赵强" and stored.data["mobile"] == "13800000000"
    gone = row(world, "contact", removed)
    assert gone is not None and gone.deleted and gone.version == versions[3]
    kept = row(world, "contact", clashed)
    assert kept is not None and kept.data["name"] == "甲" and kept.version == versions[5]
    # What a pull reads (version > cursor): every row once, at its last version.
    with world["sessions"]() as session:
        changes = session.execute(
            select(SyncRow.row_id, SyncRow.version)
            .where(SyncRow.version >= versions[0])
            .order_by(SyncRow.version)
        ).all()
    assert len(changes) == len({row_id for row_id, _version in changes})
    assert dict(changes)[uuid.UUID(edited)] == versions[1]
    assert counter(world) == max(version for _row_id, version in changes)


def test_a_batch_answers_like_one_push_per_operation(new_server) -> None:
    """The batch is an optimisation only: same answers, versions and rows as op by op."""
    worlds = [new_server()]
    worlds.append(new_server(worlds[0]))  # the same record ids, so the stores compare
    first_customer = str(uuid.uuid4())
    contacts = [str(uuid.uuid4()) for _ in range(4)]

    def operations(world: dict[str, Any]) -> list[server_push_batch.Operation]:
        customer_a = row(world, "customer", world["a"])
        assert customer_a is not None
        return [
            op("customer", first_customer, customer_fields("E1", "一", world["grid_wang"])),
            op("contact", contacts[0], contact(first_customer, "甲")),
            op("contact", contacts[0], {"name": "甲二"}, base={"name": "甲"}),
            op("contact", contacts[1], contact(world["a"], "乙")),
            op("contact", contacts[1], {"name": "乙二"}, base={"name": "别的"}),
            op("contact", contacts[2], contact(world["b"], "丙")),
            op("contact", contacts[3], contact(world["a"], "丁")),
            op("contact", contacts[3], kind="delete"),
            op("contact", contacts[3], {"name": "丁二"}, base={"name": "丁"}),
            op(
                "customer",
                world["a"],
                {"name": "新名", "notes": "备注"},
                base_version=customer_a.version,
            ),
            op("customer", world["a"], {"grid_id": world["grid_li"]}),
        ]

    def outcome(world: dict[str, Any], results: list[dict[str, Any]]) -> Any:
        stored = _comparable_rows(world)
        answers = [{k: v for k, v in r.items() if k != "op_id"} for r in results]
        return answers, stored, counter(world), counter(world, "access")

    one_batch = push(worlds[0], "wang", operations(worlds[0]))
    one_by_one = [push(worlds[1], "wang", [o])[0] for o in operations(worlds[1])]
    assert outcome(worlds[0], one_batch) == outcome(worlds[1], one_by_one)


def _group_pushes(world: dict[str, Any]) -> list[tuple[str, list[server_push_batch.Operation]]]:
    """Pushes by three people that read what the ones before them wrote, unflushed."""
    grid, customer, contact_c, contact_b = (world[f"new_{name}"] for name in "gcxy")
    customer_a = row(world, "customer", world["a"])
    assert customer_a is not None
    return [
        (
            "office",
            [
                op("grid", grid, {"name": "新网格", "manager_id": world["wang_user"]}),
                op("customer", customer, customer_fields("C1", "新客户", grid)),
            ],
        ),
        (
            "wang",
            [  # sees the customer only through the grid the office push just gave him
                op("contact", contact_c, contact(customer, "孙")),
                op("customer", world["a"], {"name": "改名"}, base_version=customer_a.version),
            ],
        ),
        (
            "li",
            [
                op("customer", world["a"], {"name": "越权"}),
                op("contact", contact_b, contact(world["b"], "周")),
            ],
        ),
        ("bad", [op("park", str(uuid.uuid4()), {"name": "无权"})]),
        (  # an edit based on the name before wang's: a clash with the push two before
            "wang",
            [op("customer", world["a"], {"name": "另名"}, base={"name": "华东精密"})],
        ),
    ]


def _comparable_rows(world: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The stored rows, in version order, as two worlds with the same record ids compare."""
    with world["sessions"]() as session:
        rows = session.scalars(select(SyncRow).order_by(SyncRow.version)).all()
        return [
            (r.table_name, r.version, r.deleted, r.customer_id)
            + (
                (r.data["row_id"], r.data["field_name"], r.data["lost_value"])
                if r.table_name == "sync_conflict"  # own id and time differ
                else (r.row_id, r.data)
            )
            for r in rows
            if r.table_name not in ("user", "grid")  # user ids differ between worlds
        ]


def _group_outcome(world: dict[str, Any], answers: list[Any]) -> Any:
    stored = _comparable_rows(world)
    shown = [
        type(answer).__name__
        if isinstance(answer, Exception)
        else [{k: v for k, v in result.items() if k not in ("op_id", "id")} for result in answer]
        for answer in answers
    ]
    return shown, stored, counter(world), counter(world, "access")


def _one_by_one(
    world: dict[str, Any], pushes: list[tuple[str, list[server_push_batch.Operation]]]
) -> list[Any]:
    """Each push in its own transaction, as if no other push came at the same time."""
    answers = []
    for who, operations in pushes:
        with world["sessions"].begin() as session:
            answers.append(server_push.push_group(session, [_request(world, who, operations)])[0])
    return answers


def _request(world: dict[str, Any], who: str, operations: list[server_push_batch.Operation]) -> Any:
    return server_push.PushRequest(world.get(f"{who}_token", "no such token"), operations)


def _grouped(
    world: dict[str, Any], pushes: list[tuple[str, list[server_push_batch.Operation]]]
) -> list[Any]:
    with world["sessions"].begin() as session:
        return server_push.push_group(session, [_request(world, who, ops) for who, ops in pushes])


@pytest.mark.parametrize("failing", [False, True], ids=["all-apply", "one-push-fails"])
def test_a_group_commit_answers_like_the_pushes_one_by_one(
    new_server, monkeypatch: pytest.MonkeyPatch, failing: bool
) -> None:
    """Concurrent pushes share one transaction and one batch; each still gets the answers it
    would get alone, in arrival order, and a push that fails (a bug, a lost connection) is
    rolled back alone: the others keep their answers and versions keep no gaps."""
    ids = {name: str(uuid.uuid4()) for name in ("new_g", "new_c", "new_x", "new_y")}
    worlds = [new_server() | ids]
    worlds.append(new_server(worlds[0]) | ids)
    if failing:  # li's contact blows up mid-apply, after his first operation was applied
        apply_operation = server_push_ops.apply_operation

        def broken(batch: Any, operation: server_push_batch.Operation) -> Any:
            if str(operation.row_id) == ids["new_y"]:
                raise RuntimeError("the database went away")
            return apply_operation(batch, operation)

        monkeypatch.setattr(server_push, "apply_operation", broken)
    grouped = _grouped(worlds[0], _group_pushes(worlds[0]))
    one_by_one = _one_by_one(worlds[1], _group_pushes(worlds[1]))
    assert _group_outcome(worlds[0], grouped) == _group_outcome(worlds[1], one_by_one)
    statuses = [
        answer if isinstance(answer, Exception) else [r["status"] for r in answer]
        for answer in grouped
    ]
    assert statuses[0] == ["applied", "applied"] and statuses[1] == ["applied", "applied"]
    assert isinstance(statuses[3], accounts.AuthError)
    assert statuses[4] == ["conflict"]
    if failing:
        assert isinstance(statuses[2], RuntimeError)
    else:
        assert statuses[2] == ["rejected", "applied"]
    # Versions in arrival order; none handed out and lost (the newest row holds the counter).
    answered = [
        result["version"]
        for answer in grouped
        if not isinstance(answer, Exception)
        for result in answer
        if result["status"] == "applied" and not result.get("duplicate")
    ]
    assert answered == sorted(answered)
    with worlds[0]["sessions"]() as session:
        assert session.scalar(select(func.max(SyncRow.version))) == counter(worlds[0])


def test_a_group_of_pulls_answers_like_each_pull_alone(
    new_server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pulls served together share their queries; each page is still exactly its own."""
    world = new_server()
    extra = [str(uuid.uuid4()) for _ in range(6)]
    for number, customer_id in enumerate(extra):
        grid = world["grid_wang"] if number % 2 else world["grid_li"]
        push(
            world,
            "office",
            [op("customer", customer_id, customer_fields(f"X{number}", f"客户{number}", grid))],
        )
        push(
            world,
            "office",
            [op("contact", str(uuid.uuid4()), contact(customer_id, f"联系人{number}"))],
        )
    # An edit makes a gap: the customer's earlier version is gone from the rows.
    push(world, "office", [op("customer", extra[0], {"notes": "改过"})])
    top = counter(world)
    monkeypatch.setattr(
        server_pull, "SHARED_PULL_SPAN", 6
    )  # some pulls are too far behind to share
    asked = [
        ("office", top - 3, 2, None),
        ("office", top - 9, 4, None),
        ("office", 0, 5, None),  # far behind: on its own
        ("office", top, 10, None),  # nothing new
        ("wang", 0, 100, None),
        ("wang", top - 5, 1, None),
        ("li", top - 8, 3, None),
        ("li", 0, 2, [uuid.UUID(world["b"])]),
        ("nobody", 0, 10, None),
        ("office", top - 4, 1000, None),
    ]
    requests = [
        server_pull.PullRequest(world.get(f"{who}_token"), cursor, limit, ids)
        for who, cursor, limit, ids in asked
    ]

    def shown(page: Any) -> Any:
        if isinstance(page, Exception):
            return type(page).__name__
        return {k: v for k, v in page.as_dict().items() if k != "server_time"}

    with world["sessions"].begin() as session:
        together = [
            shown(page)
            for page in server_pull.pull_group(session, requests, server_pull.PullCache())
        ]
    alone = []
    for request in requests:
        with world["sessions"].begin() as session:
            alone.append(
                shown(server_pull.pull_group(session, [request], server_pull.PullCache())[0])
            )
    with world["sessions"].begin() as session:
        plain = []
        for (_who, cursor, limit, ids), request in zip(asked, requests, strict=True):
            if request.token is None:
                continue
            account, _device = accounts.authenticate(session, request.token)
            plain.append(shown(server_pull.pull(session, account, cursor, limit, ids)))
    assert together == alone
    assert [page for page in together if isinstance(page, dict)] == plain
    assert together[8] == "AuthError"
    assert together[2]["more"] and len(together[2]["changes"]) == 5
    access_epoch = counter(world, "access")
    assert together[3] == {
        "changes": [],
        "cursor": top,
        "more": False,
        "access_epoch": access_epoch,
    }
    assert {change["table"] for change in together[4]["changes"]} >= {"customer", "contact"}

    # One pull failing unexpectedly fails alone: the others are answered one by one.
    versions_after = server_pull._versions_after

    def failing(connection: Any, account: Any, ids: Any, cursor: int, count: int) -> Any:
        if cursor == top - 9:
            raise RuntimeError("the disk went away")
        return versions_after(connection, account, ids, cursor, count)

    monkeypatch.setattr(server_pull, "_versions_after", failing)
    with world["sessions"].begin() as session:
        answers = [
            shown(page)
            for page in server_pull.pull_group(session, requests, server_pull.PullCache())
        ]
    assert answers[1] == "RuntimeError"
    assert answers[:1] + answers[2:] == together[:1] + together[2:]


def test_a_group_authenticates_every_token_in_one_query(new_server) -> None:
    """Each token gets its own answer: its device, or why it is refused; ``last_seen`` is
    written only for devices not seen for a while."""
    world = new_server()
    with world["sessions"].begin() as session:
        token, revoked_device, _account = accounts.login(session, "wang", PASSWORD, "旧电脑")
        accounts.revoke_device(session, revoked_device.id)
        li = session.get(Account, world["li"][0])
        assert li is not None
        li.active = False
        stale = session.get(Device, world["office"][1])
        assert stale is not None
        stale.last_seen = None
    tokens = [world["wang_token"], token, world["li_token"], "no-such-token", None]
    tokens += [world["office_token"], world["wang_token"]]
    with world["sessions"].begin() as session:
        answers = accounts.authenticate_many(session, tokens)
    assert [type(answer).__name__ for answer in answers] == [
        "tuple", "AuthError", "AuthError", "AuthError", "AuthError", "tuple", "tuple"
    ]  # fmt: skip
    assert [str(answers[i]) for i in (1, 2, 3, 4)] == [
        "unknown or revoked device token",
        "account disabled",
        "unknown or revoked device token",
        "no token",
    ]
    assert answers[1] is not answers[3]  # raised separately by separate requests
    wang, office = answers[0], answers[5]
    assert isinstance(wang, tuple) and isinstance(office, tuple)
    assert wang[1].id == world["wang"][1] and office[0].role == "supervisor"
    with world["sessions"]() as session:
        seen = session.get(Device, world["office"][1])
        assert seen is not None and seen.last_seen is not None


def test_concurrent_pushes_take_versions_in_commit_order(new_server) -> None:
    """A push holds the counter until it commits: a later writer's versions are larger, so a
    pull cursor never passes a version that commits later."""
    world = new_server()
    sessions: Sessions = world["sessions"]
    first = sessions()
    first.begin()
    account = first.get(Account, world["office"][0])
    device = first.get(Device, world["office"][1])
    assert account is not None and device is not None
    early = server_push.push(
        first, account, device, [op("park", str(uuid.uuid4()), {"name": "一号"})]
    )
    later: list[dict[str, Any]] = []
    second = threading.Thread(
        target=lambda: later.extend(
            push(world, "office", [op("park", str(uuid.uuid4()), {"name": "二号"})])
        )
    )
    second.start()
    second.join(1.0)
    assert second.is_alive()  # waits for the counter while the first push is open
    first.commit()
    first.close()
    second.join(30)
    assert later and later[0]["version"] > early[0]["version"]


# ------------------------------------------------------------------ client


def _inbox(store: Store, entries: list[tuple[str, uuid.UUID, int, dict[str, Any]]]) -> None:
    with store.begin() as session:
        for table, row_id, version, data in entries:
            session.add(
                SyncInbox(
                    table_name=table, row_id=row_id, version=version, deleted=False, data=data
                )
            )


def test_pulled_rows_are_bulk_applied_without_logging_or_overwriting_local_edits(
    store: Store,
) -> None:
    with store.begin() as session:
        mine = Customer(account_no="L1", name="本地客户", notes="本地备注")
        session.add(mine)
        mine_id = mine.id
    with store.begin() as session:
        session.execute(delete(PendingChange))  # as if pushed already
        local = session.get(Customer, mine_id)
        assert local is not None
        local.notes = "还没上传的修改"  # a pending local edit of one field
    pending_before = sync_state.pending_count(store)
    remote_customer, remote_contact = uuid.uuid4(), uuid.uuid4()
    existing = {
        "id": str(mine_id),
        "account_no": "L1",
        "name": "服务器改名",
        "notes": "服务器备注",
    }
    _inbox(
        store,
        [  # the child before its parent, and an older version of the existing row
            (
                "contact",
                remote_contact,
                12,
                {
                    "id": str(remote_contact),
                    "name": "联系人",
                    "customer_id": str(remote_customer),
                    "last_verified": "2026-11-01",
                },
            ),
            (
                "customer",
                remote_customer,
                11,
                {
                    "id": str(remote_customer),
                    "account_no": "R1",
                    "name": "远端客户",
                    "annual_kwh": 12.5,
                },
            ),
            ("customer", mine_id, 9, {**existing, "name": "旧版本"}),
            ("customer", mine_id, 10, existing),
        ],
    )
    sync_pull._apply_inbox(store)
    assert sync_state.pending_count(store) == pending_before  # remote rows are never logged
    with store.read() as session:
        local = session.get(Customer, mine_id)
        assert local is not None
        assert (local.name, local.notes, local.version) == ("服务器改名", "还没上传的修改", 10)
        customer = session.get(Customer, remote_customer)
        assert customer is not None and customer.version == 11 and customer.annual_kwh == 12.5
        person = session.get(Contact, remote_contact)
        assert person is not None and person.customer_id == remote_customer
        assert person.last_verified == date(2026, 11, 1)
        bases = {b.row_id: b for b in session.scalars(select(SyncBase))}
        assert bases[mine_id].version == 10 and bases[mine_id].data["notes"] == "服务器备注"
        assert bases[remote_contact].version == 12
        assert session.scalar(select(func.count()).select_from(SyncInbox)) == 0
    with store.read() as session:  # the whole record as the device now holds it
        data = row_to_data(session.get(Customer, remote_customer))  # type: ignore[arg-type]
    assert data["name"] == "远端客户" and data["account_no"] == "R1"


def test_own_pushes_coming_back_only_move_the_version(store: Store) -> None:
    """A pulled row equal to the merge base (the device's own push) is not rewritten."""
    with store.begin() as session:
        agreed = Customer(account_no="P1", name="已上传", notes="本地")
        edited = Customer(account_no="P2", name="已上传二")
        session.add_all([agreed, edited])
        ids = agreed.id, edited.id
    wire = {}
    with store.begin() as session:
        session.execute(delete(PendingChange))
        for row_id in ids:
            customer = session.get(Customer, row_id)
            assert customer is not None
            wire[row_id] = row_to_data(customer)
            session.add(
                SyncBase(table_name="customer", row_id=row_id, version=7, data=wire[row_id])
            )
    with store.begin() as session:
        customer = session.get(Customer, ids[1])
        assert customer is not None
        customer.notes = "又改了"  # pending: this row takes the careful path
    _inbox(store, [("customer", row_id, 7, wire[row_id]) for row_id in ids])
    sync_pull._apply_inbox(store)
    with store.read() as session:
        first, second = (session.get(Customer, row_id) for row_id in ids)
        assert first is not None and second is not None
        assert (first.version, first.name, first.notes) == (7, "已上传", "本地")
        assert (second.version, second.notes) == (7, "又改了")
        assert [b.version for b in session.scalars(select(SyncBase))] == [7, 7]
    assert sync_state.pending_count(store) == 1


class _Pages:
    """A server stand-in that answers pulls with fixed pages."""

    def __init__(self, pages: list[list[tuple[str, uuid.UUID, int, dict[str, Any]]]]) -> None:
        self.pages = pages

    def pull(self, cursor: int, _limit: int, _customer_ids: Any = None) -> dict[str, Any]:
        number = cursor  # the cursor counts pages here
        changes = [
            {"table": t, "id": str(i), "version": v, "deleted": False, "data": d}
            for t, i, v, d in self.pages[number]
        ]
        return {
            "changes": changes,
            "cursor": number + 1,
            "more": number + 1 < len(self.pages),
            "access_epoch": 0,
            "server_time": "2026-11-30T00:00:00+00:00",
        }


def test_rows_already_held_skip_the_inbox_unless_an_older_copy_is_in_it(store: Store) -> None:
    with store.begin() as session:
        held, moved = Customer(account_no="H1", name="已有"), Customer(account_no="H2", name="二")
        session.add_all([held, moved])
        ids = held.id, moved.id
    wire = {}
    with store.begin() as session:
        session.execute(delete(PendingChange))
        for row_id in ids:
            customer = session.get(Customer, row_id)
            assert customer is not None
            customer.version = 8  # as a push's answer records it
            wire[row_id] = row_to_data(customer)
            session.add(
                SyncBase(table_name="customer", row_id=row_id, version=8, data=wire[row_id])
            )
    with store.begin() as session:
        session.execute(delete(PendingChange))
    older = {**wire[ids[1]], "name": "旧"}
    pages = _Pages(
        [
            [("customer", ids[1], 5, older)],  # an older copy of the second row first
            [("customer", row_id, 8, wire[row_id]) for row_id in ids],
        ]
    )
    report = sync_state.SyncReport()
    sync_pull._fetch_into_inbox(store, pages, TaskState(), report)  # type: ignore[arg-type]
    assert report.pulled == 3
    with store.read() as session:
        inbox = session.execute(select(SyncInbox.row_id, SyncInbox.version)).all()
    assert sorted(inbox, key=lambda r: r[1]) == [(ids[1], 5), (ids[1], 8)]  # the first skipped
    sync_pull._apply_inbox(store)
    with store.read() as session:
        names = {row_id: session.get(Customer, row_id).name for row_id in ids}  # type: ignore[union-attr]
    assert names == {ids[0]: "已有", ids[1]: "二"}  # the newest copy wins
