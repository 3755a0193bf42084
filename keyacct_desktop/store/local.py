"""Device-only tables: the outgoing change log, merge bases, sync state and drafts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from keyacct_desktop.store.base import LocalBase, utcnow


class PendingChange(LocalBase):
    """One local write waiting to be pushed, recorded in the same transaction as the write.

    ``fields`` lists the columns the write changed (all columns for an insert); values are
    read from the row at push time, so several edits of one row push its latest state.
    ``op_id`` makes a retried push idempotent on the server.
    """

    __tablename__ = "pending_change"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    op_id: Mapped[uuid.UUID] = mapped_column(unique=True, default=uuid.uuid4)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID] = mapped_column(index=True)
    op: Mapped[str] = mapped_column(String(8))  # upsert / delete
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    batch_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncBase(LocalBase):
    """The last copy of a row both this device and the server agreed on: the merge base."""

    __tablename__ = "sync_base"

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class SyncState(LocalBase):
    """Key/value state of the sync client (cursor, server id, last success, clock skew)."""

    __tablename__ = "sync_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Draft(LocalBase):
    """An autosaved, not yet saved editor state; restored after a crash or kill."""

    __tablename__ = "draft"

    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # e.g. visit:<uuid>
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SyncInbox(LocalBase):
    """Pulled changes waiting to be applied.

    Pages are stored here (each with the new cursor, in one transaction) and applied together
    once the server has no more, so a child that arrives before its parent never breaks a
    foreign key, and a crash mid-pull resumes where it stopped.
    """

    __tablename__ = "sync_inbox"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    table_name: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID] = mapped_column()
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


class SyncRefused(LocalBase):
    """A local change the server refused: kept until the manager resends or discards it.

    A refused change is never dropped (issue 14). ``values`` are the user's own values of
    ``fields`` (wire format) when it was refused, so they stay visible whatever happens to the
    row. ``created`` marks a record the server never stored (a refused create): the row stays
    on this laptop only, and rows that depend on it wait with it (``cause_*`` names the refused
    row they depend on). A refused edit or delete of a record the server has is undone
    locally (the laptop shows the server's record) and ``values`` keep what the user wanted.
    """

    __tablename__ = "sync_refused"

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    op: Mapped[str] = mapped_column(String(8))  # upsert / delete
    created: Mapped[bool] = mapped_column(default=False)
    fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    code: Mapped[str] = mapped_column(String(32))
    error_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    message_zh: Mapped[str | None] = mapped_column(Text)
    error: Mapped[str | None] = mapped_column(Text)
    cause_table: Mapped[str | None] = mapped_column(String(32))
    cause_id: Mapped[uuid.UUID | None] = mapped_column()
    seq: Mapped[int] = mapped_column(Integer, default=0)  # edit order, for resending
    refused_at: Mapped[datetime] = mapped_column(default=utcnow)


class SyncSetAside(LocalBase):
    """A pulled change this device could not apply yet (e.g. its parent has not arrived).

    The rest of the pull applies and the cursor moves on; a set-aside row is tried again when
    a sync downloads what it waits for (``waits_for``) or a newer version of it, and all of
    them on a periodic safety net (issue 14).
    """

    __tablename__ = "sync_set_aside"

    table_name: Mapped[str] = mapped_column(String(32), primary_key=True)
    row_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    deleted: Mapped[bool] = mapped_column(default=False)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    code: Mapped[str] = mapped_column(String(32))  # missing_reference / duplicate_key / ...
    field_name: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)  # for logs; never shown in the status bar
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    set_aside_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: The record it waits for ("table:id"): a sync that downloads it retries this row.
    waits_for: Mapped[str | None] = mapped_column(String(120), index=True)
