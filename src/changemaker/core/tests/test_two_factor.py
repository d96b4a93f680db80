"""Two-factor sign-in is required, centrally, for every role that sees personal data."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from changemaker.core.models import Council, Role, User
from changemaker.core.models.accounts import TWO_FACTOR_ROLES
from changemaker.core.tests.factories import PASSWORD, prove_email_for_set_up, totp_code
from changemaker.core.views.accounts import SETUP_KEY

HOST = {"HTTP_HOST": "exampleton.test"}
DUMMY = {"int": 1, "uuid": uuid.UUID(int=1), "slug": "x", "string": "x", "path": "x"}
NOT_FORCED = [Role.RESIDENT, Role.ENGAGEMENT_OFFICER, Role.EVIDENCE_LEAD]


def _walk(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, inner)
        elif p.name:
            yield f"{namespace}{p.name}", p


def staff_urls() -> list[tuple[str, str, str]]:
    """(view name, URL, permission) of every view behind @council_permission, in every app,
    with placeholder arguments (the check comes before the view looks anything up)."""
    found = []
    for name, pattern in _walk(get_resolver().url_patterns):
        permission = getattr(pattern.callback, "permission", None)
        if permission is None:
            continue
        converters = getattr(pattern.pattern, "converters", {})
        kwargs = {
            arg: DUMMY[type(conv).__name__.removesuffix("Converter").lower()]
            for arg, conv in converters.items()
        }
        found.append((name, reverse(name, kwargs=kwargs or None), permission))
    return found


def test_the_walk_finds_every_capabilitys_staff_pages() -> None:
    names = {name for name, _url, _perm in staff_urls()}
    assert {"core:staff", "core:audit", "support:volunteers"} <= names
    assert any(n.startswith("insight:") for n in names)
    assert any(n.startswith("budgeting:") for n in names)


def let_in(response: object) -> bool:
    """The page (or what it leads to on its own: a form's next step, a 404 for a placeholder),
    not sign-in, two-factor or a refusal."""
    status = response.status_code  # type: ignore[attr-defined]
    if status == 302:
        path = urlsplit(response["Location"]).path  # type: ignore[index]
        gates = {reverse("core:sign-in"), reverse("core:two-factor"), reverse("core:sign-in-code")}
        return path not in gates
    return status in {200, 404, 405}


def _enrol_through_the_page(client: Client) -> None:
    prove_email_for_set_up(client)  # the emailed link: a password alone cannot set one up
    client.get(reverse("core:two-factor"), **HOST)
    key = client.session[SETUP_KEY]
    done = client.post(
        reverse("core:two-factor"), {"code": f"{totp(bytes.fromhex(key)):06d}"}, **HOST
    )
    assert "Your recovery codes" in done.text


@pytest.mark.parametrize("role", sorted(TWO_FACTOR_ROLES))
def test_role_that_sees_personal_data_must_set_up_and_give_two_factors(
    role: str, council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(role)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    urls = staff_urls()
    for name, url, _perm in [*urls, ("admin:index", reverse("admin:index"), "")]:
        response = client.get(url, **HOST)
        assert response.status_code == 302, (name, response.status_code)
        where = urlsplit(response["Location"])
        assert where.path == reverse("core:two-factor"), name
        assert parse_qs(where.query)["next"] == [url]
    assert not TOTPDevice.objects.exists()

    _enrol_through_the_page(client)
    reachable = [(n, u) for n, u, perm in urls if "<" not in u and user.has_perm(perm, council)]
    assert reachable, role
    for name, url in reachable:
        response = client.get(url, **HOST)
        assert let_in(response), (name, response.status_code)

    # a later session with the device but no code yet is asked for the code, then let in
    later = Client()
    later.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    name, url = reachable[0]
    asked = later.get(url, **HOST)
    assert urlsplit(asked["Location"]).path == reverse("core:sign-in-code")
    device = TOTPDevice.objects.get(user=user)
    given = later.post(asked["Location"], {"code": totp_code(device)}, **HOST)
    assert given["Location"] == url
    assert let_in(later.get(url, **HOST))


@pytest.mark.parametrize("role", NOT_FORCED)
def test_roles_without_personal_data_are_not_forced(
    role: str, council: Council, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(make_user(role), backend="django.contrib.auth.backends.ModelBackend")
    # pages that show personal data ask everyone for a second factor (story text)
    asks = {
        n for n, p in _walk(get_resolver().url_patterns) if getattr(p.callback, "two_factor", 0)
    }
    for name, url, _perm in staff_urls():
        if name in asks:
            continue
        response = client.get(url, **HOST)
        if response.status_code == 302:
            assert reverse("core:two-factor") not in response["Location"], name
            assert reverse("core:sign-in-code") not in response["Location"], name
    assert client.get(reverse("core:account"), **HOST).status_code == 200


def test_signing_in_leads_to_set_up_then_back(
    council: Council, make_user: Callable[..., User]
) -> None:
    user = make_user(Role.COUNCIL_ADMIN)
    client = Client()
    url = reverse("core:audit")
    first = client.post(
        reverse("core:sign-in") + f"?next={url}",
        {"email": user.email, "password": PASSWORD, "next": url},
        **HOST,
    )
    assert first["Location"] == url
    second = client.get(url, **HOST)
    assert second["Location"] == f"{reverse('core:two-factor')}?next={url.replace('/', '%2F')}"
    prove_email_for_set_up(client)
    page = client.get(second["Location"], **HOST)
    assert 'name="next" value="' + url + '"' in page.text
    key = client.session[SETUP_KEY]
    done = client.post(
        second["Location"], {"code": f"{totp(bytes.fromhex(key)):06d}", "next": url}, **HOST
    )
    assert f'href="{url}"' in done.text  # "Continue" goes back to the page asked for
    assert client.get(url, **HOST).status_code == 200


@override_settings(CHANGEMAKER_INSECURE_SKIP_TWO_FACTOR=True)
def test_the_development_switch_lets_staff_in_without_it(
    council: Council, make_user: Callable[..., User]
) -> None:
    client = Client()
    client.force_login(
        make_user(Role.COUNCIL_ADMIN), backend="django.contrib.auth.backends.ModelBackend"
    )
    assert client.get(reverse("core:audit"), **HOST).status_code == 200


def test_a_settings_file_without_the_middleware_fails_the_checks() -> None:
    from django.conf import settings

    from changemaker.core.checks import two_factor_middleware_is_installed

    assert two_factor_middleware_is_installed() == []
    without = [m for m in settings.MIDDLEWARE if not m.endswith("TwoFactorMiddleware")]
    with override_settings(MIDDLEWARE=without):
        assert [e.id for e in two_factor_middleware_is_installed()] == ["changemaker.E002"]
