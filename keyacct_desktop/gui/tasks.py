"""Running long work off the GUI thread, with a progress dialog and cancel.

A task is a plain function ``fn(state: TaskState) -> result``. :func:`run_task` runs it on
Qt's global thread pool (or another pool); a progress dialog appears only if the work takes
longer than ``DIALOG_DELAY_MS`` (as Anki does), and its Cancel button asks the task to stop
(work that cannot be stopped halfway shows none).
Results and errors come back on the GUI thread through signals.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QProgressDialog, QWidget

from keyacct_desktop.progress import Progress, TaskState

DIALOG_DELAY_MS = 600
log = logging.getLogger(__name__)


class _Signals(QObject):
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)


class _Runnable(QRunnable):
    def __init__(self, fn: Callable[[TaskState], Any], signals: _Signals) -> None:
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.state = TaskState(on_progress=signals.progress.emit)
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            result = self.fn(self.state)
        except BaseException as error:
            self._tell(self.signals.failed, error)
        else:
            self._tell(self.signals.finished, result)

    @staticmethod
    def _tell(signal: Any, value: object) -> None:
        """Emit, unless whoever started the task is gone (its window closed meanwhile):
        then nobody waits for the answer and there is nothing to tell."""
        try:
            signal.emit(value)
        except RuntimeError:  # "Signal source has been deleted"
            log.info("a background task finished after its window closed; result dropped")


class _UninterruptibleDialog(QProgressDialog):
    """The progress dialog of work that cannot be stopped: no Cancel button, and neither Esc
    nor the window's close button take it away while the work runs."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if event.spontaneous():  # the user; the task closes it with close()
            event.ignore()
            return
        super().closeEvent(event)


class Task(QObject):
    """A running task. Keep a reference until ``finished`` or ``failed`` fires.

    Signals:
        progress(Progress): the latest progress report.
        finished(object): the function's result.
        failed(BaseException): the exception it raised (``Cancelled`` when cancelled).
        cancel_requested(): Cancel was asked for (the work stops at its next check; a wait
            it cannot interrupt, e.g. on a network answer, may need the caller to stop waiting).
    """

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(object)
    cancel_requested = Signal()

    def __init__(
        self,
        fn: Callable[[TaskState], Any],
        title: str,
        parent: QObject | None = None,
        *,
        cancellable: bool = True,
    ) -> None:
        super().__init__(parent)
        self.cancellable = cancellable
        self._signals = _Signals()
        self._runnable = _Runnable(fn, self._signals)
        self._signals.progress.connect(self._on_progress, Qt.ConnectionType.QueuedConnection)
        self._signals.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._signals.failed.connect(self._on_failed, Qt.ConnectionType.QueuedConnection)
        self.dialog: QProgressDialog | None = None
        self._parent_widget = parent if isinstance(parent, QWidget) else None  # the dialog's
        self._title = title
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._show_dialog)
        self.done = False

    @property
    def state(self) -> TaskState:
        return self._runnable.state

    def start(self, pool: QThreadPool | None = None, *, dialog: bool = True) -> Task:
        """Queue the work; ``dialog=False`` for background work that shows no progress dialog."""
        if dialog:
            self._timer.start(DIALOG_DELAY_MS)
        (pool or QThreadPool.globalInstance()).start(self._runnable)
        return self

    def cancel(self) -> None:
        if self.done:  # closing the progress dialog at the end says "canceled" too
            return
        self.state.cancel()
        self.cancel_requested.emit()

    def _show_dialog(self) -> None:
        if self.done:
            return
        if self.cancellable:
            self.dialog = QProgressDialog(self._title, self.tr("Cancel"), 0, 0, self._parent_widget)
            self.dialog.canceled.connect(self.cancel)
        else:
            self.dialog = _UninterruptibleDialog(self._parent_widget)
            self.dialog.setLabelText(self._title)
            self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self._apply(self.state.last)
        self.dialog.show()

    def _apply(self, progress: Progress) -> None:
        # setValue() of a modal progress dialog processes events: the task's end may be
        # handled inside it (``_close`` drops ``self.dialog``), so it comes last and the
        # dialog is held here.
        dialog = self.dialog
        if dialog is None:
            return
        dialog.setMaximum(max(progress.total, 0))
        if progress.message:
            dialog.setLabelText(progress.message)
        dialog.setValue(min(progress.done, progress.total) if progress.total else 0)

    def _on_progress(self, progress: Progress) -> None:
        self._apply(progress)
        self.progress.emit(progress)

    def _close(self) -> None:
        self.done = True
        self._timer.stop()
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.close()
            self.dialog = None

    def _on_finished(self, result: Any) -> None:
        self._close()
        self.finished.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self._close()
        self.failed.emit(error)


def run_task(
    fn: Callable[[TaskState], Any],
    *,
    title: str,
    parent: QWidget | None = None,
    on_done: Callable[[Any], object] | None = None,  # its result is ignored
    on_error: Callable[[BaseException], None] | None = None,
    dialog: bool = True,
    pool: QThreadPool | None = None,
    cancellable: bool = True,
) -> Task:
    """Start ``fn`` on a worker thread; connect ``on_done``/``on_error`` on the GUI thread.

    ``pool``: where it runs (default: Qt's global pool; ``operations.database_worker()`` for
    work that must not overlap the store's reads and writes). ``cancellable=False``: work
    that must not be stopped halfway; its progress dialog has no Cancel.
    """
    task = Task(fn, title, parent, cancellable=cancellable)
    if on_done is not None:
        task.finished.connect(on_done)
    if on_error is not None:
        task.failed.connect(on_error)
    return task.start(pool, dialog=dialog)
