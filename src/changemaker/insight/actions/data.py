"""Every write of the data-governance side: purposes, agreements, datasets, the gazetteer,
linkage runs and retention (uploads are in ``uploads``). Views, jobs and the demo call these;
each is an ``@action`` (one transaction) and records itself in the audit log with ids and counts
only, never personal data. Checking a file with the engine is the adapter's work.

No agreement, no import: an upload is validated only for a dataset whose agreement is in force
today, and published only if it still is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core import jobs as core_jobs
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User
from changemaker.insight.actions.common import MAPPED_FIELDS, DataError
from changemaker.insight.models import (
    PERSON_FIELDS,
    Dataset,
    DataSharingAgreement,
    FalseLink,
    Gazetteer,
    LinkRun,
    Purpose,
    SourceRecord,
)
from changemaker.insight.selectors import expired_records

# Purposes and agreements --------------------------------------------------------------------


@action("insight.purpose.saved")
def save_purpose(
    council: Council,
    *,
    by: User,
    name: str,
    description: str,
    evaluation: bool = False,
    purpose: Purpose | None = None,
) -> Purpose:
    others = Purpose.objects.filter(council=council, name=name)
    if purpose is not None:
        others = others.exclude(pk=purpose.pk)
    if others.exists():
        raise DataError(_("There is already a purpose with that name"))
    created = purpose is None
    purpose = purpose or Purpose(council=council)
    purpose.name, purpose.description = name, description
    purpose.evaluation = evaluation
    purpose.save()
    audit.record(
        "insight.purpose.created" if created else "insight.purpose.changed",
        actor=by,
        council=council,
        obj=purpose,
    )
    return purpose


AGREEMENT_FIELDS = (
    "reference",
    "title",
    "controller",
    "lawful_basis",
    "statutory_function",
    "restricted_categories",
    "retention_days",
    "starts_on",
    "ends_on",
)


@action("insight.agreement.saved")
def save_agreement(
    council: Council,
    *,
    by: User,
    data: Mapping[str, Any],
    agreement: DataSharingAgreement | None = None,
) -> DataSharingAgreement:
    """Create or change an agreement. ``data`` holds AGREEMENT_FIELDS plus ``purposes`` and
    ``restricted_purposes`` (Purpose objects of this council)."""
    others = DataSharingAgreement.objects.filter(council=council, reference=data["reference"])
    if agreement is not None:
        others = others.exclude(pk=agreement.pk)
    if others.exists():
        raise DataError(_("There is already an agreement with that reference"))
    purposes = list(data["purposes"])
    restricted = list(data.get("restricted_purposes") or [])
    if any(p.council_id != council.pk for p in [*purposes, *restricted]):
        raise DataError(_("Choose purposes of this council"))
    if not set(restricted) <= set(purposes):
        raise DataError(_("Purposes that may see restricted data must be purposes it covers"))
    created = agreement is None
    agreement = agreement or DataSharingAgreement(council=council, created_by=by)
    for name in AGREEMENT_FIELDS:
        setattr(agreement, name, data.get(name))
    agreement.statutory_function = agreement.statutory_function or ""
    agreement.restricted_categories = list(agreement.restricted_categories or [])
    agreement.save()
    agreement.purposes.set(purposes)
    agreement.restricted_purposes.set(restricted)
    audit.record(
        "insight.agreement.created" if created else "insight.agreement.changed",
        actor=by,
        council=council,
        obj=agreement,
        purposes=len(purposes),
        restricted_categories=len(agreement.restricted_categories),
    )
    return agreement


# Datasets ----------------------------------------------------------------------------------


@action("insight.dataset.saved")
def save_dataset(
    council: Council,
    *,
    by: User,
    code: str,
    title: str,
    service: str,
    agreement: DataSharingAgreement,
    dataset: Dataset | None = None,
) -> Dataset:
    if agreement.council_id != council.pk:
        raise DataError(_("Choose an agreement of this council"))
    others = Dataset.objects.filter(council=council, code=code)
    if dataset is not None:
        others = others.exclude(pk=dataset.pk)
    if others.exists():
        raise DataError(_("There is already a dataset with that short name"))
    if dataset is not None and dataset.code != code and dataset.records.exists():
        raise DataError(
            _("The short name cannot change once records are published: it names them in links")
        )
    created = dataset is None
    dataset = dataset or Dataset(council=council)
    dataset.code, dataset.title, dataset.service, dataset.agreement = (
        code,
        title,
        service,
        agreement,
    )
    dataset.save()
    audit.record(
        "insight.dataset.created" if created else "insight.dataset.changed",
        actor=by,
        council=council,
        obj=dataset,
        agreement=agreement.pk,
    )
    return dataset


@action("insight.dataset.mapping_changed")
def save_mapping(
    dataset: Dataset,
    *,
    by: User,
    columns: Mapping[str, str],
    attributes: Sequence[str],
    restricted: Sequence[str],
) -> Dataset:
    """Which column of the service's file holds each schema field (record_id required),
    which other columns are kept, and which fields are restricted."""
    columns = {k: v.strip() for k, v in columns.items() if k in MAPPED_FIELDS and v.strip()}
    if "record_id" not in columns:
        raise DataError(_("Enter the column that holds the record's own reference"))
    attributes = list(dict.fromkeys(a.strip() for a in attributes if a.strip()))
    clash = set(attributes) & (set(MAPPED_FIELDS) | {"source_dataset"})
    if clash:
        raise DataError(
            _("Kept columns cannot be named like schema fields: %(names)s")
            % {"names": ", ".join(sorted(clash))}
        )
    unknown = set(restricted) - set(PERSON_FIELDS) - set(attributes)
    if unknown:
        raise DataError(_("Restricted fields must be schema fields or kept columns"))
    dataset.column_mapping = columns
    dataset.attribute_columns = attributes
    dataset.restricted_fields = [f for f in [*PERSON_FIELDS, *attributes] if f in restricted]
    dataset.save(update_fields=["column_mapping", "attribute_columns", "restricted_fields"])
    audit.record(
        "insight.dataset.mapping_changed",
        actor=by,
        council=dataset.council,
        obj=dataset,
        fields=len(columns),
        kept=len(attributes),
        restricted=len(dataset.restricted_fields),
    )
    return dataset


# The gazetteer ------------------------------------------------------------------------------

MAX_GAZETTEER_BYTES = 200 * 1024 * 1024


@action("insight.gazetteer.uploaded")
def upload_gazetteer(
    council: Council,
    *,
    by: User | None,
    name: str,
    stream: IO[bytes],
    background: bool = True,
) -> Gazetteer:
    """Keep an uploaded gazetteer file and start the background job that checks and imports
    it (``adapter.import_gazetteer``). Returns the gazetteer, status CHECKING. With
    ``background=False`` (the demo) no job is started: the caller imports it at once."""
    if not name.lower().endswith(".csv"):
        raise DataError(_("The gazetteer must be a CSV file (.csv)"))
    data = stream.read(MAX_GAZETTEER_BYTES + 1)
    if len(data) > MAX_GAZETTEER_BYTES:
        raise DataError(_("The gazetteer file must be smaller than 200 MB"))
    if not data.strip():
        raise DataError(_("The file is empty"))
    gazetteer = Gazetteer.objects.create(council=council, uploaded_by=by, source=data)
    audit.record(
        "insight.gazetteer.uploaded", actor=by, council=council, obj=gazetteer, bytes=len(data)
    )
    if not background:
        return gazetteer
    job = core_actions.start_job(
        "insight.gazetteer",
        title=_("Import the address gazetteer"),
        params={"gazetteer": gazetteer.pk},
        council=council,
        by=by,
    )
    gazetteer.job = job
    gazetteer.save(update_fields=["job"])
    return gazetteer


# Linkage runs -------------------------------------------------------------------------------


@action("insight.run.started")
def start_linkage(council: Council, *, by: User, retrain: bool = False) -> LinkRun:
    """Queue a linkage run over every record of the council (the "insight.link" job). A run
    whose worker died is failed first (see ``core.jobs.recover_lost_jobs``)."""
    core_jobs.recover_lost_jobs(kind="insight.link")
    busy = LinkRun.objects.filter(
        council=council,
        status=LinkRun.Status.RUNNING,
        job__status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
    )
    if busy.exists():
        raise DataError(
            _(
                "A linkage run is already under way. Wait for it to finish. If the background "
                "worker running it has stopped, the run is marked as failed within %(minutes)s "
                "minutes of its last sign of progress, and you can then start a new one."
            )
            % {"minutes": max(1, round(settings.JOBS_LOST_AFTER_SECONDS / 60))}
        )
    if not SourceRecord.objects.filter(dataset__council=council).exists():
        raise DataError(_("There are no records to link yet. Publish an upload first."))
    run = LinkRun.objects.create(council=council, started_by=by)
    job = core_actions.start_job(
        "insight.link",
        title=_("Link records into people and households"),
        params={"run": run.pk, "retrain": retrain},
        council=council,
        by=by,
    )
    run.job = job
    run.save(update_fields=["job"])
    audit.record("insight.run.started", actor=by, council=council, obj=run, retrain=retrain)
    return run


@action("insight.run.failed")
def fail_unfinished_run(job: Job) -> int:
    """The "insight.link" job failed (its worker died, or it stopped before linking): a run
    of it still marked running becomes failed. Nothing of it was published (a run publishes
    in one transaction), so the previous run stays current. Idempotent."""
    if job.error == core_jobs.LOST_ERROR:
        error = _(
            "The background worker stopped before this run finished, so nothing from it was "
            "published."
        )
    else:
        error = _("The run stopped before it finished, so nothing from it was published.")
    failed = 0
    for run in LinkRun.objects.select_for_update().filter(job=job, status=LinkRun.Status.RUNNING):
        run.status = LinkRun.Status.FAILED
        run.finished_at = timezone.now()
        run.report = {**run.report, "error": error}
        run.save(update_fields=["status", "finished_at", "report"])
        audit.record("insight.run.failed", council=run.council, obj=run, error=error)
        failed += 1
    return failed


# Retention ---------------------------------------------------------------------------------


@action("insight.retention.deleted")
def delete_expired_records(agreement: DataSharingAgreement, day: date) -> dict[str, int]:
    """Delete the records of ``agreement`` past its retention period on ``day``, with their
    links and false links (``jobs.apply_retention`` calls it for each agreement that has
    some). Audited with counts."""
    ids = list(expired_records(agreement, day).values_list("pk", flat=True))
    false_links = 0
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        false_links += FalseLink.objects.filter(record_a__in=part).delete()[0]
        false_links += FalseLink.objects.filter(record_b__in=part).delete()[0]
    deleted = 0
    links = 0
    for start in range(0, len(ids), 500):
        _n, per_model = SourceRecord.objects.filter(pk__in=ids[start : start + 500]).delete()
        deleted += per_model.get(SourceRecord._meta.label, 0)
        links += per_model.get("insight.RecordLink", 0)
    audit.record(
        "insight.retention.deleted",
        council=agreement.council,
        obj=agreement,
        records=deleted,
        links=links,
        false_links=false_links,
    )
    return {"records": deleted, "links": links, "false_links": false_links}


# The evaluation extract ----------------------------------------------------------------------


@action("insight.evaluation_extract")
def record_evaluation_extract(
    council: Council, *, source: str, start: date, end: date, cells: int, suppressed: int
) -> None:
    """Write to the access log that ward-by-month counts left insight for an evaluation:
    aggregate only (the source, the months, how many cells and how many were hidden)."""
    audit.record(
        "insight.evaluation_extract",
        council=council,
        reason="evaluation",
        source=source,
        start=start.isoformat(),
        end=end.isoformat(),
        cells=cells,
        suppressed=suppressed,
    )
