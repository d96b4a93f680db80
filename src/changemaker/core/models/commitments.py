"""What a council promised, where the promise came from, and how far it has got.

One model for every promise: a funded budget idea's delivery, an action from a consultation,
a pilot's next step, a staff survey's action, or the council's own. ``source`` names where it
came from as a followable key ("app.model:12", see ``core.notices.subject_key``), so
core never imports the capability that made it. A parent commitment's progress is rolled up
from its children (weighted); the figures shown are stored, written only by actions.

Everything here is public once ``published``: nothing personal (an owner is a team or a post,
never a person's name; who wrote an update is kept for the audit, not shown).
"""

from __future__ import annotations

import secrets

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .accounts import User
from .councils import Council, Ward


def commitment_document_path(instance: object, filename: str) -> str:
    """Documents live under a guarded folder with a random name (the original is kept in the
    milestone's ``document_name``)."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"commitment-documents/{secrets.token_hex(16)}.{suffix[:8]}"


class Commitment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DELAYED = "delayed", _("Delayed")
        DONE = "done", _("Done")
        STOPPED = "stopped", _("Stopped")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="commitments")
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    title = models.CharField(_("what we will do"), max_length=200)
    title_cy = models.CharField(_("what we will do, in Welsh"), max_length=200, blank=True)
    description = models.TextField(_("more detail"), blank=True)
    description_cy = models.TextField(_("more detail, in Welsh"), blank=True)
    #: where the promise came from: a followable key ("app.model:12"), or "" for the
    #: council's own
    source = models.CharField(_("where it came from"), max_length=120, blank=True)
    owner = models.CharField(
        _("team responsible"),
        max_length=150,
        blank=True,
        help_text=_("A team or a post, like Parks and open spaces. Not a person's name."),
    )
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    weight = models.PositiveSmallIntegerField(
        _("weight"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("How much this counts towards the commitment it belongs to"),
    )
    due = models.DateField(_("due by"), null=True, blank=True)
    published = models.BooleanField(_("shown to the public"), default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due", "pk"]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        indexes = [models.Index(fields=["council", "source"], name="commitment_source")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="commitment_progress_max"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Milestone(models.Model):
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    title_cy = models.CharField(_("milestone, in Welsh"), max_length=200, blank=True)
    due = models.DateField(_("due by"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    document = models.FileField(_("document"), upload_to=commitment_document_path, blank=True)
    document_name = models.CharField(_("document title"), max_length=200, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self) -> str:
        return self.title


class CommitmentUpdate(models.Model):
    """One step on a commitment's timeline, shown on its public page."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("update"))
    text_cy = models.TextField(_("update, in Welsh"), blank=True)
    #: the status and progress the update set ("" / None: unchanged)
    status = models.CharField(max_length=12, choices=Commitment.Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)
    #: kept for the audit trail; never shown on public pages
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    #: what wrote the update when a rule did, not a person ("app.rule"); blank for
    #: an officer's own. A rule undoes only its own steps, never an officer's with like words.
    reason = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"update #{self.pk}"
