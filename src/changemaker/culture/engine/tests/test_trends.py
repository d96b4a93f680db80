"""Trends between waves: each published cell's standard deviation against an independent
computation, and the change's Welch interval against scipy and statsmodels on the
respondents' scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import ttest_ind
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from changemaker.culture.engine import synthetic
from changemaker.culture.engine.report import build_report
from changemaker.culture.engine.trends import change_between, welch


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
