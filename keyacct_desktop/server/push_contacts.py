"""Contacts of a merged duplicate customer (docs/SYNC_PROTOCOL.md, "Duplicate merge").

Two laptops that type the same customer usually type its contact too. When the customer is
merged, a new contact of the duplicate that is the same person as one the kept customer has
(same name and mobile, spaces and ``+86`` aside) is merged into that contact, and a new
primary contact does not make a second primary one: it is stored as not primary, with a
conflict record keeping the lost tick.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from keyacct_desktop.domain.codes import normalize_phone
from keyacct_desktop.server.models import SyncRow
from keyacct_desktop.server.push_batch import _ROW_COLUMNS, PushBatch, _Row, _uuid_or_none


def _person(data: dict[str, Any]) -> tuple[str, str] | None:
    name = "".join((data.get("name") or "").split())
    mobile = re.sub(r"\D", "", normalize_phone(data.get("mobile") or ""))
    if len(mobile) == 13 and mobile.startswith("86"):
        mobile = mobile[2:]
    return (name, mobile) if name and mobile else None


def contacts_of_merged(batch: PushBatch, raw: dict[str, Any], fields: dict[str, Any]) -> list[_Row]:
    """The live contacts of the kept customer when a new contact named a merged duplicate
    (its reference was moved to the kept customer); else none (no query)."""
    customer_id = _uuid_or_none(fields.get("customer_id"))
    if customer_id is None or raw.get("customer_id") == fields.get("customer_id"):
        return []
    for found in batch.connection.execute(
        select(*_ROW_COLUMNS).where(
            SyncRow.table_name == "contact",
            SyncRow.customer_id == customer_id,
            SyncRow.deleted.is_(False),
        )
    ).all():
        batch._adopt(found)
    return [
        row
        for (table, _id), row in list(batch.rows.items())
        if table == "contact"
        and row is not None
        and not row.deleted
        and _uuid_or_none(row.data.get("customer_id")) == customer_id
    ]


def same_person(contacts: list[_Row], data: dict[str, Any]) -> _Row | None:
    """The contact that is the same person as ``data`` (same name and mobile), if any."""
    person = _person(data)
    if person is None:
        return None
    return next((row for row in contacts if _person(row.data) == person), None)


def has_primary(contacts: list[_Row], other_than: uuid.UUID) -> bool:
    return any(row.data.get("is_primary") for row in contacts if row.row_id != other_than)
