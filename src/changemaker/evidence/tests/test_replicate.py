""" "Replicate this pilot": a practice card's design is copied into the register as a new
planned pilot that records where it came from; the place, cost and size are the new pilot's."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client
from django.urls import reverse

from changemaker.core.models import AuditEvent, Council, Role
from changemaker.evidence.models import REPLICATED_FIELDS, Analysis, Pilot
from changemaker.evidence.tests.conftest import HOST


def _published(analysed: Callable[..., Analysis]) -> Pilot:
    pilot = analysed(
        toc_inputs="Two workers",
        toc_outcomes="Fewer crisis referrals",
        assumptions="Families trust a familiar place",
        secondary_outcome="Repeat referrals",
    ).pilot
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)
    pilot.refresh_from_db()
    return pilot


def test_replicate_copies_the_design_and_records_the_source(
    lead: Client, analysed: Callable[..., Analysis], council: Council
) -> None:
    source = _published(analysed)
    card = lead.get(reverse("evidence:card", args=[source.slug]), **HOST).content.decode()
    assert "Replicate this pilot" in card
    response = lead.post(reverse("evidence:staff-replicate", args=[source.slug]), **HOST)
    assert response.status_code == 302
    copy = Pilot.objects.exclude(pk=source.pk).get()
    assert response["Location"] == reverse("evidence:staff-edit", args=[copy.slug])
    assert copy.slug == "crisis-wards-2" and copy.council == council
    assert copy.status == Pilot.Status.PLANNED and not copy.is_registered
    assert copy.versions.count() == 0 and copy.datasets.count() == 0
    for name in REPLICATED_FIELDS:
        assert getattr(copy, name) == getattr(source, name), name
    for name in ("problem", "toc_inputs", "toc_outcomes", "assumptions", "hypothesis"):
        assert name in REPLICATED_FIELDS
    for name in ("primary_outcome", "secondary_outcome", "design", "comparison_group"):
        assert name in REPLICATED_FIELDS
    # the place, cost and planned size are the new pilot's to set
    assert copy.place == "" and copy.cost == 0 and copy.planned_clusters == 0
    # where it came from
    assert copy.replicated_from == source
    assert copy.origin_title == source.title and copy.origin_council == council.name
    assert copy.origin_url == reverse("evidence:card", args=[source.slug])
    page = lead.get(reverse("evidence:staff-pilot", args=[copy.slug]), **HOST).content.decode()
    assert 'id="replicated-from"' in page and source.title in page
    event = AuditEvent.objects.get(action="evidence.pilot_replicated")
    assert event.detail["source"] == source.pk
    # again: another free short name
    lead.post(reverse("evidence:staff-replicate", args=[source.slug]), **HOST)
    assert set(Pilot.objects.values_list("slug", flat=True)) == {
        "crisis-wards",
        "crisis-wards-2",
        "crisis-wards-3",
    }


def test_only_published_cards_can_be_replicated_and_only_by_managers(
    lead: Client,
    analysed: Callable[..., Analysis],
    client_as: Callable[[str | None], Client],
) -> None:
    draft = analysed().pilot  # planned, not in the library
    response = lead.post(reverse("evidence:staff-replicate", args=[draft.slug]), **HOST)
    assert response.status_code == 404 and Pilot.objects.count() == 1
    Pilot.objects.filter(pk=draft.pk).update(status=Pilot.Status.PUBLISHED)
    for who in (None, Role.RESIDENT):
        client = Client() if who is None else client_as(who)
        page = client.get(reverse("evidence:card", args=[draft.slug]), **HOST).content.decode()
        assert "Replicate this pilot" not in page
    assert Pilot.objects.count() == 1
