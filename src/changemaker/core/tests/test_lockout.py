"""Sign-in throttling that an attacker cannot turn against someone else.

Failures count per account *and* address, with a cool-off; one address trying many accounts
meets a higher limit; the address is REMOTE_ADDR unless CHANGEMAKER_TRUSTED_PROXY_COUNT says how
many proxies of ours stand in front; a password reset works while locked and ends the lockout.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from changemaker.core.models import AuditEvent, Role, User
from changemaker.core.tests.factories import PASSWORD

HOST = {"HTTP_HOST": "exampleton.test"}
ATTACKER = "203.0.113.9"
VICTIM = "198.51.100.7"
PROXY = "10.0.0.1"


def _try(user: User, password: str, client: Client | None = None, **meta: str) -> Client:
    client = client or Client()
    client.response = client.post(  # type: ignore[attr-defined]
        reverse("core:sign-in"), {"email": user.email, "password": password}, **HOST, **meta
    )
    return client


def _signed_in(client: Client) -> bool:
    return client.response.status_code == 302 and "_auth_user_id" in client.session  # type: ignore[attr-defined]


def _locked(client: Client) -> bool:
    return client.response.status_code == 429  # type: ignore[attr-defined]


def _fail_until_locked(user: User, **meta: str) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _try(user, "wrong-password", **meta)
    assert _locked(_try(user, PASSWORD, **meta))


def test_attacker_at_another_address_cannot_lock_the_victim_out(
    make_user: Callable[..., User],
) -> None:
    victim = make_user(Role.RESIDENT)
    _fail_until_locked(victim, REMOTE_ADDR=ATTACKER)
    assert _signed_in(_try(victim, PASSWORD, REMOTE_ADDR=VICTIM))


@override_settings(CHANGEMAKER_TRUSTED_PROXY_COUNT=1)
def test_behind_a_trusted_proxy_each_forwarded_client_counts_separately(
    make_user: Callable[..., User],
) -> None:
    victim = make_user(Role.RESIDENT)
    _fail_until_locked(victim, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=ATTACKER)
    # the attacker cannot get round it by writing their own entry in front of the proxy's
    spoofed = _try(
        victim, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=f"192.0.2.1, {ATTACKER}"
    )
    assert _locked(spoofed)
    assert _signed_in(_try(victim, PASSWORD, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=VICTIM))


def test_untrusted_forwarded_for_is_ignored(make_user: Callable[..., User]) -> None:
    victim = make_user(Role.RESIDENT)
    for n in range(settings.AXES_FAILURE_LIMIT):  # a new made-up address each time
        _try(victim, "wrong-password", REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert _locked(_try(victim, PASSWORD, REMOTE_ADDR=ATTACKER, HTTP_X_FORWARDED_FOR=VICTIM))
    assert AccessAttempt.objects.get().ip_address == ATTACKER


def test_the_cool_off_ends(make_user: Callable[..., User]) -> None:
    user = make_user(Role.RESIDENT)
    _fail_until_locked(user, REMOTE_ADDR=VICTIM)
    cool_off = timedelta(hours=settings.AXES_COOLOFF_TIME)
    # as if the cool-off had passed since the last failure
    AccessAttempt.objects.update(attempt_time=timezone.now() - cool_off - timedelta(seconds=1))
    assert _signed_in(_try(user, PASSWORD, REMOTE_ADDR=VICTIM))


@override_settings(CHANGEMAKER_SIGN_IN_ADDRESS_LIMIT=12)
def test_one_address_trying_many_accounts_meets_a_higher_limit(
    make_user: Callable[..., User],
) -> None:
    people = [make_user(Role.RESIDENT) for _ in range(4)]
    for person in people[:3]:
        for _ in range(settings.AXES_FAILURE_LIMIT - 1):  # never enough to lock one account
            _try(person, "wrong-password", REMOTE_ADDR=ATTACKER)
    assert _locked(_try(people[3], PASSWORD, REMOTE_ADDR=ATTACKER))
    assert _signed_in(_try(people[3], PASSWORD, REMOTE_ADDR=VICTIM))


def test_a_locked_account_can_reset_its_password_and_the_reset_ends_the_lockout(
    make_user: Callable[..., User],
) -> None:
    user = make_user(Role.RESIDENT)
    _fail_until_locked(user, REMOTE_ADDR=VICTIM)
    client = Client()
    asked = client.post(
        reverse("core:password-reset"), {"email": user.email}, REMOTE_ADDR=VICTIM, **HOST
    )
    assert asked.status_code == 302
    link = re.search(r"https?://[^\s/]+(/\S+)", mail.outbox[-1].body)
    assert link is not None
    form = client.get(link.group(1), follow=True, REMOTE_ADDR=VICTIM, **HOST)
    new = "a-brand-new-long-phrase"
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": new, "new_password2": new},
        REMOTE_ADDR=VICTIM,
        **HOST,
    )
    assert done.status_code == 302
    assert not AccessAttempt.objects.filter(username=user.email).exists()
    assert AuditEvent.objects.filter(action="account.password_reset", actor=user).exists()
    assert _signed_in(_try(user, new, REMOTE_ADDR=VICTIM))
