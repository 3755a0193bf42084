"""Choosing a backup to restore: from the Security menu, or at start when the store is damaged."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.backup import BackupInfo, StoreDamagedError
from keyacct_desktop.gui.errors import error_text


def _size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{max(size // 1024, 1)} KB"


class RestoreDialog(QDialog):
    """Lists the backups, newest first, and returns the one the user picks.

    Attributes:
        backups: the backups offered.
        damage: the integrity error that brought the dialog up at start, if any.
    """

    def __init__(
        self,
        backups: list[BackupInfo],
        *,
        damage: StoreDamagedError | None = None,
        language: str = "zh_CN",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.backups = backups
        self.damage = damage
        self.setObjectName("restoreDialog")
        self.setWindowTitle(self.tr("Restore from backup"))
        self.setMinimumSize(480, 320)

        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        lines = []
        if damage is not None:
            lines.append(error_text(damage, language))
        if backups:
            lines.append(
                self.tr(
                    "Choose the backup to restore. The current data file is kept in the backups folder, not deleted; changes made after the backup are not in it."
                )
            )
        else:
            lines.append(self.tr("There are no backups on this computer yet."))
        self.explanation.setText("\n\n".join(lines))

        self.list = QListWidget()
        self.list.setObjectName("backups")
        for index, info in enumerate(backups):
            text = f"{info.created_at:%Y-%m-%d %H:%M:%S}    {_size_text(info.size)}"
            if index == 0:
                text += "    " + self.tr("(newest)")
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, index)
            self.list.addItem(item)
        if backups:
            self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.accept())

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Restore"))
        ok.setEnabled(bool(backups))
        if damage is not None:
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("Quit"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)

    def selected(self) -> BackupInfo | None:
        item = self.list.currentItem()
        return None if item is None else self.backups[int(item.data(Qt.ItemDataRole.UserRole))]
