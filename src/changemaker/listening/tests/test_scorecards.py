"""The open self-evaluation end to end with plain forms (no JavaScript): staff start a cycle
from the LGA's questions, rate and open it; residents rate once per criterion (a database
constraint, and the form changes a rating instead of adding one); comments are moderated
(audited; a hidden comment's rating still counts); nothing is shown below the minimum number of
ratings; publishing freezes the figures."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Commitment, Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.listening import actions, criteria_bank
from changemaker.listening.models import Criterion, ResidentRating, Scorecard

from .conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def open_card(council: Council, officer: User) -> Scorecard:
    card = actions.create_scorecard(
        council, title="How we did", period="2025", lga=True, by=officer
    )
    for c in card.criteria.all():
        c.council_rating = 4
        actions.save_criterion(c, by=officer)
    return actions.open_scorecard(card, by=officer)


def _rate_all(card: Scorecard, people: list[User], value: int, comment: str = "") -> None:
    for person in people:
        actions.rate(person, card, {c.pk: (value, comment) for c in card.criteria.all()})


def test_staff_start_from_the_lga_questions_and_open_it(council: Council, officer: User) -> None:
    client = sign_in(Client(), officer)
    response = client.post(
        "/self-evaluation/manage/new/",
        {"title": "", "period": "2025 to 2026", "start": "lga"},
        **HOST,
    )
    assert "There is a problem" in response.content.decode()
    assert "Enter a title" in response.content.decode()
    response = client.post(
        "/self-evaluation/manage/new/",
        {"title": "How we did in 2025", "period": "2025 to 2026", "start": "lga"},
        **HOST,
    )
    card = Scorecard.objects.get()
    assert response["Location"] == f"/self-evaluation/manage/{card.slug}/"
    texts = list(card.criteria.values_list("text", flat=True))
    assert texts == criteria_bank.lga_questions(council.name)
    assert all(c.source == "lga" for c in card.criteria.all())
    first = card.criteria.first()
    assert first is not None
    response = client.post(
        f"/self-evaluation/manage/criteria/{first.pk}/",
        {"text": first.text, "council_rating": "4", "evidence": "Parks won a Green Flag."},
        **HOST,
    )
    assert response.status_code == 302
    client.post(f"/self-evaluation/manage/{card.slug}/status/", {"to": "open"}, **HOST)
    card.refresh_from_db()
    assert card.status == "open"
    assert AuditEvent.objects.filter(action="listening.scorecard_open", actor=officer).exists()
    # the words residents rate are fixed once it is open
    with pytest.raises(actions.ListeningError):
        first.refresh_from_db()
        first.text = "Something else"
        actions.save_criterion(first, by=officer)


def test_one_rating_per_person_per_criterion_is_a_database_constraint(
    open_card: Scorecard, make_user: Callable[..., User]
) -> None:
    person = make_user()
    criterion = open_card.criteria.first()
    assert criterion is not None
    ResidentRating.objects.create(criterion=criterion, person=person, rating=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        ResidentRating.objects.create(criterion=criterion, person=person, rating=5)


def test_the_form_changes_a_rating_instead_of_adding_one(
    open_card: Scorecard, make_user: Callable[..., User]
) -> None:
    person = make_user()
    client = sign_in(Client(), person)
    url = reverse("listening:scorecard-rate", args=[open_card.slug])
    first, second = list(open_card.criteria.all())[:2]
    response = client.post(url, {}, **HOST)
    assert "Rate at least one thing before you send" in response.content.decode()
    response = client.post(url, {f"comment_{first.pk}": "Bins"}, **HOST)
    assert "Choose a rating for this, or take your comment out" in response.content.decode()
    response = client.post(url, {f"rating_{first.pk}": "2", f"comment_{first.pk}": "Bins"}, **HOST)
    assert response.status_code == 302
    page = client.get(url, **HOST).content.decode()
    assert "You have already rated this" in page and "Your rating: 2." in page
    assert 'value="2" checked' in page
    client.post(url, {f"rating_{first.pk}": "4", f"rating_{second.pk}": "1"}, **HOST)
    mine = ResidentRating.objects.filter(person=person)
    assert sorted(mine.values_list("criterion_id", "rating")) == [(first.pk, 4), (second.pk, 1)]
    assert mine.get(criterion=first).comment == ""  # the comment was taken out
    client.post(url, {f"rating_{second.pk}": "1"}, **HOST)  # clearing takes a rating back
    assert list(mine.values_list("criterion_id", flat=True)) == [second.pk]


def test_ratings_close_with_the_cycle(
    open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    actions.close_scorecard(open_card, by=officer)
    person = make_user()
    with pytest.raises(actions.ListeningError):
        actions.rate(person, open_card, {open_card.criteria.first().pk: (3, "")})  # type: ignore[union-attr]
    page = sign_in(Client(), person).get(f"/self-evaluation/{open_card.slug}/rate/", **HOST)
    assert "Ratings are not open" in page.content.decode()


def _publish(card: Scorecard, officer: User) -> None:
    actions.close_scorecard(card, by=officer)
    for r in ResidentRating.objects.filter(criterion__scorecard=card).exclude(comment=""):
        actions.moderate_comment(r, show=True, by=officer)
    actions.publish_scorecard(card, by=officer)


def test_below_the_minimum_no_mean_is_shown(
    open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    people = [make_user() for _ in range(5)]
    first = open_card.criteria.first()
    assert first is not None
    _rate_all(open_card, people[:4], 2)
    actions.rate(people[4], open_card, {first.pk: (5, "")})  # the 5th rates only the first
    _publish(open_card, officer)
    page = Client().get(f"/self-evaluation/{open_card.slug}/", **HOST).content.decode()
    assert page.count("Too few ratings to show") == 2 * (open_card.criteria.count() - 1)
    assert "2.6 out of 5 on average from 5 residents" in page  # (2+2+2+2+5)/5
    api = Client().get(f"/api/listening/scorecards/{open_card.slug}/criteria", **HOST).json()
    assert api["items"][0]["residents_ratings"] == 5
    assert api["items"][0]["rated_2"] == 4
    assert {i["residents_mean"] for i in api["items"][1:]} == {None}
    assert {i["rated_2"] for i in api["items"][1:]} == {None}
    assert {i["residents_ratings"] for i in api["items"][1:]} == {None}


def test_moderation_is_audited_and_a_hidden_comments_rating_counts(
    open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    people = [make_user() for _ in range(5)]
    first = open_card.criteria.first()
    assert first is not None
    for i, person in enumerate(people):
        words = "Sam at the depot is rude" if i == 0 else ("Bins are late" if i == 1 else "")
        actions.rate(person, open_card, {first.pk: (1 if i == 0 else 3, words)})
    actions.close_scorecard(open_card, by=officer)
    client = sign_in(Client(), officer)
    hidden = ResidentRating.objects.get(person=people[0])
    url = f"/self-evaluation/manage/comments/{hidden.pk}/"
    response = client.post(url, {"decision": "hide"}, **HOST)
    assert "Choose why you are hiding this comment" in response.content.decode()
    assert client.post(url, {"decision": "hide", "reason": "personal"}, **HOST).status_code == 302
    shown = ResidentRating.objects.get(person=people[1])
    client.post(f"/self-evaluation/manage/comments/{shown.pk}/", {"decision": "show"}, **HOST)
    event = AuditEvent.objects.get(action="listening.comment_moderated", object_id=str(hidden.pk))
    assert event.actor == officer and event.reason == "personal"
    assert event.detail["shown"] is False
    assert "rude" not in str(event.detail) and people[0].email not in str(event.detail)
    for c in open_card.criteria.all():
        c.council_rating = 3
        actions.save_criterion(c, by=officer)
    actions.publish_scorecard(open_card, by=officer)
    page = Client().get(f"/self-evaluation/{open_card.slug}/", **HOST).content.decode()
    assert "rude" not in page and "Bins are late" in page
    assert "2.6 out of 5 on average from 5 residents" in page  # the hidden 1 still counts
    assert "its rating still counts" in page


def test_publishing_needs_every_comment_checked_and_freezes_the_figures(
    council: Council, open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    first = open_card.criteria.first()
    assert first is not None
    actions.rate(make_user(), open_card, {first.pk: (3, "Fine")})
    actions.close_scorecard(open_card, by=officer)
    first.figure = "core.commitments_on_time"
    actions.save_criterion(first, by=officer)
    with pytest.raises(actions.ListeningError, match="Check every comment"):
        actions.publish_scorecard(open_card, by=officer)
    _publish_after_checks(open_card, officer)
    page = Client().get(f"/self-evaluation/{open_card.slug}/", **HOST).content.decode()
    assert "No published commitment was due yet." in page
    Commitment.objects.create(council=council, title="Fix the lights", due="2020-01-01")
    page = Client().get(f"/self-evaluation/{open_card.slug}/", **HOST).content.decode()
    assert "No published commitment was due yet." in page  # frozen at publication
    staff = sign_in(Client(), officer).get(f"/self-evaluation/manage/{open_card.slug}/", **HOST)
    assert staff.status_code == 200


def _publish_after_checks(card: Scorecard, officer: User) -> None:
    for r in ResidentRating.objects.filter(criterion__scorecard=card).exclude(comment=""):
        actions.moderate_comment(r, show=True, by=officer)
    actions.publish_scorecard(card, by=officer)
    card.refresh_from_db()
    assert card.status == "published" and "core.commitments_on_time" in card.figures


def test_the_gap_chart_has_a_text_alternative_and_a_table(
    open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    _rate_all(open_card, [make_user() for _ in range(6)], 2)
    _publish(open_card, officer)
    page = Client().get(f"/self-evaluation/{open_card.slug}/", **HOST).content.decode()
    assert 'role="img" aria-labelledby="gap-title gap-desc"' in page
    assert '<title id="gap-title">' in page and '<desc id="gap-desc">' in page
    assert page.count("<circle") == open_card.criteria.count()
    # each criterion's words beside its row fit the 190 px there: two lines at most, short
    lines = re.findall(r'dominant-baseline="middle" font-size="14" fill="#0b0c0c">([^<]*)<', page)
    assert max(len(html.unescape(line)) for line in lines) <= 24
    assert len(lines) <= 2 * open_card.criteria.count()
    assert {line.split(". ")[0] for line in lines if ". " in line} >= {"1", "2"}
    assert "The chart in numbers" in page and "-2.0" in page  # 2 - 4
    assert "Local Government Association&#x27;s resident satisfaction question set" in page


def test_rating_is_throttled(
    open_card: Scorecard, make_user: Callable[..., User], settings: object
) -> None:
    settings.CHANGEMAKER_THROTTLES = {"listening.rate": "2/hour"}  # type: ignore[attr-defined]
    client = sign_in(Client(), make_user())
    url = f"/self-evaluation/{open_card.slug}/rate/"
    first = open_card.criteria.first()
    assert first is not None
    for _ in range(2):
        assert client.post(url, {f"rating_{first.pk}": "3"}, **HOST).status_code == 302
    assert client.post(url, {f"rating_{first.pk}": "4"}, **HOST).status_code == 429
    assert ResidentRating.objects.get().rating == 3


def test_staff_do_not_see_who_wrote_a_comment(
    open_card: Scorecard, officer: User, make_user: Callable[..., User]
) -> None:
    person = make_user(name="Rita Rater")
    actions.rate(person, open_card, {open_card.criteria.first().pk: (2, "Too slow")})  # type: ignore[union-attr]
    client = sign_in(Client(), officer)
    page = client.get(f"/self-evaluation/manage/{open_card.slug}/comments/", **HOST)
    assert "Too slow" in page.content.decode()
    assert "Rita" not in page.content.decode() and person.email not in page.content.decode()
    assert Criterion.objects.filter(scorecard=open_card).count() == 6
