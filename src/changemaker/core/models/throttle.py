"""Counters for throttles on anonymous writes (see ``changemaker.core.throttle``)."""

from __future__ import annotations

from django.db import models


class ThrottleCount(models.Model):
    """How many times one throttle was passed in its current window.

    ``key`` is a keyed hash of the throttle's name and scope (an address, a participant...), so
    no address is stored. A window starts at the first hit and lasts the throttle's period.
    """

    key = models.CharField(max_length=64, unique=True)
    count = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"throttle {self.key[:8]}"
