"""Practice sources (core.registry): a capability offers its practices to others without
being imported by them. The evidence capability offers its practice library's published
cards; the culture survey's actions choose from them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from changemaker.core.models import Council
from changemaker.core.registry import practices
from changemaker.evidence.models import Pilot

pytestmark = pytest.mark.django_db


def _pilot(council: Council, slug: str, status: str) -> Pilot:
    return Pilot.objects.create(
        council=council,
        title=f"Pilot {slug}",
        slug=slug,
        problem="p",
        intervention="i",
        primary_outcome="o",
        design="did",
        status=status,
    )


def test_published_practice_cards_are_offered_and_nothing_else(council: Council) -> None:
    _pilot(council, "b-published", Pilot.Status.PUBLISHED)
    _pilot(council, "a-published", Pilot.Status.PUBLISHED)
    _pilot(council, "live", Pilot.Status.LIVE)
    other = Council.objects.create(name="Elsewhere", slug="elsewhere")
    _pilot(other, "theirs", Pilot.Status.PUBLISHED)
    assert practices(council) == [
        ("Pilot a-published", reverse("evidence:card", args=["a-published"])),
        ("Pilot b-published", reverse("evidence:card", args=["b-published"])),
    ]
