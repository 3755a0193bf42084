"""Table model of the customer list: ids first, rows loaded lazily in blocks.

The model holds only the ordered ids a query returned; a row's data is read from the store
the first time the view paints it, a block at a time, and kept in a bounded cache. Sorting
re-runs the query in the store, so 100,000 customers never sit in memory at once.
"""

from __future__ import annotations

import uuid
from collections import OrderedDict
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor

from keyacct_desktop.domain.enums import CreditRating, ImportantGrade, Industry, label
from keyacct_desktop.services.customers import CustomerDirectory, CustomerQuery, CustomerRow

ObjectRole = Qt.ItemDataRole.UserRole + 1  # the row's CustomerRow
IdRole = Qt.ItemDataRole.UserRole + 2  # the customer's UUID

BLOCK_SIZE = 200
CACHE_ROWS = 3000


def _tr(text: str) -> str:
    return QCoreApplication.translate("CustomerTableModel", text)


#: (header source text, sort key or None)
COLUMNS: list[tuple[str, str | None]] = [
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Account no."), "account_no"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Customer name"), "name"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Class"), "pyramid_class"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Park"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Grid"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Industry"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Voltage (kV)"), "voltage_kv"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Capacity (kVA)"), "capacity_kva"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Annual consumption (MWh)"), "annual_kwh"),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Important grade"), None),
    (QT_TRANSLATE_NOOP("CustomerTableModel", "Credit"), None),
]
NUMERIC_COLUMNS = {6, 7, 8}


class CustomerTableModel(QAbstractTableModel):
    """Customer list over ids with lazy rows.

    Attributes:
        directory: the read service the model queries.
        language: "zh_CN" or "en", for domain labels (industries, grades).
    """

    def __init__(
        self, directory: CustomerDirectory, language: str = "zh_CN", parent: Any = None
    ) -> None:
        super().__init__(parent)
        self.directory = directory
        self.language = language
        self._query = CustomerQuery()
        self._ids: list[uuid.UUID] = []
        self._cache: OrderedDict[uuid.UUID, CustomerRow] = OrderedDict()

    # -- querying
    @property
    def query(self) -> CustomerQuery:
        return self._query

    def set_query(self, query: CustomerQuery) -> None:
        """Run ``query`` and show its result."""
        ids = self.directory.find_ids(query)
        self.beginResetModel()
        self._query = query
        self._ids = ids
        self._cache.clear()
        self.endResetModel()

    def refresh(self) -> None:
        self.set_query(self._query)

    def customer_id(self, row: int) -> uuid.UUID:
        return self._ids[row]

    # -- Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(COLUMNS):
                return _tr(COLUMNS[section][0])
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return section + 1
        return None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in NUMERIC_COLUMNS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == ObjectRole:
            return row
        if role == IdRole:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            return f"{row.name}\n{row.uscc or ''}"
        if "risk" in row.tags:  # an arrears/credit risk: a red badge on the name and credit
            if role == Qt.ItemDataRole.BackgroundRole and column in (1, 10):
                return QColor("#f8d7da")
            if role == Qt.ItemDataRole.ToolTipRole and column == 10:
                return QCoreApplication.translate("CustomerTableModel", "Arrears or credit risk")
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1] if 0 <= column < len(COLUMNS) else None
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        self.layoutAboutToBeChanged.emit()
        self._query = replace(self._query, sort=key, descending=descending)
        self._ids = self.directory.find_ids(self._query)
        self._cache.clear()
        self.layoutChanged.emit()

    # -- internals
    def _row(self, position: int) -> CustomerRow | None:
        customer_id = self._ids[position]
        row = self._cache.get(customer_id)
        if row is not None:
            self._cache.move_to_end(customer_id)
            return row
        start = max(0, position - BLOCK_SIZE // 4)
        block = self._ids[start : start + BLOCK_SIZE]
        loaded = self.directory.rows(block)
        for loaded_id in block:
            if loaded_id in loaded:
                self._cache[loaded_id] = loaded[loaded_id]
        while len(self._cache) > CACHE_ROWS:
            self._cache.popitem(last=False)
        return self._cache.get(customer_id)

    def _display(self, row: CustomerRow, column: int) -> str:
        language = self.language
        match column:
            case 0:
                return row.account_no
            case 1:
                return row.name
            case 2:
                return row.pyramid_class or ""
            case 3:
                return row.park or ""
            case 4:
                return row.grid or ""
            case 5:
                return label(Industry(row.industry), language) if row.industry else ""
            case 6:
                return f"{row.voltage_kv:g}" if row.voltage_kv is not None else ""
            case 7:
                return f"{row.capacity_kva:,.0f}" if row.capacity_kva is not None else ""
            case 8:
                return f"{row.annual_kwh / 1000:,.0f}" if row.annual_kwh is not None else ""
            case 9:
                return (
                    label(ImportantGrade(row.important_grade), language)
                    if row.important_grade
                    else ""
                )
            case 10:
                return label(CreditRating(row.credit_rating), language) if row.credit_rating else ""
        return ""
