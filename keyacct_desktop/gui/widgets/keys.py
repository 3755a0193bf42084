"""Enter opens the selected row of a list, as a double-click does.

Connecting ``activated`` instead would open a row twice on desktops where a single click
activates (KDE), so Enter is caught by itself and sent as the view's ``doubleClicked``.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView

_ENTER_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterOpens(QObject):
    def __init__(self, view: QAbstractItemView) -> None:
        super().__init__(view)
        self.view = view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in _ENTER_KEYS
            and self.view.state() != QAbstractItemView.State.EditingState
        ):
            index = self.view.currentIndex()
            if index.isValid():
                self.view.doubleClicked.emit(index)
                return True
        return False


def enter_opens(view: QAbstractItemView) -> None:
    """Make Enter on ``view`` do what double-clicking the current row does."""
    view.installEventFilter(_EnterOpens(view))
