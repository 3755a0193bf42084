"""The business specialist's desk (业务专员): the review queue, a visit report rendered as on
paper with its review form, the dashboard, and complaint/demand registration.

Only ``specialist`` accounts (and administrators) open these pages; the data layer is
:mod:`keyacct_desktop.server.desk`, whose writes go through the sync push like a device's.
"""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from keyacct_desktop.domain.enums import BackOfficeTeam, ReviewRating
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.server import desk
from keyacct_desktop.server.web import charts
from keyacct_desktop.server.web.auth import Viewer
from keyacct_desktop.server.web.console import (
    NOT_FOUND,
    PREFIX,
    ConsoleError,
    read_form,
    redirect,
    render,
    render_fragment,
    require_post,
    require_role,
    run_db,
)

router = APIRouter()
Specialist = Annotated[Viewer, Depends(require_role(*desk.DESK_ROLES))]
SpecialistPost = Annotated[Viewer, Depends(require_post(*desk.DESK_ROLES))]
Registrar = Annotated[Viewer, Depends(require_role(*desk.REQUEST_ROLES))]
RegistrarPost = Annotated[Viewer, Depends(require_post(*desk.REQUEST_ROLES))]
DESK = f"{PREFIX}/desk"
RATINGS = [(r.value, r.zh) for r in ReviewRating]
TEAMS = [(t.value, t.zh) for t in BackOfficeTeam]
TEAM_PARTS = (
    charts.Part("按期答复", "#2e9d5b"),
    charts.Part("超期答复", "#e0a31e"),
    charts.Part("超期未答复", "#c62828"),
    charts.Part("在办未到期", "#7a8ca3"),
)


def today() -> date:
    return date.today()


def _refresh_then(work: Any) -> Any:
    def run(session: Any) -> Any:
        desk.refresh(session, today())
        return work(session)

    return run


# ------------------------------------------------------------------ dashboard


@router.get("/desk/")
async def dashboard(request: Request, viewer: Specialist) -> Response:
    board: desk.Dashboard = await run_db(
        request, lambda session: desk.current_dashboard(session, today(), viewer.grids)
    )
    if "body" not in board.memo:  # drawn once per computed dashboard (no viewer in it)
        board.memo["body"] = render_fragment(
            "desk_dashboard_body.html", board=board, **_charts(board)
        )
    return render(request, "desk_dashboard.html", viewer, body=board.memo["body"])


def _charts(board: desk.Dashboard) -> dict[str, Any]:
    coverage = board.coverage
    shown = coverage[:12]
    team_rows = [(t.team, (t.on_time, t.late, t.overdue, t.open)) for t in board.teams]
    team_title = "各后台团队转办时限执行情况"
    coverage_rows = [(c.manager, c.covered_pct, f"超期 {c.overdue}/{c.customers}") for c in shown]
    coverage_title = "客户经理 A/B 类客户走访覆盖率"
    month_args = (
        "每月投诉量与满意度",
        board.months,
        board.complaints_by_month,
        "投诉(件)",
        board.satisfaction_by_month,
        "满意度(1–5)",
    )
    # Each chart twice: for a laptop's card and for a phone (text stays legible on both).
    team_chart = (
        charts.stacked_bars(team_title, team_rows, TEAM_PARTS, 640),
        charts.stacked_bars(team_title, team_rows, TEAM_PARTS, 360, label_w=116),
    )
    coverage_chart = (
        charts.meter_bars(coverage_title, coverage_rows, 640),
        charts.meter_bars(coverage_title, coverage_rows, 360, label_w=64),
    )
    month_chart = (
        charts.months_chart(*month_args, width=1000, height=260),
        charts.months_chart(*month_args, width=360, height=220),
    )
    return {
        "team_chart": team_chart,
        "coverage_chart": coverage_chart,
        "month_chart": month_chart,
        "more_managers": len(coverage) - len(shown),
        "sparks": [
            charts.spark(g.by_month, f"{g.grid} 每月投诉") if g.by_month else ""
            for g in board.grids
        ],
    }


# ------------------------------------------------------------------ review queue


@router.get("/desk/reviews")
async def review_queue(
    request: Request, viewer: Specialist, page: int = 1, done: str = ""
) -> Response:
    page = min(max(1, page), 100_000)
    queue = await run_db(
        request, _refresh_then(lambda session: desk.review_queue(session, page, viewer.grids))
    )
    notice = "评价已保存,客户经理下次同步后可见。" if done else ""
    return render(request, "desk_reviews.html", viewer, queue=queue, notice=notice)


def _visit_id(raw: str, viewer: Viewer) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise ConsoleError(404, *NOT_FOUND, viewer) from None


@router.get("/desk/visits/{visit_id}")
async def visit_report(
    request: Request, viewer: Specialist, visit_id: str, done: str = ""
) -> Response:
    key = _visit_id(visit_id, viewer)
    found = await run_db(request, lambda session: desk.report(session, key, viewer.grids))
    if found is None:
        raise ConsoleError(404, *NOT_FOUND, viewer)
    return _report_page(request, viewer, found, notice="评价已保存。" if done else "")


def _report_page(
    request: Request,
    viewer: Viewer,
    found: desk.Report,
    notice: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    review = found.review or {}
    base = {key: review.get(key) for key in ("rating", "comments", "reviewer_id", "reviewed_at")}
    return render(
        request,
        "desk_report.html",
        viewer,
        status=status,
        r=found,
        ratings=RATINGS,
        rating_label=dict(RATINGS),
        base=json.dumps(base, ensure_ascii=False),
        notice=notice,
        error=error,
        form=form or {},
    )


@router.post("/desk/visits/{visit_id}/review")
async def save_review(request: Request, viewer: SpecialistPost, visit_id: str) -> Response:
    key = _visit_id(visit_id, viewer)
    form = await read_form(request)
    try:
        base_version = int(form.get("base_version") or 0)
        base = json.loads(form.get("base") or "{}")
        if not isinstance(base, dict):
            raise ValueError(base)
    except ValueError:
        raise ConsoleError(400, "请求无效", "页面数据不完整,请刷新后重试。", viewer) from None

    def act(session: Any) -> Any:
        return desk.save_review(
            session,
            viewer.account_id,
            key,
            form.get("rating", ""),
            form.get("comments", ""),
            base_version,
            base,
            viewer.grids,
        )

    try:
        await run_db(request, act)
    except LookupError:
        raise ConsoleError(404, *NOT_FOUND, viewer) from None
    except UserError as error:
        found = await run_db(request, lambda session: desk.report(session, key, viewer.grids))
        if found is None:
            raise ConsoleError(404, *NOT_FOUND, viewer) from None
        return _report_page(request, viewer, found, error=error.message_zh, form=form, status=400)
    if form.get("next") == "queue":
        return redirect(f"{DESK}/reviews?done=1")
    return redirect(f"{DESK}/visits/{key}?done=1")


# ------------------------------------------------------------------ complaints and demands


def _registrar(viewer: Viewer) -> None:
    """Team members other than the 95598 staff answer referrals; they do not register them."""
    if not desk.may_register(viewer.role, viewer.team):
        raise ConsoleError(403, "无权访问", "登记投诉或诉求由业务专员或 95598 人员办理。", viewer)


@router.get("/desk/requests/new")
async def request_form(
    request: Request, viewer: Registrar, q: str = "", customer: str = "", done: str = ""
) -> Response:
    _registrar(viewer)
    query = q.strip()[:64]
    hits = (
        await run_db(
            request,
            _refresh_then(lambda session: desk.find_customers(session, query, grids=viewer.grids)),
        )
        if query
        else []
    )
    return render(
        request,
        "desk_request.html",
        viewer,
        q=query,
        hits=hits,
        chosen=customer,
        teams=TEAMS,
        form={},
        error="",
        notice="已登记并转交客户经理,客户经理下次同步后即可跟进。" if done else "",
    )


@router.post("/desk/requests")
async def register_request(request: Request, viewer: RegistrarPost) -> Response:
    _registrar(viewer)
    form = await read_form(request)
    customer = form.get("customer", "")
    try:
        customer_id = uuid.UUID(customer)
    except ValueError:
        customer_id = None

    def act(session: Any) -> uuid.UUID:
        if customer_id is None:
            raise UserError("请先搜索并选择客户", "choose a customer", field="customer")
        return desk.register_request(
            session,
            viewer.account_id,
            customer_id,
            form.get("kind", ""),
            form.get("team", ""),
            form.get("description", ""),
            today=today(),
            grids=viewer.grids,
        )

    try:
        await run_db(request, act)
    except UserError as error:
        query = form.get("q", "").strip()[:64]
        hits = (
            await run_db(
                request, lambda session: desk.find_customers(session, query, grids=viewer.grids)
            )
            if query
            else []
        )
        return render(
            request,
            "desk_request.html",
            viewer,
            status=400,
            q=query,
            hits=hits,
            chosen=customer,
            teams=TEAMS,
            form=form,
            error=error.message_zh,
            notice="",
        )
    return redirect(f"{DESK}/requests/new?done=1")
