"""Budgeting's live figures for the open self-evaluation (core.registry.Capability.figures)
and how they read (``FIGURE_KINDS``: told again from their facts in the reader's language)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.budgeting.models import (
    Process,
)
from changemaker.budgeting.selectors import evidence_used
from changemaker.core.bilingual import text
from changemaker.core.dates import long_date
from changemaker.core.figures import told
from changemaker.core.models import Council
from changemaker.core.registry import Figure, FigureKind

# Live figures (core.registry.Capability.figures) ------------------------------------------

TURNOUT = "budgeting.turnout"
IDEAS = "budgeting.ideas"


def _turnout_words(value: float | None, facts: Mapping[str, Any]) -> str:
    if not facts:
        return _("No budget has closed its voting yet.")
    return _("%(count)s people voted in %(title)s (voting closed on %(day)s).") % {
        "count": facts["count"],
        "title": text(facts, "title"),
        "day": long_date(facts["day"]),
    }


def _ideas_words(value: float | None, facts: Mapping[str, Any]) -> str:
    if not facts:
        return _("No budget has closed its voting yet.")
    return _("%(count)s ideas were sent in to %(title)s.") % {
        "count": facts["count"],
        "title": text(facts, "title"),
    }


FIGURE_KINDS = {
    TURNOUT: FigureKind(
        gettext_lazy("People who voted in the latest budget"),
        gettext_lazy("people"),
        _turnout_words,
    ),
    IDEAS: FigureKind(
        gettext_lazy("Ideas sent in to the latest budget"), gettext_lazy("ideas"), _ideas_words
    ),
}


def figures(council: Council) -> list[Figure]:
    """The latest budget whose voting has closed: how many people voted (as its results page
    counts them: each online voter, code, paper slip and imported ballot once) and how many
    ideas were sent in to it."""
    latest = (
        Process.objects.filter(council=council, voting_until__lte=timezone.now())
        .order_by("-voting_until", "-pk")
        .first()
    )
    if latest is None:
        return [told(TURNOUT, None, {}), told(IDEAS, None, {})]
    voters = sum(row["voters"] for row in evidence_used(latest))
    ideas = latest.projects.count()
    title = {"title": latest.title, "title_cy": latest.title_cy}
    day = timezone.localdate(latest.voting_until).isoformat()
    return [
        told(TURNOUT, float(voters), {"count": voters, **title, "day": day}),
        told(IDEAS, float(ideas), {"count": ideas, **title}),
    ]
