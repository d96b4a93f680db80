"""Consultations as conversations (the Polis method): statements, votes, opinion maps."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, User

MAX_STATEMENT = 280
MIN_PEOPLE_FLOOR = 5
"""No consultation may show its map to fewer people than this, whatever it asks for."""


def default_min_participants() -> int:
    """The install's default: CHANGEMAKER_CONSULTATION_MIN_PARTICIPANTS (7 unless set)."""
    return max(MIN_PEOPLE_FLOOR, int(settings.CHANGEMAKER_CONSULTATION_MIN_PARTICIPANTS))


class Consultation(models.Model):
    class Moderation(models.TextChoices):
        BEFORE = "before", _("Check statements before they are shown")
        AFTER = "after", _("Show statements at once and check them after")

    class Audience(models.TextChoices):
        ANYONE = "anyone", _("Anyone")
        RESIDENTS = "residents", _("Residents with an account")
        INVITED = "invited", _("Invited people only")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="consultations")
    slug = models.SlugField(_("short name"), max_length=80)
    question = models.CharField(_("question"), max_length=200)
    question_cy = models.CharField(_("question in Welsh"), max_length=200, blank=True)
    background = models.TextField(_("background"), blank=True)
    background_cy = models.TextField(_("background in Welsh"), blank=True)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.AFTER
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.ANYONE)
    invited = models.ManyToManyField(User, blank=True, related_name="+")
    source = models.CharField(_("imported from"), max_length=200, blank=True)
    min_participants = models.PositiveSmallIntegerField(
        _("people needed before the map is shown"),
        default=default_min_participants,
        validators=[MinValueValidator(MIN_PEOPLE_FLOOR)],
    )
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="consultation_slug_unique"),
            models.CheckConstraint(
                condition=Q(opens_at__lt=models.F("closes_at")), name="consultation_dates_in_order"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.opens_at <= timezone.now() < self.closes_at

    @property
    def map_minimum(self) -> int:
        """How many people must be in the map before it (or any group's detail) is shown."""
        return max(MIN_PEOPLE_FLOOR, self.min_participants)


class Participant(models.Model):
    """Someone taking part: signed in, or anonymous with a per-browser identifier (hashed)."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="participants"
    )
    number = models.PositiveIntegerField()  # the participant id in the Polis export
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    browser_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="participant_number"),
            models.UniqueConstraint(
                fields=["consultation", "user"],
                condition=Q(user__isnull=False),
                name="participant_once_per_user",
            ),
            models.UniqueConstraint(
                fields=["consultation", "browser_key"],
                condition=~Q(browser_key=""),
                name="participant_once_per_browser",
            ),
        ]

    def __str__(self) -> str:
        return f"participant #{self.number}"


class Statement(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be checked")
        PUBLISHED = "published", _("Shown")
        REJECTED = "rejected", _("Removed")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="statements"
    )
    number = models.PositiveIntegerField()  # the comment id in the Polis export
    text = models.TextField(validators=[MaxLengthValidator(MAX_STATEMENT)])
    # the Welsh version: written with a seed statement, or later by a moderator
    text_cy = models.TextField(blank=True, validators=[MaxLengthValidator(MAX_STATEMENT)])
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="statements"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    is_seed = models.BooleanField(default=False)
    is_meta = models.BooleanField(default=False)
    moderation_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "number"], name="statement_number"),
        ]

    def __str__(self) -> str:
        return f"statement #{self.number}"


class Vote(models.Model):
    """A participant's latest vote on a statement: +1 agree, -1 disagree, 0 pass."""

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField()
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "statement"], name="vote_once"),
            models.CheckConstraint(condition=Q(value__in=[-1, 0, 1]), name="vote_value"),
        ]

    def __str__(self) -> str:
        return f"vote #{self.pk}"


class Report(models.Model):
    """Someone reporting a statement as abusive."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="reports")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="report_once"),
        ]

    def __str__(self) -> str:
        return f"report #{self.pk}"


class OpinionSnapshot(models.Model):
    """The last computed opinion map; pages read this, never wait for the maths."""

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="snapshots"
    )
    computed_at = models.DateTimeField(default=timezone.now)
    votes = models.PositiveIntegerField()
    result = models.JSONField()
    warm_state = models.JSONField(null=True, blank=True)  # lets the next run start warm

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"opinion map #{self.pk}"
