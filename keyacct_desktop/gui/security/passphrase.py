"""Changing the passphrase: current one, new one twice; the store is re-encrypted at once."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


class ChangePassphraseDialog(QDialog):
    """Collects the current and the new passphrase; the controller does the change.

    Attributes:
        current, new, confirmation: the three password fields.
        error: the message of the last failed attempt, shown under the fields.
        busy: the store is being re-encrypted; the dialog cannot be changed or closed.
    """

    def __init__(self, min_length: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changePassphraseDialog")
        self.setWindowTitle(self.tr("Change passphrase"))
        self.setMinimumWidth(440)
        self.busy = False
        explanation = QLabel(
            self.tr(
                "The data on this computer is re-encrypted with the new passphrase (at least %1 characters). Backups made with the old passphrase are deleted and a new one is taken."
            ).replace("%1", str(min_length))
        )
        explanation.setWordWrap(True)
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.confirmation = QLineEdit()
        for name, field in (
            ("old_passphrase", self.current),
            ("passphrase", self.new),
            ("confirmation", self.confirmation),
        ):
            field.setObjectName(name)
            field.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Current passphrase:"), self.current)
        form.addRow(self.tr("New passphrase:"), self.new)
        form.addRow(self.tr("Repeat new passphrase:"), self.confirmation)
        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Change"))
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    def field_named(self, name: str | None) -> QLineEdit:
        return {"old_passphrase": self.current, "confirmation": self.confirmation}.get(
            name or "", self.new
        )

    def show_error(self, text: str, field: str | None) -> None:
        self.error.setText(text)
        self.error.show()
        self.adjustSize()
        target = self.field_named(field)
        target.selectAll()
        target.setFocus()

    def set_busy(self, busy: bool) -> None:
        """While the store is re-encrypted: nothing to edit, and no way out (closing would give
        the main window back while its store is closed)."""
        self.busy = busy
        for widget in (self.current, self.new, self.confirmation, self.buttons):
            widget.setEnabled(not busy)
        if busy:
            self.error.hide()

    def reject(self) -> None:
        if not self.busy:  # Esc and the close button end up here too
            super().reject()
