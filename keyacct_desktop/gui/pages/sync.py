"""同步 page: sign in to the server, sync now, see what waits for upload, review conflicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.operations import QueryOp, run_write
from keyacct_desktop.gui.pages.page import PageBase
from keyacct_desktop.gui.security.switch_user import SwitchChoice, SwitchUserDialog
from keyacct_desktop.gui.sync.controller import SyncController, SyncPhase, SyncStatus
from keyacct_desktop.gui.sync.status import local_only_lines
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.gui.widgets.rows_model import RowsModel, fit_columns
from keyacct_desktop.progress import Cancelled, TaskState
from keyacct_desktop.sync import review
from keyacct_desktop.sync.account import OtherUsersDataError, default_device_name
from keyacct_desktop.sync.switch import prepare_switch

T = TypeVar("T")

_CONFLICT = QColor("#fff3cd")
_FAILED = QColor("#f8d7da")


class SyncPage(PageBase, QWidget):
    """Account, status and "sync now"; tabs for pending changes and conflicts.

    The page does not sync by itself: it asks the window's :class:`SyncController`, which
    runs sync off the GUI thread and reports back through ``status_changed``.
    """

    WATCHES = None  # pending changes, conflicts, refusals: anything may count

    #: A sign-in finished: ``True`` signed in, ``False`` refused, failed or cancelled.
    signed_in = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.controller: SyncController | None = getattr(parent, "sync_controller", None)
        self._lists_asked = 0  # the last read of the lists asked (older answers are dropped)
        self.sign_in_task: Task | None = None
        self._attempt: tuple[str, str, str] | None = None
        #: The user-switch dialog and work, while another user signs in (see offer_switch).
        self.switch_dialog: SwitchUserDialog | None = None
        self.switch_task: Task | None = None

        account_box = QGroupBox(self.tr("Server account"))
        form = QFormLayout(account_box)
        self.server_url = QLineEdit()
        self.server_url.setPlaceholderText("https://sync.example.cn")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(self.tr("only used to sign in; never stored"))
        self.account_state = QLabel()
        self.sign_in_button = QPushButton(self.tr("Sign in"))
        self.sign_in_button.clicked.connect(self.sign_in)
        self.password.returnPressed.connect(self.sign_in)  # Enter signs in, like the button
        self.sign_out_button = QPushButton(self.tr("Sign out"))
        self.sign_out_button.clicked.connect(self.sign_out)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sign_in_button)
        buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        form.addRow(self.tr("Server address"), self.server_url)
        form.addRow(self.tr("User name"), self.username)
        form.addRow(self.tr("Password"), self.password)
        form.addRow("", self.account_state)
        form.addRow("", buttons)

        status_box = QGroupBox(self.tr("Status"))
        status_layout = QVBoxLayout(status_box)
        self.status_text = QLabel()
        self.status_text.setWordWrap(True)
        self.status_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sync_button = QPushButton(self.tr("Sync now"))
        self.sync_button.setToolTip("F9")  # the window's action: it works from every page
        self.sync_button.clicked.connect(self.sync_now)
        self.cancel_sync_button = QPushButton(self.tr("Cancel sync"))
        self.cancel_sync_button.setEnabled(False)
        self.cancel_sync_button.clicked.connect(self.cancel_sync)
        status_layout.addWidget(self.status_text)
        sync_buttons = QHBoxLayout()
        sync_buttons.addWidget(self.sync_button)
        sync_buttons.addWidget(self.cancel_sync_button)
        sync_buttons.addStretch(1)
        status_layout.addLayout(sync_buttons)

        top = QHBoxLayout()
        top.addWidget(account_box, 3)
        top.addWidget(status_box, 2)

        self.pending_model = RowsModel(
            [
                self.tr("Changed at"),
                self.tr("Kind"),
                self.tr("Record"),
                self.tr("Change"),
                self.tr("Fields"),
                self.tr("Attempts"),
                self.tr("Last error"),
            ],
            self,
        )
        self.pending_view = QTableView()
        self.pending_view.setModel(self.pending_model)
        self.pending_view.verticalHeader().hide()
        fit_columns(self.pending_view, {0: 130, 1: 100, 2: 200, 3: 60, 4: 220, 5: 60}, 6)

        self.conflict_model = RowsModel(
            [
                self.tr("Detected"),
                self.tr("Customer"),
                self.tr("Record"),
                self.tr("Field"),
                self.tr("Current value (kept)"),
                self.tr("Overwritten value"),
                self.tr("Overwritten by"),
            ],
            self,
        )
        self.conflict_view = QTableView()
        self.conflict_view.setModel(self.conflict_model)
        self.conflict_view.verticalHeader().hide()
        self.conflict_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.conflict_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        fit_columns(self.conflict_view, {0: 120, 1: 180, 2: 150, 3: 110, 4: 180, 5: 180}, 6)
        self.keep_button = QPushButton(self.tr("Keep current value"))
        self.keep_button.clicked.connect(self.keep_current)
        self.restore_button = QPushButton(self.tr("Restore overwritten value"))
        self.restore_button.clicked.connect(self.restore_lost)
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        conflict_layout.addWidget(
            QLabel(
                self.tr(
                    "When the same field was changed on two devices, the first change to reach "
                    "the server is kept and the other is saved here. Nothing is lost: restore "
                    "the overwritten value or confirm the current one."
                )
            )
        )
        conflict_layout.addWidget(self.conflict_view, 1)
        conflict_buttons = QHBoxLayout()
        conflict_buttons.addWidget(self.restore_button)
        conflict_buttons.addWidget(self.keep_button)
        conflict_buttons.addStretch(1)
        conflict_layout.addLayout(conflict_buttons)

        self.rejected_model = RowsModel(
            [
                self.tr("Kind"),
                self.tr("Record"),
                self.tr("Change"),
                self.tr("Why the server refused it"),
                self.tr("Your values"),
            ],
            self,
        )
        self.rejected_view = QTableView()
        self.rejected_view.setModel(self.rejected_model)
        self.rejected_view.verticalHeader().hide()
        self.rejected_view.setWordWrap(True)
        self.rejected_view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.rejected_view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        fit_columns(self.rejected_view, {0: 100, 1: 180, 2: 70, 3: 320}, 4)
        self.resend_button = QPushButton(self.tr("Resend (with what depends on it)"))
        self.resend_button.clicked.connect(self.resend_refused)
        self.discard_button = QPushButton(self.tr("Discard…"))
        self.discard_button.clicked.connect(self.discard_refused)
        rejected_page = QWidget()
        rejected_layout = QVBoxLayout(rejected_page)
        explanation = QLabel(
            self.tr(
                "The server refused these changes. They are kept on this computer with your "
                "values until you act: fix the record (for example choose one of your grids "
                "in the customer file), then resend it together with everything that depends "
                "on it, or discard it."
            )
        )
        explanation.setWordWrap(True)
        rejected_layout.addWidget(explanation)
        rejected_layout.addWidget(self.rejected_view, 1)
        rejected_buttons = QHBoxLayout()
        rejected_buttons.addWidget(self.resend_button)
        rejected_buttons.addWidget(self.discard_button)
        rejected_buttons.addStretch(1)
        rejected_layout.addLayout(rejected_buttons)

        self.aside_model = RowsModel(
            [self.tr("Since"), self.tr("Kind"), self.tr("Why it waits"), self.tr("Attempts")],
            self,
        )
        self.aside_view = QTableView()
        self.aside_view.setModel(self.aside_model)
        self.aside_view.verticalHeader().hide()
        fit_columns(self.aside_view, {0: 120, 1: 120, 3: 70}, 2)  # why: the rest
        aside_page = QWidget()
        aside_layout = QVBoxLayout(aside_page)
        aside_note = QLabel(
            self.tr(
                "Records downloaded from the server that this computer cannot apply yet. "
                "Everything else was applied; these are tried again at every sync and "
                "applied as soon as what they need has arrived."
            )
        )
        aside_note.setWordWrap(True)
        aside_layout.addWidget(aside_note)
        aside_layout.addWidget(self.aside_view, 1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self.pending_view, self.tr("Changes to upload"))
        self.tabs.addTab(conflict_page, self.tr("Conflicts"))
        self.tabs.addTab(rejected_page, arg(self.tr("Needs attention (%1)"), 0))
        self.tabs.addTab(aside_page, arg(self.tr("Set aside (%1)"), 0))

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        if self.controller is not None:
            self.controller.status_changed.connect(self.show_status)
            self.controller.finished.connect(lambda _report: self.refresh())
        self._load_account()

    # --- account ----------------------------------------------------------------------------

    def _load_account(self) -> None:
        account = self.controller.account if self.controller else None
        if account is None:
            self.setEnabled(False)
            return
        self.server_url.setText(account.server_url)
        self.username.setText(account.username)
        signed_in = account.signed_in
        self.account_state.setText(
            arg(self.tr("Signed in as %1"), account.username)
            if signed_in
            else self.tr("Not signed in: the app works offline.")
        )
        self.sign_out_button.setEnabled(signed_in)
        self.sync_button.setEnabled(signed_in)

    def sign_in(self) -> Task | None:
        """Sign in on a worker: the window stays responsive while the server answers (or not).

        A progress dialog with Cancel appears if it takes long; a cancelled sign-in stores
        nothing, even if the server answers later. Returns the task (``None`` if one runs).
        """
        assert self.controller is not None
        if self.sign_in_task is not None:
            return None
        account = self.controller.account
        url, user, password = self.server_url.text(), self.username.text(), self.password.text()
        self._attempt = (url, user, password)  # kept for a user switch (see _sign_in_failed)
        self.password.clear()
        self.sign_in_button.setEnabled(False)
        self.account_state.setText(self.tr("Signing in…"))
        task = run_task(
            lambda state: account.sign_in(url, user, password, default_device_name(), state),
            title=arg(self.tr("Signing in to %1…"), url),
            parent=self,
            on_done=lambda _answer: self._signed_in(task),
            on_error=lambda error: self._sign_in_failed(task, error),
        )
        # Cancel stops the waiting at once; the answer that may come later is thrown away.
        task.cancel_requested.connect(lambda: self._sign_in_failed(task, Cancelled()))
        self.sign_in_task = task
        return task

    def cancel_sign_in(self) -> None:
        """Stop waiting for the server now (what the progress dialog's Cancel does)."""
        if self.sign_in_task is not None:
            self.sign_in_task.cancel()

    def _sign_in_over(self, task: Task) -> bool:
        """Whether ``task`` is the sign-in still waited for (then it no longer is)."""
        if task is not self.sign_in_task:
            return False
        self.sign_in_task = None
        self.sign_in_button.setEnabled(True)
        return True

    def _signed_in(self, task: Task) -> None:
        if not self._sign_in_over(task):
            return
        self._attempt = None
        assert self.controller is not None
        self._load_account()
        self.controller.signed_in_changed()
        self.signed_in.emit(True)

    def _sign_in_failed(self, task: Task, error: BaseException) -> None:
        if not self._sign_in_over(task):
            return
        attempt, self._attempt = self._attempt, None
        self._load_account()
        if attempt is not None and self.controller and not self.controller.account.signed_in:
            # Keep what was typed: after a wrong password or a Cancel only it is typed again.
            self.server_url.setText(attempt[0])
            self.username.setText(attempt[1])
            self.password.setFocus()
        if isinstance(error, Cancelled):
            self.account_state.setText(self.tr("Sign-in cancelled."))
        elif isinstance(error, OtherUsersDataError) and attempt is not None:
            self.offer_switch(error.previous, attempt)
            return
        else:
            show_error(self, error, self.ctx.language)
        self.signed_in.emit(False)

    # --- switching users -------------------------------------------------------------------

    def offer_switch(self, previous: str, attempt: tuple[str, str, str]) -> SwitchUserDialog:
        """Another user signs in where ``previous``'s data is: say what would be lost and
        offer to sync first or to wipe (``SwitchUserDialog``); shown without blocking."""
        assert self.controller is not None
        online = self.controller.account.signed_in and self.controller.status.phase in (
            SyncPhase.IDLE,
            SyncPhase.SYNCING,
        )
        dialog = SwitchUserDialog(
            previous,
            attempt[1].strip(),
            review.local_only(self.ctx.store),
            online=online,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self._switch(previous, attempt, dialog.choice))
        dialog.rejected.connect(lambda: self.signed_in.emit(False))
        dialog.finished.connect(lambda _result: setattr(self, "switch_dialog", None))
        self.switch_dialog = dialog
        dialog.open()
        return dialog

    def _switch(
        self, previous: str, attempt: tuple[str, str, str], choice: SwitchChoice | None
    ) -> Task | None:
        """Sync first (if chosen) and prove the new password on a worker, then wipe."""
        assert self.controller is not None
        controller = self.controller
        if controller.running:  # a background sync of the present user: switch after it
            running = controller.task
            assert running is not None
            running.finished.connect(lambda _result: self._switch(previous, attempt, choice))
            running.failed.connect(lambda _error: self._switch(previous, attempt, choice))
            return None
        for timer in (controller.periodic, controller.retry, controller.after_edit):
            timer.stop()  # no background sync may start while the folder is switched
        account, store, files = controller.account, self.ctx.store, self.ctx.attachment_files
        sync_first = choice is SwitchChoice.SYNC_FIRST
        self.sign_in_button.setEnabled(False)
        task = run_task(
            lambda state: prepare_switch(
                store, files, account, previous, attempt, sync_first=sync_first, state=state
            ),
            title=arg(self.tr("Switching to %1…"), attempt[1].strip()),
            parent=self,
            on_done=lambda answer: self._switch_ready(attempt, answer),
            on_error=self._switch_failed,
        )
        self.switch_task = task
        return task

    def _switch_ready(self, attempt: tuple[str, str, str], answer: dict[str, Any]) -> None:
        assert self.controller is not None
        from keyacct_desktop.gui.security.controller import SecurityController

        security = self.window().findChild(SecurityController, "securityController")
        url, user, _password = attempt
        if security is None or not security.switch_user(self.controller.account, url, user, answer):
            self._switch_failed(
                UserError(
                    "未能切换用户,本机数据未改动", "the user was not switched; nothing changed"
                )
            )
            return
        self.signed_in.emit(True)

    def _switch_failed(self, error: BaseException) -> None:
        assert self.controller is not None
        self.sign_in_button.setEnabled(True)
        self.controller.start()
        self._load_account()
        if not isinstance(error, Cancelled):
            show_error(self, error, self.ctx.language)
        self.signed_in.emit(False)

    def sign_out(self) -> None:
        """Forget the token; everything that exists only here stays, and the user is told."""
        assert self.controller is not None
        left = review.local_only(self.ctx.store)
        if left.total:
            answer = QMessageBox.question(
                self,
                self.tr("Sign out"),
                "\n".join(
                    [
                        self.tr("These exist only on this computer:"),
                        *local_only_lines(left),
                        self.tr(
                            "They stay on this computer and are handled after the next "
                            "sign-in. Sign out?"
                        ),
                    ]
                ),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.controller.account.forget()
        self._load_account()
        self.controller.signed_in_changed()

    # --- sync -------------------------------------------------------------------------------

    def sync_now(self) -> None:
        if self.controller is not None:
            self.controller.sync_now()

    def cancel_sync(self) -> None:
        """Stop the running sync now (also while the server does not answer)."""
        if self.controller is not None:
            self.controller.cancel()

    def show_status(self, status: SyncStatus) -> None:
        info = status.overview
        lines = []
        phase_text = {
            SyncPhase.UNCONFIGURED: self.tr("Not signed in — working offline"),
            SyncPhase.IDLE: self.tr("Ready"),
            SyncPhase.SYNCING: self.tr("Syncing…"),
            SyncPhase.OFFLINE: self.tr("Server not reachable — will retry automatically"),
            SyncPhase.ERROR: self.tr("Sync stopped with an error"),
        }[status.phase]
        lines.append(phase_text)
        if status.message:
            lines.append(status.message)
        if status.retry_in_seconds is not None:
            lines.append(self.tr("Next attempt in %n second(s)", "", status.retry_in_seconds))
        last = info.last_success.strftime("%Y-%m-%d %H:%M:%S") if info.last_success else "—"
        attempt = info.last_attempt.strftime("%Y-%m-%d %H:%M:%S") if info.last_attempt else "—"
        lines.append(arg(self.tr("Last attempt: %1"), attempt))
        lines.append(arg(self.tr("Last successful sync: %1"), last))
        error = info.error(self.ctx.language)
        if error and status.phase is not SyncPhase.SYNCING and error != status.message:
            lines.append(arg(self.tr("Last error: %1"), error))
        lines.append(arg(self.tr("Changes to upload: %1"), info.pending))
        lines.append(arg(self.tr("Conflicts to review: %1"), info.open_conflicts))
        if info.rejected:
            lines.append(arg(self.tr("Refused changes needing attention: %1"), info.rejected))
        if info.set_aside:
            lines.append(
                arg(
                    self.tr("Downloaded records set aside (retried at every sync): %1"),
                    info.set_aside,
                )
            )
        if info.clock_is_off:
            lines.append(
                arg(
                    self.tr(
                        "This computer's clock differs from the server's by %1 minutes: "
                        "correct the date and time, or dates of new records will be wrong."
                    ),
                    round(abs(info.clock_skew_seconds) / 60),
                )
            )
        self.status_text.setText("\n".join(lines))
        self.sync_button.setEnabled(
            status.phase is not SyncPhase.SYNCING and status.phase is not SyncPhase.UNCONFIGURED
        )
        self.cancel_sync_button.setEnabled(status.phase is SyncPhase.SYNCING)
        self.tabs.setTabText(1, arg(self.tr("Conflicts (%1)"), info.open_conflicts))
        if status.phase is not SyncPhase.SYNCING:
            self.refresh()

    # --- lists ------------------------------------------------------------------------------

    def activated(self) -> None:
        self._load_account()
        if self.controller is not None:
            self.show_status(self.controller.status)
        self.refresh()

    def refresh(self) -> None:
        """Read the pending, conflicting, refused and set-aside changes on the database
        worker (up to 1,000 pending changes, each with its label), then show them; an
        answer older than the last one asked is dropped."""
        store = self.ctx.store

        def read(_state: TaskState) -> tuple[list[Any], list[Any], list[Any], list[Any]]:
            return (
                review.pending_changes(store),
                review.conflicts(store),
                review.rejected_changes(store),
                review.set_aside_rows(store),
            )

        self._lists_asked += 1
        asked = self._lists_asked

        def show(lists: tuple[list[Any], list[Any], list[Any], list[Any]]) -> None:
            if asked == self._lists_asked:
                self._show_lists(*lists)

        def failed(error: BaseException) -> None:
            if asked == self._lists_asked:
                show_error(self, error, self.ctx.language)

        QueryOp(self, read, show, failed).run_in_background()

    def _show_lists(
        self,
        pending: list[review.PendingRow],
        conflicts: list[review.ConflictRow],
        rejected: list[review.RejectedRow],
        aside: list[review.SetAsideRow],
    ) -> None:
        language = self.ctx.language
        self.pending_model.set_rows(
            [
                (
                    change.created_at.strftime("%m-%d %H:%M:%S"),
                    review.table_label(change.table, language),
                    change.label,
                    self.tr("delete") if change.op == "delete" else self.tr("save"),
                    "、".join(review.field_label(f, language) for f in change.fields[:8])
                    + ("…" if len(change.fields) > 8 else ""),
                    change.attempts,
                    change.last_error or "",
                )
                for change in pending
            ],
            pending,
            [_FAILED if change.last_error else None for change in pending],
        )
        self.conflict_model.set_rows(
            [
                (
                    conflict.detected_at.strftime("%m-%d %H:%M"),
                    conflict.customer_name or "—",
                    f"{review.table_label(conflict.table, language)} · {conflict.label}",
                    review.field_label(conflict.field, language),
                    review.show_value(conflict.kept_value, language),
                    review.show_value(conflict.lost_value, language),
                    conflict.lost_by or "—",
                )
                for conflict in conflicts
            ],
            conflicts,
            [_CONFLICT] * len(conflicts),
        )
        has_conflicts = bool(conflicts)
        self.keep_button.setEnabled(has_conflicts)
        self.restore_button.setEnabled(has_conflicts)
        self.rejected_model.set_rows(
            [
                (
                    review.table_label(change.table, language),
                    change.label,
                    self._change_kind(change),
                    change.reason(language),
                    "; ".join(
                        f"{review.field_label(name, language)}: {review.show_value(value)}"
                        for name, value in (change.values or {}).items()
                        if name in change.fields or not change.created
                    ),
                )
                for change in rejected
            ],
            rejected,
            [_FAILED] * len(rejected),
        )
        self.rejected_view.resizeRowsToContents()
        self.resend_button.setEnabled(bool(rejected))
        self.discard_button.setEnabled(bool(rejected))
        self.tabs.setTabText(2, arg(self.tr("Needs attention (%1)"), len(rejected)))
        self.aside_model.set_rows(
            [
                (
                    row.set_aside_at.strftime("%m-%d %H:%M"),
                    review.table_label(row.table, language),
                    row.reason(language),
                    row.attempts,
                )
                for row in aside
            ],
            aside,
        )
        self.tabs.setTabText(3, arg(self.tr("Set aside (%1)"), len(aside)))

    def _change_kind(self, change: review.RejectedRow) -> str:
        if change.created:
            return self.tr("new")
        return self.tr("delete") if change.op == "delete" else self.tr("edit")

    def _selected_refusal(self) -> review.RejectedRow | None:
        rows = self.rejected_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(
                self, self.tr("Needs attention"), self.tr("Select a refused change first.")
            )
            return None
        return self.rejected_model.object_at(rows[0].row())

    def resend_refused(self) -> None:
        """Queue the selected refusal again with everything that depends on it, then sync."""
        change = self._selected_refusal()
        if change is None or change.row_id is None:
            return
        store, table, row_id = self.ctx.store, change.table, change.row_id

        def then(_count: int) -> None:
            self._reviewed()
            if self.controller is not None:
                self.controller.sync_now()

        self._write(lambda _state: review.resend(store, table, row_id), then)

    def _write(self, op: Callable[[TaskState], T], then: Callable[[T], None]) -> bool:
        """A review action as an operation; ``then`` shows its result here."""
        return run_write(
            self, self.ctx.store, op, then, language=self.ctx.language, shown=self.refreshed_for
        )

    def _reviewed(self) -> None:
        """After a review action: the lists here and the counts in the status bar."""
        if self.controller is not None:
            self.controller.publish()
        self.refresh()

    def discard_refused(self) -> bool:
        """Give up the selected refusal and what depends on it, after a confirmation."""
        change = self._selected_refusal()
        if change is None or change.row_id is None:
            return False
        group = review.refusal_group(self.ctx.store, change.table, change.row_id)
        created = sum(1 for item in group if item.created)
        text = self.tr("Discard %n refused change(s)?", "", len(group))
        if created:
            text += "\n\n" + self.tr(
                "%n record(s) exist only on this computer and will be deleted for good.",
                "",
                created,
            )
        if len(group) > created:
            text += "\n\n" + self.tr("For the other changes the server's version stays.")
        answer = QMessageBox.warning(
            self,
            self.tr("Discard refused changes"),
            text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        store, table, row_id = self.ctx.store, change.table, change.row_id
        return self._write(
            lambda _state: review.discard(store, table, row_id), lambda _n: self._reviewed()
        )

    def _selected_conflict(self) -> review.ConflictRow | None:
        rows = self.conflict_view.selectionModel().selectedRows()
        if not rows:
            QMessageBox.information(self, self.tr("Conflicts"), self.tr("Select a conflict first."))
            return None
        return self.conflict_model.object_at(rows[0].row())

    def keep_current(self) -> None:
        self._resolve(review.keep_current)

    def restore_lost(self) -> None:
        rows = self.conflict_view.selectionModel().selectedRows()
        chosen = self.conflict_model.object_at(rows[0].row()) if rows else None
        if chosen is not None and chosen.field == review.DELETED_FIELD:
            answer = QMessageBox.warning(  # the losing side of this conflict was a delete
                self,
                self.tr("Conflicts"),
                self.tr(
                    "This record was deleted on one device while it was edited on another, so "
                    "it was kept. Delete it now after all?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._resolve(review.restore_lost)

    def _resolve(self, action) -> None:
        conflict = self._selected_conflict()
        if conflict is None:
            return
        store, conflict_id = self.ctx.store, conflict.id
        self._write(lambda _state: action(store, conflict_id), lambda _v: self._reviewed())


__all__ = ["SyncPage"]
