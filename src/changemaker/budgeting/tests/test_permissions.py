"""Every role before, during and after each phase (adhocracy4 style): staff pages are for
engagement officers and council administrators; voting only while voting is open."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.budgeting.models import ManualCheck, Process
from changemaker.core.models import Role, User
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    ANON,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)

HOST = {"HTTP_HOST": "exampleton.test"}
MANAGERS = {Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}
STAFF_VIEWS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "budgeting:staff": ("get", ()),
    "budgeting:staff-review": ("get", ("P1",)),
    "budgeting:staff-idea-welsh": ("get", ("P1",)),
    "budgeting:staff-remove-image": ("post", ("P1",)),
    "budgeting:staff-publish": ("post", ("P1",)),
    "budgeting:staff-codes": ("get", ()),
    "budgeting:staff-checks": ("get", ()),
    "budgeting:staff-check": ("get", ("check",)),
    "budgeting:staff-register": ("get", None),
    "budgeting:staff-paper": ("get", ("heading",)),
    "budgeting:staff-count": ("post", ()),
    "budgeting:staff-delivery": ("get", ("P1",)),
    "budgeting:staff-import": ("get", None),
    "budgeting:staff-new": ("get", None),
    "budgeting:staff-edit": ("get", ()),
    "budgeting:staff-close": ("get", ()),
}
PHASES = ["upcoming", "ideas", "review", "voting", "results", "delivery"]


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_staff_views(
    view: str,
    who: str,
    make_process: Callable[..., Process],
    make_user: Callable[..., User],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase="voting", evidence="register")
    check = ManualCheck.objects.create(process=process, user=make_user(), postcode="EX11AA")
    special = {"heading": process.headings.get().pk, "check": check.pk}
    method, extra = STAFF_VIEWS[view]
    args = [] if extra is None else [process.slug, *[special.get(a, a) for a in extra]]
    response = getattr(client_for(who, client_as), method)(reverse(view, args=args), **HOST)
    assert_allowed_or_refused(response, view, who, MANAGERS)


@pytest.mark.parametrize("phase", PHASES)
@pytest.mark.parametrize("who", [ANON, Role.RESIDENT, Role.ENGAGEMENT_OFFICER])
def test_public_pages_in_every_phase(
    phase: str,
    who: str,
    make_process: Callable[..., Process],
    client_as: Callable[[str | None], Client],
) -> None:
    process = make_process(phase=phase)
    client = client_for(who, client_as)
    for name in (
        "budgeting:detail",
        "budgeting:ideas",
        "budgeting:results",
        "budgeting:delivery",
        "budgeting:delivery-feed",
    ):
        assert client.get(reverse(name, args=[process.slug]), **HOST).status_code == 200
    vote = client.get(reverse("budgeting:vote", args=[process.slug]), **HOST)
    assert vote.status_code == (200 if phase == "voting" else 403)
    for name in ("budgeting:vote-code", "budgeting:vote-check"):
        page = client.get(reverse(name, args=[process.slug]), **HOST)
        signed_out = who == ANON and name == "budgeting:vote-check"
        assert page.status_code == (403 if phase != "voting" else 302 if signed_out else 200)
    heading = process.headings.get().pk
    ballot = client.get(reverse("budgeting:ballot", args=[process.slug, heading]), **HOST)
    assert ballot.status_code == (302 if phase == "voting" else 403)  # 302: check who first
    new_idea = client.get(reverse("budgeting:idea-new", args=[process.slug]), **HOST)
    assert new_idea.status_code == (302 if who == ANON else 200)


def test_every_budgeting_protected_view_is_covered() -> None:
    from django.urls import get_resolver

    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if hasattr(v, "permission") and n.startswith("budgeting:")
    }
    assert protected == set(STAFF_VIEWS)
