"""Fixtures for community support: the demo postcode table, wards, people and makers."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone

from changemaker.core.management.commands.load_demo import WARDS
from changemaker.core.models import Council, Role, User, Ward
from changemaker.support import actions
from changemaker.support.demo import load_postcodes
from changemaker.support.models import (
    HelpRequest,
    PartnerMembership,
    PartnerOrganisation,
    Volunteer,
)

HOST = {"HTTP_HOST": "exampleton.test"}
# Postcodes from fixtures/postcodes.csv: EX1 (Abbey) is about 2.5 km from EX2 (also Abbey).
NEAR = "EX1 1AB"
ALSO_NEAR = "EX1 1BL"
FAR = "EX9 4AF"
CERTIFICATES = itertools.count(900_000_000_000)  # each volunteer's DBS certificate is their own


@pytest.fixture
def area(council: Council) -> Council:
    load_postcodes()
    for name, code, districts in WARDS:
        Ward.objects.create(council=council, name=name, code=code, postcode_districts=districts)
    return council


@pytest.fixture
def partner(area: Council) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(council=area, name="Abbey Mutual Aid")


@pytest.fixture
def other_partner(area: Council) -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(council=area, name="Riverside Good Neighbours")


@pytest.fixture
def coordinator(make_user: Callable[..., User], area: Council) -> User:
    return make_user(Role.SUPPORT_COORDINATOR)


@pytest.fixture
def partner_coordinator(make_user: Callable[..., User], partner: PartnerOrganisation) -> User:
    user = make_user(Role.SUPPORT_COORDINATOR)
    PartnerMembership.objects.create(organisation=partner, user=user)
    return user


def next_weekday(weekday: int) -> date:
    day = timezone.localdate() + timedelta(days=1)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day


@pytest.fixture
def make_volunteer(
    area: Council, coordinator: User, make_user: Callable[..., User]
) -> Callable[..., Volunteer]:
    def make(
        *,
        status: str = Volunteer.Status.ACTIVE,
        vetting: str | None = "enhanced",
        expires: date | None = None,
        account: bool = True,
        **kwargs: Any,
    ) -> Volunteer:
        data: dict[str, Any] = {
            "first_name": "Priya",
            "last_name": "Sharma",
            "email": "",
            "phone": "07700 900123",
            "postcode": NEAR,
            "date_of_birth": date(1980, 5, 17),
            "skills": ["shopping"],
            "available_days": list(range(7)),
            "max_distance_km": 5.0,
            "capacity": 2,
        }
        data.update(kwargs)
        user = make_user(Role.RESIDENT) if account else None
        if user is not None and not data["email"]:
            data["email"] = user.email
        volunteer = actions.sign_up_volunteer(area, user=user, by=user, **data)
        if vetting:
            actions.record_vetting(
                volunteer,
                by=coordinator,
                level=vetting,
                certificate_number=f"{next(CERTIFICATES):012d}",
                issued_on=timezone.localdate() - timedelta(days=100),
                expires_on=expires,
            )
        for step in {
            Volunteer.Status.APPLIED: [],
            Volunteer.Status.CHECKS: ["checks"],
            Volunteer.Status.ACTIVE: ["checks", "active"],
            Volunteer.Status.PAUSED: ["checks", "active", "paused"],
            Volunteer.Status.LEFT: ["left"],
        }[status]:
            actions.change_volunteer_status(volunteer, status=step, reason="test", by=coordinator)
        volunteer.refresh_from_db()
        return volunteer

    return make


@pytest.fixture
def make_request(area: Council, coordinator: User) -> Callable[..., HelpRequest]:
    def make(**kwargs: Any) -> HelpRequest:
        data: dict[str, Any] = {
            "source": HelpRequest.Source.PHONE,
            "by": coordinator,
            "name": "Margaret Oduya",
            "phone": "01632 960111",
            "address": "12 Mill Road",
            "postcode": ALSO_NEAR,
            "needs": ["shopping"],
            "needed_on": next_weekday(2),
            "urgency": "soon",
            "triaged": True,
        }
        data.update(kwargs)
        return actions.submit_help_request(area, **data)

    return make
