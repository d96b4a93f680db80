"""The change in a group's score and % positive between two waves, with confidence intervals.

The interval is Welch's for a difference in means (unequal variances, Welch-Satterthwaite
degrees of freedom), from each published cell's n, score and standard deviation: what
``scipy.stats.ttest_ind(later, earlier, equal_var=False).confidence_interval()`` and
statsmodels' ``CompareMeans.tconfint_diff(usevar="unequal")`` give on the respondents' scores
(the tests check both). It treats the two waves as independent samples: responses are
anonymous, so the people who answered both cannot be paired. The same people answering twice
makes the true interval narrower, so this one errs on the side of "no clear change".

The change in % positive is a difference of two independent proportions with Newcombe's
hybrid score interval (his method 10: each wave's Wilson score interval, combined), what
statsmodels' ``confint_proportions_2indep(method="newcomb")`` gives (the tests check it), and
each wave's % positive has its Wilson interval. The sample size is the group's n, the people:
one person's answers to a norm's statements are not independent of each other, so counting
every answer as a separate trial would make the interval far too narrow (and the number of
answers is not published). It is in percentage points, like the cells' % positive.

Only cells published in both waves have a change: a hidden cell has no n, score or spread.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from scipy.stats import norm
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


@dataclass(frozen=True, slots=True)
class Share:
    """A proportion (0 to 1) and its Wilson score interval."""

    value: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class ShareChange:
    """later - earlier % positive in percentage points, its Newcombe interval, and each wave's
    % positive with its Wilson interval (in per cent)."""

    difference: float
    low: float
    high: float
    earlier: Share
    later: Share

    @property
    def clear(self) -> bool:
        """The interval leaves out no change (0)."""
        return self.low > 0 or self.high < 0

    @property
    def fall(self) -> tuple[float, float, float]:
        """earlier - later and its interval, to say a fall in words ("down 6 points")."""
        return -self.difference, -self.high, -self.low


def wilson(proportion: float, n: int, level: float = LEVEL) -> Share:
    """The Wilson score interval of a proportion observed in ``n`` trials (n >= 1)."""
    if n < 1 or not 0 <= proportion <= 1:
        raise ValueError("a proportion between 0 and 1 of at least one trial is needed")
    z = float(norm.ppf((1 + level) / 2))
    z2n = z * z / n
    centre = (proportion + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(proportion * (1 - proportion) / n + z2n / (4 * n))
    # exact arithmetic puts the estimate inside [low, high] within [0, 1]; keep it so
    low, high = max(0.0, min(centre - half, proportion)), min(1.0, max(centre + half, proportion))
    return Share(proportion, low, high)


def newcombe(
    earlier: tuple[int, float], later: tuple[int, float], level: float = LEVEL
) -> tuple[float, float, float]:
    """later - earlier proportion and Newcombe's hybrid score interval (method 10); each of
    ``earlier``, ``later`` is (n, proportion)."""
    a, b = wilson(earlier[1], earlier[0], level), wilson(later[1], later[0], level)
    d = b.value - a.value
    low = d - math.sqrt((b.value - b.low) ** 2 + (a.high - a.value) ** 2)
    high = d + math.sqrt((b.high - b.value) ** 2 + (a.value - a.low) ** 2)
    return d, low, high


def _positive(cell: Mapping[str, Any] | None) -> tuple[int, float] | None:
    if not cell or cell.get("suppressed") or cell.get("percent_positive") is None:
        return None
    if not cell.get("n"):
        return None
    return int(cell["n"]), float(cell["percent_positive"]) / 100


def share_of(cell: Mapping[str, Any] | None, level: float = LEVEL) -> Share | None:
    """A published cell's % positive with its Wilson interval (in per cent), or None."""
    found = _positive(cell)
    if found is None:
        return None
    share = wilson(found[1], found[0], level)
    return Share(100 * share.value, 100 * share.low, 100 * share.high)


def positive_change_between(
    earlier: Mapping[str, Any] | None, later: Mapping[str, Any] | None, level: float = LEVEL
) -> ShareChange | None:
    """The change in % positive between two report cells, in percentage points, or None
    unless both are published (suppressed exactly like the change in score)."""
    a, b = _positive(earlier), _positive(later)
    if a is None or b is None:
        return None
    d, low, high = newcombe(a, b, level)
    first, second = share_of(earlier, level), share_of(later, level)
    assert first is not None and second is not None
    return ShareChange(100 * d, 100 * low, 100 * high, first, second)
