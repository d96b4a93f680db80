"""Reads of the culture survey, scoped to what the person may see. No writes.

Results come only from the stored report (``WaveReport``): a suppressed cell has no number
there, so no page can show one. Managers see the units of their own subtrees only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from changemaker.core import audit, bilingual
from changemaker.core.figures import told
from changemaker.core.models import Council, User
from changemaker.core.registry import Figure, FigureKind
from changemaker.core.selectors import token_hash
from changemaker.culture.engine.names import flag_names
from changemaker.culture.engine.synthetic import NORMS
from changemaker.culture.engine.trends import (
    Change,
    Share,
    ShareChange,
    change_between,
    positive_change_between,
    share_of,
)
from changemaker.culture.models import (
    Comment,
    Invitation,
    OrgUnit,
    Survey,
    SurveyItem,
    UnitAction,
    UnitManager,
    Wave,
)
from changemaker.culture.rules import is_survey_lead

#: The norms and dimensions of the item bank, translatable (engine.items.SCALES in English).
SCALES = {
    "mission": _("A clear mission with a relentless focus on outcomes"),
    "creativity": _("Creativity as a norm"),
    "autonomy": _("Self-determination (autonomy) as a norm"),
    "collaboration": _("Collaboration as a norm"),
    "action": _("Action on the last survey"),
    "purpose": _("Purpose"),
    "values": _("Values and principles"),
    "behaviours": _("Behaviours"),
    "capabilities": _("Capabilities"),
    "infrastructure": _("Infrastructure"),
}
#: Why the engine left a reliability figure out (engine/reliability.py's REASONS).
RELIABILITY_REASONS = {
    "fewer_than_min": _("Not worked out: too few people answered every statement"),
    "one_item": _("Not worked out: the norm has one statement"),
    "no_variance": _("Not worked out: everyone gave the same answers"),
    "omega_needs_three_items": _("Omega needs at least 3 statements"),
    "omega_constant_item": _("Omega not worked out: everyone gave one statement the same answer"),
    "omega_items_perfectly_correlated": _(
        "Omega not worked out: people answered the statements in exactly the same pattern"
    ),
}
#: Reliability below this is flagged (a common rule of thumb for scales used to compare).
RELIABLE = 0.70
ANSWERS = [
    ("5", _("Strongly agree")),
    ("4", _("Agree")),
    ("3", _("Neither agree nor disagree")),
    ("2", _("Disagree")),
    ("1", _("Strongly disagree")),
]


def scale_label(scale: str) -> Any:
    return SCALES.get(scale, scale)


# Surveys and waves -----------------------------------------------------------------------------


def surveys(council: Council) -> QuerySet[Survey]:
    return Survey.objects.filter(council=council).annotate(wave_count=Count("waves"))


def survey(council: Council, pk: int) -> Survey:
    return get_object_or_404(Survey, council=council, pk=pk)


def wave(council: Council, pk: int) -> Wave:
    return get_object_or_404(
        Wave.objects.select_related("survey__council"), survey__council=council, pk=pk
    )


def items_by_scale(items: QuerySet[SurveyItem]) -> list[tuple[str, Any, list[SurveyItem]]]:
    """(scale, its label, its items) in the order the items come."""
    groups: dict[str, list[SurveyItem]] = {}
    for item in items:
        groups.setdefault(item.scale, []).append(item)
    return [(scale, scale_label(scale), group) for scale, group in groups.items()]


def participation(wave: Wave) -> dict[str, int]:
    """Invited and answered, for the whole wave only (per unit it would give groups away)."""
    counts = wave.invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(responded_on__isnull=False))
    )
    return {"invited": counts["invited"], "answered": counts["answered"]}


# Who sees which units ----------------------------------------------------------------------------


def subtree(unit: OrgUnit) -> list[OrgUnit]:
    """The unit and everything below it, in chart order."""
    units = list(unit.wave.units.all())
    kids: dict[int | None, list[OrgUnit]] = defaultdict(list)
    for u in units:
        kids[u.parent_id].append(u)
    found: list[OrgUnit] = []
    stack = [unit]
    while stack:
        u = stack.pop()
        found.append(u)
        stack.extend(reversed(kids[u.pk]))
    return found


def visible_units(user: User, wave: Wave) -> list[OrgUnit]:
    """Every unit for the survey lead; for a manager, the subtrees of the units they manage."""
    if is_survey_lead(user, wave.survey.council):
        return list(wave.units.all())
    managed = OrgUnit.objects.filter(wave=wave, managers__email=user.email.lower())
    seen: dict[int, OrgUnit] = {}
    for top in managed:
        for u in subtree(top):
            seen.setdefault(u.pk, u)
    return sorted(seen.values(), key=lambda u: u.position)


def visible_unit(user: User, wave: Wave, pk: int) -> OrgUnit:
    for unit in visible_units(user, wave):
        if unit.pk == pk:
            return unit
    raise Http404("No such unit, or not one of yours")


def my_teams(user: User, council: Council) -> QuerySet[OrgUnit]:
    """The units this person manages, in closed waves with results, newest first."""
    return (
        OrgUnit.objects.filter(
            managers__email=user.email.lower(),
            wave__survey__council=council,
            wave__status=Wave.Status.CLOSED,
        )
        .select_related("wave__survey")
        .order_by("-wave__created_at", "position")
        .distinct()
    )


def closed_waves(council: Council) -> QuerySet[Wave]:
    return Wave.objects.filter(survey__council=council, status=Wave.Status.CLOSED).select_related(
        "survey"
    )


def is_manager_anywhere(email: str, council: Council) -> bool:
    return UnitManager.objects.filter(
        email=email.lower(), unit__wave__survey__council=council
    ).exists()


# Taking part -------------------------------------------------------------------------------------


def invitation(token: str) -> Invitation | None:
    """The unused invitation of an open wave that this link's token opens, or None."""
    return (
        Invitation.objects.select_related("wave__survey__council")
        .filter(
            token_hash=token_hash(token),
            responded_on__isnull=True,
            wave__status=Wave.Status.OPEN,
        )
        .first()
    )


def invitation_by_pk(pk: int | None) -> Invitation | None:
    if pk is None:
        return None
    return (
        Invitation.objects.select_related("wave__survey__council")
        .filter(pk=pk, responded_on__isnull=True, wave__status=Wave.Status.OPEN)
        .first()
    )


def question_pages(wave: Wave) -> list[tuple[str, Any, list[SurveyItem]]]:
    """One page per norm, in the order the items come."""
    return items_by_scale(wave.items.order_by("position", "pk"))


# Results ---------------------------------------------------------------------------------------


@dataclass
class Results:
    """The stored report of a wave, indexed: (unit code, breakdown value or None, scale)."""

    wave: Wave
    scales: list[str]
    cells: dict[tuple[str, str | None, str], dict[str, Any]]
    values: list[str]
    reliability: list[dict[str, Any]] = field(default_factory=list)

    def cell(self, unit: str, scale: str, value: str | None = None) -> dict[str, Any] | None:
        return self.cells.get((unit, value, scale))


def results(wave: Wave) -> Results | None:
    report = getattr(wave, "report", None) if wave.status == Wave.Status.CLOSED else None
    if report is None:
        return None
    cells: dict[tuple[str, str | None, str], dict[str, Any]] = {}
    scales: list[str] = []
    values: list[str] = []
    for c in report.data["cells"]:
        value = None if c["breakdown"] is None else next(iter(c["breakdown"].values()))
        cells[(c["unit"], value, c["scale"])] = c
        if c["scale"] not in scales:
            scales.append(c["scale"])
        if value is not None and value not in values:
            values.append(value)
    reliability = [
        {
            **r,
            "label": scale_label(r["scale"]),
            "low": r["alpha"] is not None and r["alpha"] < RELIABLE,
            "why": RELIABILITY_REASONS.get(r.get("reason") or ""),
        }
        for r in report.data["reliability"]
    ]
    return Results(wave, scales, cells, values, reliability)


def organisation_scores(wave: Wave) -> list[tuple[OrgUnit, str, dict[str, Any]]]:
    """The whole organisation's published cells of a closed wave: (top unit, scale, cell),
    without breakdown; a cell the engine suppressed is left out (the open data and the
    "we asked, you said, we did" page show only these)."""
    found = results(wave)
    if found is None:
        return []
    return [
        (unit, scale, cell)
        for unit in wave.units.filter(parent__isnull=True).order_by("code")
        for scale in found.scales
        if (cell := found.cell(unit.code, scale)) is not None and not cell["suppressed"]
    ]


def depth_of(units: list[OrgUnit]) -> dict[int, int]:
    parent = {u.pk: u.parent_id for u in units}
    depth: dict[int, int] = {}

    def of(pk: int) -> int:
        if pk not in depth:
            p = parent.get(pk)
            depth[pk] = 0 if p is None or p not in parent else of(p) + 1
        return depth[pk]

    for u in units:
        of(u.pk)
    return depth


def heatmap(found: Results, units: list[OrgUnit]) -> list[dict[str, Any]]:
    """Rows of units (with their depth under the first) and a cell per scale."""
    depth = depth_of(units)
    return [
        {
            "unit": u,
            "depth": depth[u.pk],
            "cells": [found.cell(u.code, s) for s in found.scales],
        }
        for u in units
    ]


def earlier_cells(wave: Wave, unit_code: str) -> list[tuple[Wave, dict[str, dict[str, Any]]]]:
    """The same unit (by its id) in the survey's earlier closed waves: published cells only."""
    found = []
    for earlier in wave.survey.waves.filter(
        status=Wave.Status.CLOSED, created_at__lt=wave.created_at
    ).select_related("report"):
        past = results(earlier)
        if past is None:
            continue
        found.append((earlier, {s: c for s in past.scales if (c := past.cell(unit_code, s))}))
    return found


def changes(
    found: Results, unit_code: str, earlier: list[tuple[Wave, dict[str, dict[str, Any]]]]
) -> tuple[Wave | None, dict[str, Change | None]]:
    """The change in each norm's score since the latest earlier wave, with its interval
    (engine/trends.py: Welch's), where the unit's cell is published in both waves."""
    if not earlier:
        return None, {}
    previous, cells = earlier[-1]
    return previous, {
        s: change_between(cells.get(s), found.cell(unit_code, s)) for s in found.scales
    }


def positive_changes(
    found: Results, unit_code: str, earlier: list[tuple[Wave, dict[str, dict[str, Any]]]]
) -> dict[str, ShareChange | None]:
    """The change in each norm's % positive since the latest earlier wave, in percentage
    points with Newcombe's interval (engine/trends.py), where the unit's cell is published in
    both waves (hidden exactly like the change in score)."""
    if not earlier:
        return {}
    _previous, cells = earlier[-1]
    return {
        s: positive_change_between(cells.get(s), found.cell(unit_code, s)) for s in found.scales
    }


def positive_share(cell: dict[str, Any] | None) -> Share | None:
    """A published cell's % positive with its Wilson interval; None for a hidden cell."""
    return share_of(cell)


def weakest_scale(found: Results, unit: OrgUnit) -> str | None:
    """The norm with the lowest published score for the unit (None if all are hidden)."""
    shown = [
        (c["score"], s)
        for s in found.scales
        if s != "action" and (c := found.cell(unit.code, s)) and not c["suppressed"]
    ]
    return min(shown)[1] if shown else None


# Comments ---------------------------------------------------------------------------------


def checked_comment(wave: Wave, text: str) -> Comment:
    """An unsaved comment of the wave after the name check (engine/names.py): words that look
    like names (other than the council's and its units' names) make it wait for review."""
    known = [wave.survey.council.name, *wave.units.values_list("name", flat=True)]
    flagged = flag_names(text, known)
    status = Comment.Status.FLAGGED if flagged else Comment.Status.CLEAR
    return Comment(wave=wave, text=text, flagged=flagged, status=status)


def comments_shown(wave: Wave) -> list[Comment] | None:
    """A closed wave's comments that passed the name check or the lead's review, for the
    whole organisation only; None when fewer people answered than the minimum group (then no
    comment is shown at all)."""
    if wave.status != Wave.Status.CLOSED or wave.responses.count() < wave.min_group:
        return None
    return list(wave.comments.filter(status__in=Comment.SHOWN).order_by("pk"))


def comments_to_review(wave: Wave, *, by: User) -> list[Comment]:
    """A closed wave's comments the name check flagged, and those already decided, for the
    survey lead to read (audited: they may name someone)."""
    if wave.status != Wave.Status.CLOSED:
        return []
    found = list(wave.comments.exclude(status=Comment.Status.CLEAR).order_by("status", "pk"))
    audit.record(
        "culture.comments_read", actor=by, council=wave.survey.council, obj=wave, read=len(found)
    )
    return found


def comment(wave: Wave, pk: str) -> Comment:
    if wave.status != Wave.Status.CLOSED:
        raise Http404("The wave is not closed")
    return get_object_or_404(Comment, wave=wave, pk=pk)


def unit_actions(unit: OrgUnit) -> QuerySet[UnitAction]:
    return UnitAction.objects.filter(unit=unit)


# Live figures (core.registry.Capability.figures) ------------------------------------------


INDEX = "culture.index"


def _index_words(value: float | None, facts: Mapping[str, Any]) -> str:
    if not facts:
        return gettext("No staff survey has published yet.")
    wave = bilingual.text(facts, "wave")
    if value is None:
        return gettext("Too few staff answered %(wave)s to publish the index.") % {"wave": wave}
    return gettext(
        "The mean of the whole organisation's scores on the %(count)s norms of the "
        "changemaking culture survey, %(wave)s (%(people)s staff answered)."
    ) % {"count": facts["count"], "wave": wave, "people": facts["people"]}


#: how the culture index reads, told again in the reader's language (Capability.figure_kinds)
FIGURE_KINDS = {INDEX: FigureKind(_("Staff culture index"), _("out of 100"), _index_words)}


def figures(council: Council) -> list[Figure]:
    """The organisation's culture index in the latest closed wave: the mean of the whole
    organisation's scores (0-100) on the four norms, only when every one was published (none
    suppressed for too few answers)."""
    for wave in closed_waves(council).order_by("-closed_on", "-created_at", "-pk"):
        found = results(wave)
        root = wave.units.filter(parent__isnull=True).order_by("position").first()
        if found is None or root is None:
            continue
        found_cells = [found.cell(root.code, norm) for norm in NORMS if norm in found.scales]
        cells = [c for c in found_cells if c is not None and not c["suppressed"]]
        names = {"wave": wave.name, "wave_cy": wave.name_cy}
        if not cells or len(cells) < len(found_cells):
            return [told(INDEX, None, names)]
        index = round(sum(c["score"] for c in cells) / len(cells), 1)
        return [told(INDEX, index, {**names, "count": len(cells), "people": cells[0]["n"]})]
    return [told(INDEX, None, {})]
