"""The issue's bad input and the flow's edges, through the pages: a forged or reused voting
code, a vote after closing, odd numbers on a ballot, a ballot changed after voting opened, a
count before the close, delivery updates on projects that were not funded, a .pb file the
database cannot hold exactly, a ballot in another ward's budget."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.models import (
    Ballot,
    Count,
    Heading,
    Process,
    Project,
)
from changemaker.budgeting.views.resident import VOTER
from changemaker.core.jobs import run_job
from changemaker.core.models import AuditEvent, Job, Role, User
from changemaker.core.models.commitments import CommitmentUpdate
from changemaker.core.tests.factories import WardFactory

HOST = {"HTTP_HOST": "exampleton.test"}


def _marks() -> list[tuple[str, str]]:
    return sorted(Ballot.objects.values_list("code__code_hash", "marks__project__code"))


def test_forged_and_reused_voting_codes_are_refused_and_change_nothing(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    [code] = actions.issue_codes(process, count=1, by=make_user(Role.ENGAGEMENT_OFFICER))
    enter = reverse("budgeting:vote-code", args=[process.slug])
    forger = Client()
    page = forger.post(enter, {"code": "AAAA-BBBB-CCCC"}, **HOST).content.decode()
    assert "That voting code is not right" in page and VOTER not in forger.session
    holder = Client()
    ballot_url = holder.post(enter, {"code": code}, **HOST)["Location"]
    holder.post(ballot_url, {"project": ["P1"]}, **HOST)
    done = holder.post(ballot_url, {"project": ["P2"]}, **HOST).content.decode()
    assert "Your ballot has been changed" in done and "will not work again" in done
    before = _marks()
    thief = Client()
    page = thief.post(enter, {"code": code}, **HOST).content.decode()
    assert "already been used to vote" in page and VOTER not in thief.session
    assert thief.post(ballot_url, {"project": ["P3"]}, **HOST)["Location"].endswith("/vote/")
    assert _marks() == before and Ballot.objects.count() == 1


def test_a_vote_sent_after_closing_changes_nothing(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process()
    client = client_as(Role.RESIDENT)
    vote = reverse("budgeting:vote", args=[process.slug])
    ballot_url = client.post(vote, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST)
    client.post(ballot_url["Location"], {"project": ["P1"]}, **HOST)
    now = timezone.now()
    Process.objects.filter(pk=process.pk).update(
        voting_until=now - timedelta(minutes=1), delivery_from=now + timedelta(days=9)
    )
    late = client.post(ballot_url["Location"], {"project": ["P2"]}, **HOST)
    assert late.status_code == 403 and "Nothing you sent now has been saved" in late.text
    assert list(Ballot.objects.values_list("marks__project__code", flat=True)) == ["P1"]


def test_numbers_that_are_not_plain_digits_get_a_clear_message(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(ballot_type="cumulative", points_total=10)
    client = client_as(Role.RESIDENT)
    vote = reverse("budgeting:vote", args=[process.slug])
    ballot_url = client.post(vote, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST)
    for raw in ("²", "٣", "-1", "2.5"):
        page = client.post(ballot_url["Location"], {"mark-P1": raw}, **HOST)
        assert page.status_code == 400 and "Enter whole numbers only" in page.text, raw
    for raw in ("9" * 5000, "0" * 5000 + "3"):  # past Python's 4,300-digit int() limit
        page = client.post(ballot_url["Location"], {"mark-P1": raw}, **HOST)
        assert page.status_code == 400 and "Enter a smaller number of points" in page.text
    assert not Ballot.objects.exists()


def test_the_ballot_cannot_change_once_voting_has_opened(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="voting")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-review", args=[process.slug, "P1"])
    page = officer.post(url, {"decision": "rejected", "note": "Too late"}, **HOST).text
    assert "Voting has started" in page
    assert Project.objects.get(process=process, code="P1").status == Project.Status.SHORTLISTED


def test_during_voting_the_review_page_shows_the_decision_without_a_form(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    voting = make_process(phase="voting")
    page = officer.get(reverse("budgeting:staff-review", args=[voting.slug, "P1"]), **HOST).text
    assert "Voting has started" in page
    assert "Save decision" not in page
    assert "On the ballot" in page
    before = make_process(phase="review")
    page = officer.get(reverse("budgeting:staff-review", args=[before.slug, "P1"]), **HOST).text
    assert "Save decision" in page


def test_votes_are_counted_only_after_voting_closes(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    open_vote = make_process(phase="voting")
    response = officer.post(reverse("budgeting:staff-count", args=[open_vote.slug]), **HOST)
    assert response["Location"] == reverse("budgeting:staff", args=[open_vote.slug])
    assert "Count the votes after voting closes" in officer.get(response["Location"], **HOST).text
    assert not Job.objects.exists()
    closed = make_process(phase="results")
    response = officer.post(reverse("budgeting:staff-count", args=[closed.slug]), **HOST)
    assert response["Location"].startswith("/staff/jobs/")
    assert Job.objects.get().params == {"process": closed.pk}


def test_delivery_updates_only_on_funded_projects_and_residents_can_follow_them(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="delivery", rule="greedy")
    heading = process.headings.get()
    stale = Count.objects.create(
        process=process, heading=heading, rule="old", voters=0, selected=["P3"]
    )
    Count.objects.create(
        process=process,
        heading=heading,
        rule="new",
        voters=1,
        selected=["P1"],
        computed_at=stale.computed_at + timedelta(minutes=1),
    )
    assert selectors.funded_codes(process) == {"P1"}  # the latest count decides
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    data = {"status": "in_progress", "progress": "40", "text": "Benches ordered"}
    not_funded = reverse("budgeting:staff-delivery", args=[process.slug, "P3"])
    assert officer.post(not_funded, data, **HOST)["Location"].endswith("/manage/")
    assert not CommitmentUpdate.objects.exists()
    officer.post(reverse("budgeting:staff-delivery", args=[process.slug, "P1"]), data, **HOST)
    assert AuditEvent.objects.filter(action="pb.delivery_updated").count() == 1
    public = Client()
    delivery = public.get(reverse("budgeting:delivery", args=[process.slug]), **HOST).text
    assert "Benches ordered" in delivery and "Project 3" not in delivery
    idea = public.get(reverse("budgeting:idea", args=[process.slug, "P1"]), **HOST).text
    assert "Benches ordered" in idea and "In progress" in idea
    feed = public.get(reverse("budgeting:delivery-feed", args=[process.slug]), **HOST)
    assert feed["Content-Type"].startswith("application/atom+xml")
    assert "Benches ordered" in feed.text and "Project 1: In progress" in feed.text
    assert "<author>" not in feed.text and "@" not in feed.text  # nothing about the officer
    assert reverse("budgeting:delivery-feed", args=[process.slug]) in delivery
    manage = officer.get(reverse("budgeting:staff", args=[process.slug]), **HOST).text
    assert "Post an update on P1" in manage and "Post an update on P3" not in manage


PB = (
    "META\nkey;value\nnum_projects;2\nnum_votes;2\nbudget;{budget}\nvote_type;cumulative\n"
    "PROJECTS\nproject_id;cost\n{pid};{cost}\n2;100\nVOTES\nvoter_id;vote;points\n"
    "1;{pid},2;{points},2\n2;2;1\n"
)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"pid": "x" * 41}, "longer than 40 characters"),
        ({"budget": "1000.5"}, "budget must be a whole number"),
        ({"budget": "99999999999"}, "budget must be a whole number"),
        ({"cost": "100.5"}, "cost of project 1 must be a whole number"),
        ({"points": "-3"}, "points must be whole numbers"),
        ({"points": "1.5"}, "points must be whole numbers"),
    ],
)
def test_a_pb_file_the_database_cannot_hold_exactly_is_refused_whole(
    values: dict[str, str], message: str, client_as: Callable[[str | None], Client]
) -> None:
    text = PB.format(**{"pid": "1", "budget": "1000", "cost": "100", "points": "3", **values})
    response = client_as(Role.ENGAGEMENT_OFFICER).post(
        reverse("budgeting:staff-import"),
        {"title": "Old", "slug": "old", "file": SimpleUploadedFile("old.pb", text.encode())},
        **HOST,
    )
    job = Job.objects.get(kind="budgeting.import")
    assert response.status_code == 302 and response["Location"].endswith(f"/{job.pk}/")
    run_job.call(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and message in job.error
    assert "Nothing has been saved" in job.error
    assert not Process.objects.exists() and not Ballot.objects.exists()


def test_residents_vote_only_in_their_own_wards_budget(
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
    eligible: Any,
) -> None:
    process = make_process()  # "Borough", council-wide
    abbey = process.council.wards.get(name="Abbey")
    bridge_ward = WardFactory(council=process.council, name="Bridge", postcode_districts=["EX9"])
    own = Heading.objects.create(process=process, name="Abbey fund", ward=abbey, budget=500)
    other = Heading.objects.create(
        process=process, name="Bridge fund", ward=bridge_ward, budget=500
    )
    abbey_voter = make_user()
    eligible(process, abbey_voter, abbey)
    with pytest.raises(actions.ActionRefused, match="Bridge fund is for people who live"):
        actions.cast_ballot(process, other, {}, voter=abbey_voter)
    client = client_as(Role.RESIDENT)
    vote = reverse("budgeting:vote", args=[process.slug])
    first = client.post(vote, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST)
    assert first["Location"] == reverse("budgeting:ballot", args=[process.slug, own.pk])
    page = client.get(first["Location"], **HOST).text
    assert "Borough" in page and "Bridge fund" not in page  # the budgets they can vote in
    elsewhere = reverse("budgeting:ballot", args=[process.slug, other.pk])
    refused = client.post(elsewhere, {"project": []}, follow=True, **HOST)
    assert "Bridge fund is for people who live in that ward" in refused.text
    assert not Ballot.objects.exists()
    codes = actions.issue_codes(process, count=1, by=make_user(Role.ENGAGEMENT_OFFICER))
    holder = Client()
    holder.post(reverse("budgeting:vote-code", args=[process.slug]), {"code": codes[0]}, **HOST)
    # A council-wide code votes in the council-wide budget only, not in a ward's.
    assert holder.get(elsewhere, **HOST).status_code == 302
