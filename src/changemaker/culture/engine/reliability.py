"""Reliability of a scale: Cronbach's alpha with Feldt's interval, and McDonald's omega.

Both take a complete-case matrix (respondents x items, every item answered).

- alpha = k / (k - 1) * (1 - sum of item variances / variance of the total), sample variances;
  the interval is Feldt's (1965): 1 - (1 - alpha) * F quantiles with (n - 1, (n - 1)(k - 1))
  degrees of freedom, as pingouin's ``cronbach_alpha`` and R psych's ``alpha.ci`` compute it.
- omega (total) = (sum of loadings)^2 / ((sum of loadings)^2 + sum of unique variances) from a
  one-factor model fitted by maximum likelihood on the covariance matrix. The fit is R's
  ``factanal`` algorithm (the loadings are solved from the unique variances, which L-BFGS-B
  finds, each at least 0.005 of the item's variance); ML is scale-free, so it is fitted on the
  correlation matrix and scaled back. The same one-factor CFA in semopy or lavaan gives the same
  estimates (the ML optimum), which the tests check.

A figure that means nothing is None, and the row's ``reason`` says why (one of ``REASONS``):
alpha needs at least ``minimum`` respondents (never small groups), two items and some variance
in the total; omega also needs three items (one factor is not identified from two) and a
non-singular correlation matrix: a constant item has no correlation, and items that are exact
linear combinations of each other (perfectly correlated answers, fewer distinct answer
patterns than items) leave the maximum-likelihood fit undefined, as R's ``factanal`` refuses
it. Alpha is then still the reference's (pingouin's), e.g. 1 for identical items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.stats import f as f_dist

FloatArray = npt.NDArray[np.float64]

FEWER_THAN_MIN = "fewer_than_min"
ONE_ITEM = "one_item"
NO_VARIANCE = "no_variance"
OMEGA_TWO_ITEMS = "omega_needs_three_items"
OMEGA_CONSTANT_ITEM = "omega_constant_item"
OMEGA_SINGULAR = "omega_items_perfectly_correlated"
REASONS = (
    FEWER_THAN_MIN,
    ONE_ITEM,
    NO_VARIANCE,
    OMEGA_TWO_ITEMS,
    OMEGA_CONSTANT_ITEM,
    OMEGA_SINGULAR,
)
# The smallest eigenvalue of a correlation matrix (they sum to k) below which it is singular.
_SINGULAR = 1e-9


@dataclass(frozen=True, slots=True)
class Reliability:
    alpha: float | None
    ci: tuple[float, float] | None
    omega: float | None
    n: int
    reason: str | None = None


def cronbach_alpha(x: FloatArray, ci: float = 0.95) -> tuple[float, tuple[float, float]]:
    """alpha and its Feldt interval; ``x`` is complete (n >= 2 rows, k >= 2 columns)."""
    n, k = x.shape
    item_var = x.var(axis=0, ddof=1).sum()
    total_var = x.sum(axis=1).var(ddof=1)
    alpha = k / (k - 1) * (1 - item_var / total_var)
    df1, df2 = n - 1, (n - 1) * (k - 1)
    lo = 1 - (1 - alpha) * f_dist.ppf((1 + ci) / 2, df1, df2)
    hi = 1 - (1 - alpha) * f_dist.ppf((1 - ci) / 2, df1, df2)
    return float(alpha), (float(lo), float(hi))


def _loadings(psi: FloatArray, r: FloatArray) -> FloatArray:
    scale = 1 / np.sqrt(psi)
    values, vectors = np.linalg.eigh(r * scale[:, None] * scale[None, :])
    lam = np.sqrt(psi) * vectors[:, -1] * np.sqrt(max(float(values[-1]) - 1, 0.0))
    return np.asarray(lam, dtype=np.float64)


def _objective(psi: FloatArray, r: FloatArray) -> float:
    scale = 1 / np.sqrt(psi)
    values = np.linalg.eigvalsh(r * scale[:, None] * scale[None, :])[:-1]
    return float(-(np.sum(np.log(values) - values) - 1 + len(psi)))


def _gradient(psi: FloatArray, r: FloatArray) -> FloatArray:
    lam = _loadings(psi, r)
    g = np.outer(lam, lam) + np.diag(psi) - r
    return np.asarray(np.diag(g) / psi**2, dtype=np.float64)


def one_factor(cov: FloatArray) -> tuple[FloatArray, FloatArray]:
    """ML loadings and unique variances of a one-factor model of a covariance matrix."""
    sd = np.sqrt(np.diag(cov))
    r = cov / np.outer(sd, sd)
    start = (1 - 0.5 / len(r)) / np.diag(np.linalg.inv(r))
    fit = minimize(
        _objective,
        start,
        args=(r,),
        jac=_gradient,
        method="L-BFGS-B",
        bounds=[(0.005, 1.0)] * len(r),
        options={"ftol": 1e-15, "gtol": 1e-12, "maxiter": 10_000},
    )
    psi = np.asarray(fit.x, dtype=np.float64)
    lam = _loadings(psi, r)
    if lam.sum() < 0:
        lam = -lam
    return lam * sd, psi * sd**2


def mcdonald_omega(x: FloatArray) -> float:
    """Omega total from a one-factor ML fit of the items' covariance matrix."""
    lam, psi = one_factor(np.cov(x, rowvar=False))
    common = lam.sum() ** 2
    return float(common / (common + psi.sum()))


def omega_undefined(x: FloatArray) -> str | None:
    """Why omega of complete cases ``x`` (k >= 3 items, n >= 2) is undefined, or None."""
    sd = x.std(axis=0, ddof=1)
    if np.any(sd == 0):
        return OMEGA_CONSTANT_ITEM
    r = np.corrcoef(x, rowvar=False)
    if not np.all(np.isfinite(r)) or np.linalg.eigvalsh(r)[0] < _SINGULAR:
        return OMEGA_SINGULAR
    return None


def reliability(x: FloatArray, minimum: int) -> Reliability:
    """alpha, its interval and omega of complete cases ``x``; None where they mean nothing,
    with the reason: fewer than ``minimum`` respondents (never for small groups), one item, no
    variance; omega also needs three items and a non-singular correlation matrix."""
    n, k = x.shape
    if n < max(minimum, 3):
        return Reliability(None, None, None, n, FEWER_THAN_MIN)
    if k < 2:
        return Reliability(None, None, None, n, ONE_ITEM)
    if x.sum(axis=1).var(ddof=1) == 0:
        return Reliability(None, None, None, n, NO_VARIANCE)
    alpha, ci = cronbach_alpha(x)
    why = OMEGA_TWO_ITEMS if k < 3 else omega_undefined(x)
    if why is not None:
        return Reliability(alpha, ci, None, n, why)
    omega = mcdonald_omega(x)
    if not np.isfinite(omega):  # a fit the optimiser could not make: say so, never guess
        return Reliability(alpha, ci, None, n, OMEGA_SINGULAR)
    return Reliability(alpha, ci, omega, n)
