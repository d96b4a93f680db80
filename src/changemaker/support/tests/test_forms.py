"""Question pages, check answers, GOV.UK error messages that keep what people typed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.support.models import HelpRequest, PartnerOrganisation, Volunteer
from changemaker.support.tests.conftest import HOST, next_weekday

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(make_user: Callable[..., User], area: Council) -> Client:
    client = Client()
    sign_in(client, make_user(Role.RESIDENT, name="Margaret Oduya"))
    return client


def test_ask_for_help_with_check_answers(resident: Client) -> None:
    day = next_weekday(1)
    answers = {
        "needs": ["shopping", "prescriptions"],
        "needed_on": day.strftime("%d/%m/%Y"),
        "name": "Margaret Oduya",
        "phone": "01632 960123",
        "address": "4 Church Road",
        "postcode": "ex1 1ab",
        "details": "Ring twice",
    }
    response = resident.post(reverse("support:ask"), answers, **HOST)
    assert response["Location"] == reverse("support:ask-check")
    assert not HelpRequest.objects.exists()  # nothing saved before the person confirms
    check = resident.get(reverse("support:ask-check"), **HOST).content.decode()
    assert "Check your answers" in check
    assert "Food and shopping, Collecting prescriptions" in check and "EX1 1AB" in check
    assert 'href="/help/ask/#id_needs_0"' in check and 'href="/help/ask/#id_postcode"' in check
    # Change goes back to the question page with the answers kept.
    again = resident.get(reverse("support:ask"), **HOST).content.decode()
    assert 'value="4 Church Road"' in again and "checked" in again
    response = resident.post(reverse("support:ask-check"), **HOST)
    assert response["Location"] == reverse("support:my-requests")
    saved = HelpRequest.objects.get()
    assert saved.source == "resident" and saved.status == HelpRequest.Status.NEW
    assert saved.postcode == "EX1 1AB" and saved.ward is not None and saved.lat is not None
    assert saved.needs == ["prescriptions", "shopping"] and saved.needed_on == day
    assert "Ring twice" in saved.details
    page = resident.get(reverse("support:my-requests"), **HOST).content.decode()
    assert "New" in page
    # The session no longer holds the answers.
    assert resident.get(reverse("support:ask-check"), **HOST)["Location"] == reverse("support:ask")


def test_ask_errors_are_govuk_and_keep_answers(resident: Client) -> None:
    response = resident.post(
        reverse("support:ask"),
        {"name": "Margaret", "postcode": "not a postcode", "needed_on": "31/02/2030"},
        **HOST,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and "<title>Error:" in page
    assert 'href="#id_needs_0"' in page  # error summary links to the first checkbox
    assert "Choose what you need help with" in page
    assert "Enter a real postcode, like EX1 1AB" in page
    assert "Enter a real date, like 27/03/2027" in page
    assert 'value="not a postcode"' in page and 'value="Margaret"' in page
    past = (timezone.localdate() - timedelta(days=2)).strftime("%d/%m/%Y")
    page = resident.post(reverse("support:ask"), {"needed_on": past}, **HOST).content.decode()
    assert "must be today or in the future" in page


def _volunteer_answers(**changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "first_name": "Priya",
        "last_name": "Sharma",
        "phone": "07700 900123",
        "postcode": "EX3 1AB",
        "date_of_birth": "17/05/1980",
        "skills": ["shopping", "visiting"],
        "available_days": ["0", "5"],
        "max_distance_km": "3",
        "capacity": "2",
        "organisation": "council",
    }
    answers.update(changes)
    return answers


def test_volunteer_sign_up(resident: Client, partner: PartnerOrganisation) -> None:
    page = resident.get(reverse("support:volunteer"), **HOST).content.decode()
    assert "Abbey Mutual Aid" in page and 'value="Margaret"' in page
    answers = _volunteer_answers(organisation=str(partner.pk))
    resident.post(reverse("support:volunteer"), answers, **HOST)
    check = resident.get(reverse("support:volunteer-check"), **HOST).content.decode()
    assert "Abbey Mutual Aid" in check and "Monday, Saturday" in check
    resident.post(reverse("support:volunteer-check"), **HOST)
    volunteer = Volunteer.objects.get()
    assert volunteer.status == Volunteer.Status.APPLIED and volunteer.organisation == partner
    assert volunteer.available_days == [0, 5] and volunteer.max_distance_km == 3.0
    assert volunteer.badge_number.startswith("EXA-")
    # Visiting needs training first: offered, but not usable yet.
    assert volunteer.usable_skills() == {"shopping"}
    page = resident.get(reverse("support:my-volunteering"), **HOST).content.decode()
    assert volunteer.badge_number in page and "Applied" in page
    # Signing up twice goes to the volunteering page.
    assert resident.get(reverse("support:volunteer"), **HOST)["Location"] == reverse(
        "support:my-volunteering"
    )


def test_under_18_needs_a_guardian(resident: Client) -> None:
    born = date.today().replace(year=date.today().year - 16) - timedelta(days=3)
    answers = _volunteer_answers(date_of_birth=born.strftime("%d/%m/%Y"))
    page = resident.post(reverse("support:volunteer"), answers, **HOST).content.decode()
    assert "Enter your parent or guardian&#x27;s name" in page
    assert "Your parent or guardian must agree before you can volunteer" in page
    answers.update(
        guardian_name="Ada Sharma", guardian_email="ada@example.org", guardian_consent="on"
    )
    resident.post(reverse("support:volunteer"), answers, **HOST)
    resident.post(reverse("support:volunteer-check"), **HOST)
    volunteer = Volunteer.objects.get()
    assert volunteer.is_minor and volunteer.guardian_consent_at is not None
    too_young = date.today().replace(year=date.today().year - 12)
    page = resident.get(reverse("support:volunteer"), **HOST)
    assert page.status_code == 302  # already signed up
    client = Client()
    sign_in(client, User.objects.create_user(email="kid@example.org", name="Kid"))
    User.objects.get(email="kid@example.org").role_assignments.create(
        role=Role.RESIDENT, council=volunteer.council
    )
    answers["date_of_birth"] = too_young.strftime("%d/%m/%Y")
    page = client.post(reverse("support:volunteer"), answers, **HOST).content.decode()
    assert "You must be 14 or older to volunteer" in page


def test_coordinator_records_a_phone_request_and_vetting(
    area: Council, coordinator: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    client = Client()
    sign_in(client, coordinator)
    day = next_weekday(3).strftime("%d/%m/%Y")
    response = client.post(
        reverse("support:request-new"),
        {
            "source": "referrer",
            "referrer_name": "Abbey Road Surgery",
            "name": "Joan Miles",
            "postcode": "EX4 1AB",
            "needs": ["prescriptions"],
            "needed_on": day,
            "urgency": "urgent",
            "vetting_required": "basic",
            "safeguarding_flags": ["lives_alone", "neglect"],
        },
        **HOST,
    )
    request = HelpRequest.objects.get(name="Joan Miles")
    assert response["Location"] == reverse("support:request", args=[request.pk])
    assert request.status == HelpRequest.Status.TRIAGED and request.source == "referrer"
    assert request.concerns.count() == 1  # neglect goes to the safeguarding lead
    page = client.get(response["Location"], **HOST).content.decode()
    assert "Abbey Road Surgery" in page and "Signs of neglect" in page
    assert AuditEvent.objects.filter(
        action="support.request.viewed", object_id=str(request.pk), actor=coordinator
    ).exists()

    volunteer = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    url = reverse("support:volunteer-vetting", args=[volunteer.pk])
    page = client.post(
        url, {"level": "enhanced", "certificate_number": "12ab", "issued_on": "1/1/2026"}, **HOST
    ).content.decode()
    assert "Enter the 12-digit certificate number" in page and 'value="12ab"' in page
    client.post(
        url,
        {
            "level": "enhanced",
            "certificate_number": "0012 3456 7890",
            "issued_on": "01/01/2026",
            "expires_on": "01/01/2029",
        },
        **HOST,
    )
    record = volunteer.vetting_records.get()
    assert record.certificate_number == "001234567890" and record.checked_by == coordinator
    page = client.get(reverse("support:volunteer-detail", args=[volunteer.pk]), **HOST)
    assert escape(coordinator.name) in page.content.decode()
    client.post(
        reverse("support:volunteer-status", args=[volunteer.pk]), {"status": "active"}, **HOST
    )
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACTIVE
    page = client.post(
        reverse("support:volunteer-status", args=[volunteer.pk]), {"status": "paused"}, **HOST
    ).content.decode()
    assert "Give a reason for pausing or leaving" in page
    page = client.post(
        reverse("support:volunteer-status", args=[volunteer.pk]), {"status": "applied"}, **HOST
    ).content.decode()
    assert "Select a valid choice" in page or "There is a problem" in page
    assert AuditEvent.objects.filter(
        action="support.volunteer.status", object_id=str(volunteer.pk)
    ).exists()


def test_triage_moves_a_new_request_to_ready(
    area: Council, coordinator: User, make_request: Callable[..., HelpRequest]
) -> None:
    request = make_request(triaged=False)
    client = Client()
    sign_in(client, coordinator)
    url = reverse("support:request-triage", args=[request.pk])
    page = client.get(url, **HOST).content.decode()
    assert "checked" in page  # current answers are filled in
    client.post(
        url,
        {
            "urgency": "urgent",
            "needs": ["shopping"],
            "needed_on": request.needed_on.strftime("%d/%m/%Y"),
            "vetting_required": "basic",
        },
        **HOST,
    )
    request.refresh_from_db()
    assert request.status == HelpRequest.Status.TRIAGED and request.urgency == "urgent"


def test_ask_for_help_without_an_account(
    area: Council, django_capture_on_commit_callbacks: object
) -> None:
    client = Client()
    page = client.get(reverse("support:ask"), **HOST).content.decode()
    assert 'name="email"' in page
    client.post(
        reverse("support:ask"),
        {
            "needs": ["phone_befriending"],
            "needed_on": next_weekday(0).strftime("%d/%m/%Y"),
            "name": "Tom Lonely",
            "phone": "01632 960444",
            "address": "9 Park Road",
            "postcode": "EX6 1AB",
            "email": "tom@example.org",
        },
        **HOST,
    )
    response = client.post(reverse("support:ask-check"), **HOST)
    saved = HelpRequest.objects.get()
    assert "Request sent" in response.content.decode()
    assert f"<strong>{saved.pk}</strong>" in response.content.decode()
    assert saved.requester is None and saved.created_by is None and saved.email == "tom@example.org"
    assert saved.source == HelpRequest.Source.RESIDENT
    assert AuditEvent.objects.filter(action="support.request.created", actor=None).exists()


def test_signed_in_residents_are_not_asked_for_email(resident: Client) -> None:
    page = resident.get(reverse("support:ask"), **HOST).content.decode()
    assert 'name="email"' not in page


def test_referral_from_a_gp_surgery_through_the_public_form(resident: Client) -> None:
    resident.post(
        reverse("support:ask"),
        {
            "needs": ["prescriptions"],
            "needed_on": next_weekday(2).strftime("%d/%m/%Y"),
            "name": "Ann Patient",
            "phone": "01632 960555",
            "address": "2 Mill Road",
            "postcode": "EX7 1AB",
            "referrer_name": "Abbey Road Surgery, Dr Patel",
        },
        **HOST,
    )
    check = resident.get(reverse("support:ask-check"), **HOST).content.decode()
    assert "Abbey Road Surgery, Dr Patel" in check
    resident.post(reverse("support:ask-check"), **HOST)
    saved = HelpRequest.objects.get()
    assert saved.source == HelpRequest.Source.REFERRER
    assert saved.referrer_name == "Abbey Road Surgery, Dr Patel"
    assert saved.requester is not None  # the referrer can follow it


def test_lists_filter_by_ward(
    area: Council, coordinator: User, make_request: Callable[..., HelpRequest]
) -> None:
    abbey = make_request(postcode="EX1 1AB")
    north = make_request(postcode="EX9 4AF")
    client = Client()
    sign_in(client, coordinator)
    page = client.get(
        reverse("support:requests") + f"?status=open&ward={north.ward_id}", **HOST
    ).content.decode()
    assert f"Request {north.pk}<" in page and f"Request {abbey.pk}<" not in page
    page = client.get(reverse("support:volunteers") + "?ward=nonsense", **HOST)
    assert page.status_code == 200
