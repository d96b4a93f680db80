"""Exampleton's follow and notify: the demo resident follows a consultation whose results
are out and their ward (weekly), and the notices the other demos published are handed on
and sent (under dev settings the emails are files in var/mail/); and its story collection
(``load_stories``). Idempotent."""

from __future__ import annotations

from base64 import b32decode

from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core.models import Council, Notice, User, Ward
from changemaker.core.notices import describe_subject, subject_key
from changemaker.listening import actions, adapter, demo_stories, selectors
from changemaker.listening.engine import How
from changemaker.listening.models import Follow, Story, StoryCollection, Theme

RESIDENT = "resident@exampleton.example"


def load(council: Council) -> list[str]:
    made = load_stories(council)
    resident = User.objects.filter(email=RESIDENT).first()
    if resident is None:
        return made
    if not Follow.objects.filter(user=resident, council=council).exists():
        made += _follows(council, resident)
    handed = adapter.dispatch_waiting()
    sent = adapter.send_due()
    if handed["notices"] or sent["sent"]:
        made.append(
            f"notifications: {handed['notices']} notices handed on, {sent['sent']} emails sent"
        )
    return made


def _follows(council: Council, resident: User) -> list[str]:
    made = []
    subjects = {
        key
        for subjects in Notice.objects.filter(council=council).values_list("subjects", flat=True)
        for key in subjects
        if describe_subject(council, key) is not None
    }
    for key in sorted(subjects)[:3]:
        actions.follow(resident, council, key, how=How.AT_ONCE)
        made.append("follow: the demo resident follows a subject")
    ward = Ward.objects.filter(council=council).order_by("name").first()
    if ward is not None:
        actions.follow(resident, council, subject_key(ward), how=How.WEEKLY)
        made.append("follow: the demo resident follows a ward (weekly)")
    return made


# Stories ------------------------------------------------------------------------------------

OFFICER = "engagement@exampleton.example"
COLLECTION = "where-you-live"


def load_stories(council: Council) -> list[str]:
    """Exampleton's story collection: forty stories on four topics (some on paper or by
    phone), read and themed, their suggested groupings, and the parks theme made a budget idea
    when a budget takes ideas. Skipped without the demo engagement officer; idempotent."""
    officer = User.objects.filter(email=OFFICER).first()
    if officer is None or StoryCollection.objects.filter(council=council, slug=COLLECTION).exists():
        return []
    _second_factor(officer)
    collection = actions.create_collection(
        council,
        by=officer,
        slug=COLLECTION,
        title="Where you live",
        title_cy="Lle rydych chi'n byw",
        question=(
            "Tell us about something that works well where you live, and what would make it better"
        ),
        question_cy=(
            "Dywedwch wrthym am rywbeth sy'n gweithio'n dda lle rydych chi'n byw, a beth fyddai'n "
            "ei wella"
        ),
    )
    wards = list(Ward.objects.filter(council=council).order_by("name"))
    themes = {}
    for n, (topic, stories) in enumerate(demo_stories.STORIES.items()):
        name, description = demo_stories.TOPICS[topic]
        themes[topic] = actions.create_theme(
            collection, by=officer, name=name, description=description
        )
        for i, (works, helps, channel, consent) in enumerate(stories):
            ward = wards[(n + i) % len(wards)] if wards and i % 3 else None
            story = _tell(collection, officer, works, helps, channel, consent, ward)
            if i < 8:  # the last two of each topic are waiting to be read
                actions.check_story(
                    story, by=officer, status=Story.Status.READ, themes=[themes[topic]]
                )
    made = [f"stories: '{collection.title}' with {collection.stories.count()} stories"]
    groups = adapter.suggest_groupings(collection)
    made.append(f"stories: {groups['groups']} suggested themes")
    made += _parks_become_an_idea(council, officer, themes["parks"])
    return made


def _tell(
    collection: StoryCollection,
    officer: User,
    works: str,
    helps: str,
    channel: str,
    consent: bool,
    ward: Ward | None,
) -> Story:
    if channel == demo_stories.ONLINE:
        return actions.tell_story(
            collection, what_works=works, what_would_help=helps, ward=ward, consent=consent
        )
    return actions.enter_story(
        collection,
        by=officer,
        channel=channel,
        what_works=works,
        what_would_help=helps,
        ward=ward,
        consent=consent,
    )


def _second_factor(officer: User) -> None:
    """Reading stories asks for a second factor: the demo officer gets the demo authenticator
    (the published demo key, as core's demo gives the roles that always need one)."""
    from changemaker.core.management.commands.load_demo import DEMO_TOTP_KEY

    TOTPDevice.objects.get_or_create(
        user=officer,
        name="Demo authenticator",
        defaults={"key": b32decode(DEMO_TOTP_KEY).hex(), "confirmed": True},
    )


def _parks_become_an_idea(council: Council, officer: User, theme: Theme) -> list[str]:
    for key, _label, _where in selectors.proposal_choices(council):
        sink, _bar, target = key.partition("|")
        if sink == "budgeting.idea":
            actions.propose_theme(
                theme,
                by=officer,
                sink=sink,
                target=target,
                title="Shade, benches and open toilets in our parks",
                text=(
                    "Residents' stories say the splash pad, play areas and park run bring "
                    "families out, but there is nowhere to sit in the shade and the toilets are "
                    "shut when the parks are busiest. Shade sails, benches and longer toilet "
                    "opening in the borough's main parks."
                ),
            )
            return ["stories: the parks theme became a budget idea"]
    return []
