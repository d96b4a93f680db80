"""Free-text comments: asked once per wave if the lead wants, kept with the wave only, shown
for the whole organisation only, and only after the name check or the lead's review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import models
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.culture import actions
from changemaker.culture.engine.names import flag_names
from changemaker.culture.models import Comment, OrgUnit, Response, UnitManager, Wave
from changemaker.culture.tests.conftest import HOST, add_responses, invite, links_from_mail
from changemaker.culture.tests.test_taking_part import page_data

pytestmark = pytest.mark.django_db
QUESTION = "Is there anything else you want to tell us?"
ORG = ["Exampleton Borough Council", "Adult social care", "Parks", "Occupational therapy"]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("Sarah never listens to us.", ["Sarah"]),  # a first name starting a sentence
        ("The team is great. My manager Dave Jones helps.", ["Dave", "Jones"]),
        ("Working with Mr Okonkwo is hard", ["Mr", "Okonkwo"]),  # mid-sentence capitals
        ("I think Parks is good on Monday in March.", []),  # the org's words, days, months
        ("Adult Social Care works well with HR and IT", []),  # acronyms
        ("May I say the mission is clear. Will it last?", []),  # common words that are names
        ("Mae Siân yn wych.", ["Siân"]),  # Welsh
        ("we love working here", []),
        ("Rhys is unfair", ["Rhys"]),
    ],
)
def test_the_name_check(text: str, flagged: list[str]) -> None:
    assert flag_names(text, ORG) == flagged


def test_a_comment_holds_nothing_that_points_at_a_person() -> None:
    fields = {f.name: f for f in Comment._meta.get_fields()}
    assert set(fields) == {"id", "wave", "text", "flagged", "status"}  # not even the unit
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields.values())
    assert fields["id"].default is not None


def _answer(link: str, comment: str | None) -> Client:
    """Answer every page; on the comment page, ``comment`` (None: no comment page expected)."""
    client = Client()
    client.get(link, **HOST)
    number = 1
    while True:
        response = client.post(
            reverse("culture:take-page", args=[number]), page_data(client, number, "mixed"), **HOST
        )
        if response["Location"] != reverse("culture:take-page", args=[number + 1]):
            break
        number += 1
    if comment is None:
        assert response["Location"] == reverse("culture:take-check")
    else:
        assert response["Location"] == reverse("culture:take-comment")
        page = client.get(reverse("culture:take-comment"), **HOST).text
        assert QUESTION in page and "Do not name anyone" in page
        saved = client.post(reverse("culture:take-comment"), {"comment": comment}, **HOST)
        assert saved["Location"] == reverse("culture:take-check")
        if comment:
            assert comment in client.get(reverse("culture:take-check"), **HOST).text
    assert client.post(reverse("culture:take-check"), **HOST)["Location"] == reverse(
        "culture:take-done"
    )
    return client


@pytest.fixture
def commented(
    make_wave: Callable[..., Wave],
    client_as: Callable[..., Client],
    lead: User,
) -> Wave:
    """A closed wave of 6 people in OT (min 5): 3 comments, one naming someone, one blank."""
    wave = make_wave(comment_question=QUESTION)
    actions.open_wave(wave, by=lead)
    staff = "email,unit\n" + "".join(f"p{i}@exampleton.example,OT\n" for i in range(6))
    invite(client_as(Role.SURVEY_LEAD), wave, staff)
    links = links_from_mail()
    comments = [
        "We need more time to try new ideas.",
        "Sarah in Occupational therapy shouts at people.",
        "",
    ]
    for i, link in enumerate(links):
        _answer(link, comments[i] if i < len(comments) else "")
    actions.close_wave(wave, by=lead, report_now=True)
    return wave


def test_comments_are_kept_with_the_wave_only_and_checked_for_names(commented: Wave) -> None:
    kept = {c.text: c for c in Comment.objects.filter(wave=commented)}
    assert set(kept) == {
        "We need more time to try new ideas.",
        "Sarah in Occupational therapy shouts at people.",
    }
    assert kept["We need more time to try new ideas."].status == Comment.Status.CLEAR
    named = kept["Sarah in Occupational therapy shouts at people."]
    assert (named.status, named.flagged) == (Comment.Status.FLAGGED, ["Sarah"])
    assert not any("comment" in r.answers for r in Response.objects.filter(wave=commented))


def test_the_lead_sees_checked_comments_for_the_organisation_and_reviews_flagged_ones(
    commented: Wave, client_as: Callable[..., Client]
) -> None:
    lead = client_as(Role.SURVEY_LEAD)
    results = reverse("culture:results", args=[commented.pk])
    html = lead.get(results, **HOST).text
    assert "We need more time to try new ideas." in html
    assert "Sarah" not in html
    assert "1 comment has words that look like a name" in html

    review = lead.get(reverse("culture:comments", args=[commented.pk]), **HOST).text
    assert "Sarah in Occupational therapy shouts at people." in review
    assert "<mark>Sarah</mark>" in review
    assert AuditEvent.objects.filter(action="culture.comments_read").exists()
    named = Comment.objects.get(status=Comment.Status.FLAGGED)
    url = reverse("culture:comment-review", args=[commented.pk, named.pk])
    refused = lead.post(url, {}, **HOST)
    assert "Choose whether to show the comment" in refused.text
    assert 'class="govuk-error-summary"' in refused.text
    assert lead.post(url, {f"{named.pk}-decision": "withhold"}, **HOST).status_code == 302
    named.refresh_from_db()
    assert named.status == Comment.Status.WITHHELD
    assert "Sarah" not in lead.get(results, **HOST).text
    event = AuditEvent.objects.get(action="culture.comment_reviewed")
    assert "Sarah" not in str(event.detail)


def test_comments_are_never_shown_per_unit_nor_to_managers(
    commented: Wave, make_user: Callable[..., User], client_as: Callable[..., Client]
) -> None:
    manager = make_user(None, email="boss@exampleton.example")
    ot = OrgUnit.objects.get(wave=commented, code="OT")
    UnitManager.objects.create(unit=ot, email=manager.email)
    client = sign_in(Client(), manager)
    for url in (
        reverse("culture:results", args=[commented.pk]),
        reverse("culture:team", args=[commented.pk, ot.pk]),
    ):
        assert "We need more time" not in client.get(url, **HOST).text
    assert client.get(reverse("culture:comments", args=[commented.pk]), **HOST).status_code == 403
    team = client_as(Role.SURVEY_LEAD).get(
        reverse("culture:team", args=[commented.pk, ot.pk]), **HOST
    )
    assert "We need more time" not in team.text


def test_no_comment_is_shown_when_fewer_people_answered_than_the_minimum(
    make_wave: Callable[..., Wave], lead: User, client_as: Callable[..., Client]
) -> None:
    wave = make_wave(comment_question=QUESTION)
    actions.open_wave(wave, by=lead)
    add_responses(wave, {"OT": 4})
    Comment.objects.create(wave=wave, text="All good here.")
    actions.close_wave(wave, by=lead, report_now=True)
    html = client_as(Role.SURVEY_LEAD).get(reverse("culture:results", args=[wave.pk]), **HOST)
    assert "All good here." not in html.text
    assert "Comments are not shown: fewer than 5 people answered." in html.text


def test_a_comment_too_long_says_so_by_the_field(
    make_wave: Callable[..., Wave],
    client_as: Callable[..., Client],
    lead: User,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    wave = make_wave(comment_question=QUESTION)
    actions.open_wave(wave, by=lead)
    invite(client_as(Role.SURVEY_LEAD), wave, "email,unit\na@exampleton.example,OT\n")
    client = Client()
    client.get(links_from_mail()[0], **HOST)
    page = client.post(reverse("culture:take-comment"), {"comment": "x" * 2001}, **HOST).text
    assert "Your comment must be 2000 characters or fewer" in page
    assert 'class="govuk-error-summary"' in page and 'href="#id_comment"' in page


def test_without_a_comment_question_there_is_no_comment_page(
    make_wave: Callable[..., Wave], client_as: Callable[..., Client], lead: User
) -> None:
    wave = make_wave()
    actions.open_wave(wave, by=lead)
    invite(client_as(Role.SURVEY_LEAD), wave, "email,unit\na@exampleton.example,OT\n")
    client = _answer(links_from_mail()[0], None)
    assert client.get(reverse("culture:take-comment"), **HOST).status_code == 404
    assert not Comment.objects.exists()
