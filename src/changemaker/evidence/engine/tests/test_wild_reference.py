"""The wild cluster restricted bootstrap against its reference, ``wildboottest`` (the Python
port of fwildclusterboot/boottest; MacKinnon, Nielsen, Roodman and Webb's WCR11): the same
p-value exactly when both enumerate every Rademacher draw (6 clusters: 64), within Monte Carlo
error with Webb's weights, and an interval whose ends are where the reference's test starts to
reject. The two constant draws (every weight +1, every weight -1) give back the observed
t-statistic exactly; the engine counts such ties as at least as extreme (conservative, as a
permutation test counts the real assignment), the reference counts only larger ones and its
floating-point noise decides, so over 64 draws the two differ by 0, 1 or 2 draws' worth.
Until issue 17 the engine's bootstrap residuals kept their projection on the other
regressors, so its bootstrap standard errors were too large and its p-values too small."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import statsmodels.api as sm
from wildboottest.wildboottest import wildboottest

from changemaker.evidence.engine import DiD, DiD2x2, analyse, stats
from changemaker.evidence.engine.stats import FixedEffect

G = 6
TIES = 2  # the constant draws: see the module doc
ALL_SIGNS = np.array(list(itertools.product([-1.0, 1.0], repeat=G)))


def two_by_two(seed: int = 3) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    cluster = np.repeat(np.arange(G), 40)
    group = (np.arange(G) % 2)[cluster]
    post = rng.integers(0, 2, len(cluster))
    shock = rng.normal(size=(G, 2))[cluster, post]
    y = group + post + 0.5 * group * post + shock + rng.normal(size=len(cluster))
    return {"c": cluster, "g": group, "p": post, "y": y}


def ward_panel(seed: int = 5) -> dict[str, np.ndarray]:
    """6 wards x 10 households x 8 months, 3 wards treated from month 4."""
    rng = np.random.default_rng(seed)
    units, periods = 10, 8
    cluster = np.repeat(np.arange(G), units * periods)
    unit = np.repeat(np.arange(G * units), periods)
    time = np.tile(np.arange(periods), G * units)
    d = ((cluster < 3) & (time >= 4)).astype(np.int64)
    shock = rng.normal(scale=0.3, size=(G, periods))[cluster, time]
    y = rng.normal(size=G * units)[unit] + 0.1 * time + 0.4 * d + shock + rng.normal(size=len(d))
    return {"c": cluster, "u": unit, "t": time, "d": d, "y": y}


def reference_p(
    y: np.ndarray, x: np.ndarray, cluster: np.ndarray, weights: str, b: float = 0.0
) -> float:
    """wildboottest's WCR11 p-value for H0: coefficient of x's first column = b."""
    model = sm.OLS(y - b * x[:, 0], x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "2^G < the number of boot iterations": enumerates
        found = wildboottest(
            model,
            B=99_999 if weights == "rademacher" else 19_999,
            cluster=cluster,
            param="x1",
            weights_type=weights,
            seed=11,
            show=False,
            parallel=False,
        )
    return float(found["p-value"].iloc[0])


def two_by_two_design(cols: dict[str, np.ndarray]) -> np.ndarray:
    g, p = cols["g"].astype(float), cols["p"].astype(float)
    return np.column_stack([g * p, np.ones_like(g), g, p])


def did_design(cols: dict[str, np.ndarray]) -> np.ndarray:
    units, times = np.eye(cols["u"].max() + 1), np.eye(cols["t"].max() + 1)
    return np.column_stack([cols["d"].astype(float), units[cols["u"]], times[cols["t"]][:, 1:]])


def same_up_to_ties(ours: float, reference: float) -> bool:
    return any(abs(ours - reference - k / 64) < 1e-12 for k in range(TIES + 1))


def partialled(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray, object]:
    others = x[:, 1:]

    def partial(m: np.ndarray) -> np.ndarray:
        coef, *_ = np.linalg.lstsq(others, m, rcond=None)
        return m - others @ coef

    both = partial(np.column_stack([y, x[:, 0]]))
    return both[:, 0], both[:, 1], partial


def test_two_by_two_p_value_is_the_reference_s_exactly_over_every_draw() -> None:
    cols = two_by_two()
    x = two_by_two_design(cols)
    yt, xt, partial = partialled(x, cols["y"])
    n, k = x.shape
    factor = G / (G - 1) * (n - 1) / (n - k)
    ours = stats.wild_cluster_bootstrap(
        yt,
        xt,
        cols["c"],
        G,
        factor,
        partial=partial,
        weights=ALL_SIGNS,  # type: ignore[arg-type]
    )
    assert ours.reps == 64
    assert same_up_to_ties(ours.p, reference_p(cols["y"], x, cols["c"], "rademacher"))


def test_fixed_effects_p_value_is_the_reference_s_exactly_over_every_draw() -> None:
    cols = ward_panel()
    effects = [FixedEffect(cols["u"], G * 10), FixedEffect(cols["t"], 8)]
    both = stats.demean(np.column_stack([cols["y"], cols["d"].astype(float)]), effects)
    n = len(cols["y"])
    k = stats.dof_k(1, effects, cols["c"])
    ours = stats.wild_cluster_bootstrap(
        both[:, 0],
        both[:, 1],
        cols["c"],
        G,
        G / (G - 1) * (n - 1) / (n - k),
        partial=lambda m: stats.demean(m, effects),
        weights=ALL_SIGNS,
    )
    expected = reference_p(cols["y"], did_design(cols), cols["c"], "rademacher")
    assert same_up_to_ties(ours.p, expected)


def test_the_interval_ends_where_the_reference_starts_to_reject() -> None:
    cols = two_by_two()
    x = two_by_two_design(cols)
    yt, xt, partial = partialled(x, cols["y"])
    n, k = x.shape
    factor = G / (G - 1) * (n - 1) / (n - k)
    ours = stats.wild_cluster_bootstrap(
        yt,
        xt,
        cols["c"],
        G,
        factor,
        partial=partial,
        weights=ALL_SIGNS,  # type: ignore[arg-type]
    )
    lo, hi = ours.ci
    assert lo is not None and hi is not None
    step = 1e-6 * (hi - lo)
    for end, inward in ((lo, step), (hi, -step)):
        for b, inside in ((end + inward, True), (end - inward, False)):
            shifted = stats.wild_cluster_bootstrap(
                yt - b * xt,
                xt,
                cols["c"],
                G,
                factor,
                partial=partial,
                weights=ALL_SIGNS,  # type: ignore[arg-type]
            )
            assert (shifted.p > 0.05) is inside
            assert same_up_to_ties(shifted.p, reference_p(cols["y"], x, cols["c"], "rademacher", b))


def test_analyse_with_webb_weights_agrees_with_the_reference() -> None:
    """Different random draws, so within Monte Carlo error: 9,999 draws here and 19,999 there
    give a standard error of the difference of about 0.004 at p = 0.12 (tolerance 0.02, 5 of
    them). Before the fix the engine said 0.072 here, the reference 0.117."""
    cols = two_by_two()
    design = DiD2x2(group="g", post="p", cluster="c")
    ours = analyse(cols, design=design, outcome="y", inference="wild", seed=1, studentise="cv1")
    expected = reference_p(cols["y"], two_by_two_design(cols), cols["c"], "webb")
    assert abs(ours.p - expected) < 0.02


def test_analyse_ward_panel_with_webb_weights_agrees_with_the_reference() -> None:
    cols = ward_panel()
    design = DiD(unit="u", time="t", treated="d", cluster="c")
    ours = analyse(cols, design=design, outcome="y", inference="wild", seed=1)
    expected = reference_p(cols["y"], did_design(cols), cols["c"], "webb")
    assert abs(ours.p - expected) < 0.02
    again = analyse(cols, design=design, outcome="y", inference="wild", seed=1)
    assert (again.p, again.ci) == (ours.p, ours.ci)
