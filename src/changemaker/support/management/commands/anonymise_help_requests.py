"""Remove personal details from help requests closed longer ago than the retention period."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from changemaker.support import actions


class Command(BaseCommand):
    help = "Anonymise closed help requests older than each council's retention period."

    def handle(self, *args: Any, **options: Any) -> None:
        done = actions.anonymise_closed_requests()
        self.stdout.write(f"Anonymised {done} request(s)")
