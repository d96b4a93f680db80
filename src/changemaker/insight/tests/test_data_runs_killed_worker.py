"""A worker killed (SIGKILL) in the middle of a linkage run: the job and the run become failed,
nothing is published, and a new run is accepted. A real ``manage.py db_worker`` process runs
against this test run's database (SQLite file or PostgreSQL, whichever the suite uses)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client, override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from changemaker.core import jobs as core_jobs
from changemaker.core.models import AuditEvent, Council, Job, User
from changemaker.insight import actions
from changemaker.insight.models import Dataset, LinkRun, RecordLink
from changemaker.insight.tests.conftest import SAMPLE_CSV

WAIT = 180.0  # seconds: a bound for a slow, shared machine, not a speed check


def _database_url() -> str:
    """The URL of the database this test runs on, for the worker subprocess."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor == "postgresql":
        user = quote(db["USER"] or "", safe="")
        password = quote(db["PASSWORD"] or "", safe="")
        login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{login}{db['HOST'] or ''}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(connection.vendor)


def _start_worker(tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    src = Path(settings.SRC_DIR).parent
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "changemaker.insight.tests.worker_settings",
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]),
        "JOBS_HEARTBEAT_SECONDS": "0.2",
    }
    log = tmp_path / "worker.log"
    command = [sys.executable, str(src.parent / "manage.py"), "db_worker"]
    command += ["--no-reload", "--no-startup-delay", "--interval", "0.1", "--verbosity", "2"]
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    return process, log


def _wait_for(check: Callable[[], bool], what: str, worker: subprocess.Popen[bytes], log: Path):
    deadline = time.monotonic() + WAIT
    while not check():
        if worker.poll() is not None or time.monotonic() > deadline:
            pytest.fail(f"The worker did not get to: {what}.\n{log.read_text()[-3000:]}")
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
def test_a_killed_worker_does_not_jam_linkage(
    council: Council,
    dataset: Dataset,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
    officer_client: Client,
    tmp_path: Path,
) -> None:
    publish_csv(dataset, SAMPLE_CSV)
    run = actions.start_linkage(council, by=data_officer)
    assert run.job is not None
    job = run.job
    worker, log = _start_worker(tmp_path)
    try:

        def reading() -> bool:
            job.refresh_from_db()
            return job.message == "Reading the records"

        _wait_for(reading, "the stuck step of the linkage run", worker, log)
        first_beat = job.heartbeat_at

        def beat_again() -> bool:
            job.refresh_from_db()
            return job.heartbeat_at != first_beat

        _wait_for(beat_again, "a heartbeat while the handler is stuck", worker, log)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    job.refresh_from_db()
    run.refresh_from_db()
    assert job.status == Job.Status.RUNNING and run.status == LinkRun.Status.RUNNING
    # Within the default time allowed without a heartbeat, the run still counts as under way.
    refused = officer_client.post(reverse("insight:runs"), {}, follow=True).content.decode()
    assert "already under way" in refused and "within 2 minutes" in refused

    with override_settings(JOBS_LOST_AFTER_SECONDS=0.5):
        time.sleep(0.6)  # the dead worker's last heartbeat is now too old
        response = officer_client.post(reverse("insight:runs"), {}, follow=True)
    page = response.content.decode()
    assert "The previous linkage run had stopped" in page
    new_run = LinkRun.objects.exclude(pk=run.pk).get()
    assert new_run.status == LinkRun.Status.RUNNING and new_run.job is not None
    assert response.redirect_chain[-1][0] == reverse("core:job", args=[new_run.job.pk])

    job.refresh_from_db()
    run.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.was_lost
    assert job.error == core_jobs.LOST_ERROR
    assert run.status == LinkRun.Status.FAILED and not run.current
    assert "background worker stopped" in run.report["error"]
    assert not RecordLink.objects.filter(run=run).exists()  # nothing half-published
    task = DBTaskResult.objects.get(args_kwargs__args=[str(job.pk)])
    assert task.status == TaskResultStatus.FAILED
    assert AuditEvent.objects.filter(action="job.lost", object_id=str(job.pk)).exists()
    assert AuditEvent.objects.filter(action="insight.run.failed", object_id=str(run.pk)).exists()

    runs_page = officer_client.get(reverse("insight:runs")).content.decode()
    assert "The background worker stopped before this run finished" in runs_page
    job_page = officer_client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert "The background worker running this job stopped" in job_page
