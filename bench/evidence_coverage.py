"""Coverage of the evidence engine's small-sample inference, by simulation (seed-deterministic).

    python bench/evidence_coverage.py [--sims 2000] [--seed 1] [--reps 999] [--strict]

Each row simulates ``--sims`` ward panels with NO true effect and counts how often the 95%
interval covers 0 (and so how often the test wrongly rejects at 5%):

- difference-in-differences with two-way fixed effects (``design=DiD``): G clusters (wards),
  10 units in each, 8 periods, the treated clusters' units treated from period 4; the errors
  are a cluster × period shock (variance 0.1) plus a unit's own noise (variance 0.9), so the
  intra-cluster correlation is 0.1; standard errors and the bootstrap are clustered by ward;
- the 2×2 design (``design=DiD2x2``), 40 people per cluster, the same shocks.

For each row, on the same panels: the wild cluster restricted bootstrap studentised by CV1
(WCR11, ``inference="wild", studentise="cv1"``, Webb weights, ``--reps`` draws) and how often
its p-value at the true value is at most 5% ("rej@0"); the same bootstrap studentised by the
cluster jackknife (WCR13, ``"wild"``); the cluster jackknife CV3 with t(G−1) (``"cv3"``);
CR1 with t(G−1) (``"cr1"``); randomisation inference (``"ri"``); and what ``"auto"`` chooses.
Replication ``s`` uses ``seed + s`` for both the data and the bootstrap, so a run is the same
every time.

Target: "auto" between 0.93 and 0.97 on every row with 6-10 clusters and 2 or more treated;
exit 2 with ``--strict`` otherwise.

Measured (issue 17, ``--sims 2000 --seed 1``, 999 draws):

    design     G treated  WCR11  rej@0  WCR13    CV3    CR1     RI   auto  auto uses
    did        6       3  0.915  0.085  0.915  0.956  0.910  1.000  0.956  cv3
    did        6       2  0.945  0.056  0.953  0.942  0.896  1.000  0.942  cv3
    did        6       1     -      -      -      -   0.644  1.000  1.000  ri
    did        8       4  0.935  0.065  0.935  0.956  0.927  0.974  0.956  cv3
    did       10       5  0.945  0.055  0.945  0.961  0.938  0.957  0.961  cv3
    did       12       6  0.949  0.051  0.949  0.957  0.940  0.952  0.949  wild
    did2x2     6       3  0.920  0.080  0.920  0.951  0.920  1.000  0.951  cv3

Diagnosis: WCR11's coverage and its rejection rate at the true value add up to 1 on every
row, because the interval is the set of values the test does not reject (``stats.invert``):
the under-coverage with 6 clusters is the test's own over-rejection, not the interval. CV3
studentisation (WCR13; MacKinnon, Nielsen and Webb 2023) does not change it when every
cluster has the same leverage (CV3 is then a fixed multiple of CV1, so every bootstrap t is
scaled alike and the p-value is the same); with 2 of 6 treated it helps a little (0.953).
CV3 with t(G−1) is what covers: "auto" uses it below 12 clusters. Randomisation inference is
exact but, with 10 or 15 assignments that can differ, never rejects (1.000), and with 35
rejects at most 1 in 35 (0.974).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

COVERAGE_BAND = (0.93, 0.97)
ICC = 0.1
#: (design, clusters, treated clusters)
ROWS: tuple[tuple[str, int, int], ...] = (
    ("did", 6, 3),
    ("did", 6, 2),
    ("did", 6, 1),
    ("did", 8, 4),
    ("did", 10, 5),
    ("did", 12, 6),
    ("did2x2", 6, 3),
)


def panel(design: str, groups: int, treated: int, seed: int) -> tuple[dict[str, Any], Any]:
    """One simulated data set (columns) and the engine's design for it; no true effect."""
    from changemaker.evidence.engine import DiD, DiD2x2

    rng = np.random.default_rng(seed)
    treated_cluster = np.arange(groups) < treated
    if design == "did":
        units, periods, start = 10, 8, 4
        cluster = np.repeat(np.arange(groups), units * periods)
        unit = np.repeat(np.arange(groups * units), periods)
        time = np.tile(np.arange(periods), groups * units)
        shock = rng.normal(scale=ICC**0.5, size=(groups, periods))[cluster, time]
        noise = rng.normal(scale=(1 - ICC) ** 0.5, size=len(unit))
        y = rng.normal(size=groups * units)[unit] + 0.1 * time + shock + noise
        d = (treated_cluster[cluster] & (time >= start)).astype(np.int64)
        cols = {"c": cluster, "u": unit, "t": time, "d": d, "y": y}
        return cols, DiD(unit="u", time="t", treated="d", cluster="c")
    people = 40
    cluster = np.repeat(np.arange(groups), people)
    post = rng.integers(0, 2, groups * people)
    shock = rng.normal(scale=ICC**0.5, size=(groups, 2))[cluster, post]
    group = treated_cluster[cluster].astype(np.int64)
    y = group + post + shock + rng.normal(scale=(1 - ICC) ** 0.5, size=len(post))
    cols = {"c": cluster, "g": group, "p": post, "y": y}
    return cols, DiD2x2(group="g", post="p", cluster="c")


def _covers(ci: Any) -> bool:
    lo, hi = ci
    return (lo is None or lo <= 0.0) and (hi is None or hi >= 0.0)


#: column -> (inference, studentise) asked of the engine
METHODS: dict[str, tuple[str, str]] = {
    "wcr11": ("wild", "cv1"),
    "wcr13": ("wild", "cv3"),
    "cv3": ("cv3", "cv3"),
    "cr1": ("cr1", "cv3"),
    "ri": ("ri", "cv3"),
}


def _one(cols: dict[str, Any], plan: Any, seed: int, reps: int, treated: int) -> dict[str, Any]:
    """Each method's result on one panel (auto's is whichever it picked)."""
    from changemaker.evidence.engine import analyse

    got: dict[str, Any] = {}
    for name, (how, studentise) in METHODS.items():
        if treated == 1 and name in ("wcr11", "wcr13", "cv3"):
            continue  # not valid with one treated cluster
        got[name] = analyse(
            cols,
            design=plan,
            outcome="y",
            inference=how,  # type: ignore[arg-type]
            seed=seed,
            reps=reps,
            studentise=studentise,  # type: ignore[arg-type]
        )
    auto = analyse(cols, design=plan, outcome="y", seed=seed, reps=reps)
    got["auto"] = auto
    return got


def row(design: str, groups: int, treated: int, sims: int, seed: int, reps: int) -> dict[str, Any]:
    """Coverage of each method, WCR11's rejection rate at the true value (the diagnosis: the
    interval inverts the test, so the two add up to 1) and what "auto" used."""
    hits: dict[str, int] = {name: 0 for name in (*METHODS, "auto")}
    rejects = 0
    chosen: set[str] = set()
    for s in range(sims):
        cols, plan = panel(design, groups, treated, seed + s)
        got = _one(cols, plan, seed + s, reps, treated)
        for name, result in got.items():
            hits[name] += int(_covers(result.ci))
        chosen.add(got["auto"].inference)
        if "wcr11" in got:
            rejects += int(got["wcr11"].p <= 0.05)
    out: dict[str, Any] = {name: (hits[name] / sims if name in got else None) for name in hits}
    out["wcr11_rejects_at_0"] = rejects / sims if treated > 1 else None
    out |= {"design": design, "groups": groups, "treated": treated, "auto_uses": sorted(chosen)}
    return out


COLUMNS = ("wcr11", "wcr11_rejects_at_0", "wcr13", "cv3", "cr1", "ri", "auto")


def _cell(value: float | None) -> str:
    return "    - " if value is None else f"{value:6.3f}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--sims", type=int, default=2_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--reps", type=int, default=999)
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--json", action="store_true", help="one JSON line per row")
    a = ap.parse_args()
    print(
        f"coverage of 95% intervals, {a.sims:,} simulated panels per row, no true effect, "
        f"ICC {ICC}, seed {a.seed}, {a.reps:,} bootstrap draws"
    )
    print(
        f"{'design':<8} {'G':>3} {'treated':>7} {'WCR11':>6} {'rej@0':>6} {'WCR13':>6} "
        f"{'CV3':>6} {'CR1':>6} {'RI':>6} {'auto':>6}  auto uses"
    )
    missed = []
    for design, groups, treated in ROWS:
        r = row(design, groups, treated, a.sims, a.seed, a.reps)
        if a.json:
            print(json.dumps(r))
        cells = " ".join(
            _cell(r[k])
            for k in ("wcr11", "wcr11_rejects_at_0", "wcr13", "cv3", "cr1", "ri", "auto")
        )
        print(
            f"{design:<8} {groups:>3} {treated:>7} {cells}  " + ", ".join(r["auto_uses"]),
            flush=True,
        )
        lo, hi = COVERAGE_BAND
        if treated >= 2 and groups <= 10 and not lo <= r["auto"] <= hi:
            missed.append(f"{design} G={groups} treated={treated}")
    if missed:
        print("auto outside 0.93-0.97: " + "; ".join(missed))
        return 2 if a.strict else 0
    print("auto within 0.93-0.97 on every row with 6-10 clusters, 2+ treated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
