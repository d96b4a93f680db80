"""Background jobs: a registry of handlers and the one task that runs them.

A capability registers a handler for a job kind::

    @register("pilots.analyse")
    def analyse(job: Job) -> dict:
        job.report(0, total=3, message="Reading the outcomes")
        ...
        return {"estimate": ...}  # stored as job.result

``actions.start_job`` queues it; the worker (``manage.py db_worker``) runs it with
progress that pages and ``changemaker jobs`` show.

While a handler runs, a thread of the worker beats (``Job.heartbeat_at``) every
``settings.JOBS_HEARTBEAT_SECONDS``, even when the handler is busy in one long call. A running
job with no beat for ``settings.JOBS_LOST_AFTER_SECONDS`` lost its worker (killed, out of
memory): ``recover_lost_jobs`` fails it (or queues it
once more if its handler is registered with ``retry_when_lost=True``); its kind's ``on_failed``
marks the partial work failed (the insight run). Workers run that at
start-up and every ``settings.JOBS_SWEEP_SECONDS``; ``start_job`` runs it for its kind.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from types import TracebackType
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from changemaker.core import audit
from changemaker.core.models import Council, Job, User

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
#: kind -> how its result reads to a person: plain sentences (translated when shown)
_DESCRIBE: dict[str, Callable[[dict[str, Any]], list[str]]] = {}


def register(
    kind: str,
    *,
    every: timedelta | None = None,
    retry_when_lost: bool = False,
    on_failed: Callable[[Job], object] | None = None,
    describe: Callable[[dict[str, Any]], list[str]] | None = None,
) -> Callable[[Handler], Handler]:
    """Register a handler; with ``every`` the job is scheduled: each run queues the next.

    ``describe(result)`` says what a finished job did in plain sentences for its page (the
    result itself is data for code: "funded: {...}" is not for people).

    ``retry_when_lost``: the handler writes nothing until one final transaction (or only
    idempotent writes), so a run whose worker died may start again once. ``on_failed(job)``
    is called whenever a job of this kind fails (its handler raised, or its worker died) to
    mark its partial work failed; it must be idempotent."""

    def decorator(handler: Handler) -> Handler:
        _HANDLERS[kind] = handler
        if every is not None:
            _EVERY[kind] = every
        _LOST[kind] = LostPolicy(retry=retry_when_lost, on_failed=on_failed)
        if describe is not None:
            _DESCRIBE[kind] = describe
        return handler

    return decorator


def summary(job: Job) -> list[str]:
    """What a finished job did, in plain sentences: its kind's ``describe``, or else the
    result's plain values ("Sent: 3") — never nested data."""
    result = job.result if isinstance(job.result, dict) else {}
    if not result:
        return []
    describe = _DESCRIBE.get(job.kind)
    if describe is not None:
        return [str(line) for line in describe(result)]
    lines = []
    for key, value in result.items():
        if key in {"warnings", "link"} or isinstance(value, dict | list | tuple):
            continue
        label = str(key).replace("_", " ").strip()
        lines.append(f"{label[:1].upper()}{label[1:]}: {value}")
    return lines


def lost_policy(kind: str) -> LostPolicy:
    return _LOST.get(kind, LostPolicy())


def is_scheduled(kind: str) -> bool:
    return kind in _EVERY


def enqueue(
    kind: str,
    *,
    title: str,
    params: dict[str, Any] | None = None,
    council: Council | None = None,
    by: User | None = None,
    delay: timedelta | None = None,
) -> Job:
    """Create the job and hand it to the task queue once the transaction commits (audited).
    Callers use ``core.actions.start_job``, which first heals lost jobs of the kind."""
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, title=title, params=params or {}, council=council, created_by=by
        )
        audit.record("job.started", actor=by, council=council, obj=job, kind=kind)
        job_id = str(job.pk)
        task = run_job.using(run_after=timezone.now() + delay) if delay else run_job
        transaction.on_commit(lambda: task.enqueue(job_id))
    return job


def schedule(kind: str, *, delay: timedelta | None = None) -> Job | None:
    """Queue the next run of a scheduled job, unless one is already waiting."""
    if Job.objects.filter(kind=kind, status=Job.Status.QUEUED).exists():
        return None
    title = f"Scheduled: {kind}"
    return enqueue(kind, title=title, delay=delay if delay is not None else _EVERY[kind])


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


#: Why a job failed when its worker died (stored in Job.error; pages show it translated).
LOST_ERROR = gettext_noop(
    "The background worker running this job stopped before the job finished (it was "
    "restarted, stopped or ran out of memory). Nothing from this run was kept. Start it again."
)


class WorkerLost(Exception):
    """Recorded on the task of a job whose worker died."""


def _lost_job_ids(kind: str | None, cutoff: Any) -> list[Any]:
    """Running jobs with no heartbeat since ``cutoff``, and queued jobs older than it that no
    worker will ever pick up (their task was claimed by a dead worker, failed or never
    queued)."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    jobs = Job.objects.all() if kind is None else Job.objects.filter(kind=kind)
    running = jobs.filter(status=Job.Status.RUNNING).filter(
        Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    )
    ids = list(running.values_list("pk", flat=True))
    for job_id in jobs.filter(status=Job.Status.QUEUED, created_at__lt=cutoff).values_list(
        "pk", flat=True
    ):
        waiting = DBTaskResult.objects.filter(args_kwargs__args=[str(job_id)]).filter(
            Q(status=TaskResultStatus.READY)
            | Q(status=TaskResultStatus.RUNNING, started_at__gte=cutoff)
        )
        if not waiting.exists():
            ids.append(job_id)
    return ids


def recover_lost_jobs(*, kind: str | None = None) -> list[Job]:
    """Deal with jobs whose worker died (no heartbeat for ``settings.JOBS_LOST_AFTER_SECONDS``):
    queue each once more if its handler is safe to retry (or it never started), otherwise fail
    it with a plain reason and let its kind mark its partial work failed (``on_failed``).
    One transaction per job, each audited ("job.lost"). Returns the jobs dealt with."""
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    cutoff = now - timedelta(seconds=settings.JOBS_LOST_AFTER_SECONDS)
    recovered = []
    for job_id in _lost_job_ids(kind, cutoff):
        with transaction.atomic():
            job = Job.objects.select_for_update().filter(pk=job_id).first()
            if job is None or job.pk not in _lost_job_ids(job.kind, cutoff):
                continue  # it beat, finished or was recovered meanwhile
            policy = lost_policy(job.kind)
            for dead in DBTaskResult.objects.filter(
                args_kwargs__args=[str(job.pk)], status=TaskResultStatus.RUNNING
            ):
                dead.set_failed(WorkerLost("The worker stopped while running this task."))
            retry = (policy.retry or job.status == Job.Status.QUEUED) and job.lost_at is None
            job.lost_at = now
            if retry:
                job.status = Job.Status.QUEUED
                job.heartbeat_at = None
                job.save(update_fields=["status", "lost_at", "heartbeat_at"])
                transaction.on_commit(functools.partial(run_job.enqueue, str(job.pk)))
            else:
                job.status = Job.Status.FAILED
                job.error = LOST_ERROR
                job.finished_at = now
                job.save(update_fields=["status", "lost_at", "error", "finished_at"])
                if policy.on_failed is not None:
                    policy.on_failed(job)
            audit.record(
                "job.lost",
                council=job.council,
                obj=job,
                kind=job.kind,
                attempts=job.attempts,
                outcome="queued again" if retry else "failed",
            )
            if not retry and is_scheduled(job.kind):
                transaction.on_commit(functools.partial(schedule, job.kind))
            recovered.append(job)
    return recovered
