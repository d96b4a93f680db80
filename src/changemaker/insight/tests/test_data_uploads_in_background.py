"""Uploads are checked and published in background jobs, never inside the request, all or
nothing, and a job whose worker died leaves the upload in a state the officer can act on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from changemaker.core import jobs as core_jobs
from changemaker.core.jobs import run_job
from changemaker.core.models import AuditEvent, Job, User
from changemaker.insight import actions, adapter
from changemaker.insight.adapter import uploads as adapter_uploads
from changemaker.insight.models import Dataset, SourceRecord, Upload
from changemaker.insight.tests.conftest import SAMPLE_CSV

pytestmark = pytest.mark.django_db


def _lose(job: Job | None) -> None:
    """The worker running the job is killed: it stays running, with no heartbeat."""
    assert job is not None
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )


def test_the_request_only_keeps_the_file(
    officer_client: Client, dataset: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    def not_in_a_request(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was parsed inside the request")

    monkeypatch.setattr(adapter_uploads, "parse_upload", not_in_a_request)
    good = SimpleUploadedFile("ct.csv", SAMPLE_CSV.encode(), content_type="text/csv")
    response = officer_client.post(
        reverse("insight:dataset-upload", args=[dataset.pk]), {"file": good}
    )
    upload = Upload.objects.get()
    assert response["Location"] == reverse("insight:upload", args=[upload.pk])
    assert upload.status == Upload.Status.RECEIVED and bytes(upload.raw) == SAMPLE_CSV.encode()
    assert upload.job is not None and upload.job.kind == "insight.upload.check"
    assert upload.job.status == Job.Status.QUEUED


def test_a_wrong_file_type_is_refused_at_once(officer_client: Client, dataset: Dataset) -> None:
    text = SimpleUploadedFile("ct.xlsx", b"PK\x03\x04", content_type="application/octet-stream")
    response = officer_client.post(
        reverse("insight:dataset-upload", args=[dataset.pk]), {"file": text}
    )
    assert "The file must be a CSV or Parquet file" in response.content.decode()
    assert not Upload.objects.exists() and not Job.objects.exists()


def test_a_lost_check_runs_again_then_is_refused(dataset: Dataset, data_officer: User) -> None:
    upload = actions.receive_upload(
        dataset, by=data_officer, name="ct.csv", stream=SimpleUploadedFile("ct.csv", b"x").file
    )
    _lose(upload.job)
    [job] = core_jobs.recover_lost_jobs()
    assert job.status == Job.Status.QUEUED  # safe to run again: it writes once, at the end
    _lose(upload.job)
    core_jobs.recover_lost_jobs()
    upload.refresh_from_db()
    assert upload.status == Upload.Status.REFUSED and upload.raw == b""
    assert "Upload the file again" in upload.report["error"]


def test_a_lost_publish_publishes_nothing_and_can_be_done_again(
    dataset: Dataset, data_officer: User, client: Client
) -> None:
    upload = adapter.validate_upload(
        dataset,
        by=data_officer,
        name="ct.csv",
        stream=SimpleUploadedFile("ct.csv", SAMPLE_CSV.encode()).file,
    )
    job = actions.start_publish(upload, by=data_officer)
    _lose(job)
    core_jobs.recover_lost_jobs()  # queued again once
    _lose(job)
    with override_settings(JOBS_LOST_AFTER_SECONDS=60):
        core_jobs.recover_lost_jobs()
    upload.refresh_from_db()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and upload.status == Upload.Status.VALIDATED
    assert not SourceRecord.objects.exists()
    again = actions.start_publish(upload, by=data_officer)
    run_job.call(str(again.pk))
    assert SourceRecord.objects.filter(dataset=dataset).count() == 4


def test_a_refused_check_leaves_only_its_own_audit_events(
    dataset: Dataset, data_officer: User
) -> None:
    """The job fails (the file is refused), its kind's on_failed finds nothing unfinished:
    no "upload stopped" event, and no event without an object (actions always audit)."""
    upload = actions.receive_upload(
        dataset, by=data_officer, name="ct.csv", stream=SimpleUploadedFile("ct.csv", b"x").file
    )
    assert upload.job is not None
    run_job.call(str(upload.job.pk))
    upload.refresh_from_db()
    upload.job.refresh_from_db()
    assert upload.status == Upload.Status.REFUSED and upload.job.status == Job.Status.FAILED
    events = AuditEvent.objects.filter(action__startswith="insight.upload.")
    assert sorted(events.values_list("action", flat=True)) == [
        "insight.upload.received",
        "insight.upload.refused",
    ]
    assert all(event.object_id == str(upload.pk) for event in events)
