"""Checking one resident's ballot against the process's ballot type (pure, exact)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True, slots=True)
class BallotProblem:
    """A problem with a ballot, in plain English, and the project it concerns if any."""

    message: str
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
    problems = [
        BallotProblem("This project is not on the ballot", p) for p in marks if p not in costs
    ]
    if problems:
        return problems
    chosen = [p for p, mark in marks.items() if mark]
    if any(mark < 0 for mark in marks.values()):
        return [BallotProblem("Marks cannot be negative")]
    if rules.ballot_type == "knapsack":
        over = -money_left(rules, costs, chosen)
        if over > 0:
            problems.append(
                BallotProblem(
                    f"Your choices cost {rules.currency}{over:,} more than the "
                    f"{rules.currency}{rules.budget:,} budget. "
                    "Remove a project or choose a cheaper one."
                )
            )
    elif rules.ballot_type == "approval_n":
        if len(chosen) > rules.max_projects:
            problems.append(
                BallotProblem(
                    f"Choose at most {rules.max_projects} projects; you chose {len(chosen)}."
                )
            )
    elif rules.ballot_type == "cumulative":
        used = sum(marks.values())
        if used > rules.points_total:
            problems.append(
                BallotProblem(
                    f"You can give {rules.points_total} points in all; you gave {used}. "
                    "Take some points away."
                )
            )
    elif rules.ballot_type == "ranking":
        ranks = sorted(marks[p] for p in chosen)
        if len(ranks) > rules.max_projects:
            problems.append(BallotProblem(f"Rank at most {rules.max_projects} projects."))
        elif ranks != list(range(1, len(ranks) + 1)):
            problems.append(
                BallotProblem("Number your choices 1, 2, 3 and so on, with no gaps or repeats.")
            )
    return problems
