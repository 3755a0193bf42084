"""What a committed transaction changed, learnt once for everyone (the store's change feed).

One set of SQLAlchemy session hooks per open store collects, for every transaction, which
rows of which tables it inserted, changed or deleted, and which customers' files that touched;
on commit the result is a :class:`Changes` value (after Anki's ``OpChanges``), handed to

- the code that asked for it with :meth:`ChangeFeed.capture` on its own thread (an operation
  of the GUI, a sync run): it publishes the changes itself when it ends, and
- every listener of :meth:`ChangeFeed.subscribe` (the quality index, the sync controller's
  "sync soon after an edit", the GUI's change bus for writes outside any operation).

What is known:

- ORM objects flushed: table and id exactly, and the customer of a customer's row or of a row
  with a ``customer_id``;
- a Core or bulk ``insert`` whose rows carry their ``id`` (and ``customer_id``): the same;
- any other bulk statement names no row: its table counts as changed throughout
  (:attr:`Changes.whole`). An update that sets only sync bookkeeping (``version``,
  ``updated_at``) changes nothing anyone shows and is not counted.

No Qt here: listeners run on the thread that committed.
"""

from __future__ import annotations

import threading
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import Engine, event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, attributes

from keyacct_desktop.store.db import Store

Origin = Literal["local", "sync"]
_INFO = "keyacct.changes"
_BOOKKEEPING = frozenset({"version", "updated_at"})
#: Tables the customer's file is made of (a change to one is a change to its customer).
CUSTOMER_FILE = frozenset({"customer", "contact", "power_source"})


@dataclass(frozen=True)
class Changes:
    """The rows a transaction (or several, merged with ``|``) changed.

    Attributes:
        rows: ids changed per table, where they are known.
        whole: tables changed without naming rows (a bulk statement): any row may have changed.
        customers: customers whose own row or a row of theirs (contact, visit…) changed.
        origin: ``"local"`` (this device's user) or ``"sync"`` (pulled from the server).
        local_edit: whether the changes were logged to be pushed to the server.
    """

    rows: Mapping[str, frozenset[uuid.UUID]] = field(default_factory=dict)
    whole: frozenset[str] = frozenset()
    customers: frozenset[uuid.UUID] = frozenset()
    origin: Origin = "local"
    local_edit: bool = False

    @property
    def tables(self) -> frozenset[str]:
        return frozenset(self.rows) | self.whole

    def __bool__(self) -> bool:
        return bool(self.rows or self.whole)

    def touches(self, *tables: str) -> bool:
        """Whether any row of any of these tables may have changed."""
        return any(t in self.rows or t in self.whole for t in tables)

    def touches_row(self, table: str, row_id: uuid.UUID) -> bool:
        """Whether this row may have changed (yes, too, when its table changed throughout)."""
        return table in self.whole or row_id in self.rows.get(table, ())

    def touches_customer(self, customer_id: uuid.UUID) -> bool:
        """Whether this customer's file (its row, contacts, power sources) may have changed."""
        return customer_id in self.customers or bool(self.whole & CUSTOMER_FILE)

    def __or__(self, other: Changes) -> Changes:
        rows = {
            t: self.rows.get(t, frozenset()) | other.rows.get(t, frozenset())
            for t in set(self.rows) | set(other.rows)
        }
        return Changes(
            rows,
            self.whole | other.whole,
            self.customers | other.customers,
            "sync" if "sync" in (self.origin, other.origin) else "local",
            self.local_edit or other.local_edit,
        )

    @classmethod
    def everything(cls) -> Changes:
        """Every table changed throughout (a backup was restored: the store is another one)."""
        from keyacct_desktop.store import models  # noqa: F401  (every table on the metadata)
        from keyacct_desktop.store.base import Base

        return cls(whole=frozenset(Base.metadata.tables))

    @classmethod
    def of(cls, table: str, *ids: uuid.UUID, origin: Origin = "local") -> Changes:
        """Changes naming rows of one table (tests, and operations that know what they did)."""
        customers = frozenset(ids) if table == "customer" else frozenset()
        return cls({table: frozenset(ids)}, customers=customers, origin=origin)


@dataclass
class _Pending:
    rows: dict[str, set[uuid.UUID]] = field(default_factory=dict)
    whole: set[str] = field(default_factory=set)
    customers: set[uuid.UUID] = field(default_factory=set)
    local_edit: bool = False

    def add(self, table: str, row_id: Any) -> None:
        ids = self.rows.setdefault(table, set())
        if isinstance(row_id, uuid.UUID):
            ids.add(row_id)

    def freeze(self, origin: Origin) -> Changes:
        return Changes(
            {t: frozenset(ids) for t, ids in self.rows.items() if t not in self.whole},
            frozenset(self.whole),
            frozenset(self.customers),
            origin,
            self.local_edit,
        )


Listener = Callable[[Changes, bool], None]


class _Capture:
    def __init__(self, origin: Origin) -> None:
        self.origin = origin
        self.changes = Changes(origin=origin)


class ChangeFeed:
    """The store's one set of session hooks (see the module docstring).

    Use :func:`change_feed` to get the feed of a store.
    """

    def __init__(self, store: Store) -> None:
        self._listeners: list[Listener] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        sessions = store.sessions
        event.listen(sessions, "after_flush", self._after_flush)
        event.listen(sessions, "do_orm_execute", self._on_execute)
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_rollback", self._after_rollback)

    # -- listening
    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener(changes, captured)`` after every commit that changed something, on
        the committing thread; ``captured``: an operation or sync on that thread will publish
        them itself. Returns the function that unsubscribes."""
        with self._lock:
            self._listeners.append(listener)

        def unsubscribe() -> None:
            with self._lock:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return unsubscribe

    @contextmanager
    def capture(self, origin: Origin = "local") -> Iterator[_Capture]:
        """Collect what the commits of this thread change until the block ends
        (``capture.changes``); nesting collects in the innermost block only."""
        outer = getattr(self._local, "capture", None)
        capture = _Capture(origin)
        self._local.capture = capture
        try:
            yield capture
        finally:
            self._local.capture = outer

    # -- hooks
    @staticmethod
    def _pending(session: Session) -> _Pending:
        pending = session.info.get(_INFO)
        if pending is None:
            pending = session.info[_INFO] = _Pending()
        return pending

    def _after_flush(self, session: Session, _context: Any) -> None:
        from keyacct_desktop.store.local import PendingChange

        pending = self._pending(session)
        new = list(session.new)
        changed = [obj for obj in session.dirty if session.is_modified(obj)]
        pending.local_edit = pending.local_edit or any(isinstance(o, PendingChange) for o in new)
        for obj in (*new, *changed, *session.deleted):
            table = inspect(obj).mapper.local_table.name
            row_id = getattr(obj, "id", None)
            pending.add(table, row_id)
            if table == "customer" and isinstance(row_id, uuid.UUID):
                pending.customers.add(row_id)
            elif hasattr(obj, "customer_id"):
                history = attributes.get_history(obj, "customer_id")
                pending.customers.update(
                    i
                    for i in (*history.added, *history.unchanged, *history.deleted)
                    if isinstance(i, uuid.UUID)
                )

    def _on_execute(self, state: ORMExecuteState) -> None:
        if not (state.is_insert or state.is_update or state.is_delete):
            return
        table = getattr(getattr(state.statement, "table", None), "name", None)
        if not isinstance(table, str):
            return
        values = getattr(state.statement, "_values", None) or {}
        names = {getattr(key, "key", key) for key in values}
        if state.is_update and names and names <= _BOOKKEEPING:
            return
        pending = self._pending(state.session)
        params = state.parameters
        rows = [params] if isinstance(params, Mapping) else list(params or [])
        if state.is_insert and rows and all(isinstance(r.get("id"), uuid.UUID) for r in rows):
            for row in rows:
                pending.add(table, row["id"])
                customer = row["id"] if table == "customer" else row.get("customer_id")
                if isinstance(customer, uuid.UUID):
                    pending.customers.add(customer)
            return
        pending.whole.add(table)

    def _after_rollback(self, session: Session) -> None:
        session.info.pop(_INFO, None)

    def _after_commit(self, session: Session) -> None:
        pending = session.info.pop(_INFO, None)
        if pending is None:
            return
        capture: _Capture | None = getattr(self._local, "capture", None)
        changes = pending.freeze(capture.origin if capture is not None else "local")
        if not changes and not changes.local_edit:
            return
        if capture is not None:
            capture.changes = capture.changes | changes
        with self._lock:
            listeners = list(self._listeners)
        for listener in listeners:
            listener(changes, capture is not None)


def note_changes(session: Session, table: str, ids: Iterable[uuid.UUID]) -> None:
    """Name rows a bulk statement of this transaction changed (when the caller knows them)."""
    pending = ChangeFeed._pending(session)
    for row_id in ids:
        pending.add(table, row_id)


_FEEDS: weakref.WeakKeyDictionary[Engine, ChangeFeed] = weakref.WeakKeyDictionary()
_FEEDS_LOCK = threading.Lock()


def change_feed(store: Store) -> ChangeFeed:
    """The one change feed of an open store."""
    with _FEEDS_LOCK:
        feed = _FEEDS.get(store.engine)
        if feed is None:
            feed = _FEEDS[store.engine] = ChangeFeed(store)
        return feed
