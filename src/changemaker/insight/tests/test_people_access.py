"""Least privilege as a matrix: role x purpose -> which datasets and which restricted fields
``access_for`` lets someone see; and the stated purpose's life in the session."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.insight.access import (
    PURPOSE_SESSION_KEY,
    access_for,
    available_purposes,
    restricted_fields,
)
from changemaker.insight.tests.people_fixtures import HOST, World, make_world

ALL = {"council-tax", "housing", "school-attendance"}


@pytest.fixture
def world(council: Council) -> World:
    return make_world(council)


# role, purpose -> (datasets seen, housing's restricted fields seen)
MATRIX: dict[tuple[str | None, str], tuple[set[str], bool]] = {
    (Role.PRACTITIONER, "early_help"): (ALL, True),
    (Role.PRACTITIONER, "debt"): ({"council-tax", "housing"}, False),
    (Role.PRACTITIONER, "uncovered"): (set(), False),
    (Role.PRACTITIONER, "none"): (set(), False),
    (Role.DATA_OFFICER, "early_help"): (ALL, False),  # no insight.view_restricted
    (Role.DATA_OFFICER, "debt"): ({"council-tax", "housing"}, False),
    (Role.DATA_OFFICER, "none"): (set(), False),
    **{
        (role, purpose): (set(), False)
        for role in [
            Role.RESIDENT,
            Role.ENGAGEMENT_OFFICER,
            Role.SUPPORT_COORDINATOR,
            Role.EVIDENCE_LEAD,
            Role.COUNCIL_ADMIN,
            Role.PLATFORM_ADMIN,
            None,
        ]
        for purpose in ["early_help", "debt"]
    },
}


@pytest.mark.parametrize(("role", "purpose"), sorted(MATRIX, key=str))
def test_what_each_role_sees_for_each_purpose(
    role: str | None, purpose: str, world: World, make_user: Callable[..., User]
) -> None:
    user = make_user(role)
    chosen = None if purpose == "none" else getattr(world, purpose)
    access = access_for(user, world.council, chosen)
    datasets, restricted = MATRIX[(role, purpose)]
    assert {a.dataset.code for a in access.datasets.values()} == datasets
    assert access.shows(world.housing.pk, "hb_claim") is restricted
    # housing's agreement names restricted categories: its kept columns are restricted too
    assert access.shows(world.housing.pk, "rent_arrears_weeks") is restricted
    if datasets:
        assert access.shows(world.council_tax.pk, "arrears_amount")
        assert access.shows(world.housing.pk, "surname")
    records = {link.record.dataset.code for link in access.records(world.run)}
    assert records == datasets


def test_anonymous_sees_nothing(world: World) -> None:
    from django.contrib.auth.models import AnonymousUser

    access = access_for(AnonymousUser(), world.council, world.early_help)
    assert not access.datasets and access.purpose is None


def test_purpose_of_another_council_gives_nothing(
    world: World, make_user: Callable[..., User]
) -> None:
    from changemaker.core.tests.factories import CouncilFactory

    other: Council = CouncilFactory()  # type: ignore[assignment]
    access = access_for(make_user(Role.PRACTITIONER), other, world.early_help)
    assert not access.datasets


def test_expired_agreement_stops_access(world: World, make_user: Callable[..., User]) -> None:
    agreement = world.school.agreement
    agreement.ends_on = timezone.localdate() - timedelta(days=1)
    agreement.save()
    access = access_for(make_user(Role.PRACTITIONER), world.council, world.early_help)
    assert "school-attendance" not in {a.dataset.code for a in access.datasets.values()}


def test_listed_restricted_field_of_an_unrestricted_agreement(world: World) -> None:
    world.council_tax.restricted_fields = ["nino"]
    world.council_tax.save()
    assert restricted_fields(world.council_tax) == {"nino"}
    assert restricted_fields(world.housing) == {"hb_claim", "rent_arrears_weeks"}


def test_only_covered_purposes_are_offered(world: World) -> None:
    assert set(available_purposes(world.council)) == {world.early_help, world.debt}


def _client(make_user: Callable[..., User], role: str = Role.PRACTITIONER) -> Client:
    client = Client()
    sign_in(client, make_user(role))
    return client


def test_purpose_is_asked_first_and_kept_for_30_minutes(
    world: World, make_user: Callable[..., User]
) -> None:
    client = _client(make_user)
    response = client.get(reverse("insight:search"), **HOST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("insight:purpose"))
    page = client.get(response["Location"], **HOST)
    assert "Early help assessment" in page.content.decode()
    assert "Marketing" not in page.content.decode()  # covered by no agreement
    response = client.post(
        reverse("insight:purpose"), {"purpose": world.early_help.pk, "next": "/insight/"}, **HOST
    )
    assert response.status_code == 302
    assert client.get(reverse("insight:search"), **HOST).status_code == 200
    event = AuditEvent.objects.get(action="insight.purpose_stated")
    assert event.reason == "Early help assessment"
    # 31 minutes later the purpose has lapsed
    session = client.session
    session[PURPOSE_SESSION_KEY]["until"] = (timezone.now() - timedelta(minutes=1)).isoformat()
    session.save()
    assert client.get(reverse("insight:search"), **HOST).status_code == 302


def test_a_purpose_no_agreement_covers_is_refused(
    world: World, make_user: Callable[..., User]
) -> None:
    client = _client(make_user)
    response = client.post(reverse("insight:purpose"), {"purpose": world.uncovered.pk}, **HOST)
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_next_must_stay_on_the_site(world: World, make_user: Callable[..., User]) -> None:
    client = _client(make_user)
    response = client.post(
        reverse("insight:purpose"),
        {"purpose": world.early_help.pk, "next": "https://evil.example/"},
        **HOST,
    )
    assert response["Location"] == reverse("insight:search")
