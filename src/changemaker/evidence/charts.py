"""Where to draw the event-study chart (inline SVG, drawn by a template): every number the
chart shows is also in the table beside it, so the picture is never the only way to read it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from changemaker.evidence.explain import number

WIDTH, HEIGHT = 640, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    low: float  # y of the interval's ends (the same as y when there is no interval)
    high: float
    label: str  # the period
    reference: bool  # the period just before the start (fixed at 0)


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: int
    right: int  # x of the plot's right edge
    bottom: int  # y of the plot's bottom edge
    zero: float  # y of the zero line
    start: float | None  # x between the last period before and the first after the start
    points: list[Point]
    ticks: list[Tick]


def _bounds(rows: list[dict[str, Any]]) -> tuple[float, float]:
    values = [0.0]
    for row in rows:
        values.append(row["estimate"])
        values += [v for v in row["ci"] if v is not None]
    low, high = min(values), max(values)
    if high - low < 1e-12:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.05
    return low - pad, high + pad


def event_study(rows: list[dict[str, Any]]) -> Chart | None:
    """The chart of ``Result.event_study`` rows (period, estimate, ci); None when empty."""
    rows = [r for r in rows if r["estimate"] is not None]
    if not rows:
        return None
    low, high = _bounds(rows)
    right, bottom = WIDTH - RIGHT, HEIGHT - BOTTOM
    step = (right - LEFT) / len(rows)

    def y(v: float) -> float:
        return round(TOP + (high - v) / (high - low) * (bottom - TOP), 1)

    points = []
    for i, row in enumerate(rows):
        lo, hi = row["ci"]
        points.append(
            Point(
                x=round(LEFT + step * (i + 0.5), 1),
                y=y(row["estimate"]),
                low=y(lo) if lo is not None else y(row["estimate"]),
                high=y(hi) if hi is not None else y(row["estimate"]),
                label=str(row["period"]),
                reference=row["period"] == -1,
            )
        )
    first_after = next((i for i, r in enumerate(rows) if r["period"] >= 0), None)
    start = round(LEFT + step * first_after, 1) if first_after else None
    return Chart(WIDTH, HEIGHT, LEFT, right, bottom, y(0), start, points, _ticks(low, high, y))


def _ticks(low: float, high: float, y: Any) -> list[Tick]:
    """About five round values on the vertical axis."""
    raw = (high - low) / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    places = max(0, -math.floor(math.log10(step)))
    first = math.ceil(low / step) * step
    ticks = []
    value = first
    while value <= high:
        ticks.append(Tick(y(value), number(value, places)))
        value += step
    return ticks
