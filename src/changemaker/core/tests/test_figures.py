"""Core's own live figure: the share of published commitments due so far that were done by
their due date (the first update that set them done)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from changemaker.core.figures import commitments_on_time
from changemaker.core.models import Commitment, CommitmentUpdate, Council

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 1)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


def _commitment(council: Council, due: date, done_on: date | None, **kw: object) -> Commitment:
    c = Commitment.objects.create(
        council=council,
        title="t",
        due=due,
        status="done" if done_on else "in_progress",
        **kw,
    )
    if done_on:
        CommitmentUpdate.objects.create(commitment=c, text="done", status="done", at=_at(done_on))
    return c


def test_done_by_the_due_date_over_due_so_far(council: Council) -> None:
    assert commitments_on_time(council, TODAY).value is None
    _commitment(council, TODAY - timedelta(days=30), TODAY - timedelta(days=31))  # on time
    _commitment(council, TODAY - timedelta(days=30), TODAY - timedelta(days=30))  # on the day
    _commitment(council, TODAY - timedelta(days=30), TODAY - timedelta(days=2))  # late
    _commitment(council, TODAY - timedelta(days=1), None)  # not done, due
    _commitment(council, TODAY + timedelta(days=10), TODAY - timedelta(days=5))  # not due yet
    _commitment(council, TODAY - timedelta(days=9), TODAY - timedelta(days=20), published=False)
    found = commitments_on_time(council, TODAY)
    assert found.value == pytest.approx(100 * 2 / 4, abs=0.05)
    assert "2 of the 4" in found.explanation
