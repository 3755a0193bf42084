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
