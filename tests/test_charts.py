"""The QPainter charts that replace Qt Charts (deprecated from Qt 6.10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QColor

from keyacct_desktop.gui.widgets.charts import Chart, Series, nice_scale

PACKAGE = Path(__file__).resolve().parents[1] / "keyacct_desktop"


def test_round_scales() -> None:
    assert nice_scale(0, 266_825) == (0, 300_000, 100_000)
    assert nice_scale(0, 9) == (0, 10, 2)
    assert nice_scale(3.7, 4.8) == (3.5, 5.0, 0.25)


def test_nothing_imports_qt_charts() -> None:
    users = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "QtCharts" in path.read_text(encoding="utf-8")
    ]
    assert users == []


def test_bars_lines_gaps_tooltips_and_the_empty_note(keyacct_qapp, qtbot) -> None:  # type: ignore[no-untyped-def]
    chart = Chart("年用电量", "bar")
    qtbot.addWidget(chart)
    chart.resize(420, 300)
    chart.set_data(["A", "B"], [Series("万千瓦时", (1200.0, 300.0))], y_title="万千瓦时")
    assert chart.has_data and chart.y_range == (0, 1500, 500)
    image = chart.grab().toImage()
    bar = chart.point_position(0, 0)
    assert image.pixelColor(int(bar.x()), int(bar.y()) + 10) == QColor("#1f5fa8")
    assert chart.tooltip_text(0) == "A\n万千瓦时: 1,200"

    line = Chart("满意度", "line")
    qtbot.addWidget(line)
    line.resize(420, 300)
    line.set_data(
        ["1", "2", "3"],
        [Series("可靠性", (4.0, None, 4.5)), Series("服务", (3.5, 4.0), "#e08a1e")],
        y_range=(1.0, 5.0, 1.0),
    )
    assert line.series[1].values == (3.5, 4.0, None) and line.series[0].count() == 2
    assert line.tooltip_text(1) == "2\n服务: 4"
    assert line.category_at(line.point_position(0, 2).x()) == 2
    line.grab()  # paints gaps and the legend without error

    chart.show()
    chart.show_empty("导入客户后这里显示用电量")
    assert not chart.has_data and chart.empty.isVisible()
