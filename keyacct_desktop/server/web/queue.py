"""A back-office team's referrals, read from the synced rows, and the team's moves, written
through the sync push as a device's would be.

**Reading.** Referrals are JSON documents in ``sync_row``. The queue is served by one partial
expression index (migration s0006, ``ix_sync_row_referral_queue``) on (team, closed or not,
due date, id) over live referral rows: a page is an index range scan that stops at its limit,
with still-open referrals first and, among them, the overdue ones (earliest due) first. The
expressions below are the very text of that index (a test checks they match), and the
predicates are literal SQL, so that both SQLite and PostgreSQL (even with generic plans of
prepared statements) see that the index applies. Counts are kept to the open referrals.

**Visibility.** A team sees the referrals addressed to it and, of their customers, the
fields it needs (name, 户号, address, the manager's name and phone); any other referral or
customer is "not found", whatever the URL.

**Writing.** A move becomes operations of :func:`keyacct_desktop.server.push.push` under the
team member's account and a "web console" device of that account: an update of the referral
with the version and values the page showed as its base (so an edit the manager pushed in
between meets the normal three-way merge and, on the same field, the normal conflict record:
nothing is lost), and a new ``referral_event``. The push writes the audit entries and the
laptops receive both at their next pull. The state machine is the laptop's
(:mod:`keyacct_desktop.domain.referral_rules`).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.referral_rules import CLOSED, TEAM_MOVES, check_move, is_overdue
from keyacct_desktop.server import push as server_push
from keyacct_desktop.server import push_batch as server_push_batch
from keyacct_desktop.server.accounts import console_device
from keyacct_desktop.server.models import Account, SyncRow
from keyacct_desktop.store.base import utcnow

#: Must equal ``QUEUE_KEY`` / ``QUEUE_ROWS`` of migration s0006 (tests/test_console_queue.py).
QUEUE_KEY = {
    "postgresql": (
        "(data ->> 'team')",
        "(CASE WHEN (data ->> 'state') IN ('confirmed', 'rejected') THEN 1 ELSE 0 END)",
        "(data ->> 'due_on')",
        "row_id",
    ),
    "sqlite": (
        "json_extract(data, '$.team')",
        "(CASE WHEN json_extract(data, '$.state') IN ('confirmed', 'rejected') THEN 1 ELSE 0 END)",
        "json_extract(data, '$.due_on')",
        "row_id",
    ),
}
QUEUE_ROWS = "table_name = 'referral' AND NOT deleted"
_STATE = {"postgresql": "(data ->> 'state')", "sqlite": "json_extract(data, '$.state')"}
PAGE_SIZE = 30
#: Open referrals counted for the filter badges at most (beyond: "500+").
COUNT_CAP = 500
OPEN_STATES = tuple(state.value for state in ReferralState if state not in CLOSED)
#: The queue's filters: code → label.
FILTERS: dict[str, str] = {
    "todo": "待办",
    "overdue": "逾期",
    **{state.value: state.zh for state in ReferralState},
    "all": "全部",
}
KIND_LABELS = {"demand": "诉求", "complaint": "投诉"}


@dataclass(frozen=True)
class QueueRow:
    id: uuid.UUID
    customer: str
    account_no: str
    kind: str
    demand_type: str
    description: str
    manager: str
    due_on: date | None
    state: str
    overdue: bool

    @property
    def state_label(self) -> str:
        return ReferralState(self.state).zh

    @property
    def demand_label(self) -> str:
        return _label(DemandType, self.demand_type)


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    #: Open referrals by state, plus ``overdue`` and ``todo`` (all open ones), as shown; only
    #: ``todo`` ("500+") when the team has more than :data:`COUNT_CAP` open.
    counts: dict[str, str]
    page: int
    has_next: bool
    #: The cursors of the neighbouring pages (``?after=`` / ``?before=``), "" if none.
    next_cursor: str = ""
    previous_cursor: str = ""

    @property
    def has_previous(self) -> bool:
        return bool(self.previous_cursor)


@dataclass(frozen=True)
class Cursor:
    """A place in the queue's order: (closed, due date or None, id) of a row.

    Pages are read by keyset ("after the last row shown", "before the first one"), never
    by OFFSET: page 100 reads as few index entries as page 1. A cursor travels in the URL as
    ``closed.due.id`` (``due`` empty when the referral has no due date).
    """

    closed: int
    due: str | None
    id: uuid.UUID

    def text(self) -> str:
        return f"{self.closed}.{self.due or ''}.{self.id}"

    @classmethod
    def parse(cls, value: str | None) -> Cursor | None:
        """None for anything that is not a cursor (a bad URL shows the first page)."""
        try:
            closed, due, row_id = (value or "").split(".")
            if closed not in ("0", "1") or (due and date.fromisoformat(due).isoformat() != due):
                return None
            return cls(int(closed), due or None, uuid.UUID(row_id))
        except ValueError:
            return None


def _label(enum: Any, code: str | None) -> str:
    try:
        return str(enum(code).zh)
    except ValueError:
        return code or "—"


def dialect_of(session: Session) -> str:
    name = session.get_bind().dialect.name
    return "postgresql" if name == "postgresql" else "sqlite"


def _segments(
    dialect: str, closed_values: tuple[int, ...], dated_only: bool
) -> list[tuple[int, bool]]:
    """The queue's order as runs of rows an index range serves: (closed, dated) in order.

    The index orders by (closed, due, id); referrals without a due date sort after the
    dated ones on PostgreSQL and before them on SQLite. Within a run, ``(due, id) > (d, i)``
    is a range of the index on both databases (an ``OR due IS NULL`` would not be).
    """
    dated = (True,) if dated_only else ((True, False) if dialect == "postgresql" else (False, True))
    return [(closed, has_due) for closed in closed_values for has_due in dated]


def queue_page(
    session: Session,
    team: str,
    wanted: str,
    page: int,
    today: date,
    size: int = PAGE_SIZE,
    after: str | None = None,
    before: str | None = None,
    grids: Sequence[uuid.UUID] = (),
) -> QueuePage:
    """One page of ``team``'s queue under filter ``wanted`` (a :data:`FILTERS` code): the
    first page, the page after the cursor ``after`` or the one before ``before``; ``page``
    is only the number shown."""
    wanted = wanted if wanted in FILTERS else "todo"
    dialect = dialect_of(session)
    team_key, closed, due, _id = QUEUE_KEY[dialect]
    state = _STATE[dialect]
    where = f"{QUEUE_ROWS} AND {team_key} = :team"
    params: dict[str, Any] = {"team": team, "today": today.isoformat()}
    limited = ""
    if grids:  # a supervisor limited to grids: their customers' referrals only
        names = ", ".join(f":grid{i}" for i in range(len(grids)))
        limited = (
            " AND customer_id IN (SELECT c.row_id FROM sync_row c WHERE "
            f"c.table_name = 'customer' AND c.grid_id IN ({names}))"
        )
        where += limited
        params.update({f"grid{i}": _id_param(dialect, g) for i, g in enumerate(grids)})
    closed_values: tuple[int, ...] = (0, 1)
    if wanted in ("todo", "overdue"):
        closed_values = (0,)
        if wanted == "overdue":
            where += f" AND {due} < :today"
    elif wanted != "all":
        closed_values = (1 if ReferralState(wanted) in CLOSED else 0,)
        where += f" AND {state} = :state"
        params["state"] = wanted
    segments = _segments(dialect, closed_values, dated_only=wanted == "overdue")
    backwards = Cursor.parse(before) is not None
    cursor = Cursor.parse(before) if backwards else Cursor.parse(after)
    if cursor is not None and (cursor.closed, cursor.due is not None) not in segments:
        cursor = None  # a cursor of another filter: start over
    if cursor is None:
        backwards, page = False, 1
    found = _keyset(session, where, params, segments, cursor, backwards, size + 1)
    more = len(found) > size
    if backwards and not more:  # back at the start: the first page, full
        found = _keyset(session, where, params, segments, None, False, size + 1)
        backwards, cursor, page, more = False, None, 1, len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    # The badges count the open referrals, the earliest COUNT_CAP of them at most: the count
    # reads each one's state from its row, so a team with thousands open shows "500+".
    counted = session.execute(
        text(
            f"SELECT s, late, count(*) FROM (SELECT {state} AS s, "
            f"CASE WHEN {due} < :today THEN 1 ELSE 0 END AS late FROM sync_row "
            f"WHERE {QUEUE_ROWS} AND {team_key} = :team AND {closed} = 0{limited} "
            f"ORDER BY {due}, row_id LIMIT {COUNT_CAP + 1}) AS open_referrals GROUP BY s, late"
        ),
        params,
    ).all()
    numbers = dict.fromkeys(("todo", "overdue", *OPEN_STATES), 0)
    for state_value, late, number in counted:
        numbers[state_value] = numbers.get(state_value, 0) + number
        numbers["todo"] += number
        numbers["overdue"] += number if late else 0
    if numbers["todo"] > COUNT_CAP:  # only the total is known, and only as "more than"
        counts = {"todo": f"{COUNT_CAP}+"}
    else:
        counts = {key: str(value) for key, value in numbers.items()}
    records = [(uuid.UUID(str(row_id)), _data(data)) for row_id, data in found[:size]]
    context = _customers_and_managers(session, [data for _id, data in records])
    rows = []
    for row_id, data in records:
        customer, manager = context.get(data.get("customer_id") or "", ({}, {}))
        due_on = _day(data.get("due_on"))
        rows.append(
            QueueRow(
                row_id,
                customer.get("name") or "—",
                customer.get("account_no") or "",
                data.get("kind") or "demand",
                data.get("demand_type") or "other",
                data.get("description") or "",
                manager.get("display_name") or "—",
                due_on,
                data.get("state") or "open",
                is_overdue(data.get("state") or "open", due_on, today),
            )
        )
    first = _cursor_of(found[0]) if found else ""
    last = _cursor_of(found[-1]) if found else ""
    has_next = more if not backwards else bool(found)
    has_previous = (cursor is not None) if not backwards else more
    return QueuePage(
        rows,
        counts,
        max(1, page),
        has_next,
        last if has_next else "",
        first if has_previous and page > 1 else "",
    )


def _cursor_of(row: Any) -> str:
    data = _data(row[1])
    due = data.get("due_on") or None
    closed = 1 if data.get("state") in {state.value for state in CLOSED} else 0
    return Cursor(closed, due, uuid.UUID(str(row[0]))).text()


def _keyset(
    session: Session,
    where: str,
    params: dict[str, Any],
    segments: list[tuple[int, bool]],
    cursor: Cursor | None,
    backwards: bool,
    limit: int,
) -> list[Any]:
    """Up to ``limit`` rows after (or before) ``cursor`` in the queue's order: each run of
    :func:`_segments` from the cursor's on is one index range scan that stops at the limit."""
    dialect = dialect_of(session)
    _team, closed, due, _id = QUEUE_KEY[dialect]
    runs = segments[::-1] if backwards else segments
    if cursor is not None:
        runs = runs[runs.index((cursor.closed, cursor.due is not None)) :]
    order = "DESC" if backwards else "ASC"
    beyond = "<" if backwards else ">"
    found: list[Any] = []
    for closed_value, dated in runs:
        clause = f"{where} AND {closed} = {closed_value} AND {due} IS {'NOT ' if dated else ''}NULL"
        run_params = dict(params)
        if cursor is not None and (cursor.closed, cursor.due is not None) == (closed_value, dated):
            if dated:
                clause += f" AND ({due}, row_id) {beyond} (:cursor_due, :cursor_id)"
                run_params["cursor_due"] = cursor.due
            else:
                clause += f" AND row_id {beyond} :cursor_id"
            run_params["cursor_id"] = _id_param(dialect, cursor.id)
        found += session.execute(
            text(
                f"SELECT row_id, data FROM sync_row WHERE {clause} "
                f"ORDER BY {due} {order}, row_id {order} LIMIT :limit"
            ),
            {**run_params, "limit": limit - len(found)},
        ).all()
        if len(found) >= limit:
            break
    return found


def _id_param(dialect: str, value: uuid.UUID) -> Any:
    """A row id as the text() statement's bound value (SQLite stores the 32 hex digits)."""
    return value if dialect == "postgresql" else value.hex


def _data(value: Any) -> dict[str, Any]:
    if isinstance(value, str):  # SQLite hands JSON back as text through text()
        import json

        loaded: dict[str, Any] = json.loads(value)
        return loaded
    return dict(value)


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _rows(session: Session, table: str, ids: set[str]) -> dict[str, dict[str, Any]]:
    keys = []
    for value in ids:
        try:
            keys.append(uuid.UUID(value))
        except (TypeError, ValueError):
            continue
    if not keys:
        return {}
    return {
        str(row_id): dict(data)
        for row_id, data in session.execute(
            select(SyncRow.row_id, SyncRow.data).where(
                SyncRow.table_name == table, SyncRow.row_id.in_(keys), SyncRow.deleted.is_(False)
            )
        )
    }


def _customers_and_managers(
    session: Session, referrals: list[dict[str, Any]]
) -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    """Per customer id of ``referrals``: the customer's data and its grid manager's user row."""
    customers = _rows(
        session, "customer", {r["customer_id"] for r in referrals if r.get("customer_id")}
    )
    grids = _rows(session, "grid", {c["grid_id"] for c in customers.values() if c.get("grid_id")})
    users = _rows(session, "user", {g["manager_id"] for g in grids.values() if g.get("manager_id")})
    found = {}
    for customer_id, customer in customers.items():
        grid = grids.get(customer.get("grid_id") or "", {})
        found[customer_id] = (customer, users.get(grid.get("manager_id") or "", {}))
    return found


# ------------------------------------------------------------------ one referral


@dataclass(frozen=True)
class Event:
    at: datetime | str | None
    from_state: str | None
    to_state: str
    note: str | None
    actor: str

    @property
    def label(self) -> str:
        to = _label(ReferralState, self.to_state)
        if self.from_state is None:
            return "转办创建"
        if self.from_state == self.to_state:
            return "改派/调整期限"
        return f"{_label(ReferralState, self.from_state)} → {to}"


@dataclass(frozen=True)
class ReferralView:
    """What a team sees of one of its referrals (and the base of its next move)."""

    id: uuid.UUID
    version: int
    data: dict[str, Any]
    customer: dict[str, str]
    manager: dict[str, str]
    visit: dict[str, Any] | None
    events: list[Event]
    overdue: bool
    moves: tuple[str, ...]

    @property
    def state_label(self) -> str:
        return _label(ReferralState, self.data.get("state"))

    @property
    def demand_label(self) -> str:
        return _label(DemandType, self.data.get("demand_type"))

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.data.get("kind") or "", "诉求")

    @property
    def team_label(self) -> str:
        return _label(BackOfficeTeam, self.data.get("team"))


#: Visit fields a team reads as context (no scores, no signature, nothing else of the visit).
VISIT_FIELDS = (
    ("purpose", "拜访目的"),
    ("findings_reliability", "供电可靠性"),
    ("findings_power_quality", "电能质量"),
    ("findings_equipment", "设备情况"),
    ("findings_safety", "用电安全"),
    ("consumption_outlook", "用电展望"),
    ("complaints", "客户意见"),
    ("advice", "建议"),
)


def team_referral(
    session: Session,
    team: str | None,
    referral_id: str,
    today: date,
    grids: Sequence[uuid.UUID] = (),
) -> ReferralView | None:
    """One referral of ``team`` (None: of any team, for a supervisor) with its context;
    None when it is not the team's, not in ``grids`` (if given), or absent."""
    try:
        key = uuid.UUID(referral_id)
    except ValueError:
        return None
    row = session.get(SyncRow, ("referral", key))
    if row is None or row.deleted or (team is not None and row.data.get("team") != team):
        return None
    if grids:
        owner = session.get(SyncRow, ("customer", row.customer_id)) if row.customer_id else None
        if owner is None or owner.grid_id not in set(grids):
            return None
    data = dict(row.data)
    customer, manager = _customers_and_managers(session, [data]).get(
        data.get("customer_id") or "", ({}, {})
    )
    visit = None
    if data.get("visit_id"):
        found = _rows(session, "visit", {data["visit_id"]}).get(data["visit_id"])
        if found is not None:
            visit = {
                "started_at": found.get("started_at"),
                "place": found.get("place"),
                "fields": [(label, found[f]) for f, label in VISIT_FIELDS if found.get(f)],
            }
    events = []
    event_rows = session.scalars(
        select(SyncRow).where(
            SyncRow.table_name == "referral_event",
            SyncRow.customer_id == row.customer_id,
            SyncRow.deleted.is_(False),
        )
    ).all()
    mine = [dict(e.data) for e in event_rows if e.data.get("referral_id") == str(key)]
    actors = _rows(session, "user", {e["actor_id"] for e in mine if e.get("actor_id")})
    for event in sorted(mine, key=lambda e: (e.get("at") or "", e.get("created_at") or "")):
        actor = actors.get(event.get("actor_id") or "", {})
        events.append(
            Event(
                event.get("at"),
                event.get("from_state"),
                event.get("to_state") or "",
                event.get("note"),
                actor.get("display_name") or "",
            )
        )
    state = ReferralState(data.get("state") or "open")
    return ReferralView(
        key,
        row.version,
        data,
        {
            "name": customer.get("name") or "—",
            "account_no": customer.get("account_no") or "—",
            "address": customer.get("address") or "—",
        },
        {
            "name": manager.get("display_name") or "—",
            "phone": manager.get("phone") or "—",
        },
        visit,
        events,
        is_overdue(state.value, _day(data.get("due_on")), today),
        tuple(s.value for s in TEAM_MOVES.get(state, ())),
    )


# ------------------------------------------------------------------ moves


#: The referral fields a team's move may change (and so carries as its base).
MOVE_FIELDS = ("state", "answer", "answered_at", "reject_reason", "owner_name")


@dataclass(frozen=True)
class MoveOutcome:
    status: str  # applied / conflict
    conflicts: list[str]


def move(
    session: Session,
    account_id: uuid.UUID,
    referral_id: uuid.UUID,
    wanted: str,
    note: str,
    owner_name: str | None,
    base_version: int,
    base: dict[str, Any],
) -> MoveOutcome:
    """A team member's move of a referral of their team, as a push from their console device.

    ``base_version`` and ``base`` are what the page showed; the move is checked against that
    state (what the person decided on), the merge against the stored one.
    """
    account = session.get(Account, account_id)
    if account is None or account.role != "team" or not account.team:
        raise UserError("只有后台团队成员可以办理转办", "only team members move referrals")
    row = session.get(SyncRow, ("referral", referral_id))
    if row is None or row.deleted or row.data.get("team") != account.team:
        raise LookupError(referral_id)
    if base_version == row.version:
        base = {key: row.data.get(key) for key in MOVE_FIELDS}
    current = str(base.get("state") or "open")
    note = note.strip()
    target = check_move(current, wanted, note, by_team=True)
    now = utcnow()
    fields: dict[str, Any] = {"state": target.value}
    if target is ReferralState.ANSWERED:
        fields["answer"], fields["answered_at"] = note, now.isoformat()
    elif target is ReferralState.REJECTED:
        fields["reject_reason"] = note
    if owner_name is not None and owner_name.strip() != (base.get("owner_name") or ""):
        fields["owner_name"] = owner_name.strip()[:64] or None
    device = console_device(session, account)
    ops = [
        server_push_batch.Operation(
            uuid.uuid4(),
            "referral",
            referral_id,
            "upsert",
            base_version,
            fields,
            {key: base.get(key) for key in fields},
        )
    ]
    result = server_push.push(session, account, device, ops, restricted=False)[0]
    if result.get("status") not in ("applied", "conflict"):
        raise UserError(
            f"保存未成功:{result.get('message') or result.get('status')}",
            f"not saved: {result}",
        )
    conflicts = list(result.get("conflicts") or [])
    event_note = note or None
    if "state" in conflicts:
        event_note = f"{note}(与客户经理同时修改,未生效,已记入冲突记录)".strip()
    event = {
        "referral_id": str(referral_id),
        "from_state": current,
        "to_state": target.value,
        "note": event_note,
        "actor_id": str(account.user_id),
        "at": now.isoformat(),
    }
    event_op = server_push_batch.Operation(
        uuid.uuid4(), "referral_event", uuid.uuid4(), "upsert", 0, event, {}
    )
    answer = server_push.push(session, account, device, [event_op], restricted=False)[0]
    if answer.get("status") != "applied":
        raise UserError(f"历史记录未保存:{answer}", f"event not saved: {answer}")
    return MoveOutcome(str(result["status"]), conflicts)
