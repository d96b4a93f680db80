"""Listening's writes, each an @action: following, choices, unsubscribing, reading, the
jobs' bookkeeping (handing notices on, recording each email's outcome), and stories (told,
typed in, read, themed, grouped, proposed elsewhere). Audited without personal data: no
subject titles, no addresses, no story's words."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from changemaker.core import audit
from changemaker.core.actions import start_job
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, Notice, User, Ward
from changemaker.core.notices import describe_subject
from changemaker.core.registry import PROPOSALS, ProposalRefused
from changemaker.listening import selectors
from changemaker.listening.engine import How, backoff
from changemaker.listening.models import (
    STORY_MAX,
    Follow,
    Notification,
    Preference,
    Story,
    StoryCollection,
    Suggestion,
    Theme,
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


# Stories ------------------------------------------------------------------------------------
# Audited without the story's words (they may name people) and without the teller: a story
# keeps no name or contact, and the audit must not link one to it either.


class StoryError(ListeningError):
    """A story write refused; the message says what to do."""


def _story_text(value: str, label: str, *, required: bool) -> str:
    text = value.strip()
    if required and not text:
        raise StoryError(_("Tell us %(what)s") % {"what": label})
    if len(text) > STORY_MAX:
        raise StoryError(
            _("%(what)s must be %(n)s characters or fewer") % {"what": label, "n": STORY_MAX}
        )
    return text


def _new_story(
    collection: StoryCollection,
    *,
    what_works: str,
    what_would_help: str,
    ward: Ward | None,
    consent: bool,
    channel: str,
    entered_by: User | None = None,
) -> Story:
    if ward is not None and ward.council_id != collection.council_id:
        raise StoryError(_("Choose a ward from the list"))
    return Story.objects.create(
        collection=collection,
        what_works=_story_text(what_works, _("what works well"), required=True),
        what_would_help=_story_text(
            what_would_help, _("what would make it better"), required=False
        ),
        ward=ward,
        consent=consent,
        channel=channel,
        entered_by=entered_by,
    )


@action("listening.story_told")
def tell_story(
    collection: StoryCollection,
    *,
    what_works: str,
    what_would_help: str = "",
    ward: Ward | None = None,
    consent: bool = False,
) -> Story:
    """A resident's story, online (signed in or not: who told it is not kept)."""
    if not collection.is_open:
        raise StoryError(_("This collection of stories has closed."))
    story = _new_story(
        collection,
        what_works=what_works,
        what_would_help=what_would_help,
        ward=ward,
        consent=consent,
        channel=Story.Channel.ONLINE,
    )
    audit.record(
        "listening.story_told",
        council=collection.council,
        obj=story,
        channel=story.channel,
        consent=consent,
    )
    return story


@action("listening.story_entered")
def enter_story(
    collection: StoryCollection,
    *,
    by: User,
    channel: str,
    what_works: str,
    what_would_help: str = "",
    ward: Ward | None = None,
    consent: bool = False,
) -> Story:
    """A story told on paper or by phone, typed in by an officer (closed collections too:
    the paper forms come back late)."""
    if channel not in {Story.Channel.PAPER, Story.Channel.PHONE}:
        raise StoryError(_("Choose whether the story came on paper or by phone"))
    story = _new_story(
        collection,
        what_works=what_works,
        what_would_help=what_would_help,
        ward=ward,
        consent=consent,
        channel=channel,
        entered_by=by,
    )
    audit.record(
        "listening.story_entered",
        actor=by,
        council=collection.council,
        obj=story,
        channel=channel,
        consent=consent,
    )
    return story


@action("listening.collection_created")
def create_collection(
    council: Council,
    *,
    by: User,
    slug: str,
    title: str,
    question: str,
    title_cy: str = "",
    question_cy: str = "",
    ward: Ward | None = None,
) -> StoryCollection:
    if selectors.slug_taken(council, slug) or slug in RESERVED_SLUGS:
        raise StoryError(_("This web address is already used. Choose another one."))
    collection = StoryCollection.objects.create(
        council=council,
        slug=slug,
        title=title.strip(),
        title_cy=title_cy.strip(),
        question=question.strip(),
        question_cy=question_cy.strip(),
        ward=ward,
    )
    audit.record("listening.collection_created", actor=by, council=council, obj=collection)
    return collection


#: web addresses a collection may not take (staff pages live under /stories/manage/)
RESERVED_SLUGS = frozenset({"manage"})


@action("listening.collection_opened")
def set_collection_open(collection: StoryCollection, *, by: User, is_open: bool) -> None:
    collection.is_open = is_open
    collection.save(update_fields=["is_open"])
    audit.record(
        "listening.collection_opened" if is_open else "listening.collection_closed",
        actor=by,
        council=collection.council,
        obj=collection,
    )


@action("listening.story_checked")
def check_story(story: Story, *, by: User, status: str, themes: Iterable[Theme]) -> Story:
    """An officer has read a story: whether it may be quoted (if its teller agreed) and
    which of the collection's themes it tells of."""
    chosen = list(themes)
    if any(t.collection_id != story.collection_id for t in chosen):
        raise StoryError(_("Choose themes of this collection"))
    story.status = Story.Status(status).value
    story.save(update_fields=["status"])
    story.themes.set(chosen)
    audit.record(
        "listening.story_checked",
        actor=by,
        council=story.collection.council,
        obj=story,
        status=story.status,
        themes=sorted(t.pk for t in chosen),
    )
    return story


@action("listening.theme_created")
def create_theme(
    collection: StoryCollection,
    *,
    by: User,
    name: str,
    description: str = "",
    name_cy: str = "",
    description_cy: str = "",
    stories: Iterable[Story] = (),
) -> Theme:
    if not name.strip():
        raise StoryError(_("Enter a name for the theme"))
    theme = Theme.objects.create(
        collection=collection,
        name=name.strip(),
        name_cy=name_cy.strip(),
        description=description.strip(),
        description_cy=description_cy.strip(),
    )
    theme.stories.set([s for s in stories if s.collection_id == collection.pk])
    audit.record(
        "listening.theme_created",
        actor=by,
        council=collection.council,
        obj=theme,
        stories=theme.stories.count(),
    )
    return theme


@action("listening.suggestion_accepted")
def accept_suggestion(
    suggestion: Suggestion, *, by: User, name: str, name_cy: str = "", description: str = ""
) -> Theme:
    """A suggested grouping becomes a theme holding its stories."""
    theme = create_theme(
        suggestion.collection,
        by=by,
        name=name,
        name_cy=name_cy,
        description=description,
        stories=suggestion.stories.all(),
    )
    suggestion.status = Suggestion.Status.ACCEPTED
    suggestion.save(update_fields=["status"])
    return theme


@action("listening.suggestion_ignored")
def ignore_suggestion(suggestion: Suggestion, *, by: User) -> None:
    suggestion.status = Suggestion.Status.IGNORED
    suggestion.save(update_fields=["status"])
    audit.record(
        "listening.suggestion_ignored",
        actor=by,
        council=suggestion.collection.council,
        obj=suggestion,
    )


@action("listening.grouping_started")
def start_grouping(collection: StoryCollection, *, by: User) -> Job:
    return start_job(
        selectors.GROUPING,
        title="Suggest groupings of stories",
        params={"collection": collection.pk},
        council=collection.council,
        by=by,
    )


@action("listening.suggestions_saved")
def save_suggestions(
    collection: StoryCollection, groups: Sequence[tuple[str, Sequence[int]]]
) -> int:
    """The grouping job's suggestions (label, story ids), in place of the ones not yet
    answered; stories deleted meanwhile are left out."""
    collection.suggestions.filter(status=Suggestion.Status.SUGGESTED).delete()
    known = set(collection.stories.values_list("pk", flat=True))
    made = 0
    for label, ids in groups:
        members = [i for i in ids if i in known]
        if len(members) < 2:
            continue
        suggestion = Suggestion.objects.create(collection=collection, label=label[:200])
        suggestion.stories.set(members)
        made += 1
    audit.record(
        "listening.suggestions_saved", council=collection.council, obj=collection, groups=made
    )
    return made


@action("listening.theme_proposed")
def propose_theme(theme: Theme, *, by: User, sink: str, target: str, title: str, text: str) -> str:
    """A theme becomes something elsewhere (a budget idea, a consultation statement) through
    the ``proposals`` hook, carrying its stories as evidence; the theme remembers it."""
    found = PROPOSALS.get(sink)
    if found is None:
        raise StoryError(_("Choose what the theme should become"))
    council = theme.collection.council
    try:
        url = found.make(
            council,
            target,
            by=by,
            title=title.strip() or theme.name,
            text=text.strip() or theme.description or theme.name,
            evidence=selectors.evidence_for(theme),
        )
    except ProposalRefused as exc:
        raise StoryError(str(exc)) from exc
    theme.became_label = str(found.label)
    theme.became_url = url
    theme.save(update_fields=["became_label", "became_url"])
    audit.record("listening.theme_proposed", actor=by, council=council, obj=theme, sink=sink)
    return url
