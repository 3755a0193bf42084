"""The web console's accounts, sessions and CSRF, against a real server on loopback (HTTP only;
the pages themselves are driven in Chromium by tests/test_console_browser.py)."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from contextlib import closing
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import create_engine, select, update

from keyacct_desktop.server import accounts
from keyacct_desktop.server.db import migrate_server, server_engine, session_factory
from keyacct_desktop.server.models import AuditEntry, WebSession
from keyacct_desktop.store.base import utcnow
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import SyncError
from tests.sync_helpers import PASSWORD, ServerProcess


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    database = f"sqlite:///{tmp_path_factory.mktemp('console') / 'server.sqlite3'}"
    engine = server_engine(database)
    migrate_server(engine)
    with session_factory(engine).begin() as session:  # in-process: no CLI start-up per user
        accounts.create_account(session, "yk1", PASSWORD, "team", "业扩一", "connection")
        accounts.create_account(session, "yk3", PASSWORD, "team", "电费三", "billing")
        accounts.create_account(session, "zy1", PASSWORD, "specialist", "专员一")
        with pytest.raises(ValueError, match="only accounts of role 'team'"):
            accounts.create_account(session, "m9", PASSWORD, "manager", None, "billing")
    engine.dispose()
    process = ServerProcess(database)
    process.start(patience=120)  # the machine may be busy with other suites
    yield process
    process.stop()


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


def signed_in(server: ServerProcess, username: str) -> httpx.Client:
    client = httpx.Client(base_url=server.url, follow_redirects=True)
    page = client.get("/console/login")
    answer = client.post(
        "/console/login",
        data={"username": username, "password": PASSWORD, "csrf_token": csrf_of(page.text)},
    )
    assert answer.status_code == 200, answer.text
    return client


def test_root_leads_to_sign_in_and_a_team_member_lands_on_the_queue(
    server: ServerProcess,
) -> None:
    with httpx.Client(base_url=server.url, follow_redirects=True) as client:
        page = client.get("/")
        assert page.url.path == "/console/login"
        assert "登录" in page.text
        wrong = client.post(
            "/console/login",
            data={"username": "yk1", "password": "not it at all", "csrf_token": csrf_of(page.text)},
        )
        assert wrong.status_code == 401 and "用户名或密码不正确" in wrong.text
    with closing(signed_in(server, "yk1")) as client:
        cookie = next(c for c in client.cookies.jar if c.name == "kc_session")
        assert cookie.path == "/console" and cookie.has_nonstandard_attr("HttpOnly")
        home = client.get("/console/")
        assert home.url.path == "/console/queue"
        assert home.headers["cache-control"] == "no-store"


def test_console_roles_cannot_sign_in_on_a_laptop(server: ServerProcess) -> None:
    api = ServerApi(server.url)
    with pytest.raises(SyncError) as refused:
        api.login("yk1", PASSWORD, "laptop")
    assert "web console" in str(refused.value)
    api.close()


def test_create_user_needs_a_valid_team_for_team_members(server: ServerProcess) -> None:
    with pytest.raises(subprocess.CalledProcessError) as failed:
        server.cli("create-user", "yk2", "--role", "team", stdin=PASSWORD + "\n")
    assert "--team" in failed.value.stderr
    server.cli("create-user", "yk4", "--role", "team", "--team", "metering", stdin=PASSWORD + "\n")
    listed = server.cli("list-accounts").stdout
    assert re.search(r"yk4\s+team\s+metering", listed), listed


def test_post_without_the_right_csrf_token_is_refused(server: ServerProcess) -> None:
    with closing(signed_in(server, "zy1")) as client:
        for token in (None, "forged"):
            data = {"csrf_token": token} if token else {}
            answer = client.post("/console/logout", data=data)
            assert answer.status_code == 403
            assert "安全校验未通过" in answer.text
        assert client.get("/console/").url.path == "/console/desk/"  # signed in: their desk
        # the sign-in form without its token is refused too
        fresh = httpx.post(
            f"{server.url}/console/login", data={"username": "zy1", "password": PASSWORD}
        )
        assert fresh.status_code == 403 and "登录页面已过期" in fresh.text


def test_logout_and_expiry_end_the_session(server: ServerProcess) -> None:
    engine = create_engine(server.database)
    with closing(signed_in(server, "zy1")) as client:
        token = client.cookies.get("kc_session")
        home = client.get("/console/")
        client.post("/console/logout", data={"csrf_token": csrf_of(home.text)})
        client.cookies.set("kc_session", token, path="/console")  # a copied cookie: dead
        assert client.get("/console/").url.path == "/console/login"
    with closing(signed_in(server, "zy1")) as client:
        with engine.begin() as connection:  # idle for longer than the idle period
            connection.execute(
                update(WebSession)
                .where(WebSession.ended_at.is_(None))
                .values(last_seen=utcnow() - timedelta(hours=1))
            )
        page = client.get("/console/")
        assert page.url.path == "/console/login" and "会话已过期" in page.text
    with closing(signed_in(server, "zy1")) as client:
        with engine.begin() as connection:  # in use, but past the absolute end
            connection.execute(
                update(WebSession)
                .where(WebSession.ended_at.is_(None))
                .values(expires_at=utcnow() - timedelta(seconds=1))
            )
        assert "会话已过期" in client.get("/console/").text
    with engine.connect() as connection:
        actions = set(connection.scalars(select(AuditEntry.action)))
    engine.dispose()
    assert {"web-login", "web-logout", "login-failed"} <= actions


def test_the_sync_api_lockout_applies_to_the_console(server: ServerProcess) -> None:
    with httpx.Client(base_url=server.url) as client:
        token = csrf_of(client.get("/console/login").text)
        answers = [
            client.post(
                "/console/login",
                data={"username": "yk3", "password": "wrong password", "csrf_token": token},
            ).status_code
            for _ in range(6)
        ]
        assert answers == [401] * 5 + [429]
        right = client.post(
            "/console/login", data={"username": "yk3", "password": PASSWORD, "csrf_token": token}
        )
        assert right.status_code == 429 and "暂时锁定" in right.text
    engine = create_engine(server.database)
    with session_factory(engine).begin() as session:
        accounts.unlock(session, username="yk3")
    engine.dispose()
    with closing(signed_in(server, "yk3")) as client:
        assert client.get("/console/").status_code == 200
