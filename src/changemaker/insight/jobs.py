"""Background jobs of the shared view of need (upload checks and publishing, linkage runs,
gazetteer imports, retention). Thin: they call the adapter (the engine's work) and actions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.insight import actions, adapter, selectors
from changemaker.insight.models import DataSharingAgreement, Gazetteer, LinkRun, Upload


def _upload(job: Job) -> Upload:
    upload = Upload.objects.filter(
        pk=job.params.get("upload"), dataset__council=job.council
    ).first()
    if upload is None:
        raise JobFailed("The upload was not found.")
    return upload


def fail_unfinished_upload(job: Job) -> int:
    """``on_failed`` of the upload jobs: an upload the job left being checked is refused, one
    being published waits to be published again (``actions.fail_unfinished_upload``)."""
    if not selectors.unfinished_uploads(job).exists():
        return 0
    return actions.fail_unfinished_upload(job)


def fail_unfinished_run(job: Job) -> int:
    """``on_failed`` of "insight.link": its run still marked running becomes failed."""
    if not selectors.unfinished_runs(job).exists():
        return 0
    return actions.fail_unfinished_run(job)


@register("insight.upload.check", retry_when_lost=True, on_failed=fail_unfinished_upload)
def check_upload(job: Job) -> dict[str, Any]:
    """Check an uploaded file row by row and stage the accepted rows (one transaction at the
    end). The result holds counts only."""
    upload = _upload(job)
    job.report(0, total=2, message="Checking every row of the file")
    try:
        upload = adapter.check_upload(upload)
    except actions.DataError as exc:
        raise JobFailed(str(exc)) from None
    job.report(2, message="Checked")
    return {
        "rows_read": upload.rows_read,
        "accepted": upload.rows_accepted,
        "kept_aside": upload.rows_quarantined,
    }


@register("insight.upload.publish", retry_when_lost=True, on_failed=fail_unfinished_upload)
def publish_upload(job: Job) -> dict[str, Any]:
    """Replace the dataset's records by the upload's accepted rows, in one transaction."""
    upload = _upload(job)
    job.report(0, total=1, message="Publishing the accepted rows")
    try:
        return actions.publish_upload(upload, by=job.created_by)
    except actions.DataError as exc:
        raise JobFailed(str(exc)) from None


@register("insight.link", on_failed=fail_unfinished_run)
def link(job: Job) -> dict[str, Any]:
    """Link every record of the council and publish the run atomically, then re-evaluate
    the early-help flags. Progress: seven steps; the result holds counts only.

    Not retried when its worker dies (a run big enough to kill a worker would likely do it
    again): the run is failed and the data officer starts a new one."""
    run = LinkRun.objects.filter(pk=job.params.get("run"), council=job.council).first()
    if run is None or run.status != LinkRun.Status.RUNNING:
        raise JobFailed("The linkage run to do was not found, or has already finished.")
    job.report(0, total=adapter.STEPS + 1, message="Starting")

    def progress(step: int, message: str) -> None:
        job.report(step, message=message)

    try:
        published = adapter.link_now(
            run, retrain=bool(job.params.get("retrain")), progress=progress
        )
    except adapter.LinkageFailed as exc:
        raise JobFailed(str(exc)) from None
    report = published.report
    return {
        "run": published.pk,
        "records": report.get("records_linked", 0),
        "persons": report.get("persons", 0),
        "households": report.get("households", 0),
    }


@register("insight.gazetteer", retry_when_lost=True)  # writes once, at the end
def gazetteer(job: Job) -> dict[str, Any]:
    """Check an uploaded gazetteer and import it all or nothing. A refused file fails the job
    with the number of problems; the gazetteer's page lists them (line, column, field)."""
    found = Gazetteer.objects.filter(pk=job.params.get("gazetteer"), council=job.council).first()
    if found is None or found.status != Gazetteer.Status.CHECKING:
        raise JobFailed(_("The gazetteer to import was not found, or has already been checked."))
    job.report(0, total=1, message=_("Checking every line"))
    done = adapter.import_gazetteer(found)
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


@register("insight.retention", every=timedelta(days=1), retry_when_lost=True)
def retention(job: Job) -> dict[str, Any]:
    """Daily: delete records past their agreement's retention period, with their links."""
    return apply_retention()


def apply_retention(today: date | None = None) -> dict[str, int]:
    """Delete records past their agreement's retention period, with their links and false
    links, one transaction per agreement (``actions.delete_expired_records``). Audited per
    agreement with counts."""
    day = today or timezone.localdate()
    totals = {"records": 0, "links": 0, "false_links": 0}
    for agreement in DataSharingAgreement.objects.select_related("council"):
        if not selectors.expired_records(agreement, day).exists():
            continue
        deleted = actions.delete_expired_records(agreement, day)
        for name in totals:
            totals[name] += deleted[name]
    return totals
