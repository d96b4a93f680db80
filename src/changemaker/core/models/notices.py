"""The outbox of notices: something happened that people may want to hear about.

A capability publishes a notice inside the action that made it happen (one transaction, see
``core.notices.publish``); whichever capability delivers notices reads them from here. Core
knows nothing about who follows what, nor how anyone hears.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .councils import Council


class Notice(models.Model):
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="notices")
    #: what happened, named by the capability that declared it ("pilots.result_out")
    kind = models.CharField(_("kind"), max_length=64)
    #: the followable things it is about: "app.model:id" or "ward:id" (no personal data)
    subjects = models.JSONField(default=list, blank=True)
    #: the people it is directly for (user ids): the author of an idea, a ballot's voter
    recipients = models.JSONField(default=list, blank=True)
    #: what the words need at send time: nothing personal beyond what recipients may see
    params = models.JSONField(default=dict, blank=True)
    #: published once: a second publish with the same key in a council changes nothing
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: when it was handed on to the people it concerns (the outbox's "sent" mark)
    dispatched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "key"], condition=~Q(key=""), name="notice_key_once"
            )
        ]
        indexes = [models.Index(fields=["dispatched_at"], name="notice_waiting")]

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"
