"""Email volunteers whose DBS check runs out in 60, 30 or 7 days. Run it daily (idempotent)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from changemaker.support import actions


class Command(BaseCommand):
    help = "Send vetting expiry reminders (60, 30 and 7 days before). Safe to run repeatedly."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = actions.send_vetting_reminders()
        self.stdout.write(f"Sent {sent} reminder(s)")
