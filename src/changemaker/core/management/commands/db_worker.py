"""``manage.py db_worker``: django-tasks-db's worker, made to heal itself.

- At start-up, and every ``settings.JOBS_SWEEP_SECONDS`` from a thread, it recovers jobs whose
  worker died (``core.jobs.recover_lost_jobs``): detection never depends on the dead worker.
- A locked database (SQLite busy for longer than its timeout) does not stop it: it waits with
  a growing pause (0.5 s doubling up to 30 s) and goes on. Other database errors still stop it.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import OperationalError, connections
from django_tasks_db.management.commands import db_worker
from django_tasks_db.utils import is_locked_database_exception

from changemaker.core import jobs

log = logging.getLogger("changemaker.core.worker")

FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0


def recover(reason: str) -> None:
    """Recover lost jobs; a locked database only postpones it to the next sweep."""
    try:
        lost = jobs.recover_lost_jobs()
    except OperationalError as exc:
        if not is_locked_database_exception(exc):
            raise
        log.warning("The database is locked; lost jobs will be looked for again (%s)", reason)
        return
    for job in lost:
        log.warning("Job %s (%s) lost its worker: %s (%s)", job.pk, job.kind, job.status, reason)


class Sweeper(threading.Thread):
    """Looks for lost jobs every ``every`` seconds until stopped, on its own connection."""

    def __init__(self, every: float) -> None:
        super().__init__(name="job-sweeper", daemon=True)
        self.every = every
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(self.every):
                try:
                    recover("periodic sweep")
                except Exception:
                    log.exception("Looking for lost jobs failed")
        finally:
            connections.close_all()


class Worker(db_worker.Worker):
    """The library's worker, restarted after a locked database, with lost-job sweeps."""

    pause = FIRST_PAUSE

    def run(self) -> None:
        recover("worker start-up")
        sweeper = None
        if not self.batch:
            sweeper = Sweeper(settings.JOBS_SWEEP_SECONDS)
            sweeper.start()
        try:
            self._locked(super().run)
        finally:
            if sweeper is not None:
                sweeper.stopped.set()
                sweeper.join()

    def _locked(self, work: Any) -> None:
        """Run ``work`` until it returns; after a locked database, pause (longer each time
        in a row) and run it again."""
        last_lock = 0.0
        while True:
            try:
                work()
                return
            except OperationalError as exc:
                if not is_locked_database_exception(exc):
                    raise
                now = time.monotonic()
                if now - last_lock > LONGEST_PAUSE * 2:
                    self.pause = FIRST_PAUSE  # the last lock was a while ago: start small again
                last_lock = now
                log.warning("The database is locked; the worker tries again in %.1f s", self.pause)
                connections.close_all()
                if not self.running:
                    return
                time.sleep(self.pause)
                self.pause = min(self.pause * 2, LONGEST_PAUSE)
                self.startup_delay = False


class Command(db_worker.Command):
    help = db_worker.Command.help + " (recovering jobs whose worker died; waits out locks)"

    def handle(self, *args: Any, **options: Any) -> None:
        # The library's handle() builds its module's Worker: give it ours for this command.
        library_worker = db_worker.Worker
        db_worker.Worker = Worker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = library_worker  # type: ignore[misc]
