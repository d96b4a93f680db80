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


FOREST_LEFT, FOREST_ROW = 240, 32  # labels to the left of x = 240; one row per study


@dataclass(frozen=True)
class ForestRow:
    y: float
    x: float  # the estimate
    low: float  # x of the interval's ends
    high: float
    box_x: float  # the marker: a square, bigger for more weight
    box_y: float
    box: float
    label: str


@dataclass(frozen=True)
class Forest:
    width: int
    height: int
    left: int
    right: int
    bottom: int  # y of the axis
    zero: float | None  # x of "no effect" (None when zero is far off the scale)
    rows: list[ForestRow]
    diamond: str  # the pooled estimate's diamond (SVG points), "" when not pooled
    pooled_x: float | None
    pooled_y: float
    ticks: list[Tick]  # x positions this time (Tick.y holds the x)


def forest(studies: list[Any], pooled: dict[str, Any] | None) -> Forest:
    """A forest plot: each study's effect and 95% interval, the pooled diamond beneath."""
    values = [0.0]
    for s in studies:
        values += [s.estimate] + [v for v in (s.low, s.high) if v is not None]
    if pooled is not None:
        values += [v for v in pooled["ci"] if v is not None]
    low, high = min(values), max(values)
    if high - low < 1e-12:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    right = WIDTH - RIGHT

    def x(v: float) -> float:
        return round(FOREST_LEFT + (v - low) / (high - low) * (right - FOREST_LEFT), 1)

    rows = []
    for i, s in enumerate(studies):
        y = TOP + FOREST_ROW * (i + 0.5)
        half = round(3 + 5 * math.sqrt(max(s.weight, 0.0) / 100), 1)
        rows.append(
            ForestRow(
                y=y,
                x=x(s.estimate),
                low=x(s.low if s.low is not None else low),
                high=x(s.high if s.high is not None else high),
                box_x=round(x(s.estimate) - half, 1),
                box_y=round(y - half, 1),
                box=2 * half,
                label=s.title if len(s.title) <= 30 else s.title[:29] + "…",
            )
        )
    pooled_y = TOP + FOREST_ROW * (len(studies) + 0.5)
    diamond, pooled_x = "", None
    if pooled is not None and None not in pooled["ci"]:
        lo, hi, mid = x(pooled["ci"][0]), x(pooled["ci"][1]), x(pooled["estimate"])
        diamond = f"{lo},{pooled_y} {mid},{pooled_y - 8} {hi},{pooled_y} {mid},{pooled_y + 8}"
        pooled_x = mid
    bottom = int(pooled_y + FOREST_ROW / 2 + 4)
    ticks = [Tick(t.y, t.label) for t in _ticks(low, high, x)]
    return Forest(
        WIDTH,
        bottom + BOTTOM,
        FOREST_LEFT,
        right,
        bottom,
        x(0.0),
        rows,
        diamond,
        pooled_x,
        pooled_y,
        ticks,
    )
