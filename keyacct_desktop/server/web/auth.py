"""Browser sessions of the web console, their CSRF tokens, and the role check of its pages.

* **Sign-in** reuses the sync API's bookkeeping (:func:`accounts.begin_login`,
  :meth:`~accounts.LoginAttempt.password_matches`, :func:`accounts.settle_login`): the same
  password rules, throttling, lockout and audit; only what follows a right password differs —
  a :class:`WebSession` instead of a device token.
* **Sessions** are server-side: the cookie ``kc_session`` holds a random token (HttpOnly,
  SameSite=Strict, Secure when the page is served over https, path ``/console``); only its
  SHA-256 is stored. A session ends after :data:`IDLE_PERIOD` without a request, after
  :data:`SESSION_LIFETIME` in any case, at logout, and when the account is disabled or its
  password reset.
* **CSRF**: every session has a synchronizer token, put into every POST form as
  ``csrf_token`` (the base template's ``csrf_field()``); a POST without the right one is
  refused with a Chinese page (HTTP 403). The sign-in form, before any session exists, uses a
  double-submit token: a random cookie ``kc_login`` repeated in the form.
"""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.enums import BackOfficeTeam
from keyacct_desktop.server import accounts
from keyacct_desktop.server.account_grids import GRID_ROLES, grids_of
from keyacct_desktop.server.models import Account, WebSession
from keyacct_desktop.store.base import utcnow

COOKIE = "kc_session"
LOGIN_COOKIE = "kc_login"
COOKIE_PATH = "/console"
#: A session ends after this long without a request …
IDLE_PERIOD = timedelta(minutes=30)
#: … and this long after sign-in in any case.
SESSION_LIFETIME = timedelta(hours=12)
#: How precisely ``last_seen`` is kept (not every page view is a write).
SEEN_RESOLUTION = timedelta(minutes=1)

ROLE_LABELS = {
    "manager": "客户经理",
    "supervisor": "主管",
    "admin": "管理员",
    "team": "后台团队",
    "specialist": "业务专员",
}


@dataclass(frozen=True)
class Viewer:
    """The signed-in person of a request (plain data: no ORM object leaves the transaction).

    Attributes:
        account_id: the server account; ``user_id`` the synced ``user`` record (actor ids).
        role: manager / supervisor / admin / team / specialist.
        team: the ``BackOfficeTeam`` code of a team member, else None.
        csrf_token: the session's synchronizer token, expected in every POST form.
        grids: the grids a specialist or supervisor is limited to (``account_grid``); ()
            = every grid.
    """

    account_id: uuid.UUID
    user_id: uuid.UUID
    username: str
    display_name: str
    role: str
    team: str | None
    csrf_token: str
    grids: tuple[uuid.UUID, ...] = ()

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)

    @property
    def team_label(self) -> str:
        return BackOfficeTeam(self.team).zh if self.team else ""


def _hash(token: str) -> str:
    return accounts.token_hash(token)


def start_session(
    session: Session,
    account: Account,
    address: str | None,
    lifetime: timedelta = SESSION_LIFETIME,
) -> str:
    """A new browser session for ``account`` (after a right password); its cookie token."""
    token, now = secrets.token_urlsafe(32), utcnow()
    session.add(
        WebSession(
            token_hash=_hash(token),
            account_id=account.id,
            csrf_token=secrets.token_urlsafe(32),
            created_at=now,
            last_seen=now,
            expires_at=now + lifetime,
            address=(address or "")[:64] or None,
        )
    )
    accounts.audit(session, account, None, "web-login", address=address)
    return token


#: Why a cookie did not sign anyone in.
NO_SESSION, EXPIRED = "none", "expired"


def session_viewer(
    session: Session, token: str | None, idle: timedelta = IDLE_PERIOD, touch: bool = True
) -> Viewer | str:
    """The :class:`Viewer` of a session cookie, or why there is none (:data:`NO_SESSION`,
    :data:`EXPIRED`). An expired session is ended here; a live one is touched now and then
    (not by ``touch=False`` requests: a page's auto-refresh is no sign of a person there)."""
    if not token:
        return NO_SESSION
    found = session.execute(
        select(WebSession, Account)
        .join(Account, Account.id == WebSession.account_id)
        .where(WebSession.token_hash == _hash(token))
    ).one_or_none()
    if found is None:
        return NO_SESSION
    web, account = found
    if web.ended_at is not None or not account.active:
        return NO_SESSION
    now = utcnow()
    if now >= web.expires_at or now - web.last_seen >= idle:
        web.ended_at = now
        return EXPIRED
    if touch and now - web.last_seen >= SEEN_RESOLUTION:
        web.last_seen = now
    grids = grids_of(session, account.id) if account.role in GRID_ROLES else ()
    return Viewer(
        account.id,
        account.user_id,
        account.username,
        account.display_name,
        account.role,
        account.team,
        web.csrf_token,
        grids,
    )


def end_session(session: Session, token: str | None) -> None:
    """Logout: the session ends at once (its cookie is worth nothing from now on)."""
    if not token:
        return
    web = session.get(WebSession, _hash(token))
    if web is None or web.ended_at is not None:
        return
    web.ended_at = utcnow()
    accounts.audit(session, session.get(Account, web.account_id), None, "web-logout")


def csrf_matches(expected: str | None, given: str | None) -> bool:
    """Constant-time comparison of a form's CSRF token with the expected one."""
    if not expected or not given:
        return False
    return secrets.compare_digest(expected.encode(), given.encode())
