"""The count runs as a background job with progress (large elections take a while)."""

from __future__ import annotations

from typing import Any

from changemaker.budgeting.counting import count_heading, store_count
from changemaker.budgeting.models import Process
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job


@register("budgeting.count")
def count_process(job: Job) -> dict[str, Any]:
    try:
        process = Process.objects.get(pk=job.params["process"])
    except (Process.DoesNotExist, KeyError) as exc:
        raise JobFailed("The budget to count no longer exists.") from exc
    headings = list(process.headings.all())
    job.report(0, total=len(headings), message="Reading the ballots")
    funded: dict[str, list[str]] = {}
    for done, heading in enumerate(headings, start=1):
        election, outcome = count_heading(process, heading)
        row = store_count(process, heading, election, outcome)
        funded[heading.name] = row.selected
        job.report(done, message=f"Counted {heading.name}")
    return {"funded": funded}
