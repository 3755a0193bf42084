"""Turning synced records into JSON documents and back, with validation.

Shared by the client and the server so both sides agree on every field's wire format:
UUIDs, dates and datetimes travel as ISO strings; everything else as plain JSON.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, String, Text, Uuid
from sqlalchemy.orm import class_mapper

from keyacct_desktop.store.base import Synced
from keyacct_desktop.store.changelog import UNLOGGED_COLUMNS
from keyacct_desktop.store.models import MODEL_BY_TABLE

#: ``uuid.UUID(text)``, remembered: a page names the same customers, grids and users again and
#: again (a grid's first pull: 11,000 ids, 3,500 distinct), and parsing is 1-2 µs each.
#: UUIDs are immutable, so the rows of a page share them safely.
parse_uuid: Callable[[str], uuid.UUID] = lru_cache(maxsize=1 << 14)(uuid.UUID)


class FieldError(ValueError):
    """A field of a pushed record has the wrong name, type or size."""


@cache
def columns(table: str) -> dict[str, Any]:
    """Column objects by attribute key of a synced table (bookkeeping columns excluded)."""
    mapper = class_mapper(MODEL_BY_TABLE[table])
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


def _decoder(table: str, key: str, column: Any) -> Callable[[Any], Any]:
    """:func:`from_wire` for one column, as one small function (a single call per value)."""
    kind = column.type
    nullable = column.nullable or key == "id"
    empty = f"{table}.{key} may not be empty"
    wrong = f"{table}.{key} has a value of the wrong type: "

    def none() -> None:
        if not nullable:
            raise FieldError(empty)
        return None

    if isinstance(kind, Uuid | DateTime | Date):
        parse: Callable[[str], Any] = (
            parse_uuid
            if isinstance(kind, Uuid)
            else datetime.fromisoformat
            if isinstance(kind, DateTime)
            else date.fromisoformat
        )

        def parsed(value: Any) -> Any:
            if value is None:
                return none()
            try:
                return parse(str(value))
            except (TypeError, ValueError):
                raise FieldError(wrong + repr(value)) from None

        return parsed
    if isinstance(kind, Boolean):

        def boolean(value: Any) -> Any:
            if value is None:
                return none()
            if not isinstance(value, bool):
                raise FieldError(wrong + repr(value))
            return value

        return boolean
    if isinstance(kind, Integer):

        def integer(value: Any) -> Any:
            if value is None:
                return none()
            if isinstance(value, bool) or not isinstance(value, int):
                raise FieldError(wrong + repr(value))
            return value

        return integer
    if isinstance(kind, Float):

        def real(value: Any) -> Any:
            if value is None:
                return none()
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise FieldError(wrong + repr(value))
            return float(value)

        return real
    if isinstance(kind, String | Text) and not isinstance(kind, JSON):
        length = getattr(kind, "length", None)
        too_long = f"{table}.{key} is longer than {length} characters"

        def text(value: Any) -> Any:
            if value is None:
                return none()
            if not isinstance(value, str):
                raise FieldError(wrong + repr(value))
            if length and len(value) > length:
                raise FieldError(too_long)
            return value

        return text

    def anything(value: Any) -> Any:  # JSON columns take any JSON value
        return none() if value is None else value

    return anything


@cache
def decoders(table: str) -> dict[str, Callable[[Any], Any]]:
    """Per field of a synced table, a function doing :func:`from_wire` for that field.

    Built once per table, so decoding tens of thousands of pulled rows (and validating
    pushed ones) does not re-inspect column types for every value.
    """
    return {key: _decoder(table, key, column) for key, column in columns(table).items()}


@cache
def encoders(table: str) -> dict[str, Callable[[Any], Any] | None]:
    """Per field, the function :func:`to_wire` amounts to for its column type (``None``: the
    value travels as it is), so pushing many rows skips the type tests per value."""
    result: dict[str, Callable[[Any], Any] | None] = {}
    for key, column in columns(table).items():
        kind = column.type
        if isinstance(kind, Uuid):
            result[key] = str
        elif isinstance(kind, DateTime | Date):
            result[key] = _isoformat
        else:
            result[key] = (
                None if isinstance(kind, String | Text | Integer | Float | Boolean) else to_wire
            )
    return result


def _isoformat(value: date) -> str:
    return value.isoformat()


def from_wire(table: str, key: str, value: Any) -> Any:
    """The Python value of one field; raises :class:`FieldError` when it does not fit."""
    decode = decoders(table).get(key)
    if decode is None:
        raise FieldError(f"{table} has no field {key!r}")
    return decode(value)


def validate_fields(table: str, fields: dict[str, Any]) -> dict[str, Any]:
    """Check every field; returns the wire values unchanged (the server stores JSON)."""
    if table not in MODEL_BY_TABLE:
        raise FieldError(f"unknown table {table!r}")
    known = decoders(table)
    for key, value in fields.items():
        decode = known.get(key)
        if decode is None:
            raise FieldError(f"{table} has no field {key!r}")
        decode(value)
    return fields


@cache
def required_fields(table: str) -> frozenset[str]:
    """Fields a new record must have: not nullable and without a default (computed once per
    table: the server asks for every record a push creates)."""
    return frozenset(
        key
        for key, column in columns(table).items()
        if not column.nullable and column.default is None and key != "id"
    )
