"""Every write of a resident is audited, without what they wrote (issue 16: adding and
reporting a statement left no audit event)."""

from __future__ import annotations

import json
from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.consultations.models import Consultation, Statement
from changemaker.core.models import AuditEvent, Role

HOST = {"HTTP_HOST": "exampleton.test"}
PHONE = "Call Sam on 07700 900123 about the bins"


def _words(event: AuditEvent) -> str:
    return json.dumps(event.detail) + event.reason + event.object_id


def test_adding_a_statement_is_audited_without_its_text(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    client.post(reverse("consultations:add-statement", args=[c.slug]), {"text": PHONE}, **HOST)
    statement = Statement.objects.get(consultation=c, is_seed=False)
    event = AuditEvent.objects.get(action="consultation.statement_added")
    assert event.council == c.council
    assert (event.object_type, event.object_id) == ("consultations.statement", str(statement.pk))
    assert event.detail == {"status": "published"}
    assert "07700" not in _words(event) and "Sam" not in _words(event)


def test_a_signed_in_person_adding_a_statement_is_the_actor(
    make_consultation: Callable[..., Consultation], client_as: Callable[[str | None], Client]
) -> None:
    c = make_consultation(moderation="before")
    client = client_as(Role.RESIDENT)
    client.post(reverse("consultations:add-statement", args=[c.slug]), {"text": PHONE}, **HOST)
    event = AuditEvent.objects.get(action="consultation.statement_added")
    assert event.actor is not None and event.actor.roles_in(c.council) == {Role.RESIDENT}
    assert event.detail == {"status": "pending"}


def test_a_refused_statement_leaves_no_event(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    url = reverse("consultations:add-statement", args=[c.slug])
    client.post(url, {"text": "first statement"}, **HOST)  # already written: refused
    assert not AuditEvent.objects.filter(action="consultation.statement_added").exists()


def test_reporting_a_statement_is_audited_without_the_reason(
    make_consultation: Callable[..., Consultation], client: Client
) -> None:
    c = make_consultation()
    url = reverse("consultations:report", args=[c.slug, 1])
    client.post(url, {"reason": PHONE}, **HOST)
    client.post(url, {"reason": "Again"}, **HOST)  # once per participant: not stored again
    statement = c.statements.get(number=1)
    assert statement.reports.count() == 1
    events = list(AuditEvent.objects.filter(action="consultation.statement_reported"))
    assert [e.detail for e in reversed(events)] == [{"repeated": False}, {"repeated": True}]
    for event in events:
        assert event.council == c.council
        assert (event.object_type, event.object_id) == (
            "consultations.statement",
            str(statement.pk),
        )
        assert "07700" not in _words(event) and "Again" not in _words(event)
