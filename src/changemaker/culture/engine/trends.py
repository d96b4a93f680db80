"""The change in a group's score between two waves, with a confidence interval.

The interval is Welch's for a difference in means (unequal variances, Welch-Satterthwaite
degrees of freedom), from each published cell's n, score and standard deviation: what
``scipy.stats.ttest_ind(later, earlier, equal_var=False).confidence_interval()`` and
statsmodels' ``CompareMeans.tconfint_diff(usevar="unequal")`` give on the respondents' scores
(the tests check both). It treats the two waves as independent samples: responses are
anonymous, so the people who answered both cannot be paired. The same people answering twice
makes the true interval narrower, so this one errs on the side of "no clear change".

Only cells published in both waves have a change: a hidden cell has no n, score or spread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scipy.stats import t as t_dist

LEVEL = 0.95


@dataclass(frozen=True, slots=True)
class Change:
    """later - earlier, its interval and the Welch degrees of freedom."""

    difference: float
    low: float
    high: float
    df: float

    @property
    def clear(self) -> bool:
        """The interval leaves out no change (0)."""
        return self.low > 0 or self.high < 0


def welch(
    earlier: tuple[int, float, float],
    later: tuple[int, float, float],
    level: float = LEVEL,
) -> Change | None:
    """Each of ``earlier``, ``later`` is (n, mean, sample sd). None when there is no interval:
    fewer than 2 people in either wave, or no spread in either (every score alike)."""
    (n1, m1, s1), (n2, m2, s2) = earlier, later
    if n1 < 2 or n2 < 2:
        return None
    v1, v2 = s1 * s1 / n1, s2 * s2 / n2
    se2 = v1 + v2
    if se2 <= 0:
        return None
    df = se2 * se2 / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1))
    half = float(t_dist.ppf((1 + level) / 2, df)) * math.sqrt(se2)
    d = m2 - m1
    return Change(d, d - half, d + half, df)


def _published(cell: Mapping[str, Any] | None) -> tuple[int, float, float] | None:
    if not cell or cell.get("suppressed") or cell.get("sd") is None:
        return None
    return int(cell["n"]), float(cell["score"]), float(cell["sd"])


def change_between(
    earlier: Mapping[str, Any] | None, later: Mapping[str, Any] | None, level: float = LEVEL
) -> Change | None:
    """The change between two report cells (as ``build_report`` prints them), or None unless
    both are published (and carry the standard deviation)."""
    a, b = _published(earlier), _published(later)
    if a is None or b is None:
        return None
    return welch(a, b, level)
