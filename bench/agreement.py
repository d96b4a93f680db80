"""Participatory budgeting: do we select what pabutools selects, on every shared file?

    python bench/agreement.py [--data DIR] [--files A.pb,B.pb] [--timeout S] [--file-budget S]
                              [--only KEY=VALUE,...] [--jobs N] [--passes K]

For every ``.pb`` file in the data folder (default ``../shared/data/pabulib``) and every
combination pabutools 1.2.x can count there -- greedy (each utility the ballots allow),
sequential Phragmén (approval ballots), MES with completion none / add1 / add1u, add1 stopping
when exhaustive or before it overspends, starting from budget/n (pabutools' own
``voter_budget_increment``) or from floor(budget/n) (equalshares.net; our oracle's loop around
pabutools' MES) -- and every tie-break (lexicographic, cost, votes), both sides count and the
selections are compared (Phragmén as sets; cost-0 projects that MES buys first as sets, see
``tests/oracle.py``). pabutools gets the merged ballots (``as_multiprofile``).

pabutools is asked through ``oracle.FileOracle``, which gives ``oracle.select``'s answers (a
test checks this) with far fewer pabutools passes: one run of pabutools' iterated MES serves
both add1 stops and both completions, and when the lexicographic run broke no tie its answer
stands for every tie-breaking rule (such cases are counted in the ``derived`` column).

One worker process a file reads the file once for each side, then runs the cases cheapest
first; each case has a wall-clock ``--timeout`` (a case over it is reported, not failed), and a
file stops starting new cases after ``--file-budget`` seconds (those are counted as skipped).
``--only`` keeps the cases with these settings, ``|`` between values a setting may take (e.g.
``tie_break=lexicographic,completion=add1|add1u``; a case without the key counts as
``completion=none``, ``add1_stop=exhaustive``, ``add1_start=exact``). Prints one row a file and
each disagreement; exits 1 if any selection differs. ``--jobs`` runs that many files at once
(largest first).

``--passes K`` is for files where pabutools cannot run an add1 loop to its end (Budapest 2024
needs about 22,000 passes of one forint each, at seconds a pass): for each add1/add1u case we
count the whole case, then compare our MES with pabutools' MES at K per-voter budgets spread
along our path, the pass before our last and our last (whose selection, completed by
pabutools' greedy for add1u, must be ours); status ``passes agree``. It checks every pass
we sampled, not the loop's stop at every pass in between. One add1u count of ours serves its
add1 twin (add1's outcome is add1u's ``mes_selected``; a test checks this), and pabutools'
pass at a budget serves every tie-break when its lexicographic run broke no tie (``derived``).
Rows stream as JSON lines when the worker is run alone:
``python bench/agreement.py --worker FILE TIMEOUT FILE_BUDGET '{}' K``.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = (REPO / ".." / "shared" / "data" / "pabulib").resolve()
TIES = ("lexicographic", "cost", "votes")
DEFAULTS = {"completion": "none", "add1_stop": "exhaustive", "add1_start": "exact"}


class _Timeout(Exception):
    pass


def _alarm(signum: int, frame: object) -> None:
    raise _Timeout


def cases(vote_type: str) -> Iterator[dict[str, str]]:
    """Every combination pabutools has for this vote type, cheapest first."""
    utilities = ["cost", "cardinality"]
    if vote_type in ("cumulative", "scoring"):
        utilities.append("points")
    if vote_type == "ordinal":
        utilities.append("borda")
    for tie in TIES:
        for utility in utilities:
            yield {"rule": "greedy", "utility": utility, "tie_break": tie}
    if vote_type in ("approval", "choose-1"):
        for tie in TIES:
            yield {"rule": "phragmen", "utility": "cost", "tie_break": tie}
    for tie in TIES:
        for utility in utilities:
            yield {"rule": "mes", "utility": utility, "tie_break": tie}
    for start in ("exact", "floor"):
        for stop in ("exhaustive", "overspend"):
            for completion in ("add1", "add1u"):
                for tie in TIES:
                    for utility in utilities:
                        yield {
                            "rule": "mes",
                            "utility": utility,
                            "completion": completion,
                            "add1_stop": stop,
                            "add1_start": start,
                            "tie_break": tie,
                        }


def _timed(fn: Any, timeout: float) -> tuple[str, Any, float]:
    start = time.perf_counter()
    signal.setitimer(signal.ITIMER_REAL, timeout)
    try:
        return "ok", fn(), time.perf_counter() - start
    except _Timeout:
        return "timeout", None, time.perf_counter() - start
    except Exception as exc:  # reported per case
        return "error", f"{type(exc).__name__}: {exc}"[:200], time.perf_counter() - start
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)


class _PassCache:
    """What ``--passes`` reuses between the cases of one file.

    - Ours: one add1u count for each (utility, tie-break, start, stop) answers its add1 twin
      too, because ``count`` finishes the add1 loop (``mes_selected``) before add1u's greedy
      fills what is left (a test in ``test_hypothesis_ties.py`` checks add1's selection is
      add1u's ``mes_selected``). Budapest's loop takes ours about 250 s.
    - pabutools: ``FileOracle.mes_at`` keeps each pass it runs, and answers every tie-break
      from the lexicographic run when that broke no tie, so cases with the same path share
      pabutools' passes.
    """

    def __init__(self, election: Any, fo: Any) -> None:
        self.election, self.fo = election, fo
        self.ours: dict[tuple[str, ...], Any] = {}

    def count(self, case: dict[str, str]) -> Any:
        from changemaker.budgeting.engine.rules import count

        key = (case["utility"], case["tie_break"], case["add1_start"], case["add1_stop"])
        if key not in self.ours:
            kw = {**case, "completion": "add1u"}
            self.ours[key] = count(self.election, **kw)  # type: ignore[arg-type]
        return self.ours[key]


def _pass_check(cache: _PassCache, case: dict[str, str], samples: int) -> tuple[bool, Any]:
    """Our whole add1 count, then our MES and pabutools' at sampled passes of its path."""
    from dataclasses import replace
    from fractions import Fraction
    from math import floor

    from changemaker.budgeting.engine.rules import count
    from changemaker.budgeting.engine.tests import oracle

    election, fo = cache.election, cache.fo
    out = cache.count(case)
    add1u = case.get("completion") == "add1u"
    n = election.num_voters
    start = election.budget / n
    base = Fraction(floor(start)) if case.get("add1_start") == "floor" else start
    last = 0 if out.per_voter_budget == start else int(out.per_voter_budget - base)
    ks = {last, last - 1} | {max(1, last * i // samples) for i in range(1, samples + 1)}
    zero = {p.id for p in election.projects if p.cost == 0}
    tie = oracle._tie(fo.profile, case["tie_break"])
    checked, derived = [], True
    for k in sorted(k for k in ks if k >= 0):
        per_voter = base + k if k else start
        ours = count(
            replace(election, budget=per_voter * n),
            rule="mes",
            utility=case["utility"],  # type: ignore[arg-type]
            tie_break=case["tie_break"],  # type: ignore[arg-type]
        ).selected
        theirs, from_lexico = fo.mes_at(case["utility"], case["tie_break"], per_voter)
        derived = derived and from_lexico
        names = [p.name for p in theirs]
        if not oracle.same("mes", list(ours), names, zero):
            return False, {"pass": k, "ours": ours, "pabutools": names}
        if k == last and not oracle.same("mes", list(out.mes_selected), names, zero):
            return False, {"final pass": k, "ours": out.mes_selected, "pabutools": names}
        if k == last and add1u:
            done = oracle.completion_by_rule_combination(
                fo.instance,
                fo.profile,
                [
                    lambda inst, prof, theirs=theirs, **kw: oracle.BudgetAllocation(theirs),
                    oracle.greedy_utilitarian_welfare,
                ],
                [{}, {"sat_class": oracle.Cost_Sat, "tie_breaking": tie}],
            )
            done_names = [p.name for p in done]
            if not oracle.same("mes", list(out.selected), done_names, zero):
                return False, {"completed": k, "ours": out.selected, "pabutools": done_names}
        checked.append(k)
    return True, {"passes checked": checked, "of": out.passes, "derived": derived}


def worker(
    path: str, timeout: float, budget: float, only: dict[str, str], samples: int = 0
) -> None:
    from changemaker.budgeting.engine.pabulib import read_pabulib
    from changemaker.budgeting.engine.rules import count
    from changemaker.budgeting.engine.tests import oracle

    signal.signal(signal.SIGALRM, _alarm)
    began = time.perf_counter()
    election = read_pabulib(path)
    instance, profile = oracle.load(path=path)
    fo = oracle.FileOracle(instance, profile.as_multiprofile())
    cache = _PassCache(election, fo)
    zero = {p.id for p in election.projects if p.cost == 0}
    for case in cases(election.vote_type):
        if any({**DEFAULTS, **case}.get(k) not in v.split("|") for k, v in only.items()):
            continue
        row: dict[str, Any] = {"case": case}
        if time.perf_counter() - began > budget:
            row["status"] = "skipped"
            print(json.dumps(row), flush=True)
            continue
        kw = dict(case)
        if samples and case.get("completion", "none") != "none":
            status, ok, took = _timed(lambda c=case: _pass_check(cache, c, samples), timeout)
            if status == "ok":
                row.update(status="passes agree" if ok[0] else "DIFFER", detail=ok[1], s=took)
                row["derived"] = bool(ok[0] and ok[1]["derived"])
            else:
                row.update(status="pabutools timeout" if status == "timeout" else "n/a", s=took)
                row["detail"] = ok
            print(json.dumps(row, default=str), flush=True)
            continue
        o_status, o_sel, o_s = _timed(lambda kw=kw: list(count(election, **kw).selected), timeout)
        t_status, t_out, t_s = _timed(lambda kw=kw: fo.select(**kw), timeout)
        t_sel = t_out[0] if t_status == "ok" else t_out
        row.update(ours=o_status, theirs=t_status, ours_s=o_s, theirs_s=t_s)
        if t_status == "ok":
            row["derived"] = t_out[1]
        if o_status == "ok" and t_status == "ok":
            same = oracle.same(case["rule"], o_sel, t_sel, zero)
            row["status"] = "agree" if same else "DIFFER"
            if not same:
                row["detail"] = {"ours": o_sel, "pabutools": t_sel}
        elif t_status == "timeout":
            row["status"] = "pabutools timeout"
        elif o_status == "timeout":
            row["status"] = "ours timeout"
        elif o_status == "error" and t_status == "error":
            row["status"] = "n/a"  # neither side counts this combination here
            row["detail"] = {"ours": o_sel, "pabutools": t_sel}
        else:
            row["status"] = "DIFFER"  # one side counts, the other refuses
            row["detail"] = {"ours": o_sel, "pabutools": t_sel}
        print(json.dumps(row), flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder with the .pb files")
    ap.add_argument("--files", default="", help="comma-separated names (default: all)")
    ap.add_argument("--timeout", type=float, default=60, help="seconds per case and side")
    ap.add_argument("--file-budget", type=float, default=900, help="seconds per file")
    ap.add_argument("--only", default="", help="KEY=VALUE,... settings a case must have")
    ap.add_argument("--jobs", type=int, default=1, help="files counted at once")
    ap.add_argument("--passes", type=int, default=0, help="check add1 at K sampled passes")
    ap.add_argument("--src", type=Path, default=REPO / "src", help=argparse.SUPPRESS)
    ap.add_argument("--worker", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        file, timeout, budget, only, samples = args.worker
        worker(file, float(timeout), float(budget), json.loads(only), int(samples))
        return 0
    names = args.files.split(",") if args.files else [p.name for p in args.data.glob("*.pb")]
    names.sort(key=lambda name: -(args.data / name).stat().st_size)
    env = dict(os.environ, PYTHONPATH=str(args.src))
    keys = [
        "agree",
        "derived",
        "passes agree",
        "DIFFER",
        "pabutools timeout",
        "ours timeout",
        "n/a",
        "skipped",
    ]
    labels = {"pabutools timeout": "pabu t/o", "ours timeout": "ours t/o", "passes agree": "passes"}
    header = f"{'file':<44} {'cases':>5} " + " ".join(f"{labels.get(k, k):>10}" for k in keys)
    print(header)
    print("-" * len(header), flush=True)
    differ: list[str] = []
    totals = dict.fromkeys(keys, 0)
    only = dict(item.split("=", 1) for item in args.only.split(",") if item)

    def one(name: str) -> None:
        path = args.data / name
        cmd = [sys.executable, __file__, "--worker", str(path), str(args.timeout)]
        cmd += [str(args.file_budget), json.dumps(only), str(args.passes)]
        began = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, env=env)
        rows = [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]
        counts = dict.fromkeys(keys, 0)
        for row in rows:
            counts[row["status"]] += 1
            counts["derived"] += bool(row.get("derived"))
            if row["status"] == "DIFFER":
                differ.append(f"{name} {row['case']}: {row.get('detail')}")
        if proc.returncode != 0:
            differ.append(f"{name}: worker failed: {proc.stderr.strip()[-300:]}")
        for k in keys:
            totals[k] += counts[k]
        cells = " ".join(f"{counts[k]:>10}" for k in keys)
        took = time.perf_counter() - began
        print(f"{name[:44]:<44} {len(rows):>5} {cells}  {took:.0f} s", flush=True)

    with ThreadPoolExecutor(max_workers=max(args.jobs, 1)) as pool:
        list(pool.map(one, names))
    cells = " ".join(f"{totals[k]:>10}" for k in keys)
    cases_total = sum(v for k, v in totals.items() if k != "derived")
    print(f"{'all files':<44} {cases_total:>5} {cells}")
    for line in differ:
        print("DIFFER:", line)
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
