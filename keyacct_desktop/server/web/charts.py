"""Charts of the specialist's dashboard as inline SVG, drawn on the server (no JavaScript).

Each chart is a ``<svg>`` with a ``viewBox``: it scales to the width of its card on a laptop
and on a phone; texts are real text (selectable, read by screen readers), and every chart has
a ``<title>`` and the table of its numbers beside it on the page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

FONT = 'font-family="Noto Sans CJK SC, Microsoft YaHei, PingFang SC, sans-serif"'


@dataclass(frozen=True)
class Part:
    label: str
    colour: str


def _nice(top: float) -> float:
    """A round axis maximum at or above ``top``."""
    if top <= 0:
        return 1
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10_000):
        if top <= step * 5:
            return float(step * 5 if top > step * 4 else step * max(1, -(-int(top) // step)))
    magnitude = 10 ** (len(str(int(top))) - 1)
    return float(-(-int(top) // magnitude) * magnitude)


def stacked_bars(
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    parts: Sequence[Part],
    width: int = 640,
    label_w: int = 118,
) -> Markup:
    """Horizontal stacked bars, one row per label, with a legend; counts written inside."""
    row_h = 26
    legend_rows = 1 if width >= 560 else 2
    top = 8 + 20 * legend_rows
    height = top + row_h * len(rows) + 10
    biggest = max((sum(values) for _, values in rows), default=0) or 1
    plot = width - label_w - 40
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    per_row = -(-len(parts) // legend_rows)
    for index, part in enumerate(parts):  # legend
        legend_x = (label_w if legend_rows == 1 else 8) + (index % per_row) * (
            (width - label_w) // per_row if legend_rows == 1 else (width - 16) // per_row
        )
        legend_y = 6 + 20 * (index // per_row)
        out.append(
            f'<rect x="{legend_x}" y="{legend_y}" width="12" height="12" fill="{part.colour}"/>'
        )
        out.append(
            f'<text x="{legend_x + 16}" y="{legend_y + 10}" font-size="12" fill="#333">'
            f"{escape(part.label)}</text>"
        )
    for index, (label, values) in enumerate(rows):
        y = top + index * row_h
        out.append(
            f'<text x="{label_w - 8}" y="{y + 16}" font-size="13" text-anchor="end" '
            f'fill="#222">{escape(label)}</text>'
        )
        x = float(label_w)
        for value, part in zip(values, parts, strict=True):
            if value <= 0:
                continue
            w = plot * value / biggest
            out.append(
                f'<rect x="{x:.1f}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
                f'fill="{part.colour}"><title>{escape(label)} {escape(part.label)} '
                f"{value}</title></rect>"
            )
            if w > 26:
                out.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 16}" font-size="11" fill="#fff" '
                    f'text-anchor="middle">{value}</text>'
                )
            x += w
        out.append(
            f'<text x="{x + 4:.1f}" y="{y + 16}" font-size="11" fill="#555">{sum(values)}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))


def months_chart(
    title: str,
    months: Sequence[str],
    bars: Sequence[int],
    bar_label: str,
    line: Sequence[float | None],
    line_label: str,
    line_range: tuple[float, float] = (1.0, 5.0),
    width: int = 640,
    height: int = 240,
) -> Markup:
    """Monthly bars (left axis) with a line (right axis, e.g. satisfaction 1–5)."""
    left, right, top, bottom = 40, 40, 30, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    axis_max = _nice(max(bars, default=0))
    step = plot_w / max(1, len(months))
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" {FONT}>',
        f"<title>{escape(title)}</title>",
        f'<rect x="{left}" y="8" width="12" height="12" fill="#e07b39"/>'
        f'<text x="{left + 16}" y="18" font-size="12" fill="#333">{escape(bar_label)}</text>',
        f'<line x1="{left + 120}" y1="14" x2="{left + 140}" y2="14" stroke="#1f5fa8" '
        f'stroke-width="2.5"/><text x="{left + 146}" y="18" font-size="12" fill="#333">'
        f"{escape(line_label)}</text>",
    ]
    fractions = (
        (0, 0.5, 1) if axis_max >= 4 else tuple(i / axis_max for i in range(int(axis_max) + 1))
    )
    for fraction in fractions:  # grid lines and left axis (whole counts only)
        y = top + plot_h * (1 - fraction)
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="#e3e6ea" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end" '
            f'fill="#777">{axis_max * fraction:g}</text>'
        )
    low, high = line_range
    for value in (low, (low + high) / 2, high):  # right axis
        y = top + plot_h * (1 - (value - low) / (high - low))
        out.append(
            f'<text x="{width - right + 6}" y="{y + 4:.1f}" font-size="11" fill="#1f5fa8">'
            f"{value:g}</text>"
        )
    points = []
    for index, month in enumerate(months):
        x = left + step * index
        value = bars[index] if index < len(bars) else 0
        h = plot_h * value / axis_max if axis_max else 0
        out.append(
            f'<rect x="{x + step * 0.2:.1f}" y="{top + plot_h - h:.1f}" width="{step * 0.6:.1f}" '
            f'height="{h:.1f}" fill="#e07b39"><title>{month} {escape(bar_label)} {value}'
            "</title></rect>"
        )
        stride = 1 if step >= 56 else (2 if step >= 28 else 3)
        if (len(months) - 1 - index) % stride == 0:
            out.append(
                f'<text x="{x + step / 2:.1f}" y="{height - 12}" font-size="11" '
                f'text-anchor="middle" fill="#555">{month[2:]}</text>'
            )
        score = line[index] if index < len(line) else None
        if score is not None:
            y = top + plot_h * (1 - (min(max(score, low), high) - low) / (high - low))
            points.append((x + step / 2, y, month, score))
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _m, _s in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
        for x, y, month, score in points:
            out.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="#1f5fa8">'
                f"<title>{month} {escape(line_label)} {score:.2f}</title></circle>"
            )
    out.append("</svg>")
    return Markup("".join(out))


def meter_bars(
    title: str,
    rows: Sequence[tuple[str, float, str]],
    width: int = 640,
    good: float = 90.0,
    label_w: int = 118,
) -> Markup:
    """Horizontal percentage bars (0–100 %) with a note per row; red below ``good``."""
    row_h, top = 24, 8
    height = top + row_h * len(rows) + 8
    plot = width - label_w - (150 if width >= 560 else 118)
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" {FONT}>',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, percent, note) in enumerate(rows):
        y = top + index * row_h
        w = plot * max(0.0, min(percent, 100.0)) / 100
        colour = "#2e9d5b" if percent >= good else "#c62828"
        out.append(
            f'<text x="{label_w - 8}" y="{y + 15}" font-size="13" text-anchor="end" '
            f'fill="#222">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{plot}" height="{row_h - 8}" fill="#eef0f3"/>'
            f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row_h - 8}" '
            f'fill="{colour}"/>'
            f'<text x="{label_w + plot + 6}" y="{y + 15}" font-size="12" fill="#333">'
            f"{percent:.0f}% {escape(note)}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def spark(values: Sequence[int], title: str, width: int = 96, height: int = 20) -> Markup:
    """A tiny column chart (e.g. complaints per month of a grid)."""
    top = max(values, default=0)
    step = width / max(1, len(values))
    out = [
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img"><title>{escape(title)}</title>'
    ]
    for index, value in enumerate(values):
        h = (height - 2) * value / top if top else 0
        out.append(
            f'<rect x="{index * step + 1:.1f}" y="{height - h:.1f}" width="{step - 2:.1f}" '
            f'height="{max(h, 1 if value else 0):.1f}" fill="{"#e07b39" if value else "#dde"}"/>'
        )
    out.append("</svg>")
    return Markup("".join(out))
