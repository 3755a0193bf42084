"""Background sync for the running app: on a timer, soon after local edits, and on demand.

Sync runs on a worker thread (``gui.tasks``) and never blocks the window. When the server
cannot be reached the controller backs off exponentially (15 s, 30 s, 60 s … up to
``sync.max_backoff_seconds``) so a laptop in a park without signal does not spin; any
success resets the wait. Errors that retrying cannot fix (a revoked device, an old protocol)
stop the automatic retries until the manager acts, and are shown in the status bar.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.sync.state import SyncPhase, SyncStatus
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.store.changes import Changes, change_feed
from keyacct_desktop.store.db import Store
from keyacct_desktop.sync.account import SyncAccount
from keyacct_desktop.sync.api import ServerApi
from keyacct_desktop.sync.client import OfflineError, SyncFailed, sync_once
from keyacct_desktop.sync.review import overview
from keyacct_desktop.sync.state import SyncReport

log = logging.getLogger(__name__)

#: First retry delay after the server could not be reached; doubled on every further failure.
FIRST_RETRY_SECONDS = 15


class SyncController(QObject):
    """Owns the sync timers and the one sync that may run at a time.

    Signals:
        status_changed(SyncStatus): after every state change (and after local edits).
        finished(SyncReport): a sync succeeded.
        changed(Changes): what a sync changed here (pulled rows, refused edits undone), before
            ``finished``; the main window tells the pages.
    """

    status_changed = Signal(object)
    finished = Signal(object)
    changed = Signal(object)
    _edited = Signal()

    def __init__(
        self, ctx: AppContext, account: SyncAccount | None = None, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.account = account or SyncAccount(ctx.data_dir, ctx.settings)
        self.failures = 0
        self.task: Task | None = None
        self._api: ServerApi | None = None  # the running sync's client (cancel aborts it)
        self._phase = SyncPhase.IDLE if self.account.signed_in else SyncPhase.UNCONFIGURED
        self._message = ""
        self._retry_in: int | None = None
        self._last_report: SyncReport | None = None
        self._held = False  # the store is closed (a rekey): syncs wait (see hold())
        self._missed = False  # a sync was due while held
        self._missed_edit = False  # a local edit was heard while held
        self.status = SyncStatus(self._phase, overview(ctx.store))

        self.periodic = QTimer(self)
        self.periodic.timeout.connect(self.sync_now)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.timeout.connect(self.sync_now)
        self.after_edit = QTimer(self)
        self.after_edit.setSingleShot(True)
        self.after_edit.timeout.connect(self.sync_now)
        self._edited.connect(self._on_local_edit)
        self._feed = change_feed(ctx.store)
        self._unsubscribe: Callable[[], None] | None = self._feed.subscribe(self._on_commit)

    # --- timers -----------------------------------------------------------------------------

    def start(self) -> None:
        """Begin background sync (first attempt right away when signed in)."""
        self.periodic.start(max(30, int(self.ctx.settings.get("sync.interval_seconds"))) * 1000)
        if self.account.signed_in:
            QTimer.singleShot(0, self.sync_now)
        self.publish()

    def stop(self) -> None:
        """Stop the timers and a sync in flight (the app closes)."""
        self.cancel()
        for timer in (self.periodic, self.retry, self.after_edit):
            timer.stop()
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def hold(self) -> None:
        """Start no sync, and read nothing, until :meth:`release`: the store is closed (its
        passphrase is being changed). A sync due meanwhile runs at the release."""
        self._held = True

    def release(self) -> None:
        self._held = False
        if self._missed_edit:
            self._missed_edit = False
            self._on_local_edit()
        if self._missed:
            self._missed = False
            self.sync_now()

    def watch(self, store: Store) -> None:
        """Hear the commits of ``store`` (a restored backup replaced the store)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._feed = change_feed(store)
        self._unsubscribe = self._feed.subscribe(self._on_commit)

    def _on_commit(self, changes: Changes, _captured: bool) -> None:
        """Runs in whichever thread committed: only emit (thread-safe), never touch widgets.
        A transaction that logged a local edit asks for a sync soon (sync's own writes log
        none)."""
        if changes.local_edit:
            self._edited.emit()

    def _on_local_edit(self) -> None:
        if self._held:  # publish() reads the store
            self._missed_edit = True
            return
        delay = int(self.ctx.settings.get("sync.after_edit_seconds"))
        if delay > 0 and self.account.signed_in and self._phase is not SyncPhase.ERROR:
            if not self.after_edit.isActive():
                self.after_edit.start(delay * 1000)
        self.publish()

    # --- running ----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.task is not None and not self.task.done

    def sync_now(self) -> bool:
        """Start a sync unless one runs or the device is not signed in. Returns whether it started."""
        if self.running:
            return False
        if self._held:
            self._missed = True
            return False
        if not self.account.signed_in:
            self._set(SyncPhase.UNCONFIGURED, "")
            return False
        self.retry.stop()
        self.after_edit.stop()
        store = self.ctx.store
        files = self.ctx.attachment_files
        account = self.account
        feed = self._feed

        def work(state: TaskState) -> SyncReport:
            # The client is built here, off the GUI thread: its TLS set-up takes ~0.2 s.
            api = self._api = account.api()
            with feed.capture("sync") as capture:
                try:
                    state.check()  # cancelled while the client was being built
                    return sync_once(store, api, state, files)
                finally:
                    api.close()
                    if capture.changes:  # also when the sync failed after writing something
                        with contextlib.suppress(RuntimeError):  # the window closed meanwhile
                            self.changed.emit(capture.changes)

        self._set(SyncPhase.SYNCING, "")
        self.task = run_task(
            work,
            title="sync",
            on_done=self._succeeded,
            on_error=self._failed,
            dialog=False,
        )
        return True

    def cancel(self) -> bool:
        """Stop the running sync now, also while it waits for a silent server: the request in
        flight is aborted, what is not uploaded stays queued. Returns whether one ran."""
        if not self.running or self.task is None:
            return False
        self.task.cancel()
        if self._api is not None:
            self._api.abort()
        return True

    def wait(self, timeout_ms: int = 30_000) -> None:
        """Block until the running sync ends (used when closing the app)."""
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(timeout_ms)

    def _succeeded(self, report: SyncReport) -> None:
        self._api = None
        self.failures = 0
        self._last_report = report
        self._set(SyncPhase.IDLE, "")
        self.finished.emit(report)

    def _failed(self, error: BaseException) -> None:
        self._api = None
        if isinstance(error, Cancelled):
            self._set(SyncPhase.IDLE, self.tr("Sync cancelled; changes not uploaded stay queued"))
            return
        if isinstance(error, OfflineError):
            self.failures += 1
            limit = int(self.ctx.settings.get("sync.max_backoff_seconds"))
            delay = min(FIRST_RETRY_SECONDS * 2 ** (self.failures - 1), max(limit, 1))
            self.retry.start(delay * 1000)
            self._retry_in = delay
            self._set(SyncPhase.OFFLINE, error.message(self.ctx.language), keep_retry=True)
            return
        if isinstance(error, UserError):
            message = error.message(self.ctx.language)
        else:  # details (may hold SQL or customer data) go to the log, never the status bar
            log.error("sync failed", exc_info=error)
            message = SyncFailed(error).message(self.ctx.language)
        self._set(SyncPhase.ERROR, message)

    # --- status -----------------------------------------------------------------------------

    def _set(self, phase: SyncPhase, message: str, *, keep_retry: bool = False) -> None:
        self._phase = phase
        self._message = message
        if not keep_retry:
            self._retry_in = None
        self.publish()

    def publish(self) -> None:
        """Re-read pending/conflict counts and tell the status bar."""
        self.status = SyncStatus(
            self._phase,
            overview(self.ctx.store),
            self._message,
            self._retry_in,
            self._last_report,
        )
        self.status_changed.emit(self.status)

    def signed_in_changed(self) -> None:
        """The manager signed in or out on the Sync page."""
        self.failures = 0
        if self.account.signed_in:
            self._set(SyncPhase.IDLE, "")
            self.sync_now()
        else:
            self.retry.stop()
            self._set(SyncPhase.UNCONFIGURED, "")


def describe_last_success(when: datetime | None, language: str) -> str:
    if when is None:
        return "never" if language.startswith("en") else "从未"
    return when.strftime("%Y-%m-%d %H:%M")
