"""Background jobs: a registry of handlers and the one task that runs them.

A capability registers a handler for a job kind::

    @register("budgeting.count")
    def count(job: Job) -> dict:
        job.report(0, total=3, message="Reading the ballots")
        ...
        return {"selected": [...]}  # stored as job.result

``actions.start_job`` queues it; the worker (``manage.py db_worker``) runs it with
progress that pages and ``changemaker jobs`` show.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.tasks import task
from django.utils import timezone

from changemaker.core.models import Job

Handler = Callable[[Job], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
log = logging.getLogger(__name__)


class JobFailed(Exception):
    """Raise from a handler with a message that is safe to show (no personal data)."""


_EVERY: dict[str, timedelta] = {}


def register(kind: str, *, every: timedelta | None = None) -> Callable[[Handler], Handler]:
    """Register a handler; with ``every`` the job is scheduled: each run queues the next."""

    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        if every is not None:
            _EVERY[kind] = every
        return handler

    return decorator


def schedule(kind: str, *, delay: timedelta | None = None) -> Job | None:
    """Queue the next run of a scheduled job, unless one is already waiting."""
    from changemaker.core.actions import start_job

    if Job.objects.filter(kind=kind, status=Job.Status.QUEUED).exists():
        return None
    title = f"Scheduled: {kind}"
    return start_job(kind, title=title, delay=delay if delay is not None else _EVERY[kind])


def ensure_schedules() -> list[str]:
    """Make sure every scheduled job has a run waiting (safe to call at every start)."""
    return [kind for kind in sorted(_EVERY) if schedule(kind, delay=timedelta(0)) is not None]


def get_handler(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError:
        raise KeyError(f"No job handler registered for {kind!r}") from None


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    try:
        result = get_handler(job.kind)(job)
    except JobFailed as exc:
        _finish(job, Job.Status.FAILED, error=str(exc))
    except Exception:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, Job.Status.FAILED, error="Something went wrong. The team has been told.")
        raise
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result)
    finally:
        if job.kind in _EVERY:
            schedule(job.kind)
    return job.status


def _finish(job: Job, status: str, *, result: Any = None, error: str = "") -> None:
    job.refresh_from_db()
    job.status = status
    job.result = result or {}
    job.error = error
    job.finished_at = timezone.now()
    if status == Job.Status.SUCCEEDED and job.total:
        job.done = job.total
    job.save(update_fields=["status", "result", "error", "finished_at", "done"])


@register("core.selfcheck")
def selfcheck(job: Job) -> dict[str, Any]:
    """A real, small job: checks the database and the audit log, step by step."""
    from changemaker.core.models import AuditEvent, Council, User

    steps: list[tuple[str, Callable[[], int]]] = [
        ("Counting councils", lambda: Council.objects.count()),
        ("Counting accounts", lambda: User.objects.count()),
        ("Counting audit events", lambda: AuditEvent.objects.count()),
    ]
    counts: dict[str, int] = {}
    job.report(0, total=len(steps), message=steps[0][0])
    for done, (label, count) in enumerate(steps, start=1):
        counts[label.removeprefix("Counting ")] = count()
        job.report(done, message=label)
    return counts
