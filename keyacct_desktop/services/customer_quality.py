"""Data-quality scores of every customer, kept in memory so the customer list can filter by them.

The score and the problem kinds are those of :func:`keyacct_desktop.services.data_quality.assess`
(the one place the rules live: profile validation, phone formats, contact freshness, supply of
important users). They cannot be computed in SQL without copying those rules, and assessing
100,000 customers takes seconds, so the results are cached here per customer and offered to
SQLite as two functions of the customer's rowid (:data:`SCORE_FUNCTION`, :data:`KINDS_FUNCTION`):
the list's fast paths (first page, later pages, count) and every sort then filter by them like
by a column, and a walk of the sort order checks one dictionary entry per customer.

Staying correct after edits:

- every commit of the store names the customers it touched (the store's change feed,
  ``store/changes.py``, reports it after the commit, so a re-assessment reads committed rows):
  only those are assessed again;
- a bulk statement on the customer file (sync, demo data) cannot name them: the next use
  rebuilds all, except a statement that only sets sync bookkeeping (``version``, ``updated_at``);
- a new day (the contact-freshness check counts from today) or other plan rules rebuild all;
- :meth:`QualityIndex.ensure` with ``verify`` compares row counts and the newest ``updated_at``
  of the three tables with those seen at the last build, for writes this process did not see
  (another process on the same file): the list verifies on refresh, not on every keystroke.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import ColumnClause, Engine, Row, func, literal_column, select
from sqlalchemy.orm import Session

from keyacct_desktop.domain.plan_rules import PlanRules
from keyacct_desktop.progress import TaskState
from keyacct_desktop.services.data_quality import KINDS, assess
from keyacct_desktop.settings import Settings
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.db import Store
from keyacct_desktop.store.models import Contact, Customer, PowerSource

#: SQL functions of a customer's rowid registered on the list's connections.
SCORE_FUNCTION = "keyacct_quality_score"
KINDS_FUNCTION = "keyacct_quality_kinds"
#: Bit of each problem kind (:data:`data_quality.KINDS`) in the value of ``KINDS_FUNCTION``.
KIND_BITS: dict[str, int] = {code: 1 << n for n, code in enumerate(KINDS)}
#: Customers assessed per read while building (progress is reported after each).
BATCH = 2000
_TABLES = {"customer", "contact", "power_source"}


class QualityIndex:
    """Score and problem kinds per customer rowid (see the module docstring).

    Use :func:`quality_index` to get the one index of a store.
    """

    def __init__(self, store: Store, settings: Any = None) -> None:
        self.store = store
        self.settings = settings
        self.scores: dict[int, int] = {}
        self.kinds: dict[int, int] = {}
        self._rowids: dict[uuid.UUID, int] = {}
        self._built: tuple[date, PlanRules] | None = None
        self._fingerprint: tuple[Any, ...] | None = None
        self._dirty: set[uuid.UUID] = set()
        self._unknown = False
        self._lock = threading.RLock()
        change_feed(store).subscribe(self._on_changes)

    # -- state
    def _rules(self) -> PlanRules:
        return PlanRules.from_settings(self.settings if self.settings is not None else Settings())

    def current(self, today: date | None = None) -> bool:
        """Whether the filters can be answered now without assessing anyone (no work)."""
        built = (today or date.today(), self._rules())
        return self._built == built and not self._unknown and not self._dirty

    def needs_rebuild(self, today: date | None = None) -> bool:
        """Whether :meth:`ensure` will assess every customer (seconds at 100,000)."""
        return self._built != (today or date.today(), self._rules()) or self._unknown

    def ensure(
        self,
        state: TaskState | None = None,
        *,
        verify: bool = False,
        today: date | None = None,
        blocking: bool = True,
    ) -> None:
        """Bring the cache up to date: every customer, or only those edited since.

        ``blocking=False`` (the list's queries): while another thread is updating, go on with
        the scores as they were (they are swapped in whole when a rebuild ends).
        """
        today = today or date.today()
        if not self._lock.acquire(blocking=blocking):
            return
        try:
            rules = self._rules()
            if verify and self._built is not None and self._fingerprint != self._read_print():
                self._unknown = True
            if self._built != (today, rules) or self._unknown:
                self._unknown = False  # edits from now on are marked again
                self._dirty.clear()
                try:
                    self._build(today, rules, state)
                except BaseException:  # cancelled or failed: still to do
                    self._unknown = True
                    raise
            elif self._dirty:
                dirty, self._dirty = self._dirty, set()
                try:
                    self._update(dirty, today, rules)
                except BaseException:
                    self._dirty |= dirty
                    raise
        finally:
            self._lock.release()

    # -- reading
    def _read_print(self) -> tuple[Any, ...]:
        with self.store.read() as session:
            return tuple(
                session.execute(select(func.count(), func.max(model.updated_at))).one()
                for model in (Customer, Contact, PowerSource)
            )

    def _assess(
        self, customer_ids: Iterable[uuid.UUID] | None, today: date, rules: PlanRules
    ) -> Iterable[tuple[uuid.UUID, int, int, int]]:
        """(id, rowid, score, kinds) of the customers (all with ``None``), a batch at a time."""
        columns = [c for c in Customer.__table__.c]
        with self.store.read() as session:
            rowid: ColumnClause[int] = literal_column("customer.rowid")
            statement = select(rowid.label("rowid_"), *columns).order_by(rowid)
            if customer_ids is None:
                batches: Iterable[Sequence[Row[Any]]] = session.execute(statement).partitions(BATCH)
            else:
                wanted = list(customer_ids)
                batches = (
                    session.execute(statement.where(Customer.id.in_(wanted[n : n + 500]))).all()
                    for n in range(0, len(wanted), 500)
                )
            for batch in batches:
                ids = [row.id for row in batch]
                contacts = defaultdict(list)
                for contact in session.execute(
                    select(
                        Contact.customer_id,
                        Contact.name,
                        Contact.role,
                        Contact.mobile,
                        Contact.landline,
                        Contact.last_verified,
                    ).where(Contact.customer_id.in_(ids))
                ):
                    contacts[contact.customer_id].append(contact)
                sources = defaultdict(list)
                for source in session.execute(
                    select(PowerSource.customer_id, PowerSource.substation).where(
                        PowerSource.customer_id.in_(ids)
                    )
                ):
                    sources[source.customer_id].append(source)
                for row in batch:
                    values = {c.key: row._mapping[c] for c in columns}
                    customer = SimpleNamespace(
                        **values, contacts=contacts[row.id], power_sources=sources[row.id]
                    )
                    result = assess(customer, today, "zh_CN", rules)  # type: ignore[arg-type]
                    bits = sum(KIND_BITS[k] for k in result.kinds if k in KIND_BITS)
                    yield row.id, row.rowid_, result.score, bits

    def _build(self, today: date, rules: PlanRules, state: TaskState | None) -> None:
        fingerprint = self._read_print()
        total = fingerprint[0][0]
        scores: dict[int, int] = {}
        kinds: dict[int, int] = {}
        rowids: dict[uuid.UUID, int] = {}
        for done, (customer_id, rowid, score, bits) in enumerate(self._assess(None, today, rules)):
            scores[rowid], kinds[rowid], rowids[customer_id] = score, bits, rowid
            if state is not None and done % BATCH == 0:
                state.report(done, total)
        self.scores, self.kinds, self._rowids = scores, kinds, rowids
        self._fingerprint = fingerprint
        self._built = (today, rules)

    def _update(self, dirty: set[uuid.UUID], today: date, rules: PlanRules) -> None:
        seen = set()
        for customer_id, rowid, score, bits in self._assess(dirty, today, rules):
            seen.add(customer_id)
            self.scores[rowid], self.kinds[rowid], self._rowids[customer_id] = score, bits, rowid
        for customer_id in dirty - seen:  # deleted
            gone = self._rowids.pop(customer_id, None)
            if gone is not None:
                self.scores.pop(gone, None)
                self.kinds.pop(gone, None)
        self._fingerprint = self._read_print()

    # -- SQL
    def register(self, session: Session) -> None:
        """Offer the two functions on the connection of ``session`` (before a query uses them)."""
        raw = session.connection().connection.driver_connection
        assert raw is not None  # an open session's connection has its DB-API connection
        raw.create_function(SCORE_FUNCTION, 1, self.scores.get)
        raw.create_function(KINDS_FUNCTION, 1, self.kinds.get)

    # -- change tracking
    def _on_changes(self, changes: Changes, _captured: bool) -> None:
        """After a commit (on its thread): its customers are assessed again at the next use;
        a bulk statement on the customer file names none, so all are."""
        if changes.customers:
            self._dirty |= changes.customers
        if changes.whole & _TABLES:
            self._unknown = True


_INDEXES: weakref.WeakKeyDictionary[Engine, QualityIndex] = weakref.WeakKeyDictionary()
_INDEXES_LOCK = threading.Lock()


def quality_index(store: Store, settings: Any = None) -> QualityIndex:
    """The store's index (one per open store); ``settings``: the app's (plan rules)."""
    with _INDEXES_LOCK:
        index = _INDEXES.get(store.engine)
        if index is None:
            index = _INDEXES[store.engine] = QualityIndex(store, settings)
        elif settings is not None:
            index.settings = settings
        return index
