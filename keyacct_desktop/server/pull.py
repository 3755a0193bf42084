"""Pull: the changes after a device's cursor that its account may see, a page at a time, several
devices' pulls sharing one versions query (``pull_group``)."""

from __future__ import annotations

import bisect
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    BigInteger,
    ColumnElement,
    Connection,
    Text,
    and_,
    any_,
    bindparam,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from keyacct_desktop.server import reach
from keyacct_desktop.server.access import grid_customers, restricted, visible_customers
from keyacct_desktop.server.accounts import AuthError, authenticate_many
from keyacct_desktop.server.models import (
    Account,
    Device,
    SyncRow,
)
from keyacct_desktop.server.rows import current_value


@dataclass
class PullPage:
    """One page of a pull: each change is its finished JSON text (see :class:`PullCache`)."""

    changes: list[str]
    cursor: int
    more: bool
    access_epoch: int
    server_time: str

    def to_json(self) -> bytes:
        """The answer body: ``{"changes": [...], "cursor", "more", "access_epoch", "server_time"}``."""
        tail = json.dumps(
            {
                "cursor": self.cursor,
                "more": self.more,
                "access_epoch": self.access_epoch,
                "server_time": self.server_time,
            }
        )
        return f'{{"changes":[{",".join(self.changes)}],{tail[1:]}'.encode()

    def as_dict(self) -> dict[str, Any]:
        return cast(dict[str, Any], json.loads(self.to_json()))


class PullCache:
    """The JSON text of row versions, shared by the pulls of every device (one per database).

    A version number names one state of one row for good: every write takes a new number. So
    the text of a change — with the stored JSON spliced in as is, never parsed and
    re-encoded — is built once and every pull that returns that version reuses it; a pull
    then reads only version numbers for what other devices already pulled (at 200 devices
    pulling the same new rows, most of a pull's cost otherwise). Lost on restart: a
    database restored under a running server would need a restart anyway.
    """

    LIMIT = 200_000  # entries (a few hundred bytes each); the cache starts over beyond it

    def __init__(self) -> None:
        self.changes: dict[int, str] = {}
        #: The users each cached change text names (``reach.referenced_users``).
        self.named: dict[str, frozenset[uuid.UUID]] = {}

    def get(self, version: int) -> str | None:
        return self.changes.get(version)

    def put(self, version: int, change: str) -> None:
        if len(self.changes) >= self.LIMIT:
            self.changes = {}
            self.named = {}
        self.changes[version] = change


def _dashed(row_id: str) -> str:
    """A UUID's canonical text: SQLite stores 32 hex digits, PostgreSQL gives it dashed."""
    if len(row_id) == 32:
        return f"{row_id[:8]}-{row_id[8:12]}-{row_id[12:16]}-{row_id[16:20]}-{row_id[20:]}"
    return row_id


#: Versions per ``IN (…)`` list when reading rows: well below SQLite's parameter limit.
_PULL_CHUNK = 500


#: The columns of a change, as plain text (no per-row conversion); table names are
#: ``MODEL_BY_TABLE`` keys, safe to splice.
_CHANGE_COLUMNS = (
    SyncRow.version,
    SyncRow.table_name,
    SyncRow.row_id.cast(Text),
    SyncRow.deleted,
    SyncRow.data.cast(Text),
)

#: The rows of some versions (lists of up to ``_PULL_CHUNK``).
_PULL_ROWS = select(*_CHANGE_COLUMNS).where(
    SyncRow.version.in_(bindparam("versions", expanding=True))
)

#: The same on PostgreSQL: the versions as one array parameter, a page in one query with no
#: list of parameters to render (a grid's 3,000-row first page: 32 -> 14 ms of the query).
_PULL_ROWS_ARRAY = select(*_CHANGE_COLUMNS).where(
    SyncRow.version == any_(bindparam("versions", type_=ARRAY(BigInteger)))
)


#: The versions supervisors and administrators pull, built once (its cache key is memoised).
_PULL_EVERYTHING = (
    select(SyncRow.version)
    .where(SyncRow.version > bindparam("cursor"))
    .order_by(SyncRow.version)
    .limit(bindparam("limit"))
)


def pull(
    session: Session,
    account: Account,
    cursor: int,
    limit: int,
    customer_ids: list[uuid.UUID] | None = None,
    cache: PullCache | None = None,
    access_epoch: int | None = None,
) -> PullPage:
    """Changes after ``cursor`` the account may see, oldest first; ``more`` says if a page follows.

    ``access_epoch``: the ``access`` counter, when the caller read it already.

    Cursor safety: versions come from the ``change`` counter row, which every writer locks
    until it commits, so versions become visible in commit order and ``version > cursor``
    never skips a change that commits later (docs/SYNC_PROTOCOL.md). The page's versions
    are read first, then the rows not in ``cache``; on PostgreSQL (READ COMMITTED) a row
    may have been written again in between: its old version is left out of this page, and
    its new one, committed later, is above this page's cursor and comes with the next pull.
    """
    cache = cache if cache is not None else PullCache()
    connection = session.connection()
    versions = _versions_after(connection, account, customer_ids, cursor, limit + 1)
    texts = _change_texts(connection, versions[:limit], cache)
    if access_epoch is None:
        access_epoch = current_value(session, "access")
    return _with_users(
        connection, account, _page(versions, cursor, limit, texts, access_epoch), cache
    )


def _with_users(
    connection: Connection, account: Account, page: PullPage, cache: PullCache
) -> PullPage:
    """A manager's page with the other managers its rows name (see :mod:`.reach`)."""
    if restricted(account) and page.changes:
        page.changes += reach.user_supplement(
            connection,
            account,
            page.changes,
            lambda versions: _change_texts(connection, versions, cache),
            cache.named,
        )
    return page


def _versions_statement(account: Account, customer_ids: list[uuid.UUID] | None) -> Any:
    """The versions above ``:cursor`` the account may see (of ``customer_ids`` if given); a
    manager's pull without a customer list takes its account as the parameter ``me``."""
    if customer_ids is None:
        return _manager_versions() if restricted(account) else _PULL_EVERYTHING
    visible = visible_customers(account)
    owned: ColumnElement[bool] = SyncRow.customer_id.in_(customer_ids)
    if visible is not None:
        owned = and_(owned, SyncRow.customer_id.in_(visible))
    return _merged([owned])


#: The account of a manager's versions statement (:func:`_manager_versions`).
_ME = bindparam("me", type_=SyncRow.manager_id.type)


@cache
def _manager_versions() -> Any:
    """The versions a manager pulls: rows of no customer (:func:`reach.global_rows`) and rows
    of the customers of their grids. Built once, the account a parameter: built for every
    pull, the statement and its cache key were ~40 % of a no-op pull's CPU (issue 22)."""
    return _merged([reach.global_rows(_ME), SyncRow.customer_id.in_(grid_customers(_ME))])


def _merged(conditions: list[ColumnElement[bool]]) -> Any:
    """The first ``:limit`` versions above ``:cursor`` that meet any of ``conditions``.

    Each part is a range scan of the (customer_id, version) index, so a pull costs what it
    returns. One filter over the version index instead walks every row above the cursor: at
    a million customers a manager's first pull read the whole table (docs/BENCHMARKS.md).
    """
    parts = [
        select(SyncRow.version)
        .where(condition, SyncRow.version > bindparam("cursor"))
        .order_by(SyncRow.version)
        .limit(bindparam("limit"))
        .subquery()
        for condition in conditions
    ]
    merged = union_all(*(select(part.c.version) for part in parts)).subquery()
    return select(merged.c.version).order_by(merged.c.version).limit(bindparam("limit"))


def _versions_after(
    connection: Connection,
    account: Account,
    customer_ids: list[uuid.UUID] | None,
    cursor: int,
    count: int,
) -> list[int]:
    """The first ``count`` versions above ``cursor`` the account may see, ascending."""
    statement = _versions_statement(account, customer_ids)
    parameters: dict[str, Any] = {"cursor": cursor, "limit": count}
    if statement is _manager_versions():
        parameters["me"] = account.user_id
    # ``all()`` fetches every row at once: iterating a result fetches them one call at a time
    # (on psycopg most of a pull's cost when it returns a few hundred versions).
    return list(connection.scalars(statement, parameters).all())


def _change_texts(connection: Connection, versions: list[int], cache: PullCache) -> dict[int, str]:
    """The JSON text of each version's change: from ``cache``, else read (and cached).

    A version missing from the answer was written again since it was listed (see :func:`pull`).
    """
    found = {version: change for version in versions if (change := cache.get(version))}
    missing = sorted({version for version in versions if version not in found})
    array = connection.dialect.name == "postgresql"
    step = (len(missing) or 1) if array else _PULL_CHUNK
    for start in range(0, len(missing), step):
        chunk = missing[start : start + step]
        for version, table, row_id, deleted, data in connection.execute(
            _PULL_ROWS_ARRAY if array else _PULL_ROWS, {"versions": chunk}
        ).all():
            change = (
                f'{{"table":"{table}","id":"{_dashed(row_id)}","version":{version},'
                f'"deleted":{"true" if deleted else "false"},"data":{data or "null"}}}'
            )
            found[version] = change
            cache.put(version, change)
    return found


def _page(
    versions: list[int], cursor: int, limit: int, texts: dict[int, str], access_epoch: int
) -> PullPage:
    """The page of the first ``limit + 1`` versions above ``cursor`` (one more says "more")."""
    more = len(versions) > limit
    versions = versions[:limit]
    return PullPage(
        changes=[texts[version] for version in versions if version in texts],
        cursor=versions[-1] if versions else cursor,
        more=more,
        access_epoch=access_epoch,
        server_time=datetime.now(UTC).isoformat(),  # with offset: time zones never skew
    )


@dataclass
class PullRequest:
    """One device's pull waiting for its group: bearer token, cursor, page size, filter."""

    token: str | None
    cursor: int
    limit: int
    customer_ids: list[uuid.UUID] | None = None


def pull_group(
    session: Session, requests: list[PullRequest], cache: PullCache | None = None
) -> list[PullPage | Exception]:
    """Several pulls in the caller's one transaction, answered exactly as one by one.

    One query authenticates them all and the ``access`` counter is read once. Pulls that see
    the same rows (the same account filter, no customer list) and whose cursors are near one
    another share one versions query and one read of the rows, instead of a transaction, an
    authentication, two queries and a counter read each (see :func:`_shared_pulls`).

    Returns, per request, its page or the exception that failed it (:class:`AuthError` for a
    bad token); if any pull fails unexpectedly, the group's savepoint is rolled back and each
    pull runs again in its own, so only that one fails.
    """
    cache = cache if cache is not None else PullCache()
    signed_in = authenticate_many(session, [request.token for request in requests])
    access_epoch = current_value(session, "access")
    pending = {i: who for i, who in enumerate(signed_in) if not isinstance(who, AuthError)}
    pages: dict[int, PullPage | Exception]
    try:
        with session.begin_nested():
            pages = dict(_shared_pulls(session, requests, pending, cache, access_epoch))
    except Exception:  # some pull failed: redo them one by one, so that it fails alone
        pages = {
            index: _pull_alone(session, requests[index], account, cache, access_epoch)
            for index, (account, _device) in pending.items()
        }
    return [
        who if isinstance(who, AuthError) else pages[index] for index, who in enumerate(signed_in)
    ]


def _pull_alone(
    session: Session, request: PullRequest, account: Account, cache: PullCache, access_epoch: int
) -> PullPage | Exception:
    """One pull in its own savepoint: its page, or the error that failed it alone."""
    try:
        with session.begin_nested():
            return pull(
                session,
                account,
                request.cursor,
                request.limit,
                request.customer_ids,
                cache,
                access_epoch,
            )
    except Exception as error:  # rolled back to the savepoint; the group goes on
        return error


#: Pulls share a versions query when their cursors are at most this far below the highest
#: cursor of their kind: the shared query then reads at most this many versions more than
#: the largest page (a device far behind, e.g. on its first sync, pulls on its own).
SHARED_PULL_SPAN = 2000


def _shared_pulls(
    session: Session,
    requests: list[PullRequest],
    signed_in: dict[int, tuple[Account, Device]],
    cache: PullCache,
    access_epoch: int,
) -> dict[int, PullPage]:
    """The pages of ``signed_in`` requests (by index), with as few queries as possible.

    Requests are grouped by what they may see: everything (supervisors, administrators) or
    one manager's customers; a request with a customer list pulls on its own. Within a kind,
    the requests near the highest cursor share one query from the lowest of their cursors,
    with a limit of (highest − lowest cursor) + the largest page + 1. Versions are distinct
    integers, so at most (highest − lowest) of them lie between the two cursors, and every
    request finds its ``limit + 1`` next versions in the answer, or the answer reaches the
    newest version: its page is exactly what its own query would return.
    """
    connection = session.connection()
    kinds: dict[Any, list[int]] = {}
    alone: list[int] = []
    for index, (account, _device) in signed_in.items():
        if requests[index].customer_ids is not None:
            alone.append(index)
        else:
            kind = account.user_id if restricted(account) else None
            kinds.setdefault(kind, []).append(index)
    windows: dict[int, list[int]] = {}  # per request: its first limit + 1 versions
    for members in kinds.values():
        highest = max(requests[index].cursor for index in members)
        near = [i for i in members if requests[i].cursor >= highest - SHARED_PULL_SPAN]
        alone += [i for i in members if requests[i].cursor < highest - SHARED_PULL_SPAN]
        lowest = min(requests[index].cursor for index in near)
        largest = max(requests[index].limit for index in near)
        account = signed_in[near[0]][0]
        shared = _versions_after(connection, account, None, lowest, highest - lowest + largest + 1)
        for index in near:
            first = bisect.bisect_right(shared, requests[index].cursor)
            windows[index] = shared[first : first + requests[index].limit + 1]
    for index in alone:
        request = requests[index]
        windows[index] = _versions_after(
            connection,
            signed_in[index][0],
            request.customer_ids,
            request.cursor,
            request.limit + 1,
        )
    wanted = [
        version for index, window in windows.items() for version in window[: requests[index].limit]
    ]
    texts = _change_texts(connection, wanted, cache)
    return {
        index: _with_users(
            connection,
            signed_in[index][0],
            _page(window, requests[index].cursor, requests[index].limit, texts, access_epoch),
            cache,
        )
        for index, window in windows.items()
    }
