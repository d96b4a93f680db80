"""Every write of the data-governance side: purposes, agreements, datasets, uploads (moved to
actions_uploads, re-exported here), the gazetteer, linkage runs and retention. Views, jobs and
the demo call these; each is one transaction and records itself in the audit log with ids and
counts only, never personal data.

No agreement, no import: an upload is validated only for a dataset whose agreement is in force
today, and published only if it still is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core import jobs as core_jobs
from changemaker.core.models import Council, Job, User

# re-exported: callers use actions_data.X
from changemaker.insight.actions_common import MAPPED_FIELDS as MAPPED_FIELDS
from changemaker.insight.actions_common import DataError as DataError
from changemaker.insight.actions_uploads import FILE_TYPES as FILE_TYPES
from changemaker.insight.actions_uploads import MAX_UPLOAD_BYTES as MAX_UPLOAD_BYTES
from changemaker.insight.actions_uploads import check_upload as check_upload
from changemaker.insight.actions_uploads import discard_upload as discard_upload
from changemaker.insight.actions_uploads import fail_unfinished_upload as fail_unfinished_upload
from changemaker.insight.actions_uploads import parse_upload as parse_upload
from changemaker.insight.actions_uploads import publish_upload as publish_upload
from changemaker.insight.actions_uploads import quarantine_csv as quarantine_csv
from changemaker.insight.actions_uploads import receive_upload as receive_upload
from changemaker.insight.actions_uploads import start_publish as start_publish
from changemaker.insight.actions_uploads import validate_upload as validate_upload
from changemaker.insight.models import (
    PERSON_FIELDS,
    Dataset,
    DataSharingAgreement,
    FalseLink,
    Gazetteer,
    GazetteerAddress,
    LinkRun,
    Purpose,
    SourceRecord,
)

# Purposes and agreements --------------------------------------------------------------------


@transaction.atomic
def save_purpose(
    council: Council, *, by: User, name: str, description: str, purpose: Purpose | None = None
) -> Purpose:
    others = Purpose.objects.filter(council=council, name=name)
    if purpose is not None:
        others = others.exclude(pk=purpose.pk)
    if others.exists():
        raise DataError(_("There is already a purpose with that name"))
    created = purpose is None
    purpose = purpose or Purpose(council=council)
    purpose.name, purpose.description = name, description
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


@transaction.atomic
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


@transaction.atomic
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


@transaction.atomic
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


def upload_gazetteer(
    council: Council,
    *,
    by: User | None,
    name: str,
    stream: IO[bytes],
    background: bool = True,
) -> Gazetteer:
    """Keep an uploaded gazetteer file and start the background job that checks and imports
    it (:func:`import_gazetteer`). Returns the gazetteer, status CHECKING. With
    ``background=False`` (the demo) it is checked and imported at once instead."""
    if not name.lower().endswith(".csv"):
        raise DataError(_("The gazetteer must be a CSV file (.csv)"))
    data = stream.read(MAX_GAZETTEER_BYTES + 1)
    if len(data) > MAX_GAZETTEER_BYTES:
        raise DataError(_("The gazetteer file must be smaller than 200 MB"))
    if not data.strip():
        raise DataError(_("The file is empty"))
    with transaction.atomic():
        gazetteer = Gazetteer.objects.create(council=council, uploaded_by=by, source=data)
        audit.record(
            "insight.gazetteer.uploaded", actor=by, council=council, obj=gazetteer, bytes=len(data)
        )
        if not background:
            return import_gazetteer(gazetteer)
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


def import_gazetteer(gazetteer: Gazetteer) -> Gazetteer:
    """Check the kept file and import it all or nothing: every address, or (any bad line)
    none, with each problem's line, column, field and reason kept for the data officer. An
    imported gazetteer becomes the council's current one, in one transaction."""
    from changemaker.insight.engine.addresses import GazetteerFileError, check_gazetteer

    gazetteer = Gazetteer.objects.get(pk=gazetteer.pk)
    if gazetteer.status != Gazetteer.Status.CHECKING:
        raise DataError(_("This gazetteer has already been checked"))
    council = gazetteer.council
    try:
        frame = check_gazetteer(bytes(gazetteer.source), source=_("the gazetteer"))
    except GazetteerFileError as exc:
        with transaction.atomic():
            gazetteer.status = Gazetteer.Status.REFUSED
            gazetteer.problems = [
                {"line": p.line, "column": p.column, "field": p.field, "reason": p.reason}
                for p in exc.problems[:1000]
            ]
            gazetteer.source = b""
            gazetteer.save(update_fields=["status", "problems", "source"])
            audit.record(
                "insight.gazetteer.refused",
                council=council,
                obj=gazetteer,
                problems=len(exc.problems),
            )
        return gazetteer
    with transaction.atomic():
        locked = Gazetteer.objects.select_for_update().get(pk=gazetteer.pk)
        GazetteerAddress.objects.bulk_create(
            (
                GazetteerAddress(
                    gazetteer=locked,
                    uprn=row.uprn,
                    sao=row.sao or "",
                    pao=row.pao,
                    street=row.street,
                    town=row.town or "",
                    postcode=row.postcode or "",
                )
                for row in frame.itertuples(index=False)
            ),
            batch_size=2000,
        )
        Gazetteer.objects.filter(council=council, current=True).update(current=False)
        # the replaced gazetteers' addresses are no longer used: only their summaries stay
        GazetteerAddress.objects.filter(gazetteer__council=council).exclude(
            gazetteer=locked
        ).delete()
        locked.status = Gazetteer.Status.IMPORTED
        locked.current = True
        locked.entries = len(frame)
        locked.source = b""
        locked.save(update_fields=["status", "current", "entries", "source"])
        audit.record("insight.gazetteer.imported", council=council, obj=locked, entries=len(frame))
    return locked


def current_gazetteer(council: Council) -> Gazetteer | None:
    return Gazetteer.objects.filter(council=council, current=True).first()


# Linkage runs -------------------------------------------------------------------------------


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
    with transaction.atomic():
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


@transaction.atomic
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


def apply_retention(today: date | None = None) -> dict[str, int]:
    """Delete records past their agreement's retention period, with their links and false
    links, one transaction per agreement. Audited per council with counts."""
    day = today or timezone.localdate()
    totals = {"records": 0, "links": 0, "false_links": 0}
    for agreement in DataSharingAgreement.objects.select_related("council"):
        with transaction.atomic():
            stale = SourceRecord.objects.filter(
                dataset__agreement=agreement, received_on__lt=agreement.retention_cutoff(day)
            )
            ids = list(stale.values_list("pk", flat=True))
            if not ids:
                continue
            false_links = 0
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                false_links += FalseLink.objects.filter(record_a__in=part).delete()[0]
                false_links += FalseLink.objects.filter(record_b__in=part).delete()[0]
            deleted = 0
            links = 0
            for start in range(0, len(ids), 500):
                _n, per_model = SourceRecord.objects.filter(
                    pk__in=ids[start : start + 500]
                ).delete()
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
            totals["records"] += deleted
            totals["links"] += links
            totals["false_links"] += false_links
    return totals
