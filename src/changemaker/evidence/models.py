"""Pilots and evidence: a pilot's register entry (frozen in versions at registration), the
outcome data it uploads, the analyses of that data and the evaluator's rating."""

from __future__ import annotations

from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, User


class Design(models.TextChoices):
    """The engine's designs (``changemaker evidence analyse --design``)."""

    DID = "did", _("Difference-in-differences (units observed over time)")
    DID2X2 = "did2x2", _("Difference-in-differences (two groups, before and after)")
    STAGGERED = "staggered", _("Staggered roll-out (units start at different times)")
    AB = "ab", _("Randomised A/B trial")
    BEFORE_AFTER = "before-after", _("Before and after (no comparison group)")


#: The columns each design reads from the outcome data, besides the outcome.
DESIGN_COLUMNS: dict[str, tuple[str, ...]] = {
    Design.DID: ("unit", "time", "treated"),
    Design.DID2X2: ("group", "post"),
    Design.STAGGERED: ("unit", "time", "first_treated"),
    Design.AB: ("arm",),
    Design.BEFORE_AFTER: ("post",),
}


class Pilot(models.Model):
    """A pilot in the council's register. Registering it freezes version 1 of its plan
    (:class:`PilotVersion`); every later change to the plan makes a new version."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        LIVE = "live", _("Live")
        COMPLETE = "complete", _("Complete")
        PUBLISHED = "published", _("Published")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pilots")
    slug = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=150)
    # the public card's words in Welsh (core.bilingual): not part of the plan's versions
    title_cy = models.CharField(_("title in Welsh"), max_length=150, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    # the problem
    problem = models.TextField(_("problem"))
    problem_cy = models.TextField(_("problem in Welsh"), blank=True)
    affects = models.TextField(_("who it affects"))
    affects_cy = models.TextField(_("who it affects in Welsh"), blank=True)
    intervention = models.TextField(_("what the pilot does"))
    intervention_cy = models.TextField(_("what the pilot does in Welsh"), blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    # theory of change
    toc_inputs = models.TextField(_("inputs"), blank=True)
    toc_activities = models.TextField(_("activities"), blank=True)
    toc_outputs = models.TextField(_("outputs"), blank=True)
    toc_outcomes = models.TextField(_("outcomes"), blank=True)
    toc_impact = models.TextField(_("impact"), blank=True)
    assumptions = models.TextField(_("assumptions"), blank=True)
    hypothesis = models.TextField(_("hypothesis"))
    # outcome measures
    primary_outcome = models.CharField(_("primary outcome"), max_length=150)
    primary_definition = models.TextField(_("primary outcome: definition"))
    primary_unit = models.CharField(_("primary outcome: unit"), max_length=80)
    primary_timepoint = models.CharField(_("primary outcome: when measured"), max_length=150)
    # the same words across councils ("crisis-referrals-per-month"): results pool by it
    outcome_key = models.SlugField(_("shared outcome key"), max_length=80, blank=True)
    secondary_outcome = models.CharField(_("secondary outcome"), max_length=150, blank=True)
    secondary_definition = models.TextField(_("secondary outcome: definition"), blank=True)
    secondary_unit = models.CharField(_("secondary outcome: unit"), max_length=80, blank=True)
    secondary_timepoint = models.CharField(
        _("secondary outcome: when measured"), max_length=150, blank=True
    )
    # design and size
    design = models.CharField(_("design"), max_length=16, choices=Design.choices)
    comparison_group = models.CharField(_("comparison group"), max_length=200, blank=True)
    cost = models.PositiveIntegerField(_("cost in pounds"), default=0)
    planned_clusters = models.PositiveIntegerField(_("planned number of units"), default=0)
    planned_cluster_size = models.PositiveIntegerField(_("people in each unit"), default=1)
    planned_icc = models.FloatField(
        _("intra-cluster correlation"),
        default=0.05,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    outcome_sd = models.FloatField(_("spread of the outcome (standard deviation)"), default=1.0)
    expected_effect = models.FloatField(_("smallest effect worth finding"), default=0.0)
    # set at registration
    registered_at = models.DateTimeField(null=True, blank=True)
    mde = models.FloatField(null=True, blank=True)  # minimum detectable effect (outcome units)
    mde_problem = models.CharField(max_length=300, blank=True)  # why it could not be computed
    # an evaluator's rating (overrides the suggested one)
    sms_override = models.PositiveSmallIntegerField(null=True, blank=True)
    nesta_override = models.PositiveSmallIntegerField(null=True, blank=True)
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    override_at = models.DateTimeField(null=True, blank=True)
    replicated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replications"
    )
    replicated_from_shared = models.ForeignKey(
        "SharedCard", null=True, blank=True, on_delete=models.SET_NULL, related_name="replications"
    )
    # where a replicated design came from, kept as words and an address so the record
    # outlives the source (the pilot above, or a card imported from another council)
    origin_title = models.CharField(_("replicated from"), max_length=150, blank=True)
    origin_council = models.CharField(_("replicated from council"), max_length=200, blank=True)
    origin_url = models.CharField(_("replicated from address"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="evidence_pilot_slug"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_registered(self) -> bool:
        return self.registered_at is not None

    @property
    def cannot_answer(self) -> bool:
        """The planned size cannot detect the smallest effect worth finding."""
        if self.mde_problem:
            return True
        return self.mde is not None and self.expected_effect > 0 and self.mde > self.expected_effect


#: The fields of the plan frozen in each version (everything a registry entry records).
PLAN_FIELDS = (
    "title",
    "problem",
    "affects",
    "intervention",
    "place",
    "toc_inputs",
    "toc_activities",
    "toc_outputs",
    "toc_outcomes",
    "toc_impact",
    "assumptions",
    "hypothesis",
    "primary_outcome",
    "primary_definition",
    "primary_unit",
    "primary_timepoint",
    "outcome_key",
    "secondary_outcome",
    "secondary_definition",
    "secondary_unit",
    "secondary_timepoint",
    "design",
    "comparison_group",
    "cost",
    "planned_clusters",
    "planned_cluster_size",
    "planned_icc",
    "outcome_sd",
    "expected_effect",
)
#: What "Replicate this pilot" copies: the design, not the place, its cost or its size.
REPLICATED_FIELDS = tuple(
    n for n in PLAN_FIELDS if n not in ("place", "cost", "planned_clusters", "planned_cluster_size")
)
#: What makes the primary outcome: a change to any after registration is flagged publicly.
PRIMARY_FIELDS = ("primary_outcome", "primary_definition", "primary_unit", "primary_timepoint")


class PilotVersion(models.Model):
    """The plan as it stood: version 1 is frozen at registration, each later edit adds one."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    plan = models.JSONField()  # PLAN_FIELDS -> value
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["pilot", "number"], name="evidence_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.pilot} v{self.number}"


class OutcomeData(models.Model):
    """An uploaded outcome table, checked whole before it is kept (the CSV text, and which
    column is which for the pilot's design)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="datasets")
    source = models.CharField(max_length=200)  # the uploaded file's name
    text = models.TextField()
    columns: Any = models.JSONField()  # role (outcome, unit, time...) -> column name
    n_rows = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.source


class Analysis(models.Model):
    """The engine's result on one outcome table (``Result.to_dict()``), kept whole."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="analyses")
    data = models.ForeignKey(OutcomeData, on_delete=models.CASCADE, related_name="analyses")
    result: Any = models.JSONField()
    estimate = models.FloatField()
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    sms_level = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pilot}: {self.estimate:.4g}"


class Subscription(models.Model):
    """Another council's signed feed of practice cards that this council imports. The
    publisher's public key is pinned when subscribing (copied from its key page): a feed
    signed with any other key is refused."""

    class Status(models.TextChoices):
        NEW = "new", _("Not checked yet")
        OK = "ok", _("Up to date")
        PARTIAL = "partial", _("Imported, some cards refused")
        BAD_SIGNATURE = "bad_signature", _("Refused: the signature does not match")
        WRONG_VERSION = "wrong_version", _("Refused: a feed version this site cannot read")
        INVALID = "invalid", _("Refused: not a practice-card feed")
        UNREACHABLE = "unreachable", _("Could not be fetched")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="subscriptions")
    url = models.URLField(_("feed address"), max_length=500)
    public_key = models.CharField(_("public key"), max_length=64)  # Ed25519, base64
    publisher = models.CharField(max_length=200, blank=True)  # the name the feed gives
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    message = models.TextField(blank=True)  # what happened at the last check, in words
    refused: Any = models.JSONField(default=list)  # [{"id": card id, "reason": ...}]
    checked_at = models.DateTimeField(null=True, blank=True)
    imported_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["publisher", "url"]
        constraints = [
            models.UniqueConstraint(fields=["council", "url"], name="evidence_subscription_url"),
        ]

    def __str__(self) -> str:
        return self.publisher or self.url


class SharedCard(models.Model):
    """A practice card imported from a subscription, kept exactly as signed (``card``), with
    the few values pooling and search read copied out."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="cards")
    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="shared_cards")
    card_id = models.CharField(max_length=500)  # the publisher's address of the card
    sha256 = models.CharField(max_length=64)
    card: Any = models.JSONField()
    title = models.CharField(max_length=150)
    publisher = models.CharField(max_length=200)
    outcome_key = models.SlugField(max_length=80, blank=True)
    estimate = models.FloatField(null=True)
    se = models.FloatField(null=True)
    ci_low = models.FloatField(null=True)
    ci_high = models.FloatField(null=True)
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "card_id"], name="evidence_sharedcard_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.publisher})"
