"""Refusals on budgeting pages are shown with the GOV.UK error summary, never a green
"Success" banner (issue 20: counting during voting showed as a success)."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.budgeting.models import Process
from changemaker.core.models import Job, Role

HOST = {"HTTP_HOST": "exampleton.test"}


def test_counting_during_voting_is_refused_in_the_error_summary(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="voting")
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .post(reverse("budgeting:staff-count", args=[process.slug]), follow=True, **HOST)
        .text
    )
    assert "govuk-error-summary" in page and "There is a problem" in page
    assert "govuk-notification-banner--success" not in page
    assert not Job.objects.exists()


def test_delivery_updates_for_an_unfunded_project_are_refused_in_the_error_summary(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="delivery")
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .get(reverse("budgeting:staff-delivery", args=[process.slug, "P1"]), follow=True, **HOST)
        .text
    )
    assert "There is a problem" in page and "Only funded projects have delivery updates." in page
    assert "govuk-notification-banner--success" not in page


def test_publishing_without_a_choice_is_refused_in_the_error_summary(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .post(reverse("budgeting:staff-publish", args=[process.slug, "P1"]), follow=True, **HOST)
        .text
    )
    assert "There is a problem" in page and "Choose whether to publish the idea." in page
    assert "govuk-notification-banner--success" not in page
