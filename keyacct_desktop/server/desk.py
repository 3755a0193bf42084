"""The business specialist's desk (业务专员), independent of HTTP: the review queue, one visit
report as on paper, a review, a complaint or demand registered on the web, the dashboard.

Reads come from the desk figures (:mod:`.desk_facts`, brought up to date first) and from the
synced rows; writes go through the sync push exactly as a device's would
(:func:`keyacct_desktop.server.push.push` from the account's console device), so the
integrity rules, the conflict rules, the audit log and the laptops' next pull see them like
any other change. A specialist sees every grid, unless the account is limited to grids
(``account_grid``, :mod:`.account_grids`): then every read and write here takes those
``grids`` and anything beyond them is "not found".
"""

from __future__ import annotations

import base64
import threading
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, case, false, func, or_, select, true
from sqlalchemy.orm import Session

from keyacct_desktop.domain.enums import BackOfficeTeam, DemandType, ReferralState, ReviewRating
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.domain.visit_plan import frequency_days
from keyacct_desktop.domain.workdays import WorkCalendar
from keyacct_desktop.server import desk_facts as facts
from keyacct_desktop.server.models import Account, SyncRow
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.store.models import visit_review_id

#: Roles that use the desk pages (administrators too).
DESK_ROLES = ("specialist", "admin")
#: Who registers complaints and demands: the specialist, and the 95598 staff (members of
#: the service command centre, 供电服务指挥中心).
REQUEST_ROLES = (*DESK_ROLES, "team")
REQUEST_TEAMS = ("dispatch",)


def may_register(role: str, team: str | None) -> bool:
    return role in DESK_ROLES or (role == "team" and team in REQUEST_TEAMS)


#: How many months the dashboard shows (this one included).
MONTHS = 12
#: Grids whose monthly complaints get a sparkline (those with the most complaints).
SPARK_GRIDS = 30
PAGE = 20

FINDINGS = (
    ("findings_reliability", "供电可靠性(停电、电压暂降)"),
    ("findings_power_quality", "电能质量(谐波、闪变等)"),
    ("findings_equipment", "设备运行状况"),
    ("findings_safety", "安全隐患"),
    ("consumption_outlook", "用电需求展望"),
    ("advice", "我方建议"),
)
SCORES = (
    ("score_reliability", "供电可靠性"),
    ("score_billing", "电费与业务办理"),
    ("score_service", "服务质量"),
)


def settings_value(key: str) -> Any:
    """A setting's value in force on the server (the declared default)."""
    from keyacct_desktop.settings import Settings

    return Settings().get(key)


def server_calendar(session: Session) -> WorkCalendar:
    """The work calendar the server distributes (synced years over the bundled files)."""
    from keyacct_desktop.domain.workdays import bundled_years
    from keyacct_desktop.settings import Settings
    from keyacct_desktop.store.calendar import year_data_of

    years = dict(bundled_years())
    for (data,) in session.execute(
        select(SyncRow.data).where(
            SyncRow.table_name == "work_calendar", SyncRow.deleted.is_(False)
        )
    ):
        try:
            year = year_data_of(data)
        except (TypeError, ValueError):
            continue
        years[year.year] = year
    return WorkCalendar.from_settings(Settings(), years)


def refresh(session: Session, today: date | None = None) -> None:
    """Bring the desk figures up to date (in the caller's transaction)."""
    facts.refresh(session.connection(), today)


# ------------------------------------------------------------------ names


def _names(connection: Connection) -> dict[uuid.UUID, str]:
    """Display names of every account's user record."""
    return {
        user_id: name
        for user_id, name in connection.execute(select(Account.user_id, Account.display_name))
    }


def _grids(connection: Connection) -> dict[uuid.UUID, tuple[str, uuid.UUID | None]]:
    """Grid id → (name, manager's user id), live grids only (a few hundred rows)."""
    found = {}
    for row_id, manager_id, name in connection.execute(
        select(SyncRow.row_id, SyncRow.manager_id, SyncRow.data["name"].as_string()).where(
            SyncRow.table_name == "grid", SyncRow.deleted.is_(False)
        )
    ):
        found[row_id] = (str(name or "—"), manager_id)
    return found


def _row(session: Session, table: str, row_id: uuid.UUID | None) -> dict[str, Any] | None:
    if row_id is None:
        return None
    row = session.get(SyncRow, (table, row_id))
    return dict(row.data) if row is not None and not row.deleted else None


def _as_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


#: The grids an account is limited to; () = every grid.
Grids = Sequence[uuid.UUID]


def _within(column: Any, grids: Grids) -> Any:
    """``column`` (a grid id) among ``grids``; always true without a limit."""
    return column.in_(list(grids)) if grids else true()


def _customer_within(customer: dict[str, Any] | None, grids: Grids) -> bool:
    if customer is None:
        return False
    return not grids or (_as_uuid(customer.get("grid_id")) or facts.NO_GRID) in set(grids)


# ------------------------------------------------------------------ review queue


@dataclass(frozen=True)
class QueueItem:
    visit_id: uuid.UUID
    day: date
    customer: str
    account_no: str
    grid: str
    manager: str
    purpose: str


@dataclass(frozen=True)
class ReviewQueue:
    items: list[QueueItem]
    page: int
    pages: int
    waiting: int
    reviewed: int


def review_queue(session: Session, page: int = 1, grids: Grids = ()) -> ReviewQueue:
    """Completed visit reports not reviewed yet, newest first, a page at a time."""
    connection = session.connection()
    visits, customers = facts._VISIT, facts._CUSTOMER
    totals = connection.execute(
        select(func.sum(facts._MONTH.c.visits), func.sum(facts._MONTH.c.reviewed)).where(
            _within(facts._MONTH.c.grid_id, grids)
        )
    ).one()
    done = int(totals[1] or 0)
    waiting = int(totals[0] or 0) - done
    pages = max(1, -(-waiting // PAGE))
    page = min(max(1, page), pages)
    rows = connection.execute(
        select(
            visits.c.visit_id,
            visits.c.day,
            customers.c.name,
            customers.c.account_no,
            visits.c.grid_id,
            customers.c.manager_id,
        )
        .outerjoin(customers, customers.c.customer_id == visits.c.customer_id)
        .where(
            visits.c.reviewed == false(),
            visits.c.completed == true(),
            _within(visits.c.grid_id, grids),
        )
        .order_by(visits.c.day.desc(), visits.c.visit_id)
        .offset((page - 1) * PAGE)
        .limit(PAGE)
    ).all()
    known, names = _grids(connection), _names(connection)
    documents = {
        row_id: data
        for row_id, data in connection.execute(
            select(SyncRow.row_id, SyncRow.data).where(
                SyncRow.table_name == "visit", SyncRow.row_id.in_([r[0] for r in rows])
            )
        )
    }
    items = []
    for visit_id, day, name, account_no, grid_id, manager_id in rows:
        data = documents.get(visit_id) or {}
        grid_name, grid_manager = known.get(grid_id, ("—", None))
        manager = _as_uuid(data.get("manager_id")) or manager_id or grid_manager
        items.append(
            QueueItem(
                visit_id,
                day,
                name or "—",
                account_no or "",
                grid_name,
                names.get(manager, "—") if manager else "—",
                str(data.get("purpose") or ""),
            )
        )
    return ReviewQueue(items, page, pages, waiting, done)


# ------------------------------------------------------------------ one report


@dataclass(frozen=True)
class Report:
    visit_id: uuid.UUID
    number: str
    customer: dict[str, Any]
    grid: str
    manager: str
    manager_phone: str
    visit: dict[str, Any]
    findings: list[tuple[str, str]]
    scores: list[tuple[str, str]]
    referrals: list[dict[str, str]]
    signature: str | None  # a data: URI of the customer's signature, if uploaded
    signature_missing: bool  # signed on the laptop, image not uploaded yet
    review: dict[str, Any] | None
    review_version: int
    reviewer: str


def _when(value: Any) -> str:
    try:
        return datetime.fromisoformat(str(value)).strftime("%Y年%m月%d日 %H:%M") if value else ""
    except ValueError:
        return str(value)


def _signature(session: Session, attachment_id: Any) -> tuple[str | None, bool]:
    from keyacct_desktop.server import blobs

    attachment = _row(session, "attachment", _as_uuid(attachment_id))
    if attachment is None:
        return None, attachment_id is not None
    sha = str(attachment.get("sha256") or "")
    found = blobs.state(session, sha) if len(sha) == 64 else None
    if found is None or not found.complete:
        return None, True
    data = b"".join(blobs.read_chunks(session, sha))
    mime = str(attachment.get("mime") or "image/png")
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}", False


def report(session: Session, visit_id: uuid.UUID, grids: Grids = ()) -> Report | None:
    """A completed visit's report as the customer signed it, with its review if any (None:
    no such visit, or not in ``grids``)."""
    visit = _row(session, "visit", visit_id)
    if visit is None or visit.get("status") != "completed":
        return None
    customer_id = _as_uuid(visit.get("customer_id"))
    customer = _row(session, "customer", customer_id) or {}
    if grids and not _customer_within(customer, grids):
        return None
    connection = session.connection()
    names = _names(connection)
    grid = _row(session, "grid", _as_uuid(customer.get("grid_id"))) or {}
    manager_id = (
        _as_uuid(visit.get("manager_id"))
        or _as_uuid(customer.get("manager_id"))
        or _as_uuid(grid.get("manager_id"))
    )
    manager = _row(session, "user", manager_id) or {}
    referrals = []
    for (data,) in connection.execute(
        select(SyncRow.data).where(
            SyncRow.table_name == "referral",
            SyncRow.customer_id == customer_id,
            SyncRow.deleted.is_(False),
        )
    ):
        if data.get("visit_id") != str(visit_id):
            continue
        referrals.append(
            {
                "type": "投诉"
                if data.get("kind") == "complaint"
                else _label(DemandType, data.get("demand_type")),
                "description": str(data.get("description") or ""),
                "team": _label(BackOfficeTeam, data.get("team")),
                "state": _label(ReferralState, data.get("state")),
                "due": str(data.get("due_on") or ""),
            }
        )
    signature, missing = _signature(session, visit.get("signature_id"))
    review_row = session.get(SyncRow, ("visit_review", visit_review_id(visit_id)))
    review = dict(review_row.data) if review_row is not None and not review_row.deleted else None
    reviewer = names.get(_as_uuid(review.get("reviewer_id")), "") if review else ""  # type: ignore[arg-type]
    started = str(visit.get("started_at") or "")
    return Report(
        visit_id,
        f"ZF{started[:10].replace('-', '')}-{visit_id.hex[:6].upper()}",
        customer,
        str(grid.get("name") or "—"),
        str(manager.get("display_name") or (names.get(manager_id, "") if manager_id else "")),
        str(manager.get("phone") or ""),
        {
            **visit,
            "when": _when(visit.get("started_at"))
            + (f" 至 {_when(visit.get('ended_at'))[-5:]}" if visit.get("ended_at") else ""),
            "signed_on": _when(visit.get("ended_at") or visit.get("started_at"))[:11],
        },
        [(label, str(visit[key])) for key, label in FINDINGS if str(visit.get(key) or "").strip()],
        [(label, str(visit.get(key) or "未评")) for key, label in SCORES],
        referrals,
        signature,
        missing,
        review,
        review_row.version if review_row is not None else 0,
        reviewer,
    )


def _label(enum: Any, code: Any) -> str:
    try:
        return str(enum(code).zh)
    except ValueError:
        return str(code or "")


# ------------------------------------------------------------------ writes


def _push_one(
    session: Session,
    account: Account,
    table: str,
    row_id: uuid.UUID,
    fields: dict[str, Any],
    base_version: int = 0,
    base: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One operation through the sync push, from the account's console device."""
    from keyacct_desktop.server import push as server_push
    from keyacct_desktop.server import push_batch as server_push_batch
    from keyacct_desktop.server.accounts import console_device

    device = console_device(session, account)
    operation = server_push_batch.Operation(
        uuid.uuid4(), table, row_id, "upsert", base_version, fields, base or {}
    )
    return server_push.push(session, account, device, [operation], restricted=False)[0]


def _refused(result: dict[str, Any]) -> UserError:
    return UserError(
        f"保存未成功:{result.get('message_zh') or result.get('status')}",
        f"not saved: {result.get('error') or result}",
    )


def save_review(
    session: Session,
    account_id: uuid.UUID,
    visit_id: uuid.UUID,
    rating: str,
    comments: str,
    base_version: int = 0,
    base: dict[str, Any] | None = None,
    grids: Grids = (),
) -> dict[str, Any]:
    """Record (or change) the specialist's rating and comments of a visit report (LookupError:
    no such completed visit, or not in ``grids``)."""
    account = session.get(Account, account_id)
    if account is None or account.role not in DESK_ROLES:
        raise UserError("只有业务专员可以评价走访报告", "only specialists review visit reports")
    try:
        ReviewRating(rating)
    except ValueError:
        raise UserError("请选择质量评价等级", "choose a rating", field="rating") from None
    comments = comments.strip()
    if len(comments) > 2000:
        raise UserError("评价意见不能超过 2000 字", "comments too long", field="comments")
    visit = _row(session, "visit", visit_id)
    if visit is None or visit.get("status") != "completed":
        raise LookupError(visit_id)
    if grids and not _customer_within(
        _row(session, "customer", _as_uuid(visit.get("customer_id"))), grids
    ):
        raise LookupError(visit_id)
    fields = {
        "visit_id": str(visit_id),
        "reviewer_id": str(account.user_id),
        "rating": rating,
        "comments": comments or None,
        "reviewed_at": utcnow().isoformat(),
    }
    result = _push_one(
        session,
        account,
        "visit_review",
        visit_review_id(visit_id),
        fields,
        base_version,
        {key: (base or {}).get(key) for key in fields} if base_version else None,
    )
    if result.get("status") not in ("applied", "conflict", "merged"):
        raise _refused(result)
    return result


@dataclass(frozen=True)
class CustomerHit:
    customer_id: uuid.UUID
    name: str
    account_no: str
    grid: str
    manager: str


def find_customers(
    session: Session, text: str, limit: int = 10, grids: Grids = ()
) -> list[CustomerHit]:
    """Customers whose name contains ``text`` or whose 户号 starts with it."""
    needle = text.strip()
    if not needle:
        return []
    connection = session.connection()
    customers = facts._CUSTOMER
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    rows = connection.execute(
        select(
            customers.c.customer_id,
            customers.c.name,
            customers.c.account_no,
            customers.c.grid_id,
            customers.c.manager_id,
        )
        .where(
            or_(
                customers.c.account_no.like(f"{escaped}%", escape="\\"),
                customers.c.name.like(f"%{escaped}%", escape="\\"),
            ),
            _within(customers.c.grid_id, grids),
        )
        .order_by(
            case((customers.c.account_no == needle, 0), else_=1),
            customers.c.name,
        )
        .limit(limit)
    ).all()
    known, names = _grids(connection), _names(connection)
    hits = []
    for customer_id, name, account_no, grid_id, manager_id in rows:
        grid_name, grid_manager = known.get(grid_id, ("—", None))
        manager = manager_id or grid_manager
        hits.append(
            CustomerHit(
                customer_id,
                name,
                account_no,
                grid_name,
                names.get(manager, "—") if manager else "—",
            )
        )
    return hits


def register_request(
    session: Session,
    account_id: uuid.UUID,
    customer_id: uuid.UUID,
    kind: str,
    team: str,
    description: str,
    demand_type: str | None = None,
    today: date | None = None,
    grids: Grids = (),
) -> uuid.UUID:
    """A complaint or demand registered on the web: a referral without a visit, created by
    the account, due after the kind's time limit (``referrals.due_workdays``); it reaches
    the laptops of the customer's grid (its manager) at their next sync."""
    account = session.get(Account, account_id)
    if account is None or not may_register(account.role, account.team):
        raise UserError("无权登记投诉或诉求", "not allowed to register requests")
    if kind not in ("complaint", "demand"):
        raise UserError("请选择投诉或诉求", "choose complaint or demand", field="kind")
    try:
        BackOfficeTeam(team)
    except ValueError:
        raise UserError("请选择承办的后台团队", "choose the team", field="team") from None
    description = description.strip()
    if not description:
        raise UserError("请写明投诉或诉求内容", "describe the request", field="description")
    if len(description) > 2000:
        raise UserError("内容不能超过 2000 字", "description too long", field="description")
    customer = _row(session, "customer", customer_id)
    if customer is None or not _customer_within(customer, grids):
        raise UserError("请从搜索结果中选择客户", "choose a customer", field="customer")
    demand_type = demand_type or ("complaint" if kind == "complaint" else "other")
    try:
        DemandType(demand_type)
    except ValueError:
        demand_type = "other"
    days = int(settings_value("referrals.due_workdays").get(kind, 5))
    calendar = server_calendar(session)
    registered = today or date.today()
    due = calendar.add_workdays(registered, days)
    referral_id = uuid.uuid4()
    now = utcnow()
    fields = {
        "customer_id": str(customer_id),
        "visit_id": None,
        "kind": kind,
        "demand_type": demand_type,
        "description": description,
        "team": team,
        "due_on": due.isoformat(),
        "state": ReferralState.OPEN.value,
        "created_by": str(account.user_id),
        "registered_on": registered.isoformat(),
    }
    result = _push_one(session, account, "referral", referral_id, fields)
    if result.get("status") != "applied":
        raise _refused(result)
    event = {
        "referral_id": str(referral_id),
        "from_state": None,
        "to_state": ReferralState.OPEN.value,
        "note": f"网上登记({account.display_name})",
        "actor_id": str(account.user_id),
        "at": now.isoformat(),
    }
    answer = _push_one(session, account, "referral_event", uuid.uuid4(), event)
    if answer.get("status") != "applied":
        raise _refused(answer)
    return referral_id


# ------------------------------------------------------------------ dashboard


@dataclass(frozen=True)
class Coverage:
    manager: str
    customers: int  # pooled, active A/B customers
    overdue: int
    never: int  # never visited (due, not overdue)

    @property
    def covered_pct(self) -> float:
        return 100.0 * (self.customers - self.overdue) / self.customers if self.customers else 0


@dataclass(frozen=True)
class TeamFigures:
    team: str
    on_time: int
    late: int
    overdue: int  # not answered, past due
    open: int  # not answered, not yet due

    @property
    def total(self) -> int:
        return self.on_time + self.late + self.overdue + self.open

    @property
    def on_time_pct(self) -> float:
        answered = self.on_time + self.late + self.overdue
        return 100.0 * self.on_time / answered if answered else 0.0


@dataclass(frozen=True)
class GridFigures:
    grid: str
    visits: int
    satisfaction: float | None
    complaints: int
    by_month: list[int]  # complaints per month of the window


@dataclass
class Dashboard:
    today: date
    months: list[str]
    coverage: list[Coverage]
    teams: list[TeamFigures]
    grids: list[GridFigures]
    complaints_by_month: list[int]
    satisfaction_by_month: list[float | None]
    visits_by_month: list[int]
    waiting_reviews: int
    totals: dict[str, Any] = field(default_factory=dict)
    #: The grids the figures are limited to (names); empty: every grid.
    scope: list[str] = field(default_factory=list)
    #: What the page derives from these figures once (its charts), kept with them.
    memo: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


#: Dashboards computed by this process, by what they depend on (see :func:`current_dashboard`).
_BOARDS: OrderedDict[tuple[int, date, tuple[uuid.UUID, ...]], Dashboard] = OrderedDict()
_BOARDS_KEPT = 32
_BOARDS_LOCK = threading.Lock()


def current_dashboard(session: Session, today: date | None = None, limit: Grids = ()) -> Dashboard:
    """The figures brought up to date, then the dashboard at that point, computed once.

    A dashboard depends on the facts (which follow the row store's version: the cursor
    after :func:`refresh`), the day (the visit plan's cutoffs, the 12-month window) and the
    grid limit — nothing else (settings are the server's declared defaults). So it is kept
    per (cursor, day, grids) in this process: any write to the row store moves the cursor
    and the next view computes afresh; a cached dashboard is never behind the data. The
    last :data:`_BOARDS_KEPT` keys are kept (per process: several workers compute their own).
    """
    today = today or date.today()
    connection = session.connection()
    facts.refresh(connection, today)
    key = (facts.position(connection)[0], today, tuple(sorted(limit)))
    with _BOARDS_LOCK:
        found = _BOARDS.get(key)
        if found is not None:
            _BOARDS.move_to_end(key)
            return found
    board = dashboard(session, today, limit)
    with _BOARDS_LOCK:
        _BOARDS[key] = board
        while len(_BOARDS) > _BOARDS_KEPT:
            _BOARDS.popitem(last=False)
    return board


def window(today: date, months: int = MONTHS) -> list[str]:
    """The last ``months`` months, oldest first, ending with ``today``'s."""
    found = []
    year, month = today.year, today.month
    for _ in range(months):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return found[::-1]


def dashboard(session: Session, today: date | None = None, limit: Grids = ()) -> Dashboard:
    """Every figure of the dashboard; ``limit``: only these grids (() = every grid)."""
    today = today or date.today()
    connection = session.connection()
    months = window(today)
    first = months[0]
    names, grids = _names(connection), _grids(connection)
    coverage = _coverage(connection, today, names, grids, limit)
    teams = _teams(connection, today, first, limit)
    cells = facts._MONTH
    in_window = (
        cells.c.month >= first,
        cells.c.month <= months[-1],
        _within(cells.c.grid_id, limit),
    )
    sums = (
        func.sum(cells.c.visits),
        func.sum(cells.c.scored),
        func.sum(cells.c.score_sum),
        func.sum(cells.c.complaints),
    )
    index = {month: i for i, month in enumerate(months)}
    complaints = [0] * len(months)
    visits = [0] * len(months)
    scored = [0] * len(months)
    score_sum = [0.0] * len(months)
    for month, n_visits, n_scored, s_sum, n_complaints in connection.execute(
        select(cells.c.month, *sums).where(*in_window).group_by(cells.c.month)
    ):
        i = index[month]
        visits[i], scored[i] = int(n_visits or 0), int(n_scored or 0)
        score_sum[i], complaints[i] = float(s_sum or 0), int(n_complaints or 0)
    per_grid = connection.execute(
        select(cells.c.grid_id, *sums).where(*in_window).group_by(cells.c.grid_id)
    ).all()
    # The monthly sparkline only for the grids with the most complaints (bounded: a province
    # has thousands of grids; the table lists every grid's totals).
    ranked = sorted(per_grid, key=lambda g: (-int(g[4] or 0), str(g[0])))
    sparked = [row[0] for row in ranked[:SPARK_GRIDS] if row[4]]
    by_month: dict[uuid.UUID, list[int]] = {grid_id: [0] * len(months) for grid_id in sparked}
    if sparked:
        for grid_id, month, n_complaints in connection.execute(
            select(cells.c.grid_id, cells.c.month, cells.c.complaints).where(
                *in_window, cells.c.grid_id.in_(sparked)
            )
        ):
            by_month[grid_id][index[month]] = int(n_complaints or 0)
    grid_rows = [
        GridFigures(
            grids.get(grid_id, ("未分网格", None))[0],
            int(n_visits or 0),
            round(float(s_sum) / n_scored, 2) if n_scored else None,
            int(n_complaints or 0),
            by_month.get(grid_id, []),
        )
        for grid_id, n_visits, n_scored, s_sum, n_complaints in per_grid
    ]
    grid_rows.sort(key=lambda g: (-g.complaints, g.grid))
    waiting = connection.execute(
        select(func.sum(facts._MONTH.c.visits) - func.sum(facts._MONTH.c.reviewed)).where(
            _within(facts._MONTH.c.grid_id, limit)
        )
    ).scalar()
    return Dashboard(
        today,
        months,
        coverage,
        teams,
        grid_rows,
        complaints,
        [round(score_sum[i] / scored[i], 2) if scored[i] else None for i in range(len(months))],
        visits,
        int(waiting or 0),
        {
            "ab_customers": sum(c.customers for c in coverage),
            "ab_overdue": sum(c.overdue for c in coverage),
            "complaints": sum(complaints),
            "visits": sum(visits),
        },
        sorted(grids.get(grid_id, ("—", None))[0] for grid_id in limit),
    )


def _coverage(
    connection: Connection,
    today: date,
    names: dict[uuid.UUID, str],
    grids: dict[uuid.UUID, tuple[str, uuid.UUID | None]],
    limit: Grids = (),
) -> list[Coverage]:
    """Per manager: pooled, active A/B customers and how many are overdue for a visit
    (the laptop's visit plan rule, ``domain.visit_plan``)."""
    from datetime import timedelta

    by_class = settings_value("visits.class_frequency_days")
    by_grade = settings_value("visits.grade_frequency_days")
    customers = facts._CUSTOMER
    # Overdue: last visit + frequency < today, frequency = min(class, grade) — i.e. the
    # last visit is before the class's cutoff or before the grade's.
    class_cut = case(
        *[
            (
                customers.c.klass == klass,
                today - timedelta(days=frequency_days(klass, None, by_class, by_grade)),
            )
            for klass in ("A", "B")
        ],
        else_=None,
    )
    grade_cut = case(
        *[
            (customers.c.grade == grade, today - timedelta(days=int(days)))
            for grade, days in by_grade.items()
        ],
        else_=None,
    )
    last = customers.c.last_visit
    overdue = last.is_not(None) & (or_(last < class_cut, last < grade_cut))
    rows = connection.execute(
        select(
            customers.c.manager_id,
            customers.c.grid_id,
            func.count(),
            func.sum(case((overdue, 1), else_=0)),
            func.sum(case((last.is_(None), 1), else_=0)),
        )
        .where(
            customers.c.active == true(),
            customers.c.klass.in_(("A", "B")),
            _within(customers.c.grid_id, limit),
        )
        .group_by(customers.c.manager_id, customers.c.grid_id)
    ).all()
    totals: dict[str, list[int]] = {}
    for manager_id, grid_id, count, late, never in rows:
        manager = manager_id or grids.get(grid_id, ("", None))[1]
        name = names.get(manager, "未指定客户经理") if manager else "未指定客户经理"
        entry = totals.setdefault(name, [0, 0, 0])
        entry[0] += count
        entry[1] += int(late or 0)
        entry[2] += int(never or 0)
    found = [Coverage(name, *entry) for name, entry in totals.items()]
    found.sort(key=lambda c: (-c.overdue, c.manager))
    return found


def _teams(connection: Connection, today: date, first: str, limit: Grids = ()) -> list[TeamFigures]:
    """Per team, referrals due in the window: answered on time, late, overdue, open (of the
    ``limit`` grids only: counted from their referrals, the per-team months have no grid)."""
    months, referrals = facts._TEAM_MONTH, facts._REFERRAL
    if limit:
        is_late = referrals.c.answered_on > referrals.c.due_on
        statement = (
            select(
                referrals.c.team,
                func.sum(case((is_late, 0), else_=1)),
                func.sum(case((is_late, 1), else_=0)),
            )
            .where(
                referrals.c.answered_on.is_not(None),
                referrals.c.month >= first,
                _within(referrals.c.grid_id, limit),
            )
            .group_by(referrals.c.team)
        )
    else:
        statement = (
            select(months.c.team, func.sum(months.c.on_time), func.sum(months.c.late))
            .where(months.c.month >= first)
            .group_by(months.c.team)
        )
    answered = {
        team: (int(on_time or 0), int(late or 0))
        for team, on_time, late in connection.execute(statement)
    }
    waiting = {
        team: (int(overdue or 0), int(count - (overdue or 0)))
        for team, overdue, count in connection.execute(
            select(
                referrals.c.team,
                func.sum(case((referrals.c.due_on < today, 1), else_=0)),
                func.count(),
            )
            .where(referrals.c.answered_on.is_(None), _within(referrals.c.grid_id, limit))
            .group_by(referrals.c.team)
        )
    }
    found = []
    for team in BackOfficeTeam:
        on_time, late = answered.get(team.value, (0, 0))
        overdue, still_open = waiting.get(team.value, (0, 0))
        found.append(TeamFigures(team.zh, on_time, late, overdue, still_open))
    return found
