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
import pandas as pd
import pingouin as pg
import pytest
import semopy
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.culture.engine.csvio import Item, OrgChart, Responses
from changemaker.culture.engine.reliability import (
    FEWER_THAN_MIN,
    NO_VARIANCE,
    OMEGA_CONSTANT_ITEM,
    OMEGA_SINGULAR,
    OMEGA_TWO_ITEMS,
    ONE_ITEM,
    REASONS,
    cronbach_alpha,
    mcdonald_omega,
    one_factor,
    reliability,
)
from changemaker.culture.engine.report import build_report


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


def test_perfectly_correlated_answers_give_alpha_and_no_omega_with_the_reason() -> None:
    """Found by the web app: every item answered alike made the one-factor fit invert a
    singular correlation matrix (LinAlgError). Omega is undefined there; alpha is pingouin's."""
    x = np.full((12, 6), 4.0)
    x[0] = 2
    r = reliability(x, 10)
    assert r.omega is None and r.reason == OMEGA_SINGULAR
    ref_alpha, ref_ci = _pingouin_unrounded(pd.DataFrame(x))
    assert r.alpha == pytest.approx(ref_alpha, abs=1e-6)
    assert r.ci == pytest.approx(tuple(ref_ci), abs=1e-6)


def test_reasons_for_every_missing_figure() -> None:
    rng = np.random.default_rng(1)
    assert reliability(rng.integers(1, 6, (9, 4)).astype(float), 10).reason == FEWER_THAN_MIN
    assert reliability(rng.integers(1, 6, (20, 1)).astype(float), 10).reason == ONE_ITEM
    assert reliability(np.full((20, 4), 3.0), 10).reason == NO_VARIANCE
    two = reliability(rng.integers(1, 6, (20, 2)).astype(float), 10)
    assert two.alpha is not None and (two.omega, two.reason) == (None, OMEGA_TWO_ITEMS)
    constant = rng.integers(1, 6, (20, 4)).astype(float)
    constant[:, 2] = 3
    c = reliability(constant, 10)
    assert c.alpha == pytest.approx(_pingouin_unrounded(pd.DataFrame(constant))[0], abs=1e-6)
    assert (c.omega, c.reason) == (None, OMEGA_CONSTANT_ITEM)
    fine = reliability(_holzinger()[["x1", "x2", "x3"]].to_numpy(dtype=float), 10)
    assert fine.omega is not None and fine.reason is None
    assert set(REASONS) == {
        FEWER_THAN_MIN,
        ONE_ITEM,
        NO_VARIANCE,
        OMEGA_TWO_ITEMS,
        OMEGA_CONSTANT_ITEM,
        OMEGA_SINGULAR,
    }


def _degenerate(draw: st.DrawFn) -> np.ndarray:
    """Answer matrices the one-factor fit cannot take: constant columns, identical columns
    (or reversed copies), only two distinct rows, fewer people than items."""
    n = draw(st.integers(3, 30))
    k = draw(st.integers(1, 8))
    kind = draw(st.sampled_from(["constant", "identical", "two_rows", "narrow", "any"]))
    cell = st.integers(1, 5)
    if kind == "two_rows":
        rows = [draw(st.lists(cell, min_size=k, max_size=k)) for _ in range(2)]
        pick = draw(st.lists(st.integers(0, 1), min_size=n, max_size=n))
        return np.array([rows[p] for p in pick], dtype=float)
    if kind == "narrow":
        n = draw(st.integers(3, max(3, k)))
    x = np.array([draw(st.lists(cell, min_size=k, max_size=k)) for _ in range(n)], dtype=float)
    if kind == "constant":
        for j in draw(st.sets(st.integers(0, k - 1), min_size=1)):
            x[:, j] = draw(cell)
    if kind == "identical" and k >= 2:
        base = draw(st.integers(0, k - 1))
        for j in draw(st.sets(st.integers(0, k - 1), min_size=1)):
            x[:, j] = 6 - x[:, base] if draw(st.booleans()) else x[:, base]
    return x


@given(st.composite(_degenerate)(), st.integers(1, 12))
@settings(max_examples=300, deadline=None)
def test_degenerate_answers_never_raise(x: np.ndarray, minimum: int) -> None:
    r = reliability(x, minimum)
    assert r.reason is None or r.reason in REASONS
    if r.alpha is None:
        assert r.ci is None and r.omega is None and r.reason is not None
    else:
        ref_alpha, ref_ci = _pingouin_unrounded(pd.DataFrame(x))
        assert r.alpha == pytest.approx(ref_alpha, abs=1e-6)
        assert r.ci is not None and r.ci == pytest.approx(tuple(ref_ci), abs=1e-6)
    assert (r.omega is None) == (r.reason is not None)
    if r.omega is not None:
        assert 0 <= r.omega <= 1 + 1e-9


@given(st.composite(_degenerate)(), st.integers(1, 3))
@settings(max_examples=100, deadline=None)
def test_the_report_never_raises_on_degenerate_answers(x: np.ndarray, extra_units: int) -> None:
    """The same matrices through build_report: one scale, everyone in the root or a child."""
    n, k = x.shape
    ids = ("ORG", *(f"U{i}" for i in range(extra_units)))
    units = OrgChart(ids, ids, (-1, *([0] * extra_units)))
    items = tuple(Item(f"i{j}", "mission", j % 3 == 2, f"I{j}") for j in range(k))
    answers = np.where([it.reverse for it in items], 6 - x, x).astype(np.uint8)
    resp = Responses(
        ("W",),
        np.zeros(n, np.int64),
        np.arange(n, dtype=np.int64) % len(ids),
        {},
        tuple(it.id for it in items),
        answers,
    )
    report = build_report(units, items, resp, min_group=5)
    (row,) = report["reliability"]
    assert row["n"] == n and (row["omega"] is None) == (row["reason"] is not None)
