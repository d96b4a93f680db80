"""Listening's reads: a person's own follows, notifications and choices; what a job must
hand on or send; the open self-evaluation's cycles, each criterion's residents' view (nothing
below the minimum number of ratings) and the comments to check; "we asked, you said, we did"
pages (published ones for everyone, all of them for the officers who write them); story
collections, their stories, themes and suggestions, and a theme as evidence. Nothing here
writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core import signing
from django.db.models import Case, Count, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy, ngettext

from changemaker.core.figures import live_figures
from changemaker.core.models import Commitment, Council, Job, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.core.registry import (
    NOTICE_KINDS,
    PROPOSALS,
    Evidence,
    Figure,
    ReportSource,
    report_sources,
)
from changemaker.listening.engine import How, ratings, soonest
from changemaker.listening.models import (
    Criterion,
    Follow,
    Notification,
    Preference,
    Report,
    ResidentRating,
    Scorecard,
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


# Open self-evaluation -------------------------------------------------------------------------

#: Why a comment may be hidden (the key is stored and audited; the words are shown).
HIDE_REASONS = {
    "personal": gettext_lazy("It names or could identify a person"),
    "abusive": gettext_lazy("It is abusive or offensive"),
    "off_topic": gettext_lazy("It is not about this criterion"),
    "advertising": gettext_lazy("It is advertising or spam"),
}


@dataclass(frozen=True)
class ScoreRow:
    """One criterion as a scorecard page shows it."""

    criterion: Criterion
    summary: ratings.Summary
    gap: float | None
    figure: Figure | None
    comments: list[ResidentRating]


def scorecards_for_public(council: Council) -> QuerySet[Scorecard]:
    """Published cycles and the ones open for ratings (newest first)."""
    return Scorecard.objects.filter(
        council=council, status__in=[Scorecard.Status.PUBLISHED, Scorecard.Status.OPEN]
    )


def scorecard(council: Council, slug: str, *, status: str | None = None) -> Scorecard:
    """A cycle of this council (in ``status``, if given), or 404."""
    found = Scorecard.objects.filter(council=council, slug=slug)
    if status is not None:
        found = found.filter(status=status)
    return get_object_or_404(found)


def scorecards_for_staff(council: Council) -> QuerySet[Scorecard]:
    return Scorecard.objects.filter(council=council).annotate(
        criteria_count=Count("criteria", distinct=True)
    )


def criterion_for_staff(council: Council, pk: int) -> Criterion:
    return get_object_or_404(
        Criterion.objects.select_related("scorecard"), pk=pk, scorecard__council=council
    )


def rating_for_staff(council: Council, pk: int) -> ResidentRating:
    return get_object_or_404(
        ResidentRating.objects.select_related("criterion__scorecard").exclude(comment=""),
        pk=pk,
        criterion__scorecard__council=council,
    )


def slug_for_scorecard(council: Council, title: str) -> str:
    """A free short name for a new cycle, from its title."""
    base = slugify(title)[:70] or "self-evaluation"
    taken = set(
        Scorecard.objects.filter(council=council, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    taken.add("manage")  # the staff pages' address
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def own_ratings(user: Any, card: Scorecard) -> dict[int, ResidentRating]:
    """This person's ratings in the cycle, by criterion."""
    if not getattr(user, "is_authenticated", False):
        return {}
    found = ResidentRating.objects.filter(person=user, criterion__scorecard=card)
    return {r.criterion_id: r for r in found}


def figure_choices(council: Council) -> list[tuple[str, str]]:
    """The live figures a criterion may show, as (key, label)."""
    return [(f.key, str(f.label)) for f in live_figures(council)]


def _frozen(card: Scorecard, key: str) -> Figure | None:
    stored = card.figures.get(key)
    return Figure(key=key, **stored) if stored else None


def score_rows(card: Scorecard, *, live: bool = False) -> list[ScoreRow]:
    """Each criterion with the residents' summary (nothing below the minimum), the gap from
    the council's rating, its figure (as frozen at publication, or ``live``) and the comments
    shown."""
    criteria = list(card.criteria.all())
    given: dict[int, list[int]] = {c.pk: [] for c in criteria}
    shown: dict[int, list[ResidentRating]] = {c.pk: [] for c in criteria}
    for r in ResidentRating.objects.filter(criterion__scorecard=card).order_by("created_at", "pk"):
        given[r.criterion_id].append(r.rating)
        if r.comment and r.moderation == ResidentRating.Moderation.SHOWN:
            shown[r.criterion_id].append(r)
    current = {f.key: f for f in live_figures(card.council)} if live else {}
    rows = []
    for c in criteria:
        summary = ratings.summarise(given[c.pk])
        figure = None
        if c.figure:
            figure = current.get(c.figure) if live else _frozen(card, c.figure)
        rows.append(
            ScoreRow(
                criterion=c,
                summary=summary,
                gap=ratings.gap(c.council_rating, summary),
                figure=figure,
                comments=shown[c.pk] if summary.shown else [],
                # too few ratings: their comments wait too (a lone comment could be traced)
            )
        )
    return rows


def comments_to_moderate(card: Scorecard) -> QuerySet[ResidentRating]:
    """The cycle's comments, the ones waiting first (no one's name: moderators see words)."""
    return (
        ResidentRating.objects.filter(criterion__scorecard=card)
        .exclude(comment="")
        .select_related("criterion")
        .order_by(
            Case(When(moderation=ResidentRating.Moderation.WAITING, then=0), default=1),
            "created_at",
            "pk",
        )
    )


# We asked, you said, we did ----------------------------------------------------------------


def kind_of(key: str) -> str:
    """A source key's kind: the model it names ("budgeting.process")."""
    return key.partition(":")[0]


@dataclass(frozen=True)
class SourceRow:
    """A closed process on the officers' list, with its page if it has one."""

    source: ReportSource
    report: Report | None


def report_sources_of(council: Council) -> list[SourceRow]:
    """Every capability's closed processes, most recently closed first, each with its page."""
    pages = {r.source: r for r in Report.objects.filter(council=council)}
    return [SourceRow(s, pages.get(s.key)) for s in report_sources(council)]


def report_source(council: Council, key: str) -> ReportSource | None:
    """The closed process with this key, if a capability lists it for the council."""
    return next((s for s in report_sources(council) if s.key == key), None)


def report_kinds(council: Council) -> list[tuple[str, str]]:
    """(kind, its name) of the council's published pages, for the filter."""
    names = {kind_of(s.key): str(s.kind) for s in report_sources(council)}
    shown = set(
        Report.objects.filter(council=council, status=Report.Status.PUBLISHED).values_list(
            "kind", flat=True
        )
    )
    return sorted(((k, names.get(k, k)) for k in shown), key=lambda kv: kv[1])


def published_reports(council: Council, kind: str = "") -> QuerySet[Report]:
    """The public list, newest first (optionally of one kind)."""
    found = Report.objects.filter(council=council, status=Report.Status.PUBLISHED)
    if kind:
        found = found.filter(kind=kind)
    return found.order_by("-published_at", "-pk")


def published_report(council: Council, pk: int) -> Report:
    """A published page, or 404: a draft is never public."""
    return get_object_or_404(published_reports(council), pk=pk)


def council_report(council: Council, pk: int) -> Report:
    """Any page of the council, draft or published (for the officers who write them)."""
    return get_object_or_404(Report, council=council, pk=pk)


@dataclass(frozen=True)
class CommitmentRow:
    commitment: Commitment
    url: str  # its page, or "" where there is none


def _commitment_url(commitment: Commitment) -> str:
    return reverse("listening:commitment", kwargs={"pk": commitment.pk})


def report_commitments(report: Report) -> list[CommitmentRow]:
    """The published commitments that follow from the process or one of its items."""
    keys = [report.source, *report.related_sources]
    found = Commitment.objects.filter(
        council=report.council_id, published=True, source__in=keys
    ).order_by("due", "pk")
    return [CommitmentRow(c, _commitment_url(c)) for c in found]


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
