"""Widgets of the 首页 dashboard: clickable figure tiles, the two charts, the drill-down list.

Numbers and dates are formatted with the default :class:`QLocale`, which
``gui.app.install_translators`` sets to the UI language (1,234 / 1,234; 2026/11/20 / 11/20/26).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, QSize, Qt, Signal
from PySide6.QtGui import QColor
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

from keyacct_desktop.gui.widgets.charts import Chart, Series
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


class ConsumptionChart(Chart):
    """Bars: annual consumption by pyramid class, in units of 10,000 kWh.

    Attributes:
        values: class -> kWh, as last set.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, "bar", parent)
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
        shown = tuple(float(round(v / per)) for v in values.values())
        self.set_data(list(values), [Series(axis_title, shown, ACCENT)], y_title=axis_title)


class SatisfactionChart(Chart):
    """Line: monthly average satisfaction score (1–5) of completed visits.

    Attributes:
        points: (month, average, visits) as last set.
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, "line", parent)
        self.points: list[tuple[date, float, int]] = []

    def set_points(
        self, points: Sequence[tuple[date, float, int]], axis_title: str, empty_text: str = ""
    ) -> None:
        """Monthly averages; none at all: ``empty_text`` instead of an empty frame."""
        self.points = list(points)
        if empty_text and not self.points:
            self.show_empty(empty_text)
            return
        # A year of months on a laptop's half-width chart: "11月" does not fit under each
        # point, the month number alone does (the span is written under the axis).
        crowded = len(self.points) > 6
        categories = [
            str(month.month) if crowded else month_label(month) for month, _s, _c in self.points
        ]
        low = min([score for _m, score, _c in self.points] + [4.0])
        bottom = max(1.0, int(low * 2) / 2 - 0.5)
        self.set_data(
            categories,
            [Series(axis_title, tuple(score for _m, score, _c in self.points), ACCENT)],
            y_title=axis_title,
            x_title=month_range(self.points[0][0], self.points[-1][0]) if self.points else "",
            y_range=(bottom, 5.0, 0.5),  # a line every half point
            value_decimals=2,
        )


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
