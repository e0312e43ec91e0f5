"""Charts of counts over time as server-rendered SVG (no script; the Content-Security-Policy
allows no `style` attribute, so the drawing uses SVG presentation attributes and CSS classes).

`time_chart(title, [("Hits", "hits", [(date, n), …]), …], start=, end=)` lays the series out
on one time axis: a point per day for spans up to DAILY_LIMIT days, else a point per month
(counts summed). The template `stats/_chart.html` draws it as an `<svg role="img">` with a
`<title>` and a `<desc>`, and the same numbers in a table for those who cannot see it.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

DAILY_LIMIT = 92  # days; longer spans are drawn a point per month
WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 48, 16, 16, 56  # margins inside the viewBox


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    label: str  # the bucket, e.g. 2024-03-05 or 2024-03
    value: int


# Each series' colour (an SVG presentation attribute, which CSS may override), and a dash
# pattern for all but the first so that the lines differ without colour too.
COLOURS = {"hits": "#990000", "kudos": "#1565c0"}
OTHER_COLOURS = ("#2e7d32", "#6a1b9a", "#8a6d00")


@dataclass(frozen=True)
class Line:
    name: str  # "Hits"
    css: str  # "hits": the CSS class chart-hits
    points: tuple[Point, ...]
    total: int
    colour: str = "#333333"
    dashed: bool = False

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


@dataclass(frozen=True)
class Tick:
    position: float  # x or y in the viewBox
    label: str
    anchor: str = "middle"  # text-anchor: the first and last labels stay inside


@dataclass(frozen=True)
class Chart:
    title: str
    description: str
    monthly: bool
    labels: tuple[str, ...]  # the buckets, oldest first
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    top: int = TOP
    plot_right: int = WIDTH - RIGHT
    plot_bottom: int = HEIGHT - BOTTOM

    @property
    def rows(self) -> list[tuple[str, list[int]]]:
        """The data table: a row per bucket, a value per line."""
        return [
            (label, [line.points[i].value for line in self.lines])
            for i, label in enumerate(self.labels)
        ]


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _buckets(start: datetime.date, end: datetime.date) -> tuple[list[datetime.date], bool]:
    if (end - start).days + 1 <= DAILY_LIMIT:
        return [start + datetime.timedelta(days=i) for i in range((end - start).days + 1)], False
    months, month = [], _month(start)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months, True


def _nice_max(value: int) -> int:
    """A round top for the y axis, at least `value` (1, 2 or 5 times a power of ten, times 4)."""
    if value <= 4:
        return 4
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor * 4 >= value:
                return step * factor * 4
        step *= 10


def time_chart(
    title: str,
    series: Sequence[tuple[str, str, Iterable[tuple[datetime.date, int]]]],
    *,
    start: datetime.date,
    end: datetime.date,
) -> Chart:
    """`series`: (name, css class suffix, [(day, count), …]) each; days outside start..end
    are left out, days without a count are 0."""
    if end < start:
        start, end = end, start
    buckets, monthly = _buckets(start, end)
    index = {b: i for i, b in enumerate(buckets)}
    values: list[list[int]] = []
    for _name, _css, points in series:
        row = [0] * len(buckets)
        for day, count in points:
            if start <= day <= end:
                row[index[_month(day) if monthly else day]] += int(count)
        values.append(row)
    top_value = _nice_max(max((max(row, default=0) for row in values), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(buckets) - 1, 1)
    labels = tuple(b.strftime("%Y-%m") if monthly else b.isoformat() for b in buckets)

    def x(i: int) -> float:
        return LEFT + (i * step if len(buckets) > 1 else plot_w / 2)

    def y(value: int) -> float:
        return TOP + plot_h - value * plot_h / top_value

    lines = tuple(
        Line(
            name=name,
            css=css,
            points=tuple(Point(x(i), y(v), labels[i], v) for i, v in enumerate(values[n])),
            total=sum(values[n]),
            colour=COLOURS.get(css, OTHER_COLOURS[n % len(OTHER_COLOURS)]),
            dashed=n > 0,
        )
        for n, (name, css, _points) in enumerate(series)
    )
    shown = sorted({0, len(buckets) // 2, len(buckets) - 1})
    anchors = {0: "start", len(buckets) - 1: "end"} if len(buckets) > 1 else {}
    x_ticks = tuple(Tick(x(i), labels[i], anchors.get(i, "middle")) for i in shown)
    y_ticks = tuple(Tick(y(v), f"{v:,}") for v in (0, top_value // 2, top_value))
    span = f"{labels[0]} to {labels[-1]}" if len(labels) > 1 else labels[0]
    totals = ", ".join(f"{line.total:,} {line.name.lower()}" for line in lines)
    per = "month" if monthly else "day"
    description = f"{title}, per {per}, from {span}: {totals} in all."
    return Chart(
        title=title,
        description=description,
        monthly=monthly,
        labels=labels,
        lines=lines,
        x_ticks=x_ticks,
        y_ticks=y_ticks,
    )
