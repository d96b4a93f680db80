"""The open self-evaluation's reads: scorecards for the public and for staff, each criterion's
residents' view (nothing below the minimum number of ratings) with the figure and the gap, and
the comments to check. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from changemaker.core.figures import live_figures, thaw
from changemaker.core.models import Council
from changemaker.core.registry import Figure
from changemaker.listening.engine import ratings
from changemaker.listening.models import Criterion, ResidentRating, Scorecard

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
    """The figure as frozen at publication, told in the reader's language."""
    stored = card.figures.get(key)
    return thaw(key, stored) if stored else None


def frozen_figure_in(card: Scorecard, key: str, language: str) -> Figure | None:
    """The figure as frozen at publication, told in the given language (the open data gives
    English and Welsh)."""
    with translation.override(language):
        return _frozen(card, key) if key else None


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
