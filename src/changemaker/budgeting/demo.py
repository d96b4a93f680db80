"""Exampleton's participatory budgets: one in each phase, one loaded from a real Pabulib file.

Idempotent: a process that exists (by slug) is left as it is, but for its Welsh version,
written where it is still blank. Two ideas stay untranslated on purpose (and the real Assen
election), so that Welsh readers see the English fallback, marked as English.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from changemaker.budgeting import actions, adapter
from changemaker.budgeting.models import (
    Ballot,
    Evidence,
    Heading,
    Mark,
    Process,
    Project,
    RegisterImport,
)
from changemaker.core.models import Council, User, Ward

FIXTURES = Path(__file__).parent / "fixtures"
DAY = timedelta(days=1)

IDEAS = [
    ("Benches along the river path", "More places to rest on the walk into town.", 4000),
    ("Community fridge at the library", "Share food that would otherwise go to waste.", 2500),
    ("Play area repairs in Castle Park", "Fix the broken swings and resurface the ground.", 18000),
    ("Free bike repair days", "Monthly sessions with a mechanic in the market square.", 6000),
    ("Wildflower verges", "Sow native wildflowers on three roadside verges.", 3500),
    (
        "Youth music studio evenings",
        "Open the studio at the youth centre two nights a week.",
        12000,
    ),
]


# Made-up residents of Exampleton (the demo resident, Riya Resident, is the first): what a
# council would import from its electoral register or council tax records.
REGISTER = """name,date_of_birth,postcode,reference
Riya Resident,01/01/1990,EX1 1AA,DEMO-0001
Alex Abbey,12/05/1984,EX2 3BD,DEMO-0002
Sam Riverside,30/09/2001,EX4 2CE,DEMO-0003
Jo Westgate,07/03/1975,EX7 9DF,DEMO-0004
Lee Northfield,22/11/1962,EX9 4EG,DEMO-0005
"""
EVIDENCE = {"green-spaces-2027": Evidence.REGISTER}

# The Welsh versions officers wrote (core.bilingual): budgets, their budget and four ideas.
WELSH_TITLES = {
    "green-spaces-2027": "Exampleton Wyrddach 2027",
    "high-street-2026": "Cronfa'r Stryd Fawr 2026",
    "neighbourhoods-2026": "Eich Cymdogaeth 2026",
    "youth-fund-2025": "Cronfa Ieuenctid 2025",
}
WELSH_SUMMARY = "Preswylwyr sy'n penderfynu sut mae'r arian hwn yn cael ei wario."
WELSH_HEADING = "Y fwrdeistref gyfan"
WELSH_IDEAS = {
    "P01": ("Meinciau ar hyd llwybr yr afon", "Rhagor o lefydd i orffwys ar y daith i'r dref."),
    "P02": (
        "Oergell gymunedol yn y llyfrgell",
        "Rhannu bwyd a fyddai fel arall yn cael ei wastraffu.",
    ),
    "P03": (
        "Trwsio'r ardal chwarae ym Mharc y Castell",
        "Trwsio'r siglenni sydd wedi torri a rhoi wyneb newydd ar y llawr.",
    ),
    "P04": (
        "Diwrnodau trwsio beiciau am ddim",
        "Sesiynau misol gyda mecanydd yn sgwâr y farchnad.",
    ),
    # P05 and P06 are left for the officers to translate: Welsh readers see the English
}


def _dates(offset_days: int) -> dict[str, datetime]:
    """Phase dates placed so that today falls in the wanted phase."""
    start = timezone.now().replace(microsecond=0) + offset_days * DAY
    return {
        "ideas_from": start,
        "review_from": start + 21 * DAY,
        "voting_from": start + 35 * DAY,
        "voting_until": start + 49 * DAY,
        "delivery_from": start + 63 * DAY,
    }


def load(council: Council) -> list[str]:
    made: list[str] = []
    wards = list(Ward.objects.filter(council=council))
    if not RegisterImport.objects.filter(council=council).exists():
        actions.import_register(council, REGISTER, source="demo-register.csv", by=None)
        made.append("Residents register (5 made-up residents)")
    for slug, title, offset, ballot_type in [
        ("green-spaces-2027", "Greener Exampleton 2027", -5, "knapsack"),
        ("high-street-2026", "High Street Fund 2026", -28, "approval_n"),
        ("neighbourhoods-2026", "Your Neighbourhood 2026", -40, "knapsack"),
        ("youth-fund-2025", "Youth Fund 2025", -75, "cumulative"),
    ]:
        if Process.objects.filter(council=council, slug=slug).exists():
            continue
        process = Process.objects.create(
            council=council,
            slug=slug,
            title=title,
            ballot_type=ballot_type,
            summary="Residents decide how this money is spent.",
            max_projects=3,
            points_total=10,
            evidence=EVIDENCE.get(slug, Evidence.SELF),
            **_dates(offset),
        )
        heading = Heading.objects.create(process=process, name="Whole borough", budget=30000)
        for n, (idea, text, cost) in enumerate(IDEAS, start=1):
            shortlisted = process.phase not in {"ideas", "upcoming"}
            Project.objects.create(
                process=process,
                heading=heading,
                code=f"P{n:02d}",
                title=idea,
                description=text,
                rough_cost=cost,
                final_cost=cost if shortlisted else None,
                ward=wards[n % len(wards)] if wards else None,
                status=Project.Status.SHORTLISTED if shortlisted else Project.Status.SUBMITTED,
                publication=Project.Publication.PUBLISHED,  # checked by the demo's officers
            )
        made.append(title)
    if not Process.objects.filter(council=council, slug="assen-2024").exists():
        path = FIXTURES / "Netherlands_Assen_2024.pb"
        process = actions.import_pabulib(
            council,
            path.read_text(encoding="utf-8"),
            source=path.name,
            slug="assen-2024",
            title="Assen Top Idee 2024 (real ballots)",
            summary="The real 2024 youth budget of Assen, the Netherlands, from Pabulib: 84 "
            "ballots counted with the Method of Equal Shares.",
            dates=_dates(-55),
        )
        for heading in process.headings.all():
            election, outcome = adapter.count_heading(process, heading)
            adapter.store_count(process, heading, election, outcome)
        actions.commit_funded(process)
        made.append(process.title)
    made += _youth_fund_ballots(council)
    _write_welsh(council)
    return made


# How the 138 paper ballots of the Youth Fund 2025 shared their 10 points: (ballots, points
# per idea P01..P06). Young people backed the studio evenings and the play area most.
YOUTH_FUND_BALLOTS = [
    (34, (0, 0, 4, 0, 0, 6)),
    (27, (0, 0, 5, 2, 0, 3)),
    (21, (2, 3, 0, 0, 5, 0)),
    (18, (0, 0, 0, 4, 0, 6)),
    (15, (4, 4, 0, 0, 2, 0)),
    (12, (0, 2, 3, 5, 0, 0)),
    (11, (0, 0, 10, 0, 0, 0)),
]
#: how the slips spread over the wards (in ward-name order): more from the larger wards
YOUTH_FUND_WARDS = (0, 0, 1, 2, 2, 2, 3, 4, 4, 5, 5, 0, 2)


def _youth_fund_ballots(council: Council) -> list[str]:
    """The Youth Fund 2025 is closed: its paper ballots (entered by the engagement officer at
    the youth centre's count) are counted, so it has results like any closed budget."""
    process = Process.objects.filter(council=council, slug="youth-fund-2025").first()
    officer = User.objects.filter(email="engagement@exampleton.example").first()
    if process is None or officer is None or process.counts.exists():
        return []
    heading = process.headings.get()
    projects = list(process.projects.order_by("code"))
    wards = list(Ward.objects.filter(council=council).order_by("name"))
    slip = 0
    for ballots, points in YOUTH_FUND_BALLOTS:
        for _n in range(ballots):
            slip += 1
            ballot = Ballot.objects.create(
                process=process,
                heading=heading,
                channel=Ballot.Channel.PAPER,
                paper_reference=f"YF25-{slip:04d}",
                entered_by=officer,
                ward=wards[YOUTH_FUND_WARDS[slip % 13] % len(wards)] if wards else None,
            )
            Mark.objects.bulk_create(
                [
                    Mark(ballot=ballot, project=project, value=value)
                    for project, value in zip(projects, points, strict=True)
                    if value
                ]
            )
    election, outcome = adapter.count_heading(process, heading)
    adapter.store_count(process, heading, election, outcome)
    return [f"{process.title}: {slip} paper ballots counted"]


def _write_welsh(council: Council) -> None:
    """The Welsh versions, where still blank (a demo loaded before them gets them too)."""
    for slug, title_cy in WELSH_TITLES.items():
        process = Process.objects.filter(council=council, slug=slug).first()
        if process is None:
            continue
        if not process.title_cy:
            process.title_cy, process.summary_cy = title_cy, WELSH_SUMMARY
            process.save(update_fields=["title_cy", "summary_cy"])
        process.headings.filter(name="Whole borough", name_cy="").update(name_cy=WELSH_HEADING)
        for code, (idea_cy, text_cy) in WELSH_IDEAS.items():
            process.projects.filter(code=code, title_cy="").update(
                title_cy=idea_cy, description_cy=text_cy
            )
