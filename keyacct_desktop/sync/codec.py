"""Turning synced records into JSON documents and back, with validation.

Shared by the client and the server so both sides agree on every field's wire format:
UUIDs, dates and datetimes travel as ISO strings; everything else as plain JSON.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Text, Uuid, inspect

from keyacct_desktop.store.base import Synced
from keyacct_desktop.store.changelog import UNLOGGED_COLUMNS
from keyacct_desktop.store.models import MODEL_BY_TABLE

PROTOCOL_VERSION = 1


class FieldError(ValueError):
    """A field of a pushed record has the wrong name, type or size."""


@cache
def columns(table: str) -> dict[str, Any]:
    """Column objects by attribute key of a synced table (bookkeeping columns excluded)."""
    mapper = inspect(MODEL_BY_TABLE[table])
    return {
        attr.key: attr.columns[0]
        for attr in mapper.column_attrs
        if attr.key not in UNLOGGED_COLUMNS
    }


def to_wire(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def row_to_data(obj: Synced) -> dict[str, Any]:
    """Every synced field of a record, in wire format."""
    table = obj.__tablename__  # type: ignore[attr-defined]
    return {key: to_wire(getattr(obj, key)) for key in columns(table)}


def from_wire(table: str, key: str, value: Any) -> Any:
    """The Python value of one field; raises :class:`FieldError` when it does not fit."""
    column = columns(table).get(key)
    if column is None:
        raise FieldError(f"{table} has no field {key!r}")
    if value is None:
        if not column.nullable and key != "id":
            raise FieldError(f"{table}.{key} may not be empty")
        return None
    kind = column.type
    try:
        if isinstance(kind, Uuid):
            return uuid.UUID(str(value))
        if isinstance(kind, DateTime):
            return datetime.fromisoformat(str(value))
        if isinstance(kind, Date):
            return date.fromisoformat(str(value))
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
        if isinstance(kind, Float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError
            return float(value)
        if isinstance(kind, String | Text) and not isinstance(kind, JSON):
            if not isinstance(value, str):
                raise TypeError
            if getattr(kind, "length", None) and len(value) > kind.length:
                raise FieldError(f"{table}.{key} is longer than {kind.length} characters")
            return value
    except FieldError:
        raise
    except (TypeError, ValueError):
        raise FieldError(f"{table}.{key} has a value of the wrong type: {value!r}") from None
    return value  # JSON columns take any JSON value


def validate_fields(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check every field; returns the wire values unchanged (the server stores JSON)."""
    if table not in MODEL_BY_TABLE:
        raise FieldError(f"unknown table {table!r}")
    for key, value in fields.items():
        from_wire(table, key, value)
    return fields


def required_fields(table: str) -> set[str]:
    """Fields a new record must have: not nullable and without a default."""
    return {
        key
        for key, column in columns(table).items()
        if not column.nullable and column.default is None and key != "id"
    }
