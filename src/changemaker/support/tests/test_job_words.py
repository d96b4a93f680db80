"""Support's jobs say what they did in words on the job pages (core.jobs.summary), never
their raw result."""

from __future__ import annotations

import pytest
from django.utils import translation

from changemaker.core.jobs import summary
from changemaker.core.models import Job

pytestmark = pytest.mark.django_db

MATCH_RESULT = {
    "requests": 15,
    "volunteers": 40,
    "matched": 12,
    "distance_km": 23.456,
    "unmatched": [{"request": n, "reason": "no_volunteer_in_range"} for n in range(3)],
}


def _summary(kind: str, result: dict[str, object]) -> list[str]:
    with translation.override("en"):
        return summary(Job(kind=kind, title="t", result=result))


def test_a_matcher_run_in_words() -> None:
    assert _summary("support.match", MATCH_RESULT) == [
        "12 matches proposed for 15 requests.",
        "40 active volunteers were considered.",
        "Volunteers would travel 23.5 km in all.",
        "3 requests could not be matched: the proposals page says why.",
    ]
    one = {"requests": 1, "volunteers": 1, "matched": 1, "distance_km": 0.4, "unmatched": []}
    assert _summary("support.match", one) == [
        "1 match proposed for 1 request.",
        "1 active volunteer was considered.",
        "Volunteers would travel 0.4 km in all.",
    ]
    none = {"requests": 0, "volunteers": 0, "matched": 0, "distance_km": 0, "unmatched": []}
    assert _summary("support.match", none) == [
        "0 matches proposed for 0 requests.",
        "0 active volunteers were considered.",
    ]


def test_reminders_and_retention_in_words() -> None:
    assert _summary("support.vetting_reminders", {"sent": 3}) == [
        "3 volunteers were reminded that their DBS check runs out soon."
    ]
    assert _summary("support.vetting_reminders", {"sent": 0}) == [
        "No DBS check reminders were due."
    ]
    assert _summary("support.retention", {"anonymised": 1}) == [
        "Personal details were removed from 1 closed request."
    ]
    assert _summary("support.retention", {"anonymised": 0}) == [
        "No closed requests were due for their personal details to be removed."
    ]
