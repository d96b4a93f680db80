"""Jobs heal themselves: a job whose worker died is found by heartbeat, failed (or retried once
when its handler is safe to retry), and the worker waits out a locked database."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.db import connection
from django.tasks import TaskResultStatus
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from changemaker.core import actions, jobs
from changemaker.core.jobs import Heartbeat, register, run_job
from changemaker.core.models import AuditEvent, Council, Job, Role

HOST = {"HTTP_HOST": "exampleton.test"}
LONG_AGO = timedelta(hours=1)

CLEANED: list[str] = []


def _note_failed(job: Job) -> None:
    CLEANED.append(str(job.pk))


@register("tests.not_retried", on_failed=_note_failed)
def _not_retried(job: Job) -> dict[str, object]:
    return {"ran": True}


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def _orphan(kind: str, council: Council | None = None) -> Job:
    """A job left 'running' an hour ago by a worker that was killed: its task is claimed
    (RUNNING) and nothing beats for it any more."""
    job = actions.start_job(kind, title="Orphan", council=council)
    beat = timezone.now() - LONG_AGO
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=beat, heartbeat_at=beat, attempts=1
    )
    DBTaskResult.objects.filter(args_kwargs__args=[str(job.pk)]).update(
        status=TaskResultStatus.RUNNING, started_at=beat, worker_ids=["killed"]
    )
    job.refresh_from_db()
    return job


@pytest.mark.django_db(transaction=True)
def test_next_worker_fails_a_lost_job_at_start_up(council: Council) -> None:
    job = _orphan("tests.not_retried", council)
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.was_lost
    assert job.error == jobs.LOST_ERROR and job.finished_at is not None
    assert CLEANED[-1] == str(job.pk)  # its kind marked the partial work failed
    task = DBTaskResult.objects.get(args_kwargs__args=[str(job.pk)])
    assert task.status == TaskResultStatus.FAILED
    assert task.exception_class_path.endswith("WorkerLost")
    event = AuditEvent.objects.get(action="job.lost")
    assert event.detail == {"kind": "tests.not_retried", "attempts": 1, "outcome": "failed"}


@pytest.mark.django_db(transaction=True)
def test_a_job_safe_to_retry_runs_again_once(council: Council) -> None:
    job = _orphan("core.selfcheck", council)
    _run_worker()  # recovers it at start-up, then runs it again
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED and job.was_lost and job.attempts == 2
    assert job.result["councils"] == 1
    # Lost a second time: no more retries.
    beat = timezone.now() - LONG_AGO
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, heartbeat_at=beat)
    [again] = jobs.recover_lost_jobs()
    assert again.pk == job.pk and again.status == Job.Status.FAILED


@pytest.mark.django_db(transaction=True)
def test_a_job_that_beats_is_not_lost(council: Council) -> None:
    job = _orphan("tests.not_retried", council)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())
    assert jobs.recover_lost_jobs() == []
    with override_settings(JOBS_LOST_AFTER_SECONDS=0):
        assert [j.pk for j in jobs.recover_lost_jobs()] == [job.pk]


@pytest.mark.django_db(transaction=True)
def test_starting_a_job_recovers_lost_jobs_of_its_kind(council: Council) -> None:
    lost = _orphan("tests.not_retried", council)
    other = _orphan("core.selfcheck", council)
    actions.start_job("tests.not_retried", title="Again", council=council)
    lost.refresh_from_db()
    other.refresh_from_db()
    assert lost.status == Job.Status.FAILED
    assert other.status == Job.Status.RUNNING  # another kind: left to the workers' sweeps


@pytest.mark.django_db(transaction=True)
def test_a_queued_job_no_worker_will_pick_up_is_queued_again(council: Council) -> None:
    job = actions.start_job("core.selfcheck", title="Never queued", council=council)
    DBTaskResult.objects.all().delete()  # e.g. the process died between commit and enqueue
    Job.objects.filter(pk=job.pk).update(created_at=timezone.now() - LONG_AGO)
    [found] = jobs.recover_lost_jobs()
    assert found.status == Job.Status.QUEUED
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED


@pytest.mark.django_db(transaction=True)
def test_a_late_result_does_not_overwrite_a_lost_job(council: Council) -> None:
    """A worker taken for dead that finishes after all: the failure stands."""
    job = _orphan("tests.not_retried", council)
    jobs.recover_lost_jobs()
    from changemaker.core.jobs import _finish

    _finish(job, 1, Job.Status.SUCCEEDED, result={"ran": True})
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.result == {}


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_thread_beats_while_the_handler_is_busy(council: Council) -> None:
    job = Job.objects.create(
        kind="core.selfcheck", title="Busy", council=council, status=Job.Status.RUNNING, attempts=1
    )
    beats = threading.Event()
    with Heartbeat(job.pk, 1, every=0.01):
        for _ in range(500):  # the handler is "busy": this thread only waits
            job.refresh_from_db()
            if job.heartbeat_at is not None:
                beats.set()
                break
            threading.Event().wait(0.01)
    assert beats.is_set()


@pytest.mark.django_db(transaction=True)
def test_the_worker_sweeps_for_lost_jobs_while_it_runs(council: Council) -> None:
    from changemaker.core.management.commands.db_worker import Sweeper

    job = _orphan("tests.not_retried", council)
    sweeper = Sweeper(every=0.01)
    sweeper.start()
    try:
        for _ in range(500):
            job.refresh_from_db()
            if job.status == Job.Status.FAILED:
                break
            threading.Event().wait(0.01)
    finally:
        sweeper.stopped.set()
        sweeper.join()
    assert job.status == Job.Status.FAILED and job.was_lost


@pytest.fixture
def short_sqlite_timeout() -> Iterator[str]:
    """This test's connections wait 0.2 s for a lock (not 30 s); yields the database file."""
    options = connection.settings_dict["OPTIONS"]
    saved = options.get("timeout")
    options["timeout"] = 0.2
    connection.close()
    yield connection.settings_dict["NAME"]
    options["timeout"] = saved
    connection.close()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's database-wide write lock")
@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_out_a_locked_database(
    council: Council, short_sqlite_timeout: str, caplog: pytest.LogCaptureFixture
) -> None:
    job = actions.start_job("core.selfcheck", title="Self-check", council=council)
    holder = sqlite3.connect(short_sqlite_timeout, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another process writing for a long time
    release = threading.Timer(1.5, holder.rollback)
    release.start()
    try:
        with caplog.at_level(logging.WARNING, logger="changemaker.core.worker"):
            _run_worker()
    finally:
        release.cancel()
        holder.close()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert "database is locked" in caplog.text


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_sqlite_keeps_a_write_ahead_log(db: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 30_000


def test_job_page_says_the_worker_stopped(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    job = Job.objects.create(
        kind="core.selfcheck",
        title="Count",
        council=council,
        status=Job.Status.FAILED,
        error=jobs.LOST_ERROR,
        lost_at=timezone.now(),
    )
    client = client_as(Role.ENGAGEMENT_OFFICER)
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "The background worker running this job stopped" in page
    Job.objects.filter(pk=job.pk).update(status=Job.Status.QUEUED, error="")
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "it is being run again from the start" in page


def test_cli_list_shows_why_a_job_failed(council: Council) -> None:
    from changemaker.core.cli import jobs as jobs_cli

    Job.objects.create(
        kind="core.selfcheck",
        title="Self-check",
        council=council,
        status=Job.Status.FAILED,
        error=jobs.LOST_ERROR,
        lost_at=timezone.now(),
    )
    listed = CliRunner().invoke(jobs_cli, ["list"])
    assert listed.exit_code == 0
    assert "failed: The background worker running this job stopped" in listed.output


def test_run_job_leaves_a_job_that_is_no_longer_queued(council: Council) -> None:
    job = Job.objects.create(
        kind="core.selfcheck", title="Done", council=council, status=Job.Status.FAILED
    )
    assert run_job.call(str(job.pk)) == Job.Status.FAILED
    job.refresh_from_db()
    assert job.attempts == 0
