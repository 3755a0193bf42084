"""The warning every export shows before it writes a file outside the encrypted store."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from keyacct_desktop.security.files import export_warning


def confirm_unprotected_export(parent: QWidget | None, target: Path, language: str) -> bool:
    """Ask before writing ``target`` unencrypted; ``True`` means the user accepted.

    Call it from every "Export…"/"Save as PDF…" action, after the file dialog and before
    writing (policy in ``security.files``).
    """
    zh, en = export_warning()
    text = en if language.startswith("en") else zh
    answer = QMessageBox.warning(
        parent,
        QCoreApplication.translate("ExportWarning", "Unencrypted export"),
        f"{text}\n\n{target}",
        QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Save,
    )
    return answer == QMessageBox.StandardButton.Save
