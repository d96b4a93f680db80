"""Listening's writes, each an @action: following, choices, unsubscribing, reading, the
jobs' bookkeeping (handing notices on, recording each email's outcome), the open
self-evaluation (cycles, criteria, residents' ratings, moderation, publishing) and "we asked,
you said, we did" pages (draft, draft again, edit, publish, unpublish). Audited without
personal data: no subject titles, no addresses, no ratings, comments or page text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.conf import settings
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.figures import live_figures
from changemaker.core.models import Council, Notice, User
from changemaker.core.notices import describe_subject, publish
from changemaker.core.registry import ReportSource
from changemaker.listening import criteria_bank, selectors
from changemaker.listening.engine import How, backoff
from changemaker.listening.models import (
    Criterion,
    Follow,
    Notification,
    Preference,
    Report,
    ResidentRating,
    Scorecard,
)
from changemaker.listening.notices import REPORT_PUBLISHED


class ListeningError(Exception):
    """A write refused; the message is safe to show."""


INVALID_LINK = gettext_lazy(
    "This unsubscribe link is not valid. Use the link in your latest email, or sign in and "
    "choose how you hear on the ‘Your notification choices’ page."
)


def _preference(user: User, language: str | None = None) -> Preference:
    pref, _created = Preference.objects.get_or_create(user=user)
    if language and pref.language != language:
        pref.language = language
        pref.save(update_fields=["language"])
    return pref


@action("listening.followed")
def follow(
    user: User, council: Council, subject: str, *, how: str = How.AT_ONCE, language: str = ""
) -> Follow:
    """Follow a subject (again: changes nothing). Only subjects the site names can be
    followed: nothing private, nothing made up."""
    if describe_subject(council, subject) is None:
        raise ListeningError(_("This cannot be followed. Go back and try again."))
    _preference(user, language)
    found, created = Follow.objects.get_or_create(
        user=user, council=council, subject=subject, defaults={"how": How(how).value}
    )
    audit.record(
        "listening.followed",
        actor=user,
        council=council,
        obj=found,
        kind=subject.partition(":")[0],
        already=not created,
    )
    return found


@action("listening.follow_changed")
def change_follow(follow: Follow, *, how: str) -> Follow:
    follow.how = How(how).value
    follow.save(update_fields=["how"])
    audit.record(
        "listening.follow_changed", actor=follow.user, council=follow.council, obj=follow, how=how
    )
    return follow


@action("listening.unfollowed")
def unfollow(follow: Follow) -> None:
    audit.record(
        "listening.unfollowed",
        actor=follow.user,
        council=follow.council,
        obj=follow,
        kind=follow.subject.partition(":")[0],
    )
    follow.delete()


@action("listening.preferences_saved")
def save_preferences(
    user: User, council: Council, *, own: Mapping[str, str], emails: bool, language: str = ""
) -> Preference:
    pref = _preference(user, language)
    pref.own = {kind: How(how).value for kind, how in own.items()}
    pref.emails = emails
    if emails:
        pref.unsubscribed_at = None
    pref.save(update_fields=["own", "emails", "unsubscribed_at"])
    audit.record(
        "listening.preferences_saved", actor=user, council=council, obj=pref, emails=emails
    )
    return pref


@action("listening.unsubscribed")
def unsubscribe(token: str, *, council: Council | None) -> Preference:
    """One click from an email, signed in or not: no more notification emails for the
    person the link was sent to (the in-app list goes on). Their waiting emails are not sent."""
    pref = selectors.preference_for_token(token)
    if pref is None:
        raise ListeningError(str(INVALID_LINK))
    already = not pref.emails
    pref.emails = False
    pref.unsubscribed_at = pref.unsubscribed_at or timezone.now()
    pref.save(update_fields=["emails", "unsubscribed_at"])
    Notification.objects.filter(user=pref.user, status=Notification.Status.WAITING).update(
        status=Notification.Status.NOT_EMAILED, next_attempt_at=None
    )
    audit.record(
        "listening.unsubscribed", actor=pref.user, council=council, obj=pref, already=already
    )
    return pref


@action("listening.read")
def mark_read(user: User, council: Council, *, ids: Iterable[int] | None = None) -> int:
    """Mark this person's notifications read: the ones given, or all of them."""
    mine = selectors.own_notifications(user, council).filter(read_at__isnull=True)
    if ids is not None:
        mine = mine.filter(pk__in=list(ids))
    count = Notification.objects.filter(pk__in=list(mine.values_list("pk", flat=True))).update(
        read_at=timezone.now()
    )
    audit.record("listening.read", actor=user, council=council, count=count)
    return count


# The jobs' bookkeeping ----------------------------------------------------------------------


@action("listening.dispatched")
def dispatch(notice: Notice) -> int:
    """Hand one notice on: one notification per person who hears of it (none twice)."""
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    if notice.dispatched_at is not None:
        return 0
    now = timezone.now()
    hows = selectors.audience(notice)
    have = set(Notification.objects.filter(notice=notice).values_list("user_id", flat=True))
    with_preference = set(
        Preference.objects.filter(user_id__in=hows).values_list("user_id", flat=True)
    )
    Preference.objects.bulk_create(
        [Preference(user_id=user_id) for user_id in sorted(set(hows) - with_preference)]
    )
    Notification.objects.bulk_create(
        [
            Notification(
                user_id=user_id,
                notice=notice,
                how=how.value,
                status=(
                    Notification.Status.NOT_EMAILED
                    if how == How.NEVER
                    else Notification.Status.WAITING
                ),
                created_at=now,
                next_attempt_at=None if how == How.NEVER else now,
            )
            for user_id, how in sorted(hows.items())
            if user_id not in have
        ]
    )
    notice.dispatched_at = now
    notice.save(update_fields=["dispatched_at"])
    audit.record(
        "listening.dispatched",
        council=notice.council,
        obj=notice,
        kind=notice.kind,
        people=len(hows),
    )
    return len(hows)


@action("listening.emailed")
def record_attempts(
    sent: Iterable[Notification],
    failed: Mapping[Notification, str],
    *,
    when: datetime,
    digest: str = "",
) -> dict[str, int]:
    """Record what one sending run did (one by one, or a ``digest``): each notification
    sent, waiting for its next try, or given up after the last one."""
    sent_ids = [n.pk for n in sent]
    Notification.objects.filter(pk__in=sent_ids).update(
        status=Notification.Status.SENT,
        emailed_at=when,
        next_attempt_at=None,
        last_error="",
        attempts=F("attempts") + 1,
    )
    gave_up = 0
    for notification, error in failed.items():
        attempts = notification.attempts + 1
        pause = backoff(attempts)
        fields: dict[str, object] = {"attempts": attempts, "last_error": error[:200]}
        if pause is None:
            gave_up += 1
            fields |= {"status": Notification.Status.FAILED, "next_attempt_at": None}
        else:
            fields |= {"next_attempt_at": when + pause}
        Notification.objects.filter(pk=notification.pk).update(**fields)
    result = {"sent": len(sent_ids), "retrying": len(failed) - gave_up, "gave_up": gave_up}
    audit.record(
        "listening.digest_sent" if digest else "listening.emailed",
        digest=digest,
        sent=result["sent"],
        retrying=result["retrying"],
        gave_up=gave_up,
    )
    return result


# Open self-evaluation -------------------------------------------------------------------------


def _moved(card: Scorecard, to: str, by: User, *, figures: int = 0) -> Scorecard:
    card.status = to
    stamp = {
        Scorecard.Status.OPEN: "opened_at",
        Scorecard.Status.CLOSED: "closed_at",
        Scorecard.Status.PUBLISHED: "published_at",
    }[Scorecard.Status(to)]
    setattr(card, stamp, timezone.now())
    card.save(update_fields=["status", stamp, "figures"])
    audit.record(
        f"listening.scorecard_{to}", actor=by, council=card.council, obj=card, figures=figures
    )
    return card


def _require(card: Scorecard, status: str, message: str) -> None:
    if card.status != status:
        raise ListeningError(message)


@action("listening.scorecard_created")
def create_scorecard(
    council: Council, *, title: str, title_cy: str = "", period: str, lga: bool, by: User
) -> Scorecard:
    """A new cycle in draft: a blank sheet, or the LGA's resident-satisfaction questions."""
    card = Scorecard.objects.create(
        council=council,
        slug=selectors.slug_for_scorecard(council, title),
        title=title,
        title_cy=title_cy,
        period=period,
    )
    if lga:
        Criterion.objects.bulk_create(
            Criterion(scorecard=card, text=text, source=Criterion.Source.LGA, order=i)
            for i, text in enumerate(criteria_bank.lga_questions(council.name), start=1)
        )
    audit.record(
        "listening.scorecard_created",
        actor=by,
        council=council,
        obj=card,
        lga=lga,
        criteria=card.criteria.count(),
    )
    return card


@action("listening.criterion_saved")
def save_criterion(criterion: Criterion, *, by: User) -> Criterion:
    """Add or change a criterion. Its words change only in a draft (residents rate the words
    they were shown); the council's rating, evidence, figure and reply until publication."""
    card = criterion.scorecard
    if card.status == Scorecard.Status.PUBLISHED:
        raise ListeningError(_("This self-evaluation is published: it can no longer change."))
    if card.status != Scorecard.Status.DRAFT:
        before = Criterion.objects.filter(pk=criterion.pk).values("text", "text_cy").first()
        if before is None or before != {"text": criterion.text, "text_cy": criterion.text_cy}:
            raise ListeningError(
                _("Residents have been asked to rate these words: they cannot change now.")
            )
    if criterion.pk is None:
        last = card.criteria.order_by("-order").values_list("order", flat=True).first()
        criterion.order = (last or 0) + 1
    criterion.save()
    audit.record(
        "listening.criterion_saved",
        actor=by,
        council=card.council,
        obj=criterion,
        status=card.status,
    )
    return criterion


@action("listening.scorecard_open")
def open_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    _require(card, Scorecard.Status.DRAFT, _("Only a draft can be opened for ratings."))
    if not card.criteria.exists():
        raise ListeningError(_("Add at least one criterion before opening it for ratings."))
    return _moved(card, Scorecard.Status.OPEN, by)


@action("listening.scorecard_closed")
def close_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    _require(card, Scorecard.Status.OPEN, _("Only a self-evaluation open for ratings can close."))
    return _moved(card, Scorecard.Status.CLOSED, by)


@action("listening.scorecard_published")
def publish_scorecard(card: Scorecard, *, by: User) -> Scorecard:
    """Publish a closed cycle, freezing its live figures as they stand now."""
    _require(card, Scorecard.Status.CLOSED, _("Close ratings before publishing."))
    if card.criteria.filter(council_rating__isnull=True).exists():
        raise ListeningError(_("Give the council's rating for every criterion before publishing."))
    waiting = selectors.comments_to_moderate(card).filter(
        moderation=ResidentRating.Moderation.WAITING
    )
    if waiting.exists():
        raise ListeningError(_("Check every comment (show or hide it) before publishing."))
    card.figures = {
        f.key: {
            "label": str(f.label),
            "value": f.value,
            "unit": str(f.unit),
            "explanation": str(f.explanation),
        }
        for f in live_figures(card.council)
    }
    return _moved(card, Scorecard.Status.PUBLISHED, by, figures=len(card.figures))


@action("listening.rated")
def rate(
    person: User, card: Scorecard, given: Mapping[int, tuple[int | None, str]]
) -> dict[str, int]:
    """A resident's ratings of the cycle's criteria (criterion -> rating or None, comment),
    once per criterion: again while ratings are open changes them (None takes one back). A
    changed comment waits to be checked again."""
    card = Scorecard.objects.select_for_update().get(pk=card.pk)
    if card.status != Scorecard.Status.OPEN:
        raise ListeningError(_("This self-evaluation is not open for ratings any more."))
    mine = selectors.own_ratings(person, card)
    now = timezone.now()
    counts = {"rated": 0, "changed": 0, "removed": 0}
    for criterion in card.criteria.filter(pk__in=list(given)):
        value, comment = given[criterion.pk]
        comment = comment.strip()
        found = mine.get(criterion.pk)
        if value is None:
            if found is not None:
                found.delete()
                counts["removed"] += 1
            continue
        if found is None:
            found = ResidentRating(criterion=criterion, person=person, created_at=now)
            counts["rated"] += 1
        elif (found.rating, found.comment) == (value, comment):
            continue
        else:
            counts["changed"] += 1
        if comment != found.comment or found.pk is None:
            found.moderation = (
                ResidentRating.Moderation.WAITING if comment else ResidentRating.Moderation.SHOWN
            )
            found.moderation_reason = ""
        found.rating, found.comment, found.updated_at = value, comment, now
        found.save()
    audit.record(
        "listening.rated",
        actor=person,
        council=card.council,
        obj=card,
        rated=counts["rated"],
        changed=counts["changed"],
        removed=counts["removed"],
    )
    return counts


@action("listening.comment_moderated")
def moderate_comment(rating: ResidentRating, *, show: bool, reason: str = "", by: User) -> None:
    """Show a comment, or hide it with a reason (its rating still counts)."""
    if not show and reason not in selectors.HIDE_REASONS:
        raise ListeningError(_("Choose why you are hiding this comment"))
    rating.moderation = (
        ResidentRating.Moderation.SHOWN if show else ResidentRating.Moderation.HIDDEN
    )
    rating.moderation_reason = "" if show else reason
    rating.save(update_fields=["moderation", "moderation_reason"])
    card = rating.criterion.scorecard
    audit.record(
        "listening.comment_moderated",
        actor=by,
        council=card.council,
        obj=rating,
        reason=rating.moderation_reason,
        shown=show,
        scorecard=card.pk,
    )


# We asked, you said, we did -----------------------------------------------------------------

#: the parts a draft writes; "we did" and the decisions are the officer's alone
DRAFTED = ("title", "we_asked", "you_said")
#: what an officer edits: every part and its Welsh companion
EDITED = tuple(f for part in (*DRAFTED, "we_did", "decisions") for f in (part, f"{part}_cy"))


def _drafted(source: ReportSource) -> dict[str, object]:
    """The source's draft in the site's language (English): the officer writes the Welsh."""
    with translation.override(settings.LANGUAGE_CODE):
        made = source.draft()
        return {
            "title": str(source.title),
            "we_asked": made.we_asked,
            "you_said": made.you_said,
            "figures": [[str(label), str(value)] for label, value in made.figures],
            "url": made.url,
            "related_sources": list(made.related_sources),
        }


def _apply_data(report: Report, made: dict[str, object], source: ReportSource) -> None:
    report.figures = made["figures"]
    report.url = str(made["url"])
    report.related_sources = made["related_sources"]
    report.closed_on = source.closed_on
    report.drafted = {part: made[part] for part in DRAFTED}
    report.drafted_at = timezone.now()


@action("listening.report_drafted")
def draft_report(council: Council, source: ReportSource, *, by: User) -> Report:
    """Draft the page of a closed process from its data (once: a page that exists is
    returned as it is)."""
    existing = Report.objects.filter(council=council, source=source.key).first()
    if existing is not None:
        return existing
    made = _drafted(source)
    report = Report(
        council=council,
        source=source.key,
        kind=selectors.kind_of(source.key),
        **{part: str(made[part])[: 200 if part == "title" else None] for part in DRAFTED},
    )
    _apply_data(report, made, source)
    report.save()
    audit.record(
        "listening.report_drafted", actor=by, council=council, obj=report, source=source.key
    )
    return report


@action("listening.report_redrafted")
def redraft_report(report: Report, source: ReportSource, *, by: User, replace: bool) -> Report:
    """Draft again from the data: the figures, links and commitments' keys always; a drafted
    part only where the officer has not changed it since the last draft, or every drafted part
    with ``replace``. "We did", the decisions and the Welsh are never touched."""
    made = _drafted(source)
    kept = []
    for part in DRAFTED:
        if replace or getattr(report, part) == report.drafted.get(part):
            setattr(report, part, str(made[part])[: 200 if part == "title" else None])
        else:
            kept.append(part)
    _apply_data(report, made, source)
    report.save()
    audit.record(
        "listening.report_redrafted",
        actor=by,
        council=report.council,
        obj=report,
        replace=replace,
        kept=kept,
    )
    return report


@action("listening.report_saved")
def save_report(report: Report, *, by: User, parts: Mapping[str, str]) -> Report:
    """Save an officer's words (only the parts they may edit). What changed is told against
    the stored page (a bound form has already written its values onto ``report``)."""
    stored = Report.objects.get(pk=report.pk)
    changed = sorted(f for f in EDITED if f in parts and getattr(stored, f) != parts[f])
    for f in changed:
        setattr(report, f, parts[f])
    if changed:
        report.save(update_fields=changed)
    audit.record(
        "listening.report_saved", actor=by, council=report.council, obj=report, changed=changed
    )
    return report


@action("listening.report_published")
def publish_report(report: Report, *, by: User) -> Report:
    """Publish the page; the followers of its process hear of it (once, however often the
    page is published again)."""
    if not report.we_did.strip():
        raise ListeningError(_("Write what we did before publishing the page."))
    report.status = Report.Status.PUBLISHED
    report.published_at = timezone.now()
    report.save(update_fields=["status", "published_at"])
    publish(
        REPORT_PUBLISHED,
        council=report.council,
        subjects=[report.source],
        key=f"{REPORT_PUBLISHED}:{report.pk}",
        report=report.pk,
        title=report.title,
        title_cy=report.title_cy,
    )
    audit.record(
        "listening.report_published",
        actor=by,
        council=report.council,
        obj=report,
        source=report.source,
    )
    return report


@action("listening.report_unpublished")
def unpublish_report(report: Report, *, by: User) -> Report:
    """Take the page down: it is a draft again, seen by officers only."""
    report.status = Report.Status.DRAFT
    report.published_at = None
    report.save(update_fields=["status", "published_at"])
    audit.record(
        "listening.report_unpublished",
        actor=by,
        council=report.council,
        obj=report,
        source=report.source,
    )
    return report
