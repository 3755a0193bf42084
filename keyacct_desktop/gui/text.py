"""Filling ``%1``, ``%2`` … in translated strings (PySide6's ``tr`` returns a plain ``str``)."""

from __future__ import annotations

from typing import Any


def arg(text: str, *values: Any) -> str:
    """``arg(self.tr("Synced %1"), when)``: Qt's placeholder style, so translators may reorder."""
    for number in range(len(values), 0, -1):  # %10 before %1
        text = text.replace(f"%{number}", str(values[number - 1]))
    return text


def QT_TRANSLATE_NOOP(context: str, source: str) -> str:  # the name lupdate looks for
    """Marks ``source`` for translation in ``context`` and returns it unchanged, like
    ``PySide6.QtCore.QT_TRANSLATE_NOOP`` but typed ``str`` (PySide6's returns ``object``)."""
    return source
