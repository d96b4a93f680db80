"""Role × view matrix for every protected support page, and partner organisations'
coordinators seeing only their own volunteers and requests.

Written out by hand (not derived from core/rules.py) so that widening access fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.core.tests.test_permissions import ALL_ROLES, ANON, NO_ROLE, _named_patterns
from changemaker.support import actions
from changemaker.support.adapter import engine_inputs
from changemaker.support.models import (
    HelpRequest,
    Match,
    PartnerOrganisation,
    SafeguardingConcern,
    Volunteer,
)
from changemaker.support.rules import partner_scope
from changemaker.support.selectors import settings_for
from changemaker.support.tests.conftest import HOST

pytestmark = pytest.mark.django_db

# Anyone with a role in this council (residents get theirs when they register).
SIGNED_IN = set(ALL_ROLES) - {ANON, NO_ROLE}
COORDINATORS = {Role.SUPPORT_COORDINATOR.value}
OWNER_ONLY = "only its own volunteer or requester"

# view name -> (method, argument kind, who may open it)
MATRIX: dict[str, tuple[str, str | None, set[str] | str]] = {
    "support:my-requests": ("get", None, SIGNED_IN),
    "support:my-request-cancel": ("get", "request", OWNER_ONLY),
    "support:volunteer": ("get", None, SIGNED_IN),
    "support:volunteer-check": ("get", None, SIGNED_IN),
    "support:my-volunteering": ("get", None, SIGNED_IN),
    "support:my-status": ("get", None, SIGNED_IN),
    "support:match-accept": ("post", "match", OWNER_ONLY),
    "support:match-decline": ("get", "match", OWNER_ONLY),
    "support:match-done": ("get", "match", OWNER_ONLY),
    "support:match-concern": ("get", "match", OWNER_ONLY),
    "support:match-message": ("get", "match", OWNER_ONLY),
    "support:dashboard": ("get", None, COORDINATORS),
    "support:requests": ("get", None, COORDINATORS),
    "support:request-new": ("get", None, COORDINATORS),
    "support:request": ("get", "request", COORDINATORS),
    "support:request-triage": ("get", "request", COORDINATORS),
    "support:request-cancel": ("post", "request", COORDINATORS),
    "support:request-concern": ("get", "request", COORDINATORS),
    "support:volunteers": ("get", None, COORDINATORS),
    "support:volunteer-new": ("get", None, COORDINATORS),
    "support:volunteer-detail": ("get", "volunteer", COORDINATORS),
    "support:volunteer-status": ("get", "volunteer", COORDINATORS),
    "support:volunteer-vetting": ("get", "volunteer", COORDINATORS),
    "support:volunteer-training": ("get", "volunteer", COORDINATORS),
    "support:match-run": ("post", None, COORDINATORS),
    "support:proposals": ("get", None, COORDINATORS),
    "support:match-confirm": ("post", "match", COORDINATORS),
    "support:match-withdraw": ("post", "match", COORDINATORS),
    "support:match-answer": ("post", "match", COORDINATORS),
    "support:match-complete": ("get", "match", COORDINATORS),
    "support:concerns": ("get", None, COORDINATORS),
    "support:concern": ("get", "concern", COORDINATORS),
}


@pytest.fixture
def objects(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> dict[str, int]:
    volunteer = make_volunteer()
    request = make_request()
    match = Match.objects.create(request=request, volunteer=volunteer, distance_km=1.0)
    actions.confirm_match(match, by=coordinator)
    concern = actions.raise_concern(area, by=coordinator, details="Worried", request=request)
    return {
        "volunteer": volunteer.pk,
        "request": request.pk,
        "match": match.pk,
        "concern": concern.pk,
    }


def _client(who: str, client_as: Callable[[str | None], Client]) -> Client:
    return Client() if who == ANON else client_as(None if who == NO_ROLE else who)


@pytest.mark.parametrize("view", sorted(MATRIX))
def test_role_view_matrix(
    view: str,
    objects: dict[str, int],
    client_as: Callable[[str | None], Client],
) -> None:
    for who in ALL_ROLES:
        _check(view, who, objects, client_as)


def _check(
    view: str, who: str, objects: dict[str, int], client_as: Callable[[str | None], Client]
) -> None:
    method, kind, allowed = MATRIX[view]
    url = reverse(view, args=[] if kind is None else [objects[kind]])
    response = getattr(_client(who, client_as), method)(url, **HOST)
    if who == ANON:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:sign-in"))
    elif allowed == OWNER_ONLY and who != NO_ROLE:
        assert response.status_code == 404, (view, who, response.status_code)  # not theirs
    elif who in allowed and allowed != OWNER_ONLY:
        assert response.status_code in {200, 302}, (view, who, response.status_code)
        if response.status_code == 302:
            assert "/sign-in/" not in response["Location"]
    else:
        assert response.status_code == 403, (view, who, response.status_code)
        assert b"You cannot see this page" in response.content


def test_every_support_protected_view_is_in_the_matrix() -> None:
    protected = {
        name
        for name, view in _named_patterns(get_resolver())
        if hasattr(view, "permission") and name.startswith("support:")
    }
    assert protected == set(MATRIX)


def test_start_and_ask_pages_are_public(area: Council) -> None:
    assert Client().get(reverse("support:start"), **HOST).status_code == 200
    assert Client().get(reverse("support:ask"), **HOST).status_code == 200
    # Check answers with nothing to check goes back to the question page.
    assert Client().get(reverse("support:ask-check"), **HOST)["Location"] == reverse("support:ask")


def _get(client: Client, name: str, pk: int | None = None) -> int:
    return int(client.get(reverse(name, args=[] if pk is None else [pk]), **HOST).status_code)


DETAIL_VIEWS = {
    "volunteer": [
        "support:volunteer-detail",
        "support:volunteer-status",
        "support:volunteer-vetting",
        "support:volunteer-training",
    ],
    "request": [
        "support:request",
        "support:request-triage",
        "support:request-concern",
    ],
}


@dataclass(frozen=True)
class Records:
    """A volunteer and a request of the partner, of another partner, and of the council."""

    ours_v: Volunteer
    theirs_v: Volunteer
    council_v: Volunteer
    ours_r: HelpRequest
    theirs_r: HelpRequest
    council_r: HelpRequest


@pytest.fixture
def records(
    partner: PartnerOrganisation,
    other_partner: PartnerOrganisation,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> Records:
    return Records(
        ours_v=make_volunteer(first_name="Ours", organisation=partner),
        theirs_v=make_volunteer(first_name="Theirs", organisation=other_partner),
        council_v=make_volunteer(first_name="Councils"),
        ours_r=make_request(organisation=partner, name="Our Resident"),
        theirs_r=make_request(organisation=other_partner, name="Their Resident"),
        council_r=make_request(name="Council Resident"),
    )


@pytest.fixture
def as_partner(partner_coordinator: User) -> Client:
    client = Client()
    sign_in(client, partner_coordinator)
    return client


@pytest.mark.parametrize(
    ("kind", "name"), [(kind, name) for kind, names in DETAIL_VIEWS.items() for name in names]
)
def test_partner_coordinator_opens_only_their_organisations_records(
    kind: str, name: str, records: Records, as_partner: Client
) -> None:
    if kind == "volunteer":
        own, hidden = records.ours_v.pk, [records.theirs_v.pk, records.council_v.pk]
    else:
        own, hidden = records.ours_r.pk, [records.theirs_r.pk, records.council_r.pk]
    assert _get(as_partner, name, own) == 200, name
    for pk in hidden:
        assert _get(as_partner, name, pk) == 404, (name, pk)


def test_partner_coordinator_lists_only_their_organisation(
    records: Records, as_partner: Client
) -> None:
    listing = as_partner.get(reverse("support:volunteers"), **HOST).content.decode()
    assert "Ours" in listing and "Theirs" not in listing and "Councils" not in listing
    listing = as_partner.get(reverse("support:requests"), **HOST).content.decode()
    assert f"Request {records.ours_r.pk}<" in listing
    assert f"Request {records.theirs_r.pk}<" not in listing
    assert f"Request {records.council_r.pk}<" not in listing


def test_partner_coordinator_matches_only_their_organisation(
    area: Council, records: Records, partner_coordinator: User, as_partner: Client
) -> None:
    match = Match.objects.create(
        request=records.theirs_r, volunteer=records.theirs_v, distance_km=1
    )
    confirm = reverse("support:match-confirm", args=[match.pk])
    assert as_partner.post(confirm, **HOST).status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.PROPOSED
    # Matching in the partner's scope proposes only the partner's people.
    requests, volunteers = engine_inputs(area, partner_scope(partner_coordinator, area))
    assert {r.request_id for r in requests} == {str(records.ours_r.pk)}
    assert {v.volunteer_id for v in volunteers} == {str(records.ours_v.pk)}


def test_a_volunteer_a_partner_coordinator_adds_belongs_to_their_organisation(
    partner: PartnerOrganisation, as_partner: Client
) -> None:
    answers = {
        "first_name": "Added",
        "last_name": "ByPartner",
        "phone": "07700 900000",
        "postcode": "EX1 1AB",
        "date_of_birth": "01/01/1970",
        "skills": ["shopping"],
        "available_days": ["1"],
        "max_distance_km": "3",
        "capacity": "1",
    }
    page = as_partner.post(
        reverse("support:volunteer-new"), {**answers, "organisation": "council"}, **HOST
    ).content.decode()
    assert "Select a valid choice" in page  # they cannot pick another
    as_partner.post(
        reverse("support:volunteer-new"), {**answers, "organisation": str(partner.pk)}, **HOST
    )
    assert Volunteer.objects.get(first_name="Added").organisation == partner


def test_a_request_a_partner_coordinator_records_belongs_to_their_organisation(
    partner: PartnerOrganisation, records: Records, as_partner: Client
) -> None:
    as_partner.post(
        reverse("support:request-new"),
        {
            "source": "phone",
            "name": "New Person",
            "postcode": "EX1 1AB",
            "needs": ["shopping"],
            "needed_on": records.ours_r.needed_on.strftime("%d/%m/%Y"),
            "urgency": "routine",
            "vetting_required": "none",
        },
        **HOST,
    )
    assert HelpRequest.objects.get(name="New Person").organisation == partner


def test_safeguarding_concerns_are_not_for_partner_coordinators(
    area: Council, coordinator: User, records: Records, as_partner: Client
) -> None:
    concern = actions.raise_concern(area, by=coordinator, details="Worried", request=records.ours_r)
    assert _get(as_partner, "support:concerns") == 403
    assert _get(as_partner, "support:concern", concern.pk) == 403


def test_the_councils_coordinator_sees_every_volunteer(coordinator: User, records: Records) -> None:
    staff = Client()
    sign_in(staff, coordinator)
    for pk in (records.ours_v.pk, records.theirs_v.pk, records.council_v.pk):
        assert _get(staff, "support:volunteer-detail", pk) == 200


def test_named_safeguarding_lead_is_the_only_reader(
    area: Council,
    coordinator: User,
    make_user: Callable[..., User],
) -> None:
    lead = make_user(Role.SUPPORT_COORDINATOR)
    settings = settings_for(area)
    settings.safeguarding_lead = lead
    settings.save()
    concern = actions.raise_concern(area, by=coordinator, details="Worried")
    assert SafeguardingConcern.objects.count() == 1
    as_lead, as_other = Client(), Client()
    sign_in(as_lead, lead)
    sign_in(as_other, coordinator)
    assert _get(as_lead, "support:concern", concern.pk) == 200
    assert _get(as_other, "support:concern", concern.pk) == 403


def test_staff_area_links_to_community_support(
    area: Council, client_as: Callable[[str | None], Client]
) -> None:
    page = client_as(Role.SUPPORT_COORDINATOR).get(reverse("core:staff"), **HOST)
    assert reverse("support:dashboard") in page.content.decode()
    page = client_as(Role.ENGAGEMENT_OFFICER).get(reverse("core:staff"), **HOST)
    assert reverse("support:dashboard") not in page.content.decode()


@pytest.mark.django_db(transaction=True)
def test_partner_run_proposes_and_shows_only_their_people(
    area: Council,
    partner: PartnerOrganisation,
    coordinator: User,
    partner_coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    from django.core.management import call_command

    ours_v = make_volunteer(organisation=partner)
    make_volunteer()  # the council's: must not be proposed for the partner's request
    ours_r = make_request(organisation=partner)
    council_r = make_request()
    client = Client()
    sign_in(client, partner_coordinator)
    client.post(reverse("support:match-run"), **HOST)
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    match = Match.objects.get()
    assert (match.request_id, match.volunteer_id) == (ours_r.pk, ours_v.pk)
    page = client.get(reverse("support:proposals"), **HOST).content.decode()
    assert "Finished" in page and f"Request {ours_r.pk}<" in page
    assert f"Request {council_r.pk}<" not in page
    # The council's coordinator does not see the partner's run as theirs.
    staff = Client()
    sign_in(staff, coordinator)
    assert "Last run" not in staff.get(reverse("support:proposals"), **HOST).content.decode()


def test_partner_coordinator_sees_no_other_organisations_volunteers_on_any_page(
    area: Council,
    partner: PartnerOrganisation,
    other_partner: PartnerOrganisation,
    coordinator: User,
    partner_coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    """Finding 10: a council-wide match put another organisation's volunteer on a partner's
    request, and the partner's coordinator saw their first name and badge."""
    from changemaker.support.models import CoordinatorMessage

    ours_v = make_volunteer(first_name="Ourvol", organisation=partner)
    theirs_v = make_volunteer(first_name="Theirvol", organisation=other_partner)
    council_v = make_volunteer(first_name="Councilvol")
    ours_r = make_request(organisation=partner, name="Our Resident")
    theirs_r = make_request(organisation=other_partner, name="Their Resident")
    hidden = [theirs_v, council_v]
    for volunteer in (ours_v, *hidden):
        match = Match.objects.create(
            request=ours_r,
            volunteer=volunteer,
            distance_km=1,
            status=Match.Status.DECLINED,
            decline_reason=f"Away, says {volunteer.first_name}",
        )
        CoordinatorMessage.objects.create(
            match=match, sender=coordinator, body=f"Note from {volunteer.first_name}"
        )
    # Their request was matched council-wide with our volunteer: not ours to see.
    Match.objects.create(request=theirs_r, volunteer=ours_v, distance_km=1)
    Match.objects.create(
        request=ours_r, volunteer=theirs_v, distance_km=2, status=Match.Status.COMPLETED, hours=3
    )
    Match.objects.create(request=ours_r, volunteer=council_v, distance_km=2)  # proposed

    client = Client()
    sign_in(client, partner_coordinator)
    pages = {
        "dashboard": reverse("support:dashboard"),
        "requests": reverse("support:requests") + "?status=all",
        "request": reverse("support:request", args=[ours_r.pk]),
        "volunteers": reverse("support:volunteers"),
        "volunteer": reverse("support:volunteer-detail", args=[ours_v.pk]),
        "proposals": reverse("support:proposals"),
    }
    for name, url in pages.items():
        response = client.get(url, **HOST)
        assert response.status_code == 200, name
        page = response.content.decode()
        for volunteer in hidden:
            assert volunteer.first_name not in page, (name, volunteer.first_name)
            assert volunteer.badge_number not in page, (name, volunteer.badge_number)
        assert "Their Resident" not in page, name
        assert f"Request {theirs_r.pk}<" not in page, name
    request_page = client.get(pages["request"], **HOST).content.decode()
    assert "Ourvol" in request_page and ours_v.badge_number in request_page
    assert "Note from Ourvol" in request_page and "Away, says Ourvol" in request_page
    assert request_page.count("A volunteer from another organisation") == 4
    dashboard = client.get(pages["dashboard"], **HOST).context
    assert dashboard["proposed"] == 0 and dashboard["done"]["n"] == 0
    # The council-wide coordinator still sees everyone.
    sign_in(client, coordinator)
    everything = client.get(pages["request"], **HOST).content.decode()
    assert all(v.first_name in everything for v in (ours_v, *hidden))
