"""Chart geometry for the end-of-port-call report, and its SVG form (attributes only, no style=).

Rule source: the SSO's report (SOLAS XI-2/9.2.1 records); the CSP forbids inline styles, so every
colour and size is an SVG presentation attribute. The PDF draws the same geometry with reportlab.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape, quoteattr

WIDTH, HEIGHT = 640.0, 240.0
LEFT, RIGHT, TOP, BOTTOM = 48.0, 12.0, 28.0, 40.0
BOARD_FILL, DEPART_FILL, LINE = "#2e7d32", "#c62828", "#1565c0"
MAX_STEPS = 600  # the step line keeps each bucket's peak: the maximum is never drawn lower


@dataclass(frozen=True)
class Bar:
    """A filled rectangle in chart coordinates (y grows downwards, as in SVG)."""

    x: float
    y: float
    width: float
    height: float
    fill: str


@dataclass(frozen=True)
class Chart:
    """What to draw: bars and/or a step line, axis labels and titles."""

    title: str
    x_title: str
    y_title: str
    bars: tuple[Bar, ...] = ()
    line: tuple[tuple[float, float], ...] = ()
    x_labels: tuple[tuple[float, str], ...] = ()
    y_labels: tuple[tuple[float, str], ...] = ()
    width: float = WIDTH
    height: float = HEIGHT


def _y_axis(top_value: int) -> tuple[float, tuple[tuple[float, str], ...]]:
    """Return the value at the top of the plot and four evenly spaced labels."""
    top = max(top_value, 1)
    step = max(1, -(-top // 4))
    top = step * 4
    plot = HEIGHT - TOP - BOTTOM
    return top, tuple((HEIGHT - BOTTOM - plot * i / 4, str(step * i)) for i in range(5))


def _x_labels(times: Sequence[datetime], xs: Sequence[float]) -> tuple[tuple[float, str], ...]:
    if not times:
        return ()
    every = max(1, len(times) // 6)
    return tuple((xs[i], f"{times[i]:%d %H:%M}") for i in range(0, len(times), every))


def movements_per_hour_chart(per_hour: Sequence[tuple[datetime, int, int]]) -> Chart:
    """Lay out boardings (green) and departures (red) per hour as side-by-side bars."""
    top, y_labels = _y_axis(max((max(b, d) for _, b, d in per_hour), default=0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(per_hour), 1)
    bars, xs = [], []
    for i, (_, boards, departs) in enumerate(per_hour):
        x = LEFT + i * slot
        xs.append(x)
        for j, (value, fill) in enumerate(((boards, BOARD_FILL), (departs, DEPART_FILL))):
            h = plot_h * value / top
            bars.append(Bar(x + j * slot / 2, HEIGHT - BOTTOM - h, slot / 2 * 0.9, h, fill))
    return Chart(
        "Movements per hour (green: boardings, red: departures)",
        "Hour (UTC)",
        "Movements",
        bars=tuple(bars),
        x_labels=_x_labels([t for t, _, _ in per_hour], xs),
        y_labels=y_labels,
    )


def on_board_chart(series: Sequence[tuple[datetime, int]], end: datetime | None = None) -> Chart:
    """Lay out persons on board over time as a step line, to `end` or the last step."""
    if not series:
        return Chart("Persons on board", "Time (UTC)", "Persons")
    first = series[0][0]
    last = max(end or series[-1][0], series[-1][0])
    span = max((last - first).total_seconds(), 1.0)
    top, y_labels = _y_axis(max(n for _, n in series))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    peaks: dict[int, int] = {}
    for at, n in series:
        bucket = int((at - first).total_seconds() / span * (MAX_STEPS - 1))
        peaks[bucket] = max(peaks.get(bucket, 0), n)
    points: list[tuple[float, float]] = []
    for bucket in sorted(peaks):
        x = LEFT + plot_w * bucket / (MAX_STEPS - 1)
        y = HEIGHT - BOTTOM - plot_h * peaks[bucket] / top
        if points:
            points.append((x, points[-1][1]))
        points.append((x, y))
    points.append((LEFT + plot_w, points[-1][1]))
    ticks = [first + (last - first) * i / 5 for i in range(6)]
    xs = [LEFT + plot_w * i / 5 for i in range(6)]
    return Chart(
        "Persons on board",
        "Time (UTC)",
        "Persons",
        line=tuple(points),
        x_labels=_x_labels(ticks, xs),
        y_labels=y_labels,
    )


def chart_svg(chart: Chart) -> str:
    """Return the chart as an SVG document fragment, with a <title> and axis labels."""
    base = chart.height - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width:g} {chart.height:g}" '
        f'width="{chart.width:g}" height="{chart.height:g}" role="img" class="report-chart">',
        f"<title>{escape(chart.title)}</title>",
        f'<text x="{LEFT:g}" y="16" font-size="13" font-weight="bold">{escape(chart.title)}</text>',
        f'<line x1="{LEFT:g}" y1="{TOP:g}" x2="{LEFT:g}" y2="{base:g}" stroke="#333"/>',
        f'<line x1="{LEFT:g}" y1="{base:g}" x2="{chart.width - RIGHT:g}" y2="{base:g}" '
        'stroke="#333"/>',
    ]
    for y, text in chart.y_labels:
        parts.append(
            f'<text x="{LEFT - 4:g}" y="{y + 4:.1f}" font-size="10" text-anchor="end">'
            f"{escape(text)}</text>"
        )
    for x, text in chart.x_labels:
        parts.append(f'<text x="{x:.1f}" y="{base + 14:g}" font-size="10">{escape(text)}</text>')
    parts.append(
        f'<text x="{(chart.width + LEFT) / 2:g}" y="{chart.height - 6:g}" font-size="11" '
        f'text-anchor="middle">{escape(chart.x_title)}</text>'
    )
    parts.append(
        f'<text x="12" y="{(TOP + base) / 2:g}" font-size="11" text-anchor="middle" '
        f'transform="rotate(-90 12 {(TOP + base) / 2:g})">{escape(chart.y_title)}</text>'
    )
    for bar in chart.bars:
        if bar.height > 0:
            parts.append(
                f'<rect x="{bar.x:.1f}" y="{bar.y:.1f}" width="{bar.width:.2f}" '
                f'height="{bar.height:.1f}" fill={quoteattr(bar.fill)}/>'
            )
    if chart.line:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in chart.line)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    parts.append("</svg>")
    return "".join(parts)


def movements_per_hour_svg(per_hour: Sequence[tuple[datetime, int, int]]) -> str:
    """Return the movements-per-hour bar chart as SVG."""
    return chart_svg(movements_per_hour_chart(per_hour))


def on_board_svg(series: Sequence[tuple[datetime, int]], end: datetime | None = None) -> str:
    """Return the persons-on-board step line as SVG."""
    return chart_svg(on_board_chart(series, end))
