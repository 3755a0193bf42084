"""A back-office team's pages: its referral queue, one referral, and the team's moves.

``team`` accounts see only the referrals addressed to their own team (see :mod:`.queue`); a
referral of another team answers "not found", as an id that does not exist. Supervisors
see every team's queue and referrals read-only (no move forms; a move they post is refused,
as is any other role's), within their grids if their account is limited to grids.

The queue refreshes itself (``static/queue.js``): a request with the header
``X-Console-Poll: 1`` gets the state filters and the rows only.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from keyacct_desktop.domain.enums import BackOfficeTeam
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.server.web import queue
from keyacct_desktop.server.web.auth import Viewer
from keyacct_desktop.server.web.console import (
    BEIJING,
    NOT_FOUND,
    PREFIX,
    ConsoleError,
    is_poll,
    read_form,
    redirect,
    render,
    require_post,
    require_role,
    run_db,
)

router = APIRouter()
#: Who reads the queues: team members (their own team) and supervisors (every team, read-only).
READERS = ("team", "supervisor")
TeamReader = Annotated[Viewer, Depends(require_role(*READERS))]
#: Only team members move referrals (a supervisor's POST is refused with 403).
TeamPost = Annotated[Viewer, Depends(require_post("team"))]
TEAMS = [(team.value, team.zh) for team in BackOfficeTeam]
#: How often an open queue page refreshes itself (seconds).
POLL_SECONDS = 60
#: Messages shown once after a move (``?done=``).
DONE = {
    "in_progress": "已受理,转办进入“处理中”。",
    "answered": "答复已提交,客户经理下次同步后与客户确认。",
    "rejected": "已退回,客户经理下次同步后可见退回原因。",
    "conflict": "客户经理同时修改了这条转办:先到的修改已保留,您的修改已记入冲突记录,"
    "客户经理同步后可查看并恢复。",
}


def today() -> date:
    return date.today()


def _team_of(viewer: Viewer, wanted: str) -> str:
    """The team whose queue a page shows: a member's own; the one a supervisor picked."""
    if viewer.role == "team":
        return viewer.team or ""
    codes = [code for code, _label in TEAMS]
    return wanted if wanted in codes else codes[0]


@router.get("/queue")
async def team_queue(
    request: Request,
    viewer: TeamReader,
    state: str = "todo",
    page: int = 1,
    after: str = "",
    before: str = "",
    team: str = "",
) -> Response:
    wanted = state if state in queue.FILTERS else "todo"
    page = min(max(1, page), 100_000)
    shown = _team_of(viewer, team)
    read_only = viewer.role != "team"
    found = await run_db(
        request,
        lambda session: queue.queue_page(
            session,
            shown,
            wanted,
            page,
            today(),
            after=after[:80],
            before=before[:80],
            grids=viewer.grids,
        ),
    )
    return render(
        request,
        "queue_poll.html" if is_poll(request) else "queue.html",
        viewer,
        queue=found,
        wanted=wanted,
        filters=queue.FILTERS,
        kinds=queue.KIND_LABELS,
        team=shown,
        team_label=BackOfficeTeam(shown).zh if shown else "",
        teams=TEAMS,
        read_only=read_only,
        scope=f"&team={shown}" if read_only else "",
        poll_seconds=POLL_SECONDS,
        refreshed=datetime.now(BEIJING).strftime("%H:%M:%S"),
    )


async def _referral_or_404(request: Request, viewer: Viewer, referral_id: str) -> Any:
    team = viewer.team if viewer.role == "team" else None
    grids = viewer.grids
    found = await run_db(
        request,
        lambda session: queue.team_referral(session, team, referral_id, today(), grids),
    )
    if found is None:
        raise ConsoleError(404, *NOT_FOUND, viewer)
    return found


@router.get("/referrals/{referral_id}")
async def referral_page(
    request: Request, viewer: TeamReader, referral_id: str, done: str = ""
) -> Response:
    found = await _referral_or_404(request, viewer, referral_id)
    return _detail(request, viewer, found, notice=DONE.get(done, ""))


def _detail(
    request: Request,
    viewer: Viewer,
    found: queue.ReferralView,
    notice: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    base = {key: found.data.get(key) for key in queue.MOVE_FIELDS}
    return render(
        request,
        "referral.html",
        viewer,
        status=status,
        r=found,
        base=json.dumps(base, ensure_ascii=False),
        notice=notice,
        error=error,
        form=form or {},
        read_only=viewer.role != "team",
    )


@router.post("/referrals/{referral_id}/move")
async def move_referral(request: Request, viewer: TeamPost, referral_id: str) -> Response:
    form = await read_form(request)
    try:
        key = uuid.UUID(referral_id)
        base_version = int(form.get("base_version", ""))
        base = json.loads(form.get("base", "{}"))
        if not isinstance(base, dict):
            raise ValueError(base)
    except ValueError:
        raise ConsoleError(400, "请求无效", "页面数据不完整,请刷新后重试。", viewer) from None
    wanted = form.get("to", "")
    note = form.get("note", "")
    owner = form.get("owner_name")

    def act(session: Any) -> queue.MoveOutcome:
        return queue.move(session, viewer.account_id, key, wanted, note, owner, base_version, base)

    try:
        outcome = await run_db(request, act)
    except LookupError:
        raise ConsoleError(404, *NOT_FOUND, viewer) from None
    except (UserError, ValueError) as error:
        found = await _referral_or_404(request, viewer, referral_id)
        message = error.message_zh if isinstance(error, UserError) else "无法办理该操作。"
        return _detail(request, viewer, found, error=message, form=form, status=409)
    done = "conflict" if outcome.conflicts else wanted
    return redirect(f"{PREFIX}/referrals/{referral_id}?done={done}")
