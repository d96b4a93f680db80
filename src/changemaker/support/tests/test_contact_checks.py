"""Phone numbers that are not phone numbers and postcodes outside the council are refused on
every form that takes them, in the GOV.UK error pattern, and nothing is saved."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django import forms
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.support import selectors
from changemaker.support.errors import SupportError
from changemaker.support.models import HelpRequest, Volunteer
from changemaker.support.phones import normalise_uk_phone
from changemaker.support.tests.conftest import HOST, next_weekday

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("01632 960 001", "01632 960001"),  # Ofcom's drama landline (the form's example)
        ("07700 900 982", "07700 900982"),  # Ofcom's drama mobile (GOV.UK's example)
        ("+44 7700 900982", "07700 900982"),
        ("+44 (0)7700 900982", "07700 900982"),
        ("(0161) 496 0000", "0161 496 0000"),
        ("020 7946 0018", "020 7946 0018"),
        ("07911-123-456", "07911 123456"),
        ("0044 20 7946 0018", "020 7946 0018"),
    ],
)
def test_uk_landlines_and_mobiles_are_accepted_in_their_national_form(
    typed: str, kept: str
) -> None:
    assert normalise_uk_phone(typed) == kept


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("12345", "Enter a phone number in the correct format"),
        ("07700 90098", "Enter a phone number in the correct format"),
        ("01481 123456", "Enter a phone number in the correct format"),  # no such number
        ("call me", "using only numbers, spaces and brackets"),
        ("0800 FLOWERS", "using only numbers, spaces and brackets"),
        ("07700 900982 ext 12", "using only numbers, spaces and brackets"),
        ("+1 212 555 0100", "Enter a UK phone number"),
        ("+353 1 234 5678", "Enter a UK phone number"),
        ("0800 123 4567", "Enter a landline or mobile number"),
        ("0300 123 4567", "Enter a landline or mobile number"),
        ("0909 879 0000", "Enter a landline or mobile number"),
    ],
)
def test_numbers_that_are_not_phone_numbers_are_refused(typed: str, says: str) -> None:
    with pytest.raises(forms.ValidationError) as caught:
        normalise_uk_phone(typed)
    message = " ".join(caught.value.messages)
    assert says in message and "like 01632 960 001 or 07700 900 982" in message


@pytest.fixture
def resident(make_user: Callable[..., User], area: Council) -> Client:
    client = Client()
    sign_in(client, make_user(Role.RESIDENT, name="Margaret Oduya"))
    return client


@pytest.fixture
def staff(coordinator: User) -> Client:
    client = Client()
    sign_in(client, coordinator)
    return client


def _ask(**changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "needs": ["shopping"],
        "needed_on": next_weekday(1).strftime("%d/%m/%Y"),
        "name": "Margaret Oduya",
        "phone": "01632 960123",
        "address": "4 Church Road",
        "postcode": "EX1 1AB",
    }
    answers.update(changes)
    return answers


def _assert_govuk_error(page: str, field: str, message: str) -> None:
    """The error summary at the top links to the field, and the message is by the field."""
    assert "There is a problem" in page and "<title>Error:" in page
    assert f'href="#id_{field}"' in page
    assert f'id="id_{field}-error"' in page
    assert page.count(message) == 2  # once in the summary, once by the field


def test_resident_form_refuses_a_phone_number_that_is_not_one(resident: Client) -> None:
    response = resident.post(reverse("support:ask"), _ask(phone="0123"), **HOST)
    page = response.content.decode()
    assert response.status_code == 200
    _assert_govuk_error(page, "phone", "Enter a phone number in the correct format")
    assert 'value="0123"' in page  # what was typed is kept
    assert not HelpRequest.objects.exists()


def test_resident_form_says_a_postcode_is_outside_the_council(resident: Client) -> None:
    response = resident.post(reverse("support:ask"), _ask(postcode="ex20 1aa"), **HOST)
    page = response.content.decode()
    _assert_govuk_error(
        page,
        "postcode",
        "EX20 1AA is not in Exampleton Borough Council: contact your own council. "
        "Find it at www.gov.uk/find-local-council",
    )
    assert resident.get(reverse("support:ask-check"), **HOST)["Location"] == reverse("support:ask")
    assert not HelpRequest.objects.exists()


def test_resident_form_keeps_the_number_in_its_national_form(resident: Client) -> None:
    resident.post(reverse("support:ask"), _ask(phone="+44 (0)1632 960123"), **HOST)
    resident.post(reverse("support:ask-check"), **HOST)
    assert HelpRequest.objects.get().phone == "01632 960123"


def _staff_request(**changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "source": "phone",
        "name": "Joan Miles",
        "postcode": "EX4 1AB",
        "needs": ["prescriptions"],
        "needed_on": next_weekday(3).strftime("%d/%m/%Y"),
        "urgency": "urgent",
        "vetting_required": "none",
    }
    answers.update(changes)
    return answers


def test_staff_request_form_checks_phone_and_postcode(staff: Client) -> None:
    url = reverse("support:request-new")
    page = staff.post(url, _staff_request(phone="+1 212 555 0100"), **HOST).content.decode()
    _assert_govuk_error(page, "phone", "Enter a UK phone number")
    page = staff.post(url, _staff_request(postcode="EX20 1AA"), **HOST).content.decode()
    _assert_govuk_error(
        page,
        "postcode",
        "EX20 1AA is not in Exampleton Borough Council: the person should contact their own "
        "council. Find it at www.gov.uk/find-local-council",
    )
    assert not HelpRequest.objects.exists()
    # The phone number stays optional for staff.
    staff.post(url, _staff_request(), **HOST)
    assert HelpRequest.objects.get().phone == ""


def test_volunteer_forms_refuse_a_phone_number_that_is_not_one(
    resident: Client, staff: Client
) -> None:
    answers = {
        "first_name": "Priya",
        "last_name": "Sharma",
        "phone": "999",
        "postcode": "EX3 1AB",
        "date_of_birth": "17/05/1980",
        "skills": ["shopping"],
        "available_days": ["0"],
        "max_distance_km": "3",
        "capacity": "2",
        "organisation": "council",
    }
    page = resident.post(reverse("support:volunteer"), answers, **HOST).content.decode()
    _assert_govuk_error(page, "phone", "Enter a phone number in the correct format")
    page = staff.post(reverse("support:volunteer-new"), answers, **HOST).content.decode()
    _assert_govuk_error(page, "phone", "Enter a phone number in the correct format")
    assert not Volunteer.objects.exists()


def test_recording_a_request_outside_the_council_is_refused_by_the_action(
    make_request: Callable[..., HelpRequest],
) -> None:
    with pytest.raises(SupportError, match="EX20 1AA is not in Exampleton Borough Council"):
        make_request(postcode="EX20 1AA")
    assert not HelpRequest.objects.exists()


def test_outside_only_when_the_council_describes_its_area(area: Council) -> None:
    assert selectors.locate(area, "EX20 1AA").outside
    assert not selectors.locate(area, "EX3 9ZZ").outside  # a district of Castle Hill
    bare = Council.objects.create(name="Nowhere", slug="nowhere")
    assert not selectors.locate(bare, "EX20 1AA").outside  # no wards: it cannot tell


def test_a_coordinator_signing_someone_up_is_asked_about_them_not_themselves(
    staff: Client,
) -> None:
    page = staff.post(reverse("support:volunteer-new"), {"email": ""}, **HOST).content.decode()
    for field, message in [
        ("first_name", "Enter their first name"),
        ("last_name", "Enter their last name"),
        ("date_of_birth", "Enter their date of birth"),
    ]:
        _assert_govuk_error(page, field, message)
    assert page.count("Choose at least one way they can help") == 2
    assert "Enter your" not in page and "How far can they travel?" in page
    assert not Volunteer.objects.exists()
