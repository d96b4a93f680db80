"""Paper ballots: blank and spoilt papers are recorded as such (audited), counted and shown,
never as votes, and a paper number is entered once."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting import adapter
from changemaker.budgeting.models import Ballot, Process, UnusablePaper
from changemaker.core.models import AuditEvent, Role

HOST = {"HTTP_HOST": "exampleton.test"}


def test_blank_and_spoilt_papers_are_recorded_but_not_votes(
    make_process: Callable[..., Process],
    client_as: Callable[[str | None], Client],
    client: Client,
) -> None:
    process = make_process(phase="results")
    heading = process.headings.get()
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-paper", args=[process.slug, heading.pk])
    assert "Blank: nothing is marked" in officer.get(url, **HOST).text

    assert officer.post(url, {"reference": "7", "content": "blank"}, **HOST).status_code == 302
    assert officer.post(url, {"reference": "8", "content": "spoilt"}, **HOST).status_code == 302
    assert officer.post(url, {"reference": "9", "project": ["P1"]}, **HOST).status_code == 302
    page = officer.get(url, **HOST).text
    assert "1 blank paper, 1 spoilt paper." in page
    assert Ballot.objects.count() == 1  # only the paper with votes is a ballot
    assert sorted(UnusablePaper.objects.values_list("kind", flat=True)) == ["blank", "spoilt"]
    event = AuditEvent.objects.get(action="pb.unusable_paper_entered", detail__kind="spoilt")
    assert event.actor is not None and event.detail["reference"] == "8"

    election, outcome = adapter.count_heading(process, heading)
    assert election.num_voters == 1  # blank and spoilt papers are not voters in the count
    adapter.store_count(process, heading, election, outcome)
    results = client.get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    assert "1 person voted." in results
    assert "1 blank paper ballot, 1 spoilt paper ballot." in results


def test_a_paper_number_is_entered_once_whatever_it_holds(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="results")
    heading = process.headings.get()
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-paper", args=[process.slug, heading.pk])
    officer.post(url, {"reference": "9", "project": ["P1"]}, **HOST)
    again = officer.post(url, {"reference": "9", "content": "spoilt"}, **HOST).text
    assert "There is a problem" in again and "Paper 9 has already been entered" in again
    officer.post(url, {"reference": "10", "content": "blank"}, **HOST)
    vote = officer.post(url, {"reference": "10", "project": ["P1"]}, **HOST).text
    assert "There is a problem" in vote and "already been entered as blank or spoilt" in vote
    assert Ballot.objects.count() == 1 and UnusablePaper.objects.count() == 1
