"""The engine against the field's references, to 1e-6, on seeded random data sets:
pyfixest (did, did2x2, before-after), statsmodels (A/B, DerSimonian-Laird pooling) and
diff-diff (Callaway and Sant'Anna)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pyfixest as pf
import pytest
from diff_diff import CallawaySantAnna
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.stats.weightstats import CompareMeans, DescrStatsW

from changemaker.evidence.engine import AB, BeforeAfter, DiD, DiD2x2, Staggered, analyse, pool

from .panels import ab_trial, did_panel, staggered_panel, two_by_two

TOL = 1e-6
SEEDS = [1, 2, 3, 4, 5]


def close(a: float | None, b: float) -> bool:
    assert a is not None
    return abs(a - b) <= TOL * max(1.0, abs(b))


def assert_same(result, tidy_row) -> None:  # type: ignore[no-untyped-def]
    assert close(result.estimate, tidy_row["Estimate"])
    assert close(result.se, tidy_row["Std. Error"])
    assert close(result.ci[0], tidy_row["2.5%"])
    assert close(result.ci[1], tidy_row["97.5%"])
    assert close(result.p, tidy_row["Pr(>|t|)"])


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("drop", [0.0, 0.1])
def test_did_matches_pyfixest_twfe_crv1(seed: int, drop: float) -> None:
    df = did_panel(seed, drop=drop)
    result = analyse(
        df, design=DiD(unit="unit", time="time", treated="treated"), outcome="y", inference="cr1"
    )
    ref = pf.feols("y ~ treated | unit + time", data=df, vcov={"CRV1": "unit"}).tidy()
    assert_same(result, ref.loc["treated"])
    assert result.n_clusters == df["unit"].nunique()


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_did_with_a_coarser_cluster_matches_pyfixest(seed: int) -> None:
    df = did_panel(seed, units=60)
    result = analyse(
        df,
        design=DiD(unit="unit", time="time", treated="treated", cluster="region"),
        outcome="y",
        inference="cr1",
    )
    ref = pf.feols("y ~ treated | unit + time", data=df, vcov={"CRV1": "region"}).tidy()
    assert_same(result, ref.loc["treated"])


@pytest.mark.parametrize("seed", SEEDS)
def test_event_study_matches_pyfixest_leads_and_lags(seed: int) -> None:
    df = did_panel(seed)
    result = analyse(
        df, design=DiD(unit="unit", time="time", treated="treated"), outcome="y", inference="cr1"
    )
    first = df[df["treated"] == 1].groupby("unit")["time"].min()
    rel = df["time"] - df["unit"].map(first)
    names = []
    for e in sorted(set(rel.dropna().astype(int)) - {-1}):
        name = f"e_m{-e}" if e < 0 else f"e_{e}"
        df[name] = (rel == e).astype(float)
        names.append((e, name))
    fit = pf.feols(
        "y ~ " + " + ".join(n for _, n in names) + " | unit + time", data=df, vcov={"CRV1": "unit"}
    )
    ref = fit.tidy()
    rows = {e.period: e for e in result.event_study}
    assert rows[-1].estimate == 0.0
    for e, name in names:
        assert close(rows[e].estimate, ref.loc[name, "Estimate"])
        assert close(rows[e].se, ref.loc[name, "Std. Error"])
        assert close(rows[e].ci[0], ref.loc[name, "2.5%"])
    leads = [n for e, n in names if e <= -2]
    select = np.eye(len(names))[[i for i, (e, _) in enumerate(names) if e <= -2]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pyfixest reports the Wald chi² for a selection R
        wald = fit.wald_test(R=select, distribution="F")
    assert result.pretrend is not None
    assert result.pretrend.leads == len(leads)
    # the engine's statistic is the F form, W / q
    assert result.pretrend.statistic is not None
    assert close(result.pretrend.statistic * len(leads), float(wald["statistic"]))


@pytest.mark.parametrize("seed", SEEDS)
def test_did2x2_clustered_matches_pyfixest(seed: int) -> None:
    df = two_by_two(seed)
    result = analyse(
        df,
        design=DiD2x2(group="group", post="post", cluster="cluster"),
        outcome="y",
        inference="cr1",
    )
    ref = pf.feols("y ~ group * post", data=df, vcov={"CRV1": "cluster"}).tidy()
    assert_same(result, ref.loc["group:post"])


@pytest.mark.parametrize("seed", SEEDS)
def test_did2x2_without_cluster_is_hc1_as_pyfixest(seed: int) -> None:
    df = two_by_two(seed)
    result = analyse(df, design=DiD2x2(group="group", post="post"), outcome="y")
    assert result.inference == "hc1"
    ref = pf.feols("y ~ group * post", data=df, vcov="hetero").tidy()
    assert_same(result, ref.loc["group:post"])


@pytest.mark.parametrize("seed", SEEDS[:3])
def test_before_after_matches_pyfixest(seed: int) -> None:
    df = two_by_two(seed)
    result = analyse(df, design=BeforeAfter(post="post"), outcome="y")
    assert_same(result, pf.feols("y ~ post", data=df, vcov="hetero").tidy().loc["post"])
    clustered = analyse(
        df, design=BeforeAfter(post="post", cluster="cluster"), outcome="y", inference="cr1"
    )
    ref = pf.feols("y ~ post", data=df, vcov={"CRV1": "cluster"}).tidy().loc["post"]
    assert_same(clustered, ref)


@pytest.mark.parametrize("seed", SEEDS)
def test_ab_proportions_match_statsmodels(seed: int) -> None:
    df = ab_trial(seed, binary=True)
    result = analyse(df, design=AB(arm="arm"), outcome="y")
    t = df.loc[df["arm"] == "treatment", "y"]
    c = df.loc[df["arm"] == "control", "y"]
    lo, hi = confint_proportions_2indep(t.sum(), len(t), c.sum(), len(c), method="wald")
    _, p = proportions_ztest([t.sum(), c.sum()], [len(t), len(c)])
    assert result.inference == "z"
    assert close(result.estimate, t.mean() - c.mean())
    assert close(result.ci[0], lo) and close(result.ci[1], hi)
    assert close(result.p, p)


@pytest.mark.parametrize("seed", SEEDS)
def test_ab_means_are_welch_as_statsmodels(seed: int) -> None:
    df = ab_trial(seed, binary=False)
    result = analyse(df, design=AB(arm="arm"), outcome="y")
    cm = CompareMeans(
        DescrStatsW(df.loc[df["arm"] == "treatment", "y"]),
        DescrStatsW(df.loc[df["arm"] == "control", "y"]),
    )
    _, p, _ = cm.ttest_ind(usevar="unequal")
    lo, hi = cm.tconfint_diff(usevar="unequal")
    assert result.inference == "welch"
    assert close(result.estimate, df.groupby("arm")["y"].mean().diff().iloc[-1])
    assert close(result.se, cm.std_meandiff_separatevar)
    assert close(result.ci[0], lo) and close(result.ci[1], hi)
    assert close(result.p, p)


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(
    ("control", "reference"), [("never", "never_treated"), ("notyet", "not_yet_treated")]
)
def test_staggered_matches_diff_diff(seed: int, control: str, reference: str) -> None:
    df = staggered_panel(seed)
    result = analyse(
        df,
        design=Staggered(unit="unit", time="time", first_treated="first", control=control),  # type: ignore[arg-type]
        outcome="y",
        inference="cr1",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cs = CallawaySantAnna(control_group=reference).fit(
            df,
            outcome="y",
            unit="unit",
            time="time",
            first_treat="first",
            aggregate="event_study",
        )
    assert close(result.estimate, cs.overall_att)
    assert close(result.se, cs.overall_se)
    assert close(result.ci[0], cs.overall_conf_int[0])
    assert close(result.ci[1], cs.overall_conf_int[1])
    assert close(result.p, cs.overall_p_value)
    ref = {k: v for k, v in cs.group_time_effects.items() if np.isfinite(v["effect"])}
    assert len(result.att_gt) == len(ref)
    for cell in result.att_gt:
        assert close(cell.att, ref[(cell.group, cell.time)]["effect"])
        assert close(cell.se, ref[(cell.group, cell.time)]["se"])
    for e in result.event_study:
        assert close(e.estimate, cs.event_study_effects[e.period]["effect"])
        assert close(e.se, cs.event_study_effects[e.period]["se"])


@pytest.mark.parametrize("seed", SEEDS)
def test_dersimonian_laird_matches_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(3, 15))
    se = rng.uniform(0.05, 0.5, k)
    y = rng.normal(0.3, 0.2, k) + rng.normal(size=k) * se
    result = pool(y.tolist(), se.tolist(), method="dl")
    ref = combine_effects(y, se**2, method_re="dl")
    lo, hi = ref.conf_int(use_t=False)[1]
    assert close(result.estimate, ref.mean_effect_re)
    assert close(result.se, ref.sd_eff_w_re)
    assert close(result.ci[0], lo) and close(result.ci[1], hi)
    assert close(result.tau2, ref.tau2)
    assert close(result.i2, 100 * ref.i2)


def test_references_see_the_same_rows() -> None:
    """Guard: the generators really give the designs the tests think they do."""
    df = did_panel(1)
    assert isinstance(df, pd.DataFrame)
    assert 0 < df["treated"].mean() < 1
    assert df.groupby("unit")["treated"].max().sum() < df["unit"].nunique()
