"""Which set-aside rows a sync tries again (issue 14).

A pulled row the device could not apply waits in ``sync_set_aside`` with the record it waits
for (``waits_for`` = "table:id": the parent it names, the local record holding its business
key). Trying every waiting row at every sync made a large backlog cost every sync; a sync now
retries only the rows whose awaited record, or a newer version of themselves, it downloaded —
and, transitively, the rows waiting for those — plus every row once per
:data:`SAFETY_NET_SECONDS` (for what no download announces: a local record freed a key, a row
set aside by the store itself without a known cause).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from keyacct_desktop.store.local import SyncInbox, SyncSetAside, SyncState

#: Every set-aside row is tried again at least this often (seconds).
SAFETY_NET_SECONDS = 3600
#: ``sync_state`` key: when every set-aside row was last tried.
SAFETY_NET_KEY = "set_aside_retried_at"
#: Parameters per ``IN (…)`` list.
IN_CHUNK = 500


def waits_key(table: str, row_id: Any) -> str:
    """The ``waits_for`` text naming a record: ``"table:uuid"``."""
    return f"{table}:{uuid.UUID(str(row_id))}"


def safety_net_due(session: Any, now: datetime | None = None) -> bool:
    """Whether every set-aside row should be tried again now."""
    found = session.get(SyncState, SAFETY_NET_KEY)
    if found is None or not found.value:
        return True
    try:
        last = datetime.fromisoformat(str(found.value))
    except ValueError:
        return True
    now = now or datetime.now(UTC)
    if last.tzinfo is None:
        last = last.replace(tzinfo=UTC)
    return now - last >= timedelta(seconds=SAFETY_NET_SECONDS) or last > now


def mark_safety_net(session: Any, now: datetime | None = None) -> None:
    value = (now or datetime.now(UTC)).isoformat()
    found = session.get(SyncState, SAFETY_NET_KEY)
    if found is None:
        session.add(SyncState(key=SAFETY_NET_KEY, value=value))
    else:
        found.value = value
    session.flush()


def request_full_retry(session: Any) -> None:
    """Have the next sync try every set-aside row (a local record they may wait for was
    resent or discarded: no download announces that)."""
    found = session.get(SyncState, SAFETY_NET_KEY)
    if found is not None:
        session.delete(found)


def inbox_keys(session: Any) -> set[tuple[str, uuid.UUID]]:
    """The records the inbox brings."""
    return {
        (table, row_id)
        for table, row_id in session.execute(
            select(SyncInbox.table_name, SyncInbox.row_id).distinct()
        )
    }


def rows_to_retry(
    session: Any, arriving: Iterable[tuple[str, uuid.UUID]], everything: bool
) -> list[SyncSetAside]:
    """The set-aside rows to try again: all of them with ``everything``; else those that
    ``arriving`` brings a newer version of, those waiting for an arriving record, and
    (transitively) those waiting for a row retried — a grandchild follows its parent."""
    if everything:
        return list(session.scalars(select(SyncSetAside)))
    arriving = set(arriving)
    found: dict[tuple[str, uuid.UUID], SyncSetAside] = {}
    by_table: dict[str, list[uuid.UUID]] = {}
    for table, row_id in arriving:
        by_table.setdefault(table, []).append(row_id)
    for table, ids in by_table.items():
        for start in range(0, len(ids), IN_CHUNK):
            for row in session.scalars(
                select(SyncSetAside).where(
                    SyncSetAside.table_name == table,
                    SyncSetAside.row_id.in_(ids[start : start + IN_CHUNK]),
                )
            ):
                found[(row.table_name, row.row_id)] = row
    frontier = {waits_key(t, i) for t, i in arriving} | {waits_key(t, i) for t, i in found}
    seen: set[str] = set()
    while frontier:
        seen |= frontier
        names = sorted(frontier)
        frontier = set()
        for start in range(0, len(names), IN_CHUNK):
            for row in session.scalars(
                select(SyncSetAside).where(
                    SyncSetAside.waits_for.in_(names[start : start + IN_CHUNK])
                )
            ):
                key = (row.table_name, row.row_id)
                if key not in found:
                    found[key] = row
                    name = waits_key(*key)
                    if name not in seen:
                        frontier.add(name)
    return list(found.values())
