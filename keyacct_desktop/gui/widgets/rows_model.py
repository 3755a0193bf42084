"""A small read-only table model over a list of plain rows (for short lists)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView

ObjectRole = Qt.ItemDataRole.UserRole + 1


class RowsModel(QAbstractTableModel):
    """Rows of display strings plus one object per row (returned for ``ObjectRole``)."""

    def __init__(self, headers: Sequence[str], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows: list[Sequence[Any]] = []
        self._objects: list[Any] = []
        self._backgrounds: list[QColor | None] = []

    def set_rows(
        self,
        rows: Sequence[Sequence[Any]],
        objects: Sequence[Any] | None = None,
        backgrounds: Sequence[QColor | None] | None = None,
    ) -> None:
        """Replace the rows; ``backgrounds`` optionally colours whole rows (warnings, overdue)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._objects = list(objects) if objects is not None else [None] * len(self._rows)
        self._backgrounds = (
            list(backgrounds) if backgrounds is not None else [None] * len(self._rows)
        )
        self.endResetModel()

    def object_at(self, row: int) -> Any:
        return self._objects[row]

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section] if 0 <= section < len(self._headers) else None
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if 0 <= index.column() < len(self._headers):
                value = self._rows[index.row()][index.column()]
                return "" if value is None else str(value)
        if role == ObjectRole:
            return self._objects[index.row()]
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._backgrounds[index.row()]
        return None


def fit_columns(view: QTableView, widths: dict[int, int], stretch: int) -> None:
    """Fixed starting widths for narrow columns, the ``stretch`` column takes the rest.

    A column is never narrower than its (translated) header text, so no header is clipped.
    """
    header = view.horizontalHeader()
    for column, width in widths.items():
        header.resizeSection(column, max(width, header.sectionSizeFromContents(column).width()))
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
