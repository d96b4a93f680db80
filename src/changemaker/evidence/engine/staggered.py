"""Callaway and Sant'Anna (2021) group-time effects for a staggered roll-out, no covariates.

ATT(g, t) compares the change in the outcome of the units first treated in period ``g`` with
the change of the comparison units (never treated, or not yet treated by ``t``), from the
period before ``g`` (after the start) or the period before ``t`` (before it: the "varying"
base of R's ``did``). Standard errors come from the influence functions; the overall effect
is the simple aggregation (post-treatment cells weighted by group size) with the estimated
weights' influence function added, as R's ``did::aggte`` and diff-diff do.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import special

from . import stats
from .errors import EvidenceError
from .model import EventTime, GroupTime, Inference, Pretrend, Result
from .model import Staggered as StaggeredDesign
from .stats import FloatArray, IntArray
from .table import Table

ALPHA = 0.05


@dataclass(frozen=True, slots=True)
class _Cells:
    groups: FloatArray  # g of each cell
    times: FloatArray  # t of each cell
    att: FloatArray
    n_treated: FloatArray
    psi: FloatArray  # cells x units influence functions
    unit_group: FloatArray  # each unit's first treated period (0 never)
    n_units: int


def group_time(y: FloatArray, periods: list[float], first: FloatArray, control: str) -> _Cells:
    """All ATT(g, t) from a units × periods outcome matrix (NaN = not observed)."""
    n_units = y.shape[0]
    cohorts = sorted({float(g) for g in first.tolist() if g > 0})
    never = first == 0
    start = periods[0]
    out_g: list[float] = []
    out_t: list[float] = []
    atts: list[float] = []
    sizes: list[float] = []
    psis: list[FloatArray] = []
    for g in cohorts:
        treated_mask = first == g
        for j, t in enumerate(periods):
            if not (t >= g or t > start):
                continue
            # base: the last period before g (post) or before t (pre), by position
            threshold = g if t >= g else t
            k = int(np.searchsorted(np.asarray(periods), threshold, side="left")) - 1
            if k < 0:
                continue
            base = periods[k]
            if control == "never":
                control_mask = never
            else:
                control_mask = never | ((first > max(t, base)) & (first != g))
            change = y[:, j] - y[:, k]
            valid = ~np.isnan(change)
            tv, cv = treated_mask & valid, control_mask & valid
            nt, nc = int(tv.sum()), int(cv.sum())
            if nt == 0 or nc == 0:
                continue
            mt, mc = float(change[tv].mean()), float(change[cv].mean())
            psi = np.zeros(n_units)
            psi[tv] = (change[tv] - mt) / nt
            psi[cv] = -(change[cv] - mc) / nc
            out_g.append(g)
            out_t.append(t)
            atts.append(mt - mc)
            sizes.append(nt)
            psis.append(psi)
    if not atts:
        raise EvidenceError(
            "no group-time effect can be estimated: each treated group needs a period before "
            "its start and comparison units (never treated, or not yet treated)"
        )
    return _Cells(
        np.asarray(out_g),
        np.asarray(out_t),
        np.asarray(atts),
        np.asarray(sizes, dtype=np.float64),
        np.vstack(psis),
        first,
        n_units,
    )


def aggregate(cells: _Cells, keep: Any) -> tuple[float, FloatArray]:
    """Weighted average of the kept cells (weights: group sizes) and its influence function,
    including the estimated weights' part (``wif`` of R's did)."""
    idx = np.flatnonzero(keep)
    att = cells.att[idx]
    w = cells.n_treated[idx]
    wn = w / w.sum()
    estimate = float(wn @ att)
    psi = wn @ cells.psi[idx]
    g_keep = cells.groups[idx]
    n = cells.n_units
    pg = np.asarray([(cells.unit_group == g).sum() / n for g in g_keep.tolist()])
    s = float(pg.sum())
    ind = (cells.unit_group[:, None] == g_keep[None, :]).astype(np.float64)
    diff = ind - pg[None, :]
    if1 = diff / s
    if2 = np.outer(diff.sum(axis=1), pg) / s**2
    wif = (if1 - if2) @ att
    return estimate, psi + wif / n


def staggered(
    table: Table, d: StaggeredDesign, outcome: str, inference: Inference, seed: int, reps: int
) -> Result:
    table.require([outcome, d.unit, d.time, d.first_treated])
    _check_options(d, inference)
    y, matrix, periods, first = _panel(table, d, outcome)
    n_units = len(first)
    cells = group_time(matrix, periods, first, d.control)

    post = cells.times >= cells.groups
    if not post.any():
        raise EvidenceError(
            "no treated group is observed after its start; add periods after the roll-out"
        )
    estimate, psi = aggregate(cells, post)
    se = math.sqrt(float(psi @ psi))
    cell_se = np.sqrt(np.einsum("ij,ij->i", cells.psi, cells.psi))
    att_gt = tuple(
        GroupTime(float(g), float(t), float(a), float(s))
        for g, t, a, s in zip(cells.groups, cells.times, cells.att, cell_se, strict=True)
    )
    how, ci, p, notes = _overall_inference(estimate, psi, se, n_units, inference, seed, reps)
    return Result(
        design="staggered",
        outcome=outcome,
        estimate=estimate,
        se=se,
        ci=ci,
        p=p,
        n_obs=len(y),
        n_clusters=n_units,
        inference=how,
        pretrend=_pretrend(cells, periods),
        att_gt=att_gt,
        event_study=_event_study(cells),
        reasons=tuple(notes),
        seed=seed if how == "wild" else None,
        bootstrap_reps=reps if how == "wild" else None,
    )


def _check_options(d: StaggeredDesign, inference: Inference) -> None:
    if d.control not in ("never", "notyet"):
        raise EvidenceError(f"unknown control group {d.control!r}; use never or notyet")
    if inference in ("ri", "cv3"):
        what = "randomisation inference" if inference == "ri" else "the cluster jackknife"
        raise EvidenceError(
            f"{what} is not available for a staggered roll-out; use auto, cr1 or wild"
        )


def _panel(
    table: Table, d: StaggeredDesign, outcome: str
) -> tuple[FloatArray, FloatArray, list[float], FloatArray]:
    """The outcome column, the units × periods outcome matrix (NaN: not observed), the periods
    and each unit's first treated period; a table that is not one row per unit and period, or
    has no comparison, is refused with its row and column."""
    y = table.numbers(outcome, what="a number (the outcome)")
    unit, unit_levels = table.labels(d.unit)
    time_values = table.numbers(d.time, what="a number (the period, e.g. 2026 or 7)")
    first_row = table.numbers(d.first_treated, what="a period number, or 0 for never treated")
    periods = sorted(set(time_values.tolist()))
    col = np.searchsorted(np.asarray(periods), time_values)
    n_units, n_times = len(unit_levels), len(periods)
    cell = unit * n_times + col
    counts = np.bincount(cell, minlength=n_units * n_times)
    if (counts > 1).any():
        row = int(np.flatnonzero(counts[cell] > 1)[0])
        raise table.problem(
            f"unit {unit_levels[unit[row]]!r} appears more than once in period "
            f"{time_values[row]:g}; give one row per unit and period",
            column=d.unit,
            row=row,
        )
    first = _first_treated(table, d, unit, unit_levels, first_row)
    matrix = np.full((n_units, n_times), np.nan)
    matrix[unit, col] = y
    return y, matrix, periods, first


def _first_treated(
    table: Table,
    d: StaggeredDesign,
    unit: IntArray,
    unit_levels: list[str],
    first_row: FloatArray,
) -> FloatArray:
    """Each unit's first treated period (0: never), the same on all its rows."""
    first = np.full(len(unit_levels), np.nan)
    first[unit] = first_row
    if (first[unit] != first_row).any():
        row = int(np.flatnonzero(first[unit] != first_row)[0])
        raise table.problem(
            f"unit {unit_levels[unit[row]]!r} has more than one first-treated period; "
            "give each unit one value (0 if never treated)",
            column=d.first_treated,
            row=row,
        )
    if not (first > 0).any():
        raise table.problem(
            "no unit is ever treated (every value is 0); give the period each treated unit started",
            column=d.first_treated,
        )
    if d.control == "never" and not (first == 0).any():
        raise table.problem(
            "no unit is never treated (0), so there is no comparison group; use "
            "--control notyet to compare with units not yet treated",
            column=d.first_treated,
        )
    if len(unit_levels) < 2:
        raise table.problem(
            "there is only one unit; give data from at least two units", column=d.unit
        )
    return first


def _overall_inference(
    estimate: float,
    psi: FloatArray,
    se: float,
    n_units: int,
    inference: Inference,
    seed: int,
    reps: int,
) -> tuple[str, tuple[float | None, float | None], float, list[str]]:
    """How the overall effect's interval and p-value are found, them, and the notes saying so."""
    how, notes = "cr1", []
    if inference == "wild" or (inference == "auto" and n_units < stats.FEW_CLUSTERS):
        how = "wild"
        if inference == "auto":
            notes.append(
                f"Only {n_units} units (fewer than {stats.FEW_CLUSTERS}): the interval and p-value "
                "come from a multiplier (wild) bootstrap of the influence function."
            )
    if how == "wild":
        v = stats.draws(n_units, reps, seed)
        boot = np.abs(v @ psi)
        crit = float(np.quantile(boot / se, 1 - ALPHA)) if se > 0 else math.nan
        ci: tuple[float | None, float | None] = (estimate - crit * se, estimate + crit * se)
        p = float(np.mean(boot >= abs(estimate)))
        notes.append(f"Multiplier bootstrap clustered by unit, {reps:,} draws.")
    else:
        lo, hi, p = stats.t_interval(estimate, se, math.inf, ALPHA)
        ci = (lo, hi)
        notes.append("Standard errors from the influence function, clustered by unit.")
    return how, ci, p, notes


def _event_study(cells: _Cells) -> tuple[EventTime, ...]:
    """Cells aggregated by periods since the start, e = t - g."""
    rel = np.round(cells.times - cells.groups).astype(np.int64)
    events: list[EventTime] = []
    for e in sorted(set(rel.tolist())):
        est_e, psi_e = aggregate(cells, rel == e)
        se_e = math.sqrt(float(psi_e @ psi_e))
        lo, hi, _ = stats.t_interval(est_e, se_e, math.inf, ALPHA)
        events.append(EventTime(int(e), est_e, se_e, (lo, hi)))
    return tuple(events)


def _pretrend(cells: _Cells, periods: list[float]) -> Pretrend:
    """Joint test that the pre-treatment cells are zero: b' V⁺ b against chi-squared."""
    pre = np.flatnonzero(cells.times < cells.groups)
    earliest = min(cells.groups.tolist())
    periods_before = sum(1 for t in periods if t < earliest)
    if not len(pre):
        return Pretrend(None, periods_before, 0)
    b = cells.att[pre]
    v_pre = cells.psi[pre] @ cells.psi[pre].T
    values, vectors = np.linalg.eigh(v_pre)
    keep = values > values.max(initial=0.0) * len(pre) * np.finfo(np.float64).eps
    proj = vectors[:, keep].T @ b
    stat = float(proj @ (proj / values[keep]))  # b' V⁺ b (Moore-Penrose)
    rank = int(keep.sum())
    return Pretrend(float(special.chdtrc(rank, stat)), periods_before, len(pre), stat)
