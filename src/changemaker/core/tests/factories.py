from __future__ import annotations

import re
import time
from urllib.parse import urlsplit

import factory
from django.core import mail
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from changemaker.core import actions
from changemaker.core.models import Council, User, Ward
from changemaker.core.models.accounts import TWO_FACTOR_ROLES

PASSWORD = "correct-horse-battery"


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Council {n}")
    slug = factory.Sequence(lambda n: f"council-{n}")
    brand_colour = "#005a70"
    contact_email = "hello@council.example"


class WardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ward

    council = factory.SubFactory(CouncilFactory)
    name = factory.Sequence(lambda n: f"Ward {n}")
    code = factory.Sequence(lambda n: f"E05{n:06d}")
    postcode_districts = factory.LazyFunction(lambda: ["EX1"])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name", locale="en_GB")
    email_verified_at = factory.LazyFunction(timezone.now)
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


def totp_code(device: TOTPDevice) -> str:
    """The device's code for the first time step it will still accept (a step is used once, so
    a second sign-in within 30 seconds takes the next one, which the device allows)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if totp.t() <= device.last_t:
        totp.time = time.time() + device.step * (device.last_t + 1 - totp.t())
    return f"{totp.token():0{device.digits}d}"


def enrol_two_factor(user: User) -> tuple[TOTPDevice, list[str]]:
    """Set up an authenticator for ``user`` the way the enrolment page does; returns the device
    and the recovery codes."""
    key = random_hex(20)
    code = f"{TOTP(bytes.fromhex(key)).token():06d}"
    return actions.enable_two_factor(user, key=key, code=code)


def sign_in(client: Client, user: User, *, two_factor: bool = False) -> Client:
    """Sign ``client`` in as ``user``; if their role needs two factors (or ``two_factor``: a
    page asks for one whatever the role), with an enrolled and verified authenticator, as
    after a full sign-in."""
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    roles = set(user.role_assignments.values_list("role", flat=True))
    if two_factor or user.is_staff or user.is_superuser or roles & TWO_FACTOR_ROLES:
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device, _codes = enrol_two_factor(user)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def emailed_set_up_link(client: Client, host: str = "exampleton.test") -> str:
    """Ask the set-up page for the emailed two-factor set-up link; returns its path."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("core:two-factor"), {"send": "link"}, HTTP_HOST=host)
    match = re.search(r"https?://\S+/account/two-factor/confirm/\S+", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return urlsplit(match.group(0)).path


def prove_email_for_set_up(client: Client, host: str = "exampleton.test") -> None:
    """What a person without an authenticator does before setting one up: get the emailed link
    and use it (in the same session)."""
    used = client.post(emailed_set_up_link(client, host), HTTP_HOST=host)
    assert used.status_code == 302, used.status_code
