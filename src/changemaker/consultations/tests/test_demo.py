"""The demo's live consultation has votes (issue 20): a sample of residents, made the same way
every time without the opinion engine, enough for its map to show; loading again adds none."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.consultations import demo
from changemaker.consultations.models import Consultation, Participant, Vote
from changemaker.core.models import AuditEvent, Council, Role, User

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


@pytest.fixture
def live(council: Council, make_user: Callable[..., User]) -> Consultation:
    make_user(Role.ENGAGEMENT_OFFICER, email="engagement@exampleton.example")
    make_user(Role.RESIDENT, email="resident@exampleton.example")
    demo._sample_residents(council)  # nothing yet: no consultation
    made = demo.load(council)
    assert any(m.startswith("consultation: High Street, 48 sample residents with ") for m in made)
    return Consultation.objects.get(council=council, slug="high-street")


def test_the_live_consultation_has_enough_people_for_its_map(
    live: Consultation, client: Client
) -> None:
    sample = live.participants.filter(user__isnull=True, browser_key="")
    assert sample.count() == 48 >= live.map_minimum
    assert live.is_open
    page = client.get(reverse("consultations:results", args=[live.slug]), **HOST).text
    assert "The map is not shown yet" not in page
    assert '<svg role="img" aria-labelledby="map-title map-desc"' in page
    assert "groups of opinion" in page


def test_the_sample_is_added_once(live: Consultation, council: Council) -> None:
    people, votes = Participant.objects.count(), Vote.objects.count()
    assert demo.load(council) == []
    assert (Participant.objects.count(), Vote.objects.count()) == (people, votes)
    assert AuditEvent.objects.filter(action="consultation.sample_votes_added").count() == 1


def test_the_sample_is_the_same_every_time_and_only_on_shown_statements() -> None:
    numbers = {text: n for n, text in enumerate(demo.SEEDS)}  # the farmers' market not shown
    first = demo.sample_votes(numbers)
    assert first == demo.sample_votes(numbers)
    assert len(first) == sum(size for size, _stances in demo.SAMPLE_GROUPS)
    assert {n for person in first for n in person} == set(numbers.values())
    assert {v for person in first for v in person.values()} == {-1, 0, 1}
