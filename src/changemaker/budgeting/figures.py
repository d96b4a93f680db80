"""Budgeting's live figures for the open self-evaluation (core.registry.Capability.figures)."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.budgeting.models import (
    Process,
)
from changemaker.budgeting.selectors import evidence_used
from changemaker.core.models import Council
from changemaker.core.registry import Figure

# Live figures (core.registry.Capability.figures) ------------------------------------------


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
        none = _("No budget has closed its voting yet.")
        return [
            Figure("budgeting.turnout", _("People who voted in the latest budget"), None, "", none),
            Figure("budgeting.ideas", _("Ideas sent in to the latest budget"), None, "", none),
        ]
    voters = sum(row["voters"] for row in evidence_used(latest))
    ideas = latest.projects.count()
    return [
        Figure(
            "budgeting.turnout",
            _("People who voted in the latest budget"),
            float(voters),
            _("people"),
            _("%(count)s people voted in %(title)s (voting closed on %(day)s).")
            % {"count": voters, "title": latest.title, "day": _day(latest.voting_until)},
        ),
        Figure(
            "budgeting.ideas",
            _("Ideas sent in to the latest budget"),
            float(ideas),
            _("ideas"),
            _("%(count)s ideas were sent in to %(title)s.")
            % {"count": ideas, "title": latest.title},
        ),
    ]


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y")
