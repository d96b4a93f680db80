"""Residents' stories: telling one without JavaScript (no name or contact stored, nothing
linking it to an account), consent on every public display, staff typing in paper and phone
stories, reading and theming, suggested groupings as a job, and the demo."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from changemaker.core.jobs import run_job
from changemaker.core.models import AuditEvent, Council, Job, Role, User
from changemaker.core.tests.factories import WardFactory, sign_in
from changemaker.listening import actions, demo, selectors
from changemaker.listening.models import Story, StoryCollection, Suggestion, Theme
from changemaker.listening.tests.conftest import HOST

pytestmark = pytest.mark.django_db


@pytest.fixture
def collection(council: Council) -> StoryCollection:
    return StoryCollection.objects.create(
        council=council,
        slug="where-you-live",
        title="Where you live",
        question="Tell us about something that works well where you live",
    )


@pytest.fixture
def officer(make_user: Callable[..., User]) -> User:
    return make_user(Role.ENGAGEMENT_OFFICER)


@pytest.fixture
def staff(officer: User) -> Client:
    return sign_in(Client(), officer, two_factor=True)


def test_a_story_keeps_no_name_or_contact() -> None:
    fields = {f.name for f in Story._meta.get_fields()}
    assert not {n for n in fields if any(w in n for w in ("name", "email", "phone", "contact"))}
    user_links = {
        f.name for f in Story._meta.get_fields() if getattr(f, "related_model", None) is User
    }
    assert user_links == {"entered_by"}  # the officer who typed a paper or phone story in


def test_telling_a_story_without_javascript(
    collection: StoryCollection, council: Council, make_user: Callable[..., User]
) -> None:
    ward = WardFactory(council=council, name="Abbey")
    client = sign_in(Client(), make_user(Role.RESIDENT))  # signed in: still not linked
    url = reverse("listening:story-tell", args=[collection.slug])
    page = client.get(url, **HOST).content.decode()
    assert "govuk-character-count" in page and '<form method="post"' in page
    assert 'name="email"' not in page and 'name="name"' not in page
    refused = client.post(url, {"what_works": "  ", "what_would_help": "x" * 1501}, **HOST)
    body = refused.content.decode()
    assert "There is a problem" in body
    assert 'href="#id_what_works"' in body
    assert "Tell us what works well where you live" in body
    assert "1500 characters or fewer" in body
    assert Story.objects.count() == 0
    done = client.post(
        url,
        {"what_works": "The splash pad", "what_would_help": "Shade", "ward": str(ward.pk)},
        **HOST,
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("listening:story-thanks", args=[collection.slug])
    story = Story.objects.get()
    assert (story.channel, story.ward, story.consent, story.entered_by) == (
        "online",
        ward,
        False,
        None,
    )
    event = AuditEvent.objects.get(action="listening.story_told")
    assert event.actor is None and "splash" not in str(event.detail)
    thanks = client.get(done["Location"], **HOST).content.decode()
    assert "What happens next" in thanks


def test_a_closed_collection_takes_no_stories(collection: StoryCollection) -> None:
    collection.is_open = False
    collection.save()
    url = reverse("listening:story-tell", args=[collection.slug])
    response = Client().post(url, {"what_works": "The library"}, **HOST)
    assert "has closed" in response.content.decode()
    assert Story.objects.count() == 0


@override_settings(CHANGEMAKER_THROTTLES={"listening.story": "2/hour"})
def test_telling_is_throttled(collection: StoryCollection) -> None:
    url = reverse("listening:story-tell", args=[collection.slug])
    client = Client()
    codes = [client.post(url, {"what_works": f"Story {i}"}, **HOST).status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert Story.objects.count() == 2


def test_only_consented_and_read_stories_are_shown_in_public(
    collection: StoryCollection, officer: User
) -> None:
    agreed_read = actions.tell_story(collection, what_works="Agreed and read", consent=True)
    agreed_unread = actions.tell_story(collection, what_works="Agreed not read", consent=True)
    refused_read = actions.tell_story(collection, what_works="Refused but read", consent=False)
    agreed_hidden = actions.tell_story(collection, what_works="Agreed but names", consent=True)
    for story, status in [
        (agreed_read, Story.Status.READ),
        (refused_read, Story.Status.READ),
        (agreed_hidden, Story.Status.HIDDEN),
    ]:
        actions.check_story(story, by=officer, status=status, themes=[])
    page = Client().get(reverse("listening:story-tell", args=[collection.slug]), **HOST)
    text = page.content.decode()
    assert "Agreed and read" in text
    for hidden in ("Agreed not read", "Refused but read", "Agreed but names"):
        assert hidden not in text
    theme = actions.create_theme(
        collection,
        by=officer,
        name="All",
        stories=[agreed_read, agreed_unread, refused_read, agreed_hidden],
    )
    evidence = selectors.evidence_for(theme)
    assert evidence.count == 4
    assert evidence.quotes == ("Agreed and read",)


def test_staff_type_in_paper_and_phone_stories(
    collection: StoryCollection, staff: Client, officer: User
) -> None:
    url = reverse("listening:stories-story-new", args=[collection.pk])
    refused = staff.post(url, {"what_works": "The lunch club"}, **HOST)
    assert "Choose whether the story came on paper or by phone" in refused.content.decode()
    done = staff.post(url, {"channel": "phone", "what_works": "The lunch club"}, **HOST)
    assert done.status_code == 302
    story = Story.objects.get()
    assert (story.channel, story.entered_by) == ("phone", officer)


def test_reading_themes_and_the_audit(
    collection: StoryCollection, staff: Client, officer: User
) -> None:
    story = actions.tell_story(collection, what_works="The chatty bench")
    staff.post(
        reverse("listening:stories-theme-new", args=[collection.pk]),
        {"name": "Loneliness", "name_cy": "Unigrwydd"},
        **HOST,
    )
    theme = Theme.objects.get()
    assert theme.name_cy == "Unigrwydd"
    page = staff.get(reverse("listening:stories-story", args=[collection.pk, story.pk]), **HOST)
    assert "The chatty bench" in page.content.decode()
    viewed = AuditEvent.objects.filter(action="listening.stories.viewed")
    assert viewed.count() == 1 and viewed.get().actor == officer
    staff.post(
        reverse("listening:stories-story", args=[collection.pk, story.pk]),
        {"status": "read", "themes": [str(theme.pk)]},
        **HOST,
    )
    story.refresh_from_db()
    assert story.status == "read" and list(story.themes.all()) == [theme]
    listing = staff.get(reverse("listening:stories-collection", args=[collection.pk]), **HOST)
    assert "The chatty bench" in listing.content.decode()
    assert viewed.count() == 2


def test_suggested_groupings_run_as_a_job_and_are_accepted_or_ignored(
    collection: StoryCollection, staff: Client
) -> None:
    for text in ["The bus to town", "The bus is late", "The bus stop", "A bench in the park"]:
        actions.tell_story(collection, what_works=text)
    actions.tell_story(collection, what_works="The park play area")
    actions.tell_story(collection, what_works="The park cafe")
    url = reverse("listening:stories-suggestions", args=[collection.pk])
    with TestCase.captureOnCommitCallbacks(execute=True):
        staff.post(url, **HOST)
    job = Job.objects.get(kind=selectors.GROUPING)
    run_job.call(str(job.pk))  # what the worker does
    job.refresh_from_db()
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result == {"stories": 6, "groups": 2, "grouped": 6}
    page = staff.get(url, **HOST).content.decode()
    assert "“bus”: 3 stories" in page and "“park”: 3 stories" in page
    bus, park = sorted(Suggestion.objects.all(), key=lambda s: s.label)
    staff.post(
        reverse("listening:stories-suggestion", args=[collection.pk, bus.pk]),
        {"answer": "accept", "name": "Buses"},
        **HOST,
    )
    theme = Theme.objects.get(name="Buses")
    assert theme.stories.count() == 3
    staff.post(
        reverse("listening:stories-suggestion", args=[collection.pk, park.pk]),
        {"answer": "ignore"},
        **HOST,
    )
    assert list(Suggestion.objects.values_list("status", flat=True).order_by("label")) == [
        "accepted",
        "ignored",
    ]
    assert Theme.objects.count() == 1


def test_the_demo_collection_loads_once(council: Council, make_user: Callable[..., User]) -> None:
    WardFactory(council=council, name="Abbey")
    make_user(Role.ENGAGEMENT_OFFICER, email=demo.STORY_OFFICER)
    made = demo.load_stories(council)
    assert made[0] == "stories: 'Where you live' with 40 stories"
    collection = StoryCollection.objects.get()
    assert collection.stories.exclude(channel="online").count() == 16  # paper and phone
    assert collection.themes.count() == 4
    assert collection.stories.filter(themes__isnull=False).count() == 32
    assert Suggestion.objects.filter(status="suggested").exists()
    assert demo.load_stories(council) == []
    assert StoryCollection.objects.count() == 1
    assert len(mail.outbox) == 0
