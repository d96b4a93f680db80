"""The web Polis import runs as a background job (never inside the request): the upload waits in
private storage, the job writes all or nothing, shows its warnings or the file/line/column of an
error on the job page, and deletes the upload."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from changemaker.consultations.engine import load_conversation
from changemaker.consultations.models import Consultation, Vote
from changemaker.core.models import AuditEvent, Job, Role

HOST = {"HTTP_HOST": "exampleton.test"}
LAYOUTS = Path(__file__).resolve().parents[1] / "engine" / "tests" / "fixtures" / "layouts"


def _post(
    client: Client, folder: str, votes_file: str, *, slug: str = "brexit", votes: bytes = b""
) -> HttpResponse:
    """Upload a layout fixture; the votes file goes up as ``upload.csv`` (its header tells)."""
    comments = (LAYOUTS / folder / "comments.csv").read_bytes()
    votes_bytes = votes or (LAYOUTS / folder / votes_file).read_bytes()
    return client.post(
        reverse("consultations:import"),
        {
            "question": "Can there be consensus on Brexit?",
            "slug": slug,
            "comments": SimpleUploadedFile("comments.csv", comments, "text/csv"),
            "votes": SimpleUploadedFile("upload.csv", votes_bytes, "text/csv"),
        },
        **HOST,
    )


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("folder", "votes", "warnings"),
    [
        ("spreadsheet-crlf-bom", "participants-votes.csv", 2),  # council's own "notes" columns
        ("xid-2022", "participants-votes.csv", 0),  # refused before: "xid" column
        ("server-2024", "votes.csv", 0),
    ],
)
def test_import_is_a_job_with_progress_and_warnings(
    client_as: Callable[[str | None], Client], folder: str, votes: str, warnings: int
) -> None:
    client = client_as(Role.ENGAGEMENT_OFFICER)
    response = _post(client, folder, votes)
    job = Job.objects.get(kind="consultations.import")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[job.pk])
    # nothing imported inside the request: the files wait in private storage for the job
    assert not Consultation.objects.filter(slug="brexit").exists()
    stored = list(job.params["files"])
    assert sorted(Path(n).name for n in stored) == ["comments.csv", votes]
    private = storages["private"]
    assert all(private.exists(n) for n in stored)
    assert all(n.startswith("polis-imports/") for n in stored)
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "Refresh to see progress" in page  # works without JavaScript

    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    consultation = Consultation.objects.get(slug="brexit")
    reference = load_conversation(LAYOUTS / "classic-2017")
    assert consultation.statements.count() == len(reference.statements) == 10
    assert Vote.objects.filter(statement__consultation=consultation).count() == job.result["votes"]
    assert job.result["votes"] > 0 and len(job.result["warnings"]) == warnings
    assert not any(private.exists(n) for n in stored)  # the upload is gone
    assert AuditEvent.objects.filter(action="consultation.imported").count() == 1
    assert AuditEvent.objects.filter(action="consultation.import_queued").count() == 1
    if folder == "server-2024":  # timestamps in seconds: dates stay real, not January 1970
        first = Vote.objects.filter(statement__consultation=consultation).earliest("voted_at")
        assert first.voted_at.year == 2017
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "See the result" in page
    assert reverse("consultations:results", args=["brexit"]) in page
    if warnings:
        assert "Warnings" in page
        assert "comments.csv, column &#x27;notes&#x27;: not a Polis column" in page


@pytest.mark.django_db(transaction=True)
def test_a_broken_file_fails_the_job_and_writes_nothing(
    client_as: Callable[[str | None], Client],
) -> None:
    client = client_as(Role.ENGAGEMENT_OFFICER)
    lines = (LAYOUTS / "classic-2017" / "votes.csv").read_text(encoding="utf-8").splitlines()
    lines[6] = lines[6].rsplit(",", 1)[0] + ",7"  # line 7: a vote of 7
    broken = ("\n".join(lines) + "\n").encode()
    _post(client, "classic-2017", "votes.csv", votes=broken)
    job = Job.objects.get(kind="consultations.import")
    stored = list(job.params["files"])
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "votes.csv, line 7, column 'vote'" in job.error
    assert job.error.startswith("Nothing was imported.")
    assert not Consultation.objects.filter(slug="brexit").exists()
    assert not Job.objects.filter(kind="consultations.map").exists()
    assert not any(storages["private"].exists(n) for n in stored)
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "What went wrong" in page and "line 7" in page


@pytest.mark.django_db(transaction=True)
def test_a_short_name_in_use_is_refused_on_the_form(
    client_as: Callable[[str | None], Client],
    make_consultation: Callable[..., Consultation],
) -> None:
    make_consultation(slug="brexit")
    client = client_as(Role.ENGAGEMENT_OFFICER)
    response = _post(client, "classic-2017", "votes.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "A consultation with this short name already exists" in page
    assert not Job.objects.filter(kind="consultations.import").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", [Role.RESIDENT, Role.SUPPORT_COORDINATOR, None])
def test_only_managers_can_start_an_import(
    client_as: Callable[[str | None], Client], role: str | None
) -> None:
    response = _post(client_as(role), "classic-2017", "votes.csv")
    assert response.status_code == 403
    assert not Job.objects.filter(kind="consultations.import").exists()
    assert not Consultation.objects.filter(slug="brexit").exists()


@pytest.mark.django_db(transaction=True)
def test_a_lost_import_deletes_its_upload(client_as: Callable[[str | None], Client]) -> None:
    """The worker dies before the job's own clean-up: recovery fails the job and deletes the
    files it kept."""
    from datetime import timedelta

    from django.utils import timezone

    from changemaker.core.jobs import recover_lost_jobs

    _post(client_as(Role.ENGAGEMENT_OFFICER), "classic-2017", "participants-votes.csv")
    job = Job.objects.get(kind="consultations.import")
    stored = list(job.params["files"])
    assert all(storages["private"].exists(n) for n in stored)
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, attempts=1, heartbeat_at=timezone.now() - timedelta(hours=1)
    )
    recover_lost_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert not any(storages["private"].exists(n) for n in stored)
