"""The ratings engine against scipy: mean and t-interval, the minimum n, the gap."""

from __future__ import annotations

import random

import pytest
from scipy import stats

from changemaker.listening.engine.ratings import MIN_RATINGS, gap, summarise, t_interval


@pytest.mark.parametrize("seed", range(20))
def test_the_interval_is_scipys_one_sample_t_interval(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.randint(1, 5) for _ in range(rng.randint(2, 200))]
    if len(set(values)) == 1:
        values[0] = 1 if values[0] != 1 else 2
    low, high = t_interval(values)
    expected = stats.ttest_1samp(values, 0).confidence_interval(0.95)
    assert low == pytest.approx(expected.low, abs=1e-12)
    assert high == pytest.approx(expected.high, abs=1e-12)


def test_summary_matches_scipy_and_clips_to_the_scale() -> None:
    values = [5, 5, 5, 5, 4]
    found = summarise(values)
    assert found.shown and found.n == 5
    assert found.counts == (0, 0, 0, 1, 4)
    assert found.mean == pytest.approx(stats.tmean(values))
    sem = stats.sem(values)
    raw = stats.t.interval(0.95, len(values) - 1, loc=4.8, scale=sem)
    assert (found.raw_low, found.raw_high) == pytest.approx(raw)
    assert found.raw_high > 5 and found.high == 5.0  # clipped for showing
    assert found.low == pytest.approx(raw[0])


def test_below_the_minimum_only_the_count_is_given() -> None:
    found = summarise([1, 5, 5, 2][: MIN_RATINGS - 1])
    assert found.n == 4 and not found.shown
    assert found.mean is None and found.low is None and found.counts == (0, 0, 0, 0, 0)
    assert gap(3, found) is None


def test_all_the_same_rating_has_a_zero_width_interval() -> None:
    found = summarise([3] * 6)
    assert (found.mean, found.low, found.high) == (3.0, 3.0, 3.0)


def test_the_gap_is_residents_minus_the_council() -> None:
    assert gap(4, summarise([2, 2, 3, 3, 5])) == pytest.approx(3.0 - 4)
    assert gap(None, summarise([2, 2, 3, 3, 5])) is None


def test_a_rating_outside_the_scale_is_refused() -> None:
    with pytest.raises(ValueError, match="1 to 5"):
        summarise([1, 2, 6, 3, 3])
