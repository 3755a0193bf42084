"""Security for a running app: the Security menu, idle lock, backups, restore and sign-out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QObject, Qt, QThreadPool, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from keyacct_desktop.backup import (
    BackupInfo,
    auto_backup,
    backup_is_due,
    backups_dir,
    check_file,
    create_backup,
    list_backups,
    open_checked_store,
    put_backup_in_place,
    unusable_backup,
)
from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import error_text, show_error
from keyacct_desktop.gui.operations import database_worker
from keyacct_desktop.gui.security.idle import IdleLock
from keyacct_desktop.gui.security.passphrase import ChangePassphraseDialog
from keyacct_desktop.gui.security.restore import RestoreDialog
from keyacct_desktop.gui.security.sign_in import SignInDialog, SignInMode
from keyacct_desktop.gui.sync.controller import SyncController
from keyacct_desktop.gui.sync.status import local_only_lines
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.gui.text import arg
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.keys import DeviceKeys, KdfParams, check_new_passphrase
from keyacct_desktop.security.session import change_passphrase
from keyacct_desktop.sync.account import SyncAccount, wipe_device
from keyacct_desktop.sync.review import local_only

log = logging.getLogger(__name__)


@runtime_checkable
class StoreWindow(Protocol):
    """What the controller needs of the main window beyond ``QMainWindow``."""

    def store_replaced(self) -> None:
        """``ctx.store`` is a new store (a restore): listen to it, refresh everything."""


class SecurityController(QObject):
    """Adds the Security menu to the main window and runs lock, backup, restore and sign-out.

    Attributes:
        ctx: the application context; its ``store`` is replaced after a restore.
        window: the main window, hidden while locked.
        idle_lock: the application-wide idle timer.
        locked: whether the lock dialog is up.

    Signals:
        locked_changed(bool): the app was locked (True) or unlocked (False).
        backed_up(object): a backup finished (its ``BackupInfo``).
        restored(object): a backup was restored (its ``BackupInfo``).
        signed_out(): local data was wiped; the app should quit.
        passphrase_changed(): the store was re-encrypted under a new passphrase.
    """

    locked_changed = Signal(bool)
    backed_up = Signal(object)
    restored = Signal(object)
    signed_out = Signal()
    passphrase_changed = Signal()

    def __init__(self, ctx: AppContext, window: QMainWindow, keys: DeviceKeys) -> None:
        super().__init__(window)
        self.setObjectName("securityController")  # the sync page asks it to switch users
        self.ctx = ctx
        self.window = window
        self.keys = keys
        self.locked = False
        self.wiped = False
        #: Argon2id cost for a new passphrase (``None``: the production default).
        self.kdf_params: KdfParams | None = None
        self._hidden_windows: list[QWidget] = []
        self.lock_dialog: SignInDialog | None = None
        self._tasks: list[Task] = []
        self.idle_lock = IdleLock(int(ctx.settings.get("security.idle_lock_minutes")), self)
        self.idle_lock.idle.connect(self.lock)
        if isinstance(window, StoreWindow):  # a restore opens a new store: pages and editors
            self.restored.connect(lambda _info: window.store_replaced())  # hear it on its bus
        app = QApplication.instance()
        if app is not None and ctx.store.key is not None:
            app.installEventFilter(self.idle_lock)
        else:
            self.idle_lock.set_minutes(0)  # an unencrypted (demo) store has no passphrase
        self._build_menu()

    def _build_menu(self) -> None:
        self.menu = menu = self.window.menuBar().addMenu(self.tr("&Security"))
        menu.setObjectName("securityMenu")
        self.lock_action = QAction(self.tr("Lock now"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setEnabled(self.ctx.store.key is not None)
        self.lock_action.triggered.connect(self.lock)
        self.backup_action = QAction(self.tr("Back up now"), self)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self.tr("Restore from backup…"), self)
        self.restore_action.triggered.connect(self.choose_backup_to_restore)
        self.passphrase_action = QAction(self.tr("Change passphrase…"), self)
        self.passphrase_action.setEnabled(self.ctx.store.key is not None)
        self.passphrase_action.triggered.connect(self.ask_to_change_passphrase)
        self.sign_out_action = QAction(
            self.tr("Sign out and remove data from this computer…"), self
        )
        self.sign_out_action.triggered.connect(self.sign_out)
        for action in (self.lock_action, self.backup_action, self.restore_action):
            menu.addAction(action)
        menu.addAction(self.passphrase_action)
        menu.addSeparator()
        menu.addAction(self.sign_out_action)
        self.window.addAction(self.lock_action)

    # --- idle lock ------------------------------------------------------------------------

    def lock(self) -> None:
        """Hide the window and ask for the passphrase again."""
        if self.locked or self.ctx.store.key is None:
            return
        self.locked = True
        self.idle_lock.pause()
        # The window hides while locked; closing the lock dialog must not count as "last
        # window closed" and quit the app.
        QApplication.setQuitOnLastWindowClosed(False)
        # Every window goes, not only the main one: an open customer card shows data too.
        self._hidden_windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        for widget in self._hidden_windows:
            widget.hide()
        self.lock_dialog = SignInDialog(
            self.ctx.data_dir,
            self.keys,
            SignInMode.UNLOCK,
            language=self.ctx.language,
            current_key=self.ctx.store.key,
        )
        self.lock_dialog.finished.connect(self._lock_dialog_finished)
        self.locked_changed.emit(True)
        self.lock_dialog.open()

    def _lock_dialog_finished(self, result: int) -> None:
        self.lock_dialog = None
        QApplication.setQuitOnLastWindowClosed(True)
        if result != SignInDialog.DialogCode.Accepted:
            self.window.close()  # "Quit" on the lock screen: the data stays closed
            return
        self.locked = False
        for widget in self._hidden_windows:
            widget.show()
        self._hidden_windows = []
        self.idle_lock.resume()
        self.locked_changed.emit(False)

    # --- backups --------------------------------------------------------------------------

    def _keep(self) -> int:
        return int(self.ctx.settings.get("backup.keep"))

    def _run(
        self, fn: Callable[[TaskState], Any], title: str, on_done: Callable[[Any], None]
    ) -> Task:
        task = run_task(
            fn,
            title=title,
            parent=self.window,
            on_done=on_done,
            on_error=lambda error: show_error(self.window, error, self.ctx.language),
        )
        self._tasks = [t for t in self._tasks if not t.done] + [task]
        return task

    def back_up_now(self) -> Task:
        directory = backups_dir(self.ctx.data_dir)
        store = self.ctx.store
        return self._run(
            lambda state: create_backup(store, directory, keep=self._keep(), state=state),
            self.tr("Backing up…"),
            self._backed_up,
        )

    def back_up_if_due(self) -> Task | None:
        """The automatic backup: taken when the newest is older than ``backup.interval_hours``."""
        hours = int(self.ctx.settings.get("backup.interval_hours"))
        if hours <= 0 or not backup_is_due(backups_dir(self.ctx.data_dir), timedelta(hours=hours)):
            return None
        return self.back_up_now()

    def back_up_on_exit(self) -> BackupInfo | None:
        """The automatic backup at exit, taken in the foreground (the event loop is over)."""
        try:
            return auto_backup(
                self.ctx.store,
                self.ctx.data_dir,
                keep=self._keep(),
                interval_hours=int(self.ctx.settings.get("backup.interval_hours")),
            )
        except Exception:  # a failed backup must never turn a clean exit into a crash
            log.exception("automatic backup at exit failed")
            return None

    def _backed_up(self, info: BackupInfo) -> None:
        self.window.statusBar().showMessage(
            self.tr("Backed up: %1").replace("%1", info.path.name), 8000
        )
        self.backed_up.emit(info)

    def choose_backup_to_restore(self) -> RestoreDialog:
        backups = list_backups(backups_dir(self.ctx.data_dir))
        dialog = RestoreDialog(backups, language=self.ctx.language, parent=self.window)
        dialog.accepted.connect(lambda: self._confirm_restore(dialog.selected()))
        dialog.open()
        return dialog

    def _confirm_restore(self, info: BackupInfo | None) -> None:
        if info is None:
            return
        answer = QMessageBox.question(
            self.window,
            self.tr("Restore from backup"),
            self.tr(
                "Replace the current data with the backup of %1? Changes made after it will no longer be in the data (the current file is kept in the backups folder)."
            ).replace("%1", f"{info.created_at:%Y-%m-%d %H:%M}"),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(info)

    def _refuse_while_busy(self) -> bool:
        """Restore and sign-out swap the store file: no worker may be using it meanwhile."""
        if QThreadPool.globalInstance().activeThreadCount() == 0:
            return False
        show_error(
            self.window,
            UserError(
                "请等正在进行的操作(如同步、备份)完成后再试",
                "wait until the running operation (sync, backup…) has finished, then try again",
            ),
            self.ctx.language,
        )
        return True

    def restore(self, info: BackupInfo, on_finished: Callable[[bool], None] | None = None) -> bool:
        """Check the backup on a worker, then put it in place of the store; pages refresh.

        The check (a full ``integrity_check`` of the backup, seconds for a large store) reads
        only the backup file and runs off the GUI thread with a progress dialog. The swap
        (close, copy, reopen) runs on the GUI thread once no worker is left: while the store
        file is swapped, nothing else may open a connection to it. Returns ``False`` when
        refused at once (work is running); otherwise the outcome reaches ``on_finished``
        (and, when restored, :attr:`restored`).
        """
        if self._refuse_while_busy():
            return False
        key = self.ctx.store.key

        def finish(restored: bool) -> None:
            if on_finished is not None:
                on_finished(restored)

        def checked(problems: list[str]) -> None:
            if problems:
                show_error(self.window, unusable_backup(info.path, problems), self.ctx.language)
                finish(False)
                return
            finish(self._put_in_place(info, key))

        def failed(error: BaseException) -> None:
            show_error(self.window, error, self.ctx.language)
            finish(False)

        task = run_task(
            lambda _state: check_file(info.path, key),
            title=self.tr("Checking the backup…"),
            parent=self.window,
            on_done=checked,
            on_error=failed,
        )
        self._tasks = [t for t in self._tasks if not t.done] + [task]
        return True

    def _put_in_place(self, info: BackupInfo, key: bytes | None) -> bool:
        """The swap of :meth:`restore`, on the GUI thread, for a checked backup."""
        QThreadPool.globalInstance().waitForDone(10_000)  # the check's worker, a late sync
        if self._refuse_while_busy():
            return False
        ctx = self.ctx
        ctx.store.close()
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            put_backup_in_place(info.path, ctx.store.path)
        except OSError as error:
            show_error(self.window, error, ctx.language)
            return False
        finally:
            ctx.store = open_checked_store(ctx.store.path, key)
            QApplication.restoreOverrideCursor()
        self._restored(info)
        return True

    def _restored(self, info: BackupInfo) -> None:
        self.window.statusBar().showMessage(
            self.tr("Restored the backup of %1").replace("%1", f"{info.created_at:%Y-%m-%d %H:%M}"),
            8000,
        )
        self.restored.emit(info)

    # --- passphrase ---------------------------------------------------------------------

    def ask_to_change_passphrase(self) -> ChangePassphraseDialog:
        dialog = ChangePassphraseDialog(
            int(self.ctx.settings.get("security.min_passphrase_length")), self.window
        )
        dialog.buttons.accepted.connect(lambda: self._change_passphrase(dialog))
        dialog.open()
        return dialog

    def _change_passphrase(
        self,
        dialog: ChangePassphraseDialog,
        on_finished: Callable[[bool], None] | None = None,
    ) -> bool:
        """Check the new passphrase at once, then re-encrypt the store on the database worker.

        The rekey (two Argon2id derivations, then ``PRAGMA rekey`` of the whole file: seconds
        for a large store) runs on the one thread that uses the store, after the reads and
        writes queued before it; while it runs the store is closed (``Store.closed``: whatever
        asks for a connection waits, then gets one with the new key), timed work that would
        read it (sync, the idle lock) is held, and the dialog stays busy under a progress
        dialog without Cancel: a rekey cannot be stopped halfway. A mistake is shown at its
        field and the dialog stays open. Returns ``False`` when refused at once (the new
        passphrase is too short or mistyped, work is running); otherwise the outcome reaches
        ``on_finished`` (and, when changed, :attr:`passphrase_changed`).
        """
        if dialog.busy:
            return False
        ctx = self.ctx
        min_length = int(ctx.settings.get("security.min_passphrase_length"))
        old, new, confirmation = (
            dialog.current.text(),
            dialog.new.text(),
            dialog.confirmation.text(),
        )
        try:
            check_new_passphrase(new, confirmation, min_length)
        except UserError as error:
            dialog.show_error(error_text(error, ctx.language), error.field)
            return False
        if self._refuse_while_busy():
            return False
        store, keys, params = ctx.store, self.keys, self.kdf_params
        key = store.key
        assert key is not None

        def rekey(_state: TaskState) -> bytes:
            with store.closed():
                new_key = change_passphrase(
                    store.path,
                    keys,
                    key,
                    old,
                    new,
                    confirmation,
                    min_length=min_length,
                    kdf_params=params,
                )
                store.use_key(new_key)
                open_checked_store(store.path, new_key).close()  # the file opens, and is sound
            return new_key

        def finish(changed: bool) -> None:
            dialog.set_busy(False)
            self._hold_timed_work(False)
            if changed:
                dialog.accept()
                self._passphrase_changed()
            if on_finished is not None:
                on_finished(changed)

        def failed(error: BaseException) -> None:
            changed = store.key != key  # the rekey was done; the check after it failed
            finish(changed)
            if isinstance(error, UserError) and error.field and not changed:
                dialog.show_error(error_text(error, ctx.language), error.field)
            else:
                show_error(self.window if changed else dialog, error, ctx.language)

        dialog.set_busy(True)
        self._hold_timed_work(True)
        task = run_task(
            rekey,
            title=self.tr("Re-encrypting the customer data with the new passphrase…"),
            parent=dialog,
            on_done=lambda _key: finish(True),
            on_error=failed,
            pool=database_worker(),
            cancellable=False,
        )
        self._tasks = [t for t in self._tasks if not t.done] + [task]
        return True

    def _hold_timed_work(self, hold: bool) -> None:
        """While the store is closed for a rekey nothing started by a timer may use it: sync
        (its status reads the store on the GUI thread) waits, and the idle lock, whose
        dialog would check the passphrase against the old key. Operations (autosaved drafts,
        page reads) need nothing: they queue behind the rekey on the database worker."""
        sync = getattr(self.window, "sync_controller", None)
        if hold:
            self.idle_lock.pause()
            if isinstance(sync, SyncController):
                sync.hold()
        else:
            if isinstance(sync, SyncController):
                sync.release()
            if not self.locked:
                self.idle_lock.resume()

    def _passphrase_changed(self) -> None:
        self.window.statusBar().showMessage(self.tr("The passphrase was changed."), 8000)
        self.passphrase_changed.emit()
        self.back_up_now()  # the old backups were shredded with the old key

    # --- sign-out -------------------------------------------------------------------------

    def sign_out(self) -> bool:
        """Warn about unsynced changes, then wipe this computer's data and keys."""
        left = local_only(self.ctx.store)
        text = self.tr(
            "Signing out removes all customer data, backups, attachments and the saved key from this computer."
        )
        if left.total:
            text += "\n\n" + "\n".join(
                [
                    self.tr("These exist only on this computer and will be lost for good:"),
                    *local_only_lines(left),
                ]
            )
        else:
            text += "\n\n" + self.tr("All changes have been synced to the server.")
        answer = QMessageBox.warning(
            self.window,
            self.tr("Sign out and remove data"),
            text + "\n\n" + self.tr("Remove the data from this computer now?"),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes or self._refuse_while_busy():
            return False
        self._wipe()
        self._close_after_wipe()
        return True

    def switch_user(
        self, account: SyncAccount, server_url: str, username: str, answer: dict[str, Any]
    ) -> bool:
        """Wipe the previous user's data, keep the new user's sign-in, close KeyAcct.

        Called by the sync page once the switch was confirmed (``SwitchUserDialog``) and the
        new password proved right (``sync.switch.prepare_switch``). The next start asks the
        new user to choose a passphrase; their customers come from the server.
        """
        QThreadPool.globalInstance().waitForDone(10_000)  # the switch's own worker ends
        if self._refuse_while_busy():
            return False
        previous = account.username
        self._wipe()
        account.keep(server_url, username, answer)
        QMessageBox.information(
            self.window,
            self.tr("Switch user"),
            arg(
                self.tr(
                    "%1's data was removed from this computer and %2 is signed in. KeyAcct "
                    "closes now: start it again and choose a passphrase for %2; their "
                    "customers then come from the server."
                ),
                previous,
                username,
            ),
        )
        self._close_after_wipe()
        return True

    def _wipe(self) -> None:
        self.idle_lock.pause()
        self.ctx.close()
        wipe_device(self.ctx.data_dir, self.keys)
        self.wiped = True

    def _close_after_wipe(self) -> None:
        self.signed_out.emit()
        self.window.setProperty("closeWithoutQuestions", True)  # the data is gone
        self.window.close()
