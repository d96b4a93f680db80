"""The engine's ballot checks give codes with numbers; the app words them (issue 20: Welsh for
real), so a Welsh reader sees the Welsh sentence, and the command line reads English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

from changemaker.budgeting import messages
from changemaker.budgeting.engine import ballots
from changemaker.budgeting.engine.ballots import BallotProblem, BallotRules, check_ballot
from changemaker.budgeting.models import Process
from changemaker.core.models import User

HOST = {"HTTP_HOST": "exampleton.test"}
COSTS = {"A": 6_000, "B": 5_000, "C": 1_000}
#: a ballot that shows each code, with the rules it breaks
EXAMPLES = {
    ballots.NOT_ON_BALLOT: (BallotRules("knapsack", budget=10_000), {"Z": 1}),
    ballots.NEGATIVE_MARK: (BallotRules("cumulative", points_total=5), {"A": -1}),
    ballots.OVER_BUDGET: (BallotRules("knapsack", budget=10_000), {"A": 1, "B": 1}),
    ballots.TOO_MANY_PROJECTS: (BallotRules("approval_n", max_projects=1), {"A": 1, "B": 1}),
    ballots.TOO_MANY_POINTS: (BallotRules("cumulative", points_total=5), {"A": 4, "B": 2}),
    ballots.TOO_MANY_RANKED: (BallotRules("ranking", max_projects=2), {"A": 1, "B": 2, "C": 3}),
    ballots.RANKS_NOT_IN_ORDER: (BallotRules("ranking", max_projects=3), {"A": 1, "B": 3}),
}
OVER_BUDGET_CY = (
    "Mae eich dewisiadau'n costio %(over)s yn fwy na'r gyllideb o %(budget)s. Tynnwch brosiect "
    "neu dewiswch un rhatach."
)


def test_every_engine_code_has_a_sentence_and_an_example() -> None:
    assert set(ballots.CODES) == set(messages.SENTENCES) == set(EXAMPLES)
    for code, (rules, marks) in EXAMPLES.items():
        [problem] = check_ballot(rules, COSTS, marks)
        assert problem.code == code
        for language in ("en", "cy"):
            with translation.override(language):
                assert messages.ballot_problem_text(problem).strip()


def test_the_sentences_say_the_numbers_the_uk_way() -> None:
    over = check_ballot(BallotRules("knapsack", budget=10_000), COSTS, {"A": 1, "B": 1})
    assert messages.in_english(over).startswith(
        "Your choices cost £1,000 more than the £10,000 budget."
    )
    one = BallotProblem(ballots.TOO_MANY_PROJECTS, {"most": 1, "chosen": 2})
    assert messages.in_english([one]) == "Choose at most 1 project; you chose 2."


@pytest.fixture
def welsh_over_budget() -> Iterator[None]:
    """The Welsh catalogue with the over-budget sentence in it (the translator adds the rest
    after merging; the catalogue file is theirs)."""
    english = (
        "Your choices cost %(over)s more than the %(budget)s budget. Remove a project or "
        "choose a cheaper one."
    )
    catalogs = trans_real.translation("cy")._catalog._catalogs  # type: ignore[attr-defined]
    added = {english: OVER_BUDGET_CY}
    catalogs.insert(0, added)
    yield
    catalogs.remove(added)


def test_a_welsh_reader_sees_the_refusal_in_welsh(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    eligible: Any,
    welsh_over_budget: None,
) -> None:
    process, voter = make_process(), make_user()  # £10,000; P2 £5,000 + P3 £6,000
    eligible(process, voter)
    client = Client()
    client.force_login(voter)
    client.get("/language/cy/?next=/", **HOST)
    heading = process.headings.get()
    page = client.post(
        reverse("budgeting:ballot", args=[process.slug, heading.pk]),
        {"project": ["P2", "P3"]},
        **HOST,
    )
    assert page.status_code == 400
    assert "Mae eich dewisiadau&#x27;n costio £1,000 yn fwy na&#x27;r gyllideb o £10,000" in (
        page.text
    )
    assert "Your choices cost" not in page.text
