"""A closed budget's "we asked, you said, we did" draft (``core.registry.Capability.reports``):
listed once counted, with the real turnout (in words and by ward), the funded ideas with
cost, votes and why, the counting rule in words, and how many were not funded; each checked
against figures worked out here from the ballots cast."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.budgeting import reports
from changemaker.budgeting.models import Ballot, Mark, Process, Project
from changemaker.budgeting.wording import describe_count_rule
from changemaker.core.figures import told_rows
from changemaker.core.models import Council, Ward
from changemaker.core.notices import subject_key
from changemaker.core.registry import report_sources
from changemaker.core.tests.factories import WardFactory

from .test_results import _count

pytestmark = pytest.mark.django_db

#: (ward, approved ideas, ballots): greedy by votes with a £10,000 budget funds P1 (£6,000,
#: 9 votes) then P3 (£3,000, 7 votes); P2 (£5,000, 4 votes) no longer fits.
BALLOTS = [
    ("Abbey", ["P1"], 5),
    ("Abbey", ["P1", "P3"], 4),
    ("Riverside", ["P2", "P3"], 3),
    ("Riverside", ["P2"], 1),
]


def _cast(process: Process, wards: dict[str, Ward]) -> None:
    heading = process.headings.get()
    for ward, codes, times in BALLOTS:
        for _n in range(times):
            ballot = Ballot.objects.create(
                process=process,
                heading=heading,
                channel="imported",
                paper_reference=f"{Ballot.objects.count() + 1}",
                ward=wards[ward],
            )
            for code in codes:
                Mark.objects.create(ballot=ballot, project=process.projects.get(code=code))


def test_a_counted_budget_drafts_its_real_figures(
    council: Council, make_process: Callable[..., Process]
) -> None:
    process = make_process(
        "results", ballot_type="approval_n", costs=(6000, 5000, 3000), rule="greedy"
    )
    wards = {
        "Abbey": Ward.objects.get(name="Abbey"),
        "Riverside": WardFactory(council=council, name="Riverside"),
    }
    assert [s.key for s in report_sources(council)] == []  # not counted yet: not closed
    _cast(process, wards)
    count = _count(process)

    voters = sum(times for _w, _c, times in BALLOTS)
    votes = {code: sum(t for _w, c, t in BALLOTS if code in c) for code in ("P1", "P2", "P3")}
    assert (voters, votes) == (13, {"P1": 9, "P2": 4, "P3": 7})
    sources = report_sources(council)
    assert [s.key for s in sources] == [subject_key(process)]
    draft = sources[0].draft()

    assert told_rows(draft.figures) == [
        ("Budget", "£10,000"),
        ("People who voted", "13"),
        ("Ideas on the ballot", "3"),
        ("Ideas funded", "2"),
        ("Ideas not funded", "1"),
        ("Money allocated", "£9,000"),
        ("Votes from Abbey", "9"),
        ("Votes from Riverside", "4"),
    ]
    said = draft.you_said
    assert "13 people voted on the Borough budget." in said
    assert "Votes by ward: Abbey 9; Riverside 4." in said
    assert "Your votes funded 2 ideas, costing £9,000 of £10,000:" in said
    assert "- Project 1 (£6,000, 9 votes). Funded: 9 votes" in said
    assert "- Project 3 (£3,000, 7 votes). Funded: 7 votes" in said
    assert "Project 2" not in said
    assert describe_count_rule(count.rule, "£") in said
    assert "1 idea on the ballot was not funded." in said
    assert "We asked residents how to spend £10,000 through Test budget." in draft.we_asked
    assert draft.url == f"/budgets/{process.slug}/results/"
    funded = Project.objects.filter(process=process, code__in=["P1", "P3"]).order_by("code")
    assert draft.related_sources == [subject_key(p) for p in funded]


def test_a_budget_still_voting_is_not_listed(
    council: Council, make_process: Callable[..., Process]
) -> None:
    make_process("voting")
    assert reports.closed_budgets(council) == []
