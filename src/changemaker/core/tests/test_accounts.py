"""Registering, verifying email, signing in (throttled, optional two-factor), invitations."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core import actions
from changemaker.core.models import AuditEvent, Council, Invitation, Role, User
from changemaker.core.tests.factories import (
    PASSWORD,
    enrol_two_factor,
    prove_email_for_set_up,
    sign_in,
    totp_code,
)
from changemaker.core.views.accounts import SETUP_KEY

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


def _code_now(key: str) -> str:
    return f"{totp(bytes.fromhex(key)):06d}"


def test_two_factor_setup_and_sign_in(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user(Role.DATA_OFFICER)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    prove_email_for_set_up(client)
    events = AuditEvent.objects.count()
    page = client.get(reverse("core:two-factor"), **HOST)
    html = page.content.decode()
    assert "<svg" in html and "Key:" in html
    # GET writes nothing: the key being set up waits in the session
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()
    assert AuditEvent.objects.count() == events
    key = client.session[SETUP_KEY]
    assert client.get(reverse("core:two-factor"), **HOST).status_code == 200
    assert client.session[SETUP_KEY] == key  # the same key until it is confirmed

    good = _code_now(key)
    wrong = client.post(
        reverse("core:two-factor"), {"code": "000000" if good != "000000" else "111111"}, **HOST
    )
    assert "wrong or has expired" in wrong.content.decode()
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()

    done = client.post(reverse("core:two-factor"), {"code": _code_now(key)}, **HOST)
    assert done.status_code == 200
    codes = re.findall(r'<code class="cm-secret">([a-z2-7]{4}-[a-z2-7]{4})</code>', done.text)
    assert len(codes) == 10 and len(set(codes)) == 10
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed and device.key == key
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == 10
    assert not stored & {c.replace("-", "") for c in codes} and not stored & set(codes)  # hashed
    assert AuditEvent.objects.filter(action="account.two_factor_added", actor=user).exists()
    assert SETUP_KEY not in client.session

    # each sign-in asks for the second factor: the app's code ...
    fresh = Client()
    step1 = fresh.post(reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST)
    assert step1["Location"].startswith(reverse("core:sign-in-code"))
    assert fresh.get(reverse("core:account"), **HOST).status_code == 302  # not signed in yet
    device.refresh_from_db()
    step2 = fresh.post(reverse("core:sign-in-code"), {"code": totp_code(device)}, **HOST)
    assert step2.status_code == 302
    assert fresh.get(reverse("core:staff"), **HOST).status_code == 200

    # ... or a recovery code, once
    for attempt in range(2):
        other = Client()
        other.post(reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST)
        answer = other.post(reverse("core:sign-in-code"), {"code": codes[0].upper()}, **HOST)
        if attempt == 0:
            assert answer.status_code == 302
            assert other.get(reverse("core:staff"), **HOST).status_code == 200
            StaticDevice.objects.get(user=user).throttle_reset()
        else:
            assert "wrong or has expired" in answer.content.decode()
            assert "_auth_user_id" not in other.session
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old(client: Client, make_user: Callable[..., User]) -> None:
    user = make_user(Role.PRACTITIONER)
    _device, old = enrol_two_factor(user)
    sign_in(client, user)
    page = client.post(reverse("core:recovery-codes"), **HOST)
    new = re.findall(r'<code class="cm-secret">([a-z2-7]{4}-[a-z2-7]{4})</code>', page.text)
    assert len(new) == 10 and not set(new) & set(old)
    assert actions.check_second_factor(user, old[0]) is None
    StaticDevice.objects.get(user=user).throttle_reset()  # a failure delays the next try
    assert actions.check_second_factor(user, new[0]) is not None
    assert client.get(reverse("core:recovery-codes"), **HOST).status_code == 405  # POST only


def test_staff_who_see_personal_data_cannot_turn_two_factor_off(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.SUPPORT_COORDINATOR)
    sign_in(client, user)
    page = client.get(reverse("core:two-factor"), **HOST)
    assert "must stay on" in page.text and 'name="remove"' not in page.text
    refused = client.post(reverse("core:two-factor"), {"remove": "yes"}, follow=True, **HOST)
    assert "must stay on" in refused.text and "govuk-error-summary" in refused.text
    assert TOTPDevice.objects.filter(user=user).exists()


def test_residents_may_turn_two_factor_on_and_off(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.RESIDENT)
    enrol_two_factor(user)
    sign_in(client, user)
    device = TOTPDevice.objects.get(user=user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    off = client.post(reverse("core:two-factor"), {"remove": "yes"}, **HOST)
    assert off.status_code == 302
    assert not TOTPDevice.objects.exists() and not StaticDevice.objects.exists()


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


def test_asking_for_a_new_password_with_nothing_typed_says_what_to_do(
    client: Client, council: Council
) -> None:
    page = client.post(reverse("core:password-reset"), {"email": ""}, HTTP_HOST="exampleton.test")
    text = page.content.decode()
    assert "Enter your email address" in text and "This field is required" not in text
