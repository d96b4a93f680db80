"""Background jobs run on the database queue with progress shown in pages and the CLI."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from changemaker.core import actions
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Council, Job, Role, User

HOST = {"HTTP_HOST": "exampleton.test"}


@register("tests.fails")
def _fails(job: Job) -> dict[str, object]:
    job.report(1, total=4, message="Halfway there")
    raise JobFailed("Line 3 of the file has no project id")


def _run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


@pytest.mark.django_db(transaction=True)
def test_job_runs_on_the_database_queue(council: Council, make_user: Callable[..., User]) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    job = actions.start_job("core.selfcheck", title="Self-check", council=council, by=officer)
    assert job.status == Job.Status.QUEUED
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED
    assert (job.done, job.total, job.percent) == (3, 3, 100)
    assert job.result["councils"] == 1 and job.result["accounts"] == 1
    assert job.started_at is not None and job.finished_at >= job.started_at


@pytest.mark.django_db(transaction=True)
def test_failed_job_keeps_its_progress_and_a_safe_message(council: Council) -> None:
    job = actions.start_job("tests.fails", title="Failing", council=council)
    _run_worker()
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.error == "Line 3 of the file has no project id"
    assert (job.done, job.total, job.message) == (1, 4, "Halfway there")


def test_unknown_job_kind_fails_at_once(council: Council) -> None:
    with pytest.raises(KeyError):
        actions.start_job("no.such.kind", title="x", council=council)
    assert not Job.objects.exists()


def test_job_page_shows_progress_with_and_without_javascript(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    job = Job.objects.create(
        kind="core.selfcheck",
        title="Count",
        council=council,
        status=Job.Status.RUNNING,
        done=2,
        total=8,
        message="Counting",
    )
    client = client_as(Role.ENGAGEMENT_OFFICER)
    page = client.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert 'value="25"' in page and "Counting" in page
    assert "Refresh to see progress" in page  # the no-JavaScript way
    assert "hx-trigger" in page  # htmx polls when JavaScript is on
    partial = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true", **HOST)
    assert "<html" not in partial.content.decode() and "25%" in partial.content.decode()


def test_start_self_check_from_the_page(
    client_as: Callable[[str | None], Client],
    council: Council,
    django_capture_on_commit_callbacks: Callable[..., object],
) -> None:
    client = client_as(Role.SUPPORT_COORDINATOR)
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[attr-defined]
        response = client.post(reverse("core:job-selfcheck"), **HOST)
    job = Job.objects.get()
    assert response["Location"] == reverse("core:job", args=[job.pk])


def test_cli_lists_and_follows_jobs(council: Council) -> None:
    from changemaker.core.cli import jobs

    job = Job.objects.create(
        kind="core.selfcheck",
        title="Self-check",
        council=council,
        status=Job.Status.SUCCEEDED,
        done=3,
        total=3,
    )
    listed = CliRunner().invoke(jobs, ["list"])
    assert listed.exit_code == 0 and str(job.pk) in listed.output and "100%" in listed.output
    followed = CliRunner().invoke(jobs, ["follow", str(job.pk), "--interval", "0"])
    assert followed.exit_code == 0 and "Finished: 100%" in followed.output
    missing = CliRunner().invoke(jobs, ["follow", "not-a-uuid"])
    assert missing.exit_code != 0 and "No job" in missing.output


@register("tests.daily", every=timedelta(days=1))
def _daily(job: Job) -> dict[str, object]:
    return {"ran": True}


@pytest.mark.django_db(transaction=True)
def test_scheduled_job_queues_its_next_run() -> None:
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from changemaker.core.jobs import schedule

    first = schedule("tests.daily", delay=timedelta(0))
    assert first is not None
    assert schedule("tests.daily") is None  # one waiting run at most
    _run_worker()
    first.refresh_from_db()
    assert first.status == Job.Status.SUCCEEDED
    following = Job.objects.get(kind="tests.daily", status=Job.Status.QUEUED)
    waiting = DBTaskResult.objects.filter(args_kwargs__args=[str(following.pk)]).get()
    assert waiting.run_after > timezone.now() + timedelta(hours=23)


def test_start_schedules_is_idempotent(db: None) -> None:
    from io import StringIO

    out = StringIO()
    call_command("start_schedules", stdout=out)
    assert "support.retention" in out.getvalue()
    queued = Job.objects.filter(status=Job.Status.QUEUED).count()
    call_command("start_schedules", stdout=StringIO())
    assert Job.objects.filter(status=Job.Status.QUEUED).count() == queued


@pytest.mark.django_db
def test_a_job_page_says_what_happened_in_words_not_data(
    client_as: Callable[[str | None], Client], council: Council
) -> None:
    from changemaker.core.jobs import register, summary

    @register("tests.described", describe=lambda r: [f"{r['sent']} reminders sent"])
    def described(job: Job) -> dict[str, Any]:
        return {}

    done = Job.objects.create(
        kind="tests.described", title="T", council=council, result={"sent": 3, "by": {"a": []}}
    )
    raw = Job.objects.create(
        kind="core.selfcheck", title="T", council=council, result={"raised_flags": 0, "x": [1]}
    )
    assert summary(done) == ["3 reminders sent"]
    assert summary(raw) == ["Raised flags: 0"]  # plain values only, nested data left out
    page = client_as(Role.COUNCIL_ADMIN).get(
        reverse("core:job", args=[done.pk]), HTTP_HOST="exampleton.test"
    )
    text = page.content.decode()
    assert "3 reminders sent" in text and "{" not in text.split("govuk-summary-list")[1]
