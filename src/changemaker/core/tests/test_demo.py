"""The demo council loads, and loading it twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD, PEOPLE
from changemaker.core.models import Council, Role, RoleAssignment, User, Ward


def _snapshot() -> list[object]:
    return [
        sorted(Council.objects.values_list()),
        sorted(Ward.objects.values_list()),
        sorted(User.objects.values_list("pk", "email", "password", "name", "is_staff")),
        sorted(RoleAssignment.objects.values_list("user_id", "council_id", "role")),
    ]


@pytest.mark.django_db
def test_load_demo_is_idempotent_and_prints_sign_ins() -> None:
    out = StringIO()
    call_command("load_demo", stdout=out)
    first = _snapshot()
    call_command("load_demo", stdout=StringIO())
    assert _snapshot() == first
    assert Council.objects.get().name == "Exampleton Borough Council"
    assert Ward.objects.count() == 6
    for _role, email, _name in PEOPLE:
        assert email in out.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "email", "name"), PEOPLE)
def test_every_demo_role_can_sign_in(role: str, email: str, name: str) -> None:
    call_command("load_demo", stdout=StringIO())
    client = Client()
    response = client.post("/sign-in/", {"email": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    user = User.objects.get(email=email)
    assert role in user.roles_in(Council.objects.get())
    expected = 403 if role == Role.RESIDENT else 200
    assert client.get("/staff/").status_code == expected
