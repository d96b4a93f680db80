"""Random-effects meta-analysis of effects measured by several pilots (councils).

DerSimonian–Laird (method of moments) and REML, the latter as R's metafor computes it
(Fisher scoring on the restricted likelihood, τ² truncated at 0). I² is metafor's: τ² over
τ² plus the typical within-study variance, in percent.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

import numpy as np
from scipy import special

from .errors import EvidenceError
from .model import Pooled
from .table import Table

Method = Literal["reml", "dl"]


def pool(
    estimates: Sequence[float],
    ses: Sequence[float],
    *,
    method: Method = "reml",
    alpha: float = 0.05,
    tol: float = 1e-12,
    max_iter: int = 1_000,
) -> Pooled:
    """Pool effects (``estimates`` with standard errors ``ses``) under random effects."""
    y = np.asarray(estimates, dtype=np.float64)
    se = np.asarray(ses, dtype=np.float64)
    if method not in ("reml", "dl"):
        raise EvidenceError(f"unknown method {method!r}; use reml or dl")
    if len(y) != len(se):
        raise EvidenceError("give one standard error per estimate")
    if len(y) < 2:
        raise EvidenceError("pooling needs at least two studies")
    if not (np.isfinite(y).all() and np.isfinite(se).all()) or (se <= 0).any():
        raise EvidenceError("every estimate must be a number and every standard error above 0")
    v = se**2
    w = 1 / v
    k = len(y)
    mu_fixed = float(w @ y / w.sum())
    q = float(w @ (y - mu_fixed) ** 2)
    c = float(w.sum() - (w**2).sum() / w.sum())
    tau2 = max(0.0, (q - (k - 1)) / c)  # DerSimonian–Laird, also REML's starting value
    if method == "reml":
        for _ in range(max_iter):
            wi = 1 / (v + tau2)
            # P = W - W 1 (1'W1)^-1 1'W for an intercept-only model
            p_mat = np.diag(wi) - np.outer(wi, wi) / wi.sum()
            py = p_mat @ y
            step = float(py @ py - np.trace(p_mat)) / float(np.sum(p_mat * p_mat))
            new = max(0.0, tau2 + step)
            done = abs(new - tau2) < tol
            tau2 = new
            if done:
                break
        else:  # pragma: no cover - metafor's scoring converges on real data
            raise EvidenceError("the REML estimate did not converge; try method dl")
    ws = 1 / (v + tau2)
    estimate = float(ws @ y / ws.sum())
    se_pooled = math.sqrt(1 / float(ws.sum()))
    z = float(special.ndtri(1 - alpha / 2))
    typical = (k - 1) * float(w.sum()) / (float(w.sum()) ** 2 - float((w**2).sum()))
    i2 = 100 * tau2 / (tau2 + typical)
    p = float(2 * special.ndtr(-abs(estimate / se_pooled)))
    return Pooled(
        estimate,
        se_pooled,
        (estimate - z * se_pooled, estimate + z * se_pooled),
        p,
        tau2,
        i2,
        q,
        k,
        method,
    )


def pool_table(table: Table, *, method: Method = "reml") -> Pooled:
    """Pool a table with columns ``study``, ``estimate`` and ``se``."""
    table.require(["study", "estimate", "se"])
    table.labels("study")
    y = table.numbers("estimate", what="a number (the study's effect)")
    se = table.numbers("se", what="a number (the effect's standard error)")
    bad = np.flatnonzero(se <= 0)
    if len(bad):
        raise table.problem(
            "a standard error must be above 0; give the study's standard error",
            column="se",
            row=int(bad[0]),
        )
    if len(y) < 2:
        raise table.problem("pooling needs at least two studies; add rows")
    return pool(y.tolist(), se.tolist(), method=method)
