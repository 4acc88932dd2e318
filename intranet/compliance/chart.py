"""The month-by-month percentage chart: geometry computed here, drawn as SVG by a template.

Readable without colour: each series has its own dash pattern and marker shape, a legend,
a value label at each point of the first series, and a <title> (a tooltip, read aloud by
screen readers) on every point; the page also gives the figures as a table.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from ..months import Month
from .results import MonthPoint

# Series in drawing order: (dash pattern, marker shape). The first one is the subject.
STYLES = (("", "circle"), ("7 5", "square"), ("2 4", "triangle"))


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    point: MonthPoint
    # Where the value label goes: below the point when another line passes just above it.
    label_below: bool = False


@dataclass(frozen=True)
class Series:
    label: str
    dash: str
    marker: str
    # One SVG path per run of months with staff: a month with nobody leaves a gap.
    paths: list[str]
    marks: list[Mark]


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    series: list[Series]


def percent_chart(lines: Sequence[tuple[str, Sequence[MonthPoint]]]) -> Chart:
    """A chart of each (label, points) line's level-2 percentage, 0-100%, one x step a month."""
    width, height = 640, 280
    left, right = 64.0, width - 28.0
    top, bottom = 24.0, height - 34.0
    months: list[Month] = [p.month for p in lines[0][1]] if lines else []
    step = (right - left) / max(len(months) - 1, 1)

    def x(index: int) -> float:
        return round(left + index * step, 1)

    def y(percent: float) -> float:
        return round(bottom - (bottom - top) * percent / 100, 1)

    y_ticks = [Tick(y(p), f"{p}%") for p in (0, 25, 50, 75, 100)]
    x_ticks = [Tick(x(i), f"{m.month:02d}/{m.year % 100:02d}") for i, m in enumerate(months)]
    grid = [
        [None if p.percent is None else Mark(x(i), y(p.percent), p) for i, p in enumerate(points)]
        for _label, points in lines
    ]
    if len(grid) > 1:  # keep the first line's labels off the other lines' markers
        grid[0] = [
            mark and replace(mark, label_below=_crowded(mark, [r[i] for r in grid[1:]], bottom))
            for i, mark in enumerate(grid[0])
        ]
    series = [
        Series(label, dash, marker, _paths(marks), [m for m in marks if m is not None])
        for (label, _points), marks, (dash, marker) in zip(lines, grid, STYLES)
    ]
    return Chart(width, height, left, right, top, bottom, y_ticks, x_ticks, series)


def _paths(marks: Sequence[Mark | None]) -> list[str]:
    """SVG path data through the marks, broken where a month has none."""
    runs: list[list[Mark]] = [[]]
    for mark in marks:
        if mark is None:
            runs.append([])
        else:
            runs[-1].append(mark)
    return [" ".join(f"{'L' if i else 'M'}{m.x},{m.y}" for i, m in enumerate(r)) for r in runs if r]


def _crowded(mark: Mark, others: Sequence[Mark | None], bottom: float) -> bool:
    """Another line's marker sits where this mark's label would go (and there is room below)."""
    near = any(o is not None and 0 <= mark.y - o.y < 22 for o in others)
    return near and mark.y < bottom - 22
