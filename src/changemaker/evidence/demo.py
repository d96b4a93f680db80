"""Exampleton's pilots: a difference-in-differences on ward-month crisis referrals, an A/B
text-reminder trial and a staggered roll-out across wards (which made no clear difference:
null results are published too). Each is registered, has outcome data, an analysis and is
published. The difference-in-differences takes its outcome from the shared view of need as a
service lead would (people newly referred to the crisis team, by ward and month, small numbers
hidden: ``core.demo_story`` tells the story the insight demo's flags were dated to tell); the
others have generated data (``synthetic.py``: plain random numbers, not the engine).

Exchange between councils: a second demo council served by the same install, Northbrook
(http://northbrook.localhost:8000 in development), publishes two pilots on the same outcome
as Exampleton's early-help workers ("crisis-referrals-per-month"); Exampleton subscribes to
its signed feed, and the cards are imported through the same checks the scheduled job runs,
so the outcome's public page pools all three.

Idempotent: a pilot already in the register is left as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from changemaker.core import demo_story as story
from changemaker.core.models import Council, Ward
from changemaker.core.registry import OutcomeSource, outcome_sources
from changemaker.evidence import actions, adapter, feeds, jobs, selectors, signing, synthetic
from changemaker.evidence.models import OutcomeData, Pilot, Subscription

COMMON = {
    "toc_inputs": "Two workers, their training and a shared budget",
    "assumptions": "Families trust a worker they meet somewhere familiar",
    "planned_icc": 0.05,
}
#: what every crisis-referral pilot (Exampleton's and Northbrook's) has in common
CRISIS: dict[str, Any] = {
    "problem": "Families reach the crisis team before anyone has offered help.",
    "toc_activities": "Conversations in surgeries; referrals to family support",
    "toc_outputs": "Families seen each month",
    "toc_outcomes": "Fewer crisis referrals",
    "toc_impact": "Families stay together and well",
    "primary_outcome": "Crisis referrals",
    "primary_unit": "a month",
    "outcome_key": "crisis-referrals-per-month",
    "design": "did",
}
PILOTS: list[dict[str, Any]] = [
    {
        **CRISIS,
        "slug": "crisis-prevention-wards",
        "title": "Early-help workers in GP surgeries",
        "affects": "Families in the three pilot wards",
        "intervention": "An early-help worker sits in each GP surgery two days a week and "
        "offers help before things reach a crisis.",
        "place": "Three wards of Exampleton, compared with the other three",
        "hypothesis": "Crisis referrals fall by at least 5 a month in each pilot ward.",
        "primary_definition": "People newly referred to the crisis team in the ward that month, "
        "counted from the shared view of need (small numbers hidden)",
        "primary_timepoint": "Monthly, three months before and three months after the start",
        "comparison_group": "the other wards",
        "cost": 120_000,
        "planned_clusters": 6,
        "planned_cluster_size": 1000,
        "outcome_sd": 6.0,
        "expected_effect": 5.0,
        "shared": story.CRISIS_INDICATOR,
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


NEIGHBOUR = {
    "slug": "northbrook",
    "name": "Northbrook District Council",
    "domain": "northbrook.localhost",
    "contact_email": "evidence@northbrook.example",
    "website": "https://northbrook.example",
    "brand_colour": "#4c2c92",
}
NEIGHBOUR_SITE = "http://northbrook.localhost:8000"
#: Northbrook's crisis-referral pilots: generated ward-month panels (``synthetic.did_panel``)
NEIGHBOUR_CRISIS: dict[str, Any] = {
    **CRISIS,
    "affects": "Families with children in the pilot wards",
    "hypothesis": "Crisis referrals fall by at least 8 a month in the pilot wards.",
    "primary_definition": "Referrals to the crisis team from the ward, from the linked data",
    "primary_timepoint": "Monthly, six months before and six months after the start",
    "comparison_group": "similar wards",
    "planned_clusters": 20,
    "planned_cluster_size": 400,
    "outcome_sd": 15.0,
    "expected_effect": 8.0,
    "outcome": "referrals",
}
NEIGHBOUR_PILOTS: list[dict[str, Any]] = [
    {
        **NEIGHBOUR_CRISIS,
        "slug": "family-hubs-referrals",
        "title": "Family hub workers in primary schools",
        "intervention": "A family hub worker spends a day a week in each primary school and "
        "offers help to families before things reach a crisis.",
        "place": "Eight Northbrook wards, compared with eight similar ones",
        "cost": 80_000,
        "planned_clusters": 16,
        "data": (
            synthetic.did_panel(units=16, effect=-7.0, seed=11),
            {"unit": "ward", "time": "month", "treated": "pilot"},
        ),
    },
    {
        **NEIGHBOUR_CRISIS,
        "slug": "crisis-line-callbacks",
        "title": "Call-backs after a first crisis-line call",
        "intervention": "A worker calls back every family the day after its first call to the "
        "crisis line and offers a visit.",
        "place": "Ten Northbrook wards, compared with ten similar ones",
        "cost": 30_000,
        "data": (
            synthetic.did_panel(effect=-3.0, seed=12),
            {"unit": "ward", "time": "month", "treated": "pilot"},
        ),
    },
]


def _load_one(council: Council, spec: dict[str, Any], source: OutcomeSource | None) -> str:
    values = {k: v for k, v in {**COMMON, **spec}.items() if k not in ("data", "outcome", "shared")}
    pilot = actions.create_pilot(Pilot(**values), council=council, by=None)
    actions.register_pilot(pilot, by=None)
    actions.advance_status(pilot, by=None)  # live
    if source is not None:
        data, rows = _shared_data(pilot, source)
    else:
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


def _source(council: Council, indicator: str) -> OutcomeSource | None:
    """The shared view's counts of people newly flagged for ``indicator``, if it has them."""
    wanted = f": {indicator}"
    return next((s for s in outcome_sources(council) if str(s.label).endswith(wanted)), None)


def _shared_data(pilot: Pilot, source: OutcomeSource) -> tuple[OutcomeData, int]:
    """The pilot's outcome from the shared view of need, as the "evidence.extract" job takes it
    (``core.demo_story``: the first wards by code, the months around the start)."""
    today = timezone.localdate()
    wards = Ward.objects.filter(council=pilot.council).order_by("code")
    table = adapter.shared_outcome(
        pilot,
        source,
        start=story.pilot_first_month(today),
        end=today,
        treated=[w.code for w in wards[: story.PILOT_WARDS]],
        starts=story.pilot_start(today),
    )
    return jobs.store_shared(pilot, source, table, by=None), table.n_rows


def _pilots(council: Council, specs: list[dict[str, Any]]) -> list[str]:
    done = []
    for spec in specs:
        if Pilot.objects.filter(council=council, slug=spec["slug"]).exists():
            continue
        source = _source(council, spec["shared"]) if "shared" in spec else None
        if "shared" in spec and source is None:
            done.append(f"pilot {spec['title']} skipped: no shared view of need to count from")
            continue
        done.append(_load_one(council, spec, source))
    return done


def _neighbour() -> tuple[Council, list[str]]:
    values = {k: v for k, v in NEIGHBOUR.items() if k != "slug"}
    neighbour, created = Council.objects.get_or_create(slug=NEIGHBOUR["slug"], defaults=values)
    made = [f"council {neighbour.name} ({NEIGHBOUR_SITE})"] if created else []
    return neighbour, made + _pilots(neighbour, NEIGHBOUR_PILOTS)


def _subscribe(council: Council, neighbour: Council) -> list[str]:
    """Exampleton subscribes to Northbrook's feed; its cards are imported as the job would
    (the same signature checks), from the feed built here rather than fetched."""
    url = f"{NEIGHBOUR_SITE}/evidence/feed.json"
    if Subscription.objects.filter(council=council, url=url).exists():
        return []
    found = actions.subscribe(council, url=url, public_key=signing.public_key(), by=None)
    cards = selectors.feed_cards(neighbour, lambda path: f"{NEIGHBOUR_SITE}{path}")
    publisher = {"name": neighbour.name, "url": f"{NEIGHBOUR_SITE}/evidence/"}
    when = timezone.now().replace(microsecond=0).isoformat()
    raw = feeds.canonical(feeds.document(publisher, when, cards))
    found = actions.record_feed(found, checked=feeds.check(raw, found.public_key), refused=None)
    return [f"subscription to {neighbour.name}'s practice cards ({found.message})"]


def load(council: Council) -> list[str]:
    made = _pilots(council, PILOTS)
    neighbour, more = _neighbour()
    return made + more + _subscribe(council, neighbour)
