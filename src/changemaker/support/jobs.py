"""Community support's background jobs: the matcher (it reads the open requests and active
volunteers the coordinator can see, runs the optimal engine and stores proposals to review),
vetting reminders and retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.support import actions, adapter


@register("support.match", retry_when_lost=True)
def match(job: Job) -> dict[str, Any]:
    council = job.council
    if council is None:
        raise JobFailed("The matching job has no council.")
    return adapter.propose_matches(council, job.params.get("scope"), job)


@register("support.vetting_reminders", every=timedelta(days=1), retry_when_lost=True)
def vetting_reminders(job: Job) -> dict[str, Any]:
    """Daily: DBS expiry reminders 60, 30 and 7 days before (idempotent)."""
    return {"sent": actions.send_vetting_reminders()}


@register("support.retention", every=timedelta(days=1), retry_when_lost=True)
def retention(job: Job) -> dict[str, Any]:
    """Daily: remove personal details of requests closed longer than the retention period."""
    return {"anonymised": actions.anonymise_closed_requests()}
