"""Exampleton's pilots: a difference-in-differences on ward-month crisis referrals, an A/B
text-reminder trial and a staggered roll-out across wards (which made no clear difference:
null results are published too). Each is registered, has generated outcome data
(``synthetic.py``: plain random numbers, not the engine), an analysis and is published.

Idempotent: a pilot already in the register is left as it is.
"""

from __future__ import annotations

from typing import Any

from changemaker.core.models import Council
from changemaker.evidence import actions, adapter, synthetic
from changemaker.evidence.models import Pilot

COMMON = {
    "toc_inputs": "Two workers, their training and a shared budget",
    "assumptions": "Families trust a worker they meet somewhere familiar",
    "planned_icc": 0.05,
}
PILOTS: list[dict[str, Any]] = [
    {
        "slug": "crisis-prevention-wards",
        "title": "Early-help workers in GP surgeries",
        "problem": "Families reach the crisis team before anyone has offered help.",
        "affects": "Families with children in the ten pilot wards",
        "intervention": "An early-help worker sits in each GP surgery two days a week and "
        "offers help before things reach a crisis.",
        "place": "Ten wards of Exampleton, compared with the other ten",
        "toc_activities": "Conversations in surgeries; referrals to family support",
        "toc_outputs": "Families seen each month",
        "toc_outcomes": "Fewer crisis referrals",
        "toc_impact": "Families stay together and well",
        "hypothesis": "Crisis referrals fall by at least 8 a month in the pilot wards.",
        "primary_outcome": "Crisis referrals",
        "primary_definition": "Referrals to the crisis team from the ward, from the linked data",
        "primary_unit": "a month",
        "primary_timepoint": "Monthly, six months before and six months after the start",
        "design": "did",
        "comparison_group": "similar wards",
        "cost": 120_000,
        "planned_clusters": 20,
        "planned_cluster_size": 400,
        "outcome_sd": 15.0,
        "expected_effect": 8.0,
        "data": (synthetic.did_panel(), {"unit": "ward", "time": "month", "treated": "pilot"}),
        "outcome": "referrals",
    },
    {
        "slug": "text-reminders",
        "title": "Text reminders for housing appointments",
        "problem": "Many residents miss housing-options appointments, which then wait weeks.",
        "affects": "Residents booked for a housing-options appointment",
        "intervention": "A text message the day before the appointment, sent to half of the "
        "residents at random.",
        "place": "Exampleton housing options service",
        "toc_outcomes": "More appointments kept",
        "hypothesis": "A reminder raises the share of kept appointments by 10 points.",
        "primary_outcome": "Appointments kept",
        "primary_definition": "1 if the resident came to the appointment, else 0",
        "primary_unit": "as a share of residents (0.10 is 10 points)",
        "primary_timepoint": "On the day of the appointment",
        "design": "ab",
        "comparison_group": "residents sent no reminder",
        "cost": 900,
        "planned_clusters": 400,
        "planned_cluster_size": 1,
        "planned_icc": 0.0,
        "outcome_sd": 0.5,
        "expected_effect": 0.1,
        "data": (synthetic.ab_trial(), {"arm": "arm"}),
        "outcome": "attended",
    },
    {
        "slug": "community-hubs-rollout",
        "title": "Community hubs rolled out ward by ward",
        "problem": "People go back to their GP again and again for problems a hub could help with.",
        "affects": "Adults who see their GP often",
        "intervention": "A community hub opens in each ward in turn, with advice and activities.",
        "place": "Nine wards in three waves, three wards not yet",
        "toc_outcomes": "Fewer repeat GP visits",
        "hypothesis": "Repeat GP visits fall by 3 a month in each ward once its hub opens.",
        "primary_outcome": "Repeat GP visits",
        "primary_definition": "Visits by patients seen three or more times that month",
        "primary_unit": "a month",
        "primary_timepoint": "Monthly for ten months",
        "design": "staggered",
        "comparison_group": "wards whose hub had not opened",
        "cost": 45_000,
        "planned_clusters": 12,
        "planned_cluster_size": 800,
        "outcome_sd": 6.0,
        "expected_effect": 3.0,
        "data": (
            synthetic.staggered_panel(effect=-0.3),
            {"unit": "ward", "time": "month", "first_treated": "started"},
        ),
        "outcome": "repeats",
    },
]


def _load_one(council: Council, spec: dict[str, Any]) -> str:
    values = {k: v for k, v in {**COMMON, **spec}.items() if k not in ("data", "outcome")}
    pilot = actions.create_pilot(Pilot(**values), council=council, by=None)
    actions.register_pilot(pilot, by=None)
    actions.advance_status(pilot, by=None)  # live
    text, columns = spec["data"]
    columns = {"outcome": spec["outcome"], **columns}
    rows = adapter.check_outcome_data(text.encode(), "outcomes.csv", pilot.design, columns)
    data = actions.store_outcome_data(
        pilot, source="outcomes.csv", text=text, columns=columns, n_rows=rows, by=None
    )
    actions.store_analysis(data, result=adapter.analyse(pilot, data))
    actions.advance_status(pilot, by=None)  # complete
    actions.advance_status(pilot, by=None)  # published
    return f"pilot {pilot.title} ({rows} rows of outcome data, published)"


def load(council: Council) -> list[str]:
    made = []
    for spec in PILOTS:
        if not Pilot.objects.filter(council=council, slug=spec["slug"]).exists():
            made.append(_load_one(council, spec))
    return made
