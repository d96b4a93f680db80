"""The live figures consultations give the self-evaluation: people taking part and statements
shown in the last 12 months, counted here from what the test made."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from changemaker.consultations.models import Consultation, Participant, Statement
from changemaker.core.figures import live_figures
from changemaker.core.models import Council

pytestmark = pytest.mark.django_db


def test_participants_and_statements_in_the_last_year(
    council: Council, make_consultation: Callable[..., Consultation]
) -> None:
    c = make_consultation(seeds=[])
    long_ago = timezone.now() - timedelta(days=400)
    for n in range(4):
        Participant.objects.create(consultation=c, number=100 + n)
    Participant.objects.create(consultation=c, number=200, created_at=long_ago)
    for n, status in enumerate(["published", "published", "rejected", "pending"]):
        Statement.objects.create(consultation=c, number=100 + n, text=f"s{n}", status=status)
    Statement.objects.create(
        consultation=c, number=200, text="old", status="published", created_at=long_ago
    )
    found = {f.key: f.value for f in live_figures(council)}
    people = Participant.objects.filter(consultation=c).count()  # whatever the set-up made
    assert found["consultations.participants"] == people - 1
    shown = Statement.objects.filter(consultation=c, status="published").count()
    assert found["consultations.statements"] == shown - 1
