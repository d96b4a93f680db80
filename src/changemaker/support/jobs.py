"""The matcher runs as a background job: it reads the open requests and active volunteers
the coordinator can see, runs the optimal engine and stores proposals to review."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone

from changemaker.core.jobs import JobFailed, register
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
    engine_volunteers = []
    for v in volunteers:
        record = v.current_vetting(today)
        busy = sum(1 for m in v.matches.all() if m.status in {"confirmed", "accepted"})
        engine_volunteers.append(
            EngineVolunteer(
                volunteer_id=str(v.pk),
                lat=float(v.lat or 0),
                lon=float(v.lon or 0),
                skills=frozenset(v.usable_skills(today)),
                vetting=Vetting(VETTING_RANK[VettingLevel(record.level)])
                if record
                else Vetting.NONE,
                vetting_expires=record.expires_on if record else None,
                available_days=frozenset(int(d) for d in v.available_days),
                max_distance_km=float(v.max_distance_km),
                capacity=max(0, v.capacity - busy),
            )
        )
    return engine_requests, engine_volunteers


@register("support.match", retry_when_lost=True)
def match(job: Job) -> dict[str, Any]:
    council = job.council
    if council is None:
        raise JobFailed("The matching job has no council.")
    scope: list[int] | None = job.params.get("scope")
    job.report(0, total=3, message="Reading requests and volunteers")
    requests, volunteers = engine_inputs(council, scope)
    job.report(1, message="Finding the best matches")
    result = Matcher().match(requests, volunteers)
    job.report(2, message="Saving the proposals")
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


@register("support.vetting_reminders", every=timedelta(days=1), retry_when_lost=True)
def vetting_reminders(job: Job) -> dict[str, Any]:
    """Daily: DBS expiry reminders 60, 30 and 7 days before (idempotent)."""
    return {"sent": actions.send_vetting_reminders()}


@register("support.retention", every=timedelta(days=1), retry_when_lost=True)
def retention(job: Job) -> dict[str, Any]:
    """Daily: remove personal details of requests closed longer than the retention period."""
    return {"anonymised": actions.anonymise_closed_requests()}
