"""Combo-box helpers.

``QComboBox.findData`` compares Python objects stored as item data (UUIDs, for instance) by
identity, so an equal UUID read in another session is not found: select by equality instead.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox


def find_data(combo: QComboBox, value: Any) -> int:
    """Index of the first item whose data equals ``value`` (-1 when none does)."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            return index
    return -1


def select_data(combo: QComboBox, value: Any) -> None:
    """Select the item whose data equals ``value``, else the first item."""
    combo.setCurrentIndex(max(find_data(combo, value), 0))
