"""The opinion map is computed in the background; pages show the last one."""

from __future__ import annotations

from typing import Any

from changemaker.consultations.models import Consultation
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job


@register("consultations.map", retry_when_lost=True)
def opinion_map(job: Job) -> dict[str, Any]:
    from changemaker.consultations.actions import compute_map

    try:
        consultation = Consultation.objects.get(pk=job.params["consultation"])
    except (Consultation.DoesNotExist, KeyError) as exc:
        raise JobFailed("The consultation no longer exists.") from exc
    job.report(0, total=2, message="Reading the votes")
    snapshot = compute_map(consultation)
    job.report(2, message="Map ready")
    groups = snapshot.result.get("groups", [])
    return {"votes": snapshot.votes, "groups": len(groups)}
