"""Listening's reads: a person's own follows, notifications and choices; what a job must
hand on or send; story collections, their stories, themes and suggestions, and a theme as
evidence. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext

from changemaker.core.models import Council, Job, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.registry import NOTICE_KINDS, PROPOSALS, Evidence
from changemaker.listening.engine import How, soonest
from changemaker.listening.models import (
    Follow,
    Notification,
    Preference,
    Story,
    StoryCollection,
    Suggestion,
    Theme,
)

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


# What the jobs read -------------------------------------------------------------------------


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


# Stories ------------------------------------------------------------------------------------

GROUPING = "listening.stories.group"
QUOTES = 3
QUOTE_LENGTH = 200


def open_collection(council: Council, slug: str) -> StoryCollection | None:
    """A collection residents may see (open or closed: a closed one says so)."""
    return StoryCollection.objects.filter(council=council, slug=slug).first()


def quotable_stories(collection: StoryCollection, limit: int = 5) -> list[Story]:
    """Stories that may be shown in public: their tellers agreed, an officer read them."""
    return list(
        collection.stories.filter(consent=True, status=Story.Status.READ).order_by(
            "-created_at", "-pk"
        )[:limit]
    )


def collections(council: Council) -> QuerySet[StoryCollection]:
    return StoryCollection.objects.filter(council=council).annotate(
        told=Count("stories", distinct=True),
        unread=Count("stories", filter=Q(stories__status=Story.Status.NEW), distinct=True),
    )


def collection_of(council: Council, pk: int) -> StoryCollection | None:
    return StoryCollection.objects.filter(council=council, pk=pk).first()


def slug_taken(council: Council, slug: str) -> bool:
    return StoryCollection.objects.filter(council=council, slug=slug).exists()


def stories_of(collection: StoryCollection, theme: Theme | None = None) -> QuerySet[Story]:
    found = collection.stories.select_related("ward").prefetch_related("themes")
    return found.filter(themes=theme) if theme is not None else found


def story_of(collection: StoryCollection, pk: int) -> Story | None:
    return collection.stories.filter(pk=pk).select_related("ward", "entered_by").first()


def themes_of(collection: StoryCollection) -> QuerySet[Theme]:
    return collection.themes.annotate(told=Count("stories"))


def theme_of(collection: StoryCollection, pk: int) -> Theme | None:
    return collection.themes.filter(pk=pk).first()


def open_suggestions(collection: StoryCollection) -> list[Suggestion]:
    return list(
        collection.suggestions.filter(status=Suggestion.Status.SUGGESTED).prefetch_related(
            "stories"
        )
    )


def suggestion_of(collection: StoryCollection, pk: int) -> Suggestion | None:
    return collection.suggestions.filter(pk=pk, status=Suggestion.Status.SUGGESTED).first()


def grouping_job(collection: StoryCollection) -> Job | None:
    """The latest grouping run of this collection (to show its progress)."""
    return (
        Job.objects.filter(
            kind=GROUPING, council=collection.council, params__collection=collection.pk
        )
        .order_by("-created_at")
        .first()
    )


def grouping_texts(collection: StoryCollection) -> list[tuple[int, str]]:
    """What the grouping engine reads: each story's id and text (held-back stories too: an
    officer groups everything told)."""
    return [
        (pk, f"{works}\n{helps}")
        for pk, works, helps in collection.stories.order_by("pk").values_list(
            "pk", "what_works", "what_would_help"
        )
    ]


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= QUOTE_LENGTH:
        return text
    return text[: QUOTE_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def evidence_for(theme: Theme) -> Evidence:
    """A theme as evidence: how many stories, and a few excerpts of stories their tellers
    agreed to have quoted (read by an officer, not held back); never a name."""
    stories = list(theme.stories.order_by("pk"))
    quotes = [_excerpt(s.what_works) for s in stories if s.quotable][:QUOTES]
    summary = ngettext(
        "From %(n)s resident's story collected in ‘%(title)s’.",
        "From %(n)s residents' stories collected in ‘%(title)s’.",
        len(stories),
    ) % {"n": len(stories), "title": theme.collection.title}
    return Evidence(
        summary=summary,
        quotes=tuple(quotes),
        count=len(stories),
        source=f"listening.theme:{theme.pk}",
    )


def proposal_choices(council: Council) -> list[tuple[str, str, str]]:
    """Where a theme may go now: (sink key + ":" + target key, what it becomes, where)."""
    return [
        (f"{key}|{target}", str(sink.label), title)
        for key, sink in sorted(PROPOSALS.items())
        for target, title in sink.targets(council)
    ]


def council_wards(council: Council) -> QuerySet[Ward]:
    return Ward.objects.filter(council=council).order_by("name")
