"""Exampleton's consultations: a live one, with a sample of residents who have voted (so its
map shows), a closed one with its map (Safer Streets), and a real open-data conversation
(CC BY 4.0).

Idempotent: a consultation that exists (by slug) is left as it is, but for its Welsh version,
written where it is still blank; the sample is added once. The resident's statement and the
real Polis conversation stay in English, so that Welsh readers see the fallback, marked as
English.
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
# The Welsh versions the engagement officer wrote, line by line with SEEDS.
SEEDS_CY = [
    "Mae angen rhagor o lefydd i eistedd a gorffwys yng nghanol y dref.",
    "Ni ddylid caniatáu ceir ar y Stryd Fawr ar ddydd Sadwrn.",
    "Dylid cynnig siopau gwag i grwpiau lleol am ddim.",
    "Dylai'r farchnad agor gyda'r nos yn yr haf.",
    "Byddai rhagor o goed yn gwneud y Stryd Fawr yn lle mwy dymunol.",
    "Mae taliadau parcio yn cadw pobl draw o siopau lleol.",
]
QUESTION_CY = "Beth fyddai'n gwneud y Stryd Fawr yn lle gwell?"
BACKGROUND_CY = (
    "Rydyn ni'n cynllunio newidiadau i'r Stryd Fawr y flwyddyn nesaf. Dywedwch wrthym beth "
    "rydych chi'n ei feddwl, a gwelwch ble mae preswylwyr yn cytuno."
)
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
            question_cy=QUESTION_CY,
            background_cy=BACKGROUND_CY,
            seeds_cy=SEEDS_CY,
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
    if not Consultation.objects.filter(council=council, slug="safer-streets").exists():
        consultation = adapter.import_polis(
            council,
            _safer_streets_export(),
            slug="safer-streets",
            question="How can we make Exampleton's streets safer for walking and cycling?",
            source="Exampleton's Safer Streets conversation (drop-in sessions and online)",
        )
        adapter.compute_map(consultation)
        made.append("consultation: Safer Streets (closed, with its map)")
    _write_welsh(council)
    return made


# A closed Exampleton conversation: two camps (people who want slower, quieter streets and
# people who drive for work or care) who agree on school crossings and pavements. Each row:
# the statement, how likely the first camp agrees, how likely the second does.
SAFER_STREETS = [
    ("Residential streets should have a 20 mph limit.", 0.9, 0.2),
    ("The crossings outside primary schools need a lollipop person or lights.", 0.95, 0.9),
    ("Broken pavements stop older people walking into town.", 0.9, 0.85),
    ("Cycle lanes on Station Road would take too much space from parking.", 0.1, 0.85),
    ("Speed cameras are more about money than safety.", 0.15, 0.75),
    ("Street lights on the river path should stay on all night.", 0.85, 0.8),
    ("Lorries should be kept out of the town centre before 10am.", 0.8, 0.3),
    ("Parents would let children walk to school if the routes felt safer.", 0.9, 0.6),
]


def _safer_streets_export() -> dict[str, bytes]:
    """The conversation as a Polis export (comments.csv, votes.csv): 52 people, generated with
    a fixed seed so every demo has the same map."""
    draw = random.Random(2026)  # demo data, not security
    start = int((timezone.now() - timedelta(days=60)).timestamp() * 1000)
    comments = ["timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body"]
    for sid, (text, _a, _b) in enumerate(SAFER_STREETS):
        comments.append(f'{start},,{sid},{sid},0,0,1,"{text}"')
    votes = ["timestamp,datetime,comment-id,voter-id,vote"]
    for pid in range(52):
        camp = 1 if pid % 5 < 3 else 2  # about three in five in the first camp
        for sid, (_text, first, second) in enumerate(SAFER_STREETS):
            roll = draw.random()
            likely = first if camp == 1 else second
            vote = 1 if roll < likely else (0 if roll < likely + 0.05 else -1)
            votes.append(f"{start + 60000 * (pid * 8 + sid)},,{sid},{pid},{vote}")
    return {
        "comments.csv": "\n".join(comments).encode(),
        "votes.csv": "\n".join(votes).encode(),
    }


def _write_welsh(council: Council) -> None:
    """The live consultation's Welsh, where still blank (a demo loaded before it was written
    gets it too)."""
    found = Consultation.objects.filter(council=council, slug="high-street", question_cy="")
    found.update(question_cy=QUESTION_CY, background_cy=BACKGROUND_CY)
    for text, text_cy in zip(SEEDS, SEEDS_CY, strict=True):
        Statement.objects.filter(
            consultation__council=council,
            consultation__slug="high-street",
            is_seed=True,
            text=text,
            text_cy="",
        ).update(text_cy=text_cy)


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
