"""Moderators see why residents reported a statement, and removing a statement without a reason
is refused as an error (the GOV.UK error summary linking to the reason, the error by the field),
never a success banner; nothing changes."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.consultations.models import Consultation, Statement
from changemaker.core.models import AuditEvent, Role

HOST = {"HTTP_HOST": "exampleton.test"}


def _report(client: Client, c: Consultation, number: int, reason: str) -> None:
    response = client.post(
        reverse("consultations:report", args=[c.slug, number]), {"reason": reason}, **HOST
    )
    assert response.status_code == 302


def test_moderators_see_why_a_statement_was_reported(
    make_consultation: Callable[..., Consultation],
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation()
    _report(Client(), c, 1, "It names my neighbour")
    _report(Client(), c, 1, "Offensive about older people")
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .get(reverse("consultations:moderate", args=[c.slug]), **HOST)
        .content.decode()
    )
    reported = page.split("Reported by residents", 1)[1]
    assert "Second statement" in reported and "2 reports" in reported
    assert "Why residents reported it" in reported
    assert "It names my neighbour" in reported and "Offensive about older people" in reported


def test_removing_without_a_reason_is_an_error_by_the_field(
    make_consultation: Callable[..., Consultation],
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation()
    _report(Client(), c, 1, "Rude")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    before = AuditEvent.objects.filter(action="consultation.moderated").count()
    response = officer.post(
        reverse("consultations:moderate", args=[c.slug]),
        {"statement": "1", "decision": "remove", "reason": "   "},
        follow=True,
        **HOST,
    )
    page = response.content.decode()
    assert c.statements.get(number=1).status == Statement.Status.PUBLISHED  # nothing changed
    assert AuditEvent.objects.filter(action="consultation.moderated").count() == before
    assert "govuk-notification-banner--success" not in page and ">Success<" not in page
    summary = page.split('class="govuk-error-summary"', 1)[1].split("</div>\n</div>", 1)[0]
    assert 'href="#statement-1-reason"' in summary
    assert "Give the reason for removing the statement" in summary
    # the error is by the field, which is tied to it for screen readers
    assert 'id="statement-1-reason-error"' in page
    assert 'aria-describedby="statement-1-reason-error"' in page
    assert "<title>Error: " in page
    # a removal with a reason is saved and said so
    done = officer.post(
        reverse("consultations:moderate", args=[c.slug]),
        {"statement": "1", "decision": "remove", "reason": "Rude about a named person"},
        follow=True,
        **HOST,
    ).content.decode()
    assert c.statements.get(number=1).status == Statement.Status.REJECTED
    assert "Decision saved" in done and "govuk-error-summary" not in done
