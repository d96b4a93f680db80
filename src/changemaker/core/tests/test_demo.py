"""The demo council loads, and loading it twice changes nothing."""

from __future__ import annotations

from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD, DEMO_TOTP_KEY, PEOPLE
from changemaker.core.models import Council, Role, RoleAssignment, User, Ward
from changemaker.core.models.accounts import TWO_FACTOR_ROLES
from changemaker.core.tests.factories import totp_code


def _snapshot() -> list[object]:
    return [
        sorted(Council.objects.values_list()),
        sorted(Ward.objects.values_list()),
        sorted(User.objects.values_list("pk", "email", "password", "name", "is_staff")),
        sorted(RoleAssignment.objects.values_list("user_id", "council_id", "role")),
        sorted(TOTPDevice.objects.values_list("user_id", "key", "confirmed")),
    ]


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_sign_ins() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == first
    assert Council.objects.get(slug="exampleton").name == "Exampleton Borough Council"
    assert Ward.objects.count() == 6
    for _role, email, _name in PEOPLE:
        assert email in out.getvalue()


@pytest.mark.django_db
def test_every_demo_role_can_sign_in() -> None:
    """Every published demo sign-in works, with its roles (one demo load: it takes seconds)."""
    call_command("load_demo", stdout=StringIO())
    for role, email, _name in PEOPLE:
        _signs_in(role, email)


def _signs_in(role: str, email: str) -> None:
    client = Client()
    response = client.post("/sign-in/", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302, email
    user = User.objects.get(email=email)
    # with a code from the published demo key (the engagement officer has one too: reading
    # residents' stories asks for it)
    if role in TWO_FACTOR_ROLES or role == Role.ENGAGEMENT_OFFICER:
        assert response["Location"].startswith("/sign-in/security-code/"), email
        device = TOTPDevice.objects.get(user=user)
        assert device.bin_key == b32decode(DEMO_TOTP_KEY)
        assert client.post(response["Location"], {"code": totp_code(device)}).status_code == 302
    assert role in user.roles_in(Council.objects.get(slug="exampleton")), email
    expected = 403 if role == Role.RESIDENT else 200
    assert client.get("/staff/").status_code == expected, email
