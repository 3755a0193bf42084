"""Accounts, devices and their tokens: creating accounts, signing in, authenticating
requests, rotating and revoking tokens, and the audit log they write.

Kept apart from the push, pull and access modules of the server so that the security of
sign-in can be read and changed in one place (docs/SECURITY.md, "Server"):

* **Throttling.** Every sign-in attempt is counted, before the password is checked, per user
  name (``user:NAME``) and per client address (``addr:IP``). The fifth attempt in a row
  without success locks the user name, the twentieth failure of an address within 15 minutes
  locks the address, each for :data:`LOCK_PERIOD` (or until ``keyacct-server unlock``). A
  locked attempt is refused (HTTP 429) without looking at the password, for real and unknown
  user names alike. Counting *before* checking means parallel guesses cannot overshoot.
* **No user-name oracle.** An unknown user name is checked against a dummy Argon2 hash, so it
  costs the same time as a real one, and answers the same words.
* **Audit.** Successful, failed and locked-out sign-ins go into the audit log, with address.
* **Tokens expire and rotate.** A token works for :data:`TOKEN_LIFETIME` after it was issued;
  the device exchanges it for a fresh one (``POST /api/v1/token``) once it is older than
  :data:`ROTATE_AFTER`, so a laptop in use never has to sign in again while a stolen token
  dies on its own. The replaced token keeps working for :data:`RETIRED_GRACE` in case the
  answer carrying its successor was lost.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import CursorResult, Result, Table, bindparam, case, delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import (
    Account,
    AuditEntry,
    Device,
    LoginThrottle,
    RetiredToken,
    WebSession,
)
from keyacct_desktop.store.base import utcnow

ROLES = ("manager", "supervisor", "admin", "team", "specialist")
#: Roles that sign in on a laptop (the sync API); ``team`` (a back-office team member) and
#: ``specialist`` (业务专员) work in the web console only (``server.web``).
DEVICE_ROLES = ("manager", "supervisor", "admin")
#: Shortest password accepted (sync API, console and ``keyacct-server`` alike).
MIN_PASSWORD_LENGTH = 8
#: How precisely a device's last contact is recorded (admins see when a laptop was last online).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
#: Token hashes looked up in one ``IN (...)``.
IN_CHUNK = 500
#: How long a device token works after it was issued.
TOKEN_LIFETIME = timedelta(days=30)
#: Age after which a device replaces its token at its next sync.
ROTATE_AFTER = timedelta(days=1)
#: How long a token replaced by rotation is still accepted.
RETIRED_GRACE = timedelta(days=1)
#: Attempts in a row without success that lock a user name.
ACCOUNT_LIMIT = 5
#: Failed attempts from one address within :data:`ADDRESS_WINDOW` that lock the address.
ADDRESS_LIMIT = 20
ADDRESS_WINDOW = timedelta(minutes=15)
#: How long an unlocked count of failures is remembered.
THROTTLE_MEMORY = timedelta(days=1)
#: How long a lock lasts (an administrator can lift it earlier: ``keyacct-server unlock``).
LOCK_PERIOD = timedelta(minutes=15)
#: Set to 1 by the test suite only: Argon2 at its least cost. At the default (RFC 9106's
#: second profile, 64 MiB and three passes) each hash or check costs about 0.3 s of CPU, and a
#: test run signs in well over a thousand times. The server warns at start when it is set.
INSECURE_FAST_HASH_ENV = "KEYACCT_INSECURE_FAST_PASSWORD_HASH"


def password_hasher(environ: Mapping[str, str] = os.environ) -> PasswordHasher:
    """The hasher of new passwords; a check reads the cost from the stored hash itself."""
    if environ.get(INSECURE_FAST_HASH_ENV) == "1":
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


_hasher = password_hasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


class AuthError(Exception):
    """Missing, wrong, expired or revoked credentials (HTTP 401); ``code`` says which."""

    def __init__(self, message: str, code: str = "unauthorized") -> None:
        super().__init__(message)
        self.code = code


class LoginLocked(AuthError):
    """Too many sign-in attempts for this user name or address (HTTP 429)."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(
            "too many sign-in attempts: try again later or ask an administrator to unlock",
            "login_locked",
        )
        self.retry_after = retry_after


@cache
def _dummy_hash() -> str:
    """An Argon2 hash nobody knows the password of: unknown user names are checked against
    it, so they take as long as real ones."""
    return _hasher.hash(secrets.token_urlsafe(24))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def check_password(password: str) -> None:
    """The password rules (ValueError naming the rule broken)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"password must have at least {MIN_PASSWORD_LENGTH} characters")


def check_team(role: str, team: str | None) -> str | None:
    """The team code a ``team`` member must have (and nobody else may have)."""
    from keyacct_desktop.domain.enums import BackOfficeTeam

    if role != "team":
        if team:
            raise ValueError("only accounts of role 'team' belong to a back-office team")
        return None
    codes = [member.value for member in BackOfficeTeam]
    if team not in codes:
        raise ValueError(f"a team member needs --team, one of {', '.join(codes)}")
    return team


def create_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    display_name: str | None = None,
    team: str | None = None,
) -> Account:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    team = check_team(role, team)
    check_password(password)
    if session.scalar(select(Account).where(Account.username == username)) is not None:
        raise ValueError(f"account {username!r} exists already")
    account = Account(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=_hasher.hash(password),
        team=team,
    )
    session.add(account)
    session.flush()
    from keyacct_desktop.server.rows import write_row

    write_row(
        session,
        "user",
        account.user_id,
        {
            "id": str(account.user_id),
            "username": username,
            "display_name": account.display_name,
            "role": role,
            "phone": None,
            "active": True,
        },
    )
    return account


def _issue_token(device: Device, now: datetime) -> str:
    token = secrets.token_urlsafe(32)
    device.token_hash = token_hash(token)
    device.token_issued_at = now
    device.token_expires_at = now + TOKEN_LIFETIME
    return token


def _insert_missing(session: Session, keys: list[str], now: datetime) -> None:
    """Throttle rows for ``keys`` if they do not exist yet (concurrent inserts are no error)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for key in keys:
        session.execute(
            insert(LoginThrottle)
            .values(key=key, failures=0, window_start=now, locked_until=None)
            .on_conflict_do_nothing(index_elements=["key"])
        )


def _throttle_keys(username: str, address: str | None) -> tuple[str, str | None]:
    user_key = f"user:{username.strip().casefold()}"[:200]
    return user_key, (f"addr:{address}"[:200] if address else None)


@dataclass
class LoginAttempt:
    """A counted sign-in attempt (:func:`begin_login`), to be checked and then finished."""

    username: str
    address: str | None
    account_id: uuid.UUID | None
    password_hash: str
    active: bool
    refused: LoginLocked | None = None

    def password_matches(self, password: str) -> bool:
        """Argon2 check (tens of ms: run it outside any transaction). Unknown user names and
        disabled accounts are checked against a hash too, so no answer comes sooner."""
        try:
            return bool(_hasher.verify(self.password_hash, password)) and self.active
        except (VerificationError, InvalidHashError):
            return False


def begin_login(session: Session, username: str, address: str | None) -> LoginAttempt:
    """Count an attempt for the user name and the address, or refuse it when either is
    locked. Lock the throttle rows first (``BEGIN IMMEDIATE`` on SQLite, ``FOR UPDATE`` on
    PostgreSQL): attempts of one user name are counted one after the other."""
    now = utcnow()
    user_key, address_key = _throttle_keys(username, address)
    keys = sorted(key for key in (user_key, address_key) if key)
    # Forget day-old, unlocked counts: guesses at random names must not grow the table.
    # Rows another sign-in holds are skipped, not waited for (no lock-order deadlock).
    stale = session.scalars(
        select(LoginThrottle.key)
        .where(
            LoginThrottle.locked_until.is_(None),
            LoginThrottle.window_start < now - THROTTLE_MEMORY,
            LoginThrottle.key.not_in(keys),
        )
        .limit(100)
        .with_for_update(skip_locked=True)
    ).all()
    if stale:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(stale)))
    _insert_missing(session, keys, now)
    rows = {
        row.key: row
        for row in session.scalars(
            # In key order: a scan in the table's order would lock the address and the user
            # name in the order of their latest row versions, and two sign-ins could deadlock.
            select(LoginThrottle)
            .where(LoginThrottle.key.in_(keys))
            .order_by(LoginThrottle.key)
            .with_for_update()
        )
    }
    account = session.scalar(select(Account).where(Account.username == username))
    attempt = LoginAttempt(
        username,
        address,
        account.id if account else None,
        account.password_hash if account else _dummy_hash(),
        bool(account and account.active),
    )
    for row in rows.values():
        if row.locked_until is not None and row.locked_until <= now:
            row.failures, row.locked_until, row.window_start = 0, None, now  # lock over
        elif row.key == address_key and now - row.window_start > ADDRESS_WINDOW:
            row.failures, row.window_start = 0, now
    locks = [row.locked_until for row in rows.values() if row.locked_until is not None]
    if locks:
        attempt.refused = LoginLocked(max(1, int((max(locks) - now).total_seconds()) + 1))
        _audit_login(session, attempt, "login-locked")
        return attempt
    # The user name's attempt counts as failed until the password proves right, so parallel
    # guesses at one name cannot overshoot its limit. The address counts only attempts that
    # did fail (in finish_login): many people behind one address (an office, a proxy)
    # signing in at once on a Monday morning are not guesses.
    if user_key in rows:
        row = rows[user_key]
        row.failures += 1
        if row.failures >= ACCOUNT_LIMIT:
            row.locked_until = now + LOCK_PERIOD  # for the attempts after this one
    return attempt


def finish_login(
    session: Session, attempt: LoginAttempt, matched: bool, device_name: str
) -> tuple[str, Device, Account] | AuthError:
    """Record how an attempt ended; on success a new device and its token.

    Returns the error instead of raising it, so the caller commits what was recorded.
    Accounts of the console-only roles (team, specialist) get no device: they are told to
    sign in on the web console (after a right password only: no role oracle).
    """
    settled = settle_login(session, attempt, matched)
    if isinstance(settled, AuthError):
        return settled
    account = settled
    if account.role not in DEVICE_ROLES:
        _audit_login(session, attempt, "login-web-only")
        return AuthError(
            "this account works in the web console (/console/), not on a laptop", "web_only"
        )
    now = utcnow()
    device = Device(account_id=account.id, name=device_name[:120] or "device", last_seen=now)
    token = _issue_token(device, now)
    session.add(device)
    session.flush()
    audit(session, account, device, "login", address=attempt.address)
    return token, device, account


def settle_login(session: Session, attempt: LoginAttempt, matched: bool) -> Account | AuthError:
    """The bookkeeping of a checked attempt, shared by the sync API and the web console: a
    failure is audited and counted against the address; a success clears the user name's
    count. Returns the signed-in account (the caller audits the success) or the error."""
    user_key, address_key = _throttle_keys(attempt.username, attempt.address)
    account = session.get(Account, attempt.account_id) if attempt.account_id else None
    if not matched or account is None or not account.active:
        _audit_login(session, attempt, "login-failed")
        if address_key:
            row = session.scalars(
                select(LoginThrottle).where(LoginThrottle.key == address_key).with_for_update()
            ).one_or_none()
            if row is not None:
                row.failures += 1
                if row.failures >= ADDRESS_LIMIT and row.locked_until is None:
                    row.locked_until = utcnow() + LOCK_PERIOD
        return AuthError("wrong user name or password", "wrong_credentials")
    for row in session.scalars(
        select(LoginThrottle).where(LoginThrottle.key == user_key).with_for_update()
    ):
        row.failures, row.locked_until = 0, None
    return account


def login(
    session: Session,
    username: str,
    password: str,
    device_name: str,
    address: str | None = None,
) -> tuple[str, Device, Account]:
    """Sign in within one transaction (the CLI and tests; the server splits it in three so
    the Argon2 check holds no lock: see ``server.app``). Raises :class:`AuthError`."""
    attempt = begin_login(session, username, address)
    if attempt.refused is not None:
        raise attempt.refused
    result = finish_login(session, attempt, attempt.password_matches(password), device_name)
    if isinstance(result, AuthError):
        raise result
    return result


def _audit_login(session: Session, attempt: LoginAttempt, action: str) -> None:
    session.add(
        AuditEntry(
            account_id=attempt.account_id,
            action=action,
            detail={"username": attempt.username[:64], "address": attempt.address},
        )
    )


def rotate_token(session: Session, device: Device) -> tuple[str, datetime]:
    """A fresh token for ``device`` (signed in with its current or a retired token); the
    current one is retired and accepted for :data:`RETIRED_GRACE` more."""
    now = utcnow()
    row = session.scalars(select(Device).where(Device.id == device.id).with_for_update()).one()
    session.add(
        RetiredToken(token_hash=row.token_hash, device_id=row.id, valid_until=now + RETIRED_GRACE)
    )
    session.execute(delete(RetiredToken).where(RetiredToken.valid_until < now))
    token = _issue_token(row, now)
    session.flush()
    assert row.token_expires_at is not None
    return token, row.token_expires_at


#: One indexed query per request (or group of requests): the devices of token hashes and
#: their accounts, as plain columns.
_AUTH_QUERY = (
    select(
        Device.token_hash,
        Device.id,
        Device.name,
        Device.revoked_at,
        Device.last_seen,
        Account.id,
        Account.user_id,
        Account.username,
        Account.display_name,
        Account.role,
        Account.active,
        Device.token_expires_at,
    )
    .join(Account, Account.id == Device.account_id)
    .where(Device.token_hash.in_(bindparam("token_hashes", expanding=True)))
)
#: The same for tokens replaced by rotation (read only for tokens the first query missed).
_RETIRED_QUERY = (
    select(
        RetiredToken.token_hash,
        Device.id,
        Device.name,
        Device.revoked_at,
        Device.last_seen,
        Account.id,
        Account.user_id,
        Account.username,
        Account.display_name,
        Account.role,
        Account.active,
        case(
            (RetiredToken.valid_until < Device.token_expires_at, RetiredToken.valid_until),
            else_=Device.token_expires_at,
        ),
    )
    .join(Device, Device.id == RetiredToken.device_id)
    .join(Account, Account.id == Device.account_id)
    .where(RetiredToken.token_hash.in_(bindparam("token_hashes", expanding=True)))
)
#: ``last_seen`` of one device (run for many at once, in device id order: see below).
_SEEN = (
    update(cast(Table, Device.__table__))
    .where(Device.__table__.c.id == bindparam("device_id"))
    .values(last_seen=bindparam("now"))
)


def authenticate(session: Session, token: str | None) -> tuple[Account, Device]:
    """The account and device of ``token``, read in the request's own transaction.

    Deliberately not cached: the lookup is one indexed query, and reading it every time means
    a revocation (by the API, ``keyacct-server revoke-device`` or another worker process)
    cuts the device off at its very next request. The returned objects are detached,
    read-only copies, shared between requests of the same device.
    """
    found = authenticate_many(session, [token])[0]
    if isinstance(found, AuthError):
        raise found
    return found


#: The detached copies of recently authenticated devices, by their device and account
#: columns. The rows are still read on every request (revocation, disabling); only building
#: the two ORM objects again (~30 µs, a sixteenth of a small request) is saved.
_COPIES: dict[tuple[Any, ...], tuple[Account, Device]] = {}
_COPIES_LIMIT = 20_000


def _signed_in_copies(columns: tuple[Any, ...]) -> tuple[Account, Device]:
    """Read-only copies of a signed-in account and device (``last_seen`` is not carried)."""
    found = _COPIES.get(columns)
    if found is None:
        device_id, name, account_id, user_id, username, shown, role = columns
        account = Account(
            id=account_id,
            user_id=user_id,
            username=username,
            display_name=shown,
            role=role,
            active=True,
        )
        device = Device(id=device_id, account_id=account_id, name=name, revoked_at=None)
        if len(_COPIES) >= _COPIES_LIMIT:
            _COPIES.clear()
        found = _COPIES[columns] = (account, device)
    return found


_AUTH_CODES = {
    "no token": "no_token",
    "unknown or revoked device token": "unknown_token",
    "account disabled": "account_disabled",
    "device token expired: sign in again": "token_expired",
}


def authenticate_many(
    session: Session, tokens: list[str | None]
) -> list[tuple[Account, Device] | AuthError]:
    """:func:`authenticate` for the requests of a group, in one query: per token, its account
    and device or the :class:`AuthError` that refuses it.

    ``last_seen`` is written only now and then, and for several devices in ascending id
    order: two groups in flight (pushes and pulls) then lock device rows in the same order
    and cannot deadlock on them.
    """
    hashes = {token: token_hash(token) for token in tokens if token}
    unique = sorted(set(hashes.values()))
    rows: dict[str, Any] = {}
    connection = session.connection()
    for start in range(0, len(unique), IN_CHUNK):
        for row in connection.execute(
            _AUTH_QUERY, {"token_hashes": unique[start : start + IN_CHUNK]}
        ).all():
            rows[row[0]] = row
    missing = [hashed for hashed in unique if hashed not in rows]
    for start in range(0, len(missing), IN_CHUNK):
        for row in connection.execute(
            _RETIRED_QUERY, {"token_hashes": missing[start : start + IN_CHUNK]}
        ).all():
            rows[row[0]] = row
    now = utcnow()
    signed_in: dict[str, tuple[Account, Device] | str] = {}  # or why it is refused
    stale: set[uuid.UUID] = set()
    for hashed, row in rows.items():
        (_hash, device_id, name, revoked, last_seen, account_id, user_id, username, shown) = row[:9]
        role, active, expires = row[9], row[10], row[11]
        if revoked is not None:
            signed_in[hashed] = "unknown or revoked device token"
            continue
        if not active:
            signed_in[hashed] = "account disabled"
            continue
        if expires is None or now >= expires:
            signed_in[hashed] = "device token expired: sign in again"
            continue
        # Only now and then: a write on every request would turn every pull into a write
        # transaction, and on SQLite all requests would queue on the one writer lock.
        if last_seen is None or now - last_seen > LAST_SEEN_RESOLUTION:
            stale.add(device_id)
        signed_in[hashed] = _signed_in_copies(
            (device_id, name, account_id, user_id, username, shown, role)
        )
    if stale:
        connection.execute(
            _SEEN, [{"device_id": device_id, "now": now} for device_id in sorted(stale)]
        )
    answers: list[tuple[Account, Device] | AuthError] = []
    for token in tokens:  # an error object each: requests raise them separately
        found = (
            signed_in.get(hashes[token], "unknown or revoked device token") if token else "no token"
        )
        answers.append(
            found
            if isinstance(found, tuple)
            else AuthError(found, _AUTH_CODES.get(found, "unauthorized"))
        )
    return answers


def revoke_device(session: Session, device_id: uuid.UUID) -> None:
    device = session.get(Device, device_id)
    if device is None:
        raise ValueError(f"no device {device_id}")
    device.revoked_at = utcnow()
    audit(session, None, device, "revoke-device")


def _account_named(session: Session, username: str) -> Account:
    account = session.scalar(select(Account).where(Account.username == username))
    if account is None:
        raise ValueError(f"no account {username!r}")
    return account


def list_accounts(session: Session) -> list[dict[str, Any]]:
    """Every account with its role, state, devices in use and whether sign-in is locked."""
    now = utcnow()
    locked = {
        row.key.removeprefix("user:")
        for row in session.scalars(
            select(LoginThrottle).where(
                LoginThrottle.key.startswith("user:"), LoginThrottle.locked_until > now
            )
        )
    }
    devices: dict[uuid.UUID, int] = {}
    for account_id in session.scalars(select(Device.account_id).where(Device.revoked_at.is_(None))):
        devices[account_id] = devices.get(account_id, 0) + 1
    return [
        {
            "username": account.username,
            "display_name": account.display_name,
            "role": account.role,
            "team": account.team,
            "active": account.active,
            "devices": devices.get(account.id, 0),
            "locked": account.username.casefold() in locked,
            "user_id": str(account.user_id),
            "account_id": str(account.id),
        }
        for account in session.scalars(select(Account).order_by(Account.username))
    ]


def list_devices(session: Session, username: str | None = None) -> list[dict[str, Any]]:
    """Devices (of one account, or all), newest first: id, name, last contact, token state."""
    query = select(Device, Account.username).join(Account, Account.id == Device.account_id)
    if username is not None:
        query = query.where(Account.username == _account_named(session, username).username)
    now = utcnow()
    found = []
    for device, owner in session.execute(query.order_by(Device.created_at.desc())):
        if device.revoked_at is not None:
            state = "revoked"
        elif device.token_expires_at is None or device.token_expires_at <= now:
            state = "expired"
        else:
            state = "active"
        found.append(
            {
                "device_id": str(device.id),
                "username": owner,
                "name": device.name,
                "created_at": device.created_at,
                "last_seen": device.last_seen,
                "token_expires_at": device.token_expires_at,
                "state": state,
            }
        )
    return found


def set_active(session: Session, username: str, active: bool) -> Account:
    """Disable (or enable again) an account: a disabled account's devices are refused at
    their next request and it cannot sign in; its data stays."""
    account = _account_named(session, username)
    account.active = active
    audit(session, account, None, "account-enabled" if active else "account-disabled")
    return account


def reset_password(session: Session, username: str, password: str) -> int:
    """A new password; every device of the account is revoked (the old password may have
    leaked). Returns how many devices were revoked."""
    check_password(password)
    account = _account_named(session, username)
    account.password_hash = _hasher.hash(password)
    revoked = _rowcount(
        session.execute(
            update(Device)
            .where(Device.account_id == account.id, Device.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    )
    session.execute(  # and every browser signed in to the web console
        update(WebSession)
        .where(WebSession.account_id == account.id, WebSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )
    unlock(session, username=username)
    audit(session, account, None, "password-reset", devices_revoked=revoked)
    return int(revoked or 0)


def _rowcount(result: Result[Any]) -> int | None:
    """How many rows an UPDATE or DELETE touched (its result is a ``CursorResult``)."""
    return cast(CursorResult[Any], result).rowcount


def unlock(session: Session, *, username: str | None = None, address: str | None = None) -> int:
    """Lift the sign-in lock of a user name and/or a client address; how many were lifted."""
    user_key, address_key = _throttle_keys(username or "", address)
    keys = [key for key in (user_key if username else None, address_key) if key]
    if not keys:
        raise ValueError("name a user or an address to unlock")
    lifted = _rowcount(session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(keys))))
    audit(session, None, None, "login-unlocked", username=username, address=address)
    return int(lifted or 0)


def audit(
    session: Session, account: Account | None, device: Device | None, action: str, **detail: Any
) -> None:
    session.add(
        AuditEntry(
            account_id=account.id if account else None,
            device_id=device.id if device else None,
            action=action,
            table_name=detail.pop("table", None),
            row_id=detail.pop("row_id", None),
            detail=detail or None,
        )
    )


#: The name of the device that stands for an account's web console (``console_device``).
CONSOLE_DEVICE = "网页控制台"


def console_device(session: Session, account: Account) -> Device:
    """The device that stands for an account's browser in the sync machinery (one per
    account; it has no token and can never sign in: its token hash is not a SHA-256)."""
    marker = f"console:{account.id.hex}"
    device = session.scalar(select(Device).where(Device.token_hash == marker))
    if device is None:
        device = Device(account_id=account.id, name=CONSOLE_DEVICE, token_hash=marker)
        session.add(device)
        session.flush()
    return device
