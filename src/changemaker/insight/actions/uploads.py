"""Uploads of a dataset's records: receive, publish, discard, stop, quarantine export. Checking
the file with the engine and staging its rows is the adapter's work (``adapter.uploads``)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import actions as core_actions
from changemaker.core import audit, csvsafe
from changemaker.core.audit import action
from changemaker.core.models import Job, User
from changemaker.insight.actions.common import (
    FILE_TYPES,
    MAX_UPLOAD_BYTES,
    DataError,
    _refuse_unless_in_force,
)
from changemaker.insight.models import (
    PERIOD_FIELDS,
    PERSON_FIELDS,
    Dataset,
    SourceRecord,
    Upload,
)

# Uploads -----------------------------------------------------------------------------------


@action("insight.upload.received")
def receive_upload(dataset: Dataset, *, by: User, name: str, stream: IO[bytes]) -> Upload:
    """Keep a file and check it in the background (the "insight.upload.check" job): the page
    returns at once, whatever the file's size. Refuses at once, keeping nothing, a file that
    is not CSV or Parquet, too large, or for a dataset that cannot take records today."""
    from changemaker.insight.adapter.uploads import engine_mapping

    _refuse_unless_in_force(dataset)
    engine_mapping(dataset)
    file_type = FILE_TYPES.get(Path(name).suffix.lower())
    if file_type is None:
        raise DataError(_("The file must be a CSV (.csv) or Parquet (.parquet) file"))
    raw = stream.read(MAX_UPLOAD_BYTES + 1)
    if len(raw) > MAX_UPLOAD_BYTES:
        raise DataError(_("The file must be smaller than 200 MB"))
    council = dataset.council
    upload = Upload.objects.create(
        dataset=dataset,
        uploaded_by=by,
        status=Upload.Status.RECEIVED,
        file_type=file_type,
        raw=raw,
    )
    upload.job = core_actions.start_job(
        "insight.upload.check",
        title=_("Check an upload for %(dataset)s") % {"dataset": dataset.title},
        params={"upload": upload.pk},
        council=council,
        by=by,
    )
    upload.save(update_fields=["job"])
    audit.record("insight.upload.received", actor=by, council=council, obj=upload, bytes=len(raw))
    return upload


@action("insight.upload.publishing")
def start_publish(upload: Upload, *, by: User) -> Job:
    """Publish a checked upload in the background (the "insight.upload.publish" job)."""
    upload = Upload.objects.select_for_update().select_related("dataset").get(pk=upload.pk)
    if upload.status != Upload.Status.VALIDATED:
        raise DataError(_("This upload has already been published or discarded"))
    _refuse_unless_in_force(upload.dataset)
    upload.status = Upload.Status.PUBLISHING
    upload.job = core_actions.start_job(
        "insight.upload.publish",
        title=_("Publish an upload for %(dataset)s") % {"dataset": upload.dataset.title},
        params={"upload": upload.pk},
        council=upload.dataset.council,
        by=by,
    )
    upload.save(update_fields=["status", "job"])
    audit.record("insight.upload.publishing", actor=by, council=upload.dataset.council, obj=upload)
    return upload.job


@action("insight.upload.stopped")
def fail_unfinished_upload(job: Job) -> int:
    """A check or publish job failed (its worker died, or it stopped): an upload still being
    checked is refused (upload the file again); one being published is waiting to be
    published again (publishing is one transaction: nothing of it was kept). Idempotent."""
    changed = 0
    for upload in Upload.objects.select_for_update().filter(
        job=job, status__in=[Upload.Status.RECEIVED, Upload.Status.PUBLISHING]
    ):
        if upload.status == Upload.Status.RECEIVED:
            upload.status = Upload.Status.REFUSED
            upload.raw = b""
            upload.report = {
                "error": _("The check stopped before it finished. Upload the file again.")
            }
            upload.save(update_fields=["status", "raw", "report"])
        else:
            upload.status = Upload.Status.VALIDATED
            upload.save(update_fields=["status"])
        audit.record(
            "insight.upload.stopped", council=upload.dataset.council, obj=upload, job=str(job.pk)
        )
        changed += 1
    return changed


@action("insight.upload.published")
def publish_upload(upload: Upload, *, by: User | None, today: date | None = None) -> dict[str, int]:
    """Replace the dataset's records by the upload's accepted rows, all at once.

    Records whose record_id is in the upload keep their identity (so links and false links
    to them survive); records not in the upload are deleted; new ones are added."""
    from changemaker.insight.engine.standardise import parse_date

    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status not in (Upload.Status.VALIDATED, Upload.Status.PUBLISHING):
        raise DataError(_("This upload has already been published or discarded"))
    dataset = upload.dataset
    _refuse_unless_in_force(dataset)
    received = today or timezone.localdate()
    existing = {r.record_id: r for r in SourceRecord.objects.filter(dataset=dataset)}
    new, changed = [], []
    for row in upload.staged:
        record = existing.pop(row["record_id"], None)
        if record is None:
            record = SourceRecord(dataset=dataset, record_id=row["record_id"])
            new.append(record)
        else:
            changed.append(record)
        for name in PERSON_FIELDS:
            setattr(record, name, row.get(name) or "")
        for name in PERIOD_FIELDS:
            setattr(record, name, parse_date(row.get(name)))  # checked by the importer
        record.attributes = row.get("attributes") or {}
        record.upload = upload
        record.received_on = received
    gone = [r.pk for r in existing.values()]
    for start in range(0, len(gone), 500):
        SourceRecord.objects.filter(pk__in=gone[start : start + 500]).delete()
    SourceRecord.objects.bulk_update(
        changed,
        [*PERSON_FIELDS, *PERIOD_FIELDS, "attributes", "upload", "received_on"],
        batch_size=1000,
    )
    SourceRecord.objects.bulk_create(new, batch_size=1000)
    upload.status = Upload.Status.PUBLISHED
    upload.published_at = timezone.now()
    upload.staged = []
    upload.save(update_fields=["status", "published_at", "staged"])
    counts = {"added": len(new), "updated": len(changed), "removed": len(existing)}
    audit.record(
        "insight.upload.published",
        actor=by,
        council=dataset.council,
        obj=upload,
        added=counts["added"],
        updated=counts["updated"],
        removed=counts["removed"],
    )
    return counts


@action("insight.upload.discarded")
def discard_upload(upload: Upload, *, by: User | None) -> None:
    upload = Upload.objects.select_for_update().get(pk=upload.pk)
    if upload.status != Upload.Status.VALIDATED:
        raise DataError(_("This upload has already been published or discarded"))
    upload.status = Upload.Status.DISCARDED
    upload.staged = []
    upload.save(update_fields=["status", "staged"])
    upload.quarantined.all().delete()
    audit.record("insight.upload.discarded", actor=by, council=upload.dataset.council, obj=upload)


@action("insight.upload.quarantine_exported")
def quarantine_csv(upload: Upload, *, by: User) -> str:
    """The quarantined rows with their values, for the officer to fix (audited export)."""
    rows = list(upload.quarantined.all())
    keys: list[str] = []
    for row in rows:
        keys += [k for k in row.raw if k not in keys]
    out = io.StringIO()
    writer = csvsafe.writer(out)
    writer.writerow(["line", "reason", *keys])
    for row in rows:
        writer.writerow([row.line, row.reason, *(row.raw.get(k) for k in keys)])
    audit.record(
        "insight.upload.quarantine_exported",
        actor=by,
        council=upload.dataset.council,
        obj=upload,
        reason="fix rows that could not be imported",
        rows=len(rows),
    )
    return out.getvalue()
