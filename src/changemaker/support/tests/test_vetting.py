"""Recording a DBS check: an issue date in the future is refused; a certificate number already
recorded for another volunteer is a warning the coordinator may confirm (audited)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core.models import AuditEvent, User
from changemaker.core.tests.factories import sign_in
from changemaker.support import actions
from changemaker.support.errors import NeedsConfirming, SupportError
from changemaker.support.models import VettingRecord, Volunteer
from changemaker.support.tests.conftest import HOST

pytestmark = pytest.mark.django_db

WARNING = "This certificate number is already recorded for another volunteer"


@pytest.fixture
def staff(coordinator: User) -> Client:
    client = Client()
    sign_in(client, coordinator)
    return client


def _check(number: str = "1111 2222 3333", **changes: object) -> dict[str, object]:
    answers: dict[str, object] = {
        "level": "enhanced",
        "certificate_number": number,
        "issued_on": (timezone.localdate() - timedelta(days=10)).strftime("%d/%m/%Y"),
    }
    answers.update(changes)
    return answers


def test_an_issue_date_in_the_future_is_refused_by_the_field(
    staff: Client, make_volunteer: Callable[..., Volunteer]
) -> None:
    person = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    tomorrow = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    url = reverse("support:volunteer-vetting", args=[person.pk])
    page = staff.post(url, _check(issued_on=tomorrow), **HOST).content.decode()
    message = "The issue date must be today or in the past: check the date on the certificate"
    assert "There is a problem" in page and 'href="#id_issued_on"' in page
    assert page.count(message) == 2 and 'id="id_issued_on-error"' in page
    assert f'value="{tomorrow}"' in page
    assert not VettingRecord.objects.exists()
    today = timezone.localdate().strftime("%d/%m/%Y")
    staff.post(url, _check(issued_on=today), **HOST)
    assert person.vetting_records.get().issued_on == timezone.localdate()


def test_the_action_refuses_an_issue_date_in_the_future(
    coordinator: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    person = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    with pytest.raises(SupportError, match="issue date must be today or in the past"):
        actions.record_vetting(
            person,
            by=coordinator,
            level="basic",
            certificate_number="111122223333",
            issued_on=timezone.localdate() + timedelta(days=30),
            expires_on=None,
        )
    assert not VettingRecord.objects.exists()


def test_a_certificate_number_used_by_another_volunteer_warns_then_may_be_confirmed(
    staff: Client, coordinator: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    first = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    second = make_volunteer(
        vetting=None, status=Volunteer.Status.CHECKS, first_name="Tom", last_name="Hughes"
    )
    staff.post(reverse("support:volunteer-vetting", args=[first.pk]), _check(), **HOST)
    assert first.vetting_records.count() == 1

    url = reverse("support:volunteer-vetting", args=[second.pk])
    response = staff.post(url, _check("111122223333"), **HOST)
    page = response.content.decode()
    assert response.status_code == 200  # shown again, not saved
    assert WARNING in page and "govuk-warning-text" in page
    assert "There is a problem" not in page  # a warning, not an error
    assert 'type="checkbox" name="confirm_duplicate"' in page
    assert 'value="111122223333"' in page  # what was typed is kept
    assert not second.vetting_records.exists()
    # Saving again without ticking the box warns again.
    page = staff.post(url, _check("111122223333"), **HOST).content.decode()
    assert WARNING in page and not second.vetting_records.exists()
    # Ticked: recorded, and the audit log says a duplicate was confirmed (no number in it).
    response = staff.post(url, _check("111122223333", confirm_duplicate="on"), **HOST)
    assert response["Location"] == reverse("support:volunteer-detail", args=[second.pk])
    record = second.vetting_records.get()
    event = AuditEvent.objects.get(action="support.vetting.recorded", object_id=str(record.pk))
    assert event.detail["duplicate_confirmed"] is True and event.actor == coordinator
    assert "111122223333" not in str(event.detail)


def test_the_same_volunteers_own_renewal_is_no_duplicate(
    coordinator: User, make_volunteer: Callable[..., Volunteer]
) -> None:
    person = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    for _round in range(2):
        actions.record_vetting(
            person,
            by=coordinator,
            level="enhanced",
            certificate_number="444455556666",
            issued_on=timezone.localdate(),
            expires_on=None,
        )
    other = make_volunteer(vetting=None, status=Volunteer.Status.CHECKS)
    with pytest.raises(NeedsConfirming):
        actions.record_vetting(
            other,
            by=coordinator,
            level="enhanced",
            certificate_number="444455556666",
            issued_on=timezone.localdate(),
            expires_on=None,
        )
    assert not other.vetting_records.exists()
