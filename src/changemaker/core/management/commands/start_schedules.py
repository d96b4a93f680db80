"""Queue the first run of every scheduled job (daily reminders, retention). Idempotent: run it
at every start; each run of a scheduled job queues the next one itself."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from changemaker.core.jobs import ensure_schedules


class Command(BaseCommand):
    help = "Queue the first run of every scheduled background job."

    def handle(self, *args: Any, **options: Any) -> None:
        started = ensure_schedules()
        self.stdout.write(f"Scheduled jobs started: {', '.join(started) or 'none needed'}")
