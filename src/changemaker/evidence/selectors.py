"""Reads of the evidence capability, scoped to what the person may see: staff see their
council's register, everyone else only published pilots (writes are in actions.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from changemaker.core.models import Council
from changemaker.evidence import explain
from changemaker.evidence.models import (
    PLAN_FIELDS,
    PRIMARY_FIELDS,
    Analysis,
    OutcomeData,
    Pilot,
    PilotVersion,
)


def council_pilots(council: Council) -> QuerySet[Pilot]:
    """The council's register (staff)."""
    return Pilot.objects.filter(council=council)


def council_pilot(council: Council, slug: str) -> Pilot:
    """One pilot of the council's register (staff), or 404."""
    pilot = Pilot.objects.filter(council=council, slug=slug).first()
    if pilot is None:
        raise Http404("No such pilot")
    return pilot


def published_pilot(council: Council, slug: str) -> Pilot:
    """A published pilot (anyone), or 404: nothing unpublished is shown outside the staff area."""
    pilot = Pilot.objects.filter(council=council, slug=slug, status=Pilot.Status.PUBLISHED).first()
    if pilot is None:
        raise Http404("No such pilot")
    return pilot


def pilot_data(pilot: Pilot, data_id: int) -> OutcomeData:
    data = OutcomeData.objects.filter(pilot=pilot, pk=data_id).first()
    if data is None:
        raise Http404("No such data")
    return data


def pilot_analysis(pilot: Pilot, analysis_id: int) -> Analysis:
    analysis = Analysis.objects.filter(pilot=pilot, pk=analysis_id).first()
    if analysis is None:
        raise Http404("No such analysis")
    return analysis


def latest_analysis(pilot: Pilot) -> Analysis | None:
    return pilot.analyses.order_by("-created_at", "-pk").first()


def plan_of(pilot: Pilot) -> dict[str, Any]:
    """The plan as it is now (what a version freezes)."""
    return {name: getattr(pilot, name) for name in PLAN_FIELDS}


def latest_version(pilot: Pilot) -> PilotVersion | None:
    return pilot.versions.order_by("-number").first()


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: Any
    after: Any


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """What changed between two plans, field by field in the register's order."""
    return [
        Change(name, label(name), before.get(name), after[name])
        for name in PLAN_FIELDS
        if name in after and before.get(name) != after[name]
    ]


def label(name: str) -> str:
    """The register's name of a plan field (translated)."""
    return str(getattr(Pilot._meta.get_field(name), "verbose_name", name))


def labelled(plan: dict[str, Any]) -> list[tuple[str, Any]]:
    """A frozen plan as (label, value) rows, in the register's order."""
    return [(label(n), plan[n]) for n in PLAN_FIELDS if n in plan]


def version_diff(
    pilot: Pilot, number: int
) -> tuple[PilotVersion, PilotVersion | None, list[Change]]:
    """Version ``number``, the one before it, and what changed between them (404 if none)."""
    version = pilot.versions.filter(number=number).first()
    if version is None:
        raise Http404("No such version")
    previous = pilot.versions.filter(number=number - 1).first()
    changes = diff(previous.plan, version.plan) if previous is not None else []
    return version, previous, changes


def primary_outcome_changed(pilot: Pilot) -> list[Change]:
    """How the primary outcome differs now from the registered one (empty: unchanged or not
    registered). Shown on the public page: outcome switching after registration."""
    first = pilot.versions.filter(number=1).first()
    latest = latest_version(pilot)
    if first is None or latest is None:
        return []
    return [c for c in diff(first.plan, latest.plan) if c.field in PRIMARY_FIELDS]


@dataclass(frozen=True)
class Card:
    """A practice card: a published pilot with its latest result in words."""

    pilot: Pilot
    analysis: Analysis | None
    sentence: str
    direction: str
    rating: explain.Rating
    primary_changed: bool


def card(pilot: Pilot) -> Card:
    analysis = latest_analysis(pilot)
    result = analysis.result if analysis is not None else None
    return Card(
        pilot=pilot,
        analysis=analysis,
        sentence=explain.sentence(pilot, result) if result else "",
        direction=explain.direction(result) if result else "",
        rating=explain.rating(pilot, result),
        primary_changed=bool(primary_outcome_changed(pilot)),
    )


RESULTS = ("fell", "rose", "unclear")


def library(
    council: Council, *, q: str = "", design: str = "", result: str = "", min_sms: int = 0
) -> list[Card]:
    """The public practice library: published pilots only, searched and filtered."""
    pilots = Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED)
    for word in q.split()[:10]:
        pilots = pilots.filter(
            Q(title__icontains=word)
            | Q(problem__icontains=word)
            | Q(intervention__icontains=word)
            | Q(primary_outcome__icontains=word)
            | Q(place__icontains=word)
        )
    if design:
        pilots = pilots.filter(design=design)
    cards = [card(p) for p in pilots.order_by("title")]
    if result in RESULTS:
        cards = [c for c in cards if c.direction == result]
    if min_sms:
        cards = [c for c in cards if (c.rating.sms or 0) >= min_sms]
    return cards
