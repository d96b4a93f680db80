"""Who follows what, how each person hears, and what they were told.

Nothing here is shown to anyone but the person it belongs to. ``__str__`` names no one.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from changemaker.core.models import Council, Notice, User, Ward
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


# Open self-evaluation ------------------------------------------------------------------------

RATINGS = [(n, str(n)) for n in range(1, 6)]


class Scorecard(models.Model):
    """One cycle of the council's open self-evaluation: its criteria, rated by the council
    and by residents, published with the council's reply. Figures are frozen at publication
    (``figures``: key -> the figure as it stood), so a past cycle keeps the numbers it was
    judged on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open for ratings")
        CLOSED = "closed", _("Closed")
        PUBLISHED = "published", _("Published")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="scorecards")
    slug = models.SlugField(_("short name"), max_length=80)
    title = models.CharField(_("title"), max_length=150)
    title_cy = models.CharField(_("title in Welsh (optional)"), max_length=150, blank=True)
    period = models.CharField(_("period"), max_length=80)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    figures = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="scorecard_slug_once")
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    """One thing the council is judged on: its own words, or an LGA resident-satisfaction
    question (``source``), with the council's rating, evidence and right of reply."""

    class Source(models.TextChoices):
        OWN = "own", _("The council's own")
        LGA = "lga", _("LGA resident satisfaction question")

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField(_("criterion"), max_length=300)
    text_cy = models.CharField(_("criterion in Welsh (optional)"), max_length=300, blank=True)
    source = models.CharField(max_length=4, choices=Source.choices, default=Source.OWN)
    order = models.PositiveSmallIntegerField(default=0)
    council_rating = models.PositiveSmallIntegerField(
        _("the council's rating"), choices=RATINGS, null=True, blank=True
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_cy = models.TextField(_("evidence in Welsh (optional)"), blank=True)
    reply = models.TextField(_("the council's reply to residents"), blank=True)
    reply_cy = models.TextField(_("the council's reply in Welsh (optional)"), blank=True)
    #: a live figure's key (core.figures), shown beside the evidence; "" for none
    figure = models.CharField(_("figure"), max_length=80, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(council_rating__isnull=True)
                | models.Q(council_rating__gte=1, council_rating__lte=5),
                name="criterion_rating_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return self.text


class ResidentRating(models.Model):
    """One resident's rating of one criterion (once: a database constraint), with an
    optional comment shown only after moderation. A hidden comment's rating still counts."""

    class Moderation(models.TextChoices):
        WAITING = "waiting", _("Waiting to be checked")
        SHOWN = "shown", _("Shown")
        HIDDEN = "hidden", _("Hidden")

    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="ratings")
    person = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    rating = models.PositiveSmallIntegerField(choices=RATINGS)
    comment = models.TextField(blank=True)
    moderation = models.CharField(
        max_length=8, choices=Moderation.choices, default=Moderation.WAITING
    )
    #: why a comment was hidden (a reason's key, see selectors.HIDE_REASONS)
    moderation_reason = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["criterion", "person"], name="rating_once_per_person"),
            models.CheckConstraint(
                condition=models.Q(rating__gte=1, rating__lte=5), name="rating_1_to_5"
            ),
        ]

    def __str__(self) -> str:
        return f"rating {self.pk}"


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


# Stories: listening on residents' own terms --------------------------------------------------

STORY_MAX = 1500


class StoryCollection(models.Model):
    """A prompt residents answer with a story ("Tell us about something that works well where
    you live, and what would make it better"), online at /stories/<slug>/, on paper or by
    phone (staff type those in)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="+")
    slug = models.SlugField(_("web address"), max_length=60)
    title = models.CharField(_("title"), max_length=150)
    title_cy = models.CharField(_("title in Welsh (optional)"), max_length=150, blank=True)
    question = models.CharField(_("question"), max_length=300)
    question_cy = models.CharField(_("question in Welsh (optional)"), max_length=300, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    is_open = models.BooleanField(_("open for stories"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["council", "slug"], name="story_collection_slug")
        ]

    def __str__(self) -> str:
        return self.title


class Story(models.Model):
    """One resident's story. No name or contact is kept with it: the text is all there is
    (and it may still mention people, so only story managers read it, audited)."""

    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("On paper")
        PHONE = "phone", _("By phone")

    class Status(models.TextChoices):
        NEW = "new", _("Not read yet")
        READ = "read", _("Read")
        HIDDEN = "hidden", _("Never to be quoted")

    collection = models.ForeignKey(
        StoryCollection, on_delete=models.CASCADE, related_name="stories"
    )
    what_works = models.TextField(_("what works well"), max_length=STORY_MAX)
    what_would_help = models.TextField(
        _("what would make it better"), max_length=STORY_MAX, blank=True
    )
    ward = models.ForeignKey(Ward, on_delete=models.SET_NULL, null=True, blank=True)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.ONLINE)
    #: the officer who typed in a paper or phone story (None for online stories)
    entered_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    consent = models.BooleanField(_("may be quoted in public"), default=False)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.NEW)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return f"story {self.pk}"

    @property
    def text(self) -> str:
        return f"{self.what_works}\n\n{self.what_would_help}".strip()

    @property
    def quotable(self) -> bool:
        """Whether it may be shown in public: the teller agreed, and an officer has read it
        and not held it back."""
        return self.consent and self.status == self.Status.READ


class Theme(models.Model):
    """What several stories say, named by an officer; it may become a budget idea or a
    consultation statement (``became_*``: what it became, and where)."""

    collection = models.ForeignKey(StoryCollection, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(_("name"), max_length=120)
    name_cy = models.CharField(_("name in Welsh (optional)"), max_length=120, blank=True)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    description_cy = models.TextField(
        _("description in Welsh (optional)"), max_length=1000, blank=True
    )
    stories = models.ManyToManyField(Story, related_name="themes", blank=True)
    became_label = models.CharField(max_length=200, blank=True)
    became_url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Suggestion(models.Model):
    """A group of stories the grouping job suggests as a theme, until accepted or ignored."""

    class Status(models.TextChoices):
        SUGGESTED = "suggested", _("Suggested")
        ACCEPTED = "accepted", _("Accepted")
        IGNORED = "ignored", _("Ignored")

    collection = models.ForeignKey(
        StoryCollection, on_delete=models.CASCADE, related_name="suggestions"
    )
    label = models.CharField(max_length=200)
    stories = models.ManyToManyField(Story, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUGGESTED)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"suggestion {self.pk}"
