"""Explanations of a count for residents: why each project was or was not funded, what each
group of voters got, and an EJR check for approval ballots where it is affordable."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt

from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.outcome import MesTrace, Outcome
from changemaker.budgeting.engine.rules import count


def _money(x: Fraction) -> str:
    return f"{float(x):,.2f}".rstrip("0").rstrip(".")


# Each explanation is a kind and its facts; ``reason`` is the English text. The web app keeps
# the kind and facts and words them in the reader's language (budgeting/selectors.py has the
# same sentences, translatable), so these sentences and those must say the same thing.
REASONS = {
    "greedy_funded": "Funded: {votes} votes; it came {position} in order of value for money "
    "and still fitted in the budget.",
    "greedy_not_funded": "Not funded: when its turn came only {left} was left, and it costs "
    "{cost}.",
    "mes_funded": "Funded in round {round} of the Method of Equal Shares: its {votes} "
    "supporters shared its cost of {cost}.",
    "completion_funded": "Funded by the completion step: money was left after equal shares, "
    "and it was next by number of votes.",
    "free": "Funded: it costs nothing.",
    "mes_not_funded": "Not funded: its {votes} supporters could still pay {money} between "
    "them, but it costs {cost}.",
    "mes_not_funded_taken": "Not funded: its {votes} supporters could still pay {money} "
    "between them, but it costs {cost}. Most of their money ({taken}) went to project "
    "{took}, which they also supported.",
    "phragmen_funded": "Funded by sequential Phragmén: its supporters' shared load was the lowest.",
    "phragmen_not_funded": "Not funded: the count stopped before its supporters' load was the "
    "lowest, or it did not fit in the budget.",
}


@dataclass(frozen=True, slots=True)
class ProjectExplanation:
    """Why one project was or was not funded: ``kind`` (a key of ``REASONS``), the ``facts``
    its sentence needs (as display strings), and ``reason``, the sentence in English."""

    project_id: str
    funded: bool
    kind: str
    facts: dict[str, str]
    cost: Fraction
    supporters: int
    money_left: Fraction | None = None  # greedy: budget left when its turn came
    supporters_money: Fraction | None = None  # MES: what its supporters could still pay
    took_their_money: str | None = None  # MES: funded project that took most of it
    taken: Fraction | None = None  # how much that project took from them

    @property
    def reason(self) -> str:
        return REASONS[self.kind].format(**self.facts)


@dataclass(frozen=True, slots=True)
class GroupShare:
    """A group of voters: its fair share of the budget and what was spent on it.

    ``received`` splits each funded project's cost equally among its supporters.
    """

    group: str
    voters: int
    fair_share: Fraction
    received: Fraction


def explain(election: Election, outcome: Outcome) -> list[ProjectExplanation]:
    """One explanation per project, in the order of the file."""
    if outcome.rule == "mes" and outcome.trace is None:
        outcome = count(
            election,
            rule="mes",
            utility=outcome.utility,
            completion=outcome.completion,
            add1_stop=outcome.add1_stop,
            tie_break=outcome.tie_break,
            trace=True,
        )
    votes = election.vote_counts()
    order = {pid: n for n, pid in enumerate(outcome.selected, 1)}
    listed: list[list[int]] = [[] for _ in election.projects]
    for i, b in enumerate(election.ballots):
        for j in b.projects:
            listed[j].append(i)
    mes = _MesFacts(election, outcome.trace) if outcome.trace else None
    out: list[ProjectExplanation] = []
    for j, p in enumerate(election.projects):
        funded = p.id in order
        common = {"project_id": p.id, "funded": funded, "cost": p.cost, "supporters": votes[j]}
        if outcome.rule == "greedy":
            out.append(_greedy(outcome, order, votes[j], common))
        elif outcome.rule == "mes" and mes is not None:
            out.append(mes.explain(j, listed[j], votes[j], common))
        else:
            kind = "phragmen_funded" if funded else "phragmen_not_funded"
            out.append(ProjectExplanation(kind=kind, facts={}, **common))  # type: ignore[arg-type]
    return out


def _greedy(
    outcome: Outcome, order: dict[str, int], votes: int, common: dict[str, Any]
) -> ProjectExplanation:
    """Funded: its place in the order of value for money; not: the money left at its turn."""
    pid, cost = common["project_id"], common["cost"]
    if common["funded"]:
        facts = {"votes": str(votes), "position": str(order[pid])}
        return ProjectExplanation(kind="greedy_funded", facts=facts, **common)
    left = outcome.greedy_left.get(pid, Fraction(0))
    facts = {"left": _money(left), "cost": _money(cost)}
    return ProjectExplanation(kind="greedy_not_funded", facts=facts, money_left=left, **common)


class _MesFacts:
    """What a MES trace says about each project: the round that bought it, or what its
    supporters had left and which funded project took most of their money."""

    def __init__(self, election: Election, trace: MesTrace) -> None:
        self.election = election
        self.trace = trace
        self.mult = np.asarray(election.multiplicity, dtype=np.int64)
        self.rounds = {r.project: (n, r) for n, r in enumerate(trace.rounds, 1)}

    def explain(
        self, j: int, listed: list[int], votes: int, common: dict[str, Any]
    ) -> ProjectExplanation:
        cost = common["cost"]
        if common["funded"] and j in self.rounds:
            n, _ = self.rounds[j]
            facts = {"round": str(n), "votes": str(votes), "cost": _money(cost)}
            return ProjectExplanation(kind="mes_funded", facts=facts, **common)
        if common["funded"]:
            kind = "completion_funded" if cost > 0 else "free"
            return ProjectExplanation(kind=kind, facts={}, **common)
        sup = np.asarray(listed, dtype=np.int64)
        money = sum((self.trace.final_budget[int(i)] * int(self.mult[i]) for i in sup), Fraction(0))
        best_id, best_amount = self._took_most(sup)
        facts = {"votes": str(votes), "money": _money(money), "cost": _money(cost)}
        if best_id is not None:
            facts.update(taken=_money(best_amount), took=best_id)
        return ProjectExplanation(
            kind="mes_not_funded_taken" if best_id is not None else "mes_not_funded",
            facts=facts,
            supporters_money=money,
            took_their_money=best_id,
            taken=best_amount if best_id else None,
            **common,
        )

    def _took_most(self, sup: npt.NDArray[np.int64]) -> tuple[str | None, Fraction]:
        """The funded project these supporters paid most for, and how much they paid."""
        best_id: str | None = None
        best_amount = Fraction(0)
        for r in self.trace.rounds:
            mask = np.isin(r.supporters, sup)
            if not mask.any():
                continue
            amount = sum(
                (
                    r.paid[int(g)] * int(m)
                    for g, m in zip(r.group[mask], self.mult[r.supporters[mask]], strict=True)
                ),
                Fraction(0),
            )
            if amount > best_amount:
                best_amount, best_id = amount, self.election.projects[r.project].id
        return best_id, best_amount


def group_shares(
    election: Election, outcome: Outcome, column: str | None = None
) -> list[GroupShare]:
    """What each group of voters got: by a voter column (e.g. ``district``), or all voters.

    Each funded project's cost is split equally among its supporters; a group's ``received``
    is the sum over its voters, to compare with its ``fair_share`` of the budget.
    """
    voters = election.voters
    n = election.num_voters
    index = election.index
    funded = [index[pid] for pid in outcome.selected]
    supporters = [0] * len(election.projects)
    for b, m in zip(election.ballots, election.multiplicity, strict=True):
        for j in b.projects:
            supporters[j] += m
    per_ballot = [
        sum(
            (election.projects[j].cost / supporters[j] for j in b.projects if j in set(funded)),
            Fraction(0),
        )
        for b in election.ballots
    ]
    counts: dict[str, int] = defaultdict(int)
    received: dict[str, Fraction] = defaultdict(Fraction)
    if column is None or voters is None or column not in voters.columns:
        if column is not None:
            raise KeyError(f"no voter column {column!r} in this election")
        for k, m in enumerate(election.multiplicity):
            counts["all voters"] += m
            received["all voters"] += per_ballot[k] * m
    else:
        c = voters.columns.index(column)
        for pos, k in enumerate(voters.ballot_index):
            g = voters.extra[pos][c] or "(not given)"
            counts[g] += 1
            received[g] += per_ballot[k]
    return [
        GroupShare(g, counts[g], election.budget * counts[g] / n if n else Fraction(0), received[g])
        for g in sorted(counts)
    ]


def ejr_violations(
    election: Election, selected: Sequence[str], max_projects: int = 22, max_nodes: int = 200_000
) -> list[tuple[str, ...]] | None:
    """EJR for approval ballots with cardinality utility, checked exhaustively.

    A set T of projects is a violation if the voters who approve all of T and have fewer than
    |T| funded projects they approve are at least n * cost(T) / budget. Returns the violating
    sets (empty list: EJR holds), or None when the election is too big to check.
    """
    if not election.is_approval or len(election.projects) > max_projects:
        return None
    n = election.num_voters
    if n == 0 or election.budget <= 0:
        return []
    chosen = {election.index[p] for p in selected}
    mult = np.asarray(election.multiplicity, dtype=np.int64)
    sat = np.asarray([sum(1 for j in b.projects if j in chosen) for b in election.ballots])
    approve = np.zeros((len(election.ballots), len(election.projects)), dtype=bool)
    for i, b in enumerate(election.ballots):
        approve[i, list(b.projects)] = True
    costs = [p.cost for p in election.projects]
    found: list[tuple[str, ...]] = []
    nodes = 0

    def walk(
        start: int, members: np.ndarray, size: int, cost: Fraction, names: tuple[str, ...]
    ) -> bool:
        nonlocal nodes
        for j in range(start, len(costs)):
            nodes += 1
            if nodes > max_nodes:
                return False
            new_cost = cost + costs[j]
            if new_cost > election.budget:
                continue
            new_members = members & approve[:, j]
            if not new_members.any():
                continue
            t = size + 1
            short = new_members & (sat < t)
            if (
                int(mult[short].sum()) * election.budget >= n * new_cost
                and int(mult[short].sum()) > 0
            ):
                found.append((*names, election.projects[j].id))
            if not walk(j + 1, new_members, t, new_cost, (*names, election.projects[j].id)):
                return False
        return True

    if not walk(0, np.ones(len(election.ballots), dtype=bool), 0, Fraction(0), ()):
        return None
    return found
