"""The "正在读取…" line a list shows above itself until its first read on the database
worker answers (the document pages: checklists, plans, outages)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


def loading_note(text: str) -> QLabel:
    """A hidden note, shown by the page while its first read is awaited."""
    note = QLabel(text)
    note.setObjectName("pageLoading")
    note.hide()
    return note


def with_loading_note(note: QLabel, content: QWidget) -> QWidget:
    """``content`` with ``note`` above it, in one box for a splitter or layout."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(note)
    layout.addWidget(content, 1)
    return box
