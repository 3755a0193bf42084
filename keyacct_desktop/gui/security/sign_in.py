"""The sign-in dialog: choose a passphrase on first start, sign in, or unlock after idling."""

from __future__ import annotations

import enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import error_text
from keyacct_desktop.gui.tasks import Task, run_task
from keyacct_desktop.progress import TaskState
from keyacct_desktop.security.device import StoreState, store_state
from keyacct_desktop.security.keys import DeviceKeys, KdfParams
from keyacct_desktop.security.session import needs_new_passphrase, sign_in


class SignInMode(enum.Enum):
    SET_UP = "set_up"  # first start, or an unencrypted store: choose a passphrase
    SIGN_IN = "sign_in"  # start of the app: passphrase opens the store
    UNLOCK = "unlock"  # after the idle lock: the passphrase must match the open store's key


def mode_for(data_dir: Path, keys: DeviceKeys) -> SignInMode:
    return SignInMode.SET_UP if needs_new_passphrase(data_dir, keys) else SignInMode.SIGN_IN


class SignInDialog(QDialog):
    """Asks for the passphrase and turns it into the store key on a worker thread.

    Attributes:
        key: the store key once the dialog was accepted.
        mode: what the dialog is for (:class:`SignInMode`).
    """

    def __init__(
        self,
        data_dir: Path,
        keys: DeviceKeys,
        mode: SignInMode,
        *,
        language: str = "zh_CN",
        current_key: bytes | None = None,
        min_length: int = 8,
        kdf_params: KdfParams | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.data_dir = data_dir
        self.keys = keys
        self.mode = mode
        self.key: bytes | None = None
        self._language = language
        self._current_key = current_key
        self._min_length = min_length
        self._kdf_params = kdf_params
        self._task: Task | None = None
        self.setObjectName("signInDialog")
        self.setModal(True)
        self.setMinimumWidth(460)

        self.heading = QLabel()
        self.heading.setObjectName("heading")
        font = self.heading.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.heading.setFont(font)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmation = QLineEdit()
        self.confirmation.setObjectName("confirmation")
        self.confirmation.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("Remember on this computer (OS keyring)"))
        self.remember.setObjectName("remember")
        self.remember.setChecked(keys.remembered_key() is not None)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()

        form = QFormLayout()
        form.addRow(self.tr("Passphrase:"), self.passphrase)
        if mode is SignInMode.SET_UP:
            form.addRow(self.tr("Repeat passphrase:"), self.confirmation)
        else:
            self.confirmation.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.explanation)
        layout.addLayout(form)
        if mode is not SignInMode.UNLOCK:
            layout.addWidget(self.remember)
        else:
            self.remember.hide()
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._set_texts()

    def _set_texts(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("Quit"))
        if self.mode is SignInMode.SET_UP:
            self.setWindowTitle(self.tr("Protect your data"))
            self.heading.setText(self.tr("Choose a passphrase"))
            plain = store_state(self.data_dir) is StoreState.PLAIN
            self.explanation.setText(
                (
                    self.tr(
                        "The customer data already on this computer will now be encrypted. Nothing is lost."
                    )
                    + "\n"
                    if plain
                    else ""
                )
                + self.tr(
                    "Customer data on this computer is encrypted with a key derived from your passphrase (at least %1 characters). Without it nobody, not even an administrator, can read the data on this computer."
                ).replace("%1", str(self._min_length))
            )
            ok.setText(self.tr("Encrypt and start"))
        elif self.mode is SignInMode.SIGN_IN:
            self.setWindowTitle(self.tr("Sign in"))
            self.heading.setText(self.tr("Sign in to KeyAcct"))
            self.explanation.setText(self.tr("Enter your passphrase to open your customer data."))
            ok.setText(self.tr("Sign in"))
        else:
            self.setWindowTitle(self.tr("Locked"))
            self.heading.setText(self.tr("KeyAcct is locked"))
            self.explanation.setText(
                self.tr("KeyAcct was locked after a period without use. Enter your passphrase.")
            )
            ok.setText(self.tr("Unlock"))

    def _work(self, state: TaskState) -> bytes:
        passphrase = self.passphrase.text()
        if self.mode is SignInMode.UNLOCK:
            assert self._current_key is not None
            if not self.keys.matches(passphrase, self._current_key):
                raise UserError("口令错误", "wrong passphrase", field="passphrase")
            return self._current_key
        return sign_in(
            self.data_dir,
            self.keys,
            passphrase,
            confirmation=self.confirmation.text() if self.mode is SignInMode.SET_UP else None,
            remember=self.remember.isChecked(),
            min_length=self._min_length,
            kdf_params=self._kdf_params,
            state=state,
        )

    def submit(self) -> Task:
        """Check the passphrase off the GUI thread (Argon2id, maybe a first encryption)."""
        self._set_busy(True)
        self.error.hide()
        self._task = run_task(
            self._work,
            title=self.tr("Opening your data…"),
            parent=self,
            on_done=self._succeeded,
            on_error=self._failed,
        )
        return self._task

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.passphrase, self.confirmation, self.remember, self.buttons):
            widget.setEnabled(not busy)

    def _succeeded(self, key: bytes) -> None:
        self._set_busy(False)
        self.key = key
        if (
            self.mode is not SignInMode.UNLOCK
            and self.remember.isChecked()
            and self.keys.remembered_key() != key
        ):
            QMessageBox.information(
                self,
                self.windowTitle(),
                self.tr(
                    "This computer has no usable keyring, so the key could not be remembered. You will be asked for the passphrase at every start."
                ),
            )
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(error_text(error, self._language))
        self.error.show()
        self.adjustSize()
        field = getattr(error, "field", None)
        target = self.confirmation if field == "confirmation" else self.passphrase
        target.selectAll()
        target.setFocus(Qt.FocusReason.OtherFocusReason)
