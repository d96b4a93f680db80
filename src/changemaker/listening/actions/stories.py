"""Stories: told online, typed in from paper or the phone, read, themed, grouped and proposed
elsewhere (a budget idea, a consultation statement). Audited without the story's words and
without the teller."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.actions import start_job
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User, Ward
from changemaker.core.registry import PROPOSALS, ProposalRefused
from changemaker.listening import selectors
from changemaker.listening.actions.follows import ListeningError
from changemaker.listening.models import (
    STORY_MAX,
    Story,
    StoryCollection,
    Suggestion,
    Theme,
)

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
