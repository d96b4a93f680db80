"""The demo resident follows a followable subject and a ward, and hears of the notices other
demos published; loading twice changes nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail

from changemaker.core.models import Council, Notice, Role, User
from changemaker.core.notices import publish
from changemaker.core.tests.factories import WardFactory
from changemaker.listening import demo
from changemaker.listening.models import Follow, Notification

pytestmark = pytest.mark.django_db


def test_demo_leaves_notifications_and_emails_once(
    council: Council, make_user: Callable[..., User]
) -> None:
    resident = make_user(Role.RESIDENT, email=demo.RESIDENT)
    WardFactory(council=council, name="Abbey")
    publish(
        "support.request_status",
        council=council,
        recipients=[resident.pk],
        status="matched",
        day="01/03/2027",
    )
    made = demo.load(council)
    # the commitments' notices (and this one) are handed on before anyone follows them
    assert made[-1] == "notifications: 0 notices handed on, 1 emails sent"
    assert Follow.objects.filter(user=resident, how="weekly").count() == 1  # the ward
    assert Notification.objects.filter(user=resident).count() == 1
    assert len(mail.outbox) == 1
    assert demo.load(council) == []
    assert len(mail.outbox) == 1
    assert Notice.objects.exclude(kind="listening.commitment_changed").count() == 1


def test_demo_commitments_once(council: Council) -> None:
    """A parent with weighted parts (one delayed), milestones with a document, and updates
    over months; loading twice changes nothing."""
    from changemaker.core.models.commitments import Commitment, CommitmentUpdate, Milestone

    assert demo.load(council)[0].startswith("commitments:")
    parent = Commitment.objects.get(title=demo.PARENT)
    parts = list(parent.children.all())
    assert len(parts) == 3 and {c.status for c in parts} == {"in_progress", "delayed", "done"}
    assert (parent.progress, parent.status) == (round((60 * 3 + 30 * 2 + 100) / 6), "delayed")
    assert Milestone.objects.exclude(document="").count() == 1
    months = {u.at.strftime("%Y-%m") for u in CommitmentUpdate.objects.all()}
    assert len(months) >= 3
    state = (Commitment.objects.count(), CommitmentUpdate.objects.count(), Notice.objects.count())
    demo.load(council)
    assert state == (
        Commitment.objects.count(),
        CommitmentUpdate.objects.count(),
        Notice.objects.count(),
    )
