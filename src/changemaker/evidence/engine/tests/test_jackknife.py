"""The cluster jackknife (CV3; MacKinnon, Nielsen and Webb 2023): the engine's leave-one-
cluster-out estimates, found from one partial fit per cluster, against refitting the model
without each cluster in turn (a plain loop here, statsmodels' OLS with dummies); the WCR13
bootstrap (studentised by CV3) against refitting every Rademacher draw's outcome without each
cluster; and "auto" using CV3 with t(G−1) below 12 clusters, saying so."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats as scipy_stats

from changemaker.evidence.engine import DiD, DiD2x2, analyse, stats
from changemaker.evidence.engine.errors import EvidenceError
from changemaker.evidence.engine.stats import FixedEffect

from .test_wild_reference import did_design, partialled, two_by_two, two_by_two_design, ward_panel


def uneven_two_by_two(seed: int = 8) -> dict[str, np.ndarray]:
    """Clusters of different sizes (the jackknife then differs from CV1 by more than a
    constant): 7 wards, 3 treated."""
    rng = np.random.default_rng(seed)
    sizes = np.array([20, 60, 35, 80, 25, 50, 40])
    cluster = np.repeat(np.arange(len(sizes)), sizes)
    group = (np.arange(len(sizes)) < 3).astype(np.int64)[cluster]
    post = rng.integers(0, 2, len(cluster))
    shock = rng.normal(size=(len(sizes), 2))[cluster, post]
    y = group + post + 0.3 * group * post + shock + rng.normal(size=len(cluster))
    return {"c": cluster, "g": group, "p": post, "y": y}


def refit_without_each(x: np.ndarray, y: np.ndarray, cluster: np.ndarray) -> np.ndarray:
    """β̂_(g) by OLS on the other clusters' rows, columns that become all zero dropped."""
    out = []
    for g in range(int(cluster.max()) + 1):
        keep = cluster != g
        xs = x[keep]
        xs = xs[:, np.abs(xs).sum(axis=0) > 0]
        out.append(float(sm.OLS(y[keep], xs).fit().params[0]))
    return np.array(out)


def test_leave_one_out_estimates_equal_refitting_without_each_cluster() -> None:
    cols = uneven_two_by_two()
    x = two_by_two_design(cols)
    yt, xt, _ = partialled(x, cols["y"])
    groups = int(cols["c"].max()) + 1

    def rows(m: np.ndarray, keep: np.ndarray) -> np.ndarray:
        others = x[keep, 1:]
        coef, *_ = np.linalg.lstsq(others, m[keep], rcond=None)
        out = np.zeros_like(m)
        out[keep] = m[keep] - others @ coef
        return out

    jack = stats.jackknife(yt, xt, cols["c"], groups, rows)
    assert jack is not None
    expected = refit_without_each(x, cols["y"], cols["c"])
    np.testing.assert_allclose(jack.estimates(), expected, rtol=0, atol=1e-10)
    np.testing.assert_allclose(jack.on_x.sum(axis=1), 1.0, atol=1e-12)


def test_fixed_effects_leave_one_out_estimates_equal_refitting_with_dummies() -> None:
    cols = ward_panel()
    design = DiD(unit="u", time="t", treated="d", cluster="c")
    result = analyse(cols, design=design, outcome="y", inference="cv3")
    expected = refit_without_each(did_design(cols), cols["y"], cols["c"])
    beta = float(sm.OLS(cols["y"], did_design(cols)).fit().params[0])
    cv3 = math.sqrt(5 / 6 * float(np.sum((expected - beta) ** 2)))
    assert result.inference == "cv3"
    assert result.estimate == pytest.approx(beta, abs=1e-10)
    assert result.se == pytest.approx(cv3, rel=1e-9)
    q = scipy_stats.t.ppf(0.975, 5)
    assert result.ci[0] == pytest.approx(beta - q * cv3, rel=1e-9)
    assert result.ci[1] == pytest.approx(beta + q * cv3, rel=1e-9)
    assert result.p == pytest.approx(2 * scipy_stats.t.sf(abs(beta / cv3), 5), rel=1e-9)


def brute_force_wcr13(
    y: np.ndarray, x: np.ndarray, cluster: np.ndarray, signs: np.ndarray
) -> float:
    """WCR13 by the textbook, one refit at a time: impose β = 0, y* = restricted fit + v_g ·
    restricted residuals, and for every draw the CV3 t-statistic from refitting y* without
    each cluster. (wildboottest 0.3.2's ``bootstrap_type="13"`` fails on this numpy.)"""
    groups = int(cluster.max()) + 1

    def cv3_t(target: np.ndarray) -> float:
        beta = float(sm.OLS(target, x).fit().params[0])
        loo = refit_without_each(x, target, cluster)
        return beta / math.sqrt((groups - 1) / groups * float(np.sum((loo - beta) ** 2)))

    restricted = sm.OLS(y, x[:, 1:]).fit()
    t_obs = abs(cv3_t(y))
    t_star = [abs(cv3_t(restricted.fittedvalues + v[cluster] * restricted.resid)) for v in signs]
    return float(np.mean(np.array(t_star) >= t_obs - 1e-12 * max(1.0, t_obs)))


def test_cv3_studentised_bootstrap_is_wcr13_refitted_draw_by_draw() -> None:
    """Every Rademacher draw (2^7 = 128), so no Monte Carlo error: the same p-value."""
    cols = uneven_two_by_two()
    x = two_by_two_design(cols)
    yt, xt, partial = partialled(x, cols["y"])
    groups = 7
    signs = np.array(list(itertools.product([-1.0, 1.0], repeat=groups)))

    def rows(m: np.ndarray, keep: np.ndarray) -> np.ndarray:
        others = x[keep, 1:]
        coef, *_ = np.linalg.lstsq(others, m[keep], rcond=None)
        out = np.zeros_like(m)
        out[keep] = m[keep] - others @ coef
        return out

    jack = stats.jackknife(yt, xt, cols["c"], groups, rows)
    ours = stats.wild_cluster_bootstrap(
        yt, xt, cols["c"], groups, 1.0, partial=partial, jack=jack, weights=signs
    )
    cv1 = stats.wild_cluster_bootstrap(
        yt, xt, cols["c"], groups, 1.0, partial=partial, weights=signs
    )
    expected = brute_force_wcr13(cols["y"], x, cols["c"], signs)
    assert ours.cv3 and not cv1.cv3
    assert abs(ours.p - expected) < 1e-12
    assert ours.ci != cv1.ci  # uneven clusters: CV3 is not a multiple of CV1


def test_auto_uses_the_jackknife_below_12_clusters_and_says_why() -> None:
    rng = np.random.default_rng(2)
    cols = two_by_two(5)
    cols["y"] = cols["y"] + rng.normal(size=len(cols["y"]))
    result = analyse(cols, design=DiD2x2(group="g", post="p", cluster="c"), outcome="y")
    assert result.inference == "cv3"
    assert any("cluster jackknife's (CV3)" in r and "91.5%" in r for r in result.reasons)
    assert any("t(5) intervals" in r for r in result.reasons)
    assert result.bootstrap_reps is None and result.seed is None
    lo, hi = result.ci
    assert lo is not None and hi is not None and lo < result.estimate < hi
    assert (lo > 0 or hi < 0) == (result.p <= 0.05)


def test_the_jackknife_is_refused_when_a_cluster_holds_the_whole_effect() -> None:
    rng = np.random.default_rng(3)
    unit = np.repeat(np.arange(6), 5)
    time = np.tile(np.arange(5), 6)
    cols = {"u": unit, "t": time, "d": ((unit == 0) & (time >= 2)).astype(int)}
    cols["y"] = rng.normal(size=30)
    with pytest.raises(EvidenceError, match="at least two treated clusters"):
        analyse(cols, design=DiD(unit="u", time="t", treated="d"), outcome="y", inference="cv3")
    # "auto" goes to randomisation inference instead (one treated cluster)
    auto = analyse(cols, design=DiD(unit="u", time="t", treated="d"), outcome="y")
    assert auto.inference == "ri"


def test_fixed_effects_kept_rows_renumbered() -> None:
    fe = FixedEffect(np.array([0, 0, 1, 1, 2, 2]), 3)
    keep = np.array([True, True, False, False, True, True])
    (sub,) = stats.within([fe], keep)
    assert sub.levels == 2 and sub.codes.tolist() == [0, 0, 1, 1]
