"""Push: the operations of one device's request, or of several requests committed together
(``push_group``), applied in order with the answers the device keeps.

Conflict rule (documented in docs/SYNC_PROTOCOL.md): fields are merged three-way against the
base the device last saw. A field changed only on one side takes that side's value. When the
same field was changed on both sides, the value that reached the server **first** stays, and
the later value is kept in a ``sync_conflict`` record (kept value, lost value, who lost) that
syncs to every device that sees the customer, where it can be reviewed and restored.
Issued documents never conflict: their content is immutable and such edits are rejected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy.orm import Session

from keyacct_desktop.server.accounts import AuthError, authenticate_many
from keyacct_desktop.server.models import (
    Account,
    Device,
)
from keyacct_desktop.server.push_batch import (
    Operation,
    PushBatch,
    RowKey,
    VersionCounter,
    _hard_references,
)
from keyacct_desktop.server.push_ops import _cascade_parents, apply_operation
from keyacct_desktop.store.models import MODEL_BY_TABLE


def push(
    session: Session,
    account: Account,
    device: Device,
    operations: list[Operation],
    versions: VersionCounter | None = None,
    restricted: bool | None = None,
) -> list[dict[str, Any]]:
    """Apply a batch in the caller's transaction; a retried op id returns its stored answer.

    ``versions``: the counter of a group commit (:func:`push_group`), advanced by the group.
    ``restricted=False``: the caller has checked the account's reach itself (the web
    console: a team member may move the referrals addressed to the team, in no grid of theirs).
    """
    if not operations:
        return []
    batch = PushBatch(session, account, device, versions)
    if restricted is not None:
        batch.restricted = restricted
    batch.prefetch(operations)
    results = _apply_all(batch, operations)
    batch.flush()
    return results


def _apply_all(batch: PushBatch, operations: list[Operation]) -> list[dict[str, Any]]:
    """The answers of one push's operations, applied in order on the batch's state.

    An operation naming a row that a *later* operation of the push creates (the client
    queues a flush's rows in no particular order) is applied right after that one, so the
    row it names exists when it is checked; answers keep the operations' order.
    """
    results: list[dict[str, Any] | None] = [None] * len(operations)
    batch.upcoming = {(op.table, op.row_id) for op in operations if op.op == "upsert"}
    batch.delete_bases = {
        (op.table, op.row_id): op.base_version for op in operations if op.op == "delete"
    }

    def cascade_parents(op: Operation) -> list[RowKey]:
        row = batch.rows.get((op.table, op.row_id))
        return _cascade_parents(op.table, row) if row is not None else []

    for index in _schedule(
        operations, lambda key: batch.rows.get(key) is not None, cascade_parents
    ):
        op = operations[index]
        done = batch.applied.get(op.op_id)
        if done is not None:
            results[index] = {**done, "op_id": str(op.op_id), "duplicate": True}
            continue
        result = apply_operation(batch, op)
        batch.record(op.op_id, result)
        results[index] = {**result, "op_id": str(op.op_id)}
    batch.upcoming, batch.delete_bases = set(), {}
    return cast(list[dict[str, Any]], results)


def _schedule(
    operations: list[Operation],
    exists: Callable[[RowKey], bool],
    cascade_parents: Callable[[Operation], list[RowKey]],
) -> list[int]:
    """The order to apply a push's operations in: as sent, except that an operation waits
    for the operations that create the rows it names (rows that do not ``exist`` yet), a
    delete waits for the delete of its parent (whose fate decides its own), and every
    operation waits for the earlier ones on its own row.
    Waiting only ever moves an operation later, so there are no cycles; what a loop of
    references leaves waiting runs at the end, in the order sent."""
    first_write: dict[RowKey, int] = {}
    first_delete: dict[RowKey, int] = {}
    for index, op in enumerate(operations):
        if op.op == "upsert" and not exists((op.table, op.row_id)):
            first_write.setdefault((op.table, op.row_id), index)
        elif op.op == "delete":
            first_delete.setdefault((op.table, op.row_id), index)
    previous_on_row: dict[RowKey, int] = {}
    needs: list[list[int]] = []
    for index, op in enumerate(operations):
        key = (op.table, op.row_id)
        wanted = [previous_on_row[key]] if key in previous_on_row else []
        previous_on_row[key] = index
        if op.op == "upsert" and op.table in MODEL_BY_TABLE:
            for target in _hard_references(op.table, op.fields):
                writer = first_write.get(target)
                if writer is not None and writer != index:
                    wanted.append(writer)
        elif op.op == "delete" and first_delete:
            for parent in cascade_parents(op):
                deleter = first_delete.get(parent)
                if deleter is not None and deleter != index:
                    wanted.append(deleter)
        needs.append(wanted)
    if not any(writer > index for index, wants in enumerate(needs) for writer in wants):
        return list(range(len(operations)))  # the usual case: nothing names a later row
    done: set[int] = set()
    order: list[int] = []
    waiting: dict[int, list[int]] = {}
    for first in range(len(operations)):
        stack = [first]
        while stack:
            index = stack.pop()
            blocker = next((w for w in needs[index] if w not in done), None)
            if blocker is None:
                done.add(index)
                order.append(index)
                stack.extend(reversed(waiting.pop(index, [])))
            else:
                waiting.setdefault(blocker, []).append(index)
    order += sorted(i for i in range(len(operations)) if i not in done)
    return order


def _push_together(
    session: Session,
    pushes: list[tuple[tuple[Account, Device], list[Operation]]],
    versions: VersionCounter,
) -> list[list[dict[str, Any]]]:
    """Several pushes as one batch: each applied in order on the state the ones before it
    left (as if committed one by one), with one prefetch and one flush for all of them."""
    batches: list[PushBatch] = []
    for (account, device), _operations in pushes:
        shared = batches[0] if batches else None
        batches.append(PushBatch(session, account, device, versions, shared_with=shared))
    root = batches[0]
    root.prefetch(
        [op for _signed_in, operations in pushes for op in operations],
        restricted=any(batch.restricted for batch in batches),
    )
    answers = [
        _apply_all(batch, operations)
        for batch, (_, operations) in zip(batches, pushes, strict=True)
    ]
    root.access_bumps = sum(batch.access_bumps for batch in batches)
    root.flush()
    return answers


@dataclass
class PushRequest:
    """One device's push waiting for a group commit: its bearer token and operations."""

    token: str | None
    operations: list[Operation]


def push_group(session: Session, requests: list[PushRequest]) -> list[Any]:
    """Several push requests in the caller's one transaction (group commit).

    Concurrent pushes then share one ``BEGIN``/``COMMIT`` (one fsync on PostgreSQL), one
    counter lock and one counter update, instead of queueing on the counter row one commit
    after another. The requests are applied in arrival order, each seeing the ones before
    it, exactly as if they had committed one by one: first all together as one batch (one
    prefetch, one flush) inside a ``SAVEPOINT``; if anything fails there, that savepoint is
    rolled back and each request is applied again in its own savepoint, so a request that
    fails is rolled back alone and hands its versions back: the others get the same answers
    as on their own and versions keep no gaps.

    Returns, per request, its results or the exception that failed it (:class:`AuthError`
    for a bad token). Devices are authenticated before the counter is locked: the same lock
    order (device row, then counter) as every other writer, so no deadlock between them.
    """
    outcomes: list[Any] = [None] * len(requests)
    signed_in: dict[int, tuple[Account, Device]] = {}
    for index, found in enumerate(authenticate_many(session, [r.token for r in requests])):
        if isinstance(found, AuthError):
            outcomes[index] = found
        else:
            signed_in[index] = found
    if not signed_in:
        return outcomes
    versions = VersionCounter(session)
    try:
        with session.begin_nested():
            answers = _push_together(
                session,
                [(who, requests[index].operations) for index, who in signed_in.items()],
                versions,
            )
    except Exception:  # some push failed: redo them one by one, so that it fails alone
        versions.value = versions.first
    else:
        for index, results in zip(signed_in, answers, strict=True):
            outcomes[index] = results
        versions.save()
        return outcomes
    for index, who in signed_in.items():
        first = versions.value
        try:
            with session.begin_nested():
                outcomes[index] = push(session, *who, requests[index].operations, versions)
        except Exception as error:  # this request fails alone; its savepoint is rolled back
            versions.value = first
            outcomes[index] = error
    versions.save()
    return outcomes
