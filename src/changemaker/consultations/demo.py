"""Exampleton's consultations: a live one, with a sample of residents who have voted (so its
map shows), and a real open-data conversation (CC BY 4.0).

Idempotent: a consultation that exists (by slug) is left as it is; the sample is added once.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from changemaker.consultations import actions, adapter
from changemaker.consultations.models import Consultation, Statement
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
FARMERS_MARKET = "A weekly farmers' market would bring people back to the High Street."

#: The sample of residents who have voted in the live consultation: three groups of opinion
#: (how many people, and for each statement the chance of agree and of disagree; the rest
#: pass or skip it). Invented, but as a High Street conversation tends to go: drivers, people
#: on foot and by bike, and traders with local groups, who all want places to sit and trees.
SAMPLE_GROUPS: tuple[tuple[int, Mapping[str, tuple[float, float]]], ...] = (
    (19, {  # people who drive into town
        SEEDS[0]: (0.8, 0.05), SEEDS[1]: (0.1, 0.8), SEEDS[2]: (0.4, 0.3),
        SEEDS[3]: (0.3, 0.3), SEEDS[4]: (0.7, 0.1), SEEDS[5]: (0.85, 0.05),
        FARMERS_MARKET: (0.5, 0.2),
    }),
    (16, {  # people who walk or cycle in
        SEEDS[0]: (0.85, 0.05), SEEDS[1]: (0.85, 0.05), SEEDS[2]: (0.6, 0.1),
        SEEDS[3]: (0.6, 0.1), SEEDS[4]: (0.9, 0.0), SEEDS[5]: (0.1, 0.75),
        FARMERS_MARKET: (0.6, 0.1),
    }),
    (13, {  # traders and local groups
        SEEDS[0]: (0.7, 0.1), SEEDS[1]: (0.3, 0.5), SEEDS[2]: (0.9, 0.05),
        SEEDS[3]: (0.85, 0.05), SEEDS[4]: (0.75, 0.05), SEEDS[5]: (0.5, 0.3),
        FARMERS_MARKET: (0.9, 0.05),
    }),
)  # fmt: skip
SAMPLE_SEED = 2026  # the same votes on every machine


def sample_votes(numbers: Mapping[str, int]) -> list[dict[int, int]]:
    """Each sample resident's votes (statement number -> +1 agree, -1 disagree, 0 pass), from
    ``SAMPLE_GROUPS`` with a fixed seed: the same every time, made without the opinion engine.
    A statement not in ``numbers`` (not shown) is left out; about one in eight is skipped."""
    draw = random.Random(SAMPLE_SEED)
    people = []
    for size, stances in SAMPLE_GROUPS:
        for _person in range(size):
            votes = {}
            for text, (agree, disagree) in stances.items():
                roll, skip = draw.random(), draw.random() < 0.12
                if text not in numbers or skip:
                    continue
                votes[numbers[text]] = 1 if roll < agree else -1 if roll < agree + disagree else 0
            people.append(votes)
    return people


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
    made += _sample_residents(council)
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
    shown = actions.add_statement(participant, FARMERS_MARKET)
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


def _sample_residents(council: Council) -> list[str]:
    """The live consultation's sample of residents who voted, once (they have no account and
    no browser, so they are told apart from anyone who really took part), and its map."""
    consultation = Consultation.objects.filter(council=council, slug="high-street").first()
    if (
        consultation is None
        or consultation.participants.filter(user__isnull=True, browser_key="").exists()
    ):
        return []
    numbers = dict(
        consultation.statements.filter(status=Statement.Status.PUBLISHED).values_list(
            "text", "number"
        )
    )
    people = sample_votes(numbers)
    votes = actions.add_sample_votes(consultation, people)
    adapter.compute_map(consultation)
    return [f"consultation: High Street, {len(people)} sample residents with {votes} votes"]
