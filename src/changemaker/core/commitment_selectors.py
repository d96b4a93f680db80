"""Reads of commitments (core's ``Commitment``): the public list and page, officers' lists,
a source's commitment, the journey from a resident's idea to delivery, who may see a
document. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core.bilingual import text as in_language
from changemaker.core.models import Council, Ward
from changemaker.core.models.commitments import Commitment, CommitmentUpdate, Milestone
from changemaker.core.registry import JOURNEYS

DOCUMENTS = "commitment-documents/"
#: "where it came from" filter value for the council's own commitments (no source)
OWN = "own"


def public_commitments(
    council: Council, *, status: str = "", ward: int | None = None, origin: str = ""
) -> QuerySet[Commitment]:
    """Published commitments, narrowed by status, ward and where they came from (a
    capability's label, or :data:`OWN`)."""
    found = Commitment.objects.filter(council=council, published=True).select_related("ward")
    if status:
        found = found.filter(status=status)
    if ward is not None:
        found = found.filter(ward_id=ward)
    if origin == OWN:
        found = found.filter(source="")
    elif origin:
        found = found.filter(source__startswith=origin + ".")
    return found


def origin_choices(council: Council) -> list[tuple[str, str]]:
    """Where the council's published commitments came from: its own, and each capability
    named by its own verbose name."""
    labels = {
        s.partition(".")[0]
        for s in Commitment.objects.filter(council=council, published=True)
        .exclude(source="")
        .values_list("source", flat=True)
        .distinct()
    }
    named = []
    for label in sorted(labels):
        try:
            named.append((label, str(apps.get_app_config(label).verbose_name)))
        except LookupError:
            continue
    return [(OWN, _("The council's own")), *named]


def ward_choices(council: Council) -> list[tuple[int, str]]:
    return list(Ward.objects.filter(council=council).values_list("pk", "name"))


def public_commitment(council: Council, pk: int) -> Commitment | None:
    return (
        Commitment.objects.filter(council=council, published=True, pk=pk)
        .select_related("ward", "parent")
        .prefetch_related(
            Prefetch("milestones", Milestone.objects.order_by("due", "pk")),
            Prefetch("children", Commitment.objects.filter(published=True)),
        )
        .first()
    )


def staff_commitments(council: Council) -> QuerySet[Commitment]:
    return Commitment.objects.filter(council=council).select_related("ward", "parent")


def staff_commitment(council: Council, pk: int) -> Commitment | None:
    return staff_commitments(council).filter(pk=pk).first()


def parent_choices(council: Council, exclude: Commitment | None = None) -> QuerySet[Commitment]:
    found = Commitment.objects.filter(council=council)
    if exclude is not None and exclude.pk is not None:
        found = found.exclude(pk=exclude.pk)
    return found.order_by("title")


def milestone_of(council: Council, commitment_pk: int, pk: int) -> Milestone | None:
    return (
        Milestone.objects.filter(commitment__council=council, commitment_id=commitment_pk, pk=pk)
        .select_related("commitment")
        .first()
    )


def for_source(council: Council, source: str) -> Commitment | None:
    """The commitment made of a source (the first, if several), published or not."""
    return Commitment.objects.filter(council=council, source=source).order_by("pk").first()


def for_sources(council: Council, sources: Iterable[str]) -> dict[str, Commitment]:
    """Each source's commitment (the first made), for a list of things."""
    found: dict[str, Commitment] = {}
    for c in Commitment.objects.filter(council=council, source__in=list(sources)).order_by("-pk"):
        found[c.source] = c
    return found


def public_updates(commitments: Iterable[Commitment]) -> QuerySet[CommitmentUpdate]:
    """The updates of these commitments, newest first (no author: never shown)."""
    return (
        CommitmentUpdate.objects.filter(commitment__in=list(commitments))
        .select_related("commitment")
        .order_by("-at", "-pk")
    )


def status_updates(commitment: Commitment) -> list[CommitmentUpdate]:
    """The updates of a commitment that set its status, newest first."""
    return list(commitment.updates.exclude(status="").order_by("-at", "-pk"))


def source_journey(council: Council, key: str) -> list[tuple[date | datetime, str]]:
    """What the source's capability says happened before the commitment (``journey``)."""
    journey = JOURNEYS.get(key.partition(".")[0]) if key else None
    return [] if journey is None else journey(council, key)


@dataclass(frozen=True)
class Step:
    """One step of a commitment's timeline."""

    when: date | datetime
    what: str
    kind: str  # "journey", "update", "milestone"
    detail: Any = None  # the update or milestone

    @property
    def sort_key(self) -> datetime:
        when = self.when
        if isinstance(when, datetime):
            return when if timezone.is_aware(when) else timezone.make_aware(when)
        return timezone.make_aware(datetime.combine(when, time.max))


def timeline(commitment: Commitment) -> list[Step]:
    """The journey from where it came from, then its updates and milestones, oldest first."""
    steps = [
        Step(w, t, "journey") for w, t in source_journey(commitment.council, commitment.source)
    ]
    for update in commitment.updates.all():
        steps.append(Step(update.at, in_language(update, "text"), "update", update))
    for milestone in commitment.milestones.all():
        title = in_language(milestone, "title")
        if milestone.done_on:
            what = _("Done: %(title)s") % {"title": title}
            steps.append(Step(milestone.done_on, what, "milestone", milestone))
        else:
            what = _("Due: %(title)s") % {"title": title}
            steps.append(Step(milestone.due, what, "milestone", milestone))
    return sorted(steps, key=lambda s: s.sort_key)


def document_access(council: Council, name: str, *, manager: bool = False) -> str | None:
    """Who may see a milestone's document: anyone if its commitment (of this council) is
    published; before that only those who manage the council's commitments (``manager``:
    "private", never cached on the way); else no one (not served at all)."""
    ours = Milestone.objects.filter(document=name, commitment__council=council)
    if ours.filter(commitment__published=True).exists():
        return "public"
    return "private" if manager and ours.exists() else None


def export_count(council: Council) -> int:
    return Commitment.objects.filter(council=council).count()
