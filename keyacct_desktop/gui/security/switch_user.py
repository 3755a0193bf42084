"""The dialog shown when another user signs in where a user's data is (sync page).

It says whose data this computer holds and, truthfully, what exists only here and would be
lost; then it offers "sync first, then switch" (when the server can be reached) or "wipe and
switch", which needs a typed confirmation. What happens next is ``sync.switch`` and
``SecurityController.switch_user``.
"""

from __future__ import annotations

import enum

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.gui.sync.status import local_only_lines
from keyacct_desktop.gui.text import arg
from keyacct_desktop.sync.review import LocalOnly


class SwitchChoice(enum.Enum):
    SYNC_FIRST = "sync_first"  # sync the present user's work, then wipe and switch
    WIPE = "wipe"  # wipe now (typed confirmation), then switch


class SwitchUserDialog(QDialog):
    """Whose data is here, what would be lost, and how to switch.

    Attributes:
        choice: what the user chose once the dialog was accepted (``None`` otherwise).
        sync_first_button: "同步后切换"; disabled when the server cannot be reached.
        confirmation: where the user types the confirmation word to enable ``wipe_button``.
        wipe_button: "清除并切换".
    """

    def __init__(
        self,
        previous: str,
        username: str,
        left: LocalOnly,
        *,
        online: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice: SwitchChoice | None = None
        self.setObjectName("switchUserDialog")
        self.setModal(True)
        self.setMinimumWidth(520)
        self.setWindowTitle(self.tr("Switch user"))

        heading = QLabel(arg(self.tr("This computer holds %1's data"), previous))
        heading.setObjectName("heading")
        font = heading.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        heading.setFont(font)
        self.explanation = QLabel(
            arg(
                self.tr(
                    "A computer holds one user's data. To sign in as %2, %1's customers, "
                    "backups, attachments and saved keys are first removed from this computer; "
                    "then KeyAcct closes, and at the next start %2 chooses a passphrase and "
                    "gets their customers from the server."
                ),
                previous,
                username,
            )
        )
        self.explanation.setWordWrap(True)
        self.losses = QLabel()
        self.losses.setObjectName("losses")
        self.losses.setWordWrap(True)
        if left.total:
            self.losses.setText(
                "\n".join(
                    [
                        self.tr("These exist only on this computer and would be lost for good:"),
                        *local_only_lines(left),
                    ]
                )
            )
            self.losses.setStyleSheet("color: #b00020;")
        else:
            self.losses.setText(self.tr("All changes have been synced to the server."))

        self.sync_first_button = QPushButton(self.tr("Sync first, then switch"))
        self.sync_first_button.setObjectName("syncFirst")
        self.sync_first_button.setEnabled(online)
        self.sync_first_button.clicked.connect(lambda: self._choose(SwitchChoice.SYNC_FIRST))
        sync_note = QLabel(
            arg(
                self.tr(
                    "Uploads %1's changes with their sign-in; switches only if nothing is left "
                    "that exists only on this computer."
                ),
                previous,
            )
            if online
            else self.tr("The server cannot be reached now, so syncing first is not possible.")
        )
        sync_note.setWordWrap(True)

        self.word = self.tr("wipe")
        self.confirmation = QLineEdit()
        self.confirmation.setObjectName("confirmation")
        self.confirmation.setPlaceholderText(self.word)
        self.wipe_button = QPushButton(self.tr("Wipe and switch"))
        self.wipe_button.setObjectName("wipe")
        self.wipe_button.setEnabled(False)
        self.wipe_button.clicked.connect(lambda: self._choose(SwitchChoice.WIPE))
        self.confirmation.textChanged.connect(
            lambda text: self.wipe_button.setEnabled(text.strip() == self.word)
        )
        wipe_note = QLabel(arg(self.tr("To wipe without syncing, type “%1”:"), self.word))
        wipe_note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            arg(self.tr("Cancel (stay with %1)"), previous)
        )
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.explanation)
        layout.addWidget(self.losses)
        layout.addSpacing(8)
        layout.addWidget(self.sync_first_button)
        layout.addWidget(sync_note)
        layout.addSpacing(8)
        layout.addWidget(wipe_note)
        layout.addWidget(self.confirmation)
        layout.addWidget(self.wipe_button)
        layout.addSpacing(8)
        layout.addWidget(buttons)
        (self.sync_first_button if online else self.confirmation).setFocus()

    def _choose(self, choice: SwitchChoice) -> None:
        self.choice = choice
        self.accept()
