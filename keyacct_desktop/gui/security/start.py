"""Start-up of a protected session: sign in, open and check the store, recover if damaged."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from keyacct_desktop.backup import StoreDamagedError, backups_dir, list_backups, restore_backup
from keyacct_desktop.context import AppContext
from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import show_error
from keyacct_desktop.gui.security.restore import RestoreDialog
from keyacct_desktop.gui.security.sign_in import SignInDialog, mode_for
from keyacct_desktop.paths import store_path
from keyacct_desktop.security.keys import DeviceKeys, KdfParams
from keyacct_desktop.security.session import remembered_sign_in
from keyacct_desktop.settings import Settings


def ask_for_key(
    data_dir: Path,
    keys: DeviceKeys,
    settings: Settings,
    *,
    kdf_params: KdfParams | None = None,
    parent: QWidget | None = None,
) -> bytes | None:
    """The store key: from the OS keyring if remembered, else from the sign-in dialog."""
    key = remembered_sign_in(data_dir, keys)
    if key is not None:
        return key
    dialog = SignInDialog(
        data_dir,
        keys,
        mode_for(data_dir, keys),
        language=str(settings.get("ui.language")),
        min_length=int(settings.get("security.min_passphrase_length")),
        kdf_params=kdf_params,
        parent=parent,
    )
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.key


def recover_damaged_store(
    data_dir: Path,
    key: bytes | None,
    damage: StoreDamagedError,
    language: str,
    parent: QWidget | None = None,
) -> bool:
    """Offer the backups of a damaged store; ``True`` once one is back in its place.

    ``False`` when the user quits rather than restoring. A backup that turns out damaged
    too is reported and the list offered again.
    """
    while True:
        dialog = RestoreDialog(
            list_backups(backups_dir(data_dir)), damage=damage, language=language, parent=parent
        )
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.selected() is None:
            return False
        chosen = dialog.selected()
        assert chosen is not None
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            restore_backup(chosen.path, store_path(data_dir), key)
            return True
        except UserError as error:
            show_error(parent, error, language)
        finally:
            QApplication.restoreOverrideCursor()


def open_with_recovery(
    data_dir: Path, key: bytes | None, language: str, parent: QWidget | None = None
) -> AppContext | None:
    """Open the store on this thread; if its integrity check fails, offer the backups.

    Returns ``None`` when the user quits rather than restoring. (The app opens the store
    on a worker after showing its window: ``gui.app.StoreOpening``.)
    """
    while True:
        try:
            return AppContext.open(data_dir, key=key)
        except StoreDamagedError as damage:
            if not recover_damaged_store(data_dir, key, damage, language, parent):
                return None
