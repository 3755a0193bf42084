"""What the server does, independent of HTTP: accounts, tokens, push, pull, access.

Conflict rule (documented in docs/SYNC_PROTOCOL.md): fields are merged three-way against the
base the device last saw. A field changed only on one side takes that side's value. When the
same field was changed on both sides, the value that reached the server **first** stays, and
the later value is kept in a ``sync_conflict`` record (kept value, lost value, who lost) that
syncs to every device that sees the customer, where it can be reviewed and restored.
Issued documents never conflict: their content is immutable and such edits are rejected.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from keyacct_desktop.server.models import Account, AppliedOp, AuditEntry, Counter, Device, SyncRow
from keyacct_desktop.store.base import Frozen, utcnow
from keyacct_desktop.store.guards import FROZEN_STATUSES
from keyacct_desktop.store.models import MODEL_BY_TABLE
from keyacct_desktop.sync.codec import FieldError, required_fields, validate_fields

ROLES = ("manager", "supervisor", "admin")
#: How precisely a device's last contact is recorded (admins see when a laptop was last online).
LAST_SEEN_RESOLUTION = timedelta(minutes=5)
#: Tables whose rows belong to no customer: every device sees them.
GLOBAL_TABLES = frozenset({"user", "park", "grid", "outage_event"})
#: Child tables whose customer is the customer of their parent row.
PARENT_OF = {
    "checklist_item": ("checklist", "checklist_id"),
    "referral_event": ("referral", "referral_id"),
    "visit_amendment": ("visit", "visit_id"),
}
#: Tables only supervisors and administrators may write.
OFFICE_TABLES = frozenset({"user", "grid", "park"})
_hasher = PasswordHasher()


class AuthError(Exception):
    """Missing, wrong or revoked credentials (HTTP 401)."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def next_value(session: Session, name: str = "change") -> int:
    """Bump a counter inside the current transaction; the row lock orders concurrent writers."""
    value = session.execute(
        update(Counter)
        .where(Counter.name == name)
        .values(value=Counter.value + 1)
        .returning(Counter.value)
    ).scalar_one_or_none()
    if value is None:
        session.add(Counter(name=name, value=1))
        session.flush()
        return 1
    return int(value)


def current_value(session: Session, name: str) -> int:
    return int(session.scalar(select(Counter.value).where(Counter.name == name)) or 0)


# ------------------------------------------------------------------ accounts and devices


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
        account_id=account.id, name=device_name[:120] or "device", token_hash=token_hash(token)
    )
    session.add(device)
    session.flush()
    audit(session, account, device, "login")
    return token, device, account


def authenticate(session: Session, token: str | None) -> tuple[Account, Device]:
    if not token:
        raise AuthError("no token")
    device = session.scalar(select(Device).where(Device.token_hash == token_hash(token)))
    if device is None or device.revoked_at is not None:
        raise AuthError("unknown or revoked device token")
    account = session.get(Account, device.account_id)
    if account is None or not account.active:
        raise AuthError("account disabled")
    now = utcnow()
    # Only now and then: a write on every request would turn every pull into a write
    # transaction, and on SQLite all requests would queue on the one writer lock.
    if device.last_seen is None or now - device.last_seen > LAST_SEEN_RESOLUTION:
        device.last_seen = now
    return account, device


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


# ------------------------------------------------------------------ the row store


def _customer_of(
    session: Session, table: str, row_id: uuid.UUID, data: dict[str, Any]
) -> uuid.UUID | None:
    if table == "customer":
        return row_id
    if table in GLOBAL_TABLES:
        return None
    if table in PARENT_OF:
        parent_table, key = PARENT_OF[table]
        parent = (
            session.get(SyncRow, (parent_table, uuid.UUID(data[key]))) if data.get(key) else None
        )
        return parent.customer_id if parent else None
    value = data.get("customer_id")
    return uuid.UUID(value) if value else None


def write_row(
    session: Session, table: str, row_id: uuid.UUID, data: dict[str, Any], deleted: bool = False
) -> SyncRow:
    """Store the new state of a record under a fresh version (and bump access when needed)."""
    row = session.get(SyncRow, (table, row_id))
    version = next_value(session)
    grid_id = uuid.UUID(data["grid_id"]) if table == "customer" and data.get("grid_id") else None
    manager_id = (
        uuid.UUID(data["manager_id"]) if table == "grid" and data.get("manager_id") else None
    )
    if row is None:
        row = SyncRow(
            table_name=table,
            row_id=row_id,
            version=version,
            data=data,
            deleted=deleted,
            customer_id=_customer_of(session, table, row_id, data),
            grid_id=grid_id,
            manager_id=manager_id,
        )
        session.add(row)
        if table == "grid":
            next_value(session, "access")
    else:
        if (table == "customer" and row.grid_id != grid_id) or (
            table == "grid" and row.manager_id != manager_id
        ):
            next_value(session, "access")  # visibility changed: devices must reconcile
        row.version, row.data, row.deleted = version, data, deleted
        row.grid_id, row.manager_id, row.updated_at = grid_id, manager_id, utcnow()
    session.flush()
    return row


def visible_customers(account: Account) -> Any:
    """A subquery of customer ids the account may see (``None`` = everything)."""
    if account.role in ("supervisor", "admin"):
        return None
    my_grids = select(SyncRow.row_id).where(
        SyncRow.table_name == "grid",
        SyncRow.manager_id == account.user_id,
        SyncRow.deleted.is_(False),
    )
    return select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.grid_id.in_(my_grids)
    )


def can_see(session: Session, account: Account, customer_id: uuid.UUID | None) -> bool:
    subquery = visible_customers(account)
    if subquery is None or customer_id is None:
        return True
    return (
        session.scalar(
            select(SyncRow.row_id).where(
                SyncRow.row_id.in_(subquery), SyncRow.row_id == customer_id
            )
        )
        is not None
    )


def manager_grids(session: Session, account: Account) -> set[uuid.UUID]:
    return set(
        session.scalars(
            select(SyncRow.row_id).where(
                SyncRow.table_name == "grid",
                SyncRow.manager_id == account.user_id,
                SyncRow.deleted.is_(False),
            )
        )
    )


# ------------------------------------------------------------------ push


@dataclass
class Operation:
    op_id: uuid.UUID
    table: str
    row_id: uuid.UUID
    op: str  # upsert / delete
    base_version: int
    fields: dict[str, Any]
    base: dict[str, Any]


def _frozen_status(session: Session, table: str, data: dict[str, Any]) -> str | None:
    model = MODEL_BY_TABLE[table]
    if not issubclass(model, Frozen):
        return None
    if model.__frozen_parent__ is None:
        return data.get("status")
    parent_key = {
        "checklist_item": ("checklist", "checklist_id"),
        "outage_notice": ("outage_event", "event_id"),
    }[table]
    parent = (
        session.get(SyncRow, (parent_key[0], uuid.UUID(data[parent_key[1]])))
        if data.get(parent_key[1])
        else None
    )
    return parent.data.get("status") if parent else None


def _conflict(
    session: Session, table: str, row: SyncRow, field: str, kept: Any, lost: Any, who: str
) -> None:
    conflict_id = uuid.uuid4()
    now = utcnow().isoformat()
    write_row(
        session,
        "sync_conflict",
        conflict_id,
        {
            "id": str(conflict_id),
            "table_name": table,
            "row_id": str(row.row_id),
            "customer_id": str(row.customer_id) if row.customer_id else None,
            "field_name": field,
            "kept_value": kept,
            "lost_value": lost,
            "lost_by": who[:120],
            "detected_at": now,
            "resolved_at": None,
            "resolution": None,
        },
    )


def apply_operation(
    session: Session, account: Account, device: Device, op: Operation
) -> dict[str, Any]:
    """Apply one operation; returns its result (``status`` applied/merged/conflict/rejected)."""
    who = f"{account.username}@{device.name}"
    if op.table not in MODEL_BY_TABLE:
        return {"status": "rejected", "error": f"unknown table {op.table!r}"}
    if op.table in OFFICE_TABLES and account.role == "manager":
        return {
            "status": "rejected",
            "error": "only supervisors and administrators may change this table",
        }
    row = session.get(SyncRow, (op.table, op.row_id))
    if row is not None and not can_see(session, account, row.customer_id):
        return {"status": "rejected", "error": "forbidden: record of another grid"}

    if op.op == "delete":
        if row is None or row.deleted:
            return {"status": "applied", "version": row.version if row else None}
        if _frozen_status(session, op.table, row.data) in FROZEN_STATUSES:
            return {"status": "rejected", "error": "issued documents cannot be deleted"}
        row = write_row(session, op.table, op.row_id, row.data, deleted=True)
        audit(session, account, device, "delete", table=op.table, row_id=op.row_id)
        return {"status": "applied", "version": row.version}

    try:
        validate_fields(op.table, op.fields)
    except FieldError as error:
        return {"status": "rejected", "error": str(error)}

    if row is None:
        data = {key: value for key, value in op.fields.items()}
        data["id"] = str(op.row_id)
        missing = sorted(required_fields(op.table) - {k for k, v in data.items() if v is not None})
        if missing:
            return {"status": "rejected", "error": f"missing required fields: {', '.join(missing)}"}
        customer_id = _customer_of(session, op.table, op.row_id, data)
        if op.table == "customer" and account.role == "manager":
            if not data.get("grid_id") or uuid.UUID(data["grid_id"]) not in manager_grids(
                session, account
            ):
                return {
                    "status": "rejected",
                    "error": "forbidden: managers create customers only in their own grids",
                }
        elif not can_see(session, account, customer_id):
            return {"status": "rejected", "error": "forbidden: record of another grid"}
        row = write_row(session, op.table, op.row_id, data)
        audit(session, account, device, "create", table=op.table, row_id=op.row_id)
        return {"status": "applied", "version": row.version}

    if row.deleted:
        for key, value in op.fields.items():
            _conflict(session, op.table, row, key, None, value, f"{who} (record was deleted)")
        audit(session, account, device, "edit-deleted", table=op.table, row_id=op.row_id)
        return {"status": "conflict", "version": row.version, "error": "record was deleted"}

    status = _frozen_status(session, op.table, row.data)
    if status in FROZEN_STATUSES:
        model = MODEL_BY_TABLE[op.table]
        changed = {k for k, v in op.fields.items() if row.data.get(k) != v}
        illegal = changed - model.__mutable_after_issue__ - {"updated_at"}
        if illegal:
            return {
                "status": "rejected",
                "error": f"issued document: {', '.join(sorted(illegal))} cannot change",
            }

    merged = dict(row.data)
    clashes = []
    for key, value in op.fields.items():
        server_value = row.data.get(key)
        if server_value == value:
            continue
        unchanged_on_server = op.base_version == row.version or (
            key in op.base and op.base[key] == server_value
        )
        if unchanged_on_server:
            merged[key] = value
        else:
            clashes.append((key, server_value, value))
    if (
        op.table == "customer"
        and account.role == "manager"
        and merged.get("grid_id") != row.data.get("grid_id")
    ):
        if not merged.get("grid_id") or uuid.UUID(merged["grid_id"]) not in manager_grids(
            session, account
        ):
            return {
                "status": "rejected",
                "error": "forbidden: managers cannot move customers out of their grids",
            }
    version = row.version
    if merged != row.data:
        version = write_row(session, op.table, op.row_id, merged).version
    for key, kept, lost in clashes:
        _conflict(session, op.table, row, key, kept, lost, who)
    audit(
        session,
        account,
        device,
        "update",
        table=op.table,
        row_id=op.row_id,
        fields=sorted(op.fields),
        conflicts=[c[0] for c in clashes],
    )
    return {
        "status": "conflict" if clashes else "applied",
        "version": version,
        "conflicts": [c[0] for c in clashes],
    }


def push(
    session: Session, account: Account, device: Device, operations: list[Operation]
) -> list[dict[str, Any]]:
    """Apply a batch in the caller's transaction; a retried op id returns its stored answer."""
    results = []
    for op in operations:
        done = session.get(AppliedOp, op.op_id)
        if done is not None:
            results.append({**done.result, "op_id": str(op.op_id), "duplicate": True})
            continue
        result = apply_operation(session, account, device, op)
        session.add(AppliedOp(op_id=op.op_id, device_id=device.id, result=result))
        results.append({**result, "op_id": str(op.op_id)})
    return results


# ------------------------------------------------------------------ pull


def pull(
    session: Session,
    account: Account,
    cursor: int,
    limit: int,
    customer_ids: list[uuid.UUID] | None = None,
) -> dict[str, Any]:
    """Changes after ``cursor`` the account may see, oldest first; ``more`` says if a page follows."""
    visible = visible_customers(account)
    statement = select(SyncRow).where(SyncRow.version > cursor)
    if customer_ids is not None:
        statement = statement.where(SyncRow.customer_id.in_(customer_ids))
    if visible is not None:
        statement = statement.where(
            or_(SyncRow.customer_id.is_(None), SyncRow.customer_id.in_(visible))
        )
    rows = session.scalars(statement.order_by(SyncRow.version).limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {
        "changes": [
            {
                "table": r.table_name,
                "id": str(r.row_id),
                "version": r.version,
                "deleted": r.deleted,
                "data": r.data,
            }
            for r in rows
        ],
        "cursor": rows[-1].version if rows else cursor,
        "more": more,
        "access_epoch": current_value(session, "access"),
        "server_time": datetime.now(UTC).isoformat(),  # with offset: time zones never skew
    }


def visible_customer_list(session: Session, account: Account) -> list[str]:
    visible = visible_customers(account)
    statement = select(SyncRow.row_id).where(
        SyncRow.table_name == "customer", SyncRow.deleted.is_(False)
    )
    if visible is not None:
        statement = statement.where(SyncRow.row_id.in_(visible))
    return sorted(str(i) for i in session.scalars(statement))
