"""Words and numbers: money the UK way ("£10,000", "£5,000 over budget"), counts with
thousands separators, the counting rule in words with a page on how counting works, and the
jobs' results in sentences."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting import adapter, wording
from changemaker.budgeting.models import Ballot, Mark, Process, Project
from changemaker.core.jobs import summary
from changemaker.core.models import Job
from changemaker.core.templatetags.govuk import money

HOST = {"HTTP_HOST": "exampleton.test"}


def test_money_is_written_the_uk_way() -> None:
    assert money(30000) == "£30,000"
    assert money(-4000) == "-£4,000"
    assert money(1234567, "€") == "€1,234,567"
    assert money("12.5") == "£12.50"


def _counted(process: Process, ballots: int) -> None:
    heading = process.headings.get()
    p1 = Project.objects.get(process=process, code="P1")
    for n in range(ballots):
        ballot = Ballot.objects.create(
            process=process, heading=heading, channel="imported", paper_reference=f"{n}"
        )
        Mark.objects.create(ballot=ballot, project=p1)
    election, outcome = adapter.count_heading(process, heading)
    adapter.store_count(process, heading, election, outcome)


def test_results_show_money_counts_and_the_rule_in_words(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results", budget=1_000_000, costs=(40_000, 5_000, 6_000))
    _counted(process, 1_200)
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    assert "1,200 people voted" in page
    assert "Funded projects cost £40,000 of the £1,000,000 budget." in page
    assert "£40000" not in page and ">1200<" not in page
    assert "Method of Equal Shares: the budget is shared equally among the voters" in page
    assert "(cost, completion" not in page  # not the developer's wording
    how = reverse("budgeting:how-counting-works", args=[process.slug])
    assert how in page
    explained = client.get(how, **HOST)
    assert explained.status_code == 200
    text = explained.text
    assert "Method of Equal Shares" in text and "Most votes first" in text
    assert "raised by £1 at a time" in text
    assert "the cheaper one comes first" in text


def test_money_left_says_how_much_over_budget(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process()  # £10,000; P2 £5,000 + P3 £6,000 = £11,000
    heading = process.headings.get()
    response = client.post(
        reverse("budgeting:money-left", args=[process.slug, heading.pk]),
        {"project": ["P2", "P3"]},
        **HOST,
    ).text
    assert "£1,000 over budget" in response
    assert "£-" not in response and "-1000" not in response


def test_rule_words_keep_an_unknown_shape_as_it_is() -> None:
    assert wording.describe_count_rule("something else") == "something else"
    assert wording.describe_count_rule("greedy (cost, completion none, ties by votes)") == (
        "Most votes first: projects are funded in order of how many people voted for them, "
        "for the money they cost; a project that no longer fits in what is left is skipped. "
        "When two projects tie, the one with more votes comes first."
    )


def test_count_and_import_jobs_say_what_they_did_in_words() -> None:
    count = Job(kind="budgeting.count", result={"funded": {"Whole borough": [], "Abbey": ["P1"]}})
    assert summary(count) == [
        "Whole borough: no project funded.",
        "Abbey: 1 project funded (P1).",
    ]
    imported = Job(kind="budgeting.import", result={"budget": "Assen", "ballots": 1084})
    assert summary(imported) == ["“Assen” was imported with 1,084 ballots."]


def test_reasons_read_amounts_as_money() -> None:
    from changemaker.budgeting.selectors import reason_text

    stored = {"kind": "mes_funded", "round": "2", "votes": "1200", "cost": "40,000"}
    assert reason_text(stored, "€") == (
        "Funded in round 2 of the Method of Equal Shares: its 1,200 supporters shared its "
        "cost of €40,000."
    )


def test_the_over_budget_error_uses_the_budget_s_currency() -> None:
    from changemaker.budgeting.engine.ballots import BallotRules, check_ballot
    from changemaker.budgeting.messages import ballot_problem_text

    rules = BallotRules(ballot_type="knapsack", budget=10_000, currency="€")
    problems = check_ballot(rules, {"A": 6_000, "B": 5_000}, {"A": 1, "B": 1})
    assert ballot_problem_text(problems[0]).startswith(
        "Your choices cost €1,000 more than the €10,000 budget."
    )
