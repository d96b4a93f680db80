"""Closed requests lose their personal details after the council's retention period."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from changemaker.core.jobs import get_handler
from changemaker.core.models import AuditEvent, Council, Job, User
from changemaker.support import actions, selectors
from changemaker.support.models import HelpRequest

pytestmark = pytest.mark.django_db


def test_anonymise_after_the_retention_period(
    area: Council, coordinator: User, make_request: Callable[..., HelpRequest]
) -> None:
    old = make_request(name="Old Person", phone="01632 960999")
    recent = make_request(name="Recent Person")
    still_open = make_request(name="Open Person")
    for request in (old, recent):
        actions.cancel_request(request, by=coordinator)
    HelpRequest.objects.filter(pk=old.pk).update(closed_at=timezone.now() - timedelta(days=400))
    assert actions.anonymise_closed_requests() == 1
    assert AuditEvent.objects.get(action="support.requests.anonymised").detail == {"count": 1}
    old.refresh_from_db()
    assert old.name == "(removed)" and old.phone == "" and old.address == ""
    assert old.postcode == "EX1" and old.lat is None and old.anonymised_at is not None
    assert old.needs == ["shopping"] and old.ward is not None  # counts still work
    assert HelpRequest.objects.get(pk=recent.pk).name == "Recent Person"
    assert HelpRequest.objects.get(pk=still_open.pk).name == "Open Person"
    assert actions.anonymise_closed_requests() == 0  # idempotent
    settings = selectors.settings_for(area)
    settings.retention_days = 0
    settings.save()
    job = Job.objects.create(kind="support.retention", title="Retention", council=area)
    assert get_handler("support.retention")(job) == {"anonymised": 1}
