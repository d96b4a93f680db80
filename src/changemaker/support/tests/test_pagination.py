"""Coordinators' long lists use core's pagination partial, and its links keep the filters."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council, User
from changemaker.core.tests.factories import sign_in
from changemaker.support.models import HelpRequest, Match, Volunteer
from changemaker.support.tests.conftest import HOST, next_weekday
from changemaker.support.views.shared import PAGE_SIZE

pytestmark = pytest.mark.django_db


def _templates(response: object) -> set[str]:
    return {t.name for t in getattr(response, "templates", []) if t.name}


def test_lists_page_with_cores_partial_keeping_their_filters(
    area: Council,
    coordinator: User,
    make_request: Callable[..., HelpRequest],
    make_volunteer: Callable[..., Volunteer],
) -> None:
    first = make_request()
    volunteer = make_volunteer()
    ward = first.ward
    assert ward is not None
    HelpRequest.objects.bulk_create(
        HelpRequest(
            council=area,
            source="phone",
            name="Someone",
            postcode=first.postcode,
            ward=ward,
            needs=["shopping"],
            needed_on=next_weekday(2),
            status=HelpRequest.Status.TRIAGED,
        )
        for _n in range(PAGE_SIZE)
    )
    Match.objects.bulk_create(
        Match(request=r, volunteer=volunteer, distance_km=1.0)
        for r in HelpRequest.objects.filter(council=area)
    )
    client = Client()
    sign_in(client, coordinator)

    response = client.get(reverse("support:requests") + f"?status=triaged&ward={ward.pk}", **HOST)
    page = response.content.decode()
    assert "core/_pagination.html" in _templates(response)
    assert "support/staff/_pagination.html" not in _templates(response)
    assert f'href="?page=2&amp;status=triaged&amp;ward={ward.pk}"' in page
    assert "Page 1 of 2" in page

    response = client.get(reverse("support:proposals") + "?page=2", **HOST)
    page = response.content.decode()
    assert "core/_pagination.html" in _templates(response)
    assert 'href="?page=1"' in page and "Page 2 of 2" in page

    response = client.get(reverse("support:volunteers") + "?status=active", **HOST)
    assert "core/_pagination.html" in _templates(response)
