"""The report of a closed wave runs in the background: the engine's disclosure control can
take more than a moment on a large organisation."""

from __future__ import annotations

from typing import Any

from changemaker.core.jobs import register
from changemaker.core.models import Job
from changemaker.culture import adapter
from changemaker.culture.models import Wave


# It writes only in its one final transaction: safe to run again if its worker died.
@register("culture.report", retry_when_lost=True)
def report(job: Job) -> dict[str, Any]:
    wave = Wave.objects.select_related("survey__council").get(pk=job.params["wave"])
    job.report(0, total=1, message="Scoring and hiding small groups")
    stored = adapter.compute_and_store(wave)
    job.report(1, total=1, message="Done")
    cells = stored.data["cells"]
    return {"cells": len(cells), "published": sum(1 for c in cells if not c["suppressed"])}
