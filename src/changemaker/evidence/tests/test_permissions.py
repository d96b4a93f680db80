"""Every role against every staff page of the evidence capability: the register is for
evidence leads and council administrators; rating a pilot for evidence leads alone; the
practice library for everyone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core.models import Council, Role
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    ANON,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.evidence.models import Analysis, Pilot, SharedCard, Subscription
from changemaker.evidence.tests.conftest import HOST

MANAGERS = {Role.EVIDENCE_LEAD, Role.COUNCIL_ADMIN}
RATERS = {Role.EVIDENCE_LEAD}
# view name -> (method, arguments after the slug: None for no slug, who may)
STAFF_VIEWS: dict[str, tuple[str, tuple[str, ...] | None, set[str]]] = {
    "evidence:staff": ("get", None, MANAGERS),
    "evidence:staff-new": ("get", None, MANAGERS),
    "evidence:staff-registry": ("get", None, MANAGERS),
    "evidence:staff-replicate": ("post", (), MANAGERS),
    "evidence:staff-pilot": ("get", (), MANAGERS),
    "evidence:staff-edit": ("get", (), MANAGERS),
    "evidence:staff-register": ("post", (), MANAGERS),
    "evidence:staff-status": ("post", (), MANAGERS),
    "evidence:staff-version": ("get", ("version",), MANAGERS),
    "evidence:staff-data": ("get", (), MANAGERS),
    "evidence:staff-data-shared": ("get", (), MANAGERS),
    "evidence:staff-analyse": ("post", ("data",), MANAGERS),
    "evidence:staff-analysis": ("get", ("analysis",), MANAGERS),
    "evidence:staff-rating": ("get", (), RATERS),
}


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_staff_views(
    view: str,
    who: str,
    analysed: Callable[..., Analysis],
    client_as: Callable[[str | None], Client],
) -> None:
    analysis = analysed()
    pilot = analysis.pilot
    pilot.versions.create(number=1, plan={"title": pilot.title})
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)  # replicable
    special = {"version": 1, "data": analysis.data.pk, "analysis": analysis.pk}
    method, extra, allowed = STAFF_VIEWS[view]
    args = [] if extra is None else [pilot.slug, *[special[a] for a in extra]]
    response = getattr(client_for(who, client_as), method)(reverse(view, args=args), **HOST)
    assert_allowed_or_refused(response, view, who, allowed)


# subscriptions to other councils' feeds: view name -> (method, argument, who may)
SHARING_VIEWS: dict[str, tuple[str, str | None, set[str]]] = {
    "evidence:staff-subscriptions": ("get", None, MANAGERS),
    "evidence:staff-subscription": ("get", "subscription", MANAGERS),
    "evidence:staff-subscription-check": ("post", "subscription", MANAGERS),
    "evidence:staff-unsubscribe": ("post", "subscription", MANAGERS),
    "evidence:staff-replicate-shared": ("post", "card", MANAGERS),
}


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(SHARING_VIEWS))
def test_sharing_views(
    view: str, who: str, council: Council, client_as: Callable[[str | None], Client]
) -> None:
    found = Subscription.objects.create(
        council=council, url="http://127.0.0.1:9/evidence/feed.json", public_key="k" * 44
    )
    card = {"id": "u", "url": "http://riverside.test/evidence/x/", "title": "X", "council": "R"}
    shared = SharedCard.objects.create(
        subscription=found,
        council=council,
        card_id="u",
        sha256="0" * 64,
        card={**card, **feeds_plan()},
        title="X",
        publisher="R",
    )
    method, argument, allowed = SHARING_VIEWS[view]
    special = {"subscription": found.pk, "card": shared.pk}
    args = [] if argument is None else [special[argument]]
    response = getattr(client_for(who, client_as), method)(reverse(view, args=args), **HOST)
    assert_allowed_or_refused(response, view, who, allowed)


def feeds_plan() -> dict[str, object]:
    """A card's design fields, enough for "Replicate this pilot"."""
    return {
        "design": "did",
        "problem": "P",
        "affects": "A",
        "intervention": "I",
        "hypothesis": "H",
        "primary_outcome": {"name": "N", "definition": "D", "unit": "u", "timepoint": "t"},
    }


@pytest.mark.parametrize("who", [ANON, Role.RESIDENT, Role.EVIDENCE_LEAD])
def test_the_library_is_public(
    who: str, analysed: Callable[..., Analysis], client_as: Callable[[str | None], Client]
) -> None:
    pilot = analysed().pilot
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PUBLISHED)
    client = client_for(who, client_as)
    assert client.get(reverse("evidence:library"), **HOST).status_code == 200
    assert client.get(reverse("evidence:card", args=[pilot.slug]), **HOST).status_code == 200


def test_every_evidence_protected_view_is_covered() -> None:
    from django.urls import get_resolver

    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if hasattr(v, "permission") and n.startswith("evidence:")
    }
    assert protected == set(STAFF_VIEWS) | set(SHARING_VIEWS)
