"""Listening's writes for follow and notify: follows, choices, unsubscribe, read marks, the
jobs' bookkeeping (handing notices on, recording each email's outcome) and the notice that a
commitment changed. Audited without personal data: no subject titles, no addresses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, Notice, User
from changemaker.core.models.commitments import Commitment
from changemaker.core.notices import describe_subject, publish
from changemaker.listening import notices, selectors
from changemaker.listening.engine import How, backoff
from changemaker.listening.models import (
    Follow,
    Notification,
    Preference,
)


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


@action("listening.commitment_announced")
def announce_commitment_change(commitment: Commitment, changes: Mapping[str, object]) -> None:
    """A published commitment's status, progress or a milestone changed (core.commitments
    calls this in its own transaction): a notice to the followers of the commitment and of
    where it came from (the idea it was made of)."""
    subjects = [notices.commitment_key(commitment)]
    if commitment.source:
        subjects.append(commitment.source)
    publish(
        notices.COMMITMENT_CHANGED,
        council=commitment.council,
        subjects=subjects,
        commitment=commitment.pk,
        title=commitment.title,
        title_cy=commitment.title_cy,
        status=commitment.status,
        progress=commitment.progress,
        milestone="milestone" in changes,
    )
    audit.record(
        "listening.commitment_announced",
        council=commitment.council,
        obj=commitment,
        changed=sorted(changes),
    )
