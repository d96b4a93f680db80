"""Reliability against reference implementations (test-only oracles, never imported by the
engine): pingouin 0.7.0 for Cronbach's alpha and its Feldt interval (on pingouin's bundled
``cronbach_alpha`` data, from real-statistics.com, and its ``cronbach_wide_missing`` data),
and semopy 2.3.11 for the one-factor ML model behind McDonald's omega (on the Holzinger &
Swineford 1939 data that semopy ships)."""

from __future__ import annotations

import os
import sys
import types

import numpy as np
import pingouin as pg
import pytest
import semopy

from changemaker.culture.engine.reliability import (
    cronbach_alpha,
    mcdonald_omega,
    one_factor,
    reliability,
)


def _pingouin_unrounded(data):
    """pingouin's own cronbach_alpha, without the np.round it applies to the interval for
    display (3 decimals), so the interval can be compared to 1e-6."""
    module = sys.modules[pg.cronbach_alpha.__module__]
    shim = types.SimpleNamespace(**{k: getattr(np, k) for k in dir(np) if not k.startswith("__")})
    shim.round = lambda x, *a, **k: np.asarray(x, dtype=float)
    real = module.np
    module.np = shim
    try:
        return pg.cronbach_alpha(data)
    finally:
        module.np = real


@pytest.mark.parametrize("name", ["cronbach_alpha", "cronbach_wide_missing"])
def test_alpha_and_feldt_interval_equal_pingouin(name: str) -> None:
    data = pg.read_dataset(name)
    if name == "cronbach_alpha":
        data = data.pivot(index="Subj", columns="Items", values="Scores")
    data = data.dropna()  # listwise, as the engine (complete cases)
    alpha, (lo, hi) = cronbach_alpha(data.to_numpy(dtype=float))
    ref_alpha, ref_ci = _pingouin_unrounded(data)
    assert alpha == pytest.approx(ref_alpha, abs=1e-6)
    assert lo == pytest.approx(ref_ci[0], abs=1e-6)
    assert hi == pytest.approx(ref_ci[1], abs=1e-6)
    if name == "cronbach_alpha":  # the published values
        assert round(alpha, 4) == 0.5917
        assert (round(lo, 3), round(hi, 3)) == (0.195, 0.840)


def _holzinger():
    import pandas as pd

    path = os.path.join(
        os.path.dirname(semopy.__file__), "examples", "holzinger_swineford39_data.csv"
    )
    return pd.read_csv(path)


def _discrepancy(s, lam, psi):
    sigma = np.outer(lam, lam) + np.diag(psi)
    return (
        np.linalg.slogdet(sigma)[1]
        + np.trace(s @ np.linalg.inv(sigma))
        - np.linalg.slogdet(s)[1]
        - len(s)
    )


@pytest.mark.parametrize(
    "columns",
    [["x1", "x2", "x3"], ["x4", "x5", "x6"], [f"x{i}" for i in range(1, 10)]],
)
def test_omega_equals_semopy_one_factor_ml(columns: list[str]) -> None:
    data = _holzinger()[columns]
    model = semopy.Model("F =~ " + " + ".join(columns))
    model.fit(data)
    est = model.inspect()
    lam = est[(est.op == "~") & (est.rval == "F")]["Estimate"].to_numpy()
    phi = est[(est.op == "~~") & (est.lval == "F") & (est.rval == "F")]["Estimate"].iloc[0]
    theta = np.array(
        [
            est[(est.op == "~~") & (est.lval == c) & (est.rval == c)]["Estimate"].iloc[0]
            for c in columns
        ]
    )
    common = lam.sum() ** 2 * phi
    ref = common / (common + theta.sum())
    x = data.to_numpy(dtype=float)
    assert mcdonald_omega(x) == pytest.approx(ref, abs=1e-4)
    # the difference is semopy's optimiser stopping early: our fit is at least as good
    s = np.cov(x, rowvar=False, ddof=0)
    ours = _discrepancy(s, *one_factor(s))
    theirs = _discrepancy(s, lam * np.sqrt(phi), theta)
    assert ours <= theirs + 1e-12


def test_reliability_is_not_computed_for_small_groups() -> None:
    x = np.random.default_rng(0).integers(1, 6, size=(9, 4)).astype(float)
    r = reliability(x, minimum=10)
    assert (r.alpha, r.ci, r.omega, r.n) == (None, None, None, 9)
