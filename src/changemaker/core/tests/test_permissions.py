"""The role × view matrix: every protected view, every role, allowed or denied.

The expectations are written out by hand (not derived from the rules) so that a change in
core/rules.py that widens access makes this test fail.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from changemaker.core.models import Council, Job, Role, RoleAssignment, User
from changemaker.core.tests.factories import UserFactory, WardFactory

ANON = "anonymous"
NO_ROLE = "signed in, no role"
R = Role
ALL_ROLES = [ANON, NO_ROLE, *[r.value for r in Role]]
STAFF = {r.value for r in Role} - {R.RESIDENT}
SIGNED_IN = set(ALL_ROLES) - {ANON}

# view name -> (method, roles allowed)
MATRIX: dict[str, tuple[str, set[str]]] = {
    "core:account": ("get", SIGNED_IN),
    "core:two-factor": ("get", SIGNED_IN),
    "core:staff": ("get", STAFF),
    "core:jobs": ("get", STAFF),
    # whoever may edit content with a Welsh version: budgets, consultations, pilots, survey waves
    "core:translations": (
        "get",
        {R.ENGAGEMENT_OFFICER, R.COUNCIL_ADMIN, R.EVIDENCE_LEAD, R.SURVEY_LEAD},
    ),
    "core:job": ("get", STAFF),
    "core:job-selfcheck": ("post", STAFF),
    "core:audit": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:audit-export": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:invite": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:council": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:ward-new": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:ward": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:ward-boundaries": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:staff-people": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:staff-person": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:staff-remove": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:staff-reset-two-factor": ("get", {R.COUNCIL_ADMIN, R.PLATFORM_ADMIN}),
    "core:platform": ("get", {R.PLATFORM_ADMIN}),
    "core:platform-council-new": ("get", {R.PLATFORM_ADMIN}),
    "core:platform-council": ("get", {R.PLATFORM_ADMIN}),
}


def _url(name: str, council: Council) -> str:
    if name == "core:job":
        job = Job.objects.create(kind="core.selfcheck", title="Self-check", council=council)
        return reverse(name, args=[job.pk])
    if name == "core:ward":
        return reverse(name, args=[WardFactory(council=council).pk])
    if name in {"core:staff-person", "core:staff-remove", "core:staff-reset-two-factor"}:
        officer = UserFactory()
        officer.role_assignments.create(council=council, role=Role.ENGAGEMENT_OFFICER)
        return reverse(name, args=[officer.pk])
    if name == "core:platform-council":
        return reverse(name, args=[council.pk])
    return reverse(name)


def client_for(who: str, client_as: Callable[[str | None], Client]) -> Client:
    """A client signed in with the role ``who`` (or signed out, or with no role)."""
    if who == ANON:
        return Client()
    return client_as(None if who == NO_ROLE else who)


def assert_allowed_or_refused(response: Any, view: str, who: str, allowed: set[str]) -> None:
    """Allowed roles get the page (or a redirect that is not to sign in); signed-out people
    are sent to sign in; everyone else gets 403."""
    if who in allowed:
        assert response.status_code in {200, 302}, (view, who, response.status_code)
        if response.status_code == 302:
            assert "/sign-in/" not in response["Location"]
    elif who == ANON:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("core:sign-in"))
    else:
        assert response.status_code == 403, (view, who, response.status_code)


@pytest.mark.parametrize("who", ALL_ROLES)
@pytest.mark.parametrize("view", sorted(MATRIX))
def test_role_view_matrix(
    view: str, who: str, council: Council, client_as: Callable[[str | None], Client]
) -> None:
    method, allowed = MATRIX[view]
    client = client_for(who, client_as)
    response = getattr(client, method)(_url(view, council), HTTP_HOST="exampleton.test")
    assert_allowed_or_refused(response, view, who, allowed)
    if response.status_code == 403:
        assert b"You cannot see this page" in response.content


def _named_patterns(resolver: URLResolver, prefix: str = "") -> list[tuple[str, object]]:
    found: list[tuple[str, object]] = []
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            found += _named_patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((prefix + entry.name, entry.callback))
    return found


def test_every_protected_view_is_in_the_matrix() -> None:
    protected = {
        name
        for name, view in _named_patterns(get_resolver())
        if hasattr(view, "permission") and name.startswith("core:")
    }
    assert protected, "no protected views found: the decorator lost its marker"
    assert protected <= set(MATRIX), f"add these to MATRIX: {sorted(protected - set(MATRIX))}"


def test_roles_are_per_council(make_user: Callable[..., object]) -> None:
    """An admin of one council has no rights in another council on the same install."""
    from changemaker.core.tests.factories import CouncilFactory, sign_in

    other = CouncilFactory(
        name="Riverside District Council", slug="riverside", domain="riverside.test"
    )
    admin = make_user(Role.COUNCIL_ADMIN)
    client = sign_in(Client(), admin)  # type: ignore[arg-type]
    assert client.get(reverse("core:audit"), HTTP_HOST="exampleton.test").status_code == 200
    assert client.get(reverse("core:audit"), HTTP_HOST="riverside.test").status_code == 403
    assert other.name in client.get("/", HTTP_HOST="riverside.test").content.decode()


def test_a_superuser_holds_only_a_platform_administrators_permissions(council: Council) -> None:
    """Django's superuser flag must not open every council's personal data (least privilege):
    the platform's permissions hold for roles, and a superuser is a platform administrator."""
    from changemaker.core.rules import PERMISSIONS

    superuser = User.objects.create_superuser("root@example.test", "x-long-password-1")
    for name in PERMISSIONS:
        expected = Role.PLATFORM_ADMIN in _roles_holding(name, council)
        assert superuser.has_perm(name, council) is expected, name
    assert superuser.has_perm("core.manage_councils", council)
    assert not superuser.has_perm("insight.view_people", council)
    assert superuser.has_perm("core.change_user")  # Django admin's model permissions unchanged


def _roles_holding(name: str, council: Council) -> set[str]:
    holders = set()
    for role in Role:
        user = User.objects.create_user(f"{role}-{name}@example.test", "x-long-password-1")
        RoleAssignment.objects.create(
            user=user, council=None if role == Role.PLATFORM_ADMIN else council, role=role
        )
        if user.has_perm(name, council):
            holders.add(role)
    return holders
