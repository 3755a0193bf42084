"""Reprint by number (File → Reprint by number…, Ctrl+Shift+P).

The manager types the number printed on a document — or scans its QR code with a scanner
that types like a keyboard and ends with Enter — and gets the very document again in the
print preview: checklists (GZ…), plan handouts (FA…), outage notices (TD…, TD…-NNN) and
visit reports (ZF…), laid out as ``keyacct print`` lays them out (same number, same
content; a superseded copy says 已被替代).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.domain.errors import UserError
from keyacct_desktop.gui.errors import error_text
from keyacct_desktop.gui.print_preview import preview_when_rendered
from keyacct_desktop.gui.tasks import Task


class ReprintDialog(QDialog):
    """One field for the number; Enter opens the document in the print preview.

    Attributes:
        number: the number field (focused, so a scanner's keystrokes land in it).
        message: why nothing was found (shown in the dialog, not a message box).
        task: the layout running on a worker, once a document was found.
    """

    def __init__(self, ctx: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.task: Task | None = None
        self.setWindowTitle(self.tr("Reprint by number"))
        self.number = QLineEdit()
        self.number.setPlaceholderText(self.tr("GZ…, FA…, TD…, ZF… or scan the QR code"))
        self.number.setClearButtonEnabled(True)
        hint = QLabel(
            self.tr(
                "Type the number printed on the document, or scan its QR code. The document "
                "is printed again exactly as issued, with the same number."
            )
        )
        hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #a94400;")
        form = QFormLayout()
        label = QLabel(self.tr("Document &number"))
        label.setBuddy(self.number)
        form.addRow(label, self.number)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("&Preview / print"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Close"))
        self.buttons.accepted.connect(self.reprint)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.number.setFocus()

    def reprint(self) -> Task | None:
        """Find the document; show it in the preview (the dialog closes) or say why not."""
        from keyacct_desktop.services.reprint import find_by_number, prepare

        language = self.ctx.language
        try:
            found = find_by_number(self.ctx.store, self.number.text())
            render = prepare(self.ctx.store, self.ctx.settings, self.ctx.attachment_files, found)
        except UserError as error:
            self.message.setText(error_text(error, language))
            self.number.selectAll()
            self.number.setFocus()
            return None
        self.message.clear()
        owner = self.parentWidget() or self
        self.task = preview_when_rendered(owner, render, found.title(language), language)
        self.accept()
        return self.task
