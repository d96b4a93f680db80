"""Community support: partner organisations, volunteers, vetting, training, help requests,
matches and safeguarding concerns.

Personal details (names, phone numbers, addresses, dates of birth) live only on
``Volunteer`` and ``HelpRequest``; every page that shows them records the access in the
audit log (see ``views/``). Nothing personal appears in URLs: objects are addressed
by their numeric id.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, User, Ward


class Skill(models.TextChoices):
    SHOPPING = "shopping", _("Food and shopping")
    PRESCRIPTIONS = "prescriptions", _("Collecting prescriptions")
    PHONE_BEFRIENDING = "phone_befriending", _("Friendly phone calls")
    VISITING = "visiting", _("Home visits (befriending)")
    TRANSPORT = "transport", _("Lifts to appointments")
    DOG_WALKING = "dog_walking", _("Dog walking")
    ODD_JOBS = "odd_jobs", _("Odd jobs and small repairs")


class Course(models.TextChoices):
    SAFEGUARDING = "safeguarding", _("Safeguarding adults")
    BEFRIENDING = "befriending", _("Befriending")
    DRIVING = "driving", _("Volunteer driver checks")
    MEDICINES = "medicines", _("Handling medicines")


# A skill listed here can only be used once the volunteer holds every course named.
SKILL_NEEDS_TRAINING: dict[str, frozenset[str]] = {
    Skill.VISITING: frozenset({Course.SAFEGUARDING, Course.BEFRIENDING}),
    Skill.PHONE_BEFRIENDING: frozenset({Course.BEFRIENDING}),
    Skill.TRANSPORT: frozenset({Course.DRIVING}),
    Skill.PRESCRIPTIONS: frozenset({Course.MEDICINES}),
}


class Weekday(models.IntegerChoices):
    MON = 0, _("Monday")
    TUE = 1, _("Tuesday")
    WED = 2, _("Wednesday")
    THU = 3, _("Thursday")
    FRI = 4, _("Friday")
    SAT = 5, _("Saturday")
    SUN = 6, _("Sunday")


class VettingLevel(models.TextChoices):
    NONE = "none", _("None")
    BASIC = "basic", _("Basic DBS")
    ENHANCED = "enhanced", _("Enhanced DBS")


VETTING_RANK = {VettingLevel.NONE: 0, VettingLevel.BASIC: 1, VettingLevel.ENHANCED: 2}


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent (today or tomorrow)")
    SOON = "soon", _("Soon (this week)")
    ROUTINE = "routine", _("Routine")


class SafeguardingFlag(models.TextChoices):
    LIVES_ALONE = "lives_alone", _("Lives alone")
    MEMORY = "memory", _("Memory problems or confusion")
    NEGLECT = "neglect", _("Signs of neglect or self-neglect")
    ABUSE = "abuse", _("Risk of abuse or exploitation")
    MENTAL_HEALTH = "mental_health", _("Mental health crisis")


class Postcode(models.Model):
    """A postcode's centre (from the ONS Postcode Directory or the demo table)."""

    postcode = models.CharField(max_length=8, primary_key=True)  # "EX1 1AA"
    lat = models.FloatField()
    lon = models.FloatField()
    ward_code = models.CharField(max_length=9, blank=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return self.postcode


class SupportSettings(models.Model):
    """Per-council settings: who the safeguarding lead is, how long closed requests are kept."""

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="support_settings"
    )
    safeguarding_lead = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    retention_days = models.PositiveIntegerField(
        _("keep personal details of closed requests for (days)"), default=365
    )

    def __str__(self) -> str:
        return f"support settings #{self.pk}"


class PartnerOrganisation(models.Model):
    """A mutual-aid group, charity or GP surgery working with the council."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("name"), max_length=150)
    members = models.ManyToManyField(
        User, through="PartnerMembership", related_name="support_partners"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["council", "name"], name="partner_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class PartnerMembership(models.Model):
    """A coordinator of a partner organisation: sees only that organisation's people."""

    organisation = models.ForeignKey(
        PartnerOrganisation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="partner_member_once")
        ]

    def __str__(self) -> str:
        return f"membership #{self.pk}"


class Volunteer(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CHECKS = "checks", _("Checks under way")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        LEFT = "left", _("Left")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="volunteers")
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="volunteering"
    )
    badge_number = models.CharField(max_length=12, unique=True)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    email = models.EmailField(_("email address"), blank=True)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    skills = models.JSONField(default=list)
    available_days = models.JSONField(default=list)  # weekday numbers, 0 = Monday
    max_distance_km = models.FloatField(_("how far you can travel (km)"), default=3.0)
    capacity = models.PositiveSmallIntegerField(_("requests at a time"), default=2)
    date_of_birth = models.DateField(_("date of birth"))
    guardian_name = models.CharField(max_length=150, blank=True)
    guardian_email = models.EmailField(blank=True)
    guardian_consent_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    status_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "user"],
                condition=models.Q(user__isnull=False),
                name="volunteer_once_per_council",
            )
        ]

    def __str__(self) -> str:
        return f"volunteer {self.badge_number}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    @property
    def is_minor(self) -> bool:
        return self.age_on(timezone.localdate()) < 18

    def current_vetting(self, on: date | None = None) -> VettingRecord | None:
        """The highest level of vetting that has not expired (on ``on``, default today)."""
        day = on or timezone.localdate()
        valid = [
            r for r in self.vetting_records.all() if r.expires_on is None or r.expires_on >= day
        ]
        if not valid:
            return None
        return max(valid, key=lambda r: (VETTING_RANK[VettingLevel(r.level)], r.expires_on or day))

    def courses(self, on: date | None = None) -> set[str]:
        day = on or timezone.localdate()
        return {
            t.course
            for t in self.training_records.all()
            if t.expires_on is None or t.expires_on >= day
        }

    def usable_skills(self, on: date | None = None) -> set[str]:
        """Skills offered that the volunteer's training allows them to use."""
        held = self.courses(on)
        return {s for s in self.skills if SKILL_NEEDS_TRAINING.get(s, frozenset()) <= held}

    def skill_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in self.skills if s in Skill.values]

    def day_labels(self) -> list[str]:
        return [str(Weekday(d).label) for d in sorted(self.available_days)]


class VettingRecord(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="vetting_records"
    )
    level = models.CharField(_("DBS level"), max_length=16, choices=VettingLevel.choices)
    certificate_number = models.CharField(_("certificate number"), max_length=20, blank=True)
    issued_on = models.DateField(_("issue date"))
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    checked_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-pk"]

    def __str__(self) -> str:
        return f"vetting record #{self.pk}"


class VettingReminder(models.Model):
    """One reminder sent for one vetting record: makes the reminder run idempotent."""

    record = models.ForeignKey(VettingRecord, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["record", "days_before"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"reminder #{self.pk}"


class TrainingRecord(models.Model):
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="training_records"
    )
    course = models.CharField(_("course"), max_length=32, choices=Course.choices)
    completed_on = models.DateField(_("date completed"))
    expires_on = models.DateField(_("renew by"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["-completed_on", "-pk"]

    def __str__(self) -> str:
        return f"training record #{self.pk}"


class HelpRequest(models.Model):
    class Source(models.TextChoices):
        RESIDENT = "resident", _("Resident, online")
        REFERRER = "referrer", _("Referral from an organisation")
        PHONE = "phone", _("Phone call to the council")

    class Status(models.TextChoices):
        NEW = "new", _("New")
        TRIAGED = "triaged", _("Ready to match")
        MATCHED = "matched", _("Volunteer confirmed")
        ASSIGNED = "assigned", _("Volunteer on the way")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    class CancelledBy(models.TextChoices):
        REQUESTER = "requester", _("The person who asked")
        COORDINATOR = "coordinator", _("A coordinator")

    OPEN = (Status.NEW, Status.TRIAGED)
    CLOSED = (Status.DONE, Status.CANCELLED)

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="help_requests")
    organisation = models.ForeignKey(
        PartnerOrganisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="help_requests",
    )
    source = models.CharField(max_length=16, choices=Source.choices)
    requester = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="help_requests"
    )
    referrer_name = models.CharField(_("referred by"), max_length=150, blank=True)
    name = models.CharField(_("name"), max_length=150)
    phone = models.CharField(_("phone number"), max_length=30, blank=True)
    email = models.EmailField(_("email address"), blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=8)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    needs = models.JSONField(default=list)
    details = models.TextField(_("what help is needed"), blank=True)
    urgency = models.CharField(max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE)
    needed_on = models.DateField(_("date help is needed"))
    vetting_required = models.CharField(
        max_length=16, choices=VettingLevel.choices, default=VettingLevel.NONE
    )
    safeguarding_flags = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NEW)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(
        _("cancelled by"), max_length=16, choices=CancelledBy.choices, blank=True
    )
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["needed_on", "pk"]

    def __str__(self) -> str:
        return f"help request #{self.pk}"

    def need_labels(self) -> list[str]:
        return [str(Skill(s).label) for s in self.needs if s in Skill.values]

    def flag_labels(self) -> list[str]:
        return [
            str(SafeguardingFlag(f).label)
            for f in self.safeguarding_flags
            if f in SafeguardingFlag.values
        ]

    @property
    def active_match(self) -> Match | None:
        return self.matches.filter(status__in=Match.LIVE).select_related("volunteer").first()


class Match(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONFIRMED = "confirmed", _("Confirmed, waiting for the volunteer")
        ACCEPTED = "accepted", _("Accepted by the volunteer")
        DECLINED = "declined", _("Declined by the volunteer")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    LIVE = (Status.CONFIRMED, Status.ACCEPTED)

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="matches")
    volunteer = models.ForeignKey(Volunteer, on_delete=models.CASCADE, related_name="matches")
    job = models.ForeignKey("core.Job", on_delete=models.SET_NULL, null=True, blank=True)
    distance_km = models.FloatField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    decline_reason = models.CharField(max_length=300, blank=True)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    confirmed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["request__needed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=models.Q(status__in=["proposed", "confirmed", "accepted"]),
                name="one_live_match_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"match #{self.pk}"


class SafeguardingConcern(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    request = models.ForeignKey(
        HelpRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.SET_NULL, null=True, blank=True, related_name="concerns"
    )
    raised_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    is_incident = models.BooleanField(_("this is an incident that has happened"), default=False)
    details = models.TextField(_("what happened or what worries you"))
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    lead_notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"concern #{self.pk}"


class CoordinatorMessage(models.Model):
    """A volunteer's message about a request, to the coordinator (never to the resident):
    contact between volunteers and residents goes through the coordinator."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("message"), max_length=2000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message #{self.pk}"
