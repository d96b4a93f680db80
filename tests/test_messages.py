"""Banners: a refusal looks like an error (GOV.UK error style, announced), a success like one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.consultations import actions as consultations
from changemaker.core.models import Council, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


def _banner(html: str) -> str:
    """The message area: from the first banner or error box to the page heading."""
    start = min(
        (i for i in (html.find("govuk-notification-banner"), html.find("cm-message")) if i >= 0),
        default=-1,
    )
    assert start >= 0, "no banner on the page"
    return html[start : html.index("<h1", start)]


def _assert_error(html: str, text: str) -> None:
    banner = _banner(html)
    assert text in banner
    assert "govuk-error-summary" in banner and 'role="alert"' in banner
    assert "govuk-notification-banner--success" not in banner
    assert ">Success<" not in banner


def test_refused_vote_is_shown_as_an_error(
    client: Client, council: Council, make_user: Callable[..., User]
) -> None:
    now = timezone.now()
    consultation = consultations.create_consultation(
        council,
        by=make_user(Role.ENGAGEMENT_OFFICER),
        slug="c1",
        question="What next?",
        background="",
        moderation="after",
        audience="anyone",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=1),
        seeds=["First statement"],
    )
    response = client.post(
        reverse("consultations:vote", args=[consultation.slug]),
        {"statement": "0", "vote": "maybe"},
        follow=True,
        **HOST,
    )
    _assert_error(response.content.decode(), "Choose agree, disagree or pass.")


def test_dataset_without_agreement_is_shown_as_an_error(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    officer = client_as(Role.DATA_OFFICER)
    response = officer.get(reverse("insight:dataset-new"), follow=True, **HOST)
    _assert_error(response.content.decode(), "no agreement, no import")


def test_a_success_is_still_shown_as_a_success(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    resident = client_as(Role.RESIDENT)
    response = resident.post(reverse("core:sign-out"), follow=True, **HOST)
    banner = _banner(response.content.decode())
    assert "You have signed out" in banner
    assert "govuk-notification-banner--success" in banner and "govuk-error-summary" not in banner
