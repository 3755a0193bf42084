"""Bar and line charts painted with QPainter (Qt Charts is deprecated from Qt 6.10).

One widget, :class:`Chart`, draws categories along the bottom (months, pyramid classes) and
one or more series of values over them: bars (one series, its value above each bar) or lines
(several series with a legend; a missing value leaves a gap). With nothing to draw it shows a
note saying what to do instead of an empty frame. Hovering shows the values of a category.

Numbers are formatted with the default :class:`QLocale` (the UI language). The widget holds
plain values only, so tests read what is drawn from its attributes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolTip, QWidget

ACCENT = "#1f5fa8"
TEXT = QColor("#333333")
MUTED = QColor("#5b6573")
GRID = QColor("#e3e8ef")
AXIS = QColor("#9aa4b2")
CARD = QColor("#ffffff")
CARD_BORDER = QColor("#dde3ea")
MARGIN = 12

Kind = Literal["bar", "line"]


@dataclass(frozen=True)
class Series:
    """A named row of values, one per category (``None``: no value there)."""

    name: str
    values: tuple[float | None, ...]
    colour: str = ACCENT

    def count(self) -> int:
        """How many values are drawn (gaps not counted)."""
        return sum(value is not None for value in self.values)


def nice_scale(low: float, high: float, ticks: int = 5) -> tuple[float, float, float]:
    """An axis from ``low`` to ``high`` in round steps (1, 2, 2.5 or 5 × 10ⁿ): (bottom, top, step)."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(ticks, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = magnitude * 10
    for multiple in (1, 2, 2.5, 5, 10):
        if multiple * magnitude >= raw - 1e-12:
            step = multiple * magnitude
            break
    bottom = math.floor(low / step + 1e-9) * step
    top = math.ceil(high / step - 1e-9) * step
    return bottom, top, step


def _decimals(step: float) -> int:
    """Decimals an axis label needs for this step (1 → 0, 0.5 → 1, 0.25 → 2)."""
    for decimals in range(4):
        if abs(step * 10**decimals - round(step * 10**decimals)) < 1e-9:
            return decimals
    return 3


def format_value(value: float, decimals: int = 0) -> str:
    """A number with the UI locale's digit grouping."""
    from PySide6.QtCore import QLocale

    if decimals == 0:
        return QLocale().toString(round(value))
    return QLocale().toString(float(value), "f", decimals)


class Chart(QWidget):
    """A bar or line chart over categories, on a white card.

    Attributes:
        kind: ``"bar"`` or ``"line"``.
        title: the line above the chart.
        categories: the labels along the bottom, one per value of each series.
        series: what is drawn (plain values).
        y_title: the caption of the value axis (e.g. 万千瓦时/年).
        x_title: the caption under the categories (e.g. the span of months).
        y_range: (bottom, top, step) of the value axis.
        value_decimals: decimals of the values shown above bars and in tooltips.
        empty: the note shown instead of the axes when there is nothing to draw.
    """

    def __init__(self, title: str = "", kind: Kind = "bar", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind: Kind = kind
        self.title = title
        self.categories: list[str] = []
        self.series: list[Series] = []
        self.y_title = ""
        self.x_title = ""
        self.y_range: tuple[float, float, float] = (0.0, 1.0, 0.2)
        self.value_decimals = 0
        self.setMinimumHeight(240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.empty = QLabel(self)
        self.empty.setObjectName("chartEmptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5b6573; background: transparent; padding: 24px;")
        self.empty.hide()

    # --- data -------------------------------------------------------------------------------

    @property
    def has_data(self) -> bool:
        """Whether axes and values are drawn (not the empty note)."""
        return bool(self.categories) and not self.empty.isVisibleTo(self)

    def set_data(
        self,
        categories: Sequence[str],
        series: Sequence[Series],
        *,
        y_title: str = "",
        x_title: str = "",
        y_range: tuple[float, float, float] | None = None,
        value_decimals: int = 0,
    ) -> None:
        """Draw ``series`` over ``categories``; ``y_range`` (bottom, top, step) or a round
        scale from zero (bars) or from the lowest value (lines) to just above the highest."""
        self.categories = list(categories)
        self.series = [
            Series(
                s.name, tuple(s.values) + (None,) * (len(self.categories) - len(s.values)), s.colour
            )
            for s in series
        ]
        self.y_title = y_title
        self.x_title = x_title
        self.value_decimals = value_decimals
        if y_range is None:
            values = [v for s in self.series for v in s.values if v is not None]
            high = max([*values, 0.0])
            low = 0.0 if self.kind == "bar" else min([*values, high])
            y_range = nice_scale(low, high * (1.1 if self.kind == "bar" else 1.0) or 1.0)
        self.y_range = y_range
        self.empty.hide()
        self.update()

    def show_empty(self, text: str) -> None:
        """No axes, no frame of nothing: the note (what to do to see figures here)."""
        self.categories = []
        self.series = []
        self.empty.setText(text)
        self.empty.show()
        self._place_note()
        self.update()

    # --- geometry ---------------------------------------------------------------------------

    def sizeHint(self) -> QSize:
        return QSize(420, 300)

    def minimumSizeHint(self) -> QSize:
        return QSize(240, 240)

    def _fonts(self) -> tuple[QFont, QFont, QFont]:
        base = QFont(self.font())
        title = QFont(base)
        title.setPointSizeF(base.pointSizeF() + 1)
        small = QFont(base)
        small.setPointSizeF(max(base.pointSizeF() - 1, 7.0))
        return title, base, small

    def _card(self) -> QRectF:
        return QRectF(self.rect()).adjusted(4, 4, -4, -4)

    def _title_height(self) -> int:
        if not self.title:
            return 0
        return QFontMetrics(self._fonts()[0]).height() + 8

    def _legend_height(self) -> int:
        if self.kind != "line" or len(self.series) < 2:
            return 0
        return QFontMetrics(self._fonts()[1]).height() + 10

    def _tick_labels(self) -> list[tuple[float, str]]:
        bottom, top, step = self.y_range
        decimals = _decimals(step)
        count = round((top - bottom) / step) if step > 0 else 0
        return [
            (bottom + i * step, format_value(bottom + i * step, decimals)) for i in range(count + 1)
        ]

    def plot_rect(self) -> QRectF:
        """Where the values are drawn (inside the axes)."""
        _title, base, small = self._fonts()
        card = self._card()
        small_metrics = QFontMetrics(small)
        labels = self._tick_labels()
        tick_width = max((small_metrics.horizontalAdvance(text) for _v, text in labels), default=0)
        left = card.left() + MARGIN + tick_width + 6
        if self.y_title:
            left += QFontMetrics(base).height() + 4
        top = card.top() + MARGIN + self._title_height() + small_metrics.height() // 2
        if self.kind == "bar":
            top += small_metrics.height() + 2  # the values above the bars
        bottom = card.bottom() - MARGIN - small_metrics.height() - 6 - self._legend_height()
        if self.x_title:
            bottom -= QFontMetrics(base).height() + 2
        right = card.right() - MARGIN - small_metrics.horizontalAdvance("0")
        return QRectF(QPointF(left, top), QPointF(right, max(bottom, top + 20)))

    def _slot(self, plot: QRectF) -> float:
        return plot.width() / max(len(self.categories), 1)

    def _y(self, plot: QRectF, value: float) -> float:
        bottom, top, _step = self.y_range
        share = (value - bottom) / (top - bottom) if top > bottom else 0.0
        return plot.bottom() - max(0.0, min(1.0, share)) * plot.height()

    def point_position(self, series: int, index: int) -> QPointF:
        """Where a value is drawn: the middle of its category, at its height."""
        plot = self.plot_rect()
        value = self.series[series].values[index]
        x = plot.left() + (index + 0.5) * self._slot(plot)
        return QPointF(x, self._y(plot, value if value is not None else self.y_range[0]))

    def _place_note(self) -> None:
        card = self._card().toRect()
        self.empty.setGeometry(card.adjusted(0, self._title_height() + MARGIN, 0, 0))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_note()

    # --- painting ---------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        card = self._card()
        painter.setPen(QPen(CARD_BORDER, 1))
        painter.setBrush(CARD)
        painter.drawRoundedRect(card, 4, 4)
        title_font, base, small = self._fonts()
        if self.title:
            painter.setFont(title_font)
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(card.left(), card.top() + MARGIN, card.width(), self._title_height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self.title,
            )
        if self.has_data:
            plot = self.plot_rect()
            self._paint_axes(painter, plot, base, small)
            if self.kind == "bar":
                self._paint_bars(painter, plot, small)
            else:
                self._paint_lines(painter, plot)
                self._paint_legend(painter, base)
        painter.end()

    def _paint_axes(self, painter: QPainter, plot: QRectF, base: QFont, small: QFont) -> None:
        metrics = QFontMetrics(small)
        painter.setFont(small)
        for value, text in self._tick_labels():
            y = self._y(plot, value)
            painter.setPen(QPen(GRID, 1))
            painter.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
            painter.setPen(MUTED)
            width = metrics.horizontalAdvance(text)
            painter.drawText(QPointF(plot.left() - 6 - width, y + metrics.ascent() / 2 - 1), text)
        painter.setPen(QPen(AXIS, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        # Category labels: every one that fits, else every second, third…; each centred under
        # its slot.
        slot = self._slot(plot)
        widest = max((metrics.horizontalAdvance(c) for c in self.categories), default=0) + 6
        every = max(1, math.ceil(widest / slot)) if slot > 0 else 1
        painter.setPen(MUTED)
        for index, label in enumerate(self.categories):
            if index % every:
                continue
            x = plot.left() + (index + 0.5) * slot
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 3))
            painter.drawText(
                QRectF(
                    x - widest / 2 - slot, plot.bottom() + 4, widest + 2 * slot, metrics.height()
                ),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                label,
            )
        painter.setFont(base)
        base_metrics = QFontMetrics(base)
        if self.x_title:
            painter.setPen(TEXT)
            painter.drawText(
                QRectF(
                    plot.left(),
                    plot.bottom() + metrics.height() + 6,
                    plot.width(),
                    base_metrics.height(),
                ),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                self.x_title,
            )
        if self.y_title:
            painter.save()
            painter.setPen(TEXT)
            x = self._card().left() + MARGIN
            painter.translate(x, plot.center().y())
            painter.rotate(-90)
            painter.drawText(
                QRectF(-plot.height() / 2, 0, plot.height(), base_metrics.height()),
                Qt.AlignmentFlag.AlignCenter,
                self.y_title,
            )
            painter.restore()

    def _paint_bars(self, painter: QPainter, plot: QRectF, small: QFont) -> None:
        if not self.series:
            return
        series = self.series[0]
        slot = self._slot(plot)
        width = min(slot * 0.5, 64.0)
        metrics = QFontMetrics(small)
        painter.setFont(small)
        for index, value in enumerate(series.values):
            if value is None:
                continue
            x = plot.left() + (index + 0.5) * slot
            top = self._y(plot, value)
            bar = QRectF(x - width / 2, top, width, plot.bottom() - top)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(series.colour))
            painter.drawRect(bar)
            painter.setPen(TEXT)
            text = format_value(value, self.value_decimals)
            painter.drawText(
                QRectF(x - slot / 2, top - metrics.height() - 2, slot, metrics.height()),
                Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                text,
            )

    def _paint_lines(self, painter: QPainter, plot: QRectF) -> None:
        slot = self._slot(plot)
        for series in self.series:
            colour = QColor(series.colour)
            path = QPainterPath()
            drawing = False
            points: list[QPointF] = []
            for index, value in enumerate(series.values):
                if value is None:
                    drawing = False  # a gap, not a line across a month without visits
                    continue
                point = QPointF(plot.left() + (index + 0.5) * slot, self._y(plot, value))
                points.append(point)
                if drawing:
                    path.lineTo(point)
                else:
                    path.moveTo(point)
                    drawing = True
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(QPen(colour, 2))
            painter.drawPath(path)
            painter.setBrush(colour)
            painter.setPen(QPen(CARD, 1))
            for point in points:  # a single month still shows as a point
                painter.drawEllipse(point, 3.5, 3.5)

    def _paint_legend(self, painter: QPainter, base: QFont) -> None:
        if self._legend_height() == 0:
            return
        metrics = QFontMetrics(base)
        swatch = metrics.height() * 0.6
        gap = 18
        widths = [swatch + 5 + metrics.horizontalAdvance(s.name) for s in self.series]
        total = sum(widths) + gap * (len(widths) - 1)
        card = self._card()
        x = card.center().x() - total / 2
        y = card.bottom() - MARGIN - metrics.height()
        painter.setFont(base)
        for series, width in zip(self.series, widths, strict=True):
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(series.colour))
            painter.drawRoundedRect(
                QRectF(x, y + (metrics.height() - swatch) / 2, swatch, swatch), 2, 2
            )
            painter.setPen(TEXT)
            painter.drawText(QPointF(x + swatch + 5, y + metrics.ascent()), series.name)
            x += width + gap

    # --- hover ------------------------------------------------------------------------------

    def category_at(self, x: float) -> int | None:
        """The category under a horizontal position, or ``None``."""
        if not self.has_data:
            return None
        plot = self.plot_rect()
        if not plot.left() <= x <= plot.right():
            return None
        index = int((x - plot.left()) / self._slot(plot))
        return min(index, len(self.categories) - 1)

    def tooltip_text(self, index: int) -> str:
        """The category and each series' value there (e.g. "3月 · 供电可靠性 4.5")."""
        lines = [self.categories[index]]
        for series in self.series:
            value = series.values[index]
            if value is None:
                continue
            text = format_value(value, self.value_decimals)
            lines.append(f"{series.name}: {text}" if series.name else text)
        return "\n".join(lines)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.category_at(event.position().x())
        if index is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(
                event.globalPosition().toPoint(), self.tooltip_text(index), self, QRect()
            )
        super().mouseMoveEvent(event)

    def event(self, event: QEvent) -> bool:
        if isinstance(event, QHelpEvent):  # tooltips come from mouseMoveEvent
            return True
        return super().event(event)
