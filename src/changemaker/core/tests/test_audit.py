"""The audit log records who did what, and cannot be changed from the application."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core import audit
from changemaker.core.models import AuditEvent, Council, Role, User
from changemaker.core.models.audit import AppendOnlyError


def test_record_captures_who_what_when_which_why(
    council: Council, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.DATA_OFFICER)
    event = audit.record(
        "person.viewed",
        actor=officer,
        council=council,
        obj=officer,
        reason="Early-help review",
        purpose="early_help",
    )
    event.refresh_from_db()
    assert (event.actor, event.council, event.action) == (officer, council, "person.viewed")
    assert (event.object_type, event.object_id) == ("core.user", str(officer.pk))
    assert event.reason == "Early-help review"
    assert event.detail == {"purpose": "early_help"}
    assert event.at is not None


def test_audit_log_is_append_only(council: Council) -> None:
    event = audit.record("something", council=council)
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_viewing_the_audit_log_is_itself_audited(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    client = client_as(Role.COUNCIL_ADMIN)
    audit.record("person.viewed", council=council, reason="Safeguarding check")
    page = client.get(reverse("core:audit"), HTTP_HOST="exampleton.test").content.decode()
    assert "Person viewed" in page and "Safeguarding check" in page
    assert ">person.viewed<" not in page  # plain words, not the code (only as a filter value)
    assert AuditEvent.objects.filter(action="audit.viewed").count() == 1


def test_audit_log_only_shows_this_council(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    from changemaker.core.tests.factories import CouncilFactory

    audit.record("elsewhere.viewed", council=CouncilFactory(slug="other"))
    page = client_as(Role.COUNCIL_ADMIN).get(reverse("core:audit"), HTTP_HOST="exampleton.test")
    assert "Elsewhere viewed" not in page.content.decode()
