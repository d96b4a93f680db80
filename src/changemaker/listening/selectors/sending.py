"""What the notification jobs read: notices still to hand on, who hears of each and how, what
is due to be emailed and the digests. Nothing here writes."""

from __future__ import annotations

from datetime import datetime

from changemaker.core.models import Notice, User
from changemaker.listening.engine import How, soonest
from changemaker.listening.models import Follow, Notification, Preference


def waiting_notices(limit: int = 200) -> list[Notice]:
    return list(Notice.objects.filter(dispatched_at__isnull=True).order_by("pk")[:limit])


def audience(notice: Notice) -> dict[int, How]:
    """Who hears of a notice and how: its recipients (as they chose for that kind: at once
    unless they said otherwise) and the followers of any of its subjects; each person once,
    the most immediate way, and not by email if they turned emails off."""
    choices: dict[int, list[How]] = {}
    prefs = {p.user_id: p for p in Preference.objects.filter(user_id__in=notice.recipients)}
    for user_id in notice.recipients:
        pref = prefs.get(user_id)
        choices.setdefault(user_id, []).append(pref.how_for(notice.kind) if pref else How.AT_ONCE)
    if notice.subjects:
        for user_id, how in Follow.objects.filter(
            council=notice.council_id, subject__in=notice.subjects
        ).values_list("user_id", "how"):
            choices.setdefault(user_id, []).append(How(how))
    active = set(User.objects.filter(pk__in=choices, is_active=True).values_list("pk", flat=True))
    muted = set(
        Preference.objects.filter(user_id__in=active, emails=False).values_list(
            "user_id", flat=True
        )
    ) | set(  # an address never confirmed gets nothing by email: the in-app list only
        User.objects.filter(pk__in=active, email_verified_at__isnull=True).values_list(
            "pk", flat=True
        )
    )
    return {
        user_id: How.NEVER if user_id in muted else soonest(*hows)
        for user_id, hows in choices.items()
        if user_id in active
    }


def due_now(now: datetime, limit: int = 200) -> list[Notification]:
    """Notifications to email one by one now: at once, waiting, their next try due."""
    return list(
        Notification.objects.filter(
            status=Notification.Status.WAITING,
            how=How.AT_ONCE,
            next_attempt_at__lte=now,
        )
        .select_related("user", "notice", "notice__council")
        .order_by("next_attempt_at", "pk")[:limit]
    )


def next_retry_at() -> datetime | None:
    row = (
        Notification.objects.filter(status=Notification.Status.WAITING, how=How.AT_ONCE)
        .order_by("next_attempt_at")
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    return row


def digest_batches(how: How, now: datetime) -> list[tuple[User, list[Notification]]]:
    """Each person's waiting notifications for this digest, oldest first."""
    waiting = (
        Notification.objects.filter(
            status=Notification.Status.WAITING, how=how, next_attempt_at__lte=now
        )
        .select_related("user", "notice", "notice__council")
        .order_by("user_id", "created_at", "pk")
    )
    batches: dict[int, tuple[User, list[Notification]]] = {}
    for notification in waiting:
        batches.setdefault(notification.user_id, (notification.user, []))[1].append(notification)
    return list(batches.values())
