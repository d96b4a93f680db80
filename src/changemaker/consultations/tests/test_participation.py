"""Taking part: one statement at a time, anonymous or signed in, adding and reporting
statements, moderation, throttling. Bad input changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from changemaker.consultations import actions
from changemaker.consultations.models import Consultation, Participant, Statement, Vote
from changemaker.core.models import Job, Role, User
from changemaker.core.tests.factories import sign_in

HOST = {"HTTP_HOST": "exampleton.test"}


def _vote(client: Client, c: Consultation, number: int, choice: str) -> None:
    client.post(
        reverse("consultations:vote", args=[c.slug]), {"statement": number, "vote": choice}, **HOST
    )


def test_anonymous_resident_votes_one_statement_at_a_time(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    page = client.get(reverse("consultations:take-part", args=[c.slug]), **HOST).content.decode()
    assert "First statement" in page  # no map yet: new statements in order
    _vote(client, c, 0, "agree")
    assert "cm_participant" in client.cookies
    page = client.get(reverse("consultations:take-part", args=[c.slug]), **HOST).content.decode()
    assert "First statement" not in page and "Second statement" in page
    _vote(client, c, 0, "disagree")  # changing a vote keeps one row
    vote = Vote.objects.get()
    assert vote.value == -1 and Participant.objects.count() == 1
    assert Participant.objects.get().browser_key not in client.cookies["cm_participant"].value


def test_signed_in_person_is_one_participant(
    make_consultation: Callable[..., Consultation], client_as: Callable[[str | None], Client]
) -> None:
    c = make_consultation()
    client = client_as(Role.RESIDENT)
    _vote(client, c, 0, "agree")
    _vote(client, c, 1, "pass")
    assert Participant.objects.count() == 1
    assert sorted(Vote.objects.values_list("value", flat=True)) == [0, 1]


def test_votes_asked_for_the_map_once(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    for n in range(3):
        _vote(client, c, n, "agree")
    jobs = Job.objects.filter(kind="consultations.map")
    assert jobs.count() == 1  # debounced: one run waits for all three votes


@pytest.mark.parametrize(
    "bad",
    [{"vote": "maybe"}, {"vote": "agree", "statement": "99"}, {"vote": "agree", "statement": "x"}],
)
def test_bad_votes_change_nothing(
    bad: dict[str, str], make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    client.post(reverse("consultations:vote", args=[c.slug]), {"statement": "0", **bad}, **HOST)
    assert not Vote.objects.exists()


def test_vote_values_are_constrained_in_the_database(
    make_consultation: Callable[..., Consultation],
) -> None:
    c = make_consultation()
    p = actions.participant_for(c, token="t")
    s = c.statements.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=p, statement=s, value=2)
    Vote.objects.create(participant=p, statement=s, value=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(participant=p, statement=s, value=-1)


def test_closed_consultation_refuses_votes(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation(open_=False)
    _vote(client, c, 0, "agree")
    assert not Vote.objects.exists()


def test_residents_only_audience(
    make_consultation: Callable[..., Consultation],
    client: Client,
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation(audience="residents")
    _vote(client, c, 0, "agree")
    assert not Vote.objects.exists()
    _vote(client_as(Role.RESIDENT), c, 0, "agree")
    assert Vote.objects.count() == 1


def test_statements_are_moderated_before_when_asked(
    make_consultation: Callable[..., Consultation],
    client: Client,
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation(moderation="before")
    client.post(
        reverse("consultations:add-statement", args=[c.slug]),
        {"text": "<script>alert(1)</script> Bins are emptied too rarely"},
        **HOST,
    )
    s = Statement.objects.get(author__isnull=False)
    assert s.status == Statement.Status.PENDING
    page = client.get(reverse("consultations:take-part", args=[c.slug]), **HOST).content.decode()
    assert "Bins are emptied" not in page
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    queue = officer.get(reverse("consultations:moderate", args=[c.slug]), **HOST)
    assert "&lt;script&gt;" in queue.content.decode()  # escaped everywhere
    officer.post(
        reverse("consultations:moderate", args=[c.slug]),
        {"statement": s.number, "decision": "remove", "reason": ""},
        **HOST,
    )
    s.refresh_from_db()
    assert s.status == Statement.Status.PENDING  # a removal needs a reason
    officer.post(
        reverse("consultations:moderate", args=[c.slug]),
        {"statement": s.number, "decision": "publish"},
        **HOST,
    )
    s.refresh_from_db()
    assert s.status == Statement.Status.PUBLISHED


def test_statement_rules(make_consultation: Callable[..., Consultation]) -> None:
    c = make_consultation()
    p = actions.participant_for(c, token="abc")
    with pytest.raises(actions.ConsultationError, match="280 characters"):
        actions.add_statement(p, "x" * 281)
    with pytest.raises(actions.ConsultationError, match="already written"):
        actions.add_statement(p, "first STATEMENT")
    for n in range(actions.STATEMENTS_PER_HOUR):
        actions.add_statement(p, f"Idea number {n}")
    with pytest.raises(actions.ConsultationError, match="in the last hour"):
        actions.add_statement(p, "One too many")


def test_reporting_a_statement_reaches_moderators(
    make_consultation: Callable[..., Consultation],
    client: Client,
    client_as: Callable[[str | None], Client],
    make_user: Callable[..., User],
) -> None:
    c = make_consultation()
    client.post(reverse("consultations:report", args=[c.slug, 1]), {"reason": "Insulting"}, **HOST)
    client.post(reverse("consultations:report", args=[c.slug, 1]), {"reason": "Again"}, **HOST)
    assert c.statements.get(number=1).reports.count() == 1  # once per participant
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .get(reverse("consultations:moderate", args=[c.slug]), **HOST)
        .content.decode()
    )
    assert "Second statement" in page and "1 report" in page


def test_invited_only_audience(
    make_consultation: Callable[..., Consultation],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation(audience="invited")
    guest = make_user(email="guest@example.org")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    response = officer.post(
        reverse("consultations:invite", args=[c.slug]),
        {"emails": "GUEST@example.org\nnobody@example.org"},
        **HOST,
    )
    assert response.status_code == 302
    assert list(c.invited.all()) == [guest]
    outsider = client_as(Role.RESIDENT)
    _vote(outsider, c, 0, "agree")
    assert not Vote.objects.exists()
    invited = Client()
    sign_in(invited, guest)
    _vote(invited, c, 0, "agree")
    assert Vote.objects.count() == 1
    bad = officer.post(
        reverse("consultations:invite", args=[c.slug]), {"emails": "not-an-email"}, **HOST
    )
    assert "Line 1 is not an email address" in bad.content.decode()
