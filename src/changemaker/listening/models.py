"""Who follows what, how each person hears, and what they were told.

Nothing here is shown to anyone but the person it belongs to. ``__str__`` names no one.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, Notice, User
from changemaker.listening.engine import How


class HowChoices(models.TextChoices):
    AT_ONCE = How.AT_ONCE.value, _("At once")
    DAILY = How.DAILY.value, _("In a daily email")
    WEEKLY = How.WEEKLY.value, _("In a weekly email")
    NEVER = How.NEVER.value, _("Not by email")


def _new_key() -> str:
    return secrets.token_urlsafe(24)


class Follow(models.Model):
    """A person follows a subject ("app.model:id" or "ward:id") in a council."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="follows")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(max_length=120)
    how = models.CharField(
        _("how you hear"), max_length=8, choices=HowChoices.choices, default=HowChoices.AT_ONCE
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "council", "subject"], name="follow_once")
        ]
        indexes = [models.Index(fields=["council", "subject"], name="follow_subject")]

    def __str__(self) -> str:
        return f"follow {self.pk}"


class Preference(models.Model):
    """How one person hears about their own things, their language, and the unsubscribe key
    their emails carry (random, so the link says nothing about them)."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="notice_preference")
    #: notice kind -> how (a kind not listed: at once)
    own = models.JSONField(default=dict, blank=True)
    emails = models.BooleanField(_("send me emails"), default=True)
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    key = models.CharField(max_length=64, unique=True, default=_new_key)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"preferences {self.pk}"

    def how_for(self, kind: str) -> How:
        return How(self.own.get(kind, How.AT_ONCE))


class Notification(models.Model):
    """One notice for one person: listed in the app, and emailed as they chose."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting to be emailed")
        SENT = "sent", _("Emailed")
        NOT_EMAILED = "not_emailed", _("Not emailed (as chosen)")
        FAILED = "failed", _("Could not be emailed")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="+")
    how = models.CharField(max_length=8, choices=HowChoices.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.WAITING)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: why the last try failed: the error's kind only (never an address or a message body)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="notification_once")]
        indexes = [models.Index(fields=["status", "how"], name="notification_due")]

    def __str__(self) -> str:
        return f"notification {self.pk}"


class Report(models.Model):
    """A closed process's "we asked, you said, we did" page: drafted from the data by the
    capability that ran it (``core.registry.ReportSource``), edited and published by an
    officer. One per source. Nothing personal: counts, statements already public, and what
    the council did. A draft is never shown to the public."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    #: the process ("app.model:id"): its kind is the part before the colon
    source = models.CharField(max_length=120)
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    title_cy = models.CharField(_("title in Welsh (optional)"), max_length=200, blank=True)
    we_asked = models.TextField(_("we asked"))
    we_asked_cy = models.TextField(_("we asked, in Welsh (optional)"), blank=True)
    you_said = models.TextField(_("you said"))
    you_said_cy = models.TextField(_("you said, in Welsh (optional)"), blank=True)
    we_did = models.TextField(_("we did"), blank=True)
    we_did_cy = models.TextField(_("we did, in Welsh (optional)"), blank=True)
    decisions = models.TextField(_("decisions taken"), blank=True)
    decisions_cy = models.TextField(_("decisions taken, in Welsh (optional)"), blank=True)
    #: [[label, value], ...] as drafted (in English), shown as a table
    figures = models.JSONField(default=list, blank=True)
    #: the process's own page, and the keys of its items (commitments may name them)
    url = models.CharField(max_length=300, blank=True)
    related_sources = models.JSONField(default=list, blank=True)
    #: the drafted text of each drafted part, so a new draft knows which ones an officer
    #: changed since
    drafted = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    closed_on = models.DateField(null=True, blank=True)
    drafted_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "source"], name="report_once_per_source")
        ]
        indexes = [models.Index(fields=["council", "status", "kind"], name="report_listed")]

    def __str__(self) -> str:
        return self.title
