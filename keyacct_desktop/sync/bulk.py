"""Inserting thousands of pulled rows at the speed of the SQLite driver (issue 22).

A pull inserts every row into the inbox, into its table, and as its merge base (a first pull
skips the inbox: ``sync.first_pull``). SQLAlchemy's ``session.execute(insert(table), rows)`` spends
most of that time building and converting the parameters of each row in Python; here each
column's bind conversion is looked up once and the rows go to the driver's ``executemany``
as plain tuples — the same values SQLAlchemy would have bound.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session


def insert_rows(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    encoders: dict[str, Callable[[Any], Any]] | None = None,
) -> None:
    """``INSERT`` ``rows`` (dicts with the same keys) into ``table`` with one executemany.

    ``encoders``: per column, the function that turns a value into what the driver stores, in
    place of the column type's own (the merge bases' JSON: ``protocol.jsontext.dumps``).

    Columns the rows leave out get their Python-side default (a scalar, or a callable that
    takes no context, such as ``utcnow``) computed once for the batch; any other kind of
    default, or a dialect other than SQLite, takes SQLAlchemy's own path.
    """
    if not rows:
        return
    connection = session.connection()
    dialect = connection.dialect
    names = list(rows[0])
    extra: dict[str, Any] = {}
    for column in table.columns:
        if column.name in rows[0] or column.default is None:
            continue
        default: Any = column.default
        if default.is_scalar:
            extra[column.name] = default.arg
        elif default.is_callable:
            extra[column.name] = default.arg(None)
        else:
            session.execute(insert(table), rows)
            return
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        session.execute(insert(table), rows)
        return
    encoders = encoders or {}
    converters: list[Callable[[Any], Any] | None] = [
        encoders.get(name) or table.c[name].type._cached_bind_processor(dialect) for name in names
    ]
    extra_values = tuple(
        convert(value) if (convert := table.c[name].type._cached_bind_processor(dialect)) else value
        for name, value in extra.items()
    )
    quoted = ", ".join(dialect.identifier_preparer.quote(name) for name in [*names, *extra])
    marks = ", ".join("?" for _ in range(len(names) + len(extra)))
    statement = (
        f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({quoted}) VALUES ({marks})"
    )
    # Only the columns with a conversion (uuids, dates, JSON) are touched value by value.
    convert_at: list[tuple[int, Callable[[Any], Any]]] = [
        (i, to) for i, to in enumerate(converters) if to is not None
    ]
    pick = itemgetter(*names)
    parameters: list[tuple[Any, ...]] = []
    for row in rows:
        picked = pick(row)
        values = list(picked) if len(names) > 1 else [picked]
        for i, to in convert_at:
            values[i] = to(values[i])
        parameters.append((*values, *extra_values))
    connection.exec_driver_sql(statement, parameters)
