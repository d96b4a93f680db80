"""The staff culture survey: surveys and their items, waves, the organisation chart frozen for
each wave, invitations, anonymous responses, the stored report and units' actions.

Anonymity by design (issue 18): an ``Invitation`` keeps a hash of its link's token, the unit
and the day it was used, never an email address; a ``Response`` keeps the unit, the answers and
the one self-described characteristic, never a person, an invitation, a token or a time (not
even the day: a unit's one invitation used on a day would otherwise point at its response).
Response ids are random and the rows are rewritten in random order when the wave closes, so
not even the order of rows tells when someone answered. Neither model is in the Django admin.
A free-text ``Comment`` is kept the same way, with the wave only (not even the unit).
"""

from __future__ import annotations

import uuid

from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, User

#: The smallest minimum reporting group a survey lead may choose (issue 18: never below 5).
LOWEST_MIN_GROUP = 5
DEFAULT_MIN_GROUP = 10


class Instrument(models.TextChoices):
    STAFF = "staff", _("Staff survey: the four norms of a changemaking culture")
    LEADERSHIP = "leadership", _("Leadership team self-assessment (Nesta's operating model)")


class Survey(models.Model):
    """A council's survey: its instrument (the items it may ask) and its waves."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="surveys")
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("name in Welsh"), max_length=120, blank=True)
    instrument = models.CharField(
        _("instrument"), max_length=16, choices=Instrument.choices, default=Instrument.STAFF
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="culture_survey_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class SurveyItem(models.Model):
    """One statement a survey may ask, copied from the item bank (with its source and licence)
    or written by the council. Items are never deleted: a wave keeps the ones it asked."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(_("item id"), max_length=40)
    scale = models.CharField(_("norm"), max_length=40)
    text = models.CharField(_("statement"), max_length=300)
    text_cy = models.CharField(_("statement in Welsh"), max_length=300, blank=True)
    reverse = models.BooleanField(_("reverse-keyed"), default=False)
    source = models.CharField(_("source"), max_length=200)
    licence = models.CharField(_("licence"), max_length=60)
    reference = models.CharField(max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    chosen = models.BooleanField(_("asked in the next wave"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["survey", "code"], name="culture_item_once")]

    def __str__(self) -> str:
        return self.code

    @property
    def wording(self) -> str:
        """The statement in the language of the page: Welsh when it has Welsh wording."""
        if self.text_cy and (get_language() or "").startswith("cy"):
            return self.text_cy
        return self.text


class Wave(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="waves")
    name = models.CharField(_("name"), max_length=60)
    name_cy = models.CharField(_("name in Welsh"), max_length=60, blank=True)
    min_group = models.PositiveSmallIntegerField(
        _("minimum reporting group"),
        default=DEFAULT_MIN_GROUP,
        validators=[MinValueValidator(LOWEST_MIN_GROUP)],
    )
    characteristic = models.CharField(_("characteristic question"), max_length=80, blank=True)
    characteristic_cy = models.CharField(
        _("characteristic question in Welsh"), max_length=80, blank=True
    )
    characteristic_options = models.JSONField(default=list, blank=True)
    #: the options' Welsh, in the same order (blank: not translated yet); answers keep the
    #: English option, so the report's groups are the same whatever language people answered in
    characteristic_options_cy = models.JSONField(default=list, blank=True)
    comment_question = models.CharField(_("comment question"), max_length=200, blank=True)
    comment_question_cy = models.CharField(
        _("comment question in Welsh"), max_length=200, blank=True
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.DRAFT)
    items = models.ManyToManyField(SurveyItem, blank=True, related_name="waves")
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="culture_wave_name_once"),
            models.CheckConstraint(
                condition=models.Q(min_group__gte=LOWEST_MIN_GROUP),
                name="culture_min_group_at_least_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def council(self) -> Council:
        return self.survey.council


class OrgUnit(models.Model):
    """A reporting unit of one wave (the chart is frozen when the wave opens)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("unit id"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["wave", "code"], name="culture_unit_once")]

    def __str__(self) -> str:
        return self.name


class UnitManager(models.Model):
    """Who manages a unit (from the staff list): they see its subtree's results."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="managers")
    email = models.EmailField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "email"], name="culture_manager_once")
        ]

    def __str__(self) -> str:
        return f"manager #{self.pk}"


class Invitation(models.Model):
    """A link sent to one member of staff. No email address; ``draft`` holds answers saved
    before sending them and is emptied when they are sent (or the wave closes)."""

    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="invitations")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    responded_on = models.DateField(null=True, blank=True)
    draft = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"invitation #{self.pk}"


class Response(models.Model):
    """One person's answers: no person, no invitation, no time (see the module docstring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="responses")
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    characteristic = models.CharField(max_length=80, blank=True)
    answers = models.JSONField(default=dict)

    def __str__(self) -> str:
        return "response"


class Comment(models.Model):
    """A free-text comment, kept with the wave only: no unit, no person, no invitation, no
    time, a random id, rewritten in random order at closing like responses. Shown to the
    survey lead for the whole organisation only, after the name check (``engine/names.py``):
    a comment with words that look like names waits for the lead's review."""

    class Status(models.TextChoices):
        CLEAR = "clear", _("Passed the name check")
        FLAGGED = "flagged", _("Waiting for review")
        APPROVED = "approved", _("Shown after review")
        WITHHELD = "withheld", _("Not shown")

    SHOWN = (Status.CLEAR, Status.APPROVED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wave = models.ForeignKey(Wave, on_delete=models.CASCADE, related_name="comments")
    text = models.TextField()
    flagged = models.JSONField(default=list, blank=True)  # the words that look like names
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.CLEAR)

    def __str__(self) -> str:
        return "comment"


class WaveReport(models.Model):
    """The engine's report of a closed wave (cells and reliability), as it printed it."""

    wave = models.OneToOneField(Wave, on_delete=models.CASCADE, related_name="report")
    computed_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"report of {self.wave}"


class UnitAction(models.Model):
    """What a unit will do about its weakest norm after a wave."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="actions")
    scale = models.CharField(_("norm"), max_length=40)
    description = models.TextField(_("what you will do"), max_length=2000)
    # a practice that works, chosen from the practice sources (core.registry.practices): the
    # evidence capability's practice library when it is installed
    practice = models.CharField(_("link to a practice that works"), max_length=300, blank=True)
    practice_title = models.CharField(_("practice that works"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"action #{self.pk}"
