"""The person who asked for help online hears when their request is matched, done or
cancelled (core's notices); nothing about the volunteer is in the notice."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from changemaker.core.models import Council, Notice, Role, User
from changemaker.support import actions, notices
from changemaker.support.models import HelpRequest, Match, Volunteer

from .test_matching import _run

pytestmark = pytest.mark.django_db


def test_the_requester_hears_matched_then_done(
    area: Council,
    coordinator: User,
    make_user: Callable[..., User],
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    asker = make_user(Role.RESIDENT)
    volunteer = make_volunteer()
    make_request(requester=asker)
    _run(area, coordinator)
    match = Match.objects.get()
    actions.confirm_match(match, by=coordinator)
    assert volunteer.user is not None
    actions.respond_to_match(match, by=volunteer.user, accept=True)
    actions.complete_match(match, by=volunteer.user, hours=Decimal("1.5"))

    sent = list(Notice.objects.filter(kind=notices.REQUEST_STATUS).order_by("pk"))
    assert [n.params["status"] for n in sent] == ["matched", "done"]
    for notice in sent:
        assert notice.recipients == [asker.pk]
        assert notice.subjects == []
        assert volunteer.first_name not in str(notice.params)
    kind = notices.KINDS[notices.REQUEST_STATUS]
    assert kind.subject(sent[0].params) == "We have found a volunteer for your request for help"
    assert kind.url(sent[0].params) == "/help/your-requests/"


def test_cancelled_by_the_council_is_told_but_not_by_themselves(
    make_user: Callable[..., User],
    coordinator: User,
    make_request: Callable[..., HelpRequest],
) -> None:
    asker = make_user(Role.RESIDENT)
    actions.cancel_request(make_request(requester=asker), by=coordinator)
    actions.cancel_request(make_request(requester=asker), by=asker)
    (notice,) = Notice.objects.all()
    assert notice.params["status"] == "cancelled"


def test_phone_requests_without_an_account_publish_nothing(
    coordinator: User, make_request: Callable[..., HelpRequest]
) -> None:
    actions.cancel_request(make_request(), by=coordinator)
    assert not Notice.objects.exists()
