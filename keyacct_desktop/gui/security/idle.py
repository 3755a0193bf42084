"""Idle lock: an application-wide event filter that notices when nobody has used the app."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal

#: Events that count as the manager using the app.
ACTIVITY_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


class IdleLock(QObject):
    """Emits :attr:`idle` after ``minutes`` without keyboard, mouse or touch input.

    Install with ``QApplication.instance().installEventFilter(lock)``. ``minutes <= 0``
    switches the lock off (``security.idle_lock_minutes``).

    Attributes:
        timer: the single-shot idle timer, restarted by every input event.

    Signals:
        idle(): nobody used the app for the configured time.
    """

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle)
        self.set_minutes(minutes)

    def set_minutes(self, minutes: int) -> None:
        self.minutes = minutes
        if minutes > 0:
            self.timer.setInterval(minutes * 60_000)
            self.timer.start()
        else:
            self.timer.stop()

    def pause(self) -> None:
        """Stop counting (while the lock dialog is up)."""
        self.timer.stop()

    def resume(self) -> None:
        if self.minutes > 0:
            self.timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self.timer.isActive():
            self.timer.start()
        return False
