"""Which rows of no customer (users, grids, parks, outage events) a manager's pulls bring.

Supervisors and administrators pull everything. A manager used to pull every ``user`` and
``grid`` row of the company too: at province scale (3,000 managers) that was 6,000 of the
8,800 rows of a manager's first sync, for a grid of 333 customers (issue 22). Now a manager
pulls, of the rows of no customer:

* every park, outage event and calendar row (few, and every device shows them),
* the grids they manage (a customer they see is in one of those: ``customer.grid_id`` never
  names another grid on their device),
* their own user row and every user who is not a manager (supervisors, specialists,
  administrators: the people who review, issue and create what a manager sees),
* and, with any page, the other managers its rows name (a visit of the grid's previous
  manager, a referral another manager created, ...): :func:`referenced_users`. A row on the
  device therefore never waits for a user it names. Such a user row arrives again when a
  later row names it; a change to it alone (a new display name) is not pushed to managers
  who do not otherwise see that user.

A grid given to the manager reaches them with the write that gives it (its new version names
them); a grid taken away is dropped by the device when its customers go (``/api/v1/access``
lists the manager's grids).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from functools import cache
from typing import Any

from sqlalchemy import Connection, and_, func, not_, or_, select

from keyacct_desktop.protocol import jsontext
from keyacct_desktop.protocol.codec import parse_uuid
from keyacct_desktop.protocol.rules import references_of
from keyacct_desktop.server.models import Account, SyncRow
from keyacct_desktop.store.models import MODEL_BY_TABLE


def _is_manager() -> Any:
    return func.coalesce(SyncRow.data["role"].as_string(), "") == "manager"


def global_rows(user_id: Any) -> Any:
    """The condition on ``sync_row`` for the rows of no customer the manager ``user_id`` (a
    UUID, or a bind parameter in a statement built once) pulls."""
    others_grid = and_(
        SyncRow.table_name == "grid",
        or_(SyncRow.manager_id.is_(None), SyncRow.manager_id != user_id),
    )
    other_manager = and_(
        SyncRow.table_name == "user",
        SyncRow.row_id != user_id,
        _is_manager(),
    )
    return and_(SyncRow.customer_id.is_(None), not_(others_grid), not_(other_manager))


@cache
def _user_fields() -> dict[str, tuple[str, ...]]:
    """``{table: (fields naming a user, ...)}`` of every synced table with such a field."""
    found: dict[str, tuple[str, ...]] = {}
    for table in MODEL_BY_TABLE:
        fields = tuple(ref.field for ref in references_of(table) if ref.table == "user")
        if fields:
            found[table] = fields
    return found


_FIELDS_MARK = tuple(f'"{field}"' for field in {f for fs in _user_fields().values() for f in fs})


def referenced_users(
    changes: Iterable[str],
    account: Account,
    memo: dict[str, frozenset[uuid.UUID]] | None = None,
) -> set[uuid.UUID]:
    """The users the rows of ``changes`` (change texts of a page) name, except the account's.

    ``memo`` keeps the users each change text names (``PullCache.named``): a text stands for
    one version of one row for good, and parsing the texts again was most of a warm pull's
    time (a manager's grid: ~1,800 of its ~3,000 rows name a user; 30 of 42 ms).
    """
    named: set[uuid.UUID] = set()
    for text in changes:
        users = memo.get(text) if memo is not None else None
        if users is None:
            users = _users_named(text)
            if memo is not None:
                memo[text] = users
        if users:
            named.update(users)
    named.discard(account.user_id)
    return named


def _users_named(text: str) -> frozenset[uuid.UUID]:
    """The users one change text names through its row's user fields."""
    if not any(mark in text for mark in _FIELDS_MARK):
        return frozenset()
    change = jsontext.loads(text)
    data = change.get("data") or {}
    named: set[uuid.UUID] = set()
    for field in _user_fields().get(change["table"], ()):
        value = data.get(field)
        if value:
            try:
                named.add(parse_uuid(str(value)))
            except ValueError:
                continue
    return frozenset(named)


def user_supplement(
    connection: Connection,
    account: Account,
    changes: list[str],
    change_texts: Callable[[list[int]], dict[int, str]],
    memo: dict[str, frozenset[uuid.UUID]] | None = None,
) -> list[str]:
    """The change texts of the managers ``changes`` name that a manager's pull leaves out
    (their current state), to go with the page."""
    named = sorted(referenced_users(changes, account, memo))
    if not named:
        return []
    versions: list[int] = []
    for start in range(0, len(named), 500):
        versions += connection.scalars(
            select(SyncRow.version).where(
                SyncRow.table_name == "user",
                SyncRow.row_id.in_(named[start : start + 500]),
                SyncRow.deleted.is_(False),
                _is_manager(),
            )
        ).all()
    texts = change_texts(sorted(versions))
    return [texts[version] for version in sorted(versions) if version in texts]


def manager_grid_list(connection: Connection, account: Account) -> list[str]:
    """The grids the account manages (``/api/v1/access``), as text."""
    return sorted(
        str(row_id)
        for row_id in connection.scalars(
            select(SyncRow.row_id).where(
                SyncRow.table_name == "grid",
                SyncRow.manager_id == account.user_id,
                SyncRow.deleted.is_(False),
            )
        )
    )
