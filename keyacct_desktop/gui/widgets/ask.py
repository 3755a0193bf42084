"""Short questions and notes in message boxes, so a button either acts or says why not.

``confirm`` asks Yes/No (No is the default: Enter does not issue or delete by accident);
``tell`` explains why nothing happened (e.g. nothing was selected).
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """Ask before an action that cannot be taken back; ``True`` only for Yes."""
    answer = QMessageBox.question(
        parent,
        title,
        text,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def tell(parent: QWidget | None, title: str, text: str) -> None:
    """Say why a button did nothing."""
    QMessageBox.information(parent, title, text)
