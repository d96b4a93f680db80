"""The budgeting engine's ballot checks in words: the engine gives a code and its numbers
(``engine.ballots.BallotProblem``), this turns it into a sentence in the active language, so a
Welsh reader sees Welsh. The one mapping: the site and the command line both use it (the
command line in English: ``in_english``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.budgeting.engine import ballots
from changemaker.budgeting.engine.ballots import BallotProblem
from changemaker.core.templatetags.govuk import money


def _count(n: Any) -> str:
    return f"{int(n):,}"


SENTENCES: dict[str, Callable[[Mapping[str, Any]], str]] = {
    ballots.NOT_ON_BALLOT: lambda p: _("This project is not on the ballot"),
    ballots.NEGATIVE_MARK: lambda p: _("Marks cannot be negative"),
    ballots.OVER_BUDGET: lambda p: (
        _(
            "Your choices cost %(over)s more than the %(budget)s budget. Remove a project or "
            "choose a cheaper one."
        )
        % {"over": money(p["over"], p["currency"]), "budget": money(p["budget"], p["currency"])}
    ),
    ballots.TOO_MANY_PROJECTS: lambda p: (
        ngettext(
            "Choose at most %(most)s project; you chose %(chosen)s.",
            "Choose at most %(most)s projects; you chose %(chosen)s.",
            int(p["most"]),
        )
        % {"most": _count(p["most"]), "chosen": _count(p["chosen"])}
    ),
    ballots.TOO_MANY_POINTS: lambda p: (
        ngettext(
            "You can give %(most)s point in all; you gave %(given)s. Take some points away.",
            "You can give %(most)s points in all; you gave %(given)s. Take some points away.",
            int(p["most"]),
        )
        % {"most": _count(p["most"]), "given": _count(p["given"])}
    ),
    ballots.TOO_MANY_RANKED: lambda p: (
        ngettext(
            "Rank at most %(most)s project.", "Rank at most %(most)s projects.", int(p["most"])
        )
        % {"most": _count(p["most"])}
    ),
    ballots.RANKS_NOT_IN_ORDER: lambda p: _(
        "Number your choices 1, 2, 3 and so on, with no gaps or repeats."
    ),
}


def ballot_problem_text(problem: BallotProblem) -> str:
    """One problem as a sentence in the active language."""
    return SENTENCES[problem.code](problem.params)


def ballot_problems_text(problems: Iterable[BallotProblem]) -> str:
    return " ".join(ballot_problem_text(p) for p in problems)


def in_english(problems: Iterable[BallotProblem]) -> str:
    """The same sentences in English, for the command line and logs."""
    with translation.override("en"):
        return ballot_problems_text(problems)
