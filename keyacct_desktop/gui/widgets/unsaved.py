"""The question an editor asks before its changes would be lost (Esc, Cancel, closing).

One box for every editor, so the answers read the same everywhere: save, keep as a draft
(editors that have drafts), discard, or go back to editing. :func:`ask` is the one place that
waits for the user; tests replace it (``monkeypatch``) with the answer they need.
"""

from __future__ import annotations

import enum

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget


class Answer(enum.Enum):
    SAVE = "save"
    KEEP_DRAFT = "keep_draft"
    DISCARD = "discard"
    EDIT = "edit"  # go back to the editor, nothing happens


def unsaved_box(parent: QWidget | None, what: str, *, drafts: bool = False) -> QMessageBox:
    """The question, not yet shown; each button's ``property("answer")`` is its Answer value."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(QCoreApplication.translate("UnsavedChanges", "Unsaved changes"))
    box.setText(
        QCoreApplication.translate("UnsavedChanges", "%1 has changes that are not saved.").replace(
            "%1", what
        )
    )
    box.setInformativeText(
        QCoreApplication.translate(
            "UnsavedChanges", "Save them, keep them as a draft to finish later, or discard them?"
        )
        if drafts
        else QCoreApplication.translate("UnsavedChanges", "Save them or discard them?")
    )
    buttons = [
        (
            QCoreApplication.translate("UnsavedChanges", "Save"),
            QMessageBox.ButtonRole.AcceptRole,
            Answer.SAVE,
        ),
        *(
            [
                (
                    QCoreApplication.translate("UnsavedChanges", "Keep as draft"),
                    QMessageBox.ButtonRole.ActionRole,
                    Answer.KEEP_DRAFT,
                )
            ]
            * drafts
        ),
        (
            QCoreApplication.translate("UnsavedChanges", "Discard changes"),
            QMessageBox.ButtonRole.DestructiveRole,
            Answer.DISCARD,
        ),
        (
            QCoreApplication.translate("UnsavedChanges", "Go on editing"),
            QMessageBox.ButtonRole.RejectRole,
            Answer.EDIT,
        ),
    ]
    for text, role, answer in buttons:
        button = box.addButton(text, role)
        button.setProperty("answer", answer.value)
        if answer is Answer.EDIT:
            box.setEscapeButton(button)
            box.setDefaultButton(button)
    return box


def ask(parent: QWidget | None, what: str, *, drafts: bool = False) -> Answer:
    """Ask what to do with unsaved changes; Esc or closing the box means "go on editing"."""
    box = unsaved_box(parent, what, drafts=drafts)
    box.exec()
    clicked = box.clickedButton()
    value = clicked.property("answer") if clicked is not None else None
    return Answer(value) if value else Answer.EDIT
