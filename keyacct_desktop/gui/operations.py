"""Operations: every write of the GUI runs off the GUI thread and says what it changed
(after Anki's ``CollectionOp`` and ``OpChanges``).

An operation is a plain function ``op(state: TaskState) -> T`` that opens its own session
through a service. :class:`CollectionOp` runs it on the one database worker thread (SQLite
wants one writer; ``gui.tasks`` supplies progress, cancel and the delayed progress dialog),
collects what its commits changed (the store's change feed, ``store/changes.py``), calls
``success`` with an :class:`OpResult` and then publishes those :class:`Changes` on the store's
:class:`ChangeBus`. Errors go to ``failure``, or by default to one message box.

The main window listens on the bus and hands the changes to its pages (``Page`` in
``gui/pages/page.py``), which refresh only what changed; open editors listen too. A sync
publishes its changes on the same bus; so does any write that does not run as an operation yet
(it is picked up from the feed after its commit).

Tests run operations inline, at once on the calling thread (environment variable
``KEYACCT_OPS_INLINE=1``, set by conftest, as Picard's tests use a thread pool that runs work at
once); a test of the threaded path unsets it.
"""

from __future__ import annotations

import contextlib
import os
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QObject, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QWidget
from sqlalchemy import Engine

from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.tasks import Task
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.db import Store

T = TypeVar("T")

#: Set to 1: run operations at once on the calling thread (tests), not on the worker.
INLINE_VARIABLE = "KEYACCT_OPS_INLINE"


@dataclass(frozen=True)
class OpResult(Generic[T]):
    """What an operation returned, and what its commits changed."""

    value: T
    changes: Changes


class ChangeBus(QObject):
    """Where the changes of one open store are announced, on the GUI thread.

    Signals:
        published(Changes): something changed (an operation, a sync, or another write).
    """

    published = Signal(object)
    _arrived = Signal(object)

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._waiting: Changes | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._flush)
        self._arrived.connect(self._queue)
        self._unsubscribe = change_feed(store).subscribe(self._on_commit)

    def publish(self, changes: Changes) -> None:
        """Announce ``changes`` now (nothing when they are empty)."""
        if changes:
            self.published.emit(changes)

    def _on_commit(self, changes: Changes, captured: bool) -> None:
        """Any thread: a write outside an operation or sync (they publish their own)."""
        if not captured and changes:
            with contextlib.suppress(RuntimeError):  # the bus is gone (app closing)
                self._arrived.emit(changes)

    def _queue(self, changes: Changes) -> None:
        """Several commits of one action (a service that commits twice) announce once."""
        self._waiting = changes if self._waiting is None else self._waiting | changes
        self._timer.start()

    def _flush(self) -> None:
        changes, self._waiting = self._waiting, None
        if changes is not None:
            self.publish(changes)

    def flush(self) -> None:
        """Announce what is waiting at once (tests; before a window closes)."""
        self._timer.stop()
        self._flush()

    def close(self) -> None:
        self._unsubscribe()


_BUSES: weakref.WeakKeyDictionary[Engine, ChangeBus] = weakref.WeakKeyDictionary()


def change_bus(store: Store) -> ChangeBus:
    """The change bus of an open store (made on first use, on the GUI thread)."""
    bus = _BUSES.get(store.engine)
    if bus is None:
        bus = _BUSES[store.engine] = ChangeBus(store)
    return bus


_WRITER: QThreadPool | None = None


def database_worker() -> QThreadPool:
    """The one thread operations run on, one after another (SQLite has one writer)."""
    global _WRITER
    if _WRITER is None:
        _WRITER = QThreadPool()
        _WRITER.setMaxThreadCount(1)
        _WRITER.setExpiryTimeout(-1)
    return _WRITER


class CollectionOp(Generic[T]):
    """One write of the GUI, run off the GUI thread; see the module docstring.

    ``CollectionOp(parent, store, op).success(fn).run_in_background()``.
    """

    def __init__(
        self,
        parent: QWidget,
        store: Store,
        op: Callable[[TaskState], T],
        *,
        title: str = "",
        language: str = "zh_CN",
    ) -> None:
        self.parent = parent
        self.store = store
        self.op = op
        self.title = title
        self.language = language
        self.task: Task | None = None
        self.result: OpResult[T] | None = None
        self.error: BaseException | None = None
        self._success: Callable[[OpResult[T]], None] | None = None
        self._failure: Callable[[BaseException], None] | None = None

    def success(self, fn: Callable[[OpResult[T]], None]) -> CollectionOp[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[BaseException], None]) -> CollectionOp[T]:
        self._failure = fn
        return self

    def _work(self, state: TaskState) -> OpResult[T]:
        with change_feed(self.store).capture() as capture:
            value = self.op(state)
        return OpResult(value, capture.changes)

    def _done(self, result: OpResult[T]) -> None:
        """``success`` first (the page that asked refreshes and selects as it likes, and
        says so with ``PageBase.refreshed_for``), then everyone else hears of the changes."""
        self.result = result
        try:
            if self._success is not None:
                self._success(result)
        finally:
            change_bus(self.store).publish(result.changes)

    def _failed(self, error: BaseException) -> None:
        self.error = error
        if self._failure is not None:
            self._failure(error)
        else:
            show_error(self.parent, error, self.language)

    def run_in_background(self, *, dialog: bool = True) -> CollectionOp[T]:
        """Start the operation (``dialog``: a progress dialog if it takes over 0.6 s)."""
        if os.environ.get(INLINE_VARIABLE) == "1":
            try:
                result = self._work(TaskState())
            except Exception as error:
                self._failed(error)
            else:
                self._done(result)
            return self
        self.task = Task(self._work, self.title, self.parent)
        self.task.finished.connect(self._done)
        self.task.failed.connect(self._failed)
        self.task.start(database_worker(), dialog=dialog and bool(self.title))
        return self

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done

    @property
    def done(self) -> bool:
        """It ended, successfully (``result``) or not (``error``)."""
        return self.result is not None or self.error is not None


def run_op(
    parent: QWidget,
    store: Store,
    op: Callable[[TaskState], T],
    on_done: Callable[[OpResult[T]], None] | None = None,
    *,
    on_error: Callable[[BaseException], None] | None = None,
    title: str = "",
    language: str = "zh_CN",
) -> CollectionOp[T]:
    """Shorthand: run ``op`` as an operation; ``on_done(result)`` on success."""
    operation = CollectionOp(parent, store, op, title=title, language=language)
    if on_done is not None:
        operation.success(on_done)
    if on_error is not None:
        operation.failure(on_error)
    return operation.run_in_background()


class QueryOp(Generic[T]):
    """A read of the GUI off the GUI thread (after Anki's ``QueryOp``).

    ``op(state)`` runs on the database worker, after the writes started before it (so it sees
    them); ``success(value)`` then runs on the GUI thread, ``failure(error)`` if it raised.
    It writes nothing and publishes nothing. ``parent``: the object the answer is for; once
    it is gone, the answer is dropped. ``title``: a read the user waits for (a progress dialog
    with Cancel if it takes over 0.6 s; cancelled, ``failure`` gets ``Cancelled``). Under
    ``KEYACCT_OPS_INLINE=1`` it runs at once.
    """

    def __init__(
        self,
        parent: QObject,
        op: Callable[[TaskState], T],
        success: Callable[[T], None],
        failure: Callable[[BaseException], None],
        *,
        title: str = "",
    ) -> None:
        self.parent = parent
        self.op = op
        self._success = success
        self._failure = failure
        self.title = title
        self.task: Task | None = None

    def run_in_background(self) -> QueryOp[T]:
        if os.environ.get(INLINE_VARIABLE) == "1":
            try:
                value = self.op(TaskState())
            except Exception as error:
                self._failure(error)
            else:
                self._success(value)
            return self
        self.task = Task(self.op, self.title, self.parent)
        self.task.finished.connect(self._success)
        self.task.failed.connect(self._failure)
        self.task.start(database_worker(), dialog=bool(self.title))
        return self


class LatestReads:
    """The reads a page asks on the database worker, by part (``"list"``, ``"view"``…):
    only the answer to the last read asked of a part is shown, an older one is dropped (the
    selection or the filters changed meanwhile, or a change notice asked again).

    ``waiting(part…)`` says whether an answer is still awaited (the page's ``loaded``, which
    tests wait on). Under ``KEYACCT_OPS_INLINE=1`` every read runs at once.
    """

    def __init__(self, owner: QWidget, language: Callable[[], str]) -> None:
        self._owner = owner
        self._language = language
        self._asked: dict[str, int] = {}
        self._waiting: set[str] = set()

    def ask(
        self,
        part: str,
        read: Callable[[TaskState], T],
        show: Callable[[T], None],
        failed: Callable[[BaseException], None] | None = None,
        *,
        title: str = "",
    ) -> None:
        """Run ``read`` on the worker, then ``show(value)`` unless ``part`` was asked again
        (or dropped) meanwhile; a failure goes to ``failed``, by default one message box
        (none for a read the user cancelled)."""
        self._asked[part] = asked = self._asked.get(part, 0) + 1
        self._waiting.add(part)

        def answered(value: T) -> None:
            if self._asked.get(part) == asked:
                self._waiting.discard(part)
                show(value)

        def failure(error: BaseException) -> None:
            if self._asked.get(part) != asked:
                return
            self._waiting.discard(part)
            if failed is not None:
                failed(error)
            elif not isinstance(error, Cancelled):
                show_error(self._owner, error, self._language())

        QueryOp(self._owner, read, answered, failure, title=title).run_in_background()

    def drop(self, part: str) -> None:
        """Forget the read of ``part`` under way: its answer is dropped (what it would show
        is shown already)."""
        self._asked[part] = self._asked.get(part, 0) + 1
        self._waiting.discard(part)

    def waiting(self, *parts: str) -> bool:
        """Whether the answer to one of ``parts`` (any part when none named) is awaited."""
        return bool(self._waiting & set(parts)) if parts else bool(self._waiting)


def run_write(
    widget: QWidget,
    store: Store,
    op: Callable[[TaskState], T],
    then: Callable[[T], None] | None = None,
    *,
    language: str,
    after_error: Callable[[BaseException], None] | None = None,
    shown: Callable[[Changes], None] | None = None,
    title: str = "",
) -> bool:
    """The usual write of a page or dialog: ``op`` as an operation; ``then(value)`` shows its
    result. A failure is shown in the user's language, then ``after_error(error)`` runs.

    ``shown``: ``then`` shows all of the change on the page that asked; pass its
    ``PageBase.refreshed_for``, so it does not read again when the changes are announced.
    Returns ``True`` when it started (under tests, which run operations at once: succeeded).
    """
    failed: list[BaseException] = []

    def done(result: OpResult[T]) -> None:
        if then is not None:
            then(result.value)
        if shown is not None:
            shown(result.changes)

    def error(problem: BaseException) -> None:
        failed.append(problem)
        show_error(widget, problem, language)
        if after_error is not None:
            after_error(problem)

    operation = run_op(widget, store, op, done, on_error=error, title=title, language=language)
    return operation.running or (operation.result is not None and not failed)


__all__ = [
    "ChangeBus",
    "Changes",
    "CollectionOp",
    "LatestReads",
    "OpResult",
    "QueryOp",
    "change_bus",
    "run_op",
    "run_write",
]
