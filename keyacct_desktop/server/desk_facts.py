"""The specialist's desk figures: narrow fact tables and monthly aggregates kept beside
``sync_row``, so the dashboard never scans the JSON documents of a province.

Synced records are JSON documents in ``sync_row``; at 100,000 customers there are about
500,000 visits and 200,000 referrals, and grouping those documents per page view takes
seconds on PostgreSQL. So the figures are kept here:

* ``desk_customer`` — one row per customer: grid, manager, class, important grade, whether
  it is pooled and active, its last completed visit (the visit plan's input), name and 户号;
* ``desk_visit`` — one row per visit: grid, month, completed, scores, complaint, reviewed;
* ``desk_referral`` — one row per referral: grid, team, kind, month (of its due date: the
  teams' time limits), month it was registered (complaints: ``registered_on``, else the
  day of its visit, else its due month), due date, the day the team answered (or rejected) it;
* ``desk_month`` — per grid and month: visits, scored visits and their score sum,
  complaints, reviews; ``desk_team_month`` — per team and month: answered on time / late.

**Maintained from the row store's versions.** Every write of ``sync_row`` takes the next
value of the ``change`` counter, and versions become visible in commit order, so
``version > cursor`` never skips a change (docs/SYNC_PROTOCOL.md). :func:`refresh` reads the
changes of customers, visits, referrals and reviews above its cursor (``desk_state``), updates
their facts, recounts the few (grid, month) and (team, month) cells they touched, and moves
the cursor, all in one transaction; a concurrent refresh waits on the cursor row. Nothing is
added to the push path, and whatever wrote a row (a device, the console, the seeding) is
counted the same way. Far behind (a restored or freshly seeded database), :func:`rebuild`
recomputes everything with a few set-based statements instead.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import (
    BigInteger,
    Boolean,
    Connection,
    Date,
    Float,
    Index,
    Integer,
    String,
    Table,
    Uuid,
    and_,
    case,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from keyacct_desktop.server.models import ServerBase, SyncRow

#: The grid of customers without one, in the aggregates' keys.
NO_GRID = uuid.UUID(int=0)
#: Changes read per round of :func:`refresh`.
CHUNK = 2000
#: A refresh this far behind rebuilds everything with set-based statements.
REBUILD_AFTER = 50_000
#: The tables whose rows feed the figures.
SOURCES = ("customer", "visit", "referral", "visit_review")
CLOSED_STATES = ("confirmed", "rejected")


class DeskState(ServerBase):
    __tablename__ = "desk_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class DeskCustomer(ServerBase):
    __tablename__ = "desk_customer"
    __table_args__ = (
        Index("ix_desk_customer_plan", "klass", "active"),
        # Covers the coverage figure (an index-only scan of the A/B customers; s0009b).
        Index(
            "ix_desk_customer_coverage",
            "klass",
            "active",
            "manager_id",
            "grid_id",
            "grade",
            "last_visit",
        ),
    )

    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    manager_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    klass: Mapped[str | None] = mapped_column(String(1))
    grade: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean)
    last_visit: Mapped[date | None] = mapped_column(Date)
    name: Mapped[str] = mapped_column(String(200))
    account_no: Mapped[str] = mapped_column(String(32), index=True)


class DeskVisit(ServerBase):
    __tablename__ = "desk_visit"
    __table_args__ = (
        Index("ix_desk_visit_cell", "grid_id", "month"),
        Index("ix_desk_visit_customer", "customer_id", "day"),
        Index("ix_desk_visit_queue", "reviewed", "completed", "day"),
    )

    visit_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    month: Mapped[str] = mapped_column(String(7))
    day: Mapped[date] = mapped_column(Date)
    completed: Mapped[bool] = mapped_column(Boolean)
    score_sum: Mapped[int] = mapped_column(Integer)
    score_count: Mapped[int] = mapped_column(Integer)
    complaint: Mapped[bool] = mapped_column(Boolean)
    reviewed: Mapped[bool] = mapped_column(Boolean, default=False)


class DeskReferral(ServerBase):
    __tablename__ = "desk_referral"
    __table_args__ = (
        Index("ix_desk_referral_cell", "grid_id", "month"),
        Index("ix_desk_referral_team", "team", "month"),
        Index("ix_desk_referral_waiting", "answered_on", "team"),
        Index("ix_desk_referral_customer", "customer_id"),
        Index("ix_desk_referral_registered", "grid_id", "registered_month"),
        # Covers the teams' waiting referrals (index-only: answered_on IS NULL; s0009b).
        Index("ix_desk_referral_open", "answered_on", "team", "due_on", "grid_id"),
    )

    referral_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    customer_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    team: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(16))
    month: Mapped[str] = mapped_column(String(7))
    #: The month the referral was registered (server migration s0009).
    registered_month: Mapped[str | None] = mapped_column(String(7))
    due_on: Mapped[date | None] = mapped_column(Date)
    answered_on: Mapped[date | None] = mapped_column(Date)


class DeskMonth(ServerBase):
    __tablename__ = "desk_month"

    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    visits: Mapped[int] = mapped_column(Integer)
    scored: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)  # sum of each scored visit's mean score
    complaints: Mapped[int] = mapped_column(Integer)  # complaint referrals + visits' complaints
    reviewed: Mapped[int] = mapped_column(Integer)


class DeskTeamMonth(ServerBase):
    __tablename__ = "desk_team_month"

    team: Mapped[str] = mapped_column(String(32), primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    on_time: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)


_STATE = cast(Table, DeskState.__table__)
_CUSTOMER = cast(Table, DeskCustomer.__table__)
_VISIT = cast(Table, DeskVisit.__table__)
_REFERRAL = cast(Table, DeskReferral.__table__)
_MONTH = cast(Table, DeskMonth.__table__)
_TEAM_MONTH = cast(Table, DeskTeamMonth.__table__)
_ROWS = cast(Table, SyncRow.__table__)

TABLES = (DeskState, DeskCustomer, DeskVisit, DeskReferral, DeskMonth, DeskTeamMonth)

# ------------------------------------------------------------------ facts of one document


def _uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _day(value: Any) -> date | None:
    if not value or not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def customer_fact(row_id: uuid.UUID, data: dict[str, Any]) -> dict[str, Any]:
    klass = data.get("pyramid_override") or data.get("pyramid_class")
    return {
        "customer_id": row_id,
        "grid_id": _uuid(data.get("grid_id")) or NO_GRID,
        "manager_id": _uuid(data.get("manager_id")),
        "klass": klass if isinstance(klass, str) else None,
        "grade": data.get("important_grade") or None,
        "active": data.get("pool_status", "pooled") == "pooled"
        and data.get("status", "active") == "active",
        "name": str(data.get("name") or "")[:200],
        "account_no": str(data.get("account_no") or "")[:32],
    }


def visit_fact(row_id: uuid.UUID, data: dict[str, Any], grid_id: uuid.UUID) -> dict[str, Any]:
    day = _day(data.get("started_at")) or date(1970, 1, 1)
    scores = [
        value
        for key in ("score_reliability", "score_billing", "score_service")
        if isinstance(value := data.get(key), int) and not isinstance(value, bool) and value > 0
    ]
    return {
        "visit_id": row_id,
        "customer_id": _uuid(data.get("customer_id")) or NO_GRID,
        "grid_id": grid_id,
        "month": f"{day:%Y-%m}",
        "day": day,
        "completed": data.get("status") == "completed",
        "score_sum": sum(scores),
        "score_count": len(scores),
        "complaint": bool(str(data.get("complaints") or "").strip()),
    }


def referral_fact(
    row_id: uuid.UUID,
    data: dict[str, Any],
    grid_id: uuid.UUID,
    seen_on: date,
    visit_day: date | None = None,
) -> dict[str, Any]:
    """``visit_day``: the day of the referral's visit, for referrals that do not carry the
    day they were registered (made before device migration 0017)."""
    due = _day(data.get("due_on"))
    registered = _day(data.get("registered_on")) or visit_day or due or seen_on
    answered = _day(data.get("answered_at"))
    if answered is None and data.get("state") == "rejected":
        answered = due if due is not None and due < seen_on else seen_on
    return {
        "referral_id": row_id,
        "customer_id": _uuid(data.get("customer_id")) or NO_GRID,
        "grid_id": grid_id,
        "team": str(data.get("team") or "")[:32],
        "kind": str(data.get("kind") or "demand")[:16],
        "month": f"{due or seen_on:%Y-%m}",
        "registered_month": f"{registered:%Y-%m}",
        "due_on": due,
        "answered_on": answered,
    }


# ------------------------------------------------------------------ refresh


@dataclass
class _Dirty:
    cells: set[tuple[uuid.UUID, str]]
    teams: set[tuple[str, str]]
    customers: set[uuid.UUID]


def _cursor(connection: Connection) -> int:
    """The cursor, locked until the transaction ends (a second refresh waits here)."""
    table = _STATE
    value = connection.execute(
        select(table.c.value).where(table.c.name == "cursor").with_for_update()
    ).scalar()
    if value is None:
        connection.execute(insert(table).values(name="cursor", value=0))
        return 0
    # SQLite has no FOR UPDATE: an UPDATE takes the database's write lock instead.
    connection.execute(update(table).where(table.c.name == "cursor").values(value=table.c.value))
    return int(value)


def refresh(connection: Connection, today: date | None = None) -> int:
    """Bring the figures up to the row store's latest committed change, in the caller's
    transaction; returns how many changes were read.

    Nothing new (the common case of a page view): two index reads, no write. Otherwise the
    cursor row is locked, the changes up to the newest committed version are applied and
    the cursor moves there (every version up to it is committed: writers take versions
    from one locked counter row, so they commit in version order).
    """
    today = today or date.today()
    state = _STATE
    known = connection.execute(select(state.c.value).where(state.c.name == "cursor")).scalar()
    newest = connection.execute(select(func.max(_ROWS.c.version))).scalar() or 0
    if known is not None and newest <= known:
        return 0
    cursor = _cursor(connection)
    newest = connection.execute(select(func.max(_ROWS.c.version))).scalar() or 0
    if newest <= cursor:
        return 0
    if newest - cursor > REBUILD_AFTER:
        rebuild(connection, newest, today)
        return newest - cursor
    read = 0
    while True:
        rows = connection.execute(
            select(
                _ROWS.c.table_name,
                _ROWS.c.row_id,
                _ROWS.c.version,
                _ROWS.c.deleted,
                _ROWS.c.data,
            )
            .where(
                _ROWS.c.version > cursor,
                _ROWS.c.version <= newest,
                _ROWS.c.table_name.in_(SOURCES),
            )
            .order_by(_ROWS.c.version)
            .limit(CHUNK)
        ).all()
        if rows:
            _apply(connection, rows, today)
            read += len(rows)
        if len(rows) < CHUNK:
            break
        cursor = int(rows[-1][2])
    connection.execute(update(state).where(state.c.name == "cursor").values(value=newest))
    return read


def _existing(connection: Connection, model: Any, key: str, ids: list[uuid.UUID]) -> dict:
    if not ids:
        return {}
    table = cast(Table, model.__table__)
    found = {}
    for start in range(0, len(ids), 500):
        for row in connection.execute(
            select(table).where(table.c[key].in_(ids[start : start + 500]))
        ).mappings():
            found[row[key]] = dict(row)
    return found


def _apply(connection: Connection, rows: Sequence[Any], today: date) -> None:
    dirty = _Dirty(set(), set(), set())
    latest: dict[tuple[str, uuid.UUID], tuple[bool, dict[str, Any]]] = {}
    for table_name, row_id, _version, deleted, data in rows:
        latest[(table_name, row_id)] = (bool(deleted), data if isinstance(data, dict) else {})
    by_table: dict[str, dict[uuid.UUID, tuple[bool, dict[str, Any]]]] = {t: {} for t in SOURCES}
    for (table_name, row_id), value in latest.items():
        by_table[table_name][row_id] = value
    _customers(connection, by_table["customer"], dirty)
    _visits(connection, by_table["visit"], dirty)
    _referrals(connection, by_table["referral"], dirty, today)
    _reviews(connection, by_table["visit_review"], dirty)
    _recount(connection, dirty)


def _customers(
    connection: Connection, changes: dict[uuid.UUID, tuple[bool, dict[str, Any]]], dirty: _Dirty
) -> None:
    if not changes:
        return
    table = _CUSTOMER
    ids = list(changes)
    old = _existing(connection, DeskCustomer, "customer_id", ids)
    connection.execute(delete(table).where(table.c.customer_id.in_(ids)))
    fresh = []
    for row_id, (deleted, data) in changes.items():
        before = old.get(row_id)
        if deleted:
            continue
        fact = customer_fact(row_id, data)
        fact["last_visit"] = before["last_visit"] if before else None
        fresh.append(fact)
        if before is not None and before["grid_id"] != fact["grid_id"]:
            _move_customer(connection, row_id, before["grid_id"], fact["grid_id"], dirty)
    if fresh:
        connection.execute(insert(table), fresh)


def _move_customer(
    connection: Connection, customer_id: uuid.UUID, old: uuid.UUID, new: uuid.UUID, dirty: _Dirty
) -> None:
    """A customer moved to another grid: its visits and referrals count there now."""
    for model in (DeskVisit, DeskReferral):
        table = cast(Table, model.__table__)
        month = table.c.registered_month if model is DeskReferral else table.c.month
        months = connection.execute(
            select(month).where(table.c.customer_id == customer_id).distinct()
        ).scalars()
        for month in months:
            dirty.cells.update({(old, month), (new, month)})
        connection.execute(
            update(table).where(table.c.customer_id == customer_id).values(grid_id=new)
        )


def _lookup(connection: Connection, key: Any, value: Any, keys: Iterable[uuid.UUID]) -> dict:
    """{key: value} of the fact rows whose ``key`` column is in ``keys``, 500 keys a query."""
    wanted = list(set(keys))
    found: dict[Any, Any] = {}
    for start in range(0, len(wanted), 500):
        found.update(
            connection.execute(select(key, value).where(key.in_(wanted[start : start + 500])))
            .tuples()
            .all()
        )
    return found


def _grids_of(connection: Connection, customer_ids: Iterable[uuid.UUID]) -> dict:
    return _lookup(connection, _CUSTOMER.c.customer_id, _CUSTOMER.c.grid_id, customer_ids)


def _visits(
    connection: Connection, changes: dict[uuid.UUID, tuple[bool, dict[str, Any]]], dirty: _Dirty
) -> None:
    if not changes:
        return
    table = _VISIT
    ids = list(changes)
    old = _existing(connection, DeskVisit, "visit_id", ids)
    grids = _grids_of(
        connection, [_uuid(d.get("customer_id")) or NO_GRID for _, d in changes.values()]
    )
    connection.execute(delete(table).where(table.c.visit_id.in_(ids)))
    fresh = []
    for row_id, (deleted, data) in changes.items():
        before = old.get(row_id)
        if before is not None:
            dirty.cells.add((before["grid_id"], before["month"]))
            dirty.customers.add(before["customer_id"])
        if deleted:
            continue
        customer = _uuid(data.get("customer_id")) or NO_GRID
        fact = visit_fact(row_id, data, grids.get(customer, NO_GRID))
        fact["reviewed"] = bool(before and before["reviewed"])
        fresh.append(fact)
        dirty.cells.add((fact["grid_id"], fact["month"]))
        dirty.customers.add(fact["customer_id"])
    if fresh:
        connection.execute(insert(table), fresh)


def _referrals(
    connection: Connection,
    changes: dict[uuid.UUID, tuple[bool, dict[str, Any]]],
    dirty: _Dirty,
    today: date,
) -> None:
    if not changes:
        return
    table = _REFERRAL
    ids = list(changes)
    old = _existing(connection, DeskReferral, "referral_id", ids)
    grids = _grids_of(
        connection, [_uuid(d.get("customer_id")) or NO_GRID for _, d in changes.values()]
    )
    visit_days = _visit_days(
        connection,
        [
            visit_id
            for _, d in changes.values()
            if not d.get("registered_on") and (visit_id := _uuid(d.get("visit_id")))
        ],
    )
    connection.execute(delete(table).where(table.c.referral_id.in_(ids)))
    fresh = []
    for row_id, (deleted, data) in changes.items():
        before = old.get(row_id)
        if before is not None:
            dirty.cells.add((before["grid_id"], before["registered_month"] or before["month"]))
            dirty.teams.add((before["team"], before["month"]))
        if deleted:
            continue
        customer = _uuid(data.get("customer_id")) or NO_GRID
        seen = today
        if before is not None and before["answered_on"] is not None:
            seen = before["answered_on"]  # a rejection keeps the day it was first seen
        visit_day = visit_days.get(_uuid(data.get("visit_id")))  # type: ignore[arg-type]
        fact = referral_fact(row_id, data, grids.get(customer, NO_GRID), seen, visit_day)
        fresh.append(fact)
        dirty.cells.add((fact["grid_id"], fact["registered_month"]))
        dirty.teams.add((fact["team"], fact["month"]))
    if fresh:
        connection.execute(insert(table), fresh)


def _visit_days(connection: Connection, visit_ids: list[uuid.UUID]) -> dict[uuid.UUID, date]:
    return _lookup(connection, _VISIT.c.visit_id, _VISIT.c.day, visit_ids)


def _reviews(
    connection: Connection, changes: dict[uuid.UUID, tuple[bool, dict[str, Any]]], dirty: _Dirty
) -> None:
    table = _VISIT
    for deleted, data in changes.values():
        visit_id = _uuid(data.get("visit_id"))
        if visit_id is None:
            continue
        found = connection.execute(
            update(table)
            .where(table.c.visit_id == visit_id)
            .values(reviewed=not deleted)
            .returning(table.c.grid_id, table.c.month)
        ).first()
        if found is not None:
            dirty.cells.add((found[0], found[1]))


def _recount(connection: Connection, dirty: _Dirty) -> None:
    """Recount the touched cells from the facts (a cell holds a grid's month: ~100 rows)."""
    visits, referrals = _VISIT, _REFERRAL
    months, teams = _MONTH, _TEAM_MONTH
    for grid_id, month in dirty.cells:
        connection.execute(
            delete(months).where(months.c.grid_id == grid_id, months.c.month == month)
        )
        connection.execute(
            insert(months).from_select(
                ["grid_id", "month", "visits", "scored", "score_sum", "complaints", "reviewed"],
                _cell_select(visits, referrals, grid_id, month),
            )
        )
    for team, month in dirty.teams:
        connection.execute(delete(teams).where(teams.c.team == team, teams.c.month == month))
        connection.execute(
            insert(teams).from_select(
                ["team", "month", "on_time", "late"],
                _team_select(referrals).where(referrals.c.team == team, referrals.c.month == month),
            )
        )
    customers = _CUSTOMER
    for customer_id in dirty.customers:
        connection.execute(
            update(customers)
            .where(customers.c.customer_id == customer_id)
            .values(
                last_visit=select(func.max(visits.c.day))
                .where(visits.c.customer_id == customer_id, visits.c.completed)
                .scalar_subquery()
            )
        )


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def _cell_select(
    visits: Any, referrals: Any, grid_id: uuid.UUID | None = None, month: str | None = None
) -> Any:
    """Per (grid, month): visit counts and scores, complaints, reviews (one cell if given)."""
    visit_where = [visits.c.completed]
    referral_where = [referrals.c.kind == "complaint"]
    registered = referrals.c.registered_month
    if grid_id is not None:
        visit_where += [visits.c.grid_id == grid_id, visits.c.month == month]
        referral_where += [referrals.c.grid_id == grid_id, registered == month]
    v = (
        select(
            visits.c.grid_id,
            visits.c.month,
            func.count().label("visits"),
            _count_if(visits.c.score_count > 0).label("scored"),
            func.sum(
                func.coalesce(visits.c.score_sum * 1.0 / func.nullif(visits.c.score_count, 0), 0.0)
            ).label("score_sum"),
            _count_if(visits.c.complaint).label("visit_complaints"),
            _count_if(visits.c.reviewed).label("reviewed"),
        )
        .where(*visit_where)
        .group_by(visits.c.grid_id, visits.c.month)
        .subquery("v")
    )
    r = (
        select(referrals.c.grid_id, registered.label("month"), func.count().label("complaints"))
        .where(*referral_where)
        .group_by(referrals.c.grid_id, registered)
        .subquery("r")
    )
    keys = select(v.c.grid_id, v.c.month).union(select(r.c.grid_id, r.c.month)).subquery("g")
    return (
        select(
            keys.c.grid_id,
            keys.c.month,
            func.coalesce(v.c.visits, 0),
            func.coalesce(v.c.scored, 0),
            func.coalesce(v.c.score_sum, 0.0),
            func.coalesce(r.c.complaints, 0) + func.coalesce(v.c.visit_complaints, 0),
            func.coalesce(v.c.reviewed, 0),
        )
        .select_from(keys)
        .outerjoin(v, and_(v.c.grid_id == keys.c.grid_id, v.c.month == keys.c.month))
        .outerjoin(r, and_(r.c.grid_id == keys.c.grid_id, r.c.month == keys.c.month))
    )


def _team_select(referrals: Any) -> Any:
    answered = referrals.c.answered_on.is_not(None)
    late = and_(
        answered, referrals.c.due_on.is_not(None), referrals.c.answered_on > referrals.c.due_on
    )
    return (
        select(
            referrals.c.team,
            referrals.c.month,
            _count_if(and_(answered, ~late)),
            _count_if(late),
        )
        .where(answered)
        .group_by(referrals.c.team, referrals.c.month)
    )


# ------------------------------------------------------------------ rebuild


def _documents(connection: Connection, table_name: str) -> Iterable[tuple[uuid.UUID, Any]]:
    """Live rows of a table, streamed in pages by id (memory stays flat)."""
    rows_table = _ROWS
    last: uuid.UUID | None = None
    while True:
        statement = (
            select(rows_table.c.row_id, rows_table.c.data)
            .where(rows_table.c.table_name == table_name, ~rows_table.c.deleted)
            .order_by(rows_table.c.row_id)
            .limit(5000)
        )
        if last is not None:
            statement = statement.where(rows_table.c.row_id > last)
        page = connection.execute(statement).all()
        if not page:
            return
        for row_id, data in page:
            yield row_id, data if isinstance(data, dict) else {}
        last = page[-1][0]


def _insert_all(connection: Connection, model: Any, rows: Iterable[dict[str, Any]]) -> None:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= 5000:
            connection.execute(insert(cast(Table, model.__table__)), batch)
            batch = []
    if batch:
        connection.execute(insert(cast(Table, model.__table__)), batch)


def rebuild(connection: Connection, newest: int | None = None, today: date | None = None) -> None:
    """Recompute every fact and aggregate from the row store, and set the cursor to
    ``newest`` (changes above it are read by the next :func:`refresh`; reading one twice is
    harmless: facts are replaced, cells recounted)."""
    today = today or date.today()
    if newest is None:
        newest = connection.execute(select(func.max(SyncRow.version))).scalar() or 0
    for model in (DeskTeamMonth, DeskMonth, DeskReferral, DeskVisit, DeskCustomer):
        connection.execute(delete(cast(Table, model.__table__)))
    customers = {
        row_id: customer_fact(row_id, data) for row_id, data in _documents(connection, "customer")
    }
    reviewed = {
        _uuid(data.get("visit_id")) for _row_id, data in _documents(connection, "visit_review")
    }

    visit_days: dict[uuid.UUID, date] = {}  # for referrals without ``registered_on``

    def visits() -> Iterable[dict[str, Any]]:
        for row_id, data in _documents(connection, "visit"):
            customer = customers.get(_uuid(data.get("customer_id")) or NO_GRID)
            fact = visit_fact(row_id, data, customer["grid_id"] if customer else NO_GRID)
            fact["reviewed"] = row_id in reviewed
            visit_days[row_id] = fact["day"]
            if customer is not None and fact["completed"]:
                last = customer.get("last_visit")
                if last is None or fact["day"] > last:
                    customer["last_visit"] = fact["day"]
            yield fact

    def referrals() -> Iterable[dict[str, Any]]:
        for row_id, data in _documents(connection, "referral"):
            customer = customers.get(_uuid(data.get("customer_id")) or NO_GRID)
            visit = _uuid(data.get("visit_id"))
            yield referral_fact(
                row_id,
                data,
                customer["grid_id"] if customer else NO_GRID,
                today,
                visit_days.get(visit) if visit is not None else None,
            )

    _insert_all(connection, DeskVisit, visits())
    _insert_all(connection, DeskReferral, referrals())
    for fact in customers.values():
        fact.setdefault("last_visit", None)
    _insert_all(connection, DeskCustomer, customers.values())
    visits_table, referrals_table = _VISIT, _REFERRAL
    connection.execute(
        insert(_MONTH).from_select(
            ["grid_id", "month", "visits", "scored", "score_sum", "complaints", "reviewed"],
            _cell_select(visits_table, referrals_table),
        )
    )
    connection.execute(
        insert(_TEAM_MONTH).from_select(
            ["team", "month", "on_time", "late"], _team_select(referrals_table)
        )
    )
    state = _STATE
    if connection.execute(select(state.c.name).where(state.c.name == "cursor")).first() is None:
        connection.execute(insert(state).values(name="cursor", value=newest))
    else:
        connection.execute(update(state).where(state.c.name == "cursor").values(value=newest))


def position(connection: Connection) -> tuple[int, int]:
    """(the figures' cursor, the row store's newest version): no lock, no write."""
    known = connection.execute(select(_STATE.c.value).where(_STATE.c.name == "cursor")).scalar()
    newest = connection.execute(select(func.max(_ROWS.c.version))).scalar() or 0
    return int(known or 0), int(newest)


def rebuild_now(engine: Any, today: date | None = None) -> dict[str, int]:
    """Rebuild every figure in one transaction that holds the cursor row (page views asking
    for a refresh meanwhile wait for it instead of rebuilding too), then ANALYZE the fact
    tables on PostgreSQL; returns how many facts of each kind there are.

    ``keyacct-server desk-facts rebuild``: run after an upgrade or a restore, before the
    first dashboard view, which would otherwise do this inside its request."""
    with engine.begin() as connection:
        _cursor(connection)
        rebuild(connection, today=today)
        counts = {
            name: int(connection.execute(select(func.count()).select_from(table)).scalar() or 0)
            for name, table in (
                ("customers", _CUSTOMER),
                ("visits", _VISIT),
                ("referrals", _REFERRAL),
                ("grid-months", _MONTH),
            )
        }
    if engine.dialect.name == "postgresql":
        # VACUUM too: the dashboard's covering indexes are read index-only once the pages
        # are marked all-visible (autovacuum would get there later).
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            names = ", ".join(cast(Table, model.__table__).name for model in TABLES)
            connection.execute(text(f"VACUUM (ANALYZE) {names}"))
    return counts
