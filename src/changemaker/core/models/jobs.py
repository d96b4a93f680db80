from __future__ import annotations

import uuid
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .councils import Council


class Job(models.Model):
    """Long work (a count, an opinion map, a linkage run) with progress people can follow."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Finished")
        FAILED = "failed", _("Failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, null=True, blank=True, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=64)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=200, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The worker running the job writes this every few seconds (and at each report). A running
    # job with no beat for settings.JOBS_LOST_AFTER_SECONDS lost its worker: see core.jobs.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    lost_at = models.DateTimeField(
        null=True, blank=True, help_text=_("When the job was found without a live worker.")
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")

    def __str__(self) -> str:
        return self.title

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return int(100 * self.done / self.total) if self.total else 0

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.FAILED}

    @property
    def was_lost(self) -> bool:
        """True when a worker died while running it (it then failed, or is being retried)."""
        return self.lost_at is not None

    def report(self, done: int, total: int | None = None, message: str = "") -> None:
        """Record progress at once, visible to pages and the CLI while the job runs."""
        fields: dict[str, Any] = {"done": done, "message": message[:200]}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=self.pk).update(heartbeat_at=timezone.now(), **fields)
        for key, value in fields.items():
            setattr(self, key, value)
