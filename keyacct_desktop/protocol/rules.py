"""The integrity rules of synced records, derived once from the device store's models.

The server checks every pushed row against exactly the constraints a device's SQLite store
enforces when it applies that row, so it never stores a row a device cannot apply (a foreign
key to nothing, an integer beyond 64 bits, a missing required value, a duplicate 户号). The
rules are read from the SQLAlchemy models of ``store.models`` — nullability, ``String``
lengths, integer and float columns, foreign keys and their target tables, unique columns and
unique constraints — so there is no hand-written copy to drift; a device can use the same
functions to refuse an edit before it is queued.

Beyond what SQLite itself checks, ``Text`` and ``JSON`` columns get a sane maximum size
(:data:`MAX_TEXT_CHARS`, :data:`MAX_JSON_CHARS`): a 30-million-character field would otherwise
be downloaded by every device of the grid.

Refusal codes (docs/SYNC_PROTOCOL.md, "Integrity rules"): ``required``, ``invalid_value``,
``missing_reference``, ``parent_refused``, ``duplicate_key``, ``forbidden_reach``,
``forbidden_table``, ``unknown_table``, ``frozen``, ``grid_required``.
"""

from __future__ import annotations

import json
import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)

from keyacct_desktop.protocol.codec import columns
from keyacct_desktop.protocol.labels import field_label, table_label
from keyacct_desktop.store.models import MODEL_BY_TABLE

#: Longest value of a ``Text`` column, in characters (a long visit report is ~5 000).
MAX_TEXT_CHARS = 50_000
#: Longest value of a ``JSON`` column, as encoded JSON text (a checklist snapshot is ~20 000).
MAX_JSON_CHARS = 500_000
#: SQLite's INTEGER (and PostgreSQL's BIGINT): signed 64 bits.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1

#: Soft references (no foreign key in the store, but a row they must name): the attachment's
#: owner and the record a conflict is about, as (table field, id field).
SOFT_REFERENCES = {
    "attachment": ("owner_table", "owner_id"),
    "sync_conflict": ("table_name", "row_id"),
}


@dataclass(frozen=True)
class Problem:
    """One field that breaks a rule: its refusal ``code`` and an English explanation."""

    code: str  # "required" or "invalid_value"
    field: str
    message: str


@dataclass(frozen=True)
class Reference:
    """A foreign key of a synced table: ``field`` names a row of ``table``."""

    field: str
    table: str
    cascade: bool  # ON DELETE CASCADE: the row goes when the row it names is deleted


@dataclass(frozen=True)
class TableRules:
    """Everything the store enforces on one synced table."""

    table: str
    checks: dict[str, Callable[[Any], Problem | None]]
    required: frozenset[str]
    references: tuple[Reference, ...]
    unique_keys: tuple[tuple[str, ...], ...]

    def reference(self, field: str) -> Reference | None:
        for reference in self.references:
            if reference.field == field:
                return reference
        return None


def _check(table: str, key: str, column: Any) -> Callable[[Any], Problem | None]:
    """The value check of one column (``None`` is checked by :func:`field_problems`)."""
    kind = column.type
    wrong = f"{table}.{key} has a value of the wrong type"

    def bad(message: str = wrong) -> Problem:
        return Problem("invalid_value", key, message)

    if isinstance(kind, Uuid):

        def is_uuid(value: Any) -> Problem | None:
            if not isinstance(value, str):
                return bad()
            try:
                uuid.UUID(value)
            except ValueError:
                return bad()
            return None

        return is_uuid
    if isinstance(kind, DateTime | Date):
        parse: Callable[[str], Any] = (
            datetime.fromisoformat if isinstance(kind, DateTime) else date.fromisoformat
        )

        def is_time(value: Any) -> Problem | None:
            if not isinstance(value, str) or len(value) > 40:
                return bad()
            try:
                parse(value)
            except ValueError:
                return bad()
            return None

        return is_time
    if isinstance(kind, Boolean):
        return lambda value: None if isinstance(value, bool) else bad()
    if isinstance(kind, Integer):
        out_of_range = f"{table}.{key} is outside the 64-bit integer range"

        def is_integer(value: Any) -> Problem | None:
            if isinstance(value, bool) or not isinstance(value, int):
                return bad()
            if not INT64_MIN <= value <= INT64_MAX:
                return bad(out_of_range)
            return None

        return is_integer
    if isinstance(kind, Float):
        not_finite = f"{table}.{key} is not a finite number"

        def is_real(value: Any) -> Problem | None:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return bad()
            try:
                if not math.isfinite(float(value)):
                    return bad(not_finite)
            except OverflowError:
                return bad(not_finite)
            return None

        return is_real
    if isinstance(kind, JSON):
        too_big = f"{table}.{key} is larger than {MAX_JSON_CHARS} characters"

        def is_json(value: Any) -> Problem | None:
            try:
                text = json.dumps(value, allow_nan=False, ensure_ascii=False)
            except (TypeError, ValueError):  # NaN, Infinity
                return bad(f"{table}.{key} holds a value JSON cannot carry (NaN, Infinity)")
            if len(text) > MAX_JSON_CHARS or "\x00" in text or "\\u0000" in text:
                return bad(too_big)
            return None

        return is_json
    if isinstance(kind, String | Text):
        length = getattr(kind, "length", None) or MAX_TEXT_CHARS
        too_long = f"{table}.{key} is longer than {length} characters"

        def is_text(value: Any) -> Problem | None:
            if not isinstance(value, str):
                return bad()
            if len(value) > length:
                return bad(too_long)
            if "\x00" in value:  # PostgreSQL text cannot hold it
                return bad(f"{table}.{key} contains a NUL character")
            return None

        return is_text
    return lambda value: None


def _unique_keys(table: str) -> tuple[tuple[str, ...], ...]:
    """Unique columns and unique constraints, as tuples of attribute keys."""
    model = MODEL_BY_TABLE[table]
    by_column = {column.name: key for key, column in columns(table).items()}
    keys: list[tuple[str, ...]] = []
    for key, column in columns(table).items():
        if column.unique and key != "id":
            keys.append((key,))
    for constraint in model.__table__.constraints:  # type: ignore[attr-defined]
        if isinstance(constraint, UniqueConstraint):
            names = tuple(by_column[c.name] for c in constraint.columns)
            if names not in keys:
                keys.append(names)
    return tuple(keys)


@cache
def rules(table: str) -> TableRules:
    """The rules of a synced table (built once)."""
    found = columns(table)
    references = []
    for key, column in found.items():
        for foreign in column.foreign_keys:
            references.append(
                Reference(
                    key,
                    foreign.column.table.name,
                    (foreign.ondelete or "").upper() == "CASCADE",
                )
            )
    return TableRules(
        table=table,
        checks={key: _check(table, key, column) for key, column in found.items()},
        required=frozenset(
            key
            for key, column in found.items()
            if not column.nullable and column.default is None and key != "id"
        ),
        references=tuple(references),
        unique_keys=_unique_keys(table),
    )


@cache
def not_nullable(table: str) -> frozenset[str]:
    return frozenset(
        key for key, column in columns(table).items() if not column.nullable and key != "id"
    )


def field_problems(table: str, fields: dict[str, Any]) -> list[Problem]:
    """Every field of ``fields`` that breaks a rule (unknown names, types, sizes, ranges, an
    empty value where the store needs one); ``table`` must be a synced table."""
    checks = rules(table).checks
    required = not_nullable(table)
    problems = []
    for key, value in fields.items():
        check = checks.get(key)
        if check is None:
            problems.append(Problem("invalid_value", key, f"{table} has no field {key!r}"))
        elif value is None:
            if key in required:
                problems.append(Problem("required", key, f"{table}.{key} may not be empty"))
        elif (problem := check(value)) is not None:
            problems.append(problem)
    return problems


def missing_fields(table: str, data: dict[str, Any]) -> list[str]:
    """Required fields a new record lacks (not nullable and without a default)."""
    return sorted(key for key in rules(table).required if data.get(key) is None)


def references_of(table: str) -> tuple[Reference, ...]:
    return rules(table).references


def dependents_of(table: str) -> tuple[tuple[str, Reference], ...]:
    """The (table, reference) pairs that name rows of ``table``, e.g. contact.customer_id."""
    return _dependents().get(table, ())


@cache
def _dependents() -> dict[str, tuple[tuple[str, Reference], ...]]:
    found: dict[str, list[tuple[str, Reference]]] = {}
    for child in MODEL_BY_TABLE:
        for reference in rules(child).references:
            found.setdefault(reference.table, []).append((child, reference))
    return {table: tuple(pairs) for table, pairs in found.items()}


# --------------------------------------------------------------------------- messages

#: Who may write a table that is not everybody's (``forbidden_table``), as the manager reads it.
WRITERS_ZH = {"visit_review": "业务专员和管理员"}


def message_zh(code: str, table: str, fields: list[str], referrers: list[str] | None = None) -> str:
    """The Chinese explanation of a refusal, naming the fields as the manager knows them
    (and, for ``referenced``, the kinds of records that still name the row)."""
    kind = table_label(table)
    names = "、".join(field_label(name) for name in fields)
    if code == "frozen" and table == "attachment":
        return "附件的内容不能更换,请把新文件作为新附件添加"
    naming = "、".join(table_label(name) for name in referrers or [])
    texts = {
        "unknown_table": "服务器不认识这类记录,请升级服务器",
        "forbidden_table": f"只有{WRITERS_ZH.get(table, '主管和管理员')}可以修改{kind}",
        "forbidden_reach": f"{kind}涉及您无权访问的记录" + (f"({names})" if names else ""),
        "required": f"{kind}缺少必填内容:{names}",
        "invalid_value": f"{kind}的内容不符合要求(类型、范围或长度):{names}",
        "missing_reference": f"{kind}引用的记录不存在或已删除:{names}",
        "parent_refused": f"{kind}所属的记录未被服务器接受,须先处理那条记录",
        "duplicate_key": f"{kind}的{names}已被另一条记录使用",
        "frozen": f"{kind}已出具(可能是在其他设备上),出具后不能再修改或删除;"
        "本机的修改未被采纳,如需更正请出具新版本",
        "grid_required": "客户经理只能在自己的网格中新建客户,请选择您负责的网格",
        "referenced": f"{kind}仍被其他记录引用"
        + (f"({naming})" if naming else "")
        + ",不能删除;本机已恢复这条记录,如确需删除请先解除那些记录中的引用",
    }
    return texts.get(code, "服务器拒绝了这项修改")
