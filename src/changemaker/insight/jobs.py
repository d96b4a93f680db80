"""Background jobs of the shared view of need (linkage runs, gazetteer imports, retention)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.insight import actions_data, linking
from changemaker.insight.models import Gazetteer, LinkRun


@register("insight.link")
def link(job: Job) -> dict[str, Any]:
    """Link every record of the council and publish the run atomically, then re-evaluate
    the early-help flags. Progress: seven steps; the result holds counts only."""
    run = LinkRun.objects.filter(pk=job.params.get("run"), council=job.council).first()
    if run is None or run.status != LinkRun.Status.RUNNING:
        raise JobFailed("The linkage run to do was not found, or has already finished.")
    job.report(0, total=linking.STEPS + 1, message="Starting")

    def progress(step: int, message: str) -> None:
        job.report(step, message=message)

    try:
        published = linking.link_now(
            run, retrain=bool(job.params.get("retrain")), progress=progress
        )
    except linking.LinkageFailed as exc:
        raise JobFailed(str(exc)) from None
    report = published.report
    return {
        "run": published.pk,
        "records": report.get("records_linked", 0),
        "persons": report.get("persons", 0),
        "households": report.get("households", 0),
    }


@register("insight.gazetteer")
def gazetteer(job: Job) -> dict[str, Any]:
    """Check an uploaded gazetteer and import it all or nothing. A refused file fails the job
    with the number of problems; the gazetteer's page lists them (line, column, field)."""
    found = Gazetteer.objects.filter(pk=job.params.get("gazetteer"), council=job.council).first()
    if found is None or found.status != Gazetteer.Status.CHECKING:
        raise JobFailed(_("The gazetteer to import was not found, or has already been checked."))
    job.report(0, total=1, message=_("Checking every line"))
    done = actions_data.import_gazetteer(found)
    if done.status == Gazetteer.Status.REFUSED:
        raise JobFailed(
            _(
                "The gazetteer was not imported: %(n)s problems need correcting. The "
                "gazetteer page lists them; nothing was kept from the file."
            )
            % {"n": len(done.problems)}
        )
    job.report(1, message=_("Imported"))
    return {"gazetteer": done.pk, "addresses": done.entries}


@register("insight.retention", every=timedelta(days=1))
def retention(job: Job) -> dict[str, Any]:
    """Daily: delete records past their agreement's retention period, with their links."""
    return actions_data.apply_retention()
