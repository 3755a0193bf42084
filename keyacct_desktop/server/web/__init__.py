"""The web console (``/console/``): the "N" of 1+N — back-office teams and the business
specialist (业务专员) — served by ``keyacct-server`` itself from the same database.

Server-rendered HTML (Jinja2 templates in ``templates/``, one stylesheet in ``static/``), in
Simplified Chinese, usable at 1366×768 and on a phone. Pieces:

* :mod:`.auth` — browser sessions (cookie, idle and absolute expiry), CSRF tokens, sign-in
  reusing the sync API's throttling and audit (``server.accounts``);
* :mod:`.console` — how a page is written: ``require_role`` / ``require_post`` (role check and
  CSRF), ``run_db``, ``render``, ``NAV``, ``ConsoleError``;
* :mod:`.pages` — sign-in, sign-out, home;
* :mod:`.queue` and :mod:`.team` — a team's referral queue and its moves, written through the
  sync push (``server.push.push``) like a device's;
* :mod:`.desk_pages` and :mod:`.charts` — the business specialist's desk (review queue, report
  as on paper, dashboard with SVG charts, complaint registration; data in ``server.desk``).

See docs/CONSOLE.md.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import Session, sessionmaker

from keyacct_desktop.server.web import pages
from keyacct_desktop.server.web.console import (
    PREFIX,
    STATIC,
    Console,
    ConsoleError,
    LoginRequired,
)


def register(
    app: FastAPI,
    run_db: Callable[[Callable[[Session], Any]], Awaitable[Any]],
    in_thread: Callable[[Callable[[], Any]], Awaitable[Any]],
    locked_sessions: sessionmaker[Session],
) -> Console:
    """Mount the console on ``app`` (its pages under ``/console/``; ``/`` redirects there)."""
    from keyacct_desktop.server.web import desk_pages, team

    console = Console(run_db, in_thread, locked_sessions)
    app.state.console = console
    app.add_exception_handler(ConsoleError, pages.error_page)
    app.add_exception_handler(LoginRequired, pages.to_login)
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    for router in (pages.router, team.router, desk_pages.router):
        app.include_router(router, prefix=PREFIX, include_in_schema=False)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    @app.get(PREFIX, include_in_schema=False)
    async def console_root() -> RedirectResponse:
        return RedirectResponse(f"{PREFIX}/", status_code=307)

    return console
