"""What consultations tell people (core's notices): a statement's author hears it was checked
and why; results are announced once, to those who took part signed in and to followers; a
consultation page has a Follow button that works without JavaScript."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from changemaker.consultations import actions, jobs, notices, selectors
from changemaker.consultations.models import Consultation
from changemaker.core.models import Council, Job, Notice, Role, User
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.tests.factories import sign_in

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


def test_the_author_hears_their_statement_was_checked_and_why(
    make_consultation: Callable[..., Consultation], make_user: Callable[..., User]
) -> None:
    c = make_consultation(moderation="before")
    author, officer = make_user(), make_user(Role.ENGAGEMENT_OFFICER)
    statement = actions.add_statement(actions.participant_for(c, user=author), "Fewer cars")
    actions.moderate(statement, by=officer, publish=False, reason="Already said in #2")

    notice = Notice.objects.get(kind=notices.STATEMENT_CHECKED)
    assert notice.recipients == [author.pk]
    assert notice.subjects == []  # not followable: it is the author's own
    assert notice.params["published"] is False
    assert notice.params["reason"] == "Already said in #2"
    kind = notices.KINDS[notices.STATEMENT_CHECKED]
    assert "Already said in #2" in kind.body(notice.params)
    assert kind.url(notice.params) == f"/have-your-say/{c.slug}/"


def test_anonymous_authors_are_not_notified(
    make_consultation: Callable[..., Consultation], make_user: Callable[..., User]
) -> None:
    c = make_consultation(moderation="before")
    statement = actions.add_statement(actions.participant_for(c, token="browser"), "Fewer cars")
    actions.moderate(statement, by=make_user(Role.ENGAGEMENT_OFFICER), publish=True)
    assert not Notice.objects.exists()


def test_results_are_announced_once_after_closing(
    make_consultation: Callable[..., Consultation], make_user: Callable[..., User]
) -> None:
    live = make_consultation()
    actions.save_map(live, votes=1, result={}, warm_state=None)
    assert not Notice.objects.exists()  # still open: no results yet

    closed = make_consultation(open_=False)
    voter = make_user()
    actions.participant_for(closed, user=voter)
    actions.participant_for(closed, token="anonymous")
    actions.save_map(closed, votes=1, result={}, warm_state=None)
    actions.save_map(closed, votes=2, result={}, warm_state=None)

    notice = Notice.objects.get(kind=notices.RESULTS)
    assert notice.subjects == [subject_key(closed)]
    assert notice.recipients == [voter.pk]
    assert notices.KINDS[notices.RESULTS].url(notice.params) == (
        f"/have-your-say/{closed.slug}/results/"
    )


def test_a_closed_consultation_without_a_final_map_gets_one(
    make_consultation: Callable[..., Consultation],
) -> None:
    from changemaker.consultations.models import Vote

    closed = make_consultation(open_=False)
    statement = closed.statements.first()
    assert statement is not None
    Vote.objects.create(
        participant=actions.participant_for(closed, token="t"), statement=statement, value=1
    )
    assert selectors.closed_without_final_map() == [closed]
    result = jobs.final_maps(Job.objects.create(kind="consultations.final_maps", title="t"))
    assert result == {"maps_queued": 1}
    actions.save_map(closed, votes=1, result={}, warm_state=None)
    assert selectors.closed_without_final_map() == []


def test_only_consultations_anyone_may_see_are_followable(
    council: Council, make_consultation: Callable[..., Consultation]
) -> None:
    public = make_consultation()
    invited = make_consultation(audience="invited")
    assert describe_subject(council, subject_key(public)) == (
        public.question,
        f"/have-your-say/{public.slug}/",
    )
    assert describe_subject(council, subject_key(invited)) is None
    assert describe_subject(council, "consultations.consultation:999") is None


def test_the_follow_button_without_javascript(
    make_consultation: Callable[..., Consultation], make_user: Callable[..., User]
) -> None:
    c = make_consultation()
    page = f"/have-your-say/{c.slug}/"
    signed_out = Client().get(page, **HOST).content.decode()
    assert f"/sign-in/?next={page}" in signed_out

    client = sign_in(Client(), make_user())
    html = client.get(page, **HOST).content.decode()
    assert f'value="{subject_key(c)}"' in html
    response = client.post("/following/new/", {"subject": subject_key(c), "next": page}, **HOST)
    assert response["Location"] == page
    assert "You follow this." in client.get(page, **HOST).content.decode()
