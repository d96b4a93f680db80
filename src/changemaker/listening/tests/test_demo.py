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
    assert made[-1] == "notifications: 1 notices handed on, 1 emails sent"
    assert Follow.objects.filter(user=resident, how="weekly").count() == 1  # the ward
    assert Notification.objects.filter(user=resident).count() == 1
    assert len(mail.outbox) == 1
    assert demo.load(council) == []
    assert len(mail.outbox) == 1
    assert Notice.objects.count() == 1
