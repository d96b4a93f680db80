"""The open self-evaluation's pages in the role × view matrix: staff pages for engagement
officers and council administrators, the rating page for residents, the public pages for
everyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    ANON,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.listening import actions
from changemaker.listening.models import ResidentRating, Scorecard

from .conftest import HOST

pytestmark = pytest.mark.django_db

MANAGERS = {Role.ENGAGEMENT_OFFICER.value, Role.COUNCIL_ADMIN.value}
#: view -> (method, roles allowed)
MATRIX: dict[str, tuple[str, set[str]]] = {
    "listening:scorecards-manage": ("get", MANAGERS),
    "listening:scorecard-new": ("get", MANAGERS),
    "listening:scorecard-manage": ("get", MANAGERS),
    "listening:scorecard-move": ("post", MANAGERS),
    "listening:criterion-new": ("get", MANAGERS),
    "listening:criterion": ("get", MANAGERS),
    "listening:scorecard-comments": ("get", MANAGERS),
    "listening:scorecard-comment": ("get", MANAGERS),
    "listening:scorecard-rate": ("get", {Role.RESIDENT.value}),
}


@pytest.fixture
def card(council: Council, make_user: Callable[..., User]) -> Scorecard:
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    found = actions.create_scorecard(council, title="Ours", period="2026", lga=True, by=officer)
    actions.open_scorecard(found, by=officer)
    actions.rate(make_user(), found, {found.criteria.first().pk: (3, "Fine")})  # type: ignore[union-attr]
    return found


def _url(view: str, card: Scorecard) -> str:
    if view in {"listening:scorecards-manage", "listening:scorecard-new"}:
        return reverse(view)
    if view == "listening:criterion":
        return reverse(view, args=[card.criteria.first().pk])  # type: ignore[union-attr]
    if view == "listening:scorecard-comment":
        return reverse(view, args=[ResidentRating.objects.get().pk])
    return reverse(view, args=[card.slug])


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(MATRIX))
def test_role_view_matrix(
    view: str, who: str, card: Scorecard, client_as: Callable[[str | None], Client]
) -> None:
    method, allowed = MATRIX[view]
    client = client_for(who, client_as)
    data = {"to": "close"} if method == "post" else None
    response = getattr(client, method)(_url(view, card), data, **HOST)
    assert_allowed_or_refused(response, view, who, allowed)
    listed = client.get(reverse("listening:scorecards"), **HOST)
    assert listed.status_code == 200
    if view == "listening:scorecard-rate":  # offered to those it lets in, or who may sign in
        offered = f'href="{_url(view, card)}"' in listed.content.decode()
        assert offered is (who in allowed or who == ANON), who


def test_every_protected_self_evaluation_view_is_in_the_matrix() -> None:
    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if (hasattr(v, "permission") and n.startswith("listening:") and "scorecard" in n)
        or n in {"listening:criterion", "listening:criterion-new"}
    }
    assert protected == set(MATRIX)


def test_a_draft_and_another_councils_cycle_are_not_public(
    card: Scorecard, make_user: Callable[..., User]
) -> None:
    assert Client().get(f"/self-evaluation/{card.slug}/", **HOST).status_code == 404  # open
    assert (
        Client().get(f"/api/listening/scorecards/{card.slug}/criteria", **HOST).status_code == 404
    )
    listed = Client().get("/api/listening/scorecards", **HOST).json()
    assert listed["count"] == 0
