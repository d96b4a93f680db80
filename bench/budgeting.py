"""Participatory budgeting: our engine side by side with pabutools on the largest shared files.

    python bench/budgeting.py [--data DIR] [--files A.pb,B.pb] [--tasks parse,greedy,...]

For each file and task (parse, greedy, mes, mes+add1, phragmen) both sides run in their own
subprocess, which reads the file and counts (the "whole process"); we report CPU seconds from
after the imports to the selection (CPU time, because the machine is shared), the ratio, and
peak memory twice: the child's whole peak (ru_maxrss, interpreter and libraries included) and
the peak growth from after the imports (ru_maxrss minus the resident size when the clock
starts), i.e. the memory the reading and counting took, measured from the same point as the
time. Then whether the selections agree. A child imports only what its side needs (the
harness adds json, os, resource, sys, time): for us the reader and the rules, and numpy
(``engine/mes.py``) only for greedy and MES; reading and Phragmén run without it. pabutools gets
its fastest setting: identical ballots merged (``as_multiprofile``). MES+add1 is compared with
pabutools' own add1 (budget/n + k per voter, stop when exhaustive), i.e. our
``add1_start="exact"``. Exits 1 if any selection differs.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (REPO / ".." / "shared" / "data" / "pabulib").resolve()
DEFAULT_FILES = [
    "Poland_Lodz_2022.pb",
    "Poland_Wroclaw_2015_150_-_500.pb",
    "Poland_Warszawa_2020_Praga-Poludnie.pb",
]
TASKS = ["parse", "greedy", "mes", "mes+add1", "phragmen"]


def _ours(path: str, task: str) -> list[str]:
    from changemaker.budgeting.engine.pabulib import read_pabulib
    from changemaker.budgeting.engine.rules import count

    if task not in ("parse", "phragmen"):  # greedy and MES count with numpy (engine/mes.py)
        import changemaker.budgeting.engine.mes  # noqa: F401
    _start()
    election = read_pabulib(path)
    if task == "parse":
        return []
    if task == "greedy":
        return list(count(election, rule="greedy").selected)
    if task == "mes":
        return list(count(election, rule="mes").selected)
    if task == "mes+add1":
        return list(count(election, rule="mes", completion="add1", add1_start="exact").selected)
    return sorted(count(election, rule="phragmen").selected)


def _theirs(path: str, task: str) -> list[str]:
    from pabutools.election import Cost_Sat
    from pabutools.election.pabulib import parse_pabulib
    from pabutools.rules import (
        greedy_utilitarian_welfare,
        method_of_equal_shares,
        sequential_phragmen,
    )

    _start()
    instance, profile = parse_pabulib(path)
    if task == "parse":
        return []
    multi = profile.as_multiprofile()
    if task == "greedy":
        return [p.name for p in greedy_utilitarian_welfare(instance, multi, sat_class=Cost_Sat)]
    if task == "mes":
        return [p.name for p in method_of_equal_shares(instance, multi, sat_class=Cost_Sat)]
    if task == "mes+add1":
        out = method_of_equal_shares(instance, multi, sat_class=Cost_Sat, voter_budget_increment=1)
        return [p.name for p in out]
    return sorted(p.name for p in sequential_phragmen(instance, multi))


_T0: list[float] = []


_RSS0: list[float] = []


def _rss_mib() -> float:
    """The resident size now (Linux), in MiB."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _start() -> None:
    """Start the clock once the libraries are imported (imports are not counted)."""
    _RSS0[:] = [_rss_mib()]
    _T0[:] = [time.process_time()]


def worker(side: str, task: str, path: str) -> None:
    selected = (_ours if side == "ours" else _theirs)(path, task)
    seconds = time.process_time() - _T0[0]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    work = peak - _RSS0[0]
    out = {"seconds": seconds, "selected": selected, "maxrss_mib": peak, "work_mib": work}
    print(json.dumps(out))


def run(side: str, task: str, path: Path, timeout: float) -> dict[str, object]:
    import subprocess

    # Neither side uses BLAS; OpenBLAS' idle worker threads would spin after numpy's import and
    # add their CPU time to the child's (about 0.02 s on Wroclaw), so they are not started.
    env = dict(os.environ, PYTHONPATH=str(REPO / "src"), OPENBLAS_NUM_THREADS="1")
    cmd = [sys.executable, __file__, "--worker", side, task, str(path)]
    start = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s", "wall": time.perf_counter() - start}
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    result: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start
    return result


def main() -> int:
    if sys.argv[1:2] == ["--worker"]:  # a child: nothing imported but what the side needs
        worker(*sys.argv[2:5])
        return 0
    import argparse

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the .pb files")
    ap.add_argument("--files", default=",".join(DEFAULT_FILES))
    ap.add_argument("--tasks", default=",".join(TASKS))
    ap.add_argument("--timeout", type=float, default=600, help="seconds per pabutools run")
    args = ap.parse_args()
    disagree = False
    header = (
        f"{'file':<28} {'task':<9} {'ours cpu s':>10} {'pabu cpu s':>10} {'ratio':>7} "
        f"{'ours MiB':>9} {'pabu MiB':>9} {'mem ratio':>9} "
        f"{'ours work':>9} {'pabu work':>9} {'work ratio':>10}  agree"
    )
    print(header)
    print("-" * len(header))
    for name in args.files.split(","):
        path = args.data / name
        if not path.is_file():
            print(f"{name}: not found in {args.data}", file=sys.stderr)
            return 2
        for task in args.tasks.split(","):
            ours = run("ours", task, path, args.timeout)
            theirs = run("theirs", task, path, args.timeout)
            if "error" in ours:
                print(f"{name[:28]:<28} {task:<9} ours failed: {ours['error']}")
                disagree = True
                continue
            o_s = float(ours["seconds"])  # type: ignore[arg-type]
            o_m = float(ours["maxrss_mib"])  # type: ignore[arg-type]
            o_w = float(ours["work_mib"])  # type: ignore[arg-type]
            if "error" in theirs:
                print(
                    f"{name[:28]:<28} {task:<9} {o_s:>10.2f} {'>' + str(int(args.timeout)):>10} "
                    f"{'':>7} {o_m:>9.0f} {'':>9} {'':>9} {o_w:>9.1f} {'':>9} {'':>10}  "
                    f"n/a ({theirs['error']})"
                )
                continue
            t_s = float(theirs["seconds"])  # type: ignore[arg-type]
            t_m = float(theirs["maxrss_mib"])  # type: ignore[arg-type]
            t_w = float(theirs["work_mib"])  # type: ignore[arg-type]
            same = ours["selected"] == theirs["selected"]
            disagree |= not same
            print(
                f"{name[:28]:<28} {task:<9} {o_s:>10.2f} {t_s:>10.2f} {t_s / o_s:>6.1f}x "
                f"{o_m:>9.0f} {t_m:>9.0f} {t_m / o_m:>8.1f}x "
                f"{o_w:>9.1f} {t_w:>9.1f} {t_w / max(o_w, 0.1):>9.1f}x  {'yes' if same else 'NO'}",
                flush=True,
            )
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
