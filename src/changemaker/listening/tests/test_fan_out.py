"""A notice reaches its recipients and the followers of any of its subjects, each once."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.core.models import AuditEvent, Council, Notice, User
from changemaker.core.notices import publish, subject_key
from changemaker.core.tests.factories import WardFactory
from changemaker.listening import actions, adapter
from changemaker.listening.models import Follow, Notification, Preference

from .conftest import KIND

pytestmark = pytest.mark.django_db


def _follow(user: User, council: Council, key: str, how: str = "at_once") -> Follow:
    return Follow.objects.create(user=user, council=council, subject=key, how=how)


def test_recipients_and_followers_hear_once_the_soonest_way(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    ward = WardFactory(council=council)
    author, ward_follower, both = make_user(), make_user(), make_user()
    _follow(ward_follower, council, subject_key(ward), "weekly")
    _follow(both, council, subject_key(ward), "daily")
    _follow(both, council, "budgeting.project:7", "weekly")  # two subjects of one notice
    Preference.objects.create(user=both, own={KIND: "weekly"})
    sent = notice(
        subjects=[subject_key(ward), "budgeting.project:7"], recipients=[author.pk, both.pk]
    )

    assert adapter.dispatch_waiting() == {"notices": 1, "people": 3}

    got = {n.user_id: n.how for n in Notification.objects.filter(notice=sent)}
    assert got == {author.pk: "at_once", ward_follower.pk: "weekly", both.pk: "daily"}
    event = AuditEvent.objects.get(action="listening.dispatched")
    assert event.detail == {"kind": KIND, "people": 3}


def test_a_notice_is_handed_on_once(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    person = make_user()
    sent = notice(recipients=[person.pk])
    adapter.dispatch_waiting()
    assert actions.dispatch(sent) == 0  # already handed on
    adapter.dispatch_waiting()
    assert Notification.objects.filter(notice=sent).count() == 1


def test_other_councils_followers_do_not_hear(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    elsewhere = Council.objects.create(name="Riverside", slug="riverside", contact_email="a@b.c")
    person = make_user()
    _follow(person, elsewhere, "budgeting.project:7")
    notice(subjects=["budgeting.project:7"])
    adapter.dispatch_waiting()
    assert not Notification.objects.exists()


def test_not_at_all_and_unconfirmed_addresses_are_listed_but_never_emailed(
    council: Council, make_user: Callable[..., User], notice: Callable[..., Notice]
) -> None:
    quiet, unconfirmed = make_user(), make_user(email_verified_at=None)
    _follow(quiet, council, "budgeting.project:7", "never")
    notice(subjects=["budgeting.project:7"], recipients=[unconfirmed.pk])
    adapter.dispatch_waiting()
    assert set(Notification.objects.values_list("status", flat=True)) == {"not_emailed"}
    assert adapter.send_due() == {"sent": 0, "retrying": 0, "gave_up": 0}


def test_a_keyed_notice_is_published_once(council: Council) -> None:
    first = publish(KIND, council=council, key="once", slug="park", question="Q?")
    again = publish(KIND, council=council, key="once", slug="park", question="Q?")
    assert first.pk == again.pk
    assert Notice.objects.count() == 1


def test_an_undeclared_kind_is_refused(council: Council) -> None:
    with pytest.raises(ValueError, match=r"Capability\.notices"):
        publish("nobody.declared_this", council=council)


def test_publishing_tells_the_deliverer_after_commit(
    council: Council,
    notice: Callable[..., Notice],
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    from changemaker.core.models import Job

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[attr-defined]
        notice()
        notice()
    assert Job.objects.filter(kind="listening.fan_out").count() == 1  # one waiting run
