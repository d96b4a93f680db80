"""Reads of the evidence capability, scoped to what the person may see: staff see their
council's register, everyone else only published pilots (writes are in actions.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext_lazy

from changemaker.core import bilingual
from changemaker.core.models import Council, Ward
from changemaker.core.registry import Untranslated
from changemaker.evidence import adapter, explain
from changemaker.evidence.models import (
    PLAN_FIELDS,
    PRIMARY_FIELDS,
    Analysis,
    OutcomeData,
    Pilot,
    PilotVersion,
    SharedCard,
    Subscription,
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


def ward_choices(council: Council) -> list[tuple[str, str]]:
    """The council's wards as (ONS code, name), by name: the treated wards' choices."""
    return list(Ward.objects.filter(council=council).order_by("name").values_list("code", "name"))


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


def _shared_studies(council: Council, key: str) -> tuple[list[Study], list[str]]:
    """Cards imported from other councils' feeds with this outcome key."""
    studies, left_out = [], []
    for shared in SharedCard.objects.filter(council=council, outcome_key=key).order_by("title"):
        if shared.estimate is None:
            continue
        if shared.se is None or not shared.se > 0:
            left_out.append(shared.title)
            continue
        rating = shared.card.get("rating") if isinstance(shared.card.get("rating"), dict) else {}
        sms = rating.get("maryland")
        studies.append(
            Study(
                title=shared.title,
                council=shared.publisher,
                url=str(shared.card["url"]),
                estimate=shared.estimate,
                se=shared.se,
                low=shared.ci_low,
                high=shared.ci_high,
                sms=sms if isinstance(sms, int) else None,
                own=False,
            )
        )
    return studies, left_out


def outcome_evidence(council: Council, key: str) -> OutcomeEvidence:
    """The council's published pilots with this outcome key and the cards imported from
    other councils with the same key, pooled (random effects)."""
    own, own_left_out = _own_studies(council, key)
    shared, shared_left_out = _shared_studies(council, key)
    studies, left_out = own + shared, own_left_out + shared_left_out
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
    """Outcome keys of the council's published pilots and imported cards, with how many
    pilots use each."""
    counts: dict[str, int] = {}
    for key in (
        Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED)
        .exclude(outcome_key="")
        .values_list("outcome_key", flat=True)
    ):
        counts[key] = counts.get(key, 0) + 1
    return sorted(counts.items())


def feed_cards(council: Council, absolute: Callable[[str], str]) -> list[dict[str, Any]]:
    """The council's practice cards as the feed carries them (docs/practice-feed.md):
    published pilots only, each with its latest result and rating. ``absolute`` turns a path
    into the address other councils reach."""
    cards = []
    pilots = Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED)
    for pilot in pilots.order_by("slug"):
        found = card(pilot)
        url = absolute(reverse("evidence:card", args=[pilot.slug]))
        latest = latest_version(pilot)
        result = found.analysis.result if found.analysis is not None else None
        cards.append(
            {
                "id": url,
                "url": url,
                "council": council.name,
                "title": pilot.title,
                "plan_version": latest.number if latest is not None else 0,
                "problem": pilot.problem,
                "affects": pilot.affects,
                "intervention": pilot.intervention,
                "place": pilot.place,
                "cost": pilot.cost,
                "theory_of_change": {
                    "inputs": pilot.toc_inputs,
                    "activities": pilot.toc_activities,
                    "outputs": pilot.toc_outputs,
                    "outcomes": pilot.toc_outcomes,
                    "impact": pilot.toc_impact,
                    "assumptions": pilot.assumptions,
                },
                "hypothesis": pilot.hypothesis,
                "outcome_key": pilot.outcome_key,
                "primary_outcome": {
                    "name": pilot.primary_outcome,
                    "definition": pilot.primary_definition,
                    "unit": pilot.primary_unit,
                    "timepoint": pilot.primary_timepoint,
                },
                "secondary_outcome": {
                    "name": pilot.secondary_outcome,
                    "definition": pilot.secondary_definition,
                    "unit": pilot.secondary_unit,
                    "timepoint": pilot.secondary_timepoint,
                },
                "primary_outcome_changed": found.primary_changed,
                "design": pilot.design,
                "comparison_group": pilot.comparison_group,
                "planned": {
                    "units": pilot.planned_clusters,
                    "people_per_unit": pilot.planned_cluster_size,
                    "icc": pilot.planned_icc,
                    "outcome_sd": pilot.outcome_sd,
                    "smallest_effect": pilot.expected_effect,
                    "minimum_detectable_effect": pilot.mde,
                },
                "result": None
                if result is None
                else {
                    "estimate": result["estimate"],
                    "se": result["se"],
                    "ci": result["ci"],
                    "p": result["p"],
                    "n_obs": result["n_obs"],
                    "n_clusters": result["n_clusters"],
                    "inference": result["inference"],
                    "direction": found.direction,
                },
                "rating": {
                    "maryland": found.rating.sms,
                    "nesta": found.rating.nesta,
                    "overridden": found.rating.overridden,
                },
            }
        )
    return cards


def subscriptions(council: Council) -> QuerySet[Subscription]:
    return Subscription.objects.filter(council=council)


def subscription(council: Council, pk: int) -> Subscription:
    found = Subscription.objects.filter(council=council, pk=pk).first()
    if found is None:
        raise Http404("No such subscription")
    return found


def shared_card(council: Council, pk: int) -> SharedCard:
    found = SharedCard.objects.filter(council=council, pk=pk).select_related("subscription").first()
    if found is None:
        raise Http404("No such card")
    return found


def shared_cards(council: Council, *, q: str = "") -> QuerySet[SharedCard]:
    """Cards imported from other councils (public: their councils published them), searched
    like the library."""
    cards = SharedCard.objects.filter(council=council)
    for word in q.split()[:10]:
        cards = cards.filter(
            Q(title__icontains=word) | Q(publisher__icontains=word) | Q(outcome_key__icontains=word)
        )
    return cards.order_by("publisher", "title")


#: The public card's words, each with a Welsh companion (``<field>_cy``).
CARD_WORDS = {
    "title": gettext_lazy("Title"),
    "problem": gettext_lazy("The problem"),
    "affects": gettext_lazy("Who it affects"),
    "intervention": gettext_lazy("What it did"),
}


def untranslated(council: Council) -> list[Untranslated]:
    """Published practice cards whose Welsh is not written yet (the "Still to translate"
    page)."""
    found = []
    for pilot in Pilot.objects.filter(council=council, status=Pilot.Status.PUBLISHED):
        missing = [str(CARD_WORDS[f]) for f in bilingual.missing(pilot, CARD_WORDS)]
        if missing:
            url = reverse("evidence:staff-edit", args=[pilot.slug])
            found.append(Untranslated(pilot.title, url, missing))
    return found
