"""Exampleton's participatory budgets: one in each phase, one loaded from a real Pabulib file.

Idempotent: a process that exists (by slug) is left as it is.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.utils import timezone

from changemaker.budgeting import actions, adapter
from changemaker.budgeting.models import Evidence, Heading, Process, Project, RegisterImport
from changemaker.core.models import Council, Ward

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
    return made
