"""A pad the customer signs on with the mouse, a pen or a finger; saved as a PNG."""

from __future__ import annotations

import itertools

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QTabletEvent
from PySide6.QtWidgets import QSizePolicy, QWidget


class SignaturePad(QWidget):
    """Draws strokes into an image the size of the pad; ``png_bytes()`` returns it.

    Signals:
        changed(): a stroke was drawn or the pad was cleared.
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 120)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.image = QImage(720, 240, QImage.Format.Format_RGB32)
        self.image.fill(QColor("white"))
        self._last: QPointF | None = None
        self.is_empty = True
        self._loaded: bytes | None = None  # a saved signature, returned as is until drawn on

    def clear(self) -> None:
        self.image.fill(QColor("white"))
        self.is_empty = True
        self._loaded = None
        self.update()
        self.changed.emit()

    def load_png(self, data: bytes) -> None:
        loaded = QImage.fromData(data, "PNG")  # type: ignore[arg-type]  # str at run time; the stub says bytes
        if not loaded.isNull():
            self.image = loaded.convertToFormat(QImage.Format.Format_RGB32)
            self.is_empty = False
            self._loaded = data
            self.update()

    def png_bytes(self) -> bytes:
        """The signature as PNG, or empty bytes when nothing was drawn."""
        if self.is_empty:
            return b""
        if self._loaded is not None:  # the same bytes, so a reopened visit is not signed twice
            return self._loaded
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self.image.save(buffer, "PNG")  # type: ignore[call-overload]  # str at run time; the stub says bytes
        return bytes(data.data())

    # --- drawing ----------------------------------------------------------------------------

    def _to_image(self, point: QPointF) -> QPointF:
        return QPointF(
            point.x() * self.image.width() / max(self.width(), 1),
            point.y() * self.image.height() / max(self.height(), 1),
        )

    def draw_stroke(self, points: list[QPointF], width: float = 4.0) -> None:
        """Draw a polyline in widget coordinates (used by mouse, pen and tests alike)."""
        painter = QPainter(self.image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("black"), width, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
        mapped = [self._to_image(p) for p in points]
        for start, end in itertools.pairwise(mapped):
            painter.drawLine(start, end)
        painter.end()
        self.is_empty = False
        self._loaded = None
        self.update()
        self.changed.emit()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._last = event.position()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._last is not None:
            self.draw_stroke([self._last, event.position()])
            self._last = event.position()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._last = None

    def tabletEvent(self, event: QTabletEvent) -> None:
        """A pen: pressure makes the line thicker, as on paper."""
        if event.type() == QTabletEvent.Type.TabletPress:
            self._last = event.position()
        elif event.type() == QTabletEvent.Type.TabletMove and self._last is not None:
            self.draw_stroke([self._last, event.position()], 2.0 + 5.0 * event.pressure())
            self._last = event.position()
        else:
            self._last = None
        event.accept()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.drawImage(self.rect(), self.image)
        painter.setPen(QPen(QColor("#999999"), 1, Qt.PenStyle.DashLine))
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if self.is_empty:
            painter.setPen(QColor("#aaaaaa"))
            painter.drawText(
                self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Customer signs here")
            )
        painter.end()
