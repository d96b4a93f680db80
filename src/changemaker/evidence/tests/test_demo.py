"""Exampleton's pilots load once, analysed and published; so do the second demo council's two,
whose signed feed Exampleton imports and pools; loading again adds nothing. Without the shared
view of need, the pilot that takes its counts from it is skipped and says why (with it:
tests/test_demo_story.py)."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council
from changemaker.evidence import demo, feeds, selectors
from changemaker.evidence.models import (
    Analysis,
    OutcomeData,
    Pilot,
    PilotVersion,
    SharedCard,
    Subscription,
)
from changemaker.evidence.tests.conftest import HOST


def _counts() -> list[int]:
    models = (Pilot, PilotVersion, OutcomeData, Analysis, Subscription, SharedCard)
    return [m.objects.count() for m in models]


def test_the_demo_loads_once(council: Council, settings: Any) -> None:
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "northbrook.localhost"]  # as in dev
    made = demo.load(council)
    skipped = (
        "pilot Early-help workers in GP surgeries skipped: no shared view of need to count from"
    )
    assert made[0] == skipped
    assert len(made) == 1 + 2 + 1 + 2 + 1 and _counts() == [4, 4, 4, 4, 1, 2]
    assert demo.load(council) == [skipped] and _counts() == [4, 4, 4, 4, 1, 2]
    cards = {c.pilot.design: c for c in selectors.library(council)}
    assert set(cards) == {"ab", "staggered"}
    # the generated effects: reminders raise attendance, the hubs do nothing clear
    assert cards["ab"].direction == "rose" and cards["staggered"].direction == "unclear"
    assert cards["ab"].rating.sms == 5
    page = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert page.count('class="govuk-summary-card"') == 2 and "No clear change" in page
    # Exampleton subscribes to Northbrook (same install); the cards pool with its own
    subscription = Subscription.objects.get(council=council)
    assert subscription.status == Subscription.Status.OK
    assert subscription.publisher == "Northbrook District Council"
    key = "crisis-referrals-per-month"
    pooled = Client().get(reverse("evidence:outcome", args=[key]), **HOST).content.decode()
    assert "Across 2 pilots, crisis referrals per month fell by about" in pooled
    for title in (
        "Family hub workers in primary schools",
        "Call-backs after a first crisis-line call",
    ):
        assert title in pooled
    assert "Northbrook District Council" in pooled
    # Northbrook's own site serves its feed, which verifies against the install's key
    feed = Client().get(reverse("evidence:feed-json"), HTTP_HOST="northbrook.localhost")
    assert feed.status_code == 200
    assert len(feeds.check(feed.content, subscription.public_key).cards) == 2
