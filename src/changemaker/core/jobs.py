"""Background jobs: a registry of handlers and the one task that runs them.

A capability registers a handler for a job kind::

    @register("budgeting.count")
    def count(job: Job) -> dict:
        job.report(0, total=3, message="Reading the ballots")
        ...
        return {"selected": [...]}  # stored as job.result

``actions.start_job`` queues it; the worker (``manage.py db_worker``) runs it with
progress that pages and ``changemaker jobs`` show.

While a handler runs, a thread of the worker beats (``Job.heartbeat_at``) every
``settings.JOBS_HEARTBEAT_SECONDS``, even when the handler is busy in one long call. A running
job with no beat for ``settings.JOBS_LOST_AFTER_SECONDS`` lost its worker (killed, out of
memory): ``actions.recover_lost_jobs`` fails it (or queues it
once more if its handler is registered with ``retry_when_lost=True``); its kind's ``on_failed``
marks the partial work failed (the insight run). Workers run that at
start-up and every ``settings.JOBS_SWEEP_SECONDS``; ``start_job`` runs it for its kind.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import connections
from django.tasks import task
from django.utils import timezone

from changemaker.core.models import Job

Handler = Callable[[Job], dict[str, Any]]
_HANDLERS: dict[str, Handler] = {}
log = logging.getLogger(__name__)


SOMETHING_WENT_WRONG = "Something went wrong. The team has been told."


class JobFailed(Exception):
    """Raise from a handler with a message that is safe to show (no personal data)."""


_EVERY: dict[str, timedelta] = {}


@dataclass(frozen=True)
class LostPolicy:
    """What to do when a job of this kind lost its worker."""

    retry: bool = False  # queue it once more: the handler is safe to run again from the start
    on_failed: Callable[[Job], object] | None = None  # mark its partial work failed


_LOST: dict[str, LostPolicy] = {}


def register(
    kind: str,
    *,
    every: timedelta | None = None,
    retry_when_lost: bool = False,
    on_failed: Callable[[Job], object] | None = None,
) -> Callable[[Handler], Handler]:
    """Register a handler; with ``every`` the job is scheduled: each run queues the next.

    ``retry_when_lost``: the handler writes nothing until one final transaction (or only
    idempotent writes), so a run whose worker died may start again once. ``on_failed(job)``
    is called whenever a job of this kind fails (its handler raised, or its worker died) to
    mark its partial work failed; it must be idempotent."""

    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        if every is not None:
            _EVERY[kind] = every
        _LOST[kind] = LostPolicy(retry=retry_when_lost, on_failed=on_failed)
        return handler

    return decorator


def lost_policy(kind: str) -> LostPolicy:
    return _LOST.get(kind, LostPolicy())


def is_scheduled(kind: str) -> bool:
    return kind in _EVERY


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


class Heartbeat:
    """A thread that beats for a running job until stopped, on its own database connection.

    A thread, not the handler, so that a handler busy in one long call (Splink, OR-Tools,
    numpy: they release the GIL) still shows its worker is alive."""

    def __init__(self, job_id: Any, attempt: int, every: float | None = None) -> None:
        self.job_id = job_id
        self.attempt = attempt
        self.every = every if every is not None else settings.JOBS_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"job-beat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        try:
            while not self._stop.wait(self.every):
                try:
                    Job.objects.filter(
                        pk=self.job_id, status=Job.Status.RUNNING, attempts=self.attempt
                    ).update(heartbeat_at=timezone.now())
                except Exception:  # a locked or lost database: beat again next time
                    log.warning("Job %s: could not record the heartbeat", self.job_id)
        finally:
            connections.close_all()  # this thread's own connections


@task()
def run_job(job_id: str) -> str:
    job = Job.objects.get(pk=job_id)
    if job.status != Job.Status.QUEUED:  # failed as lost while waiting, or already run
        return job.status
    now = timezone.now()
    attempt = job.attempts + 1
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.RUNNING, started_at=now, heartbeat_at=now, attempts=attempt
    )
    job.refresh_from_db()
    try:
        with Heartbeat(job.pk, attempt):
            result = get_handler(job.kind)(job)
    except JobFailed as exc:
        _finish(job, attempt, Job.Status.FAILED, error=str(exc))
    except Exception:
        log.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(job, attempt, Job.Status.FAILED, error=SOMETHING_WENT_WRONG)
        raise
    else:
        _finish(job, attempt, Job.Status.SUCCEEDED, result=result)
    finally:
        if job.kind in _EVERY:
            schedule(job.kind)
    return job.status


def _finish(job: Job, attempt: int, status: str, *, result: Any = None, error: str = "") -> None:
    """Record the outcome, unless the job was meanwhile taken as lost (then that stands)."""
    fields: dict[str, Any] = {
        "status": status,
        "result": result or {},
        "error": error,
        "finished_at": timezone.now(),
    }
    if status == Job.Status.SUCCEEDED:
        job.refresh_from_db(fields=["total"])
        if job.total:
            fields["done"] = job.total
    updated = Job.objects.filter(pk=job.pk, status=Job.Status.RUNNING, attempts=attempt).update(
        **fields
    )
    job.refresh_from_db()
    on_failed = lost_policy(job.kind).on_failed
    if updated and status == Job.Status.FAILED and on_failed is not None:
        try:
            on_failed(job)
        except Exception:
            log.exception(
                "Job %s (%s): marking its partial work failed went wrong", job.pk, job.kind
            )


@register("core.selfcheck", retry_when_lost=True)
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
