"""Database <-> matching engine: the one place that knows both.

Builds the engine's requests and volunteers from the rows a coordinator's scope holds, runs
the optimal matcher and stores its proposals (through ``actions.store_proposals``) for a
coordinator to review.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from changemaker.core.models import Council, Job
from changemaker.support import actions
from changemaker.support.engine import Matcher, Request, Urgency, Vetting
from changemaker.support.engine import Volunteer as EngineVolunteer
from changemaker.support.models import VETTING_RANK, HelpRequest, VettingLevel, Volunteer


def engine_inputs(
    council: Council, scope: list[int] | None
) -> tuple[list[Request], list[EngineVolunteer]]:
    """Open, triaged requests (from today on) and active volunteers, with coordinates."""
    today = timezone.localdate()
    requests = HelpRequest.objects.filter(
        council=council,
        status=HelpRequest.Status.TRIAGED,
        needed_on__gte=today,
        lat__isnull=False,
        lon__isnull=False,
    ).exclude(matches__status__in=["confirmed", "accepted"])
    volunteers = Volunteer.objects.filter(
        council=council, status=Volunteer.Status.ACTIVE, lat__isnull=False, lon__isnull=False
    ).prefetch_related("vetting_records", "training_records", "matches")
    if scope is not None:
        requests = requests.filter(organisation__in=scope)
        volunteers = volunteers.filter(organisation__in=scope)
    engine_requests = [
        Request(
            request_id=str(r.pk),
            lat=float(r.lat or 0),
            lon=float(r.lon or 0),
            needs=frozenset(r.needs),
            urgency=Urgency(r.urgency),
            vetting_required=Vetting(VETTING_RANK[VettingLevel(r.vetting_required)]),
            date=r.needed_on,
        )
        for r in requests.distinct()
    ]
    return engine_requests, [_engine_volunteer(v, today) for v in volunteers]


def _engine_volunteer(v: Volunteer, today: date) -> EngineVolunteer:
    """A volunteer as the engine sees them: usable skills, current check, capacity left."""
    record = v.current_vetting(today)
    busy = sum(1 for m in v.matches.all() if m.status in {"confirmed", "accepted"})
    return EngineVolunteer(
        volunteer_id=str(v.pk),
        lat=float(v.lat or 0),
        lon=float(v.lon or 0),
        skills=frozenset(v.usable_skills(today)),
        vetting=Vetting(VETTING_RANK[VettingLevel(record.level)]) if record else Vetting.NONE,
        vetting_expires=record.expires_on if record else None,
        available_days=frozenset(int(d) for d in v.available_days),
        max_distance_km=float(v.max_distance_km),
        capacity=max(0, v.capacity - busy),
    )


def propose_matches(
    council: Council, scope: list[int] | None, job: Job | None = None
) -> dict[str, Any]:
    """Match the scope's open requests to its volunteers and store the proposals (replacing
    the scope's earlier ones). Returns what the run found, as the job keeps it."""

    def step(done: int, message: str, total: int | None = None) -> None:
        if job is not None:
            job.report(done, total=total, message=message)

    step(0, "Reading requests and volunteers", total=3)
    requests, volunteers = engine_inputs(council, scope)
    step(1, "Finding the best matches")
    result = Matcher().match(requests, volunteers)
    step(2, "Saving the proposals")
    actions.store_proposals(
        council,
        job=job,
        scope=scope,
        assignments=[
            (int(a.request_id), int(a.volunteer_id), a.distance_km) for a in result.assignments
        ],
    )
    objective = result.objective
    return {
        "requests": len(requests),
        "volunteers": len(volunteers),
        "matched": objective.matched,
        "distance_km": round(objective.distance_km, 2),
        "unmatched": [
            {"request": int(u.request_id), "reason": u.reason.value} for u in result.unmatched
        ],
    }
