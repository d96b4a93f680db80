"""Participatory budgeting: a process, its budgets (headings), ideas, ballots, counts. A funded
idea's delivery is a commitment (core's ``Commitment``, source "budgeting.project:ID")."""

from __future__ import annotations

import secrets
from datetime import datetime
from pathlib import PurePath

from django.core.files import File
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, User, Ward
from changemaker.core.validators import TOO_LARGE, validate_image

MAX_IDEA_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IDEA_IMAGE_DISPLAY = 2000  # pixels on the longer side, as stored and shown
IDEA_IMAGE_MESSAGES = {
    "type": _("The image must be a photo or picture saved as a PNG or JPEG file"),
    "damaged": _("The picture file is damaged. Save it again, then choose it again."),
    "too_large": TOO_LARGE,
}


def validate_idea_image(upload: File) -> None:
    """A PNG or JPEG photo (checked by its content, not its name), smaller than 5 MB, that
    decodes within the pixel limits."""
    validate_image(
        upload,
        max_bytes=MAX_IDEA_IMAGE_BYTES,
        too_big=_("The image must be smaller than 5 MB"),
        messages=IDEA_IMAGE_MESSAGES,
    )


def idea_image_path(instance: object, filename: str) -> str:
    """A random name: nothing of the person's file name (or anything personal) in the URL."""
    suffix = PurePath(filename).suffix.lower()
    return f"pb-ideas/{secrets.token_hex(16)}{suffix if suffix in {'.png', '.jpg'} else ''}"


class Phase(models.TextChoices):
    UPCOMING = "upcoming", _("Starting soon")
    IDEAS = "ideas", _("Sharing ideas")
    REVIEW = "review", _("Checking ideas")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    DELIVERY = "delivery", _("Delivery")


class Evidence(models.TextChoices):
    """How a process checks that a voter lives in the council area (the officer's choice)."""

    SELF = "self", _("Residents tell us their postcode and date of birth")
    REGISTER = "register", _("Residents are matched against the council's residents register")
    CODE = "code", _("Only voting codes sent by post to residents")


class Process(models.Model):
    """A participatory budget, moving through phases by date (as adhocracy4's phases do)."""

    class BallotType(models.TextChoices):
        KNAPSACK = "knapsack", _("Choose projects up to the budget")
        APPROVAL_N = "approval_n", _("Choose up to a number of projects")
        CUMULATIVE = "cumulative", _("Share out points")
        RANKING = "ranking", _("Rank projects")

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("Most votes first (greedy)")
        MES = "mes", _("Method of Equal Shares")
        PHRAGMEN = "phragmen", _("Sequential Phragmén")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="pb_processes")
    title = models.CharField(_("title"), max_length=150)
    title_cy = models.CharField(_("title in Welsh"), max_length=150, blank=True)
    slug = models.SlugField(_("short name"), max_length=80)
    summary = models.CharField(_("summary"), max_length=300)
    summary_cy = models.CharField(_("summary in Welsh"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    ideas_from = models.DateTimeField(_("ideas open"))
    review_from = models.DateTimeField(_("ideas close and checking starts"))
    voting_from = models.DateTimeField(_("voting opens"))
    voting_until = models.DateTimeField(_("voting closes"))
    delivery_from = models.DateTimeField(_("delivery starts"))
    ballot_type = models.CharField(max_length=16, choices=BallotType.choices)
    max_projects = models.PositiveSmallIntegerField(default=5)
    points_total = models.PositiveSmallIntegerField(default=10)
    rule = models.CharField(max_length=16, choices=Rule.choices, default=Rule.MES)
    completion = models.CharField(max_length=8, default="add1")
    tie_break = models.CharField(max_length=16, default="cost")
    min_age = models.PositiveSmallIntegerField(
        _("minimum age to vote"), default=16, validators=[MaxValueValidator(25)]
    )

    class Moderation(models.TextChoices):
        BEFORE = "before", _("Check each idea before it is published")
        AFTER = "after", _("Publish ideas at once, and check them afterwards")

    currency_symbol = models.CharField(_("currency symbol"), max_length=3, default="£")
    closed_early_reason = models.TextField(_("why it closed early"), blank=True)
    # The election's own country and currency (ISO 4217): written back into its .pb file.
    # An imported file keeps what it said (blank if it said nothing).
    country = models.CharField(_("country"), max_length=60, blank=True, default="United Kingdom")
    currency = models.CharField(_("currency"), max_length=3, blank=True, default="GBP")
    evidence = models.CharField(
        _("how voters are checked"),
        max_length=8,
        choices=Evidence.choices,
        default=Evidence.SELF,
        help_text=_("Voting codes issued by the council are accepted whichever you choose"),
    )
    moderation = models.CharField(
        _("checking ideas"), max_length=8, choices=Moderation.choices, default=Moderation.BEFORE
    )
    source_file = models.CharField(
        _("imported from"),
        max_length=200,
        blank=True,
        help_text=_("The Pabulib file this process was loaded from, if any"),
    )

    class Meta:
        ordering = ["-voting_from"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="pb_slug_unique_in_council"),
            models.CheckConstraint(
                condition=Q(ideas_from__lte=models.F("review_from"))
                & Q(review_from__lte=models.F("voting_from"))
                & Q(voting_from__lt=models.F("voting_until"))
                & Q(voting_until__lte=models.F("delivery_from")),
                name="pb_phases_in_order",
            ),
        ]
        verbose_name = _("participatory budget")

    def __str__(self) -> str:
        return self.title

    def phase_at(self, now: datetime) -> str:
        if now < self.ideas_from:
            return Phase.UPCOMING
        if now < self.review_from:
            return Phase.IDEAS
        if now < self.voting_from:
            return Phase.REVIEW
        if now < self.voting_until:
            return Phase.VOTING
        if now < self.delivery_from:
            return Phase.RESULTS
        return Phase.DELIVERY

    @property
    def phase(self) -> str:
        return self.phase_at(timezone.now())

    def get_phase_display(self) -> str:
        return str(Phase(self.phase).label)

    def public_ideas(self) -> Q:
        """The ideas anyone may see: on the ballot, checked and published, or not yet checked
        when this budget publishes ideas at once."""
        shown = [Project.Publication.PUBLISHED]
        if self.moderation == self.Moderation.AFTER:
            shown.append(Project.Publication.WAITING)
        return Q(publication__in=shown) | Q(status=Project.Status.SHORTLISTED)


class Heading(models.Model):
    """One budget within a process: council-wide, or for one ward."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="headings")
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("name in Welsh"), max_length=120, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True)
    budget = models.PositiveIntegerField(_("budget in pounds"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["process", "name"], name="pb_heading_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """An idea residents propose; after review it may be on the ballot as a project."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Waiting to be checked")
        SHORTLISTED = "shortlisted", _("On the ballot")
        REJECTED = "rejected", _("Not going ahead")
        MERGED = "merged", _("Joined with a similar idea")

    class Publication(models.TextChoices):
        WAITING = "waiting", _("Waiting to be checked before it is published")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="projects")
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="projects")
    code = models.CharField(
        _("project number"), max_length=40, help_text=_("Used in results and .pb files")
    )
    title = models.CharField(_("title"), max_length=150)
    # an officer's Welsh version, added when the idea is checked (residents write in either)
    title_cy = models.CharField(_("title in Welsh"), max_length=150, blank=True)
    description = models.TextField(_("description"))
    description_cy = models.TextField(_("description in Welsh"), blank=True)
    location = models.CharField(_("where"), max_length=200, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    rough_cost = models.PositiveIntegerField(_("rough cost in pounds"))
    final_cost = models.PositiveIntegerField(_("cost in pounds"), null=True, blank=True)
    image = models.FileField(
        _("image"), upload_to=idea_image_path, blank=True, validators=[validate_idea_image]
    )
    image_alt = models.CharField(
        _("description of the image"),
        max_length=250,
        blank=True,
        help_text=_("For people who cannot see the image"),
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    publication = models.CharField(
        max_length=10, choices=Publication.choices, default=Publication.WAITING
    )
    review_note = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True)
    author = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    #: where an idea an officer made from residents' words comes from (core.registry.Evidence
    #: as data: summary, quotes, count, source); empty for a resident's own idea
    evidence = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["heading", "code"]
        constraints = [
            models.UniqueConstraint(fields=["process", "code"], name="pb_project_code_unique"),
            models.CheckConstraint(
                condition=~Q(status="shortlisted") | Q(final_cost__isnull=False),
                name="pb_shortlisted_has_cost",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        """On the ballot, published, or waiting where ideas are published at once."""
        return (
            self.status == self.Status.SHORTLISTED
            or self.publication == self.Publication.PUBLISHED
            or (
                self.publication == self.Publication.WAITING
                and self.process.moderation == Process.Moderation.AFTER
            )
        )

    @property
    def cost(self) -> int:
        return self.final_cost if self.final_cost is not None else self.rough_cost


class Support(models.Model):
    """A resident supporting an idea before review (one per person per idea)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="supports")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "user"], name="pb_support_once")]

    def __str__(self) -> str:
        return f"support #{self.pk}"


class VotingCode(models.Model):
    """A council-issued one-time voting code for one ward (or the whole council area). Only its
    hash is kept. The first browser that enters it holds it: ``session_hash`` is the hash of a
    random token kept in that browser's session, and no other browser can use the code."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64, unique=True)
    ward = models.ForeignKey(
        Ward,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The ward whose budget the code votes in; empty: council-wide budgets only"),
    )
    session_hash = models.CharField(max_length=64, blank=True)
    redeemed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    def __str__(self) -> str:
        return f"voting code #{self.pk}"


class Eligibility(models.Model):
    """A signed-in resident's right to vote in one process, fixed at their first check: their
    ward and the evidence used. One per person per process (a database constraint), so a
    second check with another postcode cannot give a ballot in another ward.

    A register match claims one register entry (``register_key``, ``register_slot``): the same
    entry cannot make two accounts eligible in one process (twins with the same name, date of
    birth and postcode are two entries, so two slots)."""

    class Via(models.TextChoices):
        SELF = "self", _("Postcode and date of birth, as told by the resident")
        REGISTER = "register", _("Matched on the council's residents register")
        MANUAL = "manual", _("Checked by an officer")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="eligibilities")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True)
    evidence = models.CharField(max_length=8, choices=Via.choices)
    register_key = models.CharField(max_length=64, blank=True)
    register_slot = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["process", "user"], name="pb_eligible_once"),
            models.UniqueConstraint(
                fields=["process", "register_key", "register_slot"],
                condition=~Q(register_key=""),
                name="pb_register_entry_claimed_once",
            ),
        ]
        verbose_name_plural = _("eligibilities")

    def __str__(self) -> str:
        return f"eligibility #{self.pk}"


class RegisterEntry(models.Model):
    """One resident on the council's residents register, kept only as a keyed hash (HMAC) of
    surname, date of birth and postcode, with the ward of that postcode."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=64, db_index=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True)

    class Meta:
        verbose_name_plural = _("register entries")

    def __str__(self) -> str:
        return f"register entry #{self.pk}"


class RegisterImport(models.Model):
    """When a council's register was last replaced, by whom, and how many residents it has."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.CharField(max_length=200)
    residents = models.PositiveIntegerField()

    class Meta:
        ordering = ["-imported_at"]
        get_latest_by = "imported_at"

    def __str__(self) -> str:
        return f"register import #{self.pk}"


class ManualCheck(models.Model):
    """A resident the register did not match asks an officer to check. What they gave is
    cleared once an officer decides; the decision (and its eligibility) stays."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="manual_checks")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    born = models.DateField(_("date of birth"), null=True, blank=True)
    note = models.TextField(_("anything that helps us check"), blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.WAITING)
    reason = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["process", "user"],
                condition=Q(status="waiting"),
                name="pb_one_waiting_check",
            )
        ]

    def __str__(self) -> str:
        return f"manual check #{self.pk}"


class Ballot(models.Model):
    """One voter's ballot in one heading. One per person, one per code: database constraints.
    In a process with ward budgets, one ward-budget ballot per person or code per process."""

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("Online, signed in")
        CODE = "code", _("Online, with a voting code")
        PAPER = "paper", _("Paper")
        IMPORTED = "imported", _("Imported from a Pabulib file")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="ballots")
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="ballots")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    voter = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    code = models.ForeignKey(VotingCode, on_delete=models.PROTECT, null=True, blank=True)
    paper_reference = models.CharField(max_length=40, blank=True)
    entered_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    ward = models.ForeignKey(
        Ward,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        help_text=_("The voter's ward, for turnout; not their address"),
    )
    in_ward_budget = models.BooleanField(
        default=False, help_text=_("The heading is a ward's budget (set from the heading)")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["process", "voter"],
                condition=Q(voter__isnull=False) & Q(in_ward_budget=True),
                name="pb_one_ward_ballot_per_person",
            ),
            models.UniqueConstraint(
                fields=["process", "code"],
                condition=Q(code__isnull=False) & Q(in_ward_budget=True),
                name="pb_one_ward_ballot_per_code",
            ),
            models.UniqueConstraint(
                fields=["process", "heading", "voter"],
                condition=Q(voter__isnull=False),
                name="pb_one_ballot_per_person",
            ),
            models.UniqueConstraint(
                fields=["process", "heading", "code"],
                condition=Q(code__isnull=False),
                name="pb_one_ballot_per_code",
            ),
            models.UniqueConstraint(
                fields=["process", "heading", "paper_reference"],
                condition=~Q(paper_reference=""),
                name="pb_one_ballot_per_paper",
            ),
            models.CheckConstraint(
                condition=(Q(channel="account") & Q(voter__isnull=False) & Q(code__isnull=True))
                | (Q(channel="code") & Q(code__isnull=False) & Q(voter__isnull=True))
                | (Q(channel="paper") & ~Q(paper_reference="") & Q(entered_by__isnull=False))
                | (Q(channel="imported") & ~Q(paper_reference="")),
                name="pb_ballot_has_one_credential",
            ),
        ]

    def __str__(self) -> str:
        return f"ballot #{self.pk}"


class Mark(models.Model):
    """A mark on a ballot: 1 for approval, points for cumulative, the rank for ranking."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "project"], name="pb_mark_once")]

    def __str__(self) -> str:
        return f"mark #{self.pk}"


class Count(models.Model):
    """The result of counting one heading: what was funded, and why."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="counts")
    heading = models.ForeignKey(Heading, on_delete=models.CASCADE, related_name="counts")
    computed_at = models.DateTimeField(default=timezone.now)
    rule = models.CharField(max_length=120)
    voters = models.PositiveIntegerField()
    selected = models.JSONField(default=list)  # project codes, in order of selection
    cost = models.PositiveBigIntegerField(default=0)
    # project code -> {"kind": ..., facts}: counting.reason_text words it in the reader's language
    explanation = models.JSONField(default=dict)
    # {"groups": [{"group", "voters", "fair_share", "received"}], "ejr": {"status", ...}}
    fairness = models.JSONField(default=dict)

    class Meta:
        ordering = ["-computed_at"]
        get_latest_by = "computed_at"

    def __str__(self) -> str:
        return f"count #{self.pk}"


class UnusablePaper(models.Model):
    """A paper ballot that holds no vote: blank (nothing marked) or spoilt (the voter's wish
    cannot be told). Counted and shown as such, never as a ballot in the count."""

    class Kind(models.TextChoices):
        BLANK = "blank", _("Blank")
        SPOILT = "spoilt", _("Spoilt")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="unusable_papers")
    heading = models.ForeignKey(Heading, on_delete=models.PROTECT, related_name="unusable_papers")
    reference = models.CharField(max_length=40)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    entered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    entered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["heading", "reference"], name="pb_unusable_paper_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} paper {self.reference}"


class StatusChange(models.Model):
    """One step in an idea's life, shown on its page: sent, published, shortlisted, rejected,
    joined with another. Who made it is in the audit log, not here (the page is public)."""

    class Step(models.TextChoices):
        SUBMITTED = "submitted", _("Sent in")
        PUBLISHED = "published", _("Published")
        WITHHELD = "withheld", _("Not published")
        SHORTLISTED = "shortlisted", _("Put on the ballot")
        REJECTED = "rejected", _("Not going ahead")
        MERGED = "merged", _("Joined with a similar idea")

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="history")
    step = models.CharField(max_length=16, choices=Step.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.step} #{self.pk}"
