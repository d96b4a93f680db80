"""Registering, verifying email, signing in (throttled, optional two-factor), invitations."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core.models import AuditEvent, Council, Invitation, Role, User
from changemaker.core.tests.factories import PASSWORD

HOST = {"HTTP_HOST": "exampleton.test"}


def _link(message: str) -> str:
    match = re.search(r"https?://[^\s/]+(/\S+)", message)
    assert match, message
    return match.group(1)


def test_argon2_is_the_password_hasher() -> None:
    from changemaker.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_resident_registers_and_verifies_email(
    client: Client, council: Council, django_capture_on_commit_callbacks: Callable[..., object]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = client.post(
            reverse("core:register"),
            {
                "name": "Ada Lovelace",
                "email": "Ada@Example.org",
                "password": "a-long-unusual-phrase",
            },
            **HOST,
        )
    assert response.status_code == 302
    user = User.objects.get(email="ada@example.org")
    assert not user.email_verified
    assert user.roles_in(council) == {Role.RESIDENT}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ada@example.org"]
    link = _link(mail.outbox[0].body)
    assert "lovelace" not in link.lower() and "example.org" not in link  # nothing personal
    assert client.get(link, **HOST).status_code == 200
    user.refresh_from_db()
    assert user.email_verified
    assert AuditEvent.objects.filter(action="account.email_verified", actor=user).exists()


def test_forged_verification_link_is_refused(
    client: Client, council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(email_verified_at=None)
    response = client.get(reverse("core:verify-email", args=["MQ", "bad-token"]), **HOST)
    assert response.status_code == 400
    user.refresh_from_db()
    assert not user.email_verified


def test_registration_errors_keep_what_was_typed(client: Client, council: Council) -> None:
    response = client.post(
        reverse("core:register"),
        {"name": "Ada", "email": "not-an-email", "password": "short"},
        **HOST,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert "<title>Error:" in html
    assert 'href="#id_email"' in html and 'href="#id_password"' in html
    assert 'value="Ada"' in html and 'value="not-an-email"' in html
    assert "short" not in re.findall(r'value="([^"]*)"', html)  # passwords are never echoed
    assert User.objects.count() == 0


def test_registering_an_existing_email_does_not_reveal_it(
    client: Client,
    council: Council,
    make_user: Callable[..., User],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    owner = make_user(email="taken@example.org")
    answers = []
    for email in ["TAKEN@example.org", "new@example.org"]:
        with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
            response = Client().post(
                reverse("core:register"),
                {"name": "B Person", "email": email, "password": "a-long-unusual-phrase"},
                **HOST,
            )
        followed = Client().get(response["Location"], **HOST)
        page = re.sub(rb'nonce="[^"]*"', b"", followed.content)  # differs on every page
        answers.append((response.status_code, response["Location"], page))
    assert answers[0] == answers[1]  # the same answer whether or not the address is taken
    assert answers[0][1] == reverse("core:check-email")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1
    owner.refresh_from_db()
    assert owner.name != "B Person" and owner.check_password(PASSWORD)  # nothing changed
    to_owner = [m for m in mail.outbox if m.to == ["taken@example.org"]]
    assert len(to_owner) == 1
    assert "tried to create an account" in to_owner[0].body
    assert reverse("core:sign-in") in to_owner[0].body
    assert reverse("core:password-reset") in to_owner[0].body
    event = AuditEvent.objects.get(action="account.registration_for_existing_email")
    assert "taken" not in str(event.detail) and event.object_id == str(owner.pk)


def test_sign_in_and_wrong_password(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user()
    bad = client.post(reverse("core:sign-in"), {"email": user.email, "password": "nope"}, **HOST)
    assert "Enter a correct email address and password" in bad.content.decode()
    good = client.post(reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST)
    assert good.status_code == 302
    assert client.get(reverse("core:account"), **HOST).status_code == 200


def test_sign_in_is_throttled(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("core:sign-in"), {"email": user.email, "password": "wrong"}, **HOST)
    locked = client.post(
        reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST
    )
    assert locked.status_code in {403, 429}
    assert "too many times" in locked.content.decode()
    assert "_auth_user_id" not in client.session


def test_open_redirect_is_refused(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user()
    response = client.post(
        reverse("core:sign-in") + "?next=https://evil.example/",
        {"email": user.email, "password": PASSWORD},
        **HOST,
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]


def test_two_factor_setup_and_sign_in(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user(Role.DATA_OFFICER)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("core:two-factor"), **HOST)
    assert "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    good = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    wrong = client.post(
        reverse("core:two-factor"), {"code": "000000" if good != "000000" else "111111"}, **HOST
    )
    assert "wrong or has expired" in wrong.content.decode()
    device.refresh_from_db()
    device.throttle_reset()  # a failure throttles the next try; the test does not wait
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    assert client.post(reverse("core:two-factor"), {"code": code}, **HOST).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    fresh = Client()
    step1 = fresh.post(reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST)
    assert step1["Location"].startswith(reverse("core:sign-in-code"))
    assert fresh.get(reverse("core:account"), **HOST).status_code == 302  # not signed in yet
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in the test
    device.save()
    code = f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"
    step2 = fresh.post(reverse("core:sign-in-code"), {"code": code}, **HOST)
    assert step2.status_code == 302
    assert fresh.get(reverse("core:account"), **HOST).status_code == 200


def test_staff_invitation_creates_account_with_role(
    client_as: Callable[[str | None], Client],
    council: Council,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        response = admin.post(
            reverse("core:invite"),
            {"email": "New.Officer@council.example", "role": Role.SUPPORT_COORDINATOR},
            **HOST,
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new.officer@council.example"
    link = _link(mail.outbox[-1].body)
    assert invitation.token_hash not in link  # only a hash is stored

    invited = Client()
    form = invited.post(link, {"name": "Nia Officer", "password": "another-long-phrase"}, **HOST)
    assert form.status_code == 302
    user = User.objects.get(email="new.officer@council.example")
    assert user.roles_in(council) == {Role.SUPPORT_COORDINATOR}
    assert user.email_verified
    # The link cannot be used twice.
    assert Client().get(link, **HOST).status_code == 404


def test_invitation_cannot_grant_platform_admin(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    response = admin.post(
        reverse("core:invite"), {"email": "x@council.example", "role": Role.PLATFORM_ADMIN}, **HOST
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Invitation.objects.exists()


@pytest.mark.parametrize("field", ["session", "csrf"])
def test_cookies_are_http_only(field: str) -> None:
    assert getattr(settings, f"{field.upper()}_COOKIE_HTTPONLY") is True
