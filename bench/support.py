"""Benchmark: the support matcher against a dense exact assignment solve.

    python bench/support.py [--requests 10000] [--volunteers 5000] [--seed 1]
                            [--dense-requests 3000] [--dense-volunteers 1500]
                            [--strict] [--no-sparse]

Generates a seeded, realistic county instance (people around the towns of a
Staffordshire-like county, see ``changemaker.support.engine.synthetic``) and
writes it as the two CSV files of ``changemaker support match``. Then, each in
its own fresh subprocess so that time and peak memory are its own:

1. the engine (CSV read + k-d tree candidates + OR-Tools min-cost flow +
   explanations) on the big instance (target: under 10 s and 1 GB);
2. the engine on a smaller instance from the same generator;
3. the dense exact solve (scipy ``linear_sum_assignment`` on the expanded cost
   matrix, :mod:`changemaker.support.engine.reference`) on that smaller instance;
4. unless ``--no-sparse``, the same expanded assignment solved sparsely (scipy's
   LAPJVsp, ``min_weight_full_bipartite_matching``) on the big instance's
   candidate pairs, an exact check of the big run independent of OR-Tools.

Both engine runs are checked for feasibility independently of the engine. The
script exits 1 if the engine's and an exact solver's objectives disagree (or a
result is infeasible), and, with ``--strict``, 2 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

TARGET_SECONDS = 10.0
TARGET_MB = 1024.0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _feasibility_problems(requests: list[Any], volunteers: list[Any], result: Any) -> list[str]:
    from changemaker.support.engine.geo import haversine_km
    from changemaker.support.engine.reference import eligible

    req = {r.request_id: r for r in requests}
    vol = {v.volunteer_id: v for v in volunteers}
    problems: list[str] = []
    load = Counter(a.volunteer_id for a in result.assignments)
    problems += [f"{v} over capacity" for v, n in load.items() if n > vol[v].capacity]
    seen = [a.request_id for a in result.assignments] + [u.request_id for u in result.unmatched]
    if sorted(seen) != sorted(req):
        problems.append("requests missing or duplicated in the result")
    for a in result.assignments:
        r, v = req[a.request_id], vol[a.volunteer_id]
        d = float(haversine_km([r.lat], [r.lon], [v.lat], [v.lon])[0])
        if d != a.distance_km or not eligible(r, v, d):
            problems.append(f"{a.request_id} -> {a.volunteer_id} is not eligible")
    return problems[:5]


def child(kind: str, requests_csv: str, volunteers_csv: str) -> None:
    """Run one solver in this (fresh) process and print one JSON line."""
    t0 = time.perf_counter()
    from changemaker.support.engine import Matcher, read_requests, read_volunteers
    from changemaker.support.engine.reference import solve_exact, solve_exact_sparse

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    requests = read_requests(requests_csv)
    volunteers = read_volunteers(volunteers_csv)
    t_read = time.perf_counter() - t0
    out: dict[str, Any] = {"kind": kind, "import_s": t_import, "read_s": t_read}
    if kind == "engine":
        t0 = time.perf_counter()
        result = Matcher().match(requests, volunteers)
        out["solve_s"] = time.perf_counter() - t0
        out["peak_mb"] = _peak_mb()
        out["phases"] = result.timings
        out["weight"] = result.objective.weight
        out["max_weight"] = result.objective.max_weight
        out["km"] = result.objective.distance_km
        out["matched"] = result.objective.matched
        out["resolution_m"] = result.objective.resolution_m
        out["reasons"] = dict(Counter(u.reason.value for u in result.unmatched))
        out["problems"] = _feasibility_problems(requests, volunteers, result)
    else:
        solver = solve_exact if kind == "exact" else solve_exact_sparse
        t0 = time.perf_counter()
        exact = solver(requests, volunteers)
        out["solve_s"] = time.perf_counter() - t0
        out["peak_mb"] = _peak_mb()
        out["weight"] = exact.weight
        out["km"] = exact.distance_km
        out["matched"] = len(exact.pairs)
        out["problems"] = []
    print(json.dumps(out))


def _write_instance(folder: Path, n: int, m: int, seed: int) -> tuple[str, str]:
    from changemaker.support.engine import write_requests, write_volunteers
    from changemaker.support.engine.synthetic import generate

    requests, volunteers = generate(n, m, seed=seed)
    r_path, v_path = folder / f"requests-{n}.csv", folder / f"volunteers-{m}.csv"
    with r_path.open("w", encoding="utf-8", newline="") as fh:
        write_requests(fh, requests)
    with v_path.open("w", encoding="utf-8", newline="") as fh:
        write_volunteers(fh, volunteers)
    return str(r_path), str(v_path)


def _run(kind: str, paths: tuple[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, *paths],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"{kind} subprocess failed with exit code {proc.returncode}")
    data: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--volunteers", type=int, default=5_000)
    parser.add_argument("--dense-requests", type=int, default=3_000)
    parser.add_argument("--dense-volunteers", type=int, default=1_500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--strict", action="store_true", help="exit 2 when a target is missed")
    parser.add_argument(
        "--no-sparse", action="store_true", help="skip the sparse exact check of the big instance"
    )
    parser.add_argument("--child", nargs=3, metavar=("KIND", "REQUESTS", "VOLUNTEERS"))
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0

    with tempfile.TemporaryDirectory(prefix="bench-support-") as tmp:
        folder = Path(tmp)
        print(
            f"Generating seeded county instances (seed {args.seed}): "
            f"{args.requests} x {args.volunteers} and "
            f"{args.dense_requests} x {args.dense_volunteers} ...",
            flush=True,
        )
        big = _write_instance(folder, args.requests, args.volunteers, args.seed)
        small = _write_instance(folder, args.dense_requests, args.dense_volunteers, args.seed)
        big_name = f"{args.requests} x {args.volunteers}"
        small_name = f"{args.dense_requests} x {args.dense_volunteers}"
        runs = [
            (big_name, "engine (k-d tree + OR-Tools MCF)", _run("engine", big)),
            (small_name, "engine (k-d tree + OR-Tools MCF)", _run("engine", small)),
            (small_name, "exact dense (linear_sum_assignment)", _run("exact", small)),
        ]
        if not args.no_sparse:
            runs.append((big_name, "exact sparse (LAPJVsp on candidates)", _run("sparse", big)))

    head = ("instance", "solver", "read s", "solve s", "peak MB", "weight", "km", "matched")
    rows = [
        (
            inst,
            name,
            f"{r['read_s']:.2f}",
            f"{r['solve_s']:.2f}",
            f"{r['peak_mb']:.0f}",
            str(r["weight"]),
            f"{r['km']:.3f}",
            str(r["matched"]),
        )
        for inst, name, r in runs
    ]
    widths = [max(len(h), *(len(row[k]) for row in rows)) for k, h in enumerate(head)]
    print()
    for row in (head, tuple("-" * w for w in widths), *rows):
        cells = [c.ljust(widths[k]) if k < 2 else c.rjust(widths[k]) for k, c in enumerate(row)]
        print("  ".join(cells))
    print()

    big_run, eng, dense = runs[0][2], runs[1][2], runs[2][2]
    phases = ", ".join(f"{k} {v:.2f}" for k, v in big_run["phases"].items())
    print(f"engine phases on {big_name} (s): {phases}")
    print(f"unmatched reasons on {big_name}: {big_run['reasons']}")
    ratio = dense["solve_s"] / eng["solve_s"]
    print(f"dense exact / engine solve time on {small_name}: {ratio:.1f}x")

    failed = False
    for inst, name, r in runs:
        if r["problems"]:
            failed = True
            print(f"INFEASIBLE: {inst} {name}: {r['problems']}")
    checks = [(small_name, eng, dense)]
    if len(runs) > 3:
        checks.append((big_name, big_run, runs[3][2]))
    for inst, mine, ref in checks:
        noise = 1e-9 * (1.0 + ref["km"])
        slack = mine["matched"] * mine["resolution_m"] / 1000.0
        agree = mine["weight"] == ref["weight"] and (
            ref["km"] - noise <= mine["km"] <= ref["km"] + slack + noise
        )
        failed = failed or not agree
        print(
            f"objectives agree on {inst}: {'yes' if agree else 'NO'} "
            f"(weight {mine['weight']} vs {ref['weight']}; km difference "
            f"{mine['km'] - ref['km']:+.2e}, allowed 0 to {slack:.2e} "
            f"for {mine['resolution_m'] * 1000:g} mm rounding)"
        )
    total = big_run["read_s"] + big_run["solve_s"]
    time_ok = total < TARGET_SECONDS
    mem_ok = big_run["peak_mb"] < TARGET_MB
    print(
        f"target on {big_name}: read + match {total:.2f} s "
        f"({'under' if time_ok else 'OVER'} {TARGET_SECONDS:g} s), "
        f"peak {big_run['peak_mb']:.0f} MB ({'under' if mem_ok else 'OVER'} {TARGET_MB:g} MB)"
    )
    if failed:
        return 1
    if args.strict and not (time_ok and mem_ok):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
