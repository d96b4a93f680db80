"""The access rules themselves (rules.py): partner organisations' scope and the safeguarding
lead. The pages that use them are checked in test_permissions.py."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import AnonymousUser

from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import CouncilFactory
from changemaker.support import selectors
from changemaker.support.models import (
    HelpRequest,
    PartnerMembership,
    PartnerOrganisation,
    SupportSettings,
    Volunteer,
)
from changemaker.support.rules import (
    is_partner_coordinator,
    is_safeguarding_lead,
    partner_scope,
    same_partner_organisation,
)

pytestmark = pytest.mark.django_db


def test_partner_scope_is_the_coordinators_organisations_in_this_council(
    area: Council,
    partner: PartnerOrganisation,
    coordinator: User,
    partner_coordinator: User,
) -> None:
    elsewhere = PartnerOrganisation.objects.create(
        council=CouncilFactory(slug="elsewhere", domain="elsewhere.test"), name="Elsewhere Aid"
    )
    PartnerMembership.objects.create(organisation=elsewhere, user=coordinator)
    assert partner_scope(partner_coordinator, area) == [partner.pk]
    assert partner_scope(coordinator, area) is None  # a partner elsewhere does not limit them
    assert is_partner_coordinator(partner_coordinator, area)
    assert not is_partner_coordinator(coordinator, area)


def test_same_partner_organisation_decides_as_the_visible_querysets(
    area: Council,
    partner: PartnerOrganisation,
    other_partner: PartnerOrganisation,
    coordinator: User,
    partner_coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    volunteers = [make_volunteer(organisation=o) for o in (partner, other_partner, None)]
    requests = [make_request(organisation=o) for o in (partner, other_partner, None)]
    expected = {coordinator: [True, True, True], partner_coordinator: [True, False, False]}
    for user, seen in expected.items():
        assert [same_partner_organisation(user, v) for v in volunteers] == seen
        assert [same_partner_organisation(user, r) for r in requests] == seen
        visible_v = set(selectors.visible_volunteers(user, area))
        visible_r = set(selectors.visible_requests(user, area))
        assert [v in visible_v for v in volunteers] == seen
        assert [r in visible_r for r in requests] == seen


def test_with_no_lead_named_the_council_wide_coordinators_lead(
    area: Council,
    coordinator: User,
    partner_coordinator: User,
    make_user: Callable[..., User],
) -> None:
    assert is_safeguarding_lead(coordinator, area)
    assert not is_safeguarding_lead(partner_coordinator, area)
    assert not is_safeguarding_lead(make_user(Role.RESIDENT), area)
    assert not is_safeguarding_lead(make_user(Role.ENGAGEMENT_OFFICER), area)
    assert not is_safeguarding_lead(AnonymousUser(), area)
    # Reading the rule stores nothing: the council's settings are still the defaults.
    assert not SupportSettings.objects.exists()
    assert selectors.settings_for(area).safeguarding_lead_id is None


def test_a_named_lead_is_the_only_lead(
    area: Council,
    coordinator: User,
    partner_coordinator: User,
    make_user: Callable[..., User],
) -> None:
    SupportSettings.objects.create(council=area, safeguarding_lead=partner_coordinator)
    assert is_safeguarding_lead(partner_coordinator, area)
    assert not is_safeguarding_lead(coordinator, area)


def test_a_superuser_is_no_safeguarding_lead_unless_named(
    area: Council, make_user: Callable[..., User]
) -> None:
    """A superuser holds a platform administrator's permissions only (not support's), and the
    lead rule is a rule of its own."""
    admin = make_user(None, is_superuser=True)
    assert not admin.has_perm("support.coordinate", area)
    assert not is_safeguarding_lead(admin, area)
    SupportSettings.objects.create(council=area, safeguarding_lead=admin)
    assert is_safeguarding_lead(admin, area)
