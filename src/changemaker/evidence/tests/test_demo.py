"""Exampleton's three pilots load once, analysed and published; loading again adds nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council
from changemaker.evidence import demo, selectors
from changemaker.evidence.models import Analysis, OutcomeData, Pilot, PilotVersion
from changemaker.evidence.tests.conftest import HOST


def _counts() -> list[int]:
    return [m.objects.count() for m in (Pilot, PilotVersion, OutcomeData, Analysis)]


def test_the_demo_loads_once(council: Council) -> None:
    made = demo.load(council)
    assert len(made) == 3 and _counts() == [3, 3, 3, 3]
    assert demo.load(council) == [] and _counts() == [3, 3, 3, 3]
    cards = {c.pilot.design: c for c in selectors.library(council)}
    assert set(cards) == {"did", "ab", "staggered"}
    # the generated effects: referrals fall, reminders raise attendance, the hubs do nothing clear
    assert cards["did"].direction == "fell" and cards["ab"].direction == "rose"
    assert cards["staggered"].direction == "unclear"
    assert cards["ab"].rating.sms == 5
    page = Client().get(reverse("evidence:library"), **HOST).content.decode()
    assert page.count('class="govuk-summary-card"') == 3 and "No clear change" in page
