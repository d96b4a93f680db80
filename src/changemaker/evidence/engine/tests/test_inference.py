"""Small-sample inference: when "auto" switches, and that resampling is deterministic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from changemaker.evidence.engine import DiD, DiD2x2, Staggered, analyse
from changemaker.evidence.engine.errors import EvidenceError

from .panels import did_panel, staggered_panel, two_by_two


def few_clusters(seed: int, clusters: int = 8) -> pd.DataFrame:
    return two_by_two(seed, n=300, clusters=clusters)


def test_auto_uses_cr1_with_many_clusters() -> None:
    result = analyse(
        two_by_two(1, clusters=40),
        design=DiD2x2(group="group", post="post", cluster="cluster"),
        outcome="y",
    )
    assert result.inference == "cr1"


def test_auto_switches_to_the_wild_bootstrap_with_few_clusters_and_says_so() -> None:
    result = analyse(
        few_clusters(1, clusters=14),
        design=DiD2x2(group="group", post="post", cluster="cluster"),
        outcome="y",
    )
    assert result.inference == "wild"
    assert any("wild cluster bootstrap" in r for r in result.reasons)
    assert result.bootstrap_reps == 9_999 and result.seed == 1
    cr1 = analyse(
        few_clusters(1, clusters=14),
        design=DiD2x2(group="group", post="post", cluster="cluster"),
        outcome="y",
        inference="cr1",
    )
    assert result.se == cr1.se  # the standard error shown stays the cluster-robust one
    assert result.ci != cr1.ci


def test_wild_bootstrap_is_deterministic_for_a_seed() -> None:
    design = DiD2x2(group="group", post="post", cluster="cluster")
    a = analyse(few_clusters(2), design=design, outcome="y", inference="wild", seed=7)
    b = analyse(few_clusters(2), design=design, outcome="y", inference="wild", seed=7)
    c = analyse(few_clusters(2), design=design, outcome="y", inference="wild", seed=8)
    assert (a.p, a.ci) == (b.p, b.ci)
    assert (a.p, a.ci) != (c.p, c.ci)


def test_wild_interval_contains_the_estimate_and_inverts_the_test() -> None:
    design = DiD2x2(group="group", post="post", cluster="cluster")
    r = analyse(few_clusters(3), design=design, outcome="y", inference="wild", reps=999)
    assert r.ci[0] is not None and r.ci[1] is not None
    assert r.ci[0] < r.estimate < r.ci[1]
    # 0 is outside the interval exactly when the bootstrap p-value is at most 5%
    assert (r.ci[0] > 0 or r.ci[1] < 0) == (r.p <= 0.05)


def test_single_treated_unit_uses_randomisation_inference() -> None:
    rng = np.random.default_rng(4)
    units, periods = 25, 6
    df = pd.DataFrame(
        {"u": np.repeat(np.arange(units), periods), "t": np.tile(np.arange(periods), units)}
    )
    df["d"] = ((df["u"] == 0) & (df["t"] >= 3)).astype(int)
    df["y"] = rng.normal(size=len(df)) + 3.0 * df["d"]
    r = analyse(df, design=DiD(unit="u", time="t", treated="d"), outcome="y")
    assert r.inference == "ri"
    assert any("randomisation inference" in x for x in r.reasons)
    # Fisher's exact p: the share of the 25 assignments at least as extreme as the real one
    assert r.p * units == pytest.approx(round(r.p * units))
    assert r.p >= 1 / units
    again = analyse(df, design=DiD(unit="u", time="t", treated="d"), outcome="y", seed=99)
    assert (again.p, again.ci) == (r.p, r.ci)  # exact, so no seed involved


def test_randomisation_interval_unbounded_with_too_few_units() -> None:
    rng = np.random.default_rng(5)
    df = pd.DataFrame({"u": np.repeat(np.arange(6), 4), "t": np.tile(np.arange(4), 6)})
    df["d"] = ((df["u"] == 0) & (df["t"] >= 2)).astype(int)
    df["y"] = rng.normal(size=len(df))
    r = analyse(df, design=DiD(unit="u", time="t", treated="d"), outcome="y")
    assert r.inference == "ri" and r.ci == (None, None)
    assert any("cannot be bounded" in x for x in r.reasons)
    assert r.to_dict()["ci"] == [None, None]


def test_staggered_with_few_units_uses_the_multiplier_bootstrap() -> None:
    df = staggered_panel(1, units=20)
    r = analyse(
        df, design=Staggered(unit="unit", time="time", first_treated="first"), outcome="y", seed=3
    )
    assert r.inference == "wild"
    again = analyse(
        df, design=Staggered(unit="unit", time="time", first_treated="first"), outcome="y", seed=3
    )
    assert (r.p, r.ci) == (again.p, again.ci)


def test_did_pretrend_detected_when_treated_units_were_already_diverging() -> None:
    df = did_panel(1, units=60, periods=10)
    first = df[df["treated"] == 1].groupby("unit")["time"].min()
    ever = df["unit"].isin(first.index)
    df.loc[ever, "y"] += 0.8 * df.loc[ever, "time"]  # a trend only in treated units
    r = analyse(df, design=DiD(unit="unit", time="time", treated="treated"), outcome="y")
    assert r.pretrend is not None and r.pretrend.p is not None
    assert r.pretrend.p < 0.05
    assert r.sms_level == 2


@pytest.mark.parametrize(("clusters", "ways"), [(6, 20), (7, 35), (8, 70)])
def test_fewer_than_12_clusters_use_the_cluster_jackknife_and_say_why(
    clusters: int, ways: int
) -> None:
    """The wild bootstrap under-covers with this few (bench/evidence_coverage.py: 0.915 with
    6 clusters, 3 treated; CV3 with t(G-1) 0.956), so "auto" uses the cluster jackknife;
    randomisation inference over every way of choosing the treated clusters stays available
    by name."""
    design = DiD2x2(group="group", post="post", cluster="cluster")
    result = analyse(few_clusters(1, clusters=clusters), design=design, outcome="y")
    assert result.inference == "cv3"
    assert any("91.5%" in r and "95.6%" in r for r in result.reasons)
    lo, hi = result.ci
    assert lo is not None and hi is not None and lo < result.estimate < hi
    assert (lo > 0 or hi < 0) == (result.p <= 0.05)
    ri = analyse(few_clusters(1, clusters=clusters), design=design, outcome="y", inference="ri")
    assert ri.inference == "ri"
    assert any(f"over {ways} assignments" in r for r in ri.reasons)


def test_without_the_jackknife_few_clusters_keep_the_bootstrap_and_say_it_is_a_guide() -> None:
    """6 clusters, 3 treated, but only clusters 0 and 1 observed after the start: without
    cluster 1 (the only treated one after) the effect cannot be estimated, so CV3 cannot be
    used, and 10 assignments are too few for randomisation inference."""
    df = few_clusters(1, clusters=6)
    df.loc[df["cluster"] >= 2, "post"] = 0
    design = DiD2x2(group="group", post="post", cluster="cluster")
    result = analyse(df, design=design, outcome="y")
    assert result.inference == "wild"
    assert any("91.5%" in r and "read it as a guide" in r for r in result.reasons)
    with pytest.raises(EvidenceError, match="at least two treated clusters"):
        analyse(df, design=design, outcome="y", inference="cv3")


def test_ward_panel_randomisation_is_exact_and_matches_brute_force() -> None:
    """6 wards, 3 treated from period 4: the p-value is the share of the 20 ways of choosing
    3 wards whose estimate is at least as far from 0 as the real one (fitted one by one)."""
    import itertools

    rng = np.random.default_rng(4)
    ward = np.repeat(np.arange(6), 8)
    time = np.tile(np.arange(8), 6)
    y = rng.normal(size=6)[ward] + 0.2 * time + rng.normal(size=48)
    d = ((ward < 3) & (time >= 4)).astype(int)
    design = DiD(unit="w", time="t", treated="d")
    cols = {"w": ward, "t": time, "d": d, "y": y}
    result = analyse(cols, design=design, outcome="y", inference="ri")
    assert result.inference == "ri"
    estimates = []
    for chosen in itertools.combinations(range(6), 3):
        dc = (np.isin(ward, chosen) & (time >= 4)).astype(int)
        trial = {"w": ward, "t": time, "d": dc, "y": y}
        estimates.append(analyse(trial, design=design, outcome="y", inference="cr1").estimate)
    real = estimates[0]
    expected = np.mean(np.abs(estimates) >= abs(real) - 1e-12)
    assert abs(result.p - expected) < 1e-12
    assert result.p >= 0.1  # the complement of every choice gives minus its estimate
    again = analyse(cols, design=design, outcome="y", inference="ri", seed=9)
    assert (again.p, again.ci) == (result.p, result.ci)  # every assignment: no seed involved
