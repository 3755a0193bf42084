"""Server-side tables: accounts, devices, the versioned row store, audit log.

The server keeps every synced record as a JSON document in :class:`SyncRow`, keyed by
(table, id) and stamped with a ``version`` from one counter row that is bumped inside each
write transaction (``UPDATE … SET value = value + 1 RETURNING value``). Because writers
serialise on that row, versions become visible in commit order, so a pull cursor
(``version > cursor``) can never skip a committed change. Deletions stay as tombstones
(``deleted = true``) so that they reach every device and deleted records never come back.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from keyacct_desktop.store.base import NAMING_CONVENTION, utcnow


class ServerBase(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Counter(ServerBase):
    """Named monotonic counters: ``change`` (row versions) and ``access`` (visibility epoch)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


class Account(ServerBase):
    """A person who may sign in. ``user_id`` is the id of their synced ``user`` record."""

    __tablename__ = "account"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    user_id: Mapped[uuid.UUID] = mapped_column(Uuid, unique=True, default=uuid.uuid4)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64))
    #: manager / supervisor / admin (laptop and console), team / specialist (console only)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The back-office team (``BackOfficeTeam`` code) of a ``team`` member; None otherwise.
    team: Mapped[str | None] = mapped_column(String(32))


class Device(ServerBase):
    """One signed-in laptop. Only a hash of its token is stored; revoking cuts it off."""

    __tablename__ = "device"

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: When the current token was issued and when it stops working (it is rotated long before).
    token_issued_at: Mapped[datetime | None] = mapped_column(DateTime)
    token_expires_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(ServerBase):
    """A signed-in browser of the web console (``server.web``): only a hash of the cookie's
    token is stored, with the CSRF token of its forms and both expiries."""

    __tablename__ = "web_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The absolute end (idle expiry is ``last_seen`` + the idle period).
    expires_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    address: Mapped[str | None] = mapped_column(String(64))


class AccountGrid(ServerBase):
    """A grid a specialist or supervisor is limited to on the web console (server migration
    s0009). An account without any sees every grid."""

    __tablename__ = "account_grid"

    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    grid_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)


class RetiredToken(ServerBase):
    """A device token replaced by rotation, still accepted for a short grace period: the
    answer carrying its successor may have been lost on the way to the device."""

    __tablename__ = "retired_token"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("device.id", ondelete="CASCADE"), index=True
    )
    valid_until: Mapped[datetime] = mapped_column(DateTime)


class LoginThrottle(ServerBase):
    """Sign-in attempts per user name (``user:NAME``) and per client address (``addr:IP``).

    ``failures`` counts attempts not (yet) followed by a success; reaching the limit locks
    the key until ``locked_until`` (or until an administrator unlocks it).
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class SyncRow(ServerBase):
    """The current state of one synced record (or its tombstone)."""

    __tablename__ = "sync_row"
    __table_args__ = (Index("ix_sync_row_customer_version", "customer_id", "version"),)

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, unique=True, index=True)
    customer_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # None = visible to everyone
    grid_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # customers only
    manager_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # grids only
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    #: The device that wrote this state (who edited, when a delete meets the edit).
    written_by: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    #: A tombstone deleted with another row ("table:id" of that delete): an edit that
    #: revives that row revives this one with it.
    cascade_of: Mapped[str | None] = mapped_column(String(80), index=True)


class SyncAlias(ServerBase):
    """A row created twice offline under two ids and merged into one (same business key):
    later operations naming ``old_id`` are applied to ``new_id``."""

    __tablename__ = "sync_alias"

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    old_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    new_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class SyncRefusal(ServerBase):
    """A new row the server refused (never stored): rows that name it are refused with
    ``parent_refused`` and this cause, also in later pushes."""

    __tablename__ = "sync_refusal"

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    cause: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AppliedOp(ServerBase):
    """Every operation the server has answered, so a retried push is applied only once."""

    __tablename__ = "applied_op"

    op_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    device_id: Mapped[uuid.UUID] = mapped_column(Uuid, index=True)
    result: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AuditEntry(ServerBase):
    """Who changed what, from which device, when."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    device_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    __table_args__ = (Index("ix_audit_log_table_name_row_id", "table_name", "row_id"),)

    action: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str | None] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    detail: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)


class Blob(ServerBase):
    """An attachment's content, addressed by its SHA-256; complete once every byte arrived."""

    __tablename__ = "blob"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BlobChunk(ServerBase):
    """One uploaded piece of a blob; an interrupted upload resumes after the last piece."""

    __tablename__ = "blob_chunk"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True
    )
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class BlobHolder(ServerBase):
    """An account that sent every byte of a blob (its own upload, or a proof of possession):
    its attachment records let other accounts read the blob (see ``server/blobs.py``)."""

    __tablename__ = "blob_holder"

    sha256: Mapped[str] = mapped_column(
        ForeignKey("blob.sha256", ondelete="CASCADE"), primary_key=True
    )
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BlobUpload(ServerBase):
    """One account's upload of a blob in progress: each account uploads (or proves) on its
    own, so nobody sees or disturbs another account's upload."""

    __tablename__ = "blob_upload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    size: Mapped[int] = mapped_column(BigInteger)
    received: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class BlobUploadChunk(ServerBase):
    """A piece of an upload in progress; moved into :class:`BlobChunk` when the whole content
    matches its SHA-256 and the server did not have it yet, dropped otherwise."""

    __tablename__ = "blob_upload_chunk"
    __table_args__ = (
        ForeignKeyConstraint(
            ["sha256", "account_id"],
            ["blob_upload.sha256", "blob_upload.account_id"],
            ondelete="CASCADE",
        ),
    )

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True)
    offset: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
