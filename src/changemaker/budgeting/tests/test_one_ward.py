"""Issue 14, finding 2: one person, one ward, one ballot. Signing in again with another
postcode, a voting code with no ward, two browsers with one code, a paper ballot after the
count, and another council's host name: none of them gives a second ballot."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting import actions, adapter
from changemaker.budgeting.models import Ballot, Eligibility, Heading, Process, VotingCode
from changemaker.core.models import AuditEvent, Job, Role, User
from changemaker.core.tests.factories import CouncilFactory

HOST = {"HTTP_HOST": "exampleton.test"}
ELSEWHERE = {"HTTP_HOST": "riverside.test"}


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _heading(process: Process, name: str) -> Heading:
    return process.headings.get(name=name)


def _ballot_url(process: Process, name: str) -> str:
    return reverse("budgeting:ballot", args=[process.slug, _heading(process, name).pk])


def test_signing_in_again_with_another_postcode_gives_no_ballot_in_another_ward(
    ward_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process, resident = ward_process(), make_user(Role.RESIDENT)
    vote = reverse("budgeting:vote", args=[process.slug])
    first = _signed_in(resident)
    checked = first.post(vote, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST)
    assert checked.status_code == 302
    first.post(_ballot_url(process, "Abbey"), {"project": ["A1"]}, **HOST)
    again = _signed_in(resident)  # a new session: signed in again, in another browser
    to = again.post(vote, {"postcode": "EX9 1AA", "born": "01/01/2000"}, **HOST)
    assert to["Location"] in {_ballot_url(process, "Borough"), _ballot_url(process, "Abbey")}
    refused = again.post(_ballot_url(process, "Bridge"), {"project": ["B1"]}, follow=True, **HOST)
    assert "Bridge is for people who live in that ward" in refused.text
    assert list(Ballot.objects.values_list("heading__name", flat=True)) == ["Abbey"]
    with pytest.raises(actions.ActionRefused, match=r"already been checked .* as living in Abbey"):
        actions.check_eligibility(process, resident, postcode="EX9 1AA", born=date(2000, 1, 1))
    with pytest.raises(actions.ActionRefused, match=r"hello@council\.example"):
        actions.check_eligibility(process, resident, postcode="EX9 1AA", born=date(2000, 1, 1))
    eligibility = Eligibility.objects.get()
    assert (eligibility.ward.name, eligibility.evidence) == ("Abbey", "self")
    assert AuditEvent.objects.filter(action="pb.eligibility_checked").count() == 1


def test_a_ward_budget_ballot_is_one_per_person_per_process(
    ward_process: Callable[..., Process], make_user: Callable[..., User], eligible: object
) -> None:
    """Even if a person's ward changed under them, the database holds one ward ballot."""
    process, resident = ward_process(), make_user(Role.RESIDENT)
    eligibility = Eligibility.objects.create(
        process=process, user=resident, ward=_heading(process, "Abbey").ward, evidence="self"
    )
    actions.cast_ballot(process, _heading(process, "Abbey"), {"A1": 1}, voter=resident)
    actions.cast_ballot(process, _heading(process, "Borough"), {"P1": 1}, voter=resident)
    eligibility.ward = _heading(process, "Bridge").ward
    eligibility.save()
    with pytest.raises(actions.ActionRefused, match="already voted in a ward's budget"):
        actions.cast_ballot(process, _heading(process, "Bridge"), {"B1": 1}, voter=resident)
    assert sorted(Ballot.objects.values_list("heading__name", flat=True)) == ["Abbey", "Borough"]


def _codes_csv(client: Client, process: Process, ward: str, count: int) -> list[dict[str, str]]:
    response = client.post(
        reverse("budgeting:staff-codes", args=[process.slug]),
        {"ward": str(process.council.wards.get(name=ward).pk), "count": count, "output": "csv"},
        **HOST,
    )
    assert response["Content-Type"].startswith("text/csv"), response.content[:300]
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def test_voting_codes_are_per_ward_and_vote_in_that_ward_only(
    ward_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = ward_process()
    rows = _codes_csv(client_as(Role.ENGAGEMENT_OFFICER), process, "Abbey", 2)
    assert [r["ward"] for r in rows] == ["Abbey", "Abbey"]
    assert rows[0]["ward_code"] == "E05099001" and rows[0]["budget"] == process.title
    assert rows[0]["web_address"] == "http://exampleton.test" + reverse(
        "budgeting:vote-code", args=[process.slug]
    )
    assert set(VotingCode.objects.values_list("ward__name", flat=True)) == {"Abbey"}
    assert not VotingCode.objects.filter(code_hash__in=[r["code"] for r in rows]).exists()
    event = AuditEvent.objects.get(action="pb.codes_issued")
    assert event.detail == {"count": 2, "ward": "E05099001"}
    holder = Client()
    entered = holder.post(
        reverse("budgeting:vote-code", args=[process.slug]), {"code": rows[0]["code"]}, **HOST
    )
    assert entered.status_code == 302
    assert (
        holder.post(_ballot_url(process, "Abbey"), {"project": ["A1"]}, **HOST).status_code == 200
    )
    assert (
        holder.post(_ballot_url(process, "Borough"), {"project": ["P1"]}, **HOST).status_code == 200
    )
    for other in ("Bridge",):
        refused = holder.post(_ballot_url(process, other), {"project": ["B1"]}, follow=True, **HOST)
        assert f"{other} is for people who live in that ward" in refused.text
    assert sorted(Ballot.objects.values_list("heading__name", flat=True)) == ["Abbey", "Borough"]


def test_letters_name_the_ward_and_the_web_address(
    ward_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = ward_process()
    page = client_as(Role.ENGAGEMENT_OFFICER).post(
        reverse("budgeting:staff-codes", args=[process.slug]),
        {"ward": str(process.council.wards.get(name="Bridge").pk), "count": 1, "output": "letters"},
        **HOST,
    )
    assert "for residents of Bridge" in page.text
    assert "http://exampleton.test" + reverse("budgeting:vote-code", args=[process.slug]) in (
        page.text
    )


def test_two_browsers_with_the_same_unused_code_cannot_overwrite_each_other(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    [code] = actions.issue_codes(process, count=1, by=make_user(Role.ENGAGEMENT_OFFICER))
    enter = reverse("budgeting:vote-code", args=[process.slug])
    ballot_url = _ballot_url(process, "Borough")
    first, second = Client(), Client()
    assert first.post(enter, {"code": code}, **HOST)["Location"] == ballot_url
    page = second.post(enter, {"code": code}, **HOST)
    assert page.status_code == 200 and "already being used in another browser" in page.text
    assert second.post(ballot_url, {"project": ["P3"]}, **HOST)["Location"].endswith("/vote/")
    assert first.post(ballot_url, {"project": ["P1"]}, **HOST).status_code == 200
    assert first.post(enter, {"code": code}, **HOST).status_code == 302  # the holder, again
    assert list(Ballot.objects.values_list("marks__project__code", flat=True)) == ["P1"]
    with pytest.raises(actions.ActionRefused, match="another browser"):
        actions.cast_ballot(
            process,
            _heading(process, "Borough"),
            {"P2": 1},
            code=VotingCode.objects.get(),
            code_token="a-forged-token",
        )
    assert AuditEvent.objects.filter(action="pb.code_redeemed").count() == 1


def test_a_paper_ballot_after_the_count_is_refused_unless_counted_again(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="results")
    heading = _heading(process, "Borough")
    election, outcome = adapter.count_heading(process, heading)
    adapter.store_count(process, heading, election, outcome)
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-paper", args=[process.slug, heading.pk])
    form = officer.get(url, **HOST).text
    assert "have been counted" in form and 'name="recount"' in form
    refused = officer.post(url, {"reference": "0042", "project": ["P1"]}, **HOST)
    assert refused.status_code == 200 and "There is a problem" in refused.text
    assert "already been counted" in refused.text and 'href="#id_recount' in refused.text
    assert not Ballot.objects.exists() and not Job.objects.exists()
    saved = officer.post(url, {"reference": "0042", "project": ["P1"], "recount": "on"}, **HOST)
    assert saved.status_code == 302
    assert Ballot.objects.get().paper_reference == "0042"
    forced = AuditEvent.objects.get(action="pb.recount_forced")
    assert forced.detail == {"reference": "0042"} and forced.actor is not None
    assert Job.objects.get().kind == "budgeting.count"


def test_voting_is_only_possible_on_the_councils_own_host_name(
    ward_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    """Exampleton's budget is not found on Riverside's site (the same slug there is Riverside's
    own budget), and an Exampleton voting code does not work in Riverside's budget."""
    process = ward_process()
    riverside = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    theirs = Process.objects.create(
        council=riverside,
        slug="theirs",
        title="Riverside budget",
        summary="s",
        ballot_type="knapsack",
        **{
            f: getattr(process, f)
            for f in ("ideas_from", "review_from", "voting_from", "voting_until", "delivery_from")
        },
    )
    Heading.objects.create(process=theirs, name="Riverside", budget=100)
    [code] = actions.issue_codes(
        process,
        count=1,
        by=make_user(Role.ENGAGEMENT_OFFICER),
        ward=process.council.wards.get(name="Abbey"),
    )
    client = _signed_in(make_user(Role.RESIDENT))
    heading = _heading(process, "Abbey").pk
    for name, args in (
        ("budgeting:vote", [process.slug]),
        ("budgeting:vote-code", [process.slug]),
        ("budgeting:vote-check", [process.slug]),
        ("budgeting:ballot", [process.slug, heading]),
        ("budgeting:money-left", [process.slug, heading]),
        ("budgeting:results", [process.slug]),
    ):
        assert client.post(reverse(name, args=args), **ELSEWHERE).status_code == 404, name
        assert client.get(reverse(name, args=args), **ELSEWHERE).status_code in {404, 405}
    there = reverse("budgeting:vote-code", args=[theirs.slug])
    assert "not right" in client.post(there, {"code": code}, **ELSEWHERE).text
    theirs_heading = theirs.headings.get()
    ballot_there = reverse("budgeting:ballot", args=[theirs.slug, _heading(process, "Abbey").pk])
    assert client.get(ballot_there, **ELSEWHERE).status_code == 404  # another process's budget
    with pytest.raises(actions.ActionRefused, match="budget of this process"):
        actions.cast_ballot(process, theirs_heading, {}, paper_reference="1", entered_by=None)
    assert not Ballot.objects.exists() and not VotingCode.objects.filter(session_hash__gt="")


def test_a_process_with_codes_only_sends_residents_to_the_code_page(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(evidence="code")
    client = _signed_in(make_user(Role.RESIDENT))
    vote = reverse("budgeting:vote", args=[process.slug])
    assert client.get(vote, **HOST)["Location"] == reverse(
        "budgeting:vote-code", args=[process.slug]
    )
    assert (
        client.post(vote, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST).status_code == 302
    )
    assert not Eligibility.objects.exists()
    with pytest.raises(actions.ActionRefused, match="voting codes posted"):
        actions.check_eligibility(process, make_user(), postcode="EX1 2AB", born=date(2000, 1, 1))


def test_results_say_how_voters_were_checked(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: object
) -> None:
    process = make_process(evidence="register")
    heading = _heading(process, "Borough")
    voter = make_user()
    Eligibility.objects.create(process=process, user=voter, evidence="register")
    actions.cast_ballot(process, heading, {"P1": 1}, voter=voter)
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    actions.cast_ballot(process, heading, {"P2": 1}, paper_reference="7", entered_by=officer)
    now = timezone.now()
    Process.objects.filter(pk=process.pk).update(
        voting_until=now - timedelta(minutes=1), delivery_from=now + timedelta(days=9)
    )
    page = Client().get(reverse("budgeting:results", args=[process.slug]), **HOST).text
    assert "How voters were checked" in page
    assert "matched against the council&#x27;s residents register" in page
    assert "Matched on the council&#x27;s residents register" in page and "Paper" in page
