"""The pages: who may open them, and the journeys with plain forms (no JavaScript)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core.models import AuditEvent, Council, Notice, Role, User
from changemaker.core.notices import subject_key
from changemaker.core.tests.factories import WardFactory, sign_in
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.listening import adapter, selectors
from changemaker.listening.models import Follow, Notification

from .conftest import HOST

pytestmark = pytest.mark.django_db

#: every page of a person's own things: anyone with an account in the council, no one else
PAGES = ["listening:notifications", "listening:following", "listening:preferences"]


@pytest.mark.parametrize("view", PAGES)
@pytest.mark.parametrize("who", ALL_ROLES)
def test_role_view_matrix(
    council: Council, client_as: Callable[[str | None], Client], view: str, who: str
) -> None:
    response = client_for(who, client_as).get(reverse(view), **HOST)
    assert_allowed_or_refused(response, view, who, {str(r) for r in Role})


def test_signed_in_without_a_role_here_is_refused(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    assert client_as(None).get(reverse("listening:notifications"), **HOST).status_code == 403


def test_every_protected_view_is_in_the_matrix() -> None:
    from changemaker.listening.urls import resident

    protected = {f"listening:{p.name}" for p in resident.urlpatterns}
    posted_only = {"listening:read", "listening:follow", "listening:unfollow"}
    with_an_object = {"listening:follow-change"}
    assert protected - posted_only - with_an_object == set(PAGES)


def _resident(make_user: Callable[..., User]) -> tuple[User, Client]:
    person = make_user()
    return person, sign_in(Client(), person)


def test_follow_with_the_button_then_change_and_stop(
    council: Council, make_user: Callable[..., User]
) -> None:
    ward = WardFactory(council=council, name="Riverside")
    key = subject_key(ward)
    person, client = _resident(make_user)
    response = client.post("/following/new/", {"subject": key, "next": "/help/"}, **HOST)
    assert response.status_code == 302
    assert response["Location"] == "/help/"
    follow = Follow.objects.get(user=person)
    assert (follow.subject, follow.how) == (key, "at_once")

    listed = client.get("/following/", **HOST).content.decode()
    assert "Riverside" in listed
    change = client.get(f"/following/{follow.pk}/", **HOST).content.decode()
    assert 'type="radio"' in change and "How you hear" in change
    response = client.post(f"/following/{follow.pk}/", {"how": "sometimes"}, **HOST)
    assert "Choose how you want to hear" in response.content.decode()
    response = client.post(f"/following/{follow.pk}/", {"how": "weekly"}, **HOST)
    assert response.status_code == 302
    follow.refresh_from_db()
    assert follow.how == "weekly"

    _other, other_client = _resident(make_user)
    assert other_client.get(f"/following/{follow.pk}/", **HOST).status_code == 404
    other_client.post(f"/following/{follow.pk}/stop/", **HOST)
    assert Follow.objects.filter(pk=follow.pk).exists()  # not anyone else's to stop

    client.post(f"/following/{follow.pk}/stop/", **HOST)
    assert not Follow.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="listening.").order_by("pk")
    assert [e.action for e in events] == [
        "listening.followed",
        "listening.follow_changed",
        "listening.unfollowed",
    ]
    for event in events:  # no subject titles, nothing personal
        assert "Riverside" not in str(event.detail)


def test_made_up_or_invited_only_subjects_cannot_be_followed(
    council: Council, make_user: Callable[..., User]
) -> None:
    _person, client = _resident(make_user)
    for key in ["consultations.consultation:999", "nothing:1", "ward:999", "<script>"]:
        response = client.post("/following/new/", {"subject": key, "next": "/"}, **HOST)
        assert response.status_code == 302
    assert not Follow.objects.exists()


def test_next_never_leaves_the_site(council: Council, make_user: Callable[..., User]) -> None:
    ward = WardFactory(council=council)
    _person, client = _resident(make_user)
    response = client.post(
        "/following/new/", {"subject": subject_key(ward), "next": "https://evil.example/"}, **HOST
    )
    assert response["Location"] == "/following/"


def test_follow_a_ward_from_the_following_page(
    council: Council, make_user: Callable[..., User]
) -> None:
    ward = WardFactory(council=council, name="Riverside")
    person, client = _resident(make_user)
    page = client.get("/following/", **HOST).content.decode()
    assert "Riverside" in page
    response = client.post("/following/", {"ward": ""}, **HOST)
    body = response.content.decode()
    assert "There is a problem" in body and "Choose a ward" in body
    response = client.post("/following/", {"ward": subject_key(ward)}, **HOST)
    assert response.status_code == 302
    assert Follow.objects.get(user=person).subject == f"ward:{ward.pk}"


def test_preferences_errors_say_what_to_do(
    council: Council, make_user: Callable[..., User]
) -> None:
    _person, client = _resident(make_user)
    body = client.post("/notifications/choices/", {}, **HOST).content.decode()
    assert "There is a problem" in body
    assert "Choose yes or no" in body
    assert "Choose how you want to hear" in body


def test_own_things_can_be_heard_weekly(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    from .conftest import KIND

    person, client = _resident(make_user)
    form = {"emails": "yes", f"kind_{KIND.replace('.', '__')}": "weekly"}
    form |= {  # every other kind people hear about their own things (each capability's)
        f"kind_{k.replace('.', '__')}": "at_once"
        for k, _label in selectors.direct_kinds()
        if k != KIND
    }
    assert client.post("/notifications/choices/", form, **HOST).status_code == 302
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    assert Notification.objects.get().how == "weekly"


def test_the_list_and_marking_read(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person, client = _resident(make_user)
    other = make_user()
    notice(recipients=[person.pk, other.pk], question="Park?")
    notice(recipients=[person.pk], question="Bins?")
    adapter.dispatch_waiting()
    page = client.get("/notifications/", **HOST).content.decode()
    assert "Results are out: Park?" in page and "Results are out: Bins?" in page
    assert "Mark all 2 as read" in page

    theirs = Notification.objects.get(user=other)
    client.post(f"/notifications/{theirs.pk}/read/", **HOST)
    theirs.refresh_from_db()
    assert theirs.read_at is None  # not anyone else's

    mine = Notification.objects.filter(user=person).first()
    assert mine is not None
    client.post(f"/notifications/{mine.pk}/read/", **HOST)
    mine.refresh_from_db()
    assert mine.read_at is not None
    client.post("/notifications/", **HOST)
    assert not Notification.objects.filter(user=person, read_at__isnull=True).exists()
    assert "/notifications/" in client.get("/", **HOST).content.decode()  # in the navigation


def test_notification_times_read_the_gov_uk_way(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    """Walk F7: "7 December 2026, 6am", never "6:00a.m."."""
    person, client = _resident(make_user)
    notice(recipients=[person.pk], question="Park?")
    adapter.dispatch_waiting()
    at = timezone.make_aware(datetime(2026, 12, 7, 6, 0))
    Notification.objects.filter(user=person).update(created_at=at)
    page = client.get("/notifications/", **HOST).content.decode()
    assert "7 December 2026, 6am" in page and "a.m." not in page
