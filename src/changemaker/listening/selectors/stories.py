"""Story collections, their stories, themes and suggestions, the grouping job, and a theme as
evidence for a proposal elsewhere. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext

from changemaker.core.models import Council, Job, Ward
from changemaker.core.registry import PROPOSALS, Evidence
from changemaker.listening.models import Story, StoryCollection, Suggestion, Theme

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


def quotable_excerpts(stories: Iterable[Story]) -> list[str]:
    """Excerpts of the stories their tellers agreed to have quoted, read by an officer and
    not held back (now: a story held back later drops out)."""
    return [_excerpt(s.what_works) for s in stories if s.quotable]


def quotes_of(source: str) -> list[str] | None:
    """The registry's quote source: the excerpts ``listening.theme:<id>`` may show in public
    now, or None when there is no such theme."""
    kind, _sep, pk = source.partition(":")
    if kind != "listening.theme" or not pk.isdigit():
        return None
    theme = Theme.objects.filter(pk=int(pk)).first()
    return None if theme is None else quotable_excerpts(theme.stories.order_by("pk"))


def evidence_for(theme: Theme) -> Evidence:
    """A theme as evidence: how many stories, and a few excerpts of stories their tellers
    agreed to have quoted (read by an officer, not held back); never a name."""
    stories = list(theme.stories.order_by("pk"))
    quotes = quotable_excerpts(stories)[:QUOTES]
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
