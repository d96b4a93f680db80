"""Every role, signed out and signed in with no role, against every people-side page.

Written out by hand (not derived from core/rules.py), so widening access fails here. A role
that holds the permission gets the page, or is sent to state a purpose first (302, never to
sign in); one without gets 403; signed-out people are sent to sign in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.insight.indicators import evaluate
from changemaker.insight.models import Flag, Indicator
from changemaker.insight.tests.people_fixtures import HOST, World, demo_indicators, make_world

R = Role
PEOPLE = {R.PRACTITIONER, R.DATA_OFFICER}
STAFF = {r.value for r in Role} - {R.RESIDENT}
STATISTICS = {
    R.PRACTITIONER,
    R.DATA_OFFICER,
    R.ENGAGEMENT_OFFICER,
    R.EVIDENCE_LEAD,
    R.COUNCIL_ADMIN,
}

#: view name -> (method, argument, roles allowed)
PEOPLE_VIEWS: dict[str, tuple[str, str | None, set[str]]] = {
    "insight:search": ("get", None, PEOPLE),
    "insight:purpose": ("get", None, PEOPLE),
    "insight:person": ("get", "P00000001", PEOPLE),
    "insight:person-export": ("get", "P00000001", PEOPLE),
    "insight:household": ("get", "H00000001", PEOPLE),
    "insight:flags": ("get", None, {R.PRACTITIONER}),
    "insight:flag-review": ("get", "flag", {R.PRACTITIONER}),
    "insight:indicators": ("get", None, {R.DATA_OFFICER}),
    "insight:indicator-new": ("get", None, {R.DATA_OFFICER}),
    "insight:indicator": ("get", "indicator", {R.DATA_OFFICER}),
    "insight:indicator-active": ("post", "indicator", {R.DATA_OFFICER}),
    "insight:my-access": ("get", None, STAFF),
    "insight:access-log": ("get", None, {R.DATA_OFFICER, R.COUNCIL_ADMIN}),
    "insight:statistics": ("get", None, STATISTICS),
}


@pytest.fixture
def world(council: Council) -> World:
    made = make_world(council)
    demo_indicators(made)
    evaluate(made.run)
    return made


def _args(argument: str | None) -> list[object]:
    if argument is None:
        return []
    if argument == "flag":
        return [Flag.objects.filter(status="open").order_by("pk").first().pk]  # type: ignore[union-attr]
    if argument == "indicator":
        return [Indicator.objects.order_by("pk").first().pk]  # type: ignore[union-attr]
    return [argument]


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(PEOPLE_VIEWS))
def test_people_views(
    view: str, who: str, world: World, client_as: Callable[[str | None], Client]
) -> None:
    method, argument, allowed = PEOPLE_VIEWS[view]
    client = client_for(who, client_as)
    response = getattr(client, method)(reverse(view, args=_args(argument)), **HOST)
    assert_allowed_or_refused(response, view, who, allowed)


@pytest.mark.parametrize("who", sorted(PEOPLE))
@pytest.mark.parametrize(
    "view",
    sorted(
        v
        for v, (_m, _a, roles) in PEOPLE_VIEWS.items()
        if roles >= {R.PRACTITIONER}
        and v != "insight:purpose"
        and v != "insight:my-access"
        and v != "insight:statistics"
    ),
)
def test_personal_pages_ask_for_a_purpose_first(
    view: str, who: str, world: World, make_user: Callable[..., User]
) -> None:
    method, argument, allowed = PEOPLE_VIEWS[view]
    if who not in allowed:
        return
    client = Client()
    sign_in(client, make_user(who))
    response = getattr(client, method)(reverse(view, args=_args(argument)), **HOST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("insight:purpose"))


def test_every_people_view_is_in_the_matrix() -> None:
    from django.urls import get_resolver

    from changemaker.insight.urls.staff_people import urlpatterns

    mine = {f"insight:{p.name}" for p in urlpatterns}
    protected = {
        name for name, view in _named_patterns(get_resolver()) if hasattr(view, "permission")
    }
    missing = (mine & protected) - set(PEOPLE_VIEWS)
    assert not missing, f"add these to PEOPLE_VIEWS: {sorted(missing)}"
    assert mine <= protected, f"unprotected: {sorted(mine - protected)}"
