"""Long budgeting work runs as background jobs with progress: the count, and importing a
.pb file (a large one takes minutes); and, every few minutes, telling a budget's followers
that its voting has opened on its date ("budgeting.voting_opens")."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import Any

from django.core.files.storage import storages
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting import actions, selectors
from changemaker.budgeting.adapter import count_heading, store_count
from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.pabulib import read_pabulib_bytes
from changemaker.budgeting.models import Process
from changemaker.budgeting.selectors import past_election_dates
from changemaker.budgeting.wording import describe_count, describe_import, describe_voting_opens
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job


@register("budgeting.count", retry_when_lost=True, describe=describe_count)
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
        actions.commit_funded(process, by=job.created_by)  # results out: what is promised
        actions.announce_results(process)
    return {"funded": funded}


@register(
    "budgeting.voting_opens",
    every=timedelta(minutes=15),
    retry_when_lost=True,
    describe=describe_voting_opens,
)
def voting_opens(job: Job) -> dict[str, Any]:
    """Phases move by date: announce each budget whose voting has opened since the last run
    (once a budget: an officer's change of dates may have announced it already)."""
    opened = selectors.voting_to_announce(timezone.now())
    for process in opened:
        actions.announce_voting(process)
    return {"announced": len(opened)}


def _delete_upload(job: Job) -> None:
    """A failed or lost import (its worker died before its own clean-up) keeps no copy of the
    uploaded file. Idempotent."""
    if "file" in job.params:
        with contextlib.suppress(FileNotFoundError):
            storages["private"].delete(job.params["file"])


@register("budgeting.import", on_failed=_delete_upload, describe=describe_import)
def import_file(job: Job) -> dict[str, Any]:
    """Read the uploaded file, then write the budget, its projects and ballots all at once
    (or nothing); the file is deleted afterwards whatever happens."""
    storage, params = storages["private"], job.params
    try:
        job.report(0, total=2, message="Reading the file")
        try:
            with storage.open(params["file"], "rb") as upload:
                data = upload.read()
        except (FileNotFoundError, KeyError) as exc:
            raise JobFailed("The uploaded file is no longer there. Upload it again.") from exc
        if job.council is None:
            raise JobFailed("The import has no council.")
        try:
            election = read_pabulib_bytes(data, params["source"])
            del data
            job.report(1, message=f"Saving {election.num_voters} ballots")
            process = actions.import_election(
                job.council,
                election,
                source=params["source"],
                slug=params["slug"],
                title=params["title"],
                summary=params["title"],
                dates=past_election_dates(timezone.now()),
                by=job.created_by,
            )
        except PabulibError as exc:
            message = f"{exc}. Nothing has been saved: fix the file and import it again."
            raise JobFailed(message) from exc
        except actions.ActionRefused as exc:
            raise JobFailed(str(exc)) from exc
    finally:
        if "file" in params:
            storage.delete(params["file"])
    return {
        "budget": process.title,
        "ballots": process.ballots.count(),
        "link": reverse("budgeting:staff", args=[process.slug]),
    }
