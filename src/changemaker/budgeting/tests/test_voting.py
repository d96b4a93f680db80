"""Voting: eligibility, one ballot per person or code (database constraints), changing a
ballot, closed votes, forged codes, paper ballots. Bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from changemaker.budgeting import actions
from changemaker.budgeting.models import Ballot, Mark, Process
from changemaker.core.models import AuditEvent, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


def test_eligibility_checks_postcode_and_age(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(min_age=16)
    eligibility = actions.check_eligibility(
        process, make_user(), postcode="ex1 2ab", born=date(2000, 1, 1)
    )
    assert eligibility.ward.name == "Abbey" and eligibility.evidence == "self"
    with pytest.raises(actions.ActionRefused, match="postcode"):
        actions.check_eligibility(process, make_user(), postcode="SW1A 1AA", born=date(2000, 1, 1))
    too_young = process.voting_until.date().replace(year=process.voting_until.year - 15)
    with pytest.raises(actions.ActionRefused, match="16 or older"):
        actions.check_eligibility(process, make_user(), postcode="EX1 2AB", born=too_young)


def test_ballot_over_budget_is_refused_and_nothing_saved(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process, voter = make_process(), make_user()
    eligible(process, voter)
    heading = process.headings.get()
    with pytest.raises(actions.ActionRefused, match="more than the"):
        actions.cast_ballot(process, heading, {"P2": 1, "P3": 1}, voter=voter)
    assert not Ballot.objects.exists() and not Mark.objects.exists()


def test_an_empty_ballot_is_refused_and_an_earlier_one_kept(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    """Pressing "Cast my ballot" with nothing chosen is a slip, not a vote: it is refused,
    and a ballot cast before stands as it was."""
    process, voter = make_process(), make_user()
    eligible(process, voter)
    heading = process.headings.get()
    with pytest.raises(actions.ActionRefused, match="Choose at least one project"):
        actions.cast_ballot(process, heading, {}, voter=voter)
    assert not Ballot.objects.exists()
    actions.cast_ballot(process, heading, {"P1": 1}, voter=voter)
    with pytest.raises(actions.ActionRefused, match="Choose at least one project"):
        actions.cast_ballot(process, heading, {"P1": 0}, voter=voter)
    assert [m.project.code for m in Ballot.objects.get().marks.all()] == ["P1"]


def test_changing_a_ballot_replaces_it(
    make_process: Callable[..., Process], make_user: Callable[..., User], eligible: Any
) -> None:
    process, voter = make_process(), make_user()
    eligible(process, voter)
    heading = process.headings.get()
    actions.cast_ballot(process, heading, {"P1": 1, "P2": 1}, voter=voter)
    actions.cast_ballot(process, heading, {"P3": 1}, voter=voter)
    ballot = Ballot.objects.get()
    assert [m.project.code for m in ballot.marks.all()] == ["P3"]


def test_one_ballot_per_person_is_a_database_constraint(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process, voter = make_process(), make_user()
    heading = process.headings.get()
    Ballot.objects.create(process=process, heading=heading, channel="account", voter=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(process=process, heading=heading, channel="account", voter=voter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(process=process, heading=heading, channel="account")  # no voter


@pytest.mark.parametrize("phase", ["ideas", "review", "results"])
def test_no_votes_outside_the_voting_phase(
    phase: str, make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process(phase=phase)
    with pytest.raises(actions.ActionRefused, match="closed"):
        actions.cast_ballot(process, process.headings.get(), {"P1": 1}, voter=make_user())
    assert not Ballot.objects.exists()


def test_voting_codes_are_hashed_and_forged_codes_refused(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    codes = actions.issue_codes(process, count=3, by=officer)
    assert len(set(codes)) == 3
    stored = set(process.codes.values_list("code_hash", flat=True))
    assert not any(c in h for c in codes for h in stored)
    found = actions.redeem_code(process, codes[0].lower().replace("-", " "), token="browser")
    with pytest.raises(actions.ActionRefused, match="not right"):
        actions.redeem_code(process, "AAAA-BBBB-CCCC", token="browser")
    heading = process.headings.get()
    actions.cast_ballot(process, heading, {"P1": 1}, code=found, code_token="browser")
    actions.cast_ballot(process, heading, {"P2": 1}, code=found, code_token="browser")
    assert Ballot.objects.filter(code=found).count() == 1


def test_paper_ballots_are_audited_and_entered_once(
    make_process: Callable[..., Process], make_user: Callable[..., User]
) -> None:
    process = make_process()
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    heading = process.headings.get()
    actions.cast_ballot(process, heading, {"P2": 1}, paper_reference="0001", entered_by=officer)
    with pytest.raises(actions.ActionRefused, match="already entered"):
        actions.cast_ballot(process, heading, {"P1": 1}, paper_reference="0001", entered_by=officer)
    assert Ballot.objects.get().channel == Ballot.Channel.PAPER
    assert AuditEvent.objects.filter(action="pb.paper_ballot_entered").count() == 1


def test_resident_votes_without_javascript_flow(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process()
    client = client_as(Role.RESIDENT)
    url = reverse("budgeting:vote", args=[process.slug])
    bad = client.post(url, {"postcode": "SW1A 1AA", "born": "01/01/2000"}, **HOST)
    assert "Check your postcode" in bad.content.decode()
    ok = client.post(url, {"postcode": "EX1 2AB", "born": "01/01/2000"}, **HOST)
    ballot_url = ok["Location"]
    over = client.post(ballot_url, {"project": ["P2", "P3"]}, **HOST)
    assert over.status_code == 400 and "There is a problem" in over.content.decode()
    assert 'value="P2" checked' in over.content.decode()  # keeps what was chosen
    done = client.post(ballot_url, {"project": ["P1", "P2"]}, **HOST)
    assert "Thank you for voting" in done.content.decode()
    ballot = Ballot.objects.get()
    assert ballot.ward.name == "Abbey"
    assert "EX1" not in str(client.session.items())  # the postcode is not kept


def test_money_left_partial(make_process: Callable[..., Process], client: Client) -> None:
    process = make_process()
    heading = process.headings.get()
    response = client.post(
        reverse("budgeting:money-left", args=[process.slug, heading.pk]),
        {"project": ["P1"]},
        **HOST,
    )
    assert "£6,000" in response.content.decode() and "<html" not in response.content.decode()
