"""Residents' ratings of a criterion (1-5) in numbers: how many, the distribution, the mean and
its 95% interval, and the gap from the council's own rating. Pure: no Django.

The interval is Student's t-interval for the mean (mean ± t(0.975, n-1) · s / √n, s with n-1),
the textbook interval a reader can check; below ``MIN_RATINGS`` nothing but the count is given
(too few to say anything, and a single person's rating could be read off). The interval is
clipped to the scale (1 to 5) for showing: the unclipped ends are kept too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from scipy.stats import t as t_dist

#: The fewest ratings for which a mean (or a distribution) is shown.
MIN_RATINGS = 5
LOWEST, HIGHEST = 1, 5
LEVEL = 0.95


@dataclass(frozen=True)
class Summary:
    """What may be shown of a criterion's ratings. ``shown`` False: only ``n``."""

    n: int
    shown: bool
    counts: tuple[int, ...]  # ratings of 1..5 (all zero when not shown)
    mean: float | None
    low: float | None  # the interval, clipped to 1..5
    high: float | None
    raw_low: float | None  # the t-interval as computed
    raw_high: float | None


def mean(values: Sequence[int]) -> float:
    return math.fsum(values) / len(values)


def t_interval(values: Sequence[int], level: float = LEVEL) -> tuple[float, float]:
    """Student's t-interval for the mean of ``values`` (at least two)."""
    n = len(values)
    if n < 2:
        raise ValueError("an interval needs at least two values")
    m = mean(values)
    sd = math.sqrt(math.fsum((v - m) ** 2 for v in values) / (n - 1))
    half = float(t_dist.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return m - half, m + half


def summarise(ratings: Sequence[int], minimum: int = MIN_RATINGS) -> Summary:
    """The ratings (each 1..5) of one criterion, as far as they may be shown."""
    bad = [r for r in ratings if not LOWEST <= r <= HIGHEST]
    if bad:
        raise ValueError(f"ratings must be {LOWEST} to {HIGHEST}: {bad[:3]}")
    n = len(ratings)
    if n < max(minimum, 2):
        return Summary(n, False, (0,) * HIGHEST, None, None, None, None, None)
    counts = tuple(sum(1 for r in ratings if r == k) for k in range(LOWEST, HIGHEST + 1))
    low, high = t_interval(ratings)
    return Summary(
        n,
        True,
        counts,
        mean(ratings),
        max(float(LOWEST), low),
        min(float(HIGHEST), high),
        low,
        high,
    )


def gap(council: int | None, summary: Summary) -> float | None:
    """Residents' mean minus the council's rating (negative: residents rate it lower)."""
    if council is None or summary.mean is None:
        return None
    return summary.mean - council
