"""Declarative bases and the mixins shared by every synced record.

Three metadata collections keep client and server schemas honest:

* :class:`Base` — the synced entities, present on every device **and** on the server;
* :class:`LocalBase` — device-only bookkeeping (pending changes, sync base copies, drafts);
* ``server.models.ServerBase`` — accounts, devices, audit log and the sync counter.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Date, DateTime, MetaData, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Naive UTC timestamp: SQLite has no time zones, so every system stamp is UTC by rule."""
    return datetime.now(UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    """Synced domain entities."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        uuid.UUID: Uuid(as_uuid=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
        list[str]: JSON,
        datetime: DateTime(),
        date: Date(),
    }


class LocalBase(DeclarativeBase):
    """Device-only tables that never travel over sync."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = Base.type_annotation_map


class Synced:
    """Mixin for records that sync between devices and the server.

    Attributes:
        id: client-generated UUID, so records created offline never collide.
        version: the server's change-counter value of the last accepted write (0 = never
            synced). Only the server assigns it; a device stores the value it last saw.
        created_at / updated_at: UTC stamps, informative only; sync never orders by clocks.
    """

    #: Columns that may still change once a document is issued (see ``Frozen``).
    __sync_exclude__: ClassVar[frozenset[str]] = frozenset({"version"})

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    version: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Frozen:
    """Mixin for issued documents: once ``status`` is ``issued`` their content is immutable.

    The store (not only the GUI) refuses changes, see :mod:`keyacct_desktop.store.guards`.
    ``__mutable_after_issue__`` names tracking columns that may still change (receipt dates,
    delivery and acknowledgement records).
    """

    __mutable_after_issue__: ClassVar[frozenset[str]] = frozenset()
    #: Name of the attribute that points at the parent document for child rows, if any.
    __frozen_parent__: ClassVar[str | None] = None
