"""Setting up an authenticator on an account that has none needs proof of the email address
(an emailed one-time link, or an invitation), not only the password."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from changemaker.core.models import AuditEvent, Council, EnrolmentLink, Invitation, Role, User
from changemaker.core.tests.factories import (
    PASSWORD,
    emailed_set_up_link,
    enrol_two_factor,
    prove_email_for_set_up,
)
from changemaker.core.views.accounts import SETUP_KEY

HOST = {"HTTP_HOST": "exampleton.test"}


def _signed_in_with_password(user: User) -> Client:
    client = Client()
    signed = client.post(
        reverse("core:sign-in"), {"email": user.email, "password": PASSWORD}, **HOST
    )
    assert signed.status_code == 302 and "_auth_user_id" in client.session
    return client


def _try_to_enrol(client: Client) -> object:
    """Post a right code for a key of the client's choosing, as an attacker would."""
    key = client.session.get(SETUP_KEY) or random_hex(20)
    session = client.session
    session[SETUP_KEY] = key
    session.save()
    return client.post(
        reverse("core:two-factor"), {"code": f"{totp(bytes.fromhex(key)):06d}"}, **HOST
    )


@pytest.mark.parametrize("role", [Role.DATA_OFFICER, Role.COUNCIL_ADMIN, Role.RESIDENT])
def test_a_password_alone_cannot_set_up_an_authenticator(
    role: str, council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(role)
    client = _signed_in_with_password(user)
    page = client.get(reverse("core:two-factor"), **HOST)
    assert page.status_code == 200
    assert "Key:" not in page.text and "<svg" not in page.text  # no key offered
    assert "Email me the link" in page.text and user.email in page.text
    _try_to_enrol(client)
    assert not TOTPDevice.objects.filter(user=user).exists()

    # with the emailed link, in the same session, they can
    path = emailed_set_up_link(client)
    assert mail.outbox[-1].to == [user.email]
    assert client.post(path, **HOST)["Location"] == reverse("core:two-factor")
    assert "Key:" in client.get(reverse("core:two-factor"), **HOST).text
    done = _try_to_enrol(client)
    assert "Your recovery codes" in done.text  # type: ignore[attr-defined]
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_the_link_is_stored_hashed_lasts_an_hour_and_works_once(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.SUPPORT_COORDINATOR)
    client = _signed_in_with_password(user)
    path = emailed_set_up_link(client)
    token = path.rstrip("/").rsplit("/", 1)[1]
    link = EnrolmentLink.objects.get(user=user)
    assert link.token_hash == hashlib.sha256(token.encode()).hexdigest() != token
    assert timedelta(minutes=59) < link.expires_at - timezone.now() <= timedelta(minutes=60)
    assert AuditEvent.objects.filter(action="account.two_factor_link_sent", actor=user).exists()

    # opening it (a mail scanner does) uses nothing up: the button does
    assert client.get(path, **HOST).status_code == 200
    assert EnrolmentLink.objects.get(pk=link.pk).used_at is None
    assert client.post(path, **HOST).status_code == 302
    again = Client()
    again.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    refused = again.post(path, **HOST)
    assert refused.status_code == 400 and "This link cannot be used" in refused.text
    assert "Email me the link" in again.get(reverse("core:two-factor"), **HOST).text
    assert AuditEvent.objects.filter(action="account.two_factor_link_refused").count() == 1


def test_an_expired_or_replaced_link_is_refused(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.PRACTITIONER)
    client = _signed_in_with_password(user)
    old = emailed_set_up_link(client)
    new = emailed_set_up_link(client)
    assert client.post(old, **HOST).status_code == 400  # only the newest works
    EnrolmentLink.objects.filter(user=user).update(expires_at=timezone.now())
    assert client.post(new, **HOST).status_code == 400
    _try_to_enrol(client)
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_a_link_works_only_for_its_own_account(
    council: Council, make_user: Callable[..., User]
) -> None:
    victim, attacker = make_user(Role.DATA_OFFICER), make_user(Role.DATA_OFFICER)
    path = emailed_set_up_link(_signed_in_with_password(victim))
    other = _signed_in_with_password(attacker)
    assert other.post(path, **HOST).status_code == 400
    _try_to_enrol(other)
    assert not TOTPDevice.objects.exists()


def test_signed_out_the_link_asks_to_sign_in_first(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.DATA_OFFICER)
    path = emailed_set_up_link(_signed_in_with_password(user))
    fresh = Client()
    asked = fresh.get(path, **HOST)
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("core:sign-in"))
    signed = fresh.post(
        asked["Location"], {"email": user.email, "password": PASSWORD, "next": path}, **HOST
    )
    assert signed["Location"] == path
    assert fresh.post(path, **HOST)["Location"] == reverse("core:two-factor")
    assert "Key:" in fresh.get(reverse("core:two-factor"), **HOST).text


def test_an_account_with_an_authenticator_needs_no_link(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.DATA_OFFICER)
    enrol_two_factor(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get(reverse("core:two-factor"), **HOST)
    assert page["Location"].startswith(reverse("core:sign-in-code"))  # the code, not a link


def test_asking_for_links_is_throttled(council: Council, make_user: Callable[..., User]) -> None:
    user = make_user(Role.DATA_OFFICER)
    client = _signed_in_with_password(user)
    for _n in range(5):
        emailed_set_up_link(client)
    refused = client.post(reverse("core:two-factor"), {"send": "link"}, **HOST)
    assert refused.status_code == 429
    assert EnrolmentLink.objects.filter(user=user).count() == 5


def test_an_invitation_proves_the_address_so_set_up_follows(
    council: Council, make_user: Callable[..., User]
) -> None:
    from changemaker.core import actions

    admin = make_user(Role.COUNCIL_ADMIN)
    tokens: list[str] = []
    actions.invite_staff(
        council=council,
        email="new.officer@council.example",
        role=Role.DATA_OFFICER,
        invited_by=admin,
        accept_url=lambda token: tokens.append(token) or token,
    )
    client = Client()
    accepted = client.post(
        reverse("core:accept-invitation", args=[tokens[0]]),
        {"name": "Nia Officer", "password": "another-long-phrase"},
        **HOST,
    )
    assert accepted.status_code == 302
    staff = client.get(accepted["Location"], **HOST)
    assert staff["Location"].startswith(reverse("core:two-factor"))
    assert "Key:" in client.get(staff["Location"], **HOST).text  # straight to set-up
    assert Invitation.objects.get().accepted_at is not None
    assert not EnrolmentLink.objects.exists()


def test_the_proof_is_for_this_session_only(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.DATA_OFFICER)
    client = _signed_in_with_password(user)
    prove_email_for_set_up(client)
    other = _signed_in_with_password(user)  # another browser with the password
    assert "Key:" not in other.get(reverse("core:two-factor"), **HOST).text
