"""Where to draw the gap chart (inline SVG, drawn by a template): for each criterion the
council's own rating and the residents' mean with its 95% interval on the same 1-5 scale.
Every number is also in the table beside it, so the picture is never the only way to read it."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from changemaker.listening.selectors import ScoreRow

WIDTH = 640
LEFT, RIGHT, TOP, ROW, BOTTOM = 200, 24, 12, 44, 36
#: a criterion's words beside its row: lines of at most this many characters (14 px text in
#: the 190 px left of the plot), at most two lines; the whole text is in the table below
LABEL, LABEL_LINES, LINE = 24, 2, 16


@dataclass(frozen=True)
class GapRow:
    y: float
    label: list[tuple[float, str]]  # (y, line) of each line of the criterion's words
    council_x: float | None
    council_diamond: str  # SVG points, "" when the council has not rated it
    mean_x: float | None  # None: too few ratings
    low_x: float | None
    high_x: float | None


@dataclass(frozen=True)
class GapChart:
    width: int
    height: int
    left: int
    right: int
    bottom: int
    rows: list[GapRow]
    ticks: list[tuple[float, int]]  # (x, rating)


def _x(value: float) -> float:
    return round(LEFT + (value - 1) / 4 * (WIDTH - RIGHT - LEFT), 1)


def _label(number: int, text: str, y: float) -> list[tuple[float, str]]:
    """The criterion's number and words, wrapped at spaces, centred on its row; cut short
    with "…" if longer than two lines (a word longer than a line is cut too)."""
    lines = textwrap.wrap(f"{number}. {text}", LABEL, break_long_words=True)
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = textwrap.shorten(f"{lines[-1]} …", LABEL, placeholder=" …")
    first = y - LINE * (len(lines) - 1) / 2
    return [(first + LINE * i, line) for i, line in enumerate(lines)]


def gap_chart(rows: Sequence[ScoreRow], texts: Sequence[str]) -> GapChart:
    """The chart of a scorecard's rows (``texts``: each criterion's words as shown)."""
    drawn = []
    for i, (row, text) in enumerate(zip(rows, texts, strict=True)):
        y = TOP + ROW * (i + 0.5)
        rating = row.criterion.council_rating
        cx = _x(rating) if rating is not None else None
        diamond = f"{cx - 7},{y} {cx},{y - 7} {cx + 7},{y} {cx},{y + 7}" if cx is not None else ""
        s = row.summary
        drawn.append(
            GapRow(
                y=y,
                label=_label(i + 1, text, y),
                council_x=cx,
                council_diamond=diamond,
                mean_x=_x(s.mean) if s.mean is not None else None,
                low_x=_x(s.low) if s.low is not None else None,
                high_x=_x(s.high) if s.high is not None else None,
            )
        )
    bottom = TOP + ROW * len(rows)
    return GapChart(
        WIDTH,
        bottom + BOTTOM,
        LEFT,
        WIDTH - RIGHT,
        bottom,
        drawn,
        [(_x(v), v) for v in range(1, 6)],
    )
