"""Emails: at once, in daily and weekly digests, never when chosen so; failures are retried
after growing pauses and then given up with a clear status."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from changemaker.core.models import AuditEvent, Council, Notice, User
from changemaker.listening import adapter, jobs
from changemaker.listening.engine import MAX_ATTEMPTS, How
from changemaker.listening.models import Follow, Notification, Preference

from .conftest import KIND, FailingBackend

pytestmark = pytest.mark.django_db
FAILING = {"default": {"BACKEND": "changemaker.listening.tests.conftest.FailingBackend"}}


def test_at_once_sends_one_email_with_one_click_unsubscribe(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    assert adapter.send_due() == {"sent": 1, "retrying": 0, "gave_up": 0}

    (email,) = mail.outbox
    assert email.to == [person.email]
    assert email.subject == "Results are out: What next for the park?"
    assert "https://exampleton.test/have-your-say/park/results/" in email.body
    unsubscribe = email.extra_headers["List-Unsubscribe"]
    assert unsubscribe.startswith("<https://exampleton.test/notifications/unsubscribe/")
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.strip("<>") in email.body
    notification = Notification.objects.get()
    assert (notification.status, notification.attempts) == ("sent", 1)
    assert notification.emailed_at is not None
    assert AuditEvent.objects.get(action="listening.emailed").detail == {
        "digest": "",
        "sent": 1,
        "retrying": 0,
        "gave_up": 0,
    }


def test_the_email_is_in_the_recipients_language(
    council: Council,
    make_user: Callable[..., User],
    notice: Callable[..., Notice],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from django.utils.translation import get_language

    from changemaker.core.registry import NOTICE_KINDS, NoticeKind

    kind = NOTICE_KINDS[KIND]
    monkeypatch.setitem(
        NOTICE_KINDS,
        KIND,
        NoticeKind(kind.label, lambda p: f"in {get_language()}", kind.body, kind.url),
    )
    welsh, english = make_user(), make_user()
    Preference.objects.create(user=welsh, language="cy")
    notice(recipients=[welsh.pk, english.pk])
    adapter.dispatch_waiting()
    adapter.send_due()
    subjects = {email.to[0]: email.subject for email in mail.outbox}
    assert subjects == {welsh.email: "in cy", english.email: "in en-gb"}


def test_daily_digest_groups_several_notices_in_one_email(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    Follow.objects.create(user=person, council=council, subject="ward:1", how="daily")
    for question in ["Park?", "Library?", "Bins?"]:
        notice(subjects=["ward:1"], question=question)
    adapter.dispatch_waiting()
    assert adapter.send_due()["sent"] == 0  # nothing goes at once
    assert mail.outbox == []

    assert adapter.send_digests(How.WEEKLY) == {"sent": 0, "retrying": 0, "gave_up": 0}
    assert adapter.send_digests(How.DAILY) == {"sent": 3, "retrying": 0, "gave_up": 0}
    (email,) = mail.outbox
    assert email.subject == "Exampleton Borough Council: 3 updates today"
    for question in ["Park?", "Library?", "Bins?"]:
        assert f"Results are out: {question}" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert adapter.send_digests(How.DAILY)["sent"] == 0  # each notice once


def test_weekly_digest_and_not_at_all(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    weekly, never = make_user(), make_user()
    Follow.objects.create(user=weekly, council=council, subject="ward:1", how="weekly")
    Follow.objects.create(user=never, council=council, subject="ward:1", how="never")
    notice(subjects=["ward:1"], question="Park?")
    notice(subjects=["ward:1"], question="Bins?")
    adapter.dispatch_waiting()
    jobs.daily(None)  # type: ignore[arg-type]
    assert mail.outbox == []
    jobs.weekly(None)  # type: ignore[arg-type]
    (email,) = mail.outbox
    assert email.to == [weekly.email]
    assert email.subject == "Exampleton Borough Council: 2 updates this week"
    assert Notification.objects.get(user=never, notice__params__question="Park?").status == (
        "not_emailed"
    )


@override_settings(MAILERS=FAILING)
def test_a_failing_backend_is_retried_with_growing_pauses_then_given_up(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    FailingBackend.calls = 0
    now = timezone.now()
    pauses = []
    for attempt in range(1, MAX_ATTEMPTS + 1):
        result = adapter.send_due(now)
        notification = Notification.objects.get()
        assert notification.attempts == attempt
        assert notification.last_error == "ConnectionRefusedError"
        if attempt < MAX_ATTEMPTS:
            assert result == {"sent": 0, "retrying": 1, "gave_up": 0}
            assert adapter.send_due(now)["retrying"] == 0  # not due again yet
            assert notification.next_attempt_at is not None
            pauses.append(notification.next_attempt_at - now)
            now = notification.next_attempt_at
        else:
            assert result == {"sent": 0, "retrying": 0, "gave_up": 1}
    assert pauses == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert FailingBackend.calls == MAX_ATTEMPTS
    notification.refresh_from_db()
    assert notification.status == "failed"
    assert notification.get_status_display() == "Could not be emailed"
    assert notification.next_attempt_at is None
    assert adapter.send_due(now + timedelta(days=1))["gave_up"] == 0  # never tried again


@override_settings(MAILERS=FAILING)
def test_the_sending_job_queues_itself_for_the_next_try(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    from changemaker.core.models import Job

    notice(recipients=[make_user().pk])
    result = jobs.fan_out(Job.objects.create(kind="listening.fan_out", title="t"))
    assert result["retrying"] == 1
    assert Job.objects.filter(kind="listening.send", status="queued").count() == 1


def test_nothing_personal_is_logged_when_sending_fails(
    council: Council,
    make_user: Callable[..., User],
    notice: Callable[..., Notice],
    caplog: pytest.LogCaptureFixture,
) -> None:
    person = make_user()
    notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    with override_settings(MAILERS=FAILING), caplog.at_level("DEBUG"):
        adapter.send_due()
    assert caplog.text
    assert person.email not in caplog.text
    assert person.name not in caplog.text
    assert "ConnectionRefusedError" in caplog.text


@override_settings(CHANGEMAKER_THROTTLES={"listening.unsubscribe": "2/hour"})
def test_unsubscribing_is_throttled_per_address(council: Council) -> None:
    """Unsubscribe links work signed out, so posting to them is limited per address: a script
    trying keys is stopped (a mail system posts once per email)."""
    client = Client()
    url = reverse("listening:unsubscribe", args=["not-a-real-key"])
    codes = [client.post(url, HTTP_HOST="exampleton.test").status_code for _ in range(3)]
    assert codes == [404, 404, 429]
