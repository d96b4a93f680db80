"""Council administrators manage their council's staff: the list, roles, leavers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core import actions
from changemaker.core.models import AuditEvent, Council, Invitation, Role, RoleAssignment, User
from changemaker.core.selectors import COUNCIL_STAFF_ROLES
from changemaker.core.tests.factories import CouncilFactory, enrol_two_factor, sign_in

HOST = {"HTTP_HOST": "exampleton.test"}


@pytest.fixture
def admin(make_user: Callable[..., User]) -> User:
    return make_user(Role.COUNCIL_ADMIN, name="Ada Admin")


def _staff(make_user: Callable[..., User], *roles: str, **kwargs: object) -> User:
    person = make_user(roles[0], **kwargs)
    for role in roles[1:]:
        person.role_assignments.create(role=role, council=Council.objects.get(slug="exampleton"))
    return person


def test_the_staff_page_lists_this_councils_staff_only(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    officer = _staff(make_user, Role.ENGAGEMENT_OFFICER, Role.EVIDENCE_LEAD, name="Olu Officer")
    enrol_two_factor(officer)
    officer.last_login = timezone.now()
    officer.save()
    make_user(Role.RESIDENT, name="Rhys Resident")
    make_user(Role.PLATFORM_ADMIN, name="Pat Platform")
    elsewhere = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    outsider = make_user(None, name="Owen Outsider")
    outsider.role_assignments.create(role=Role.DATA_OFFICER, council=elsewhere)

    page = sign_in(Client(), admin).get(reverse("core:staff-people"), **HOST)
    assert page.status_code == 200
    html = page.text
    assert "Olu Officer" in html and officer.email in html and "Ada Admin" in html
    assert "Engagement officer" in html and "Evidence lead" in html
    for absent in ("Rhys Resident", "Pat Platform", "Owen Outsider"):
        assert absent not in html
    assert html.count(">On<") == 2 and "Never" not in html.split("Olu Officer")[1][:600]
    # staff's names and addresses are personal data: looking is recorded
    seen = AuditEvent.objects.get(action="staff.listed")
    assert seen.actor == admin and seen.detail == {"rows": 2}
    assert officer.email not in str(seen.detail)


def test_roles_are_given_and_taken_with_checkboxes(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    officer = _staff(make_user, Role.ENGAGEMENT_OFFICER)
    client = sign_in(Client(), admin)
    url = reverse("core:staff-person", args=[officer.pk])
    page = client.get(url, **HOST)
    assert 'class="govuk-checkboxes__input"' in page.text
    assert f'value="{Role.ENGAGEMENT_OFFICER.value}" checked' in page.text
    assert f'value="{Role.PLATFORM_ADMIN.value}"' not in page.text
    assert f'value="{Role.RESIDENT.value}"' not in page.text
    saved = client.post(url, {"roles": [Role.SUPPORT_COORDINATOR, Role.EVIDENCE_LEAD]}, **HOST)
    assert saved.status_code == 302
    assert officer.roles_in(council) == {Role.SUPPORT_COORDINATOR, Role.EVIDENCE_LEAD}
    event = AuditEvent.objects.get(action="staff.role_changed")
    assert event.actor == admin and event.object_id == str(officer.pk)
    assert event.detail == {
        "added": sorted([Role.EVIDENCE_LEAD, Role.SUPPORT_COORDINATOR]),
        "removed": [Role.ENGAGEMENT_OFFICER],
    }
    assert RoleAssignment.objects.get(user=officer, role=Role.EVIDENCE_LEAD).granted_by == admin


def test_every_staff_role_but_the_platform_admins_can_be_managed() -> None:
    assert set(Role) - COUNCIL_STAFF_ROLES == {Role.RESIDENT, Role.PLATFORM_ADMIN}


def test_no_role_ticked_asks_to_tick_one_or_remove(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    officer = _staff(make_user, Role.ENGAGEMENT_OFFICER)
    client = sign_in(Client(), admin)
    page = client.post(reverse("core:staff-person", args=[officer.pk]), {}, **HOST)
    assert page.status_code == 200
    assert "govuk-error-summary" in page.text and "Select at least one role" in page.text
    assert officer.roles_in(council) == {Role.ENGAGEMENT_OFFICER}
    forged = client.post(
        reverse("core:staff-person", args=[officer.pk]), {"roles": [Role.PLATFORM_ADMIN]}, **HOST
    )
    assert "Select a valid choice" in forged.text
    assert officer.roles_in(council) == {Role.ENGAGEMENT_OFFICER}


def test_the_last_council_admin_cannot_remove_their_own_role(council: Council, admin: User) -> None:
    client = sign_in(Client(), admin)
    url = reverse("core:staff-person", args=[admin.pk])
    page = client.post(url, {"roles": [Role.ENGAGEMENT_OFFICER]}, **HOST)
    assert page.status_code == 200
    summary = page.text.split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert "You are the only council administrator" in summary
    assert 'id="id_roles-error"' in page.text  # and by the field
    assert admin.roles_in(council) == {Role.COUNCIL_ADMIN}
    assert not AuditEvent.objects.filter(action="staff.role_changed").exists()

    left = client.post(reverse("core:staff-remove", args=[admin.pk]), **HOST)
    assert left.status_code == 400
    assert "govuk-error-summary" in left.text and "only council administrator" in left.text
    assert admin.roles_in(council) == {Role.COUNCIL_ADMIN}


def test_with_another_admin_they_can(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    make_user(Role.COUNCIL_ADMIN)
    client = sign_in(Client(), admin)
    url = reverse("core:staff-person", args=[admin.pk])
    assert client.post(url, {"roles": [Role.ENGAGEMENT_OFFICER]}, **HOST).status_code == 302
    assert admin.roles_in(council) == {Role.ENGAGEMENT_OFFICER}


def test_an_inactive_admin_does_not_count(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    make_user(Role.COUNCIL_ADMIN, is_active=False)
    with pytest.raises(actions.ActionError):
        actions.change_staff_roles(
            council=council, person=admin, roles=[Role.EVIDENCE_LEAD], by=admin
        )


def test_a_platform_admin_may_remove_the_last_council_admin(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    platform = make_user(Role.PLATFORM_ADMIN)
    actions.remove_from_council(council=council, person=admin, by=platform)
    assert admin.roles_in(council) == set()


def test_a_leaver_loses_every_staff_role_here_and_keeps_the_rest(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    leaver = _staff(make_user, Role.DATA_OFFICER, Role.PRACTITIONER, Role.RESIDENT)
    elsewhere = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    leaver.role_assignments.create(role=Role.DATA_OFFICER, council=elsewhere)
    actions.invite_staff(
        council=council,
        email=leaver.email,
        role=Role.EVIDENCE_LEAD,
        invited_by=admin,
        accept_url=lambda token: token,
    )
    client = sign_in(Client(), admin)
    url = reverse("core:staff-remove", args=[leaver.pk])
    confirm = client.get(url, **HOST)
    assert "Early-help data officer" in confirm.text and "Remove from this council" in confirm.text
    assert RoleAssignment.objects.filter(user=leaver).count() == 4  # asking changes nothing
    done = client.post(url, **HOST)
    assert done["Location"] == reverse("core:staff-people")

    leaver = User.objects.get(pk=leaver.pk)  # the account stays
    assert leaver.roles_in(council) == {Role.RESIDENT}
    assert leaver.roles_in(elsewhere) == {Role.DATA_OFFICER}
    assert not Invitation.objects.get().is_open  # an open invitation here is withdrawn
    event = AuditEvent.objects.get(action="staff.role_removed")
    assert event.actor == admin and event.council == council
    assert event.detail == {
        "removed": sorted([Role.DATA_OFFICER, Role.PRACTITIONER]),
        "left_council": True,
        "invitations_withdrawn": 1,
    }
    assert leaver.email not in str(event.detail) and leaver.name not in str(event.detail)
    # no longer staff here: their page is gone, and they cannot reach staff pages
    assert client.get(url, **HOST).status_code == 404
    assert sign_in(Client(), leaver).get(reverse("core:staff"), **HOST).status_code == 403


def test_people_of_another_council_or_residents_cannot_be_managed(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    resident = make_user(Role.RESIDENT)
    elsewhere = CouncilFactory(name="Riverside", slug="riverside", domain="riverside.test")
    other = make_user(None)
    other.role_assignments.create(role=Role.DATA_OFFICER, council=elsewhere)
    client = sign_in(Client(), admin)
    for person in (resident, other):
        for name in ("core:staff-person", "core:staff-remove", "core:staff-reset-two-factor"):
            url = reverse(name, args=[person.pk])
            assert client.get(url, **HOST).status_code == 404
            assert client.post(url, {"roles": [Role.DATA_OFFICER]}, **HOST).status_code == 404
    assert other.roles_in(elsewhere) == {Role.DATA_OFFICER}
    assert resident.roles_in(council) == {Role.RESIDENT}


def test_a_lost_authenticator_is_reset_by_the_administrator(
    council: Council,
    admin: User,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from django.core import mail
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = _staff(make_user, Role.DATA_OFFICER, name="Lola Lost")
    enrol_two_factor(officer)
    enrol_two_factor(admin)
    client = sign_in(Client(), admin)
    person_page = client.get(reverse("core:staff-person", args=[officer.pk]), **HOST)
    url = reverse("core:staff-reset-two-factor", args=[officer.pk])
    assert url in person_page.text
    confirm = client.get(url, **HOST)
    assert "Reset two-factor sign-in for Lola Lost" in confirm.text
    assert TOTPDevice.objects.filter(user=officer).exists()  # asking changes nothing

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, **HOST)
    assert done["Location"] == reverse("core:staff-person", args=[officer.pk])
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert not StaticDevice.objects.filter(user=officer).exists()
    assert TOTPDevice.objects.filter(user=admin).exists()
    event = AuditEvent.objects.get(action="staff.two_factor_reset")
    assert event.actor == admin and event.council == council and event.detail == {}
    assert [m.to for m in mail.outbox] == [[officer.email]]
    assert "reset the two-factor sign-in" in mail.outbox[0].body
    # nothing left to reset: a clear refusal, nothing written
    again = client.post(url, **HOST)
    assert again.status_code == 400 and "nothing to reset" in again.text
    assert AuditEvent.objects.filter(action="staff.two_factor_reset").count() == 1


def test_administrators_cannot_reset_their_own_or_a_platform_administrators(
    council: Council, admin: User, make_user: Callable[..., User]
) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    enrol_two_factor(admin)
    platform = make_user(Role.PLATFORM_ADMIN)
    platform.role_assignments.create(role=Role.DATA_OFFICER, council=council)
    enrol_two_factor(platform)
    client = sign_in(Client(), admin)
    for person, words in ((admin, "use your account page"), (platform, "another platform")):
        refused = client.post(reverse("core:staff-reset-two-factor", args=[person.pk]), **HOST)
        assert refused.status_code == 400 and words in refused.text
        assert TOTPDevice.objects.filter(user=person).exists()
    assert not AuditEvent.objects.filter(action="staff.two_factor_reset").exists()
