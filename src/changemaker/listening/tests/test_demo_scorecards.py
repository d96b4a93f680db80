"""The demo's self-evaluation: a published cycle with 60 residents' ratings, comments (one
hidden by moderation) and replies, and a cycle open for ratings; loading twice changes
nothing."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from changemaker.core.models import Council, Role, User
from changemaker.listening import demo_scorecards
from changemaker.listening.models import ResidentRating, Scorecard

pytestmark = pytest.mark.django_db


def test_demo_publishes_one_cycle_and_opens_another_once(
    council: Council, make_user: Callable[..., User]
) -> None:
    make_user(Role.ENGAGEMENT_OFFICER, email=demo_scorecards.OFFICER)
    made = demo_scorecards.load(council)
    assert len(made) == 2
    published = Scorecard.objects.get(status="published")
    assert Scorecard.objects.filter(status="open").count() == 1
    assert published.criteria.filter(source="lga").count() == 6
    assert all(c.reply and c.council_rating for c in published.criteria.all())
    ratings = ResidentRating.objects.filter(criterion__scorecard=published)
    assert ratings.values("person").distinct().count() == demo_scorecards.RATERS
    assert set(ratings.values_list("rating", flat=True)) == {1, 2, 3, 4, 5}
    assert ratings.filter(moderation="hidden").count() == 1
    assert ratings.filter(moderation="shown").exclude(comment="").count() >= 4
    assert "core.commitments_on_time" in published.figures  # frozen at publication
    assert demo_scorecards.load(council) == []
    assert Scorecard.objects.count() == 2
