"""Results: each ward's share of voters and of the money, and the EJR check, stored with the
count and shown in plain English; small groups are never shown on their own."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting import adapter, selectors
from changemaker.budgeting.models import Ballot, Count, Mark, Process, Project
from changemaker.core.models import Ward
from changemaker.core.tests.factories import WardFactory

HOST = {"HTTP_HOST": "exampleton.test"}


def _vote(process: Process, ward: Ward | None, codes: list[str], times: int) -> None:
    heading = process.headings.get()
    for _ in range(times):
        n = Ballot.objects.count() + 1
        ballot = Ballot.objects.create(
            process=process, heading=heading, channel="imported", paper_reference=f"{n}", ward=ward
        )
        for code in codes:
            Mark.objects.create(
                ballot=ballot, project=Project.objects.get(process=process, code=code)
            )


def _count(process: Process) -> Count:
    heading = process.headings.get()
    election, outcome = adapter.count_heading(process, heading)
    return adapter.store_count(process, heading, election, outcome)


def test_ward_shares_and_ejr_are_stored_and_shown(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results", rule="greedy")  # P1 £4000, P2 £5000, P3 £6000
    abbey = Ward.objects.get(name="Abbey")
    bridge = WardFactory(council=process.council, name="Bridge")
    castle = WardFactory(council=process.council, name="Castle")
    _vote(process, abbey, ["P1"], 12)
    _vote(process, bridge, ["P3"], 10)
    _vote(process, castle, ["P2"], 2)  # too few to show on their own, or pooled
    _vote(process, None, ["P2"], 1)
    row = _count(process)
    assert row.selected == ["P1", "P3"]
    assert row.fairness["ejr"] == {"status": "passed"}
    assert [(g["ward"], g["voters"]) for g in row.fairness["groups"]] == [
        ("Abbey", 12),
        ("Bridge", 10),
    ]
    shown = selectors.fairness_rows(row)["groups"]
    assert [(g["ward"], g["voters_pc"], g["money_pc"]) for g in shown] == [
        ("Abbey", 48, 40),
        ("Bridge", 40, 60),
    ]
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).content.decode()
    assert "What the voters in each ward got" in page
    assert "48% (12 voters)" in page and "40%" in page and "60%" in page
    fairness = page.split("Was it fair?")[1].split("Fairness check")[0]
    assert "Castle" not in fairness  # (turnout counts and the ward map list it)
    assert "Fairness check (extended justified representation):</strong>\npassed" in page
    # The downloadable file never carries wards.
    assert "Abbey" not in adapter.results_file(process, process.headings.get())


def test_ejr_failure_names_the_group(make_process: Callable[..., Process], client: Client) -> None:
    process = make_process(phase="results", rule="greedy", costs=(9000, 2000))
    _vote(process, None, ["P1"], 13)
    _vote(process, None, ["P2"], 12)  # enough to pay for P2, yet they get nothing
    row = _count(process)
    assert row.selected == ["P1"]
    assert row.fairness["ejr"] == {"status": "failed", "violations": [["P2"]]}
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).content.decode()
    assert "failed" in page and "voters who all supported P2" in page


def test_ejr_is_not_checked_for_points_or_large_elections(
    make_process: Callable[..., Process], client: Client
) -> None:
    points = make_process(phase="results", ballot_type="cumulative", rule="greedy")
    assert _count(points).fairness["ejr"] == {"status": "not_checked", "why": "not_approval"}
    large = make_process(phase="results", rule="greedy", costs=tuple(range(100, 2400, 100)))
    _vote(large, None, ["P1", "P2"], 3)
    assert _count(large).fairness["ejr"] == {"status": "not_checked", "why": "too_large"}
    page = client.get(reverse("budgeting:results", args=[large.slug]), **HOST).content.decode()
    assert "not checked, because the election is too large" in page
    assert "What the voters in each ward got" not in page  # one group: nothing to compare


def test_counts_stored_before_fairness_still_show(
    make_process: Callable[..., Process], client: Client
) -> None:
    process = make_process(phase="results")
    Count.objects.create(
        process=process, heading=process.headings.get(), rule="mes", voters=0, selected=[]
    )
    page = client.get(reverse("budgeting:results", args=[process.slug]), **HOST)
    assert page.status_code == 200 and "not checked for this count" in page.content.decode()
