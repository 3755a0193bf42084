"""Scaffolding for tests of reads and operations on the database worker (issue 20).

:func:`note_threads` notes which thread each real read ran on, so a test can say it ran off
the GUI thread; :func:`hold_reads` keeps read operations unanswered, so a test answers them
late or out of order, as a busy worker would.
"""

from __future__ import annotations

import contextlib
import inspect
import threading
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from keyacct_desktop.progress import TaskState

#: A read kept by :func:`hold_reads`: the operation and what takes its answer.
HeldRead = tuple[Callable[[TaskState], Any], Callable[[Any], None]]


class ThreadLog(list[str]):
    """The threads the noted reads ran on, in call order (a list: ``len`` counts the reads).

    ``calls`` pairs each thread with the read's name, for tests that ask which read ran.
    """

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, str]] = []
        self._paused = False

    @property
    def names(self) -> list[str]:
        """The reads noted, by name, in call order."""
        return [name for name, _thread in self.calls]

    @property
    def by_name(self) -> dict[str, str]:
        """The thread each read last ran on."""
        return dict(self.calls)

    @property
    def none_on_the_gui_thread(self) -> bool:
        """No read noted ran on the test's (the GUI) thread; none noted yet is fine too."""
        return threading.current_thread().name not in self

    @property
    def all_off_the_gui_thread(self) -> bool:
        """Something was read, and none of it on the GUI thread."""
        return bool(self) and self.none_on_the_gui_thread

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        """Reads meanwhile are not noted: the test's own (a write that reads), not the app's."""
        self._paused = True
        try:
            yield
        finally:
            self._paused = False

    def note(self, name: str) -> None:
        if not self._paused:
            thread = threading.current_thread().name
            self.calls.append((name, thread))
            self.append(thread)


def _noting(log: ThreadLog, name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def here(*args: Any, **kwargs: Any) -> Any:
        log.note(name)
        return real(*args, **kwargs)

    return here


def note_threads(monkeypatch: pytest.MonkeyPatch, owner: Any, *names: str) -> ThreadLog:
    """Wrap the reads ``owner.<name>`` so each call notes its thread, then runs the real read.

    ``owner``: a module (its functions), a class (its methods: the wrapper, a plain function,
    gets ``self`` first and hands it on) or an object (its bound methods).
    """
    log = ThreadLog()
    for name in names:
        wrapper: Any = _noting(log, name, getattr(owner, name))
        if inspect.isclass(owner) and isinstance(
            inspect.getattr_static(owner, name), (staticmethod, classmethod)
        ):
            wrapper = staticmethod(wrapper)  # getattr gave the callable already bound
        monkeypatch.setattr(owner, name, wrapper)
    return log


def hold_reads(monkeypatch: pytest.MonkeyPatch, module: ModuleType) -> list[HeldRead]:
    """Put a stand-in for ``module.QueryOp`` that runs nothing and keeps ``(op, success)``:
    the test answers each read when it likes (late, out of order, or never)."""
    held: list[HeldRead] = []

    class Held:
        def __init__(self, _parent: Any, op: Any, success: Any, _failure: Any, **_kw: Any) -> None:
            held.append((op, success))

        def run_in_background(self) -> None:
            pass

    monkeypatch.setattr(module, "QueryOp", Held)
    return held


def answer(read: HeldRead) -> None:
    """Run a held read now and hand its answer over."""
    op, success = read
    success(op(TaskState()))
