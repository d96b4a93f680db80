"""Checking one resident's ballot against the process's ballot type (pure, exact)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

BallotType = Literal["knapsack", "approval_n", "cumulative", "ranking"]


@dataclass(frozen=True, slots=True)
class BallotRules:
    """What a valid ballot looks like.

    knapsack: approve projects whose costs add up to at most the budget.
    approval_n: approve at most ``max_projects`` projects.
    cumulative: spread at most ``points_total`` whole points over projects.
    ranking: rank at most ``max_projects`` projects, 1 = most preferred, no gaps or repeats.
    """

    ballot_type: BallotType
    budget: int = 0
    max_projects: int = 0
    points_total: int = 0
    currency: str = "£"  # the symbol amounts are written with


#: every problem ``check_ballot`` can find, and the params each carries (the app words them:
#: ``budgeting.messages``)
NOT_ON_BALLOT = "not_on_ballot"  # (the project is the problem's ``project``)
NEGATIVE_MARK = "negative_mark"
OVER_BUDGET = "over_budget"  # over, budget, currency
TOO_MANY_PROJECTS = "too_many_projects"  # most, chosen
TOO_MANY_POINTS = "too_many_points"  # most, given
TOO_MANY_RANKED = "too_many_ranked"  # most
RANKS_NOT_IN_ORDER = "ranks_not_in_order"
CODES = (
    NOT_ON_BALLOT,
    NEGATIVE_MARK,
    OVER_BUDGET,
    TOO_MANY_PROJECTS,
    TOO_MANY_POINTS,
    TOO_MANY_RANKED,
    RANKS_NOT_IN_ORDER,
)


@dataclass(frozen=True, slots=True)
class BallotProblem:
    """A problem with a ballot: its code (one of ``CODES``), the numbers its words need, and
    the project it concerns if any. No words here: the app says it in the reader's language."""

    code: str
    params: Mapping[str, int | str] = field(default_factory=dict)
    project: str | None = None


def money_left(rules: BallotRules, costs: Mapping[str, int], chosen: Sequence[str]) -> int:
    """For a knapsack ballot: the budget minus the cost of the chosen projects."""
    return rules.budget - sum(costs[p] for p in chosen)


def check_ballot(
    rules: BallotRules, costs: Mapping[str, int], marks: Mapping[str, int]
) -> list[BallotProblem]:
    """Problems with a ballot; an empty list means it is valid.

    ``marks`` maps project id to the voter's mark: 1 for approval ballots, points for
    cumulative ballots, the rank for ranking ballots. Unmarked projects are absent.
    """
    problems = [BallotProblem(NOT_ON_BALLOT, project=p) for p in marks if p not in costs]
    if problems:
        return problems
    chosen = [p for p, mark in marks.items() if mark]
    if any(mark < 0 for mark in marks.values()):
        return [BallotProblem(NEGATIVE_MARK)]
    problem = _check_type(rules, costs, marks, chosen)
    return [problem] if problem is not None else []


def _check_type(
    rules: BallotRules, costs: Mapping[str, int], marks: Mapping[str, int], chosen: list[str]
) -> BallotProblem | None:
    """What the ballot type allows: the budget, a number of projects, points, ranks."""
    if rules.ballot_type == "knapsack":
        over = -money_left(rules, costs, chosen)
        if over > 0:
            return BallotProblem(
                OVER_BUDGET, {"over": over, "budget": rules.budget, "currency": rules.currency}
            )
    elif rules.ballot_type == "approval_n":
        if len(chosen) > rules.max_projects:
            return BallotProblem(
                TOO_MANY_PROJECTS, {"most": rules.max_projects, "chosen": len(chosen)}
            )
    elif rules.ballot_type == "cumulative":
        used = sum(marks.values())
        if used > rules.points_total:
            return BallotProblem(TOO_MANY_POINTS, {"most": rules.points_total, "given": used})
    elif rules.ballot_type == "ranking":
        ranks = sorted(marks[p] for p in chosen)
        if len(ranks) > rules.max_projects:
            return BallotProblem(TOO_MANY_RANKED, {"most": rules.max_projects})
        if ranks != list(range(1, len(ranks) + 1)):
            return BallotProblem(RANKS_NOT_IN_ORDER)
    return None
