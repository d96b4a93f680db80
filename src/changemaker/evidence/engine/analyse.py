"""``analyse(table, design=..., outcome=...)``: estimate, uncertainty, pre-trend, rating.

Inference that is safe for small samples ("auto"): with fewer than 30 clusters a cluster-robust
standard error over-rejects, so the interval and p-value come from the wild cluster restricted
bootstrap; with a single treated cluster even that fails, and randomisation inference (every
cluster taking the treated one's place in turn) is used. Each switch is said in ``reasons``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
from scipy import special

from . import permute, stats
from .errors import EvidenceError
from .model import AB, BeforeAfter, Design, DiD, DiD2x2, EventTime, Inference, Pretrend, Result
from .model import Staggered as StaggeredDesign
from .rating import sms_level
from .small_sample import (
    ALPHA,
    Studentise,
    bootstrap,
    choose,
    fe_rows,
    leave_out,
    ols_rows,
    summary,
)
from .stats import FixedEffect, FloatArray, IntArray
from .table import Table

INFERENCE_CHOICES = ("auto", "cr1", "wild", "ri", "cv3")


def analyse(
    data: Table | Mapping[str, Any] | Any,
    *,
    design: Design,
    outcome: str,
    inference: Inference = "auto",
    seed: int = 1,
    reps: int = stats.BOOTSTRAP_DRAWS,
    studentise: Studentise = "cv3",
) -> Result:
    """Analyse ``data`` (a :class:`Table`, a dict of columns or a pandas DataFrame).

    ``studentise``: the wild bootstrap's t-statistic uses CV3, the cluster jackknife (WCR13,
    the default), or CV1 (WCR11, kept for comparison in bench/evidence_coverage.py)."""
    table = data if isinstance(data, Table) else Table(data)
    if inference not in INFERENCE_CHOICES:
        raise EvidenceError(f"unknown inference {inference!r}; use auto, cr1, wild, ri or cv3")
    if isinstance(design, DiD):
        result = _did(table, design, outcome, inference, seed, reps, studentise)
    elif isinstance(design, DiD2x2):
        result = _did2x2(table, design, outcome, inference, seed, reps, studentise)
    elif isinstance(design, StaggeredDesign):
        from .staggered import staggered

        result = staggered(table, design, outcome, inference, seed, reps)
    elif isinstance(design, AB):
        result = _ab(table, design, outcome, inference)
    elif isinstance(design, BeforeAfter):
        result = _before_after(table, design, outcome, inference, seed, reps)
    else:  # pragma: no cover - the type says it cannot happen
        raise EvidenceError(f"unknown design {design!r}")
    level, why = sms_level(design, result)
    return _replace(result, sms_level=level, reasons=(*result.reasons, *why))


def _replace(result: Result, **changes: Any) -> Result:
    import dataclasses

    return dataclasses.replace(result, **changes)


# ---------------------------------------------------------------------------------------------
# shared pieces


def _clusters(table: Table, name: str | None, fallback: IntArray | None) -> tuple[IntArray, int]:
    if name is not None:
        codes, levels = table.labels(name)
        count = len(levels)
        column = name
    else:
        assert fallback is not None
        codes, count, column = fallback, int(fallback.max()) + 1, "unit"
    if count < 2:
        raise table.problem(
            "there is only one cluster, so the uncertainty cannot be estimated; "
            "give data from at least two clusters (more than 30 is best)",
            column=column,
        )
    return codes, count


def _fwl(y: FloatArray, x: FloatArray, w: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Partial the columns of ``w`` out of ``y`` and ``x``."""
    rest = stats.residuals(np.column_stack([y, x]), w)
    return rest[:, 0], rest[:, 1]


# ---------------------------------------------------------------------------------------------
# difference-in-differences with two-way fixed effects


def _did_columns(
    table: Table, d: DiD, outcome: str
) -> tuple[FloatArray, IntArray, int, IntArray, int, Any]:
    """The outcome, unit and time codes (and counts) and the treatment, checked: one row per
    unit and time, some rows treated and some not."""
    table.require([outcome, d.unit, d.time, d.treated] + ([d.cluster] if d.cluster else []))
    y = table.numbers(outcome, what="a number (the outcome)")
    unit, unit_levels = table.labels(d.unit)
    time, time_levels = table.periods(d.time)
    treated = table.binary(d.treated)
    n = len(y)
    n_units, n_times = len(unit_levels), len(time_levels)
    cell = unit * n_times + time
    if len(np.unique(cell)) != n:
        first = int(np.flatnonzero(np.bincount(cell)[cell] > 1)[0])
        raise table.problem(
            f"unit {unit_levels[unit[first]]!r} appears more than once at time "
            f"{time_levels[time[first]]!r}; give one row per unit and time",
            column=d.unit,
            row=first,
        )
    if not treated.any():
        raise table.problem(
            "no row is treated (every value is 0); mark the treated units' rows after the "
            "start with 1",
            column=d.treated,
        )
    if treated.all():
        raise table.problem(
            "every row is treated; a difference-in-differences needs untreated rows "
            "(the comparison units, and the treated units before the start)",
            column=d.treated,
        )
    return y, unit, n_units, time, n_times, treated


def _did(
    table: Table,
    d: DiD,
    outcome: str,
    inference: Inference,
    seed: int,
    reps: int,
    studentise: Studentise,
) -> Result:
    y, unit, n_units, time, n_times, treated = _did_columns(table, d, outcome)
    n = len(y)
    cluster, groups = _clusters(table, d.cluster, unit)
    effects = [FixedEffect(unit, n_units), FixedEffect(time, n_times)]
    both = stats.demean(np.column_stack([y, treated.astype(np.float64)]), effects)
    yt, xt = both[:, 0], both[:, 1]
    sxx = float(xt @ xt)
    if sxx <= 1e-12 * n:
        raise table.problem(
            "the treatment does not vary once unit and time effects are removed (e.g. every "
            "unit treated at the same time, with no comparison units); add comparison units",
            column=d.treated,
        )
    beta = float(xt @ yt) / sxx
    resid = yt - beta * xt
    k = stats.dof_k(1, effects, cluster)
    factor = groups / (groups - 1) * (n - 1) / (n - k)
    score = np.bincount(cluster, weights=xt * resid, minlength=groups)
    se = math.sqrt(factor * float(score @ score)) / sxx
    treated_groups = len(np.unique(cluster[treated]))
    paths, labels, cluster_level = permute.cluster_paths(treated, cluster, groups, time, n_times)
    ways = permute.distinct_tests(labels) if cluster_level else None
    jack = leave_out(inference, groups, yt, xt, cluster, fe_rows(effects))
    how, notes = choose(inference, groups, treated_groups, ri_ok=True, assignments=ways, jack=jack)

    def ri() -> tuple[stats.Resampled, float]:
        placebo, gamma = permute.did_placebos(
            yt, xt, beta, paths, labels, cluster, time, effects, seed
        )
        return permute.summary(beta, se, placebo, gamma, ALPHA)

    wild = bootstrap(
        yt, xt, cluster, groups, factor, lambda m: stats.demean(m, effects), jack, studentise
    )

    se_out, ci, p, used_reps, more = summary(
        how, beta, se, groups - 1, wild=lambda: wild(reps, seed), ri=ri, jack=jack
    )
    pretrend, events = _event_study(y, unit, time, treated, cluster, groups, effects, n_units)
    notes += more
    if groups < stats.FEW_CLUSTERS and pretrend.p is not None:
        notes.append(
            "The pre-trend test uses cluster-robust errors; with few clusters it is a guide."
        )
    return Result(
        design="did",
        outcome=outcome,
        estimate=beta,
        se=se_out,
        ci=ci,
        p=p,
        n_obs=n,
        n_clusters=groups,
        inference=how,
        pretrend=pretrend,
        event_study=events,
        reasons=tuple(notes),
        seed=seed if how == "wild" else None,
        bootstrap_reps=used_reps,
    )


def _event_study(
    y: FloatArray,
    unit: IntArray,
    time: IntArray,
    treated: Any,
    cluster: IntArray,
    groups: int,
    effects: list[FixedEffect],
    n_units: int,
) -> tuple[Pretrend, tuple[EventTime, ...]]:
    """Leads and lags of the first treated period (reference: the period just before), with
    unit and time effects and CR1 errors; the joint F-test of the leads, F(q, G−1)."""
    big = np.iinfo(np.int64).max
    first = np.full(n_units, big, dtype=np.int64)
    np.minimum.at(first, unit[treated], time[treated])
    ever = first[unit] != big
    rel = np.where(ever, time - np.where(ever, first[unit], 0), 0)
    treated_units = first[first != big]
    periods_before = int(treated_units.min())  # periods observed before the earliest start
    values = sorted(set(rel[ever].tolist()) - {-1})
    if not values:
        return Pretrend(None, periods_before, 0), ()
    yt = stats.demean(y[:, None], effects)[:, 0]
    while True:
        # one dummy per relative period; each row has at most one, so X'X̃ (= X̃'X̃) and X'ỹ
        # are sums of rows by period
        index = {v: j for j, v in enumerate(values)}
        code = np.full(len(y), -1, dtype=np.int64)
        rows = np.flatnonzero(ever & (rel != -1))
        code[rows] = [index.get(int(r), -1) for r in rel[rows].tolist()]
        rows = rows[code[rows] >= 0]
        cols = np.zeros((len(y), len(values)))
        cols[rows, code[rows]] = 1.0
        xt = stats.demean(cols, effects)
        del cols
        order = rows[np.argsort(code[rows], kind="stable")]
        starts = np.searchsorted(code[order], np.arange(len(values)))
        xtx = np.add.reduceat(xt[order], starts, axis=0)
        if np.linalg.matrix_rank(xtx) == len(values) or len(values) <= 1:
            break
        values = values[1:]  # without never-treated units: drop the most distant lead
    bread = np.linalg.inv(xtx)
    coef = bread @ np.bincount(code[rows], weights=yt[rows], minlength=len(values))
    fit = stats.Fit(coef, yt - xt @ coef, bread)
    k = stats.dof_k(len(values), effects, cluster)
    vcov = stats.cr1(fit, xt, cluster, groups, len(y), k)
    table_rows: list[EventTime] = []
    for j, v in enumerate(values):
        se = math.sqrt(max(float(vcov[j, j]), 0.0))
        lo, hi, _ = stats.t_interval(float(fit.coef[j]), se, groups - 1, ALPHA)
        table_rows.append(EventTime(int(v), float(fit.coef[j]), se, (lo, hi)))
    table_rows.append(EventTime(-1, 0.0, None, (None, None)))
    table_rows.sort(key=lambda r: r.period)
    leads = [j for j, v in enumerate(values) if v <= -2]
    if not leads:
        return Pretrend(None, periods_before, 0), tuple(table_rows)
    b = fit.coef[leads]
    v = vcov[np.ix_(leads, leads)]
    q = len(leads)
    f = float(b @ np.linalg.pinv(v) @ b) / q
    p = float(special.fdtrc(q, groups - 1, f))
    return Pretrend(p, periods_before, q, f), tuple(table_rows)


# ---------------------------------------------------------------------------------------------
# 2×2 difference-in-differences and before/after (OLS with an intercept)


def _did2x2(
    table: Table,
    d: DiD2x2,
    outcome: str,
    inference: Inference,
    seed: int,
    reps: int,
    studentise: Studentise = "cv3",
) -> Result:
    table.require([outcome, d.group, d.post] + ([d.cluster] if d.cluster else []))
    y = table.numbers(outcome, what="a number (the outcome)")
    g = table.binary(d.group).astype(np.float64)
    post = table.binary(d.post).astype(np.float64)
    if not g.any():
        raise table.problem(
            "no row is in the treated group (every value is 0); mark the treated group with 1",
            column=d.group,
        )
    if g.all():
        raise table.problem(
            "every row is in the treated group; add a comparison group (0)", column=d.group
        )
    for name, col in ((d.post, post),):
        if not col.any() or col.all():
            raise table.problem("needs rows both before (0) and after (1) the start", column=name)
    x = np.column_stack([np.ones_like(y), g, post, g * post])
    if np.linalg.matrix_rank(x) < 4:
        raise table.problem(
            "a group has no rows before or after the start; every group needs both", column=d.post
        )
    return _ols_design(
        table, "did2x2", outcome, y, x, d.cluster, inference, seed, reps, g > 0, studentise
    )


def _before_after(
    table: Table, d: BeforeAfter, outcome: str, inference: Inference, seed: int, reps: int
) -> Result:
    table.require([outcome, d.post] + ([d.cluster] if d.cluster else []))
    y = table.numbers(outcome, what="a number (the outcome)")
    post = table.binary(d.post).astype(np.float64)
    if not post.any() or post.all():
        raise table.problem("needs rows both before (0) and after (1) the start", column=d.post)
    x = np.column_stack([np.ones_like(y), post])
    return _ols_design(table, "before-after", outcome, y, x, d.cluster, inference, seed, reps, None)


def _ols_design(
    table: Table,
    name: str,
    outcome: str,
    y: FloatArray,
    x: FloatArray,
    cluster_name: str | None,
    inference: Inference,
    seed: int,
    reps: int,
    treated_rows: Any,
    studentise: Studentise = "cv3",
) -> Result:
    """OLS, effect = the last column; HC1 without clusters, CR1 (or wild/RI) with them."""
    n, k = x.shape
    fit = stats.ols(x, y)
    beta = float(fit.coef[-1])
    groups: int | None = None
    if cluster_name is None:
        vcov = stats.hc1(fit, x, n, k)
        df: float = n - k
        cluster = np.zeros(n, dtype=np.int64)
        treated_groups = None
    else:
        cluster, groups = _clusters(table, cluster_name, None)
        vcov = stats.cr1(fit, x, cluster, groups, n, k)
        df = groups - 1
        treated_groups = (
            None if treated_rows is None else len(np.unique(cluster[np.asarray(treated_rows)]))
        )
    se = math.sqrt(float(vcov[-1, -1]))
    ri_ok = treated_rows is not None and groups is not None
    labels: list[int] = []
    ways = None
    if ri_ok:
        in_group = np.asarray(treated_rows, dtype=np.int64)
        top = np.zeros(int(groups or 0), dtype=np.int64)
        np.maximum.at(top, cluster, in_group)
        labels = [int(v) for v in top]
        ways = permute.distinct_tests(labels) if (top[cluster] == in_group).all() else None
    yt, xt = _fwl(y, x[:, -1], x[:, :-1])
    jack = leave_out(inference, groups, yt, xt, cluster, ols_rows(x[:, :-1]))
    how, notes = choose(inference, groups, treated_groups, ri_ok=ri_ok, assignments=ways, jack=jack)
    if how == "cr1" and groups is None:
        how = "hc1"
    factor = 1.0 if groups is None else groups / (groups - 1) * (n - 1) / (n - k)

    wild = bootstrap(
        yt,
        xt,
        cluster,
        groups or 2,
        factor,
        lambda m: stats.residuals(m, x[:, :-1]),
        jack,
        studentise,
    )

    def ri() -> tuple[stats.Resampled, float]:
        placebo, gamma = permute.group_placebos(y, x, beta, labels, cluster, seed)
        return permute.summary(beta, se, placebo, gamma, ALPHA)

    se_out, ci, p, used, more = summary(
        how, beta, se, df, wild=lambda: wild(reps, seed), ri=ri, jack=jack
    )
    return Result(
        design=name,
        outcome=outcome,
        estimate=beta,
        se=se_out,
        ci=ci,
        p=p,
        n_obs=n,
        n_clusters=groups,
        inference=how,
        reasons=tuple(notes + more),
        seed=seed if how == "wild" else None,
        bootstrap_reps=used,
    )


# ---------------------------------------------------------------------------------------------
# randomised A/B


def _ab(table: Table, d: AB, outcome: str, inference: Inference) -> Result:
    table.require([outcome, d.arm])
    if inference in ("wild", "ri", "cv3"):
        raise EvidenceError(
            f"{inference} inference is for clustered designs; an A/B trial uses auto or cr1"
        )
    y = table.numbers(outcome, what="a number (the outcome)")
    arm = table.choice(d.arm, ("control", "treatment"))
    y1, y0 = y[arm == 1], y[arm == 0]
    n1, n0 = len(y1), len(y0)
    if n1 == 0:
        raise table.problem(
            "no row is in the treatment arm; label treated rows 'treatment'", column=d.arm
        )
    if n0 == 0:
        raise table.problem(
            "no row is in the control arm; label comparison rows 'control'", column=d.arm
        )
    notes: list[str] = []
    if np.isin(y, (0.0, 1.0)).all():
        p1, p0 = float(y1.mean()), float(y0.mean())
        est = p1 - p0
        se = math.sqrt(p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0)
        lo, hi, _ = stats.t_interval(est, se, math.inf, ALPHA)
        pooled = (y1.sum() + y0.sum()) / (n1 + n0)
        se0 = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
        p = float(2 * special.ndtr(-abs(est / se0))) if se0 > 0 else 1.0
        how = "z"
        notes.append(
            "A 0/1 outcome: difference in proportions, Wald interval, two-proportion z-test."
        )
    else:
        if n1 < 2 or n0 < 2:
            raise table.problem(
                "each arm needs at least two rows to estimate its spread", column=d.arm
            )
        v1, v0 = float(y1.var(ddof=1)) / n1, float(y0.var(ddof=1)) / n0
        est = float(y1.mean() - y0.mean())
        se = math.sqrt(v1 + v0)
        df = (v1 + v0) ** 2 / (v1**2 / (n1 - 1) + v0**2 / (n0 - 1)) if se > 0 else math.inf
        lo, hi, p = stats.t_interval(est, se, df, ALPHA)
        how = "welch"
        notes.append("Difference in means, Welch's t (unequal variances).")
    return Result(
        design="ab",
        outcome=outcome,
        estimate=est,
        se=se,
        ci=(lo, hi),
        p=p,
        n_obs=n1 + n0,
        n_clusters=None,
        inference=how,
        reasons=tuple(notes),
    )
