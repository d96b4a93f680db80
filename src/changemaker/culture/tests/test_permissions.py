"""The role x view matrix over every staff view of the culture survey: survey leads run
surveys and see every result; no other role sees anything (managers: test_results.py).

The closed wave every case looks at is built once for the module (in a transaction rolled
back at the end; each case runs in a savepoint inside it, so nothing a case does is seen by
the next): building it for each of the ~170 cases took most of the module's 231 s."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from pytest_django import DjangoDbBlocker

from changemaker.core.models import Role
from changemaker.core.tests.factories import CouncilFactory, UserFactory
from changemaker.core.tests.test_permissions import (
    ALL_ROLES,
    _named_patterns,
    assert_allowed_or_refused,
    client_for,
)
from changemaker.culture import actions
from changemaker.culture.models import Comment
from changemaker.culture.tests.conftest import HOST, close_with_people, new_wave

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
    "culture:wave-welsh": ("get", ("wave",)),
    "culture:my-teams": ("get", ()),
    "culture:results": ("get", ("wave",)),
    "culture:team": ("get", ("wave", "unit")),
    "culture:team-action": ("post", ("wave", "unit")),
    "culture:comments": ("get", ("wave",)),
    "culture:comment-review": ("post", ("wave", "comment")),
}


@pytest.fixture(scope="module")
def shared_wave(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[dict[str, Any]]:
    with django_db_blocker.unblock(), transaction.atomic():
        council = CouncilFactory(
            name="Exampleton Borough Council",
            slug="exampleton",
            is_default=True,
            domain="exampleton.test",
        )
        lead = UserFactory()
        lead.role_assignments.create(role=Role.SURVEY_LEAD, council=council)
        survey = actions.create_survey(council, name="Staff survey", instrument="staff", by=lead)
        wave = close_with_people(new_wave(survey, lead, comment_question="Anything else?"), lead)
        comment = Comment.objects.create(wave=wave, text="x", status=Comment.Status.FLAGGED)
        yield {
            "survey": survey.pk,
            "wave": wave.pk,
            "unit": wave.units.get(code="ORG").pk,
            "comment": comment.pk,
        }
        transaction.set_rollback(True)


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(STAFF_VIEWS))
def test_staff_views(
    view: str,
    who: str,
    shared_wave: dict[str, Any],
    client_as: Callable[[str | None], Client],
) -> None:
    method, kinds = STAFF_VIEWS[view]
    url = reverse(view, args=[shared_wave[k] for k in kinds])
    response = getattr(client_for(who, client_as), method)(url, **HOST)
    assert_allowed_or_refused(response, view, who, LEAD)


def test_every_culture_protected_view_is_covered() -> None:
    protected = {
        n
        for n, v in _named_patterns(get_resolver())
        if hasattr(v, "permission") and n.startswith("culture:")
    }
    assert protected == set(STAFF_VIEWS)
