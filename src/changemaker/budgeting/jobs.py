"""The count runs as a background job with progress (large elections take a while)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from changemaker.budgeting.counting import count_heading, store_count
from changemaker.budgeting.models import Process
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job


@register("budgeting.count", retry_when_lost=True)
def count_process(job: Job) -> dict[str, Any]:
    """Count every budget, then store all the results in one transaction: a count whose
    worker dies stores nothing, and runs again from the start."""
    try:
        process = Process.objects.get(pk=job.params["process"])
    except (Process.DoesNotExist, KeyError) as exc:
        raise JobFailed("The budget to count no longer exists.") from exc
    headings = list(process.headings.all())
    job.report(0, total=len(headings), message="Reading the ballots")
    counted = []
    for done, heading in enumerate(headings, start=1):
        counted.append((heading, *count_heading(process, heading)))
        job.report(done, message=f"Counted {heading.name}")
    funded: dict[str, list[str]] = {}
    with transaction.atomic():
        for heading, election, outcome in counted:
            funded[heading.name] = store_count(process, heading, election, outcome).selected
    return {"funded": funded}
