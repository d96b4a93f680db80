"""The role x view matrix of the story pages: engagement officers and council administrators
(``listening.manage_stories``), with a second factor; everyone else refused. Telling a story
is for anyone, signed out too."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    ANON,
    NO_ROLE,
    _named_patterns,
    assert_allowed_or_refused,
)
from changemaker.listening import actions
from changemaker.listening.models import StoryCollection
from changemaker.listening.tests.conftest import HOST

MANAGERS = {Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}
# view name -> (method, arguments)
STAFF_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "listening:stories": ("get", ()),
    "listening:stories-collection-new": ("get", ()),
    "listening:stories-collection": ("get", ("collection",)),
    "listening:stories-collection-open": ("post", ("collection",)),
    "listening:stories-story-new": ("get", ("collection",)),
    "listening:stories-story": ("get", ("collection", "story")),
    "listening:stories-theme-new": ("get", ("collection",)),
    "listening:stories-theme": ("get", ("collection", "theme")),
    "listening:stories-suggestions": ("get", ("collection",)),
    "listening:stories-suggestion": ("post", ("collection", "suggestion")),
}


def _args(council: Council, officer: User) -> dict[str, int]:
    collection = StoryCollection.objects.create(
        council=council, slug="where-you-live", title="Where you live", question="Tell us"
    )
    story = actions.tell_story(collection, what_works="The library")
    theme = actions.create_theme(collection, by=officer, name="Libraries", stories=[story])
    suggestion = collection.suggestions.create(label="library")
    return {
        "collection": collection.pk,
        "story": story.pk,
        "theme": theme.pk,
        "suggestion": suggestion.pk,
    }


@pytest.mark.django_db
@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_story_staff_views(
    view: str, who: str, council: Council, make_user: Callable[..., User]
) -> None:
    method, names = STAFF_VIEWS[view]
    ids = _args(council, make_user(Role.ENGAGEMENT_OFFICER))
    if who == ANON:
        client = Client()
    else:
        client = sign_in(Client(), make_user(None if who == NO_ROLE else who), two_factor=True)
    url = reverse(view, args=[ids[n] for n in names])
    response = getattr(client, method)(url, **HOST)
    assert_allowed_or_refused(response, view, who, MANAGERS)
    if who in MANAGERS and method == "get":
        assert response.status_code == 200


@pytest.mark.django_db
def test_reading_stories_needs_a_second_factor(
    council: Council, make_user: Callable[..., User]
) -> None:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    ids = _args(council, officer)
    url = reverse("listening:stories-story", args=[ids["collection"], ids["story"]])
    response = sign_in(Client(), officer).get(url, **HOST)  # password only
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:two-factor"))
    assert "The library" not in response.content.decode()


@pytest.mark.django_db
def test_telling_is_for_anyone(council: Council) -> None:
    StoryCollection.objects.create(council=council, slug="where", title="Where", question="?")
    for name in ("listening:story-tell", "listening:story-thanks"):
        assert Client().get(reverse(name, args=["where"]), **HOST).status_code == 200


def test_every_story_staff_view_is_in_the_matrix() -> None:
    protected = {
        name
        for name, view in _named_patterns(get_resolver())
        if hasattr(view, "permission") and view.permission == "listening.manage_stories"
    }
    assert protected == set(STAFF_VIEWS)
