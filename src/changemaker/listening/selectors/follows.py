"""A person's own follows, notifications and notification choices, and the unsubscribe link's
token. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db.models import QuerySet

from changemaker.core.models import Council, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.registry import NOTICE_KINDS
from changemaker.listening.models import Follow, Notification, Preference

UNSUBSCRIBE_SALT = "changemaker.listening.unsubscribe"


def is_following(user: Any, council: Council, key: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, council=council, subject=key).exists()


@dataclass(frozen=True)
class FollowRow:
    follow: Follow
    title: str
    url: str


def own_follows(user: User, council: Council) -> list[FollowRow]:
    """What this person follows here, named (a subject that no longer exists is left out)."""
    rows = []
    for follow in Follow.objects.filter(user=user, council=council):
        named = describe_subject(council, follow.subject)
        if named is not None:
            rows.append(FollowRow(follow, named[0], named[1]))
    return rows


def own_follow(user: User, council: Council, pk: int) -> Follow | None:
    return Follow.objects.filter(user=user, council=council, pk=pk).first()


def followable_wards(council: Council) -> list[tuple[str, str]]:
    return [(subject_key(w), w.name) for w in Ward.objects.filter(council=council)]


def own_notifications(user: User, council: Council) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, notice__council=council).select_related("notice")


def unread_count(user: User, council: Council) -> int:
    return own_notifications(user, council).filter(read_at__isnull=True).count()


def preference_of(user: User) -> Preference | None:
    return Preference.objects.filter(user=user).first()


def direct_kinds() -> list[tuple[str, Any]]:
    """The notice kinds people get about their own things (the preferences page's rows)."""
    return sorted(
        ((kind, nk.label) for kind, nk in NOTICE_KINDS.items() if nk.direct), key=lambda r: r[0]
    )


def unsubscribe_token(preference: Preference) -> str:
    """The link's token: the random key, signed (opaque: it names no one)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(preference.key)


def preference_for_token(token: str) -> Preference | None:
    try:
        key = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token)
    except signing.BadSignature:
        return None
    return Preference.objects.filter(key=key).select_related("user").first()
