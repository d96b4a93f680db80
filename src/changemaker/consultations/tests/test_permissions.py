"""Every role against every protected consultation view, while open and after closing."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from changemaker.consultations.models import Consultation
from changemaker.core.models import Role
from changemaker.core.tests.test_permissions import ALL_ROLES, ANON, NO_ROLE, _named_patterns

HOST = {"HTTP_HOST": "exampleton.test"}
MANAGERS = {Role.ENGAGEMENT_OFFICER, Role.COUNCIL_ADMIN}
STAFF_VIEWS: dict[str, bool] = {  # view -> takes the consultation's slug
    "consultations:create": False,
    "consultations:import": False,
    "consultations:moderate": True,
    "consultations:invite": True,
    "consultations:staff-export": True,
    "consultations:welsh": True,
}


@pytest.mark.parametrize("open_", [True, False], ids=["open", "closed"])
@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_staff_views(
    view: str,
    who: str,
    open_: bool,
    make_consultation: Callable[..., Consultation],
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation(open_=open_)
    client = Client() if who == ANON else client_as(None if who == NO_ROLE else who)
    url = reverse(view, args=[c.slug] if STAFF_VIEWS[view] else [])
    response = client.get(url, **HOST)
    if who in MANAGERS:
        assert response.status_code == 200
    elif who == ANON:
        assert response["Location"].startswith(reverse("core:sign-in"))
    else:
        assert response.status_code == 403
    for public in ("consultations:take-part", "consultations:results", "consultations:export"):
        assert client.get(reverse(public, args=[c.slug]), **HOST).status_code == 200


#: staff views that only take a POST (with the consultation and a statement's number)
POST_VIEWS = {"consultations:statement-proposal"}


@pytest.mark.parametrize("who", ALL_ROLES)
def test_statement_proposal(
    who: str,
    make_consultation: Callable[..., Consultation],
    client_as: Callable[[str | None], Client],
) -> None:
    c = make_consultation()
    client = Client() if who == ANON else client_as(None if who == NO_ROLE else who)
    url = reverse("consultations:statement-proposal", args=[c.slug, 0])
    response = client.post(url, {"sink": "budgeting.idea", "target": "1"}, **HOST)
    if who in MANAGERS:
        assert response.status_code == 404  # no map yet: the statement unites no one
    elif who == ANON:
        assert response["Location"].startswith(reverse("core:sign-in"))
    else:
        assert response.status_code == 403


def test_every_protected_consultation_view_is_covered() -> None:
    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if hasattr(v, "permission") and n.startswith("consultations:")
    }
    assert protected == set(STAFF_VIEWS) | POST_VIEWS
