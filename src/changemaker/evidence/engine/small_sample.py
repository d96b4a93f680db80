"""Small-sample inference for the clustered designs: which method "auto" uses and why, and
the estimate's standard error, interval and p-value by it.

"auto" with clusters: CR1 with t(G−1) from 30 clusters; the wild cluster restricted bootstrap
below 30; the cluster jackknife (CV3) with t(G−1) below 12 (MacKinnon, Nielsen and Webb 2023,
"Fast and reliable jackknife and bootstrap methods for cluster-robust inference", Journal of
Applied Econometrics 38(5)), because with so few clusters even the bootstrap's test rejects a
true null too often; randomisation inference with a single treated cluster. Coverage of each
is measured in bench/evidence_coverage.py.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

import numpy as np

from . import permute, stats
from .errors import EvidenceError
from .model import Inference
from .stats import FixedEffect, FloatArray, IntArray

ALPHA = 0.05
Studentise = Literal["cv3", "cv1"]
# bench/evidence_coverage.py --sims 2000 --seed 1: did, 6 clusters, 3 treated
WILD_COVERAGE_6 = "91.5%"
CV3_COVERAGE_6 = "95.6%"


def choose(
    inference: Inference,
    groups: int | None,
    treated_groups: int | None,
    *,
    ri_ok: bool,
    assignments: int | None = None,
    jack: stats.Jackknife | None = None,
) -> tuple[str, list[str]]:
    """The inference actually used, and why (for ``auto``). ``assignments``: how many ways
    the treatment could have fallen on the clusters (None: it is not given by cluster);
    ``jack``: the leave-one-cluster-out parts (None: not computed, or the effect cannot be
    estimated without one of the clusters)."""
    jackknife_ok = jack is not None
    if inference != "auto":
        _check_asked(inference, groups, ri_ok=ri_ok, jackknife_ok=jackknife_ok)
        return inference, []
    if groups is None:
        return "hc1", []
    if treated_groups == 1 and ri_ok:
        return "ri", [
            "Only one treated cluster: cluster-robust standard errors and the wild bootstrap "
            "are not valid, so the p-value and interval come from randomisation inference "
            "(each cluster in turn takes the treated one's place)."
        ]
    if groups < stats.WEBB_BELOW and jackknife_ok:
        return "cv3", [
            f"Only {groups} clusters (fewer than {stats.WEBB_BELOW}): with so few, cluster-robust "
            "standard errors are too small and even the wild cluster bootstrap's 95% interval "
            f"is too narrow (in simulations with 6 clusters, 3 of them treated, it held the "
            f"true effect {WILD_COVERAGE_6} of the time), so the standard error is the cluster "
            f"jackknife's (CV3) and the interval uses t with {groups - 1} degrees of freedom "
            f"(it held the true effect {CV3_COVERAGE_6} of the time)."
        ]
    if ri_ok and groups < stats.WEBB_BELOW and (assignments or 0) >= permute.MIN_FOR_95:
        return "ri", [
            f"Only {groups} clusters (fewer than {stats.WEBB_BELOW}), and the effect cannot be "
            "estimated without each of them in turn, so the p-value and interval come from "
            "randomisation inference over the ways the treatment could have fallen on the "
            f"clusters ({assignments:,} that can differ; exact if any clusters could have been "
            "the treated ones)."
        ]
    if groups < stats.FEW_CLUSTERS:
        why = [
            f"Only {groups} clusters (fewer than {stats.FEW_CLUSTERS}): cluster-robust standard "
            "errors are too small with few clusters, so the p-value and interval come from a "
            "wild cluster bootstrap (the standard error shown is the cluster-robust one)."
        ]
        if groups < stats.WEBB_BELOW:
            why.append(
                f"With fewer than {stats.WEBB_BELOW} clusters even the wild bootstrap's 95% "
                "interval can be too narrow (in simulations with 6 clusters, 3 of them "
                f"treated, it held the true effect {WILD_COVERAGE_6} of the time), and neither "
                "the cluster jackknife nor randomisation inference can be used here: read it "
                "as a guide, and add clusters if you can."
            )
        return "wild", why
    return "cr1", []


def _check_asked(
    inference: Inference, groups: int | None, *, ri_ok: bool, jackknife_ok: bool
) -> None:
    """Refuse an inference asked for by name that these data cannot support."""
    if inference == "ri" and not ri_ok:
        raise EvidenceError(
            "randomisation inference needs clusters (give --cluster); use cr1 or wild"
        )
    if inference in ("wild", "cv3") and groups is None:
        what = "the wild cluster bootstrap" if inference == "wild" else "the cluster jackknife"
        raise EvidenceError(f"{what} needs clusters (give --cluster)")
    if inference == "cv3" and not jackknife_ok:
        raise EvidenceError(
            "the cluster jackknife (cv3) needs the effect to be estimable without each cluster "
            "in turn (e.g. at least two treated clusters); use wild or ri"
        )


def summary(
    how: str,
    est: float,
    se: float,
    df: float,
    *,
    wild: Callable[[], stats.Resampled] | None = None,
    ri: Callable[[], tuple[stats.Resampled, float]] | None = None,
    jack: stats.Jackknife | None = None,
) -> tuple[float, tuple[float | None, float | None], float, int | None, list[str]]:
    """(se, ci, p, reps, notes) for the chosen inference."""
    notes: list[str] = []
    if how == "cv3":
        assert jack is not None
        se3 = stats.cv3_se(est, jack.estimates())
        lo, hi, p = stats.t_interval(est, se3, df, ALPHA)
        notes.append(
            "Cluster jackknife (CV3) standard error, the estimate recomputed leaving out one "
            f"cluster at a time, with t({df:g}) intervals (MacKinnon, Nielsen and Webb 2023)."
        )
        return se3, (lo, hi), p, None, notes
    if how == "wild":
        assert wild is not None
        res = wild()
        notes.append(
            f"Wild cluster restricted bootstrap, {res.reps:,} draws; the interval inverts the test."
        )
        notes.append(
            "Its t-statistic is studentised by the cluster jackknife (CV3: the estimate left "
            "out one cluster at a time; MacKinnon, Nielsen and Webb's WCR13), which holds its "
            "size with few clusters."
            if res.cv3
            else "Its t-statistic is studentised by cluster-robust (CV1) standard errors (WCR11)."
        )
        if res.ci[0] is None or res.ci[1] is None:
            notes.append(
                "The bootstrap interval is unbounded on one side: the data cannot rule out "
                "large effects."
            )
        return se, res.ci, res.p, res.reps, notes
    if how == "ri":
        assert ri is not None
        res, spread = ri()
        notes.append(
            f"Randomisation inference over {res.reps} assignments; the standard error shown is "
            "the spread of the placebo estimates."
        )
        if res.ci[0] is None or res.ci[1] is None:
            notes.append(
                f"With {res.reps} possible assignments the smallest possible p-value is "
                f"{1 / res.reps:.2f}, so a 95% interval cannot be bounded: add comparison units."
            )
        return spread, res.ci, res.p, None, notes
    lo, hi, p = stats.t_interval(est, se, df, ALPHA)
    return se, (lo, hi), p, None, notes


def leave_out(
    inference: Inference,
    groups: int | None,
    y: FloatArray,
    x: FloatArray,
    cluster: IntArray,
    partial_rows: stats.PartialRows,
) -> stats.Jackknife | None:
    """The leave-one-cluster-out parts when the inference may need them (the jackknife, or
    the bootstrap studentised by it), None otherwise or when the effect is not identified
    without one of the clusters."""
    if groups is None:
        return None
    if inference in ("cv3", "wild") or (inference == "auto" and groups < stats.FEW_CLUSTERS):
        return stats.jackknife(y, x, cluster, groups, partial_rows)
    return None


def fe_rows(effects: list[FixedEffect]) -> stats.PartialRows:
    """Partial the fixed effects out, fitted on the rows kept only."""

    def partial_rows(m: FloatArray, keep: Any) -> FloatArray:
        out = np.zeros_like(m)
        out[keep] = stats.demean(m[keep], stats.within(effects, keep))
        return out

    return partial_rows


def ols_rows(w: FloatArray) -> stats.PartialRows:
    """Partial the columns of ``w`` out, fitted on the rows kept only."""

    def partial_rows(m: FloatArray, keep: Any) -> FloatArray:
        out = np.zeros_like(m)
        out[keep] = stats.residuals(m[keep], w[keep])
        return out

    return partial_rows


def bootstrap(
    y: FloatArray,
    x: FloatArray,
    cluster: IntArray,
    groups: int,
    factor: float,
    partial: stats.Partial,
    jack: stats.Jackknife | None,
    studentise: Studentise,
) -> Callable[[int, int], stats.Resampled]:
    """The wild cluster restricted bootstrap of these data, to run with (reps, seed): WCR13
    when the leave-one-cluster-out parts are there and CV3 is asked for, else WCR11."""

    def run(reps: int, seed: int) -> stats.Resampled:
        return stats.wild_cluster_bootstrap(
            y,
            x,
            cluster,
            groups,
            factor,
            partial=partial,
            jack=jack if studentise == "cv3" else None,
            reps=reps,
            seed=seed,
            alpha=ALPHA,
        )

    return run
