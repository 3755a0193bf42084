"""Sign-in, sign-out and the home page of the console."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from keyacct_desktop.server import accounts, ops
from keyacct_desktop.server.web import auth
from keyacct_desktop.server.web.auth import Viewer
from keyacct_desktop.server.web.console import (
    PREFIX,
    ConsoleError,
    LoginRequired,
    console_of,
    local_path,
    new_login_token,
    read_form,
    redirect,
    render,
    require_post,
    require_role,
    run_db,
)

router = APIRouter()
#: Where each role lands after signing in.
HOME_OF = {"team": f"{PREFIX}/queue", "specialist": f"{PREFIX}/desk/"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _login_page(
    request: Request, next_path: str, message: str = "", username: str = "", status: int = 200
) -> Response:
    token = request.cookies.get(auth.LOGIN_COOKIE) or new_login_token()
    response = render(
        request,
        "login.html",
        None,
        status=status,
        login_csrf=token,
        next_path=next_path,
        message=message,
        username=username,
    )
    response.set_cookie(
        auth.LOGIN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=auth.COOKIE_PATH,
    )
    return response


@router.get("/login")
async def login_form(request: Request, next: str = "", expired: str = "") -> Response:
    message = "会话已过期,请重新登录。" if expired else ""
    return _login_page(request, local_path(next), message)


@router.post("/login")
async def login(request: Request) -> Response:
    """The sync API's sign-in bookkeeping (throttling, lockout, audit), then a web session."""
    form = await read_form(request)
    next_path = local_path(form.get("next"))
    if not auth.csrf_matches(request.cookies.get(auth.LOGIN_COOKIE), form.get("csrf_token")):
        return _login_page(
            request, next_path, "登录页面已过期,请重新输入用户名和密码。", status=403
        )
    username = form.get("username", "").strip()[:64]
    password = form.get("password", "")[:200]
    if not username or not password:
        return _login_page(request, next_path, "请输入用户名和密码。", username, 400)
    address = request.client.host if request.client else None
    console = console_of(request)

    def sign_in() -> tuple[str, str | int]:
        # Three steps, as the sync API's login: no transaction holds a lock during Argon2.
        with console.locked_sessions.begin() as session:
            attempt = accounts.begin_login(session, username, address)
        if attempt.refused is not None:
            return "locked", attempt.refused.retry_after
        matched = attempt.password_matches(password)
        with console.locked_sessions.begin() as session:
            settled = accounts.settle_login(session, attempt, matched)
            if isinstance(settled, accounts.AuthError):
                return "wrong", ""
            return "ok", auth.start_session(session, settled, address, console.lifetime)

    outcome, value = await console.in_thread(sign_in)
    if outcome == "locked":
        ops.record_login("locked")
        minutes = max(1, int(value) // 60)
        return _login_page(
            request,
            next_path,
            f"登录尝试次数过多,账号已暂时锁定,请约 {minutes} 分钟后再试,或联系管理员解锁。",
            username,
            429,
        )
    if outcome == "wrong":
        ops.record_login("refused")
        return _login_page(request, next_path, "用户名或密码不正确。", username, 401)
    ops.record_login("ok")
    response = redirect(next_path)
    response.set_cookie(
        auth.COOKIE,
        str(value),
        httponly=True,
        samesite="strict",
        secure=_secure(request),
        path=auth.COOKIE_PATH,
    )
    response.delete_cookie(auth.LOGIN_COOKIE, path=auth.COOKIE_PATH)
    return response


@router.post("/logout")
async def logout(request: Request, _viewer: Annotated[Viewer, Depends(require_post())]) -> Response:
    token = request.cookies.get(auth.COOKIE)
    await run_db(request, lambda session: auth.end_session(session, token))
    response = redirect(f"{PREFIX}/login")
    response.delete_cookie(auth.COOKIE, path=auth.COOKIE_PATH)
    return response


@router.get("/")
async def home(request: Request, viewer: Annotated[Viewer, Depends(require_role())]) -> Response:
    if viewer.role in HOME_OF:
        return redirect(HOME_OF[viewer.role])
    return render(request, "home.html", viewer)


def error_page(request: Request, error: Exception) -> Response:
    assert isinstance(error, ConsoleError)
    return render(
        request,
        "error.html",
        error.viewer,
        status=error.status,
        title=error.title,
        message=error.message,
    )


def to_login(request: Request, error: Exception) -> Response:
    assert isinstance(error, LoginRequired)
    from keyacct_desktop.server.web.console import login_url

    response = redirect(login_url(error.next_path, error.expired))
    if error.expired:
        response.delete_cookie(auth.COOKIE, path=auth.COOKIE_PATH)
    return response
