"""Exampleton's consultations: a live one, and a real open-data conversation (CC BY 4.0).

Idempotent: a consultation that exists (by slug) is left as it is.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from changemaker.consultations import actions, adapter
from changemaker.consultations.models import Consultation
from changemaker.core.models import Council, User

FIXTURES = Path(__file__).parent / "fixtures"
SEEDS = [
    "The town centre needs more places to sit and rest.",
    "Cars should not be allowed on the High Street on Saturdays.",
    "Empty shops should be offered to local groups for free.",
    "The market should open in the evenings in summer.",
    "More trees would make the High Street more pleasant.",
    "Parking charges keep people away from local shops.",
]


def load(council: Council) -> list[str]:
    made: list[str] = []
    officer = User.objects.filter(email="engagement@exampleton.example").first()
    if not Consultation.objects.filter(council=council, slug="high-street").exists() and officer:
        now = timezone.now().replace(microsecond=0)
        actions.create_consultation(
            council,
            by=officer,
            slug="high-street",
            question="What would make the High Street a better place?",
            background="We are planning changes to the High Street next year. Tell us what you "
            "think, and see where residents agree.",
            opens_at=now - timedelta(days=3),
            closes_at=now + timedelta(days=25),
            moderation=Consultation.Moderation.AFTER,
            audience=Consultation.Audience.ANYONE,
            seeds=SEEDS,
        )
        made.append("consultation: High Street")
        made += _resident_statement(council, officer)
    if not Consultation.objects.filter(council=council, slug="seattle-15-an-hour").exists():
        consultation = adapter.import_polis(
            council,
            {name: (FIXTURES / name).read_bytes() for name in ("comments.csv", "votes.csv")},
            slug="seattle-15-an-hour",
            question="How will the $15/hour minimum wage affect Seattle? (real Polis data)",
            source="The Computational Democracy Project open data, CC BY 4.0",
        )
        adapter.compute_map(consultation)
        made.append("consultation: $15/hour (Polis open data)")
    return made


def _resident_statement(council: Council, officer: User) -> list[str]:
    """The demo resident writes two statements; the officer checks them (one shown, one
    not, with the reason): the resident is notified of each."""
    resident = User.objects.filter(email="resident@exampleton.example").first()
    consultation = Consultation.objects.get(council=council, slug="high-street")
    if resident is None:
        return []
    participant = actions.participant_for(consultation, user=resident)
    shown = actions.add_statement(
        participant, "A weekly farmers' market would bring people back to the High Street."
    )
    actions.moderate(shown, by=officer, publish=True)
    removed = actions.add_statement(
        participant, "The chip shop next to the bank overcharges: avoid it."
    )
    actions.moderate(
        removed,
        by=officer,
        publish=False,
        reason="It is about one named business, not about the High Street as a whole.",
    )
    return ["consultation: the demo resident's statements, checked"]
