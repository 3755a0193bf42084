"""Small pieces of form layout and checking shared by the editors."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget


def error_style(widget: QWidget) -> str:
    """A red frame on the widget itself (a type selector, so cells inside keep their look)."""
    return f"{type(widget).__name__} {{ border: 2px solid #c62828; }}"


def number_in_cell(text: str) -> float | None:
    """A number typed into a table cell (thousands separators allowed), or None."""
    try:
        return float(text.replace(",", "").replace(",", ""))
    except ValueError:
        return None


def table_with_buttons(table: QWidget, *buttons: QPushButton) -> QWidget:
    """A tab page: an editable table with its add/remove buttons below, left-aligned."""
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.addWidget(table)
    row = QHBoxLayout()
    for button in buttons:
        row.addWidget(button)
    row.addStretch(1)
    layout.addLayout(row)
    return page
