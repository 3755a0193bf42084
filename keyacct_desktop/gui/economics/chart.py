"""A 24-month consumption chart painted with QPainter (no Qt Charts: it must open fast).

Bars are the month's kWh, split into peak / flat / valley when the export gave them; the
earlier year is drawn lighter. Above each of the last 12 bars: the change against the same
month a year before (red for a fall, green for a rise). Missing months leave a gap.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

BRAND = QColor("#1f5fa8")
PEAK = QColor("#d35400")
FLAT = QColor("#1f5fa8")
VALLEY = QColor("#27ae60")
FALL = QColor("#c0392b")
RISE = QColor("#1e8449")


@dataclass(frozen=True)
class ChartMonth:
    month: str  # YYYY-MM
    kwh: float | None
    peak: float | None = None
    flat: float | None = None
    valley: float | None = None
    change: float | None = None  # year on year, shown when not None


def _tick(value: float) -> str:
    """An axis label: whole numbers without decimals, 2.5 as 2.5."""
    return f"{value:,.0f}" if abs(value - round(value)) < 1e-9 else f"{value:,.1f}"


def _lighter(colour: QColor) -> QColor:
    lighter = QColor(colour)
    lighter.setAlpha(110)
    return lighter


def _nice_top(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5 or 5 × 10ⁿ)."""
    if value <= 0:
        return 1.0
    power = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


class MonthlyChart(QWidget):
    """Attributes:
    months: the months drawn, oldest first.
    unit_caption: the axis caption (e.g. 万kWh), set by the owner in the UI language.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.months: list[ChartMonth] = []
        self.unit_caption = ""
        self.empty_text = ""
        self.legend: tuple[str, str, str, str] = ("", "", "", "")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumHeight(150)

    def sizeHint(self) -> QSize:
        return QSize(720, 240)

    def set_months(self, months: list[ChartMonth]) -> None:
        self.months = months
        self.update()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1.5))
        painter.setFont(small)
        metrics = painter.fontMetrics()
        if not any(m.kwh is not None for m in self.months):
            painter.setPen(QColor("#5b6573"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.empty_text)
            return
        top_value = _nice_top(max(m.kwh or 0.0 for m in self.months) / 10_000)
        left = metrics.horizontalAdvance(f"{top_value:,.0f}0") + 10
        plot = QRectF(
            left,
            metrics.height() * 2 + 6,
            self.width() - left - 10,
            self.height() - metrics.height() * 4 - 12,
        )
        # axis and grid
        painter.setPen(QPen(QColor("#c8d0da"), 1))
        for step in range(5):
            y = plot.bottom() - plot.height() * step / 4
            painter.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            painter.setPen(QColor("#5b6573"))
            painter.drawText(
                QRectF(0, y - metrics.height() / 2, left - 6, metrics.height()),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                _tick(top_value * step / 4),
            )
            painter.setPen(QPen(QColor("#e3e8ee"), 1))
        painter.setPen(QColor("#5b6573"))
        painter.drawText(QRectF(0, 0, left + 200, metrics.height()), self.unit_caption)
        self._legend(painter, plot, metrics.height())
        # bars
        count = max(len(self.months), 1)
        slot = plot.width() / count
        bar = max(2.0, slot * 0.7)
        recent_from = count - 12
        for index, month in enumerate(self.months):
            if month.kwh is None:
                continue
            x = plot.left() + slot * index + (slot - bar) / 2
            scale = plot.height() / (top_value * 10_000)
            parts = [(month.valley, VALLEY), (month.flat, FLAT), (month.peak, PEAK)]
            split = all(p is not None for p, _ in parts)
            bottom = plot.bottom()
            segments = parts if split else [(month.kwh, BRAND)]
            for value, colour in segments:
                height = (value or 0.0) * scale
                fill = colour if index >= recent_from else _lighter(colour)
                painter.fillRect(QRectF(x, bottom - height, bar, height), fill)
                bottom -= height
            if month.change is not None and index >= recent_from:
                painter.setPen(FALL if month.change < 0 else RISE)
                text = f"{month.change:+.0%}"
                painter.drawText(
                    QRectF(
                        x - slot, bottom - metrics.height() - 2, bar + 2 * slot, metrics.height()
                    ),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                    text,
                )
        # month labels: every month if they fit, else every third
        painter.setPen(QColor("#5b6573"))
        every = 1 if slot >= metrics.horizontalAdvance("26-10") + 4 else 3
        for index, month in enumerate(self.months):
            if (count - 1 - index) % every:
                continue
            x = plot.left() + slot * index
            painter.drawText(
                QRectF(x - slot, plot.bottom() + 3, slot * 3, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                month.month[2:],
            )
        painter.end()

    def _legend(self, painter: QPainter, plot: QRectF, line: int) -> None:
        peak, flat, valley, year = self.legend
        split = any(m.peak is not None for m in self.months)
        entries = [(peak, PEAK), (flat, FLAT), (valley, VALLEY)] if split else []
        entries.append((year, _lighter(BRAND)))
        x = plot.right()
        metrics = painter.fontMetrics()
        for text, colour in reversed(entries):
            width = metrics.horizontalAdvance(text)
            x -= width
            painter.setPen(QColor("#333333"))
            painter.drawText(QRectF(x, 0, width, line), text)
            x -= 14
            painter.fillRect(QRectF(x, line / 2 - 4, 10, 8), colour)
            x -= 12
