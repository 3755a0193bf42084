"""The plumbing every console page uses: database work, the role check, CSRF, rendering.

How a page is written (the team queue in ``server.web.team`` is an example)::

    router = APIRouter()

    @router.get("/desk")
    async def desk(request: Request, viewer: Annotated[Viewer, Depends(require_role("specialist"))]):
        rows = await run_db(request, lambda session: ...)   # one transaction, plain data out
        return render(request, "desk.html", viewer, rows=rows)

    @router.post("/desk/{id}/rate")
    async def rate(request: Request, viewer: Annotated[Viewer, Depends(require_post("specialist"))]):
        form = await read_form(request)                       # CSRF already checked
        ...
        return redirect("/console/desk")                      # 303: POST-redirect-GET

* :func:`require_role` (GET) and :func:`require_post` (POST: also checks the form's
  ``csrf_token``) are FastAPI dependencies giving the signed-in :class:`Viewer`. Nobody signed
  in (or the session expired): a redirect to the sign-in page, which comes back afterwards.
  Another role: a 403 page. With no role named, every signed-in person passes.
* :func:`run_db` runs a function in one transaction of the server (as the sync API does:
  inline on SQLite, in a worker thread on PostgreSQL) and returns what it returns.
* :func:`render` renders a template of ``server/web/templates`` that extends ``base.html``
  (header, navigation by role, sign-out form); ``csrf_field()`` in a template writes the hidden
  input every POST form needs. :data:`NAV` lists the navigation entries and the roles that see
  them: a new page adds its entry there.
* :class:`ConsoleError` (status, title, message) ends a request with a Chinese error page.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop.domain.punctuation import zh_punct
from keyacct_desktop.server.web import auth
from keyacct_desktop.server.web.auth import Viewer

T = TypeVar("T")
PREFIX = "/console"
TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"
#: The largest form body read (a long answer is a few KB).
MAX_FORM_BYTES = 256 * 1024
#: Every console answer: never cached, never framed, scripts and styles from here only.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    ),
}


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    roles: frozenset[str]
    #: Highlighted on this very path only (not on the pages below it).
    exact: bool = False
    #: For ``team`` members: only these teams see the entry (None: every team).
    teams: frozenset[str] | None = None


#: The navigation bar, in order; each entry shows for its roles only.
NAV: list[NavItem] = [
    NavItem("转办队列", f"{PREFIX}/queue", frozenset({"team"})),
    NavItem("团队队列", f"{PREFIX}/queue", frozenset({"supervisor"})),
    NavItem("专员看板", f"{PREFIX}/desk/", frozenset({"specialist", "admin"}), exact=True),
    NavItem("报告评价", f"{PREFIX}/desk/reviews", frozenset({"specialist", "admin"})),
    NavItem(
        "登记投诉",
        f"{PREFIX}/desk/requests/new",
        frozenset({"specialist", "admin", "team"}),
        teams=frozenset({"dispatch"}),  # 供电服务指挥中心: the 95598 staff
    ),
]


@dataclass
class Console:
    """What the console's routes share, kept on ``app.state.console``."""

    run_db: Callable[[Callable[[Session], Any]], Awaitable[Any]]
    in_thread: Callable[[Callable[[], Any]], Awaitable[Any]]
    #: Sign-in bookkeeping sessions (``BEGIN IMMEDIATE`` on SQLite), as the sync API's login.
    locked_sessions: sessionmaker[Session]
    idle: timedelta = auth.IDLE_PERIOD
    lifetime: timedelta = auth.SESSION_LIFETIME
    extra: dict[str, Any] = field(default_factory=dict)


def console_of(request: Request) -> Console:
    found: Console = request.app.state.console
    return found


async def run_db(request: Request, work: Callable[[Session], T]) -> T:
    """``work`` in one transaction of the server's database (committed before it returns)."""
    result: T = await console_of(request).run_db(work)
    return result


class ConsoleError(Exception):
    """Ends a request with the error page: ``status``, a title and a message in Chinese."""

    def __init__(self, status: int, title: str, message: str, viewer: Viewer | None = None) -> None:
        super().__init__(title)
        self.status, self.title, self.message, self.viewer = status, title, message, viewer


class LoginRequired(Exception):
    """Nobody signed in: go to the sign-in page, then come back to ``next``."""

    def __init__(self, next_path: str, expired: bool) -> None:
        super().__init__(next_path)
        self.next_path, self.expired = next_path, expired


NOT_FOUND = ("找不到该页面", "该记录不存在,或不在您的权限范围内。")


async def signed_in(request: Request) -> Viewer:
    """The :class:`Viewer` of the request's session cookie (:class:`LoginRequired` if none)."""
    cached = getattr(request.state, "viewer", None)
    if isinstance(cached, Viewer):
        return cached
    token = request.cookies.get(auth.COOKIE)
    console = console_of(request)
    touch = not is_poll(request)
    found = (
        await console.run_db(
            lambda session: auth.session_viewer(session, token, console.idle, touch)
        )
        if token
        else auth.NO_SESSION
    )
    if not isinstance(found, Viewer):
        next_path = request.url.path if request.method == "GET" else f"{PREFIX}/"
        raise LoginRequired(next_path, found == auth.EXPIRED)
    request.state.viewer = found
    return found


#: The header of a page's own auto-refresh (static/queue.js): answered with a fragment, and
#: not counted as activity for the session's idle expiry.
POLL_HEADER = "X-Console-Poll"


def is_poll(request: Request) -> bool:
    return request.headers.get(POLL_HEADER) == "1"


def require_role(*roles: str) -> Callable[[Request], Awaitable[Viewer]]:
    """A dependency: the signed-in viewer, who must have one of ``roles`` (any if none)."""

    async def dependency(request: Request) -> Viewer:
        viewer = await signed_in(request)
        if roles and viewer.role not in roles:
            raise ConsoleError(403, "无权访问", f"此页面不对“{viewer.role_label}”开放。", viewer)
        return viewer

    return dependency


async def read_form(request: Request) -> dict[str, str]:
    """The fields of a URL-encoded form (the first value of each), read once per request."""
    cached = getattr(request.state, "form", None)
    if isinstance(cached, dict):
        return cached
    body = await request.body()
    if len(body) > MAX_FORM_BYTES:
        raise ConsoleError(413, "内容过长", "提交的内容太长,请精简后再提交。")
    parsed = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    form = {key: values[0] for key, values in parsed.items()}
    request.state.form = form
    return form


CSRF_REFUSED = (
    "安全校验未通过",
    "此表单的安全令牌缺失或不正确(页面可能已过期,或请求并非来自本系统的页面),"
    "操作未执行。请返回上一页,刷新后重新提交。",
)


def require_post(*roles: str) -> Callable[[Request], Awaitable[Viewer]]:
    """Like :func:`require_role`, for a POST form: its ``csrf_token`` must be the session's."""
    check_role = require_role(*roles)

    async def dependency(request: Request) -> Viewer:
        viewer = await check_role(request)
        form = await read_form(request)
        if not auth.csrf_matches(viewer.csrf_token, form.get("csrf_token")):
            raise ConsoleError(403, *CSRF_REFUSED, viewer)
        return viewer

    return dependency


def redirect(path: str) -> Response:
    """POST-redirect-GET (303)."""
    return RedirectResponse(path, status_code=303, headers=SECURITY_HEADERS)


def local_path(candidate: str | None) -> str:
    """``candidate`` if it is a page of the console (no open redirect), else the home page."""
    if (
        candidate
        and candidate.startswith(f"{PREFIX}/")
        and not candidate.startswith("//")
        and "\\" not in candidate
    ):
        return candidate
    return f"{PREFIX}/"


def login_url(next_path: str, expired: bool = False) -> str:
    query = f"?next={quote(next_path)}" + ("&expired=1" if expired else "")
    return f"{PREFIX}/login{query}"


# ------------------------------------------------------------------ rendering


#: Times are shown in Beijing time (stored as UTC).
BEIJING = timezone(timedelta(hours=8), "CST")


def _date(value: date | datetime | str | None, with_time: bool = False) -> str:
    """2026-12-02 (or 2026-12-02 14:05, Beijing time for stored UTC datetimes)."""
    if value is None or value == "":
        return "—"
    if isinstance(value, str):
        try:
            parsed: date = (
                datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
            )
        except ValueError:
            return value
        value = parsed
    if isinstance(value, datetime):
        local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(BEIJING)
        return local.strftime("%Y-%m-%d %H:%M") if with_time else local.strftime("%Y-%m-%d")
    return value.isoformat()


_environment = jinja2.Environment(
    loader=jinja2.FileSystemLoader(TEMPLATES),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)
_environment.filters["day"] = _date
_environment.filters["moment"] = lambda value: _date(value, with_time=True)
#: A wall-clock time as entered on the laptop (a visit's start): shown as is, no time zone.
_environment.filters["wall"] = lambda value: str(value).replace("T", " ")[:16] if value else "—"
#: Texts the server writes (titles, messages) in Chinese punctuation (GB/T 15834).
PUNCTUATED = ("title", "message", "notice", "error")


def render(
    request: Request,
    template: str,
    viewer: Viewer | None,
    status: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page: ``template`` (extending ``base.html``) with the viewer's navigation."""
    csrf = viewer.csrf_token if viewer else context.pop("login_csrf", "")

    def csrf_field() -> Markup:
        return Markup('<input type="hidden" name="csrf_token" value="{}">').format(escape(csrf))

    nav = [
        item
        for item in NAV
        if viewer
        and viewer.role in item.roles
        and (viewer.role != "team" or item.teams is None or viewer.team in item.teams)
    ]
    for key in PUNCTUATED:
        if isinstance(context.get(key), str):
            context[key] = zh_punct(context[key])
    html = _environment.get_template(template).render(
        viewer=viewer,
        nav=nav,
        path=request.url.path,
        prefix=PREFIX,
        csrf_field=csrf_field,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers=SECURITY_HEADERS)


def render_fragment(template: str, **context: Any) -> Markup:
    """A template that depends on no viewer or request (``prefix`` only), as markup to put
    into a page: what many viewers see alike is rendered once and kept."""
    return Markup(_environment.get_template(template).render(prefix=PREFIX, **context))


def new_login_token() -> str:
    return secrets.token_urlsafe(24)
