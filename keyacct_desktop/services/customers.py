"""Customer list and lookup: what the customer table and the search box need.

The list is id-first (after Anki's browser): a query returns the ordered ids of matching
customers, and rows are loaded in small blocks only when the view shows them.

A keystroke in the search box needs the first screenful, not every match: a one-character
search matches most of 100,000 customers, and collecting and sorting them all took most of a
second. :meth:`CustomerDirectory.first_page` finds the first page alone — by walking the sort
order while matches are dense, from the search index when they are sparse — and the list
counts the matches (:meth:`CustomerDirectory.count`) and reads later pages
(:meth:`CustomerDirectory.page`) afterwards, when it needs them.
"""

from __future__ import annotations

import string
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import partial
from types import SimpleNamespace
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Select,
    case,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy import text as text_clause
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnClause

from keyacct_desktop.services.customer_profile import risk_flags
from keyacct_desktop.services.customer_quality import (
    KIND_BITS,
    KINDS_FUNCTION,
    SCORE_FUNCTION,
    QualityIndex,
    quality_index,
)
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Customer, Grid, Park

#: Sort keys offered by the list, mapped to columns.
SORT_COLUMNS = {
    "name": Customer.name,
    "account_no": Customer.account_no,
    "annual_kwh": Customer.annual_kwh,
    "capacity_kva": Customer.capacity_kva,
    "voltage_kv": Customer.voltage_kv,
    "pyramid_class": Customer.pyramid_class,
}


@dataclass(frozen=True)
class CustomerQuery:
    """What the user asked the list for. Empty fields do not filter."""

    text: str = ""
    pyramid_classes: tuple[str, ...] = ()
    grid_id: uuid.UUID | None = None
    park_id: uuid.UUID | None = None
    voltage_kv: float | None = None
    risk_only: bool = False
    #: Only customers whose data-quality score is below this (``data_quality.assess``).
    quality_below: int | None = None
    #: Only customers with a data-quality problem of this kind (a code of ``data_quality.KINDS``).
    quality_kind: str | None = None
    sort: str = "name"
    descending: bool = False


@dataclass(frozen=True)
class CustomerRow:
    """One line of the customer list (plain data, safe to hand to the GUI)."""

    id: uuid.UUID
    account_no: str
    name: str
    uscc: str | None
    park: str | None
    grid: str | None
    industry: str | None
    voltage_kv: float | None
    capacity_kva: float | None
    annual_kwh: float | None
    pyramid_class: str | None
    important_grade: str | None
    credit_rating: str | None
    overdue_count: int
    pool_status: str
    tags: tuple[str, ...] = field(default=())
    #: Each arrears/credit risk indicator as (zh, en) (``customer_profile.risk_flags``).
    risk_flags: tuple[tuple[str, str], ...] = field(default=())


#: Ids the list reads first: what a keystroke waits for (a screenful and some).
FIRST_PAGE = 50
#: Matches counted at most to choose how to read the first page; below this the count is
#: also the total, so the list need not count again.
COUNT_CAP = 10_000
#: Up to this many matches, the first page reads them all from the index and sorts them.
FEW_HITS = 1000
#: Customers of the list order a dense search (``COUNT_CAP`` matches or more) checks
#: before it gives up walking (the matches are then bunched further down the list).
DENSE_WALK = 4000
#: Entries of the sort column's index a search of some thousand matches reads through
#: before it sorts the matches instead (they are bunched further down the list).
MERGE_WALK = 10_000

#: The FTS5 trigram index of customers (migration 0007): one document per customer rowid.
_SEARCH = table("customer_search", column("rowid"), column("body"))
#: FTS5's own copy of those documents (``<table>_content``), read by rowid while walking.
_DOCUMENTS = table("customer_search_content", column("id"), column("c0"))
#: Single characters and pairs of the same documents (migration 0008), as hex tokens;
#: none with a digit or a space (see :func:`_scanned`).
_GRAMS = table("customer_grams", column("rowid"), column("grams"))
#: Trigram tokens are three characters; shorter text is looked up in ``customer_grams``.
_TRIGRAM = 3
_ROWID: ColumnClause[Any] = literal_column("customer.rowid")
#: The rowid in a condition SQLite must not use as an index (``+``): it then walks the
#: index of the sort column and checks each row against the list of matches.
_ROWID_UNINDEXED: ColumnClause[Any] = literal_column("+customer.rowid")
_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)

#: How a page is read (see :meth:`CustomerDirectory.first_page`).
Plan = Literal["hits", "merge", "documents"]


@dataclass(frozen=True)
class IdPage:
    """Ids of one page of the list, in display order.

    Attributes:
        ids: the page.
        more: whether more customers match after this page.
        total: how many customers match, when the page could tell without counting them
            all (``None``: ask :meth:`CustomerDirectory.count`).
        plan: how the page was read; pass it to :meth:`CustomerDirectory.page` for the
            next pages (any plan gives the same ids, this one is the quick one).
    """

    ids: list[uuid.UUID]
    more: bool
    total: int | None = None
    plan: Plan = "hits"


def _fold(text: str) -> str:
    """ASCII lower case, as SQLite's ``lower()`` and both search indexes fold it."""
    return text.translate(_ASCII_LOWER)


def _walkable(text: str) -> bool:
    """Whether ``instr`` on the lower-cased document finds what the index finds for ``text``.

    True unless ``text`` has a non-ASCII letter with case (the trigram index folds those,
    ``lower()`` does not); Chinese, digits and ASCII letters qualify.
    """
    return all(ord(char) < 128 or char.lower() == char.upper() for char in text)


def _scanned(text: str) -> bool:
    """Whether ``text`` is found by reading every document: one or two characters with a
    digit, which the grams index leaves out (they match nearly every customer anyway)."""
    return len(text) < _TRIGRAM and any(char.isdigit() for char in text)


def _search_rowids(text: str) -> Select:
    """Rowids of customers whose name, account no., USCC or a contact matches ``text``."""
    if len(text) >= _TRIGRAM:
        phrase = '"' + text.replace('"', '""') + '"'
        return select(_SEARCH.c.rowid).where(
            text_clause("customer_search MATCH :phrase").bindparams(phrase=phrase)
        )
    if _scanned(text):
        folded = _fold(text)
        return select(_DOCUMENTS.c.id).where(func.instr(func.lower(_DOCUMENTS.c.c0), folded) > 0)
    token = _fold(text).encode("utf-8").hex().upper()  # as migration 0008 writes the grams
    return select(_GRAMS.c.rowid).where(
        text_clause("customer_grams MATCH :gram").bindparams(gram=token)
    )


def _joined_rowids(text: str, limit: int) -> Select:
    """Up to ``limit`` rowids matching ``text`` as one string: a row each costs more."""
    matches = _search_rowids(text).limit(limit).subquery()
    return select(func.group_concat(matches.c.rowid))


def _rowid_list(joined: str | None) -> list[int]:
    return [int(rowid) for rowid in joined.split(",")] if joined else []


def _document_has(text: str, document: Any) -> ColumnElement[bool]:
    """``document`` contains ``text`` as the indexes see it (only for :func:`_walkable`)."""
    folded = _fold(text)
    if folded == text.lower() and folded == text.upper():  # no letters: no case to fold
        return func.instr(document, text) > 0
    return func.instr(func.lower(document), folded) > 0


def risk_condition() -> Any:
    """SQL for "an arrears or credit risk" — the same rules as ``overview.risk_reasons``."""
    from keyacct_desktop.services import overview as rules

    return or_(
        Customer.credit_rating.in_(rules.RISK_RATINGS),
        Customer.recovery_rate < rules.RISK_RECOVERY_RATE,
        Customer.on_time_rate < rules.RISK_ON_TIME_RATE,
        Customer.overdue_count >= rules.RISK_OVERDUE_COUNT,
        Customer.violation_count > 0,
        Customer.operating_trouble.is_(True),
    )


def _filters(query: CustomerQuery) -> list[ColumnElement[bool]]:
    """The conditions of ``query`` other than the search text."""
    conditions: list[ColumnElement[bool]] = []
    if query.pyramid_classes:
        effective = func.coalesce(Customer.pyramid_override, Customer.pyramid_class)
        conditions.append(effective.in_(query.pyramid_classes))
    if query.grid_id is not None:
        conditions.append(Customer.grid_id == query.grid_id)
    if query.park_id is not None:
        conditions.append(Customer.park_id == query.park_id)
    if query.voltage_kv is not None:
        conditions.append(Customer.voltage_kv == query.voltage_kv)
    if query.risk_only:
        conditions.append(risk_condition())
    if query.quality_below is not None:
        conditions.append(getattr(func, SCORE_FUNCTION)(_ROWID) < query.quality_below)
    if query.quality_kind is not None:
        bit = KIND_BITS[query.quality_kind]
        conditions.append(getattr(func, KINDS_FUNCTION)(_ROWID).op("&")(bit) != 0)
    return conditions


def _uses_quality(query: CustomerQuery | None) -> bool:
    return query is not None and (query.quality_below is not None or query.quality_kind is not None)


def _apply_query(statement: Select, query: CustomerQuery) -> Select:
    text = query.text.strip()
    if text:
        statement = statement.where(_ROWID.in_(_search_rowids(text)))
    return statement.where(*_filters(query))


def _sort_key(query: CustomerQuery) -> Any:
    return SORT_COLUMNS.get(query.sort, Customer.name)


def _order(query: CustomerQuery, key: Any, rowid: Any) -> list[Any]:
    """List order: the sort column, then the rowid (ties in insertion order), both one way.

    Both one way, so an index on the sort column (which holds the rowid) gives the order.
    """
    if query.descending:
        return [key.desc(), rowid.desc()]
    return [key.asc(), rowid.asc()]


#: What ``customer_profile.risk_flags`` reads of a customer, loaded with each list row.
_FLAG_COLUMNS = (
    Customer.credit_rating,
    Customer.recovery_rate,
    Customer.on_time_rate,
    Customer.overdue_count,
    Customer.overdue_days_max,
    Customer.violation_count,
    Customer.high_energy,
    Customer.operating_trouble,
)
_FLAG_NAMES = tuple(column.key for column in _FLAG_COLUMNS)
#: Columns of :class:`CustomerRow` read before the risk tag (``tags`` and flags follow).
_ROW_FIELDS = 15


class CustomerDirectory:
    """Read side of the customer file for lists and search."""

    def __init__(self, store: Store, settings: Any = None) -> None:
        """``settings``: the app's settings (the plan rules data quality checks with)."""
        self.store = store
        self.settings = settings

    @property
    def quality(self) -> QualityIndex:
        """The data-quality scores the quality filters read (``customer_quality``)."""
        return quality_index(self.store, self.settings)

    @contextmanager
    def _reading(self, query: CustomerQuery | None) -> Iterator[Session]:
        """A read session; with a quality filter, the scores are brought up to date (only
        customers edited since, normally) and offered to SQLite on its connection."""
        with self.store.read() as session:
            if _uses_quality(query):
                index = self.quality
                index.ensure(blocking=False)
                index.register(session)
            yield session

    def find_ids(self, query: CustomerQuery) -> list[uuid.UUID]:
        """Ids of all matching customers in display order (exports, pickers, tests)."""
        with self._reading(query) as session:
            return list(session.scalars(self._statement(query, "hits")))

    def first_page(self, query: CustomerQuery, limit: int | None = None) -> IdPage:
        """The first ``limit`` ids of ``query`` in display order: what a keystroke waits for.

        A one-character search matches most of the customers; collecting and sorting all
        of them is what made typing slow. Here no more than a page of ids leaves SQLite,
        and SQLite reads little more than it needs. The matches are first counted through
        the index, up to ``COUNT_CAP``:

        - up to ``FEW_HITS``: read them from the index and sort them (``hits``);
        - more: walk the index of the sort column, keeping the rows in the list of matches
          (``merge``: reads no table row);
        - ``COUNT_CAP`` and more (one customer in ten): walk the list order and check each
          customer's search document (``documents``): a page is a few hundred rows away.

        A walk that looks at ``MERGE_WALK``/``DENSE_WALK`` customers without filling the
        page gives up (its matches are bunched further down, e.g. a company name's first
        characters in a list sorted by name) for the plan that does not depend on where.
        One or two characters with a digit (``1``, ``13``: not in the grams index, and
        matching nearly everyone) walk the documents straight away and are counted later.
        ``limit`` defaults to ``FIRST_PAGE``.
        """
        limit = FIRST_PAGE if limit is None else limit
        with self._reading(query) as session:
            return self._first_page(session, query, limit)

    def _first_page(self, session: Session, query: CustomerQuery, limit: int) -> IdPage:
        text = query.text.strip()
        read = partial(self._read_first, session, query, limit=limit)
        if not text:
            return read("hits")
        if _scanned(text):  # ``1``, ``13``: everyone nearly; no index to count them with
            page = read("documents", walk=DENSE_WALK)
            return page if page.more else read("hits")
        few = _rowid_list(session.scalar(_joined_rowids(text, FEW_HITS + 1)))
        hits = len(few)
        if hits > FEW_HITS:
            capped = _search_rowids(text).limit(COUNT_CAP).subquery()
            hits = session.scalar(select(func.count()).select_from(capped)) or 0
        if hits <= FEW_HITS:  # the matches are known: sort them (no second index search)
            page = read("hits", rowids=few)
        elif hits >= COUNT_CAP and _walkable(text):
            page = read("documents", walk=DENSE_WALK)
        else:
            page = read("merge", walk=MERGE_WALK)
        if not page.more and hits > FEW_HITS:
            page = read("hits" if hits < COUNT_CAP else "merge")
        exact = hits < COUNT_CAP and not _filters(query)
        return replace(page, total=hits) if exact else page

    def page(
        self, query: CustomerQuery, offset: int, limit: int, plan: Plan = "hits"
    ) -> list[uuid.UUID]:
        """Ids ``offset`` to ``offset + limit`` of ``query`` in display order.

        ``plan`` (from :attr:`IdPage.plan`) only changes how quickly they are found. Deep
        into a dense list, merging with the index beats checking every document on the way.
        """
        if plan == "documents" and offset + limit > DENSE_WALK:
            plan = "merge"
        statement = self._statement(query, plan).offset(offset).limit(limit)
        with self._reading(query) as session:
            return list(session.scalars(statement))

    def count(self, query: CustomerQuery | None = None) -> int:
        """How many customers match ``query`` (all customers without one)."""
        text = query.text.strip() if query is not None else ""
        if query is not None and text and not _filters(query):
            statement = select(func.count()).select_from(_search_rowids(text).subquery())
        elif query is not None:
            statement = _apply_query(select(func.count()).select_from(Customer), query)
        else:
            statement = select(func.count()).select_from(Customer)
        with self._reading(query) as session:
            return session.scalar(statement) or 0

    def _read_first(
        self,
        session: Session,
        query: CustomerQuery,
        plan: Plan,
        limit: int,
        walk: int | None = None,
        rowids: list[int] | None = None,
    ) -> IdPage:
        """One more id than ``limit`` tells whether more follow."""
        statement = self._statement(query, plan, walk, limit + 1, rowids).limit(limit + 1)
        ids = list(session.scalars(statement))
        more = len(ids) > limit
        complete = not more and walk is None  # a walk that found too few saw only a part
        return IdPage(ids[:limit], more, len(ids) if complete else None, plan)

    def _statement(
        self,
        query: CustomerQuery,
        plan: Plan,
        walk: int | None = None,
        limit: int | None = None,
        rowids: list[int] | None = None,
    ) -> Select:
        """Ids matching ``query`` in display order, read the ``plan`` way.

        With ``walk``, only that many customers of the list order are looked at (``merge``
        and ``documents``), and only the first ``limit`` matches among them are kept: if
        there are ``limit`` of them, they are the first ``limit`` matches of all, since every
        customer not looked at comes later in the list. ``rowids`` (``hits`` only) are the
        customers the search text matches, when already known.
        """
        key = _sort_key(query)
        order = _order(query, key, _ROWID)
        text = query.text.strip()
        if rowids is not None:
            statement = select(Customer.id).where(_ROWID.in_(rowids), *_filters(query))
            return statement.order_by(*order)
        if not text or plan == "hits":
            return _apply_query(select(Customer.id), query).order_by(*order)
        if walk is None:
            if plan == "merge":  # SQLite walks the sort column's index, checks the matches
                condition = _ROWID_UNINDEXED.in_(_search_rowids(text))
                return select(Customer.id).where(condition, *_filters(query)).order_by(*order)
            return (
                select(Customer.id)
                .join(_DOCUMENTS, _DOCUMENTS.c.id == _ROWID)
                .where(*_filters(query), _document_has(text, _DOCUMENTS.c.c0))
                .order_by(*order)
            )
        walked = (
            select(_ROWID.label("r"))
            .select_from(Customer)
            .where(*_filters(query))
            .order_by(*order)
            .limit(walk)
            .correlate(None)
        )
        rowid = walked.subquery().c.r
        if plan == "merge":
            matches = select(rowid).where(rowid.in_(_search_rowids(text)))
        else:
            matches = select(rowid).join(_DOCUMENTS, _DOCUMENTS.c.id == rowid)
            matches = matches.where(_document_has(text, _DOCUMENTS.c.c0))
        # The matches in walking order: SQLite reads the walked subquery in its ORDER BY
        # (tests/test_customer_list.py checks that this page equals the head of find_ids).
        return select(Customer.id).where(_ROWID.in_(matches.limit(limit))).order_by(*order)

    def rows(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, CustomerRow]:
        """Load the list rows for ``ids`` (any order); unknown ids are simply absent."""
        if not ids:
            return {}
        statement = (
            select(
                Customer.id,
                Customer.account_no,
                Customer.name,
                Customer.uscc,
                Park.name,
                Grid.name,
                Customer.industry,
                Customer.voltage_kv,
                Customer.capacity_kva,
                Customer.annual_kwh,
                func.coalesce(Customer.pyramid_override, Customer.pyramid_class),
                Customer.important_grade,
                Customer.credit_rating,
                Customer.overdue_count,
                Customer.pool_status,
                case((risk_condition(), 1), else_=0),
                *_FLAG_COLUMNS,
            )
            .outerjoin(Park, Park.id == Customer.park_id)
            .outerjoin(Grid, Grid.id == Customer.grid_id)
            .where(Customer.id.in_(list(ids)))
        )
        with self.store.read() as session:
            rows = {}
            for row in session.execute(statement):
                fields, risk, flags = row[:_ROW_FIELDS], row[_ROW_FIELDS], row[_ROW_FIELDS + 1 :]
                facts = SimpleNamespace(**dict(zip(_FLAG_NAMES, flags, strict=True)))
                rows[row[0]] = replace(
                    CustomerRow(*fields),
                    tags=("risk",) if risk else (),
                    risk_flags=risk_flags(facts),
                )
            return rows
