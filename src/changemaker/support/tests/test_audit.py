"""Every access to personal records is audited; the audit log and URLs hold nothing personal."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Council, User
from changemaker.core.tests.factories import sign_in
from changemaker.support.models import HelpRequest, Volunteer
from changemaker.support.tests.conftest import HOST

pytestmark = pytest.mark.django_db


def test_opening_details_is_audited_without_personal_data(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    volunteer = make_volunteer(first_name="Priya", last_name="Sharma", phone="07700 900555")
    request = make_request(name="Margaret Oduya", phone="01632 960111")
    client = Client()
    sign_in(client, coordinator)
    pages = [
        reverse("support:volunteer-detail", args=[volunteer.pk]),
        reverse("support:request", args=[request.pk]),
        reverse("support:volunteers"),
        reverse("support:requests"),
    ]
    for url in pages:
        assert client.get(url, **HOST).status_code == 200
        assert all(part.isdigit() or part.isascii() for part in url.split("/"))
        for secret in ("Priya", "Sharma", "Margaret", "EX1", "07700"):
            assert secret not in url
    events = AuditEvent.objects.filter(actor=coordinator)
    viewed = {(e.action, e.object_id) for e in events}
    assert ("support.volunteer.viewed", str(volunteer.pk)) in viewed
    assert ("support.request.viewed", str(request.pk)) in viewed
    assert {"support.volunteers.listed", "support.requests.listed"} <= {a for a, _ in viewed}
    assert all(e.reason == "coordination" for e in events if e.action.endswith("viewed"))
    dump = json.dumps(
        list(AuditEvent.objects.values("action", "object_type", "object_id", "reason", "detail"))
    )
    for secret in ("Priya", "Sharma", "Margaret", "Oduya", "07700", "01632", "EX1 1"):
        assert secret not in dump
