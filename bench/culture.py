"""Culture survey: the report's time and memory as it grows, and how much disclosure control
publishes against the sibling rule (made safe, and raw) and the Glint-style rule, and what each
leaves derivable.

    python bench/culture.py [--sizes 0.25,0.5,1] [--orgs 20] [--attack-orgs 12] [--skip-speed]

1. Speed. For each size factor f a child process generates f x (20,000 respondents per wave,
   1,500 units) x 40 items x 3 waves with two breakdown columns (grade: 5 values, site: 3
   values; one value blank), writes the three CSV files, then times
   ``report_from_files`` (reading and checking the files, scores, suppression for every wave,
   reliability): CPU seconds from after the imports (the machine is shared) and peak memory as
   the child's whole peak and its growth from the start of the clock. Printed with the growth
   ratios between sizes.
2. Publication. On ``--orgs`` randomised organisations with many small teams (300 units, 4,000
   respondents, both breakdowns, minimum 10), the share of cells with n >= min that each method
   publishes (``lattice``: ours; ``sibling-safe``: the sibling rule's suppressions followed by
   the same exact repair as ours, the fair baseline; ``sibling`` and ``glint`` raw, leaky),
   over all cells and over the overall table (no breakdown) separately, and the number of
   lines through which a group of 1 to min - 1 people is derivable according to the lattice's
   check (``disclosure.violations``), and the organisations where the exact check
   (``derivable.py``) finds one.
3. Leaks under the independent attacker (tests/attacker.py: exact rational row space and
   integer ranges) on ``--attack-orgs`` small organisations (14 units, 110 people, one
   breakdown, minimum 5): the organisations where each method leaves a group derivable.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

BREAKDOWNS = {"grade": 5, "site": 3}


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def worker(factor: float) -> None:
    from changemaker.culture.engine import synthetic
    from changemaker.culture.engine.report import report_from_files

    survey = synthetic.survey(
        n_units=int(1500 * factor),
        n_respondents=int(20_000 * factor),
        n_items=40,
        n_waves=3,
        breakdowns=BREAKDOWNS,
        seed=1,
    )
    with tempfile.TemporaryDirectory() as folder:
        paths = synthetic.write_csv(survey, folder)
        del survey
        rss0 = _rss_mib()
        t0 = time.process_time()
        report = report_from_files(*paths, breakdowns=tuple(BREAKDOWNS))
        seconds = time.process_time() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    cells = report["cells"]
    print(
        json.dumps(
            {
                "seconds": seconds,
                "maxrss_mib": peak,
                "work_mib": peak - rss0,
                "cells": len(cells),
                "published": sum(not c["suppressed"] for c in cells),
            }
        )
    )


def speed(sizes: list[float]) -> None:
    print("1. Speed: f x (20,000 respondents/wave, 1,500 units), 40 items, 3 waves, 2 breakdowns")
    print(
        f"{'f':>5} {'resp/wave':>9} {'units':>6} {'cells':>8} {'CPU s':>7} {'peak MiB':>9} "
        f"{'work MiB':>9}"
    )
    rows = []
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1")
    for f in sizes:
        proc = subprocess.run(
            [sys.executable, __file__, "--worker", str(f)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        if proc.returncode != 0:
            print(f"{f:>5}: failed\n{proc.stderr[-2000:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append((f, r))
        print(
            f"{f:>5} {int(20000 * f):>9} {int(1500 * f):>6} {r['cells']:>8} "
            f"{r['seconds']:>7.2f} {r['maxrss_mib']:>9.0f} {r['work_mib']:>9.0f}"
        )
    for (f0, a), (f1, b) in itertools.pairwise(rows):
        print(
            f"  x{f1 / f0:.1f} size: time x{b['seconds'] / a['seconds']:.2f}, "
            f"work memory x{b['work_mib'] / max(a['work_mib'], 1e-9):.2f}"
        )


def publication(n_orgs: int) -> None:
    import numpy as np

    from changemaker.culture.engine import synthetic
    from changemaker.culture.engine.derivable import Table
    from changemaker.culture.engine.disclosure import METHODS, Lattice, suppress, violations
    from changemaker.culture.engine.scoring import score

    print(
        f"\n2. Publication: {n_orgs} organisations of 300 units, 4,000 respondents, "
        "grade (5) and site (3), minimum 10"
    )
    # published, eligible, published overall, eligible overall, lines, orgs, orgs (exact)
    totals = {m: [0, 0, 0, 0, 0, 0, 0] for m in METHODS}
    seconds = dict.fromkeys(METHODS, 0.0)
    for seed in range(n_orgs):
        s = synthetic.survey(
            n_units=300, n_respondents=4000, n_items=8, breakdowns=BREAKDOWNS, seed=100 + seed
        )
        slices, tables = score(s.responses, s.items, s.units, tuple(BREAKDOWNS))
        lattice = Lattice(s.units.parent, slices.group)
        counts = [
            tables[(0, sc)].n for sc in ("mission", "creativity", "autonomy", "collaboration")
        ]
        eligible = np.all([c.ravel() >= 10 for c in counts], axis=0)
        overall = np.zeros_like(eligible).reshape(len(s.units.ids), len(slices))
        overall[:, 0] = True
        overall = overall.ravel()
        for m in METHODS:
            t0 = time.process_time()
            hidden = suppress(lattice, counts, 10, m)
            seconds[m] += time.process_time() - t0
            shown = ~hidden
            t = totals[m]
            t[0] += int((shown & eligible).sum())
            t[1] += int(eligible.sum())
            t[2] += int((shown & eligible & overall).sum())
            t[3] += int((eligible & overall).sum())
            full = lattice.full_hidden(hidden)
            broken = sum(
                len(violations(lattice, full, lattice.variables(c), 10)[0]) for c in counts[:1]
            )
            t[4] += broken
            t[5] += broken > 0
            table = Table(lattice.parent, lattice.group_slices, lattice.n_real, hidden)
            shape = (lattice.n_units, lattice.n_real)
            t[6] += any(table.find(c.reshape(shape), 10) is not None for c in counts)
    print(
        f"{'method':>12} {'all cells':>10} {'overall':>8} {'leaky lines':>12} "
        f"{'orgs with a leak':>17} {'exact':>8} {'CPU s':>6}"
    )
    for m in METHODS:
        pub, elig, pov, eov, lines, orgs, exact = totals[m]
        print(
            f"{m:>12} {100 * pub / elig:>9.1f}% {100 * pov / eov:>7.1f}% {lines:>12} "
            f"{orgs:>10}/{n_orgs:<6} {exact:>4}/{n_orgs:<3} {seconds[m]:>6.1f}"
        )
    print(
        "  (share of cells with n >= min that are published; leaky lines: lines of the first "
        "scale through which a group of 1..min-1 is derivable, by the lattice's check; exact: "
        "organisations where the exact check (derivable.py) finds a derivable group, any scale)"
    )


def attack(n_orgs: int) -> None:
    from changemaker.culture.engine import synthetic
    from changemaker.culture.engine.disclosure import METHODS
    from changemaker.culture.engine.report import build_report
    from changemaker.culture.engine.tests import attacker

    print(
        f"\n3. Independent attacker: {n_orgs} organisations of 14 units, 110 people, "
        "grade (3), minimum 5"
    )
    found = dict.fromkeys(METHODS, 0)
    published = dict.fromkeys(METHODS, 0)
    for seed in range(n_orgs):
        s = synthetic.survey(
            n_units=14, n_respondents=110, n_items=4, breakdowns={"grade": 3}, seed=seed
        )
        for m in METHODS:
            rep = build_report(
                s.units, s.items, s.responses, min_group=5, breakdowns=("grade",), method=m
            )
            t = attacker.build(
                s.units,
                s.items,
                s.responses,
                rep,
                wave="W1",
                scale="mission",
                columns=("grade",),
                minimum=5,
            )
            published[m] += sum(not c["suppressed"] for c in t.cells)
            leaks = attacker.linear_disclosures(t) + attacker.interval_disclosures(t)[0]
            found[m] += bool(leaks)
    for m in METHODS:
        print(
            f"{m:>12}: {published[m]:>4} cells published, a group derivable in "
            f"{found[m]}/{n_orgs} organisations"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--worker", type=float)
    parser.add_argument("--sizes", default="0.25,0.5,1")
    parser.add_argument("--orgs", type=int, default=20)
    parser.add_argument("--attack-orgs", type=int, default=12)
    parser.add_argument("--skip-speed", action="store_true")
    args = parser.parse_args()
    if args.worker is not None:
        worker(args.worker)
        return
    if not args.skip_speed:
        speed([float(x) for x in args.sizes.split(",")])
    publication(args.orgs)
    attack(args.attack_orgs)


if __name__ == "__main__":
    main()
