"""Counting rules: greedy utilitarian, Method of Equal Shares with completion, sequential Phragmén.

All arithmetic is exact (:class:`fractions.Fraction` and integers). Greedy and MES run on the
utility profile (:mod:`changemaker.budgeting.engine.profile`) and MES in
:mod:`changemaker.budgeting.engine.mes`, which use numpy for integer bookkeeping and are
imported only when they count; sequential Phragmén needs no numpy.
The semantics follow pabutools 1.2.x, the reference library, so that selections are identical:

- greedy: projects in decreasing order of total utility per unit of cost (ties: the tie-break
  order), each taken if it still fits; projects nobody supports come last but are taken if they
  fit, as in pabutools.
- MES: every voter starts with budget/n; a project is bought at the lowest price factor ``rho``
  such that its supporters (each paying ``min(money left, rho * utility)``) cover its cost.
- sequential Phragmén (approval only): the project whose supporters would reach the lowest
  maximal load is bought; it stops as soon as such a project (or a tied one) does not fit.

Identical ballots are merged and voters with the same remaining money are handled as one
class, which is what makes MES with add1 completion fast on large elections.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from fractions import Fraction
from itertools import chain
from math import floor
from typing import TYPE_CHECKING

from changemaker.budgeting.engine.errors import RuleError
from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.outcome import (
    ADD1_STOPS,
    COMPLETIONS,
    RULES,
    TIE_BREAKS,
    UTILITIES,
    Add1Start,
    Add1Stop,
    Completion,
    MesTrace,
    Outcome,
    Rule,
    TieBreak,
    Utility,
)
from changemaker.budgeting.engine.outcome import MesRound as MesRound  # re-exported

if TYPE_CHECKING:
    from changemaker.budgeting.engine.mes import Mes
    from changemaker.budgeting.engine.profile import Profile


def tie_order(election: Election, tie_break: TieBreak) -> list[int]:
    """Project indices in tie-breaking order (first = preferred)."""
    ids = [p.id for p in election.projects]
    if tie_break == "lexicographic":
        return sorted(range(len(ids)), key=lambda j: ids[j])
    votes = election.vote_counts()
    if tie_break == "cost":
        costs = [p.cost for p in election.projects]
        return sorted(range(len(ids)), key=lambda j: (costs[j], -votes[j], ids[j]))
    if tie_break == "votes":
        return sorted(range(len(ids)), key=lambda j: (-votes[j], ids[j]))
    raise RuleError(f"unknown tie-break {tie_break!r} (use one of {', '.join(TIE_BREAKS)})")


def _greedy(
    election: Election,
    profile: Profile,
    rank: Sequence[int],
    initial: Sequence[int],
    *,
    additive: bool,
) -> tuple[list[int], dict[int, Fraction]]:
    """Greedy by utility per cost. Returns the selection and, for skipped projects, the
    money that was left when their turn came."""
    chosen = set(initial)
    costs = [p.cost for p in election.projects]

    def key(j: int) -> tuple[int, Fraction, int]:
        total = profile.total[j]
        if additive and total <= 0:
            return (1, Fraction(0), rank[j])
        if costs[j] == 0:
            return (0, Fraction(0), rank[j])  # infinite density comes first
        return (1, -total / costs[j], rank[j])

    order = sorted((j for j in range(len(costs)) if j not in chosen), key=key)
    left = election.budget - sum((costs[j] for j in initial), Fraction(0))
    selected: list[int] = []
    skipped: dict[int, Fraction] = {}
    for j in order:
        if costs[j] <= left:
            selected.append(j)
            left -= costs[j]
        else:
            skipped[j] = left
    return selected, skipped


def _cost(election: Election, sel: Sequence[int]) -> Fraction:
    return sum((election.projects[j].cost for j in sel), Fraction(0))


def _exhaustive(election: Election, sel: Sequence[int], candidates: Sequence[int]) -> bool:
    spent = _cost(election, sel)
    chosen = set(sel)
    return all(
        j in chosen or spent + election.projects[j].cost > election.budget for j in candidates
    )


def _phragmen(election: Election, rank: Sequence[int]) -> list[int]:
    """Sequential Phragmén in exact numbers, without numpy.

    Voters with the same load form a class (class 0: no load yet; buying a project puts its
    supporters in a new class), so a project's new maximal load is a sum over a few classes.
    Its supporters are counted per class by ``Counter`` (a loop in C) for ballots cast once,
    and one by one for ballots cast by several voters.
    """
    if not election.is_approval:
        raise RuleError(
            f"sequential Phragmén needs approval ballots, this election has "
            f"{election.vote_type} ballots (use --rule greedy or mes)"
        )
    costs = [p.cost for p in election.projects]
    budget = election.budget
    ones: list[list[int]] = [[] for _ in costs]  # ballots cast by one voter, per project
    many: list[list[tuple[int, int]]] = [[] for _ in costs]  # (ballot, voters), the others
    score = [0] * len(costs)
    for b, (ballot, m) in enumerate(zip(election.ballots, election.multiplicity, strict=True)):
        for j in ballot.projects:
            score[j] += m
            if m == 1:
                ones[j].append(b)
            else:
                many[j].append((b, m))
    cls = [0] * len(election.ballots)
    loads: list[Fraction] = [Fraction(0)]
    remaining = {j for j in range(len(costs)) if costs[j] <= budget}
    lower = {j: costs[j] / score[j] for j in remaining if score[j] > 0}
    spent = Fraction(0)
    selected: list[int] = []
    while remaining:
        best: Fraction | None = None
        tied: list[int] = []
        for j in sorted(lower, key=lambda p: lower[p]):
            if best is not None and lower[j] > best:
                break
            per_class = Counter(map(cls.__getitem__, ones[j]))
            for b, m in many[j]:
                per_class[cls[b]] += m
            paid = sum((loads[c] * n for c, n in per_class.items() if c), Fraction(0))
            load = (paid + costs[j]) / score[j]
            lower[j] = load
            if best is None or load < best:
                best = load
                tied = [j]
            elif load == best:
                tied.append(j)
        if best is None:  # only projects nobody approves: all tied at an infinite load
            tied = sorted(remaining)
        if any(spent + costs[j] > budget for j in tied):
            break
        j = min(tied, key=lambda p: rank[p])
        if best is not None:
            loads.append(best)
            for b in chain(ones[j], (b for b, _ in many[j])):
                cls[b] = len(loads) - 1
            del lower[j]
        selected.append(j)
        spent += costs[j]
        remaining.discard(j)
    return selected


def count(
    election: Election,
    rule: Rule = "greedy",
    utility: Utility = "cost",
    completion: Completion = "none",
    add1_stop: Add1Stop = "exhaustive",
    tie_break: TieBreak = "lexicographic",
    *,
    add1_start: Add1Start = "floor",
    trace: bool = False,
) -> Outcome:
    """Count ``election`` with ``rule``; see the module docstring for the semantics.

    MES completion ``add1`` raises every voter's budget by one currency unit at a time:
    the first pass uses budget/n; the next ones use floor(budget/n) + k (``add1_start="floor"``,
    the equalshares.net convention) or budget/n + k (``"exact"``, pabutools'
    ``voter_budget_increment=1``). It stops when the outcome is exhaustive (``add1_stop=
    "exhaustive"``) or only when the next pass would overspend (``"overspend"``), keeping the
    last outcome that fits. ``add1u`` then fills what is left greedily by number of votes.
    """
    if rule not in RULES:
        raise RuleError(f"unknown rule {rule!r} (use one of {', '.join(RULES)})")
    if utility not in UTILITIES:
        raise RuleError(f"unknown utility {utility!r} (use one of {', '.join(UTILITIES)})")
    if completion not in COMPLETIONS:
        raise RuleError(f"unknown completion {completion!r} (use one of {', '.join(COMPLETIONS)})")
    if add1_stop not in ADD1_STOPS:
        raise RuleError(f"unknown add1 stop {add1_stop!r} (use one of {', '.join(ADD1_STOPS)})")
    if completion != "none" and rule != "mes":
        raise RuleError(f"completion {completion!r} applies to --rule mes only")
    order = tie_order(election, tie_break)
    rank = [0] * len(order)
    for pos, j in enumerate(order):
        rank[j] = pos
    ids = election.projects

    def outcome(sel: Sequence[int], **extra: object) -> Outcome:
        return Outcome(
            selected=tuple(ids[j].id for j in sel),
            cost=_cost(election, sel),
            budget=election.budget,
            rule=rule,
            utility=utility,
            completion=completion,
            tie_break=tie_break,
            add1_stop=add1_stop,
            **extra,  # type: ignore[arg-type]
        )

    if rule == "phragmen":
        return outcome(_phragmen(election, rank))
    from changemaker.budgeting.engine.mes import Mes  # numpy: only when needed
    from changemaker.budgeting.engine.profile import Profile

    profile = Profile(election, utility)
    if rule == "greedy":
        chosen, skipped = _greedy(election, profile, rank, (), additive=utility != "borda")
        return outcome(chosen, greedy_left={ids[j].id: v for j, v in skipped.items()})
    n = election.num_voters
    tr: MesTrace | None = None
    passes = 0
    if n == 0:
        sel: list[int] = []
        per_voter = Fraction(0)
    else:
        mes = Mes(election, profile, rank)
        start = election.budget / n
        sel, tr = mes.run(start, trace)
        per_voter = start
        passes = 1
        if completion in ("add1", "add1u"):
            sel, per_voter, passes = _add1(election, mes, sel, start, add1_stop, add1_start)
            if trace and per_voter != start:  # the passes ran without a trace: redo this one
                sel, tr = mes.run(per_voter, trace)
    mes_sel = tuple(ids[j].id for j in sel)
    if completion == "add1u" and not _exhaustive(election, sel, range(len(ids))):
        cost_profile = Profile(election, "cost")
        extra, _ = _greedy(election, cost_profile, rank, sel, additive=True)
        sel = [*sel, *extra]
    return outcome(sel, passes=passes, per_voter_budget=per_voter, mes_selected=mes_sel, trace=tr)


def _add1(
    election: Election,
    mes: Mes,
    sel: list[int],
    start: Fraction,
    stop: Add1Stop,
    add1_start: Add1Start,
) -> tuple[list[int], Fraction, int]:
    """The add1 completion from the first pass ``sel`` (at ``start``): the selection, the
    per-voter budget it was found at, and the number of passes."""
    budget = election.budget
    base = Fraction(floor(start)) if add1_start == "floor" else start
    passes = 1
    eligible = mes.eligible
    if stop == "exhaustive":
        if _exhaustive(election, sel, eligible):
            return sel, start, passes
        k = 1
        while True:
            per_voter = base + k
            new, _ = mes.run(per_voter)
            passes += 1
            if _cost(election, new) > budget:
                return sel, (base + k - 1 if k > 1 else start), passes
            sel = new
            if _exhaustive(election, sel, eligible):
                return sel, per_voter, passes
            k += 1
    # stop == "overspend": keep going while the outcome fits, up to k <= budget (pabutools'
    # bound: budget * (n + 1)). If everything eligible fits, no pass can overspend, so the
    # answer is the pass at the bound.
    k_max = floor(budget)
    if _cost(election, [*mes.free, *eligible]) <= budget:
        sel, _ = mes.run(base + k_max)
        return sel, base + k_max, passes + 1
    last = start
    for k in range(1, k_max + 1):
        new, _ = mes.run(base + k)
        passes += 1
        if _cost(election, new) > budget:
            return sel, last, passes
        sel, last = new, base + k
    return sel, last, passes
