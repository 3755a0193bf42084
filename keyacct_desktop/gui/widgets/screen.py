"""Window sizes that fit the screen they open on (the field laptop: 1366×768 with a taskbar).

A dialog asks for the size it would like; :func:`fit_to_screen` gives it that size or the
room left on the screen, whichever is smaller, so Save and Close are never under the taskbar.
The layout test (``tests/test_layout_1366.py``) replaces :func:`available_size` to check every
window against a 1366×728 laptop whatever screen the tests run on.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: What a window manager's frame takes around a window: borders and the title bar (Windows 10
#: at 100 % scaling: 8 px borders, a 31 px title bar).
FRAME = QSize(16, 39)


def available_size(widget: QWidget | None = None) -> QSize:
    """The room on the widget's screen (the primary screen if it has none) minus taskbars."""
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:  # no screen at all: nothing to fit
        return QSize(16_777_215, 16_777_215)
    return screen.availableGeometry().size()


def client_room(widget: QWidget | None = None) -> QSize:
    """The largest inside size of a framed window on the widget's screen."""
    room = available_size(widget)
    return QSize(room.width() - FRAME.width(), room.height() - FRAME.height())


def fit_to_screen(widget: QWidget, width: int, height: int) -> QSize:
    """Resize to ``width``×``height`` or the room on the screen, whichever is smaller."""
    size = QSize(width, height).boundedTo(client_room(widget))
    widget.resize(size)
    return size
