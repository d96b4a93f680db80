"""Residents cancel their own requests: a page that asks first, an audited action, matched
volunteers told, and coordinators see who cancelled it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.support import actions
from changemaker.support.errors import SupportError
from changemaker.support.models import HelpRequest, Match, Volunteer
from changemaker.support.tests.conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def asker(make_user: Callable[..., User]) -> User:
    return make_user(Role.RESIDENT, name="Margaret Oduya")


def _client(user: User) -> Client:
    client = Client()
    sign_in(client, user)
    return client


def test_a_resident_cancels_their_request_and_the_volunteer_is_told(
    asker: User,
    coordinator: User,
    make_request: Callable[..., HelpRequest],
    make_volunteer: Callable[..., Volunteer],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    request = make_request(requester=asker, by=asker, source="resident")
    volunteer = make_volunteer()
    match = Match.objects.create(request=request, volunteer=volunteer, distance_km=1.0)
    actions.confirm_match(match, by=coordinator)
    actions.respond_to_match(match, by=volunteer.user, accept=True)  # type: ignore[arg-type]
    client = _client(asker)

    listing = client.get(reverse("support:my-requests"), **HOST).content.decode()
    url = reverse("support:my-request-cancel", args=[request.pk])
    assert f'href="{url}"' in listing
    page = client.get(url, **HOST).content.decode()
    assert "Are you sure you want to cancel your request?" in page
    assert "Yes, cancel this request" in page and '<form method="post"' in page
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.ASSIGNED  # asking first changes nothing

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(url, **HOST)
    assert response["Location"] == reverse("support:my-requests")
    request.refresh_from_db()
    match.refresh_from_db()
    assert request.status == HelpRequest.Status.CANCELLED and request.closed_at is not None
    assert request.cancelled_by == HelpRequest.CancelledBy.REQUESTER
    assert match.status == Match.Status.WITHDRAWN
    [told] = mail.outbox
    assert told.to == [volunteer.email] and "cancelled" in told.subject
    assert request.name not in told.body and request.address not in told.body
    event = AuditEvent.objects.get(action="support.request.cancelled", object_id=str(request.pk))
    assert event.actor == asker and event.detail["by_requester"] is True
    listing = client.get(reverse("support:my-requests"), **HOST).content.decode()
    assert "Cancelled" in listing and f'href="{url}"' not in listing
    # Cancelled requests cannot be opened to cancel again.
    assert client.get(url, **HOST).status_code == 404

    # Coordinators see it as cancelled, and by whom.
    staff = _client(coordinator)
    page = staff.get(reverse("support:request", args=[request.pk]), **HOST).content.decode()
    assert "Cancelled by the person who asked for help" in page
    page = staff.get(reverse("support:requests") + "?status=cancelled", **HOST).content.decode()
    assert f"Request {request.pk}<" in page and "(by the person who asked)" in page


def test_nobody_else_can_cancel_a_residents_request(
    asker: User, make_user: Callable[..., User], make_request: Callable[..., HelpRequest]
) -> None:
    request = make_request(requester=asker, by=asker, source="resident")
    other = make_user(Role.RESIDENT)
    url = reverse("support:my-request-cancel", args=[request.pk])
    assert _client(other).post(url, **HOST).status_code == 404
    with pytest.raises(SupportError, match="not yours to cancel"):
        actions.cancel_request(request, by=other, as_requester=True)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.TRIAGED


def test_a_coordinator_cancelling_is_recorded_as_theirs(
    coordinator: User, make_request: Callable[..., HelpRequest]
) -> None:
    request = make_request()
    _client(coordinator).post(reverse("support:request-cancel", args=[request.pk]), **HOST)
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.CANCELLED
    assert request.cancelled_by == HelpRequest.CancelledBy.COORDINATOR
