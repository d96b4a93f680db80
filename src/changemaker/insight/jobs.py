"""Background jobs of the shared view of need (upload checks and publishing, linkage runs,
gazetteer imports, retention). Thin: they call the adapter (the engine's work) and actions."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.insight import actions, adapter, selectors
from changemaker.insight.models import DataSharingAgreement, Gazetteer, LinkRun, Upload

# What each job did, in sentences for its page (core.jobs.summary) --------------------------


def _n(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def describe_check(result: dict[str, Any]) -> list[str]:
    read, accepted, aside = (_n(result.get(k)) for k in ("rows_read", "accepted", "kept_aside"))
    lines = [
        ngettext("%(n)s row was read.", "%(n)s rows were read.", read) % {"n": f"{read:,}"},
        ngettext(
            "%(n)s row was accepted and can be published.",
            "%(n)s rows were accepted and can be published.",
            accepted,
        )
        % {"n": f"{accepted:,}"},
    ]
    if aside:
        lines.append(
            ngettext(
                "%(n)s row was kept aside: the upload report says why.",
                "%(n)s rows were kept aside: the upload report says why.",
                aside,
            )
            % {"n": f"{aside:,}"}
        )
    return lines


def describe_publish(result: dict[str, Any]) -> list[str]:
    added, updated, removed = (_n(result.get(k)) for k in ("added", "updated", "removed"))
    return [
        _(
            "The dataset now holds the upload: %(added)s records added, %(updated)s updated and "
            "%(removed)s removed."
        )
        % {"added": f"{added:,}", "updated": f"{updated:,}", "removed": f"{removed:,}"}
    ]


def describe_link(result: dict[str, Any]) -> list[str]:
    records, persons = _n(result.get("records")), _n(result.get("persons"))
    households = _n(result.get("households"))
    lines = [
        ngettext(
            "%(records)s record was linked into %(persons)s people in %(households)s households.",
            "%(records)s records were linked into %(persons)s people in %(households)s households.",
            records,
        )
        % {"records": f"{records:,}", "persons": f"{persons:,}", "households": f"{households:,}"}
    ]
    if "flags_raised" in result:
        raised = _n(result.get("flags_raised"))
        lines.append(
            ngettext(
                "%(n)s new early-help flag was raised for review.",
                "%(n)s new early-help flags were raised for review.",
                raised,
            )
            % {"n": f"{raised:,}"}
        )
    return lines


def describe_gazetteer(result: dict[str, Any]) -> list[str]:
    addresses = _n(result.get("addresses"))
    return [
        ngettext(
            "%(n)s address was imported into the gazetteer.",
            "%(n)s addresses were imported into the gazetteer.",
            addresses,
        )
        % {"n": f"{addresses:,}"}
    ]


def describe_retention(result: dict[str, Any]) -> list[str]:
    records = _n(result.get("records"))
    if not records:
        return [_("No records had passed their retention period.")]
    return [
        ngettext(
            "%(n)s record past its retention period was deleted, with its links.",
            "%(n)s records past their retention period were deleted, with their links.",
            records,
        )
        % {"n": f"{records:,}"}
    ]


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


@register(
    "insight.upload.check",
    retry_when_lost=True,
    on_failed=fail_unfinished_upload,
    describe=describe_check,
)
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


@register(
    "insight.upload.publish",
    retry_when_lost=True,
    on_failed=fail_unfinished_upload,
    describe=describe_publish,
)
def publish_upload(job: Job) -> dict[str, Any]:
    """Replace the dataset's records by the upload's accepted rows, in one transaction."""
    upload = _upload(job)
    job.report(0, total=1, message="Publishing the accepted rows")
    try:
        return actions.publish_upload(upload, by=job.created_by)
    except actions.DataError as exc:
        raise JobFailed(str(exc)) from None


@register("insight.link", on_failed=fail_unfinished_run, describe=describe_link)
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
        "flags_raised": report.get("flags", {}).get("raised", 0),
    }


# writes once, at the end
@register("insight.gazetteer", retry_when_lost=True, describe=describe_gazetteer)
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


@register(
    "insight.retention", every=timedelta(days=1), retry_when_lost=True, describe=describe_retention
)
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
