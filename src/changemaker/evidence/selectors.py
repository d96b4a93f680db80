"""Reads of the evidence capability, scoped to what the person may see: staff see their
council's register, everyone else only published pilots (writes are in actions.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse

from changemaker.core.models import Council
from changemaker.evidence import adapter, explain
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


@dataclass(frozen=True)
class Study:
    """One pilot's effect on a shared outcome, as pooling and the forest plot read it."""

    title: str
    council: str
    url: str
    estimate: float
    se: float
    low: float | None  # the pilot's own 95% interval, as it reported it
    high: float | None
    sms: int | None
    own: bool  # this council's pilot (else a card imported from another council's feed)
    weight: float = 0.0  # share of the pooled estimate, in percent (random effects)


@dataclass(frozen=True)
class OutcomeEvidence:
    """Every published pilot measuring one outcome, pooled when there are two or more."""

    key: str
    studies: list[Study]
    left_out: list[str]  # titles of pilots without a usable standard error
    pooled: dict[str, Any] | None  # engine's Pooled.to_dict()
    problem: str  # why nothing was pooled (the engine's words)


def outcome_words(key: str) -> str:
    """ "crisis-referrals-per-month" -> "crisis referrals per month"."""
    return key.replace("-", " ")


def _own_studies(council: Council, key: str) -> tuple[list[Study], list[str]]:
    studies, left_out = [], []
    pilots = Pilot.objects.filter(
        council=council, status=Pilot.Status.PUBLISHED, outcome_key=key
    ).order_by("title")
    for pilot in pilots:
        analysis = latest_analysis(pilot)
        if analysis is None:
            continue
        se = analysis.result.get("se")
        if se is None or not se > 0:
            left_out.append(pilot.title)
            continue
        studies.append(
            Study(
                title=pilot.title,
                council=council.name,
                url=reverse("evidence:card", args=[pilot.slug]),
                estimate=float(analysis.estimate),
                se=float(se),
                low=analysis.ci_low,
                high=analysis.ci_high,
                sms=explain.rating(pilot, analysis.result).sms,
                own=True,
            )
        )
    return studies, left_out


def outcome_evidence(council: Council, key: str) -> OutcomeEvidence:
    """The council's published pilots with this outcome key, pooled (random effects)."""
    studies, left_out = _own_studies(council, key)
    if not studies and not left_out:
        raise Http404("No pilots measure this outcome")
    pooled, problem = adapter.pool([s.estimate for s in studies], [s.se for s in studies])
    if pooled is not None:
        raw = [1 / (s.se**2 + pooled.tau2) for s in studies]
        studies = [replace(s, weight=100 * w / sum(raw)) for s, w in zip(studies, raw, strict=True)]
    return OutcomeEvidence(
        key, studies, left_out, pooled.to_dict() if pooled is not None else None, problem
    )


def outcome_keys(council: Council) -> list[tuple[str, int]]:
    """Outcome keys of the council's published pilots, with how many pilots use each."""
    counts: dict[str, int] = {}
    for key in (
        Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED)
        .exclude(outcome_key="")
        .values_list("outcome_key", flat=True)
    ):
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())
