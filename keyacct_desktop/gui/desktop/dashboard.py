"""Widgets of the 首页 dashboard: clickable figure tiles, the two charts, the drill-down list.

Numbers and dates are formatted with the default :class:`QLocale`, which
``gui.app.install_translators`` sets to the UI language (1,234 / 1,234; 2026/11/20 / 11/20/26).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from keyacct_desktop.gui.widgets.rows_model import RowsModel
from keyacct_desktop.gui.widgets.screen import fit_to_screen

ACCENT = "#1f5fa8"
ALERT = "#b42318"


def format_number(value: float, decimals: int = 0) -> str:
    """A number with the UI locale's digit grouping."""
    locale = QLocale()
    if decimals == 0:
        return locale.toString(round(value))
    return locale.toString(float(value), "f", decimals)


def format_date(day: date | None) -> str:
    """A date in the UI locale's short format ("" for none)."""
    if day is None:
        return ""
    return QLocale().toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def month_label(day: date) -> str:
    """A short month name in the UI language ("11月", "Nov")."""
    return QLocale().monthName(day.month, QLocale.FormatType.ShortFormat)


def month_range(first: date, last: date) -> str:
    """ "2025-12 – 2026-11": the span of the trend, under its axis."""
    return f"{first:%Y-%m} – {last:%Y-%m}"


class Tile(QPushButton):
    """A figure with its caption; clicking it opens the list behind the figure.

    Attributes:
        key: which figure this is.
        value: the figure label.
        caption: what the figure counts.
        detail: a small line under the caption (e.g. by team).
    """

    def __init__(self, key: str, caption: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName(f"tile_{key}")
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(170, 96)
        self.setStyleSheet(
            "QPushButton { text-align: left; background: palette(base);"
            " border: 1px solid #c9d3e0; border-radius: 6px; }"
            "QPushButton:hover { border-color: #1f5fa8; background: #f3f7fc; }"
        )
        self.value = QLabel("–")
        self.caption = QLabel(caption)
        self.detail = QLabel("")
        self.detail.setStyleSheet("color: #5b6573;")
        self.detail.setWordWrap(True)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for label in (self.value, self.caption, self.detail):
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(label)
        self.set_value(None)

    def minimumSizeHint(self) -> QSize:
        """Room for the figure and its caption: a button's own hint ignores its layout."""
        layout = self.layout()
        hint = super().minimumSizeHint().expandedTo(self.minimumSize())
        if layout is None:
            return hint
        hint = hint.expandedTo(layout.totalMinimumSize())
        if layout.hasHeightForWidth():  # a wrapped caption or detail: its lines at this width
            width = max(self.width(), hint.width())
            hint.setHeight(max(hint.height(), layout.totalHeightForWidth(width)))
        return hint

    def set_value(self, value: int | None, alert: bool = False, detail: str = "") -> None:
        color = ALERT if alert else ACCENT
        self.value.setStyleSheet(f"font-size: 22pt; font-weight: bold; color: {color};")
        self.value.setText("–" if value is None else format_number(value))
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.updateGeometry()


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(4)
    return chart


class _ChartView(QChartView):
    """A chart that, with nothing to draw, says what to do instead of empty axes.

    Attributes:
        empty: the note shown over the empty chart (hidden while there is data).
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(_chart(title), parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(240)
        self.empty = QLabel(self)
        self.empty.setObjectName("chartEmptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet("color: #5b6573; background: transparent; padding: 24px;")
        self.empty.hide()

    def _clear(self) -> None:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)

    def show_empty(self, text: str) -> None:
        """No axes, no frame of nothing: the note (what to do to see figures here)."""
        self._clear()
        self.empty.setText(text)
        self.empty.show()
        self._place_note()

    def _place_note(self) -> None:
        self.empty.setGeometry(self.viewport().rect().adjusted(0, 40, 0, 0))  # under the title

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_note()


class ConsumptionChart(_ChartView):
    """Bars: annual consumption by pyramid class, in units of 10,000 kWh."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.values: dict[str, float] = {}

    def set_values(
        self, values: dict[str, float], axis_title: str, empty_text: str = "", per: float = 10_000
    ) -> None:
        """``values``: class -> kWh, drawn in units of ``per`` kWh (万千瓦时 by default).

        None above zero: ``empty_text`` instead of an empty frame.
        """
        self.values = values
        if empty_text and not any(values.values()):
            self.show_empty(empty_text)
            return
        self.empty.hide()
        chart = self.chart()
        self._clear()
        bars = QBarSet(axis_title)
        bars.setColor(QColor(ACCENT))
        bars.setLabelColor(QColor("#333333"))  # above the bars, on the white chart
        categories = list(values)
        for key in categories:
            bars.append(round(values[key] / per))
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        # Whole numbers above the bars: the default 6 significant digits turn 10,201,000
        # into "1.0201e+07", clipped by the bar.
        series.setLabelsPrecision(15)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        x_axis.append(categories)
        y_axis = QValueAxis()
        y_axis.setTitleText(axis_title)
        y_axis.setLabelFormat("%.0f")
        y_axis.setRange(0, max([v / per for v in values.values()] + [1]) * 1.1)
        y_axis.applyNiceNumbers()
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)


class SatisfactionChart(_ChartView):
    """Line: monthly average satisfaction score (1–5) of completed visits."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.points: list[tuple[date, float, int]] = []

    def set_points(
        self, points: Sequence[tuple[date, float, int]], axis_title: str, empty_text: str = ""
    ) -> None:
        """Monthly averages; none at all: ``empty_text`` instead of an empty frame."""
        self.points = list(points)
        if empty_text and not self.points:
            self.show_empty(empty_text)
            return
        self.empty.hide()
        chart = self.chart()
        self._clear()
        series = QLineSeries()
        series.setColor(QColor(ACCENT))
        series.setPointsVisible(True)
        for position, (_month, score, _count) in enumerate(self.points):
            series.append(position, score)
        chart.addSeries(series)
        x_axis = QBarCategoryAxis()
        # A year of months on a laptop's half-width chart: "11月" is cut to "1…", the month
        # number alone fits (the span is written under the axis).
        crowded = len(self.points) > 6
        x_axis.append(
            [
                str(month.month) if crowded else month_label(month)
                for month, _score, _count in self.points
            ]
            or [""]
        )
        if self.points:
            x_axis.setTitleText(month_range(self.points[0][0], self.points[-1][0]))
        font = x_axis.labelsFont()
        font.setPointSizeF(max(font.pointSizeF() - 1.5, 7.0))
        x_axis.setLabelsFont(font)
        y_axis = QValueAxis()
        y_axis.setTitleText(axis_title)
        low = min([score for _m, score, _c in self.points] + [4.0])
        bottom = max(1.0, int(low * 2) / 2 - 0.5)
        y_axis.setRange(bottom, 5.0)
        y_axis.setTickCount(int((5.0 - bottom) * 2) + 1)  # a line every half point
        y_axis.setLabelFormat("%.1f")
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x_axis)
        series.attachAxis(y_axis)


class DrillDownDialog(QDialog):
    """The records behind a tile; double-click (or Enter) opens one where it is edited.

    Signals:
        chosen(object): the object of the row the user opened.
    """

    chosen = Signal(object)

    def __init__(
        self,
        title: str,
        headers: Sequence[str],
        rows: Sequence[Sequence[Any]],
        objects: Sequence[Any],
        parent: QWidget | None = None,
        alerts: Sequence[bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 760, 460)
        self.model = RowsModel(headers, self)
        backgrounds = [QColor("#f8d7da") if alert else None for alert in (alerts or [])]
        self.model.set_rows(rows, objects, backgrounds or None)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(lambda index: self.open_row(index.row()))
        hint = QLabel(self.tr("Double-click a row to open it."))
        hint.setStyleSheet("color: #5b6573;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        layout.addWidget(buttons)

    def open_row(self, row: int) -> None:
        self.chosen.emit(self.model.object_at(row))
        self.accept()
