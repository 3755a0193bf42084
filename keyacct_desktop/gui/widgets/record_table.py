"""A small editable table of plain records (a few rows: plan sources, metering points, fees).

Each column is declared once: a text, number or yes/no cell, or a choice from a
:class:`~keyacct_desktop.domain.enums.LabelledEnum` shown in the UI language. ``records()``
returns plain dicts keyed like the stored data, so the page hands them to a service unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QTableWidget, QTableWidgetItem, QWidget

from keyacct_desktop.domain.enums import LabelledEnum, label
from keyacct_desktop.domain.errors import UserError


@dataclass(frozen=True)
class Column:
    """One column: the record key, its header, and what the cell holds.

    ``kind`` is ``"text"``, ``"number"``, ``"bool"``, or a ``LabelledEnum`` subclass.
    """

    key: str
    header: str
    kind: Any = "text"
    width: int = 0


class RecordTable(QTableWidget):
    """Rows of records with typed cells; ``add_row``/``remove_selected`` for the buttons.

    Attributes:
        columns: the declared columns.
    """

    def __init__(
        self, columns: Sequence[Column], language: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(0, len(columns), parent)
        self.columns = list(columns)
        self._language = language
        self.setHorizontalHeaderLabels([c.header for c in self.columns])
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        for index, column in enumerate(self.columns):
            width = max(column.width, header.sectionSizeFromContents(index).width())
            if column.width:
                header.resizeSection(index, width)
        header.setStretchLastSection(True)

    def _choice(self, enum: type[LabelledEnum], value: Any) -> QComboBox:
        box = QComboBox()
        box.addItem("", None)
        for member in enum:
            box.addItem(label(member, self._language), member.value)
        found = box.findData(value)
        box.setCurrentIndex(max(found, 0))
        return box

    def add_row(self, record: dict[str, Any] | None = None) -> None:
        record = record or {}
        row = self.rowCount()
        self.insertRow(row)
        for index, column in enumerate(self.columns):
            value = record.get(column.key)
            if isinstance(column.kind, type) and issubclass(column.kind, LabelledEnum):
                self.setCellWidget(row, index, self._choice(column.kind, value))
            elif column.kind == "bool":
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                item.setCheckState(Qt.CheckState.Checked if value else Qt.CheckState.Unchecked)
                self.setItem(row, index, item)
            else:
                text = (
                    ""
                    if value is None
                    else (f"{value:g}" if isinstance(value, float) else str(value))
                )
                self.setItem(row, index, QTableWidgetItem(text))

    def set_records(self, records: Sequence[dict[str, Any]]) -> None:
        self.setRowCount(0)
        for record in records:
            self.add_row(record)

    def remove_selected(self) -> None:
        for row in sorted({i.row() for i in self.selectedIndexes()}, reverse=True):
            self.removeRow(row)

    def records(self) -> list[dict[str, Any]]:
        """The rows as dicts; an unreadable number raises :class:`UserError` naming the cell."""
        result = []
        for row in range(self.rowCount()):
            record: dict[str, Any] = {}
            for index, column in enumerate(self.columns):
                widget = self.cellWidget(row, index)
                item = self.item(row, index)
                if isinstance(widget, QComboBox):
                    record[column.key] = widget.currentData()
                elif column.kind == "bool":
                    record[column.key] = item is not None and (
                        item.checkState() == Qt.CheckState.Checked
                    )
                else:
                    text = item.text().strip() if item is not None else ""
                    if column.kind == "number":
                        record[column.key] = _number(text, row, column)
                    else:
                        record[column.key] = text
            if any(v not in (None, "", False) for v in record.values()):
                result.append(record)
        return result

    def set_editable(self, editable: bool) -> None:
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.AllEditTriggers
            if editable
            else QAbstractItemView.EditTrigger.NoEditTriggers
        )
        for row in range(self.rowCount()):
            for index, column in enumerate(self.columns):
                widget = self.cellWidget(row, index)
                if widget is not None:
                    widget.setEnabled(editable)
                item = self.item(row, index)
                if item is not None and column.kind == "bool":
                    flags = Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled
                    item.setFlags(flags if editable else Qt.ItemFlag.ItemIsEnabled)


def _number(text: str, row: int, column: Column) -> float | None:
    if not text:
        return None
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        raise UserError(
            f"第 {row + 1} 行“{column.header}”应为数字:{text}",
            f"row {row + 1}, {column.header}: not a number: {text}",
            field=column.key,
        ) from None
    if value < 0:
        raise UserError(
            f"第 {row + 1} 行“{column.header}”不能为负数",
            f"row {row + 1}, {column.header}: must not be negative",
            field=column.key,
        )
    return value
