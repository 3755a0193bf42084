"""Accounts, devices and their tokens: creating accounts, signing in, authenticating
requests, revoking devices, and the audit log they write.

Kept apart from :mod:`keyacct_desktop.server.core` (push, pull, access) so that the security of
sign-in can be read and changed in one place.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import Account, AuditEntry, Device
from keyacct_desktop.store.base import utcnow

ROLES = ("manager", "supervisor", "admin")
#: How precisely a device's last contact is recorded (admins see when a laptop was last online).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
#: Token hashes looked up in one ``IN (...)``.
IN_CHUNK = 500
_hasher = PasswordHasher()


class AuthError(Exception):
    """Missing, wrong or revoked credentials (HTTP 401)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_account(
    session: Session, username: str, password: str, role: str, display_name: str | None = None
) -> Account:
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < 8:
        raise ValueError("password must have at least 8 characters")
    if session.scalar(select(Account).where(Account.username == username)) is not None:
        raise ValueError(f"account {username!r} exists already")
    account = Account(
        username=username,
        display_name=display_name or username,
        role=role,
        password_hash=_hasher.hash(password),
    )
    session.add(account)
    session.flush()
    from keyacct_desktop.server.core import write_row  # core imports this module

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


def login(
    session: Session, username: str, password: str, device_name: str
) -> tuple[str, Device, Account]:
    account = session.scalar(select(Account).where(Account.username == username))
    try:
        if account is None or not account.active:
            raise VerificationError
        _hasher.verify(account.password_hash, password)
    except (VerificationError, InvalidHashError):
        raise AuthError("wrong user name or password") from None
    token = secrets.token_urlsafe(32)
    device = Device(
        account_id=account.id,
        name=device_name[:120] or "device",
        token_hash=token_hash(token),
        last_seen=utcnow(),
    )
    session.add(device)
    session.flush()
    audit(session, account, device, "login")
    return token, device, account


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
    )
    .join(Account, Account.id == Device.account_id)
    .where(Device.token_hash.in_(bindparam("token_hashes", expanding=True)))
)
#: ``last_seen`` of one device (run for many at once, in device id order: see below).
_SEEN = (
    update(Device.__table__)
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
    now = utcnow()
    signed_in: dict[str, tuple[Account, Device] | str] = {}  # or why it is refused
    stale: set[uuid.UUID] = set()
    for hashed, row in rows.items():
        (_hash, device_id, name, revoked, last_seen, account_id, user_id, username, shown) = row[:9]
        role, active = row[9], row[10]
        if revoked is not None:
            signed_in[hashed] = "unknown or revoked device token"
            continue
        if not active:
            signed_in[hashed] = "account disabled"
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
        answers.append(found if isinstance(found, tuple) else AuthError(found))
    return answers


def revoke_device(session: Session, device_id: uuid.UUID) -> None:
    device = session.get(Device, device_id)
    if device is None:
        raise ValueError(f"no device {device_id}")
    device.revoked_at = utcnow()
    audit(session, None, device, "revoke-device")


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
