"""Benchmark: the evidence engine side by side with pyfixest and diff-diff, and the coverage
of its small-sample inference.

    python bench/evidence.py [--units 2000] [--periods 60] [--repeat 2] [--seed 1]
                             [--coverage 400] [--no-cli] [--strict]

Every run happens in its own fresh subprocess, so that wall time (interpreter start, imports,
the work) and peak memory (the child's max RSS from ``wait4``) are its own; the panel is
generated in the child before its clock starts; each side runs ``--repeat`` times, alternating,
and the fastest is kept (the machine is shared):

1. difference-in-differences, two-way fixed effects on a 2,000-unit × 60-period panel with a
   staggered adoption: ``pyfixest.feols("y ~ d | unit + time", vcov={"CRV1": "unit"})`` against
   ``analyse(..., design=DiD(...), inference="cr1")``, which also fits the event study
   (every lead and lag) and the pre-trend test;
2. the staggered design (Callaway and Sant'Anna, never-treated controls) on the same panel:
   ``diff_diff.CallawaySantAnna().fit(...)`` (overall ATT) against ``analyse(..., design=
   Staggered(...))`` (overall ATT, every ATT(g,t), the event study and the pre-trend test);
3. the real command, ``changemaker evidence analyse PANEL.csv --design did ... --format json``,
   reading the CSV the parent wrote;
4. coverage (``--coverage N`` simulated data sets, 0 to skip): how often the 95% interval of the
   wild cluster restricted bootstrap covers the true effect on 2x2 designs with 6, 8 and 10
   clusters (a cluster-level shock, effect 1), next to CR1's t(G−1) interval; and of
   randomisation inference with one treated unit among 40.

Targets: the engine faster than the fastest reference for both designs; coverage within
0.93-0.97 for the bootstrap. Exit 2 with ``--strict`` if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
COVERAGE_BAND = (0.93, 0.97)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _panel(units: int, periods: int, seed: int) -> Any:
    """A panel as a dict of numpy columns: cohorts start at 10 dates or never (a third)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    starts = np.linspace(periods // 4, periods - 5, 10).astype(np.int64)
    first = np.where(rng.random(units) < 1 / 3, 0, rng.choice(starts, units))
    unit = np.repeat(np.arange(units), periods)
    t = np.tile(np.arange(1, periods + 1), units)
    f = first[unit]
    d = ((f > 0) & (t >= f)).astype(np.int64)
    y = (
        rng.normal(size=units)[unit]
        + 0.05 * t
        + d * (1.0 + 0.02 * (t - f))
        + rng.normal(size=units * periods)
    )
    return {"unit": unit, "time": t, "first": f, "d": d, "y": y}


# ------------------------------------------------------------------------------------------
# children


def child(kind: str, units: int, periods: int, seed: int) -> dict[str, Any]:
    cols = _panel(units, periods, seed)
    out: dict[str, Any] = {}
    t0 = time.perf_counter()
    if kind == "ours-did":
        from changemaker.evidence.engine import DiD, analyse

        t_imp = time.perf_counter()
        r = analyse(
            cols, design=DiD(unit="unit", time="time", treated="d"), outcome="y", inference="cr1"
        )
        out |= {"estimate": r.estimate, "se": r.se, "leads_lags": len(r.event_study)}
    elif kind == "pyfixest-did":
        import pandas as pd
        import pyfixest as pf

        t_imp = time.perf_counter()
        fit = pf.feols("y ~ d | unit + time", data=pd.DataFrame(cols), vcov={"CRV1": "unit"})
        row = fit.tidy().loc["d"]
        out |= {"estimate": float(row["Estimate"]), "se": float(row["Std. Error"])}
    elif kind == "ours-staggered":
        from changemaker.evidence.engine import Staggered, analyse

        t_imp = time.perf_counter()
        r = analyse(
            cols,
            design=Staggered(unit="unit", time="time", first_treated="first"),
            outcome="y",
            inference="cr1",
        )
        out |= {"estimate": r.estimate, "se": r.se, "cells": len(r.att_gt)}
    elif kind == "diffdiff-staggered":
        import warnings

        import pandas as pd
        from diff_diff import CallawaySantAnna

        t_imp = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cs = CallawaySantAnna(control_group="never_treated").fit(
                pd.DataFrame(cols), outcome="y", unit="unit", time="time", first_treat="first"
            )
        out |= {
            "estimate": float(cs.overall_att),
            "se": float(cs.overall_se),
            "cells": len(cs.group_time_effects),
        }
    else:
        raise SystemExit(f"unknown child {kind}")
    t1 = time.perf_counter()
    out |= {"import_s": t_imp - t0, "work_s": t1 - t_imp}
    return out


def child_coverage(sims: int, seed: int) -> dict[str, Any]:
    import numpy as np

    from changemaker.evidence.engine import DiD, DiD2x2, analyse

    rng = np.random.default_rng(seed)
    res: dict[str, Any] = {}
    for g in (6, 8, 10):
        hit_wild = hit_cr1 = 0
        for s in range(sims):
            n = 40 * g
            cluster = np.repeat(np.arange(g), 40)
            group = (np.arange(g) % 2)[cluster]
            post = rng.integers(0, 2, n)
            shock = rng.normal(size=(g, 2))[cluster, post]  # cluster × period shocks
            y = group + post + 1.0 * group * post + shock + rng.normal(size=n)
            cols = {"c": cluster, "g": group, "p": post, "y": y}
            design = DiD2x2(group="g", post="p", cluster="c")
            w = analyse(cols, design=design, outcome="y", inference="wild", seed=s, reps=999)
            c = analyse(cols, design=design, outcome="y", inference="cr1")
            lo, hi = w.ci
            hit_wild += int((lo is None or lo <= 1.0) and (hi is None or hi >= 1.0))
            hit_cr1 += int(c.ci[0] <= 1.0 <= c.ci[1])  # type: ignore[operator]
        res[f"wild_{g}"] = hit_wild / sims
        res[f"cr1_{g}"] = hit_cr1 / sims
    units, periods, hit_ri, rejected = 40, 6, 0, 0
    ri_sims = max(1, sims // 4)
    for _ in range(ri_sims):
        u = np.repeat(np.arange(units), periods)
        t = np.tile(np.arange(periods), units)
        d = ((u == 0) & (t >= 3)).astype(np.int64)
        y = rng.normal(size=units)[u] + 0.2 * t + 1.0 * d + rng.normal(size=units * periods)
        r = analyse(
            {"u": u, "t": t, "d": d, "y": y},
            design=DiD(unit="u", time="t", treated="d"),
            outcome="y",
        )
        lo, hi = r.ci
        hit_ri += int((lo is None or lo <= 1.0) and (hi is None or hi >= 1.0))
        rejected += int(r.p <= 0.05)
    res["ri_40"] = hit_ri / ri_sims
    res["ri_sims"] = ri_sims
    return res


# ------------------------------------------------------------------------------------------
# parent


def run_child(args: list[str]) -> dict[str, Any]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(Path(__file__).resolve()), "--child", *args],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child {args} failed")
    data: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    data["wall_s"] = wall
    data["peak_mb"] = usage.ru_maxrss / 1024.0
    return data


def run_cli(path: Path) -> dict[str, Any]:
    exe = Path(sys.executable).with_name("changemaker")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "changemaker.cli"]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO / "src") + os.pathsep + env.get("PYTHONPATH", "")
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [
            *cmd,
            "evidence",
            "analyse",
            str(path),
            "--design",
            "did",
            "--unit",
            "unit",
            "--time",
            "time",
            "--treated",
            "d",
            "--outcome",
            "y",
            "--format",
            "json",
        ],
        stdout=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit("changemaker evidence analyse failed")
    data = json.loads(out)
    return {"wall_s": wall, "peak_mb": usage.ru_maxrss / 1024.0, "estimate": data["estimate"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--units", type=int, default=2_000)
    ap.add_argument("--periods", type=int, default=60)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=2)
    ap.add_argument("--coverage", type=int, default=400, help="simulated data sets (0: skip)")
    ap.add_argument("--no-cli", action="store_true")
    ap.add_argument("--strict", action="store_true")
    ap.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    a = ap.parse_args()

    if a.child:
        kind, *rest = a.child
        if kind == "coverage":
            res = child_coverage(int(rest[0]), int(rest[1]))
        else:
            res = child(kind, *(int(x) for x in rest))
        res["self_peak_mb"] = _peak_mb()
        print(json.dumps(res))
        return 0

    missed: list[str] = []
    size = [str(a.units), str(a.periods), str(a.seed)]
    print(
        f"panel: {a.units:,} units x {a.periods} periods = {a.units * a.periods:,} rows "
        f"(seed {a.seed}); fastest of {a.repeat} run(s) per side"
    )
    print(f"{'side':<28} {'whole s':>8} {'import':>7} {'work':>7} {'peak MB':>8}  estimate (se)")
    for label, ours, refs in (
        ("did (TWFE, CR1)", "ours-did", ["pyfixest-did"]),
        ("staggered (CS)", "ours-staggered", ["diffdiff-staggered"]),
    ):
        runs: dict[str, list[dict[str, Any]]] = {k: [] for k in [ours, *refs]}
        for _ in range(max(1, a.repeat)):
            for k in [*refs, ours]:
                runs[k].append(run_child([k, *size]))
        best = {k: min(v, key=lambda r: r["wall_s"]) for k, v in runs.items()}
        print(f"-- {label}")
        for k, r in best.items():
            print(
                f"{k:<28} {r['wall_s']:8.2f} {r['import_s']:7.2f} {r['work_s']:7.2f} "
                f"{r['peak_mb']:8.0f}  {r['estimate']:.6f} ({r['se']:.6f})"
            )
        fastest = min(best[k]["wall_s"] for k in refs)
        ratio = fastest / best[ours]["wall_s"]
        work_ratio = min(best[k]["work_s"] for k in refs) / best[ours]["work_s"]
        same = all(
            abs(best[k]["estimate"] - best[ours]["estimate"]) < 1e-6
            and abs(best[k]["se"] - best[ours]["se"]) < 1e-6
            for k in refs
        )
        print(
            f"   fastest reference / engine: whole process {ratio:.1f}x, work only "
            f"{work_ratio:.1f}x; same estimate and se (1e-6): {same}"
        )
        if ratio < 1.0:
            missed.append(f"{label} speed")
        if not same:
            missed.append(f"{label} agreement")

    if not a.no_cli:
        from_child = _panel_csv(a.units, a.periods, a.seed)
        try:
            cli = run_cli(from_child)
        finally:
            from_child.unlink()
        print(
            f"changemaker evidence analyse PANEL.csv --design did (CSV read, event study, "
            f"JSON): {cli['wall_s']:.2f} s, peak {cli['peak_mb']:.0f} MB"
        )

    if a.coverage:
        print(
            f"\ncoverage of 95% intervals, {a.coverage} simulated 2x2 designs per row "
            "(cluster x period shocks, 40 people per cluster):"
        )
        c = run_child(["coverage", str(a.coverage), str(a.seed)])
        for g in (6, 8, 10):
            print(
                f"  {g:>2} clusters: wild bootstrap {c[f'wild_{g}']:.3f}   "
                f"CR1 t(G-1) {c[f'cr1_{g}']:.3f}"
            )
            if not COVERAGE_BAND[0] <= c[f"wild_{g}"] <= COVERAGE_BAND[1]:
                missed.append(f"wild coverage with {g} clusters")
        print(
            f"  randomisation inference, 1 treated unit of 40: {c['ri_40']:.3f} "
            f"({c['ri_sims']} simulations)"
        )
    if missed:
        print("targets missed: " + ", ".join(missed))
        return 2 if a.strict else 0
    print("all targets met")
    return 0


def _panel_csv(units: int, periods: int, seed: int) -> Path:
    import csv

    cols = _panel(units, periods, seed)
    handle = tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, newline="")  # noqa: SIM115
    with handle:
        w = csv.writer(handle)
        w.writerow(list(cols))
        w.writerows(zip(*(c.tolist() for c in cols.values()), strict=True))
    return Path(handle.name)


if __name__ == "__main__":
    sys.exit(main())
