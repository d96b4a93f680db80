"""Vetting expiry reminders 60, 30 and 7 days before; each sent once; late runs send only the
nearest one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from changemaker.core.jobs import get_handler
from changemaker.core.models import Job
from changemaker.support import actions
from changemaker.support.models import VettingReminder, Volunteer

pytestmark = pytest.mark.django_db


def test_reminders_at_60_30_7_days_and_idempotent(
    make_volunteer: Callable[..., Volunteer], django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    volunteer = make_volunteer(expires=today + timedelta(days=70))
    make_volunteer(expires=today + timedelta(days=65), status=Volunteer.Status.LEFT)
    sent_on = []
    with django_capture_on_commit_callbacks(execute=True):
        for offset in range(0, 75):
            if actions.send_vetting_reminders(today + timedelta(days=offset)):
                sent_on.append(offset)
            actions.send_vetting_reminders(today + timedelta(days=offset))  # twice a day: no-op
    assert sent_on == [10, 40, 63]  # 60, 30 and 7 days before the expiry
    assert len(mail.outbox) == 3
    assert all(m.to == [volunteer.email] for m in mail.outbox)
    assert "runs out in 7 days" in mail.outbox[-1].subject
    assert sorted(VettingReminder.objects.values_list("days_before", flat=True)) == [7, 30, 60]


def test_a_late_first_run_sends_only_the_nearest_reminder(
    make_volunteer: Callable[..., Volunteer], django_capture_on_commit_callbacks: Any
) -> None:
    make_volunteer(expires=timezone.localdate() + timedelta(days=20))
    with django_capture_on_commit_callbacks(execute=True):
        out = StringIO()
        call_command("send_vetting_reminders", stdout=out)
        call_command("send_vetting_reminders", stdout=StringIO())
    assert "Sent 1 reminder(s)" in out.getvalue()
    job = Job.objects.create(kind="support.vetting_reminders", title="Reminders")
    assert get_handler("support.vetting_reminders")(job) == {"sent": 0}
    assert list(VettingReminder.objects.values_list("days_before", flat=True)) == [30]
    assert len(mail.outbox) == 1
