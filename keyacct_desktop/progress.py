"""A small, Qt-free protocol for long work: progress reports and cooperative cancel.

Long operations (sync, import, batch print, grid balancing) are plain functions that take a
:class:`TaskState`. The GUI runs them on a worker thread and wires the state to a progress
dialog (``gui/tasks.py``); the command line and tests pass a state of their own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from keyacct_desktop.domain.errors import UserError


class Cancelled(UserError):
    """The user cancelled the operation; whatever it wrote was rolled back."""

    def __init__(self) -> None:
        super().__init__("操作已取消,未作任何更改", "cancelled; nothing was changed")


@dataclass
class Progress:
    done: int
    total: int
    message: str = ""


class TaskState:
    """Progress and cancel for one run of a long operation; safe to use across threads."""

    def __init__(self, on_progress: Callable[[Progress], None] | None = None) -> None:
        self._cancel = threading.Event()
        self._on_progress = on_progress
        self.last = Progress(0, 0)

    def report(self, done: int, total: int, message: str = "") -> None:
        """Report progress; raises :class:`Cancelled` if cancel was asked for meanwhile."""
        self.last = Progress(done, total, message)
        if self._on_progress is not None:
            self._on_progress(self.last)
        self.check()

    def cancel(self) -> None:
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def check(self) -> None:
        if self._cancel.is_set():
            raise Cancelled()
