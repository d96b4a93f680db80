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
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize
from scipy.stats import f as f_dist

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Reliability:
    alpha: float | None
    ci: tuple[float, float] | None
    omega: float | None
    n: int


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


def reliability(x: FloatArray, minimum: int) -> Reliability:
    """alpha, its interval and omega of complete cases ``x``; None where they mean nothing:
    fewer than ``minimum`` respondents (never for small groups), one item, or no variance."""
    n, k = x.shape
    if n < max(minimum, 3) or k < 2:
        return Reliability(None, None, None, n)
    total_var = x.sum(axis=1).var(ddof=1)
    if total_var == 0 or np.any(x.var(axis=0, ddof=1) == 0):
        return Reliability(None, None, None, n)
    alpha, ci = cronbach_alpha(x)
    omega = mcdonald_omega(x) if k >= 3 else None
    return Reliability(alpha, ci, omega, n)
