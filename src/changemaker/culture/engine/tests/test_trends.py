"""Trends between waves: each published cell's standard deviation against an independent
computation, the change's Welch interval against scipy and statsmodels on the respondents'
scores, and the change in % positive (Newcombe's interval) and each wave's Wilson interval
against statsmodels."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import ttest_ind
from statsmodels.stats.proportion import confint_proportions_2indep, proportion_confint
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from changemaker.culture.engine import synthetic
from changemaker.culture.engine.report import build_report
from changemaker.culture.engine.trends import (
    change_between,
    newcombe,
    positive_change_between,
    share_of,
    welch,
    wilson,
)


def _summary(x: np.ndarray) -> tuple[int, float, float]:
    return len(x), float(x.mean()), float(x.std(ddof=1))


def _references(earlier: np.ndarray, later: np.ndarray) -> list[tuple[float, float]]:
    scipy_ci = ttest_ind(later, earlier, equal_var=False).confidence_interval(0.95)
    sm = CompareMeans(DescrStatsW(later), DescrStatsW(earlier)).tconfint_diff(
        alpha=0.05, usevar="unequal"
    )
    return [(scipy_ci.low, scipy_ci.high), (float(sm[0]), float(sm[1]))]


@given(
    st.lists(st.integers(0, 100), min_size=2, max_size=60),
    st.lists(st.integers(0, 100), min_size=2, max_size=60),
)
@settings(max_examples=200, deadline=None)
def test_welch_interval_equals_scipy_and_statsmodels(a: list[int], b: list[int]) -> None:
    earlier, later = np.array(a, dtype=float), np.array(b, dtype=float)
    change = welch(_summary(earlier), _summary(later))
    if earlier.std() == 0 and later.std() == 0:
        assert change is None  # no spread: no interval (scipy gives nan)
        return
    assert change is not None
    assert change.difference == pytest.approx(later.mean() - earlier.mean(), abs=1e-9)
    for low, high in _references(earlier, later):
        assert change.low == pytest.approx(low, abs=1e-7)
        assert change.high == pytest.approx(high, abs=1e-7)
    assert change.clear == (change.low > 0 or change.high < 0)


def _person_scores(s: synthetic.Survey, scale: str) -> dict[int, float]:
    """Each respondent's scale score, computed here without the engine."""
    out = {}
    for i in range(len(s.responses.unit)):
        answers = [
            6 - int(a) if it.reverse else int(a)
            for it, a in zip(s.items, s.responses.answers[i], strict=True)
            if it.scale == scale and a
        ]
        if answers:
            out[i] = (sum(answers) / len(answers) - 1) * 25
    return out


def _in_subtree(s: synthetic.Survey, i: int, unit: int) -> bool:
    u = int(s.responses.unit[i])
    while u >= 0:
        if u == unit:
            return True
        u = s.units.parent[u]
    return False


def test_published_cells_carry_their_sd_and_a_change_matching_scipy() -> None:
    s = synthetic.survey(
        n_units=12, n_respondents=500, n_items=8, n_waves=2, blank_rate=0.2, seed=3
    )
    report = build_report(s.units, s.items, s.responses, min_group=10)
    cells = {
        (c["unit"], c["wave"], c["scale"]): c for c in report["cells"] if c["breakdown"] is None
    }
    w0, w1 = s.responses.waves
    compared = hidden = 0
    for scale in dict.fromkeys(it.scale for it in s.items):
        scores = _person_scores(s, scale)
        for u, unit in enumerate(s.units.ids):
            per_wave = [
                np.array(
                    [
                        x
                        for i, x in scores.items()
                        if s.responses.wave[i] == w and _in_subtree(s, i, u)
                    ]
                )
                for w in (0, 1)
            ]
            a, b = cells[(unit, w0, scale)], cells[(unit, w1, scale)]
            for cell, x in ((a, per_wave[0]), (b, per_wave[1])):
                if not cell["suppressed"]:
                    assert cell["sd"] == pytest.approx(float(x.std(ddof=1)), abs=1e-9)
                else:
                    assert cell["sd"] is None
            change = change_between(a, b)
            if a["suppressed"] or b["suppressed"]:
                assert change is None  # only where both cells are published
                hidden += 1
                continue
            assert change is not None
            for low, high in _references(per_wave[0], per_wave[1]):
                assert (change.low, change.high) == pytest.approx((low, high), abs=1e-7)
            compared += 1
    assert compared > 10 and hidden > 0


@given(st.integers(1, 400), st.integers(0, 400), st.sampled_from([0.9, 0.95, 0.99]))
@settings(max_examples=200, deadline=None)
def test_wilson_interval_equals_statsmodels(n: int, k: int, level: float) -> None:
    k = min(k, n)
    share = wilson(k / n, n, level)
    low, high = proportion_confint(k, n, alpha=1 - level, method="wilson")
    assert (share.low, share.high) == pytest.approx((low, high), abs=1e-9)
    assert share.low <= k / n <= share.high


@given(
    st.integers(1, 300),
    st.floats(0, 1),
    st.integers(1, 300),
    st.floats(0, 1),
)
@settings(max_examples=300, deadline=None)
def test_newcombe_interval_equals_statsmodels(n1: int, p1: float, n2: int, p2: float) -> None:
    # proportions of a published % positive need not be whole counts of people
    d, low, high = newcombe((n1, p1), (n2, p2))
    ref = confint_proportions_2indep(p2 * n2, n2, p1 * n1, n1, method="newcomb", compare="diff")
    assert d == pytest.approx(p2 - p1, abs=1e-12)
    assert (low, high) == pytest.approx((float(ref[0]), float(ref[1])), abs=1e-9)
    assert low <= d <= high


def test_wilson_needs_a_proportion_of_someone() -> None:
    with pytest.raises(ValueError, match="at least one trial"):
        wilson(0.5, 0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        wilson(1.5, 10)


def _person_positive(s: synthetic.Survey, scale: str) -> dict[int, tuple[int, int]]:
    """Each respondent's (answers of 4 or 5, answers) for the scale, without the engine."""
    out = {}
    for i in range(len(s.responses.unit)):
        answers = [
            6 - int(a) if it.reverse else int(a)
            for it, a in zip(s.items, s.responses.answers[i], strict=True)
            if it.scale == scale and a
        ]
        if answers:
            out[i] = (sum(a >= 4 for a in answers), len(answers))
    return out


def test_change_in_percent_positive_is_worked_out_only_where_both_cells_are_published() -> None:
    s = synthetic.survey(
        n_units=12, n_respondents=500, n_items=8, n_waves=2, blank_rate=0.2, seed=3
    )
    report = build_report(s.units, s.items, s.responses, min_group=10)
    cells = {
        (c["unit"], c["wave"], c["scale"]): c for c in report["cells"] if c["breakdown"] is None
    }
    w0, w1 = s.responses.waves
    compared = hidden = 0
    for scale in dict.fromkeys(it.scale for it in s.items):
        people = _person_positive(s, scale)
        for u, unit in enumerate(s.units.ids):
            found = []  # (people, share of positive answers) per wave
            for w in (0, 1):
                mine = [
                    v
                    for i, v in people.items()
                    if s.responses.wave[i] == w and _in_subtree(s, i, u)
                ]
                positive, answered = sum(v[0] for v in mine), sum(v[1] for v in mine)
                found.append((len(mine), positive / answered if answered else 0.0))
            a, b = cells[(unit, w0, scale)], cells[(unit, w1, scale)]
            change = positive_change_between(a, b)
            if a["suppressed"] or b["suppressed"]:
                assert change is None  # suppressed exactly like the change in score
                assert change_between(a, b) is None
                hidden += 1
                continue
            assert change is not None
            (n1, p1), (n2, p2) = found
            ref = confint_proportions_2indep(p2 * n2, n2, p1 * n1, n1, method="newcomb")
            assert change.difference == pytest.approx(100 * (p2 - p1), abs=1e-9)
            assert (change.low, change.high) == pytest.approx(
                (100 * float(ref[0]), 100 * float(ref[1])), abs=1e-7
            )
            for share, (n, p) in ((change.earlier, found[0]), (change.later, found[1])):
                low, high = proportion_confint(p * n, n, method="wilson")
                assert (share.value, share.low, share.high) == pytest.approx(
                    (100 * p, 100 * low, 100 * high), abs=1e-7
                )
            assert share_of(b) == change.later
            assert change.clear == (change.low > 0 or change.high < 0)
            compared += 1
    assert compared > 10 and hidden > 0
    assert share_of(None) is None
