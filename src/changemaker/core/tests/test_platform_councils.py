"""Platform administrators add councils and the web addresses they answer on, and invite each
council's first administrator."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse

from changemaker.core.models import AuditEvent, Council, CouncilDomain, Invitation, Role, User
from changemaker.core.models.councils import validate_host_name
from changemaker.core.tests.factories import CouncilFactory, sign_in

HOST = {"HTTP_HOST": "exampleton.test"}
NEW = {
    "name": "Riverside District Council",
    "slug": "riverside",
    "domain": "Participate.Riverside.gov.uk.",
    "other_domains": "cymryd-rhan.riverside.gov.uk\n\n  OLD.riverside.gov.uk  ",
    "contact_email": "hello@riverside.example",
    "contact_address": "Town Hall, Riverside",
    "brand_colour": "#0B0C0C",
    "first_admin": "First.Admin@Riverside.example",
}


@pytest.fixture
def platform(council: Council, make_user: Callable[..., User]) -> Client:
    return sign_in(Client(), make_user(Role.PLATFORM_ADMIN))


def _errors(page: Any) -> str:
    text: str = page.text
    assert "govuk-error-summary" in text, text[:2000]
    return text


def test_a_platform_admin_adds_a_council_and_invites_its_first_admin(
    platform: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        added = platform.post(reverse("core:platform-council-new"), NEW, **HOST)
    assert added.status_code == 302 and added["Location"] == reverse("core:platform")
    council = Council.objects.get(slug="riverside")
    assert council.domain == "participate.riverside.gov.uk"  # lower-case, no final dot
    assert council.brand_colour == "#0b0c0c"
    hosts = set(council.other_domains.values_list("host", flat=True))
    assert hosts == {"cymryd-rhan.riverside.gov.uk", "old.riverside.gov.uk"}
    invitation = Invitation.objects.get()
    assert (invitation.council, invitation.role) == (council, Role.COUNCIL_ADMIN)
    assert invitation.email == "first.admin@riverside.example"
    # the link opens on the new council's own address, so the page is branded as it
    assert "http://participate.riverside.gov.uk/invitation/" in mail.outbox[-1].body
    created = AuditEvent.objects.get(action="council.created")
    assert created.council == council and created.detail == {"web_addresses": 3}
    assert AuditEvent.objects.filter(action="staff.invited", council=council).exists()
    listed = platform.get(reverse("core:platform"), **HOST).text
    assert "Riverside District Council" in listed and "cymryd-rhan.riverside.gov.uk" in listed


def test_every_address_of_a_council_picks_it(platform: Client, client: Client) -> None:
    platform.post(reverse("core:platform-council-new"), NEW, **HOST)
    # until the operator adds them to ALLOWED_HOSTS, the server refuses them: the page says so
    listed = platform.get(reverse("core:platform"), **HOST).text
    assert "Not served yet" in listed and "old.riverside.gov.uk" in listed.split("ALLOWED_HOSTS")[0]
    with override_settings(ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, ".riverside.gov.uk"]):
        assert "Not served yet" not in platform.get(reverse("core:platform"), **HOST).text
        for host in (
            "participate.riverside.gov.uk",
            "CYMRYD-RHAN.riverside.gov.uk",
            "old.riverside.gov.uk:8000",
        ):
            assert "Riverside District" in client.get("/", HTTP_HOST=host).text, host
        assert "Exampleton" in client.get("/", HTTP_HOST="localhost").text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("domain", "https://participate.riverside.gov.uk/", "without https://"),
        ("domain", "participate riverside", "letters, digits and hyphens"),
        ("domain", "-bad-.riverside.gov.uk", "letters, digits and hyphens"),
        ("domain", "exampleton.test", "Another council already answers on exampleton.test"),
        ("domain", "", "Enter the web address it answers on"),
        ("other_domains", "ok.riverside.gov.uk\nbad_host.gov.uk", "Line 2: Enter a web address"),
        ("other_domains", "participate.riverside.gov.uk", "is its main web address already"),
        ("brand_colour", "#ffdd00", "Choose a darker brand colour"),
        ("brand_colour", "yellow", "Enter a colour as a #"),
        ("first_admin", "", "Enter the email address of its first council administrator"),
        ("name", "Exampleton Borough Council", "already exists"),
    ],
)
def test_bad_input_is_refused_by_the_field_and_nothing_is_written(
    platform: Client, field: str, value: str, message: str
) -> None:
    page = platform.post(reverse("core:platform-council-new"), {**NEW, field: value}, **HOST)
    assert page.status_code == 200
    text = _errors(page)
    assert message in text
    assert f'id="id_{field}-error"' in text  # by the field, as well as in the summary
    assert Council.objects.count() == 1 and not CouncilDomain.objects.exists()
    assert not Invitation.objects.exists()


def test_a_host_another_council_answers_on_as_another_address_is_refused(
    platform: Client, council: Council
) -> None:
    CouncilDomain.objects.create(council=council, host="cymraeg.exampleton.test")
    for field, value in (
        ("domain", "cymraeg.exampleton.test"),
        ("other_domains", "Cymraeg.Exampleton.test"),
    ):
        page = platform.post(reverse("core:platform-council-new"), {**NEW, field: value}, **HOST)
        assert "already answers on cymraeg.exampleton.test" in _errors(page), field
        assert f'id="id_{field}-error"' in page.text
    assert Council.objects.count() == 1


def test_changing_a_council_keeps_its_short_name_and_may_invite(
    platform: Client, council: Council
) -> None:
    url = reverse("core:platform-council", args=[council.pk])
    page = platform.get(url, **HOST)
    assert 'name="slug"' not in page.text and "Invite a council administrator" in page.text
    changed = platform.post(
        url,
        {**NEW, "name": "Exampleton Council", "domain": "exampleton.test", "first_admin": ""},
        **HOST,
    )
    assert changed.status_code == 302
    council.refresh_from_db()
    assert (council.name, council.slug) == ("Exampleton Council", "exampleton")
    assert council.other_domains.count() == 2
    assert not Invitation.objects.exists()
    assert AuditEvent.objects.filter(action="council.updated", council=council).exists()
    # its own address is not "taken": it is its own; removing the other addresses works
    platform.post(
        url, {**NEW, "domain": "exampleton.test", "other_domains": "", "first_admin": ""}, **HOST
    )
    assert not council.other_domains.exists()


def test_host_names_are_checked_on_the_model_too() -> None:
    validate_host_name("participate.exampleton.gov.uk")
    validate_host_name("localhost")
    for bad in ("Participate.gov.uk", "a..b", "x" * 64 + ".gov.uk", "host:8000", "café.gov.uk"):
        with pytest.raises(ValidationError):
            validate_host_name(bad)


@pytest.mark.django_db
def test_two_councils_cannot_share_a_main_address() -> None:
    from django.db import IntegrityError, transaction

    CouncilFactory(slug="a", domain="same.test")
    CouncilFactory(slug="b", domain="")
    CouncilFactory(slug="c", domain="")  # no address: allowed more than once
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilFactory(slug="d", domain="same.test")


def test_council_admins_cannot_add_councils(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    admin = client_as(Role.COUNCIL_ADMIN)
    assert admin.post(reverse("core:platform-council-new"), NEW, **HOST).status_code == 403
    assert Council.objects.count() == 1
