"""Pull: pages since the cursor are stored in the inbox together with the new cursor, and
applied in one transaction once complete. Fields the user edited meanwhile (still pending)
keep their local value. Rows this device cannot apply yet are set aside; when the server's
access epoch moves, lost customers are removed and new ones fetched in full."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import (
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, StatementError

from keyacct_desktop.progress import TaskState
from keyacct_desktop.protocol.codec import decoders, parse_uuid
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.changelog import APPLYING_REMOTE
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.local import (
    PendingChange,
    SyncBase,
    SyncInbox,
    SyncSetAside,
    SyncState,
)
from keyacct_desktop.store.models import MODEL_BY_TABLE, Customer
from keyacct_desktop.sync import backlog
from keyacct_desktop.sync.bulk import insert_rows
from keyacct_desktop.sync.transport import (
    OfflineError as OfflineError,  # re-exported: callers catch it from here
)

if TYPE_CHECKING:
    pass
from keyacct_desktop.sync.api import PULL_PAGE, ServerApi
from keyacct_desktop.sync.pull_checks import (
    _Aside,
    _check_entries,
    _check_referenced,
    _Entry,
)
from keyacct_desktop.sync.push import _uuid_or_none
from keyacct_desktop.sync.state import (
    IN_CHUNK,
    TABLE_ORDER,
    SyncReport,
    _children,
    _foreign_keys,
    _load_bases,
    _load_values,
    _table,
    _write_bases,
    get_state,
    set_state,
)

log = logging.getLogger(__name__)


#: ``sync_state`` key: a first pull is under way (its pages go straight into the tables).
FIRST_PULL_STATE = "first_pull"


class PageWriter(Protocol):
    """Writes what it can of a pulled page into the tables (``sync.first_pull``)."""

    def write_page(self, session: Any, entries: list[_Entry]) -> list[_Entry]:
        """Returns the entries left for the inbox."""
        ...


def _fetch_into_inbox(
    store: Store,
    api: ServerApi,
    state: TaskState,
    report: SyncReport,
    customer_ids: list[str] | None = None,
    first: PageWriter | None = None,
) -> int:
    """Fetch pages into the inbox; returns the server's access epoch. With ``first`` (a new
    device's first pull), pages are written straight into the tables, the rest to the inbox."""
    cursor_key = "cursor" if customer_ids is None else "backfill_cursor"
    cursor = int(get_state(store, cursor_key, 0) or 0)
    epoch = 0
    direct = first is not None and customer_ids is None
    with store.read() as session:
        resumed = bool(session.scalar(select(func.count()).select_from(SyncInbox)))
        # A row is held already only if it has a merge base: a new store skips the check.
        has_bases = session.scalar(select(SyncBase.row_id).limit(1)) is not None
    stored: set[tuple[str, uuid.UUID]] = set()  # keys put in the inbox by this fetch
    while True:
        page = api.pull(cursor, PULL_PAGE, customer_ids)
        epoch = int(page.get("access_epoch", 0))
        server_time = datetime.fromisoformat(page["server_time"])
        if server_time.tzinfo is None:  # a server before 0.1 sent naive UTC-less local time
            server_time = server_time.astimezone()
        report.server_time = server_time
        report.clock_skew_seconds = (datetime.now(UTC) - server_time).total_seconds()
        pulled = [
            _Entry(
                change["table"],
                parse_uuid(change["id"]),
                change["version"],
                change["deleted"],
                change["data"],
            )
            for change in page["changes"]
        ]
        if direct:
            try:
                with store.begin() as session:
                    assert first is not None
                    # The cursor first: its write opens the transaction (pysqlite begins one
                    # at the first write, not at a SAVEPOINT), so the page's rows, its inbox
                    # entries and the cursor commit together, once.
                    set_state(session, "cursor", int(page["cursor"]))
                    set_state(session, FIRST_PULL_STATE, True if page["more"] else None)
                    session.flush()
                    entries = first.write_page(session, _moves_as_deletes(session, pulled))
                    if entries:
                        insert_rows(session, _table(SyncInbox), [e._asdict() for e in entries])
                cursor = int(page["cursor"])
            except (DBAPIError, StatementError) as error:  # (the store refused at commit)
                log.warning("sync: first pull goes through the inbox after %s", error)
                direct = False
                with store.begin() as session:
                    set_state(session, FIRST_PULL_STATE, None)
        if not direct:
            with store.begin() as session:
                entries = _moves_as_deletes(session, pulled)
                if not resumed and has_bases:  # (after a crash, older copies may wait: keep all)
                    held = _already_held(session, entries, stored)
                    entries = [e for e in entries if (e.table_name, e.row_id) not in held]
                stored.update((e.table_name, e.row_id) for e in entries)
                if entries:  # one executemany per page, not one ORM object per change
                    insert_rows(session, _table(SyncInbox), [e._asdict() for e in entries])
                cursor = int(page["cursor"])
                if customer_ids is None:
                    set_state(session, "cursor", cursor)
                else:
                    set_state(session, "backfill_cursor", cursor)
        report.pulled += len(page["changes"])
        state.report(
            report.pulled,
            report.pulled + (PULL_PAGE if page["more"] else 0),
            "下载服务器修改 / downloading",
        )
        if not page["more"]:
            if customer_ids is not None:
                with store.begin() as session:
                    set_state(session, "backfill_cursor", 0)
            return epoch


#: ``table`` of the server's move markers (``server.moves``): a row left a customer.
MOVED_TABLE = "__moved__"


def _moves_as_deletes(session: Any, entries: list[_Entry]) -> list[_Entry]:
    """Move markers become deletes of the rows that moved to a customer this device may not
    see, at the marker's version: when the device sees the new customer too, the row's newer
    version comes in the same pull and wins; a device that holds that newer version already
    (it made the move) drops the marker."""
    markers = [e for e in entries if e.table_name == MOVED_TABLE]
    if not markers:
        return entries
    deletes: list[_Entry] = []
    for marker in markers:
        table = str((marker.data or {}).get("table"))
        row_id = _uuid_or_none((marker.data or {}).get("id"))
        if table not in MODEL_BY_TABLE or row_id is None:
            continue
        target = _table(MODEL_BY_TABLE[table])
        local = session.scalar(select(target.c.version).where(target.c.id == row_id))
        if local is not None and local >= marker.version:
            continue
        deletes.append(_Entry(table, row_id, marker.version, True, {"id": str(row_id)}))
    return [e for e in entries if e.table_name != MOVED_TABLE] + deletes


def _already_held(
    session: Any, entries: list[_Entry], stored: set[tuple[str, uuid.UUID]]
) -> set[tuple[str, uuid.UUID]]:
    """Pulled rows this device holds exactly already: applying them would change nothing.

    That is the device's own pushes coming back (a first sync returns every record it
    pushed): same version on the row, merge base equal to the pulled version and data, no
    pending edit, and no older copy of it put in the inbox by this fetch. They skip the
    inbox, which is then applied without them.
    """
    by_table: dict[str, list[_Entry]] = {}
    for entry in entries:
        if (
            not entry.deleted
            and entry.table_name in MODEL_BY_TABLE
            and (entry.table_name, entry.row_id) not in stored
        ):
            by_table.setdefault(entry.table_name, []).append(entry)
    held: set[tuple[str, uuid.UUID]] = set()
    for table, candidates in by_table.items():
        model = MODEL_BY_TABLE[table]
        ids = [e.row_id for e in candidates]
        versions: dict[uuid.UUID, int] = {}
        pending: set[uuid.UUID] = set()
        for start in range(0, len(ids), IN_CHUNK):
            part = ids[start : start + IN_CHUNK]
            versions.update(
                session.execute(select(model.id, model.version).where(model.id.in_(part))).all()
            )
            pending.update(
                session.scalars(
                    select(PendingChange.row_id).where(
                        PendingChange.table_name == table, PendingChange.row_id.in_(part)
                    )
                )
            )
        candidates = [
            e for e in candidates if versions.get(e.row_id) == e.version and e.row_id not in pending
        ]
        bases = _load_bases(session, [(table, e.row_id) for e in candidates])
        held.update(
            (table, e.row_id)
            for e in candidates
            if bases.get((table, e.row_id)) == (e.version, e.data)
        )
    return held


def _apply_inbox(store: Store, report: SyncReport | None = None) -> None:
    """Apply the stored pages (and the rows set aside earlier) in one transaction.

    A row this device cannot apply — its parent has not arrived, its business key is held by
    another local record, a value does not fit — is set aside with its reason
    (``sync_set_aside``) and the rest applies: one bad row never stops the device syncing.
    A set-aside row is tried again when this sync brings what it waits for or a newer version
    of it, and every row on a periodic safety net (:mod:`keyacct_desktop.sync.backlog`).
    A tombstone of a row with a pending local edit (or whose delete would cascade onto one)
    is not applied: the edit is pushed and the server keeps the row alive.
    """
    with store.read() as session:  # a no-op sync writes nothing here
        arriving = session.scalar(select(SyncInbox.seq).limit(1)) is not None
        everything = session.scalar(
            select(SyncSetAside.version).limit(1)
        ) is not None and backlog.safety_net_due(session)
    if not arriving and not everything:
        return
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        # Set-aside rows are retried when what they wait for arrives (or a newer version of
        # them), and all of them on the safety net: a large backlog does not cost every sync.
        retried = backlog.rows_to_retry(session, backlog.inbox_keys(session), everything)
        if everything:
            backlog.mark_safety_net(session)
        latest: dict[tuple[str, uuid.UUID], _Entry] = {}
        for row in session.execute(
            select(
                SyncInbox.table_name,
                SyncInbox.row_id,
                SyncInbox.version,
                SyncInbox.deleted,
                SyncInbox.data,
            ).order_by(SyncInbox.seq)
        ):
            entry = _Entry(*row)
            key = (entry.table_name, entry.row_id)
            if key not in latest or entry.version >= latest[key].version:
                latest[key] = entry
        attempts: dict[tuple[str, uuid.UUID], int] = {}
        for held in retried:
            key = (held.table_name, held.row_id)
            attempts[key] = held.attempts
            if key not in latest or held.version > latest[key].version:
                latest[key] = _Entry(
                    held.table_name, held.row_id, held.version, held.deleted, held.data
                )
        if not latest:
            return
        for held in retried:
            session.delete(held)
        session.flush()
        session.execute(delete(SyncInbox))
        pending_fields: dict[tuple[str, uuid.UUID], set[str]] = {}
        for table_name, row_id, op, fields in session.execute(
            select(
                PendingChange.table_name,
                PendingChange.row_id,
                PendingChange.op,
                PendingChange.fields,
            )
        ):
            if op != "delete":
                pending_fields.setdefault((table_name, row_id), set()).update(fields)
        entries = [e for e in latest.values() if e.table_name in MODEL_BY_TABLE]
        entries = _without_overruled_deletes(session, entries, pending_fields)
        aside: dict[tuple[str, uuid.UUID], _Aside] = {}
        decoded = _check_entries(session, entries, pending_fields, aside)
        _check_referenced(session, entries, decoded, aside)
        ready = [e for e in entries if (e.table_name, e.row_id) not in aside]
        if not _apply_together(session, ready, pending_fields, decoded):
            _apply_one_by_one(session, ready, pending_fields, aside, decoded)
        by_key = {(e.table_name, e.row_id): e for e in entries}
        rows = [
            {
                "table_name": table,
                "row_id": row_id,
                "version": by_key[(table, row_id)].version,
                "deleted": by_key[(table, row_id)].deleted,
                "data": by_key[(table, row_id)].data,
                "code": reason.code,
                "field_name": reason.field,
                "detail": reason.detail,
                "attempts": attempts.get((table, row_id), 0) + 1,
                "set_aside_at": utcnow(),
                "waits_for": reason.waits_for,
            }
            for (table, row_id), reason in aside.items()
        ]
        if rows:
            session.execute(insert(_table(SyncSetAside)), rows)
            if session.get(SyncState, backlog.SAFETY_NET_KEY) is None:
                backlog.mark_safety_net(session)  # just tried: the safety net starts now
            log.warning(
                "sync: %d pulled row(s) set aside: %s",
                len(rows),
                ", ".join(f"{r['table_name']}:{r['code']}" for r in rows[:20]),
            )
        if report is not None:
            report.set_aside = len(rows)


def _without_overruled_deletes(
    session: Any, entries: list[_Entry], pending_fields: dict[tuple[str, uuid.UUID], set[str]]
) -> list[_Entry]:
    """Drop tombstones of rows edited locally meanwhile, or whose delete would cascade onto a
    locally edited row: edit beats silent delete. The edit is pushed next and the server
    revives the row (with a conflict record), so nothing the manager typed vanishes."""
    tombstones: dict[str, set[uuid.UUID]] = {}
    for entry in entries:
        if entry.deleted:
            tombstones.setdefault(entry.table_name, set()).add(entry.row_id)
    if not tombstones or not pending_fields:
        return entries
    kept: set[tuple[str, uuid.UUID]] = set()
    for table, ids in tombstones.items():
        kept.update(
            (table, row_id) for row_id in _edited_below(session, table, ids, pending_fields)
        )
    return [e for e in entries if (e.table_name, e.row_id) not in kept]


def _edited_below(
    session: Any,
    table: str,
    ids: set[uuid.UUID],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    depth: int = 0,
) -> set[uuid.UUID]:
    """Those of ``ids`` that have a pending edit themselves or in a row that cascades with them."""
    edited = {row_id for row_id in ids if (table, row_id) in pending_fields}
    if depth > 4:
        return edited
    for child, column, cascades in _children(table):
        if not cascades or child == table:
            continue
        target = _table(MODEL_BY_TABLE[child])
        parent_of: dict[uuid.UUID, uuid.UUID] = {}
        id_list = list(ids - edited)
        for start in range(0, len(id_list), IN_CHUNK):
            parent_of.update(
                session.execute(
                    select(target.c.id, target.c[column]).where(
                        target.c[column].in_(id_list[start : start + IN_CHUNK])
                    )
                ).all()
            )
        if parent_of:
            below = _edited_below(session, child, set(parent_of), pending_fields, depth + 1)
            edited.update(parent_of[row_id] for row_id in below)
    return edited


#: Tables whose rows are written before those of the table they name, when both arrive
#: together (foreign keys are deferred then): a contact's insert trigger rewrites its
#: customer's search document (store migration 0008), once per contact when the customer is
#: there already — a customer with n contacts costs n rewrites of a growing document; a
#: customer written after its contacts builds it once, to the same text and search grams.
#: A grid's first sync (756 contacts of 316 customers): contacts 111 -> 10 ms, customers
#: 61 -> 93 ms (docs/BENCHMARKS.md, issue 22).
_BEFORE_PARENT = {"contact": "customer"}


def _deferred(session: Any) -> bool:
    """Whether this transaction checks foreign keys at commit (``PRAGMA defer_foreign_keys``
    is cleared by every commit, an autocommitted read's too)."""
    return bool(session.execute(text("PRAGMA defer_foreign_keys")).scalar())


def _apply_entries(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> None:
    """Write pulled rows: upserts parents first, then deletions children first."""
    ordered = sorted(entries, key=lambda e: (TABLE_ORDER.get(e.table_name, 99), e.version))
    by_table: dict[str, list[_Entry]] = {}
    for entry in ordered:
        if not entry.deleted:
            by_table.setdefault(entry.table_name, []).append(entry)
    tables = list(by_table)
    for child, parent in _BEFORE_PARENT.items():
        if child in by_table and parent in by_table and _deferred(session):
            tables.remove(child)
            tables.insert(tables.index(parent), child)
    for table in tables:
        _apply_upserts(session, table, by_table[table], pending_fields, decoded)
    for entry in reversed([e for e in ordered if e.deleted]):
        target = _table(MODEL_BY_TABLE[entry.table_name])
        session.execute(delete(target).where(target.c.id == entry.row_id))
        session.execute(
            delete(SyncBase).where(
                SyncBase.table_name == entry.table_name, SyncBase.row_id == entry.row_id
            )
        )


def _foreign_key_violations(session: Any, entries: list[_Entry]) -> bool:
    """Whether any row of a table this pull wrote (or referring to one it deleted from)
    breaks a foreign key: the check SQLite would make at commit, made before it."""
    tables: set[str] = set()
    for entry in entries:
        if entry.deleted:
            tables.update(child for child, _column, _cascades in _children(entry.table_name))
        elif _foreign_keys(entry.table_name):
            tables.add(entry.table_name)
    for table in sorted(tables):
        if session.execute(text(f'PRAGMA foreign_key_check("{table}")')).first() is not None:
            return True
    return False


def _apply_together(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> bool:
    """The fast path: every checked row with one executemany per table, in a savepoint.
    Returns ``False`` (and writes nothing) when the store still refuses something."""
    if not entries:
        return True
    savepoint = session.begin_nested()
    try:
        _apply_entries(session, entries, pending_fields, decoded)
        if _foreign_key_violations(session, entries):
            savepoint.rollback()
            return False
    except (DBAPIError, StatementError, OverflowError, ValueError) as error:
        log.warning("sync: pulled rows applied one by one after %s", type(error).__name__)
        savepoint.rollback()
        return False
    savepoint.commit()
    return True


def _apply_one_by_one(
    session: Any,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    aside: dict[tuple[str, uuid.UUID], _Aside],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]],
) -> None:
    """The slow path: each row in its own savepoint with immediate foreign-key checks; a row
    the store refuses is set aside with the store's reason. Rows that failed only because
    of order (a parent later in the list) are retried until nothing more applies."""
    session.execute(text("PRAGMA defer_foreign_keys = OFF"))
    waiting = sorted(entries, key=lambda e: (e.deleted, TABLE_ORDER.get(e.table_name, 99)))
    failures: dict[tuple[str, uuid.UUID], _Aside] = {}
    progress = True
    while waiting and progress:
        progress = False
        still: list[_Entry] = []
        for entry in waiting:
            savepoint = session.begin_nested()
            try:
                _apply_entries(session, [entry], pending_fields, decoded)
            except (DBAPIError, StatementError, OverflowError, ValueError) as error:
                savepoint.rollback()
                failures[(entry.table_name, entry.row_id)] = _store_refusal(error)
                still.append(entry)
                continue
            savepoint.commit()
            failures.pop((entry.table_name, entry.row_id), None)
            progress = True
        waiting = still
    session.execute(text("PRAGMA defer_foreign_keys = ON"))
    for entry in waiting:
        aside[(entry.table_name, entry.row_id)] = failures[(entry.table_name, entry.row_id)]


def _store_refusal(error: BaseException) -> _Aside:
    """A set-aside reason from the store's error (the SQL itself only goes to the log)."""
    message = str(getattr(error, "orig", error) or error)
    if "FOREIGN KEY" in message:
        return _Aside("missing_reference", None, message[:200])
    if "UNIQUE" in message:
        column = message.rsplit(".", 1)[-1].strip() if "." in message else None
        return _Aside("duplicate_key", column, message[:200])
    return _Aside("invalid_value", None, f"{type(error).__name__}: {message[:200]}")


def _apply_upserts(
    session: Any,
    table: str,
    entries: list[_Entry],
    pending_fields: dict[tuple[str, uuid.UUID], set[str]],
    decoded: dict[tuple[str, uuid.UUID], dict[str, Any]] | None = None,
) -> None:
    """Apply one table's pulled rows with Core executemany (a first sync brings 50k rows).

    New rows are inserted; existing rows get only the fields that differ and are not being
    edited locally (their pending edit is pushed next time and merged on the server), plus
    the new version. Core statements bypass the session's flush hooks, so nothing lands in
    the outgoing change log, and the frozen-document guard (the server already enforced it
    when it accepted these rows) does not refuse the server's own state.
    """
    model = MODEL_BY_TABLE[table]
    decode = decoders(table)
    ids = [e.row_id for e in entries]
    # A table with no rows and no merge bases here (a first sync): nothing to look up.
    fresh = (
        session.scalar(select(model.id).limit(1)) is None
        and session.scalar(select(SyncBase.row_id).where(SyncBase.table_name == table).limit(1))
        is None
    )
    stored_bases = {} if fresh else _load_bases(session, [(table, row_id) for row_id in ids])
    versions: dict[uuid.UUID, int] = {}
    for start in range(0, 0 if fresh else len(ids), IN_CHUNK):
        versions.update(
            session.execute(
                select(model.id, model.version).where(model.id.in_(ids[start : start + IN_CHUNK]))
            ).all()
        )
    # Rows this device already agrees on (its own pushes coming back: same version and data as
    # the merge base, nothing pending) hold exactly that state: at most their version moves,
    # so they are neither decoded nor read in full.
    agreed = {
        e.row_id
        for e in entries
        if e.row_id in versions
        and (table, e.row_id) not in pending_fields
        and stored_bases.get((table, e.row_id)) == (e.version, e.data)
    }
    current = _load_values(session, table, [i for i in ids if i in versions and i not in agreed])
    inserts: dict[frozenset[str], list[dict[str, Any]]] = {}
    updates: dict[frozenset[str], list[dict[str, Any]]] = {}
    bases: dict[tuple[str, uuid.UUID], tuple[int, dict[str, Any]]] = {}
    for entry in entries:
        if entry.row_id in agreed:
            if versions[entry.row_id] != entry.version:
                updates.setdefault(frozenset(("id", "version")), []).append(
                    {"id": entry.row_id, "version": entry.version}
                )
            continue
        values = dict(decoded.get((table, entry.row_id), {})) if decoded else {}
        if not values:
            values = {k: decode[k](v) for k, v in entry.data.items() if k in decode}
        existing = current.get(entry.row_id)
        if existing is None:
            values["id"] = entry.row_id
            values["version"] = entry.version
            inserts.setdefault(frozenset(values), []).append(values)
        else:
            locally_pending = pending_fields.get((table, entry.row_id), ())
            changes = {
                k: v
                for k, v in values.items()
                if k != "id" and k not in locally_pending and existing[k] != v
            }
            if existing["version"] != entry.version:
                changes["version"] = entry.version
            if changes:
                changes["id"] = entry.row_id
                updates.setdefault(frozenset(changes), []).append(changes)
        if not stored_bases or stored_bases.get((table, entry.row_id)) != (
            entry.version,
            entry.data,
        ):
            bases[(table, entry.row_id)] = (entry.version, entry.data)  # else: already agreed
    target = _table(model)  # attribute keys are the column names in every synced model
    for rows in inserts.values():
        insert_rows(session, target, rows)
    for names, rows in updates.items():
        statement = (
            update(target)
            .where(target.c.id == bindparam("key_id", type_=target.c.id.type))
            .values(
                {
                    name: bindparam(f"new_{name}", type_=target.c[name].type)
                    for name in names
                    if name != "id"
                }
            )
        )
        session.execute(
            statement,
            [
                {"key_id": r["id"], **{f"new_{k}": v for k, v in r.items() if k != "id"}}
                for r in rows
            ],
        )
    _write_bases(session, bases, stored_bases)


def _reconcile_access(
    store: Store, api: ServerApi, state: TaskState, report: SyncReport, epoch: int
) -> None:
    known_epoch = get_state(store, "access_epoch")
    if known_epoch == epoch:
        return
    answer = api.access()
    visible = set(answer["customers"])
    previous = get_state(store, "visible_customers")
    if previous is not None:
        removed = set(previous) - visible
        added = sorted(visible - set(previous))
        if removed:
            with store.begin() as session:
                session.info[APPLYING_REMOTE] = True
                for customer_id in removed:
                    obj = session.get(Customer, uuid.UUID(customer_id))
                    if obj is not None:
                        session.delete(obj)
                        report.removed_customers += 1
        if added:
            _fetch_into_inbox(store, api, state, report, customer_ids=added)
            _apply_inbox(store, report)
    if answer.get("grids") is not None:  # a manager pulls only the grids they manage
        _drop_other_grids(store, {uuid.UUID(grid) for grid in answer["grids"]})
    with store.begin() as session:
        set_state(session, "access_epoch", int(answer["access_epoch"]))
        set_state(session, "visible_customers", sorted(visible))


def _drop_other_grids(store: Store, mine: set[uuid.UUID]) -> None:
    """Remove the grids this manager no longer manages (the server stops sending their
    changes), unless a customer here is still in one or one has an edit to push."""
    grid = _table(MODEL_BY_TABLE["grid"])
    customer = _table(Customer)
    with store.begin() as session:
        session.info[APPLYING_REMOTE] = True
        stale = [
            grid_id
            for grid_id in session.scalars(
                select(grid.c.id).where(
                    ~select(customer.c.id).where(customer.c.grid_id == grid.c.id).exists(),
                    ~select(PendingChange.seq)
                    .where(PendingChange.table_name == "grid", PendingChange.row_id == grid.c.id)
                    .exists(),
                )
            )
            if grid_id not in mine
        ]
        for start in range(0, len(stale), IN_CHUNK):
            part = stale[start : start + IN_CHUNK]
            session.execute(delete(grid).where(grid.c.id.in_(part)))
            session.execute(
                delete(SyncBase).where(SyncBase.table_name == "grid", SyncBase.row_id.in_(part))
            )


def _refetch(store: Store, api: ServerApi, state: TaskState, report: SyncReport) -> None:
    """Fetch again the full history of customers whose records this laptop must re-read: one
    of its records was merged into the server's copy, or a refused delete had removed rows
    here that the server keeps."""
    wanted = get_state(store, "refetch_customers") or []
    if not wanted:
        return
    if wanted:  # (the server answers only for customers this account may see)
        _fetch_into_inbox(store, api, state, report, customer_ids=sorted(wanted))
        _apply_inbox(store, report)
    with store.begin() as session:
        set_state(session, "refetch_customers", [])
