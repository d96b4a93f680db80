"""Shared view of need: data-sharing agreements, datasets, imported service records, linkage
runs, early-help indicators and flags.

Information governance is in the data model, not only in the pages:

* a ``Dataset`` cannot exist without a ``DataSharingAgreement`` (``on_delete=PROTECT``), and an
  import is refused unless that agreement is in force (``actions``);
* an agreement lists the ``Purpose``s it covers; a person is shown only after the member of
  staff states one of those purposes (``access``), and every view, search and export is
  written to the audit log with that purpose (``core.audit.record(reason=...)``);
* restricted categories (benefits data, special-category data) are named on the agreement and
  each dataset says which of its fields fall in them; they stay hidden unless the purpose is
  one the agreement allows restricted data for and the person holds ``insight.view_restricted``;
* records are deleted when their agreement's retention period has passed, with their links.

Linkage results belong to a ``LinkRun``; exactly one run per council is ``current``, and a new
run becomes current in one transaction (a failed or interrupted run leaves the old one).
Nothing personal is ever put in a URL: people and households are addressed by their
pseudonymous ids (``P00000012``, ``H00000034``) or by numeric primary keys.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, Job, User
from changemaker.insight.engine.schema import OPTIONAL_FIELDS
from changemaker.insight.engine.schema import PERIOD_FIELDS as PERIOD_FIELDS  # re-exported

#: The person-schema fields a service record carries besides its keys (source_dataset is its
#: dataset's code, record_id its own), in display order: the engine's, so they cannot drift.
#: ``PERIOD_FIELDS`` (the engine's too, optional): when the person lived at the record's
#: address (households are people at one address at the same time).
PERSON_FIELDS: tuple[str, ...] = OPTIONAL_FIELDS


class LawfulBasis(models.TextChoices):
    CONSENT = "6(1)(a)", _("UK GDPR Article 6(1)(a): consent")
    CONTRACT = "6(1)(b)", _("UK GDPR Article 6(1)(b): contract")
    LEGAL_OBLIGATION = "6(1)(c)", _("UK GDPR Article 6(1)(c): legal obligation")
    VITAL_INTERESTS = "6(1)(d)", _("UK GDPR Article 6(1)(d): vital interests")
    PUBLIC_TASK = "6(1)(e)", _("UK GDPR Article 6(1)(e): public task")
    LEGITIMATE_INTERESTS = "6(1)(f)", _("UK GDPR Article 6(1)(f): legitimate interests")


class RestrictedCategory(models.TextChoices):
    DWP_BENEFITS = "dwp_benefits", _("Benefits data shared by the DWP")
    HOUSING_BENEFIT = "housing_benefit", _("Housing Benefit and Council Tax Support")
    HEALTH = "health", _("Health (special category)")
    ETHNICITY = "ethnicity", _("Racial or ethnic origin (special category)")
    CRIMINAL_OFFENCE = "criminal_offence", _("Criminal offence data")
    OTHER_SPECIAL = "other_special", _("Other special-category data")


class Purpose(models.Model):
    """A reason staff may look at a person's records, e.g. 'Early help assessment'."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("purpose"), max_length=120)
    description = models.TextField(_("what it covers"), blank=True)
    #: evaluating pilots: an agreement covering such a purpose lets ward-by-month counts (small
    #: numbers suppressed, never a person) be taken as a pilot's outcome (``outcomes.py``)
    evaluation = models.BooleanField(_("evaluation with counts by ward and month"), default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="insight_purpose_once"),
        ]

    def __str__(self) -> str:
        return self.name


class DataSharingAgreement(models.Model):
    """What the law and the parties allow for one or more datasets. No agreement, no import."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(_("reference"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    controller = models.CharField(
        _("data controller"), max_length=200, help_text=_("Who decides why the data is used.")
    )
    lawful_basis = models.CharField(_("lawful basis"), max_length=8, choices=LawfulBasis.choices)
    statutory_function = models.CharField(
        _("statutory function"),
        max_length=300,
        blank=True,
        help_text=_("For public task: the law that gives the duty, e.g. Children Act 2004 s.10."),
    )
    purposes = models.ManyToManyField(
        Purpose, related_name="agreements", verbose_name=_("purposes")
    )
    restricted_categories = models.JSONField(
        _("restricted categories"),
        default=list,
        blank=True,
        help_text=_("Values of RestrictedCategory held under this agreement."),
    )
    restricted_purposes = models.ManyToManyField(
        Purpose,
        related_name="restricted_agreements",
        blank=True,
        verbose_name=_("purposes that may see restricted data"),
    )
    retention_days = models.PositiveIntegerField(
        _("keep records for (days)"), help_text=_("Counted from the day a record was received.")
    )
    starts_on = models.DateField(_("in force from"))
    ends_on = models.DateField(_("in force until"), null=True, blank=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["reference"]
        constraints = [
            models.UniqueConstraint(fields=["council", "reference"], name="insight_dsa_once"),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def in_force(self, on: date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)

    def retention_cutoff(self, on: date | None = None) -> date:
        """Records received before this day are past retention."""
        return (on or timezone.localdate()) - timedelta(days=self.retention_days)


class Dataset(models.Model):
    """One service's records (e.g. 'Council tax', 'School attendance'), under one agreement."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(
        _("short name"), max_length=60, help_text=_("Used as source_dataset, e.g. council-tax.")
    )
    title = models.CharField(_("name"), max_length=200)
    service = models.CharField(_("service that holds it"), max_length=200)
    agreement = models.ForeignKey(
        DataSharingAgreement,
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("data-sharing agreement"),
    )
    column_mapping = models.JSONField(
        _("column mapping"),
        default=dict,
        blank=True,
        help_text=_("Person-schema field -> the column name in the service's file."),
    )
    attribute_columns = models.JSONField(
        _("other columns kept"),
        default=list,
        blank=True,
        help_text=_("Service columns kept for indicators, e.g. arrears_amount."),
    )
    restricted_fields = models.JSONField(
        _("restricted fields"),
        default=list,
        blank=True,
        help_text=_("Fields (person-schema or kept columns) in a restricted category."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["council", "code"], name="insight_dataset_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Upload(models.Model):
    """One file a data officer uploaded for a dataset: checked (a background job), then
    published (a background job) or discarded.

    Only a published upload's rows become ``SourceRecord``s, all in one transaction; a newer
    published upload of the same dataset replaces its records (a full refresh)."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Being checked")
        VALIDATED = "validated", _("Checked, waiting to be published")
        PUBLISHING = "publishing", _("Being published")
        PUBLISHED = "published", _("Published")
        DISCARDED = "discarded", _("Discarded")
        REFUSED = "refused", _("Refused")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.VALIDATED)
    rows_read = models.PositiveIntegerField(default=0)
    rows_accepted = models.PositiveIntegerField(default=0)
    rows_quarantined = models.PositiveIntegerField(default=0)
    report = models.JSONField(
        default=dict, blank=True, help_text=_("Line numbers and reasons; never the values.")
    )
    staged = models.JSONField(
        default=list, blank=True, help_text=_("Accepted rows until published, then emptied.")
    )
    published_at = models.DateTimeField(null=True, blank=True)
    file_type = models.CharField(max_length=10, blank=True)  # "csv" or "parquet"
    raw = models.BinaryField(
        blank=True,
        default=b"",
        help_text=_("The file as uploaded until it is checked, then emptied."),
    )
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"Upload {self.pk} of {self.dataset_id}"


class QuarantinedRow(models.Model):
    """A row that could not be imported, kept (never silently dropped) with its reason."""

    upload = models.ForeignKey(Upload, on_delete=models.CASCADE, related_name="quarantined")
    line = models.PositiveIntegerField()
    reason = models.CharField(max_length=300)
    raw = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["upload", "line"]

    def __str__(self) -> str:
        return f"Upload {self.upload_id}, line {self.line}"


class SourceRecord(models.Model):
    """One record a service holds about one person, in the person schema."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="records")
    upload = models.ForeignKey(Upload, on_delete=models.SET_NULL, null=True, related_name="+")
    record_id = models.CharField(max_length=100)
    first_name = models.CharField(max_length=200, blank=True)
    surname = models.CharField(max_length=200, blank=True)
    date_of_birth = models.CharField(max_length=20, blank=True)
    postcode = models.CharField(max_length=20, blank=True)
    address_line = models.CharField(max_length=300, blank=True)
    nino = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=254, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    address_from = models.DateField(null=True, blank=True)
    address_to = models.DateField(null=True, blank=True)
    attributes = models.JSONField(default=dict, blank=True)
    received_on = models.DateField(default=timezone.localdate)

    class Meta:
        ordering = ["dataset", "record_id"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "record_id"], name="insight_record_once"),
        ]

    def __str__(self) -> str:
        return f"{self.dataset.code}/{self.record_id}"

    @property
    def key(self) -> str:
        """``source_dataset/record_id``, as the engine names records across runs."""
        return f"{self.dataset.code}/{self.record_id}"


class LinkRun(models.Model):
    """One linkage run over every current record of a council. Published atomically."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        PUBLISHED = "published", _("Published")
        FAILED = "failed", _("Failed")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    started_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RUNNING)
    current = models.BooleanField(default=False)
    model = models.JSONField(
        default=dict, blank=True, help_text=_("The trained linkage model (versioned JSON).")
    )
    report = models.JSONField(default=dict, blank=True, help_text=_("Counts only."))

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(current=True), name="insight_one_current_run"
            ),
        ]

    def __str__(self) -> str:
        return f"Linkage run {self.pk}"


class RecordLink(models.Model):
    """Which person and household a record belongs to, in one run."""

    run = models.ForeignKey(LinkRun, on_delete=models.CASCADE, related_name="links")
    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="links")
    person_id = models.CharField(max_length=12, db_index=True)
    household_id = models.CharField(max_length=12, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "record"], name="insight_link_once"),
        ]
        indexes = [
            models.Index(fields=["run", "person_id"]),
            models.Index(fields=["run", "household_id"]),
        ]

    def __str__(self) -> str:
        return f"Record {self.record_id} -> {self.person_id} in run {self.run_id}"


class Gazetteer(models.Model):
    """The council's address gazetteer (an LLPG or AddressBase-style extract) that a data
    officer imported: every address with its UPRN. Linkage runs match records' addresses to
    it, so households hold together however a service writes the address.

    Imported all or nothing by a background job; the newest imported one is ``current``."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("Being checked")
        IMPORTED = "imported", _("Imported")
        REFUSED = "refused", _("Refused")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    uploaded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    job = models.ForeignKey(Job, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    current = models.BooleanField(default=False)
    entries = models.PositiveIntegerField(default=0)
    problems = models.JSONField(
        default=list, blank=True, help_text=_("Line, column, field and reason; never values.")
    )
    source = models.BinaryField(
        default=bytes, blank=True, help_text=_("The uploaded file until it is checked.")
    )

    class Meta:
        ordering = ["-uploaded_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council"], condition=Q(current=True), name="insight_one_gazetteer"
            ),
        ]

    def __str__(self) -> str:
        return f"Gazetteer {self.pk}"


class GazetteerAddress(models.Model):
    """One address of a gazetteer, as the council's extract gives it."""

    gazetteer = models.ForeignKey(Gazetteer, on_delete=models.CASCADE, related_name="addresses")
    uprn = models.CharField(max_length=12)
    sao = models.CharField(max_length=200, blank=True)
    pao = models.CharField(max_length=200)
    street = models.CharField(max_length=200)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=10, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gazetteer", "uprn"], name="insight_uprn_once"),
        ]

    def __str__(self) -> str:
        return f"UPRN {self.uprn}"


class FalseLink(models.Model):
    """A practitioner found that two records are NOT the same person. Every later run keeps
    them apart (a cannot-link constraint), so the split is remembered."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    record_a = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    record_b = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="+")
    marked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    marked_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("why they are different people"), max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record_a", "record_b"], name="insight_false_once"),
            models.CheckConstraint(
                condition=Q(record_a__lt=models.F("record_b")), name="insight_false_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"Not the same person: records {self.record_a_id} and {self.record_b_id}"


class Indicator(models.Model):
    """An early-help indicator, as data: e.g. council tax arrears over £500.

    ``kind=field``: a record of ``dataset`` whose ``field`` compares with ``threshold``.
    ``kind=services``: a person (or household) known to at least ``threshold`` services.
    """

    class Kind(models.TextChoices):
        FIELD = "field", _("A value in one dataset")
        SERVICES = "services", _("Number of services involved")

    class Comparison(models.TextChoices):
        GT = "gt", _("more than")
        GTE = "gte", _("at least")
        LT = "lt", _("less than")
        LTE = "lte", _("at most")
        EQ = "eq", _("equal to")

    class Level(models.TextChoices):
        PERSON = "person", _("Person")
        HOUSEHOLD = "household", _("Household")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.FIELD)
    dataset = models.ForeignKey(
        Dataset, on_delete=models.PROTECT, null=True, blank=True, related_name="indicators"
    )
    field = models.CharField(_("field"), max_length=100, blank=True)
    comparison = models.CharField(max_length=4, choices=Comparison.choices, default=Comparison.GT)
    threshold = models.DecimalField(max_digits=12, decimal_places=2)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.PERSON)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="insight_indicator_once"),
        ]

    def __str__(self) -> str:
        return self.name


class Flag(models.Model):
    """An indicator that holds for a person or household. Never an automated decision: a
    practitioner reviews it. Re-evaluated after each run; evidence lists the records."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for review")
        REVIEWED = "reviewed", _("Reviewed")
        CLEARED = "cleared", _("No longer applies")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="flags")
    subject_kind = models.CharField(max_length=10, choices=Indicator.Level.choices)
    subject_id = models.CharField(max_length=12, db_index=True)
    evidence = models.JSONField(
        default=list, help_text=_("[{record: pk, dataset, field, value}]: what makes it hold.")
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    raised_at = models.DateTimeField(default=timezone.now)
    raised_by_run = models.ForeignKey(
        LinkRun, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-raised_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "subject_kind", "subject_id"], name="insight_flag_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_id}: {self.subject_kind} {self.subject_id}"


class FlagReview(models.Model):
    class Outcome(models.TextChoices):
        SUPPORT_OFFERED = "support_offered", _("Early help offered")
        ALREADY_SUPPORTED = "already_supported", _("Already getting support")
        NO_ACTION = "no_action", _("No action needed")
        REFERRED = "referred", _("Referred to another service")
        FALSE_LINK = "false_link", _("Records wrongly linked")

    flag = models.ForeignKey(Flag, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    reviewed_at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-reviewed_at"]

    def __str__(self) -> str:
        return f"Review of flag {self.flag_id}: {self.outcome}"


def current_run(council: Council) -> LinkRun | None:
    return LinkRun.objects.filter(council=council, current=True).first()
