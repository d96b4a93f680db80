"""The role x view matrix over every staff view of the culture survey: survey leads run
surveys and see every result; no other role sees anything (managers: test_results.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from changemaker.core.models import Role
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.culture.models import Wave
from changemaker.culture.tests.conftest import HOST

LEAD = {Role.SURVEY_LEAD}
# view name -> (method, what its arguments are)
STAFF_VIEWS: dict[str, tuple[str, tuple[str, ...]]] = {
    "culture:surveys": ("get", ()),
    "culture:survey": ("get", ("survey",)),
    "culture:items": ("post", ("survey",)),
    "culture:item-new": ("post", ("survey",)),
    "culture:wave-new": ("get", ("survey",)),
    "culture:wave": ("get", ("wave",)),
    "culture:wave-chart": ("post", ("wave",)),
    "culture:wave-invite": ("post", ("wave",)),
    "culture:wave-open": ("post", ("wave",)),
    "culture:wave-close": ("post", ("wave",)),
    "culture:my-teams": ("get", ()),
    "culture:results": ("get", ("wave",)),
    "culture:team": ("get", ("wave", "unit")),
    "culture:team-action": ("post", ("wave", "unit")),
}


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_staff_views(
    view: str, who: str, closed_wave: Wave, client_as: Callable[[str | None], Client]
) -> None:
    values = {
        "survey": closed_wave.survey.pk,
        "wave": closed_wave.pk,
        "unit": closed_wave.units.get(code="ORG").pk,
    }
    method, kinds = STAFF_VIEWS[view]
    url = reverse(view, args=[values[k] for k in kinds])
    response = getattr(client_for(who, client_as), method)(url, **HOST)
    assert_allowed_or_refused(response, view, who, LEAD)


def test_every_culture_protected_view_is_covered() -> None:
    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if hasattr(v, "permission") and n.startswith("culture:")
    }
    assert protected == set(STAFF_VIEWS)
