"""Pages that used to be dead ends: a button's web address opened directly (405), a sign-in that
would land on one, and a form left open across a sign-in or sign-out (CSRF)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.test import Client
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from changemaker.core.models import Council, User
from changemaker.core.redirects import refuses_get
from changemaker.core.tests.factories import PASSWORD
from changemaker.core.views.base import council_permission

HOST = {"HTTP_HOST": "exampleton.test"}
SITE = "http://exampleton.test"


def _welsh(client: Client) -> Client:
    client.get("/language/cy/?next=/", **HOST)
    return client


def _next_field(html: str) -> str:
    match = re.search(r'<input type="hidden" name="next" value="([^"]*)">', html)
    assert match, "the sign-in form has no next field"
    return match.group(1)


# A button's address opened directly -----------------------------------------------------------


def test_a_buttons_address_opened_directly_gets_the_sites_page(
    client: Client, council: Council
) -> None:
    response = client.get(reverse("core:sign-out"), **HOST)
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    html = response.content.decode()
    assert "Exampleton Borough Council" in html  # the site's shell
    assert "<h1" in html and "This page cannot be opened directly" in html
    assert "nothing has been changed" in html
    assert f'href="{reverse("core:home")}"' in html


def test_the_405_page_offers_the_page_the_person_came_from(
    client_as: Callable[[str | None], Client],
) -> None:
    client = client_as(None)
    response = client.get(
        reverse("core:recovery-codes"),
        HTTP_REFERER=f"{SITE}{reverse('core:two-factor')}",
        **HOST,
    )
    assert response.status_code == 405
    html = response.content.decode()
    assert f'href="{reverse("core:two-factor")}"' in html
    assert "Go back to the page you were on" in html


def test_the_405_page_never_links_to_another_site(client: Client, council: Council) -> None:
    response = client.get(
        reverse("core:sign-out"), HTTP_REFERER="https://evil.example/page/", **HOST
    )
    assert response.status_code == 405
    html = response.content.decode()
    assert "evil.example" not in html
    assert "Go back to the page you were on" not in html


def test_the_405_page_never_links_to_another_site_by_a_path(
    client: Client, council: Council
) -> None:
    response = client.get(
        reverse("core:sign-out"), HTTP_REFERER=f"{SITE}//evil.example/page/", **HOST
    )
    assert "evil.example" not in response.content.decode()


def test_the_405_page_is_in_welsh(client: Client, council: Council) -> None:
    html = _welsh(client).get(reverse("core:sign-out"), **HOST).content.decode()
    assert '<html lang="cy"' in html
    assert "Does dim modd agor y dudalen hon yn uniongyrchol" in html


def test_a_405_with_its_own_words_is_left_alone(client: Client, council: Council) -> None:
    """The open-data API answers a wrong method itself, briefly: no web page for a program."""
    response = client.post("/api/council/", **HOST)
    assert response.status_code == 405
    assert "This page cannot be opened directly" not in response.content.decode()


# Signing in with a next that is a button's address ---------------------------------------------


def test_refuses_get_sees_post_only_views_whatever_the_decorator_order() -> None:
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    assert refuses_get(reverse("core:sign-out"))
    assert refuses_get(reverse("core:recovery-codes"))
    assert refuses_get(reverse("core:job-selfcheck"))
    assert refuses_get(require_POST(council_permission("core.view_jobs")(view)))
    assert refuses_get(council_permission("core.view_jobs")(require_POST(view)))
    assert not refuses_get(require_GET(view))
    assert not refuses_get(view)
    assert not refuses_get(reverse("core:account"))
    assert not refuses_get(reverse("core:password-reset"))  # a class-based view
    assert not refuses_get("/no-such-page/")


def _post_only_in_the_source() -> set[tuple[str, str]]:
    """Every view function decorated ``@require_POST`` in the code: (module, name)."""
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    found = set()
    for path in root.glob("*/views/*.py"):
        module = "changemaker." + ".".join(path.relative_to(root).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and any(
                isinstance(d, ast.Name) and d.id == "require_POST" for d in node.decorator_list
            ):
                found.add((module, node.name))
    return found


def test_every_post_only_view_of_the_site_is_known_as_one(council: Council) -> None:
    """Whatever the order of its decorators (some put the permission check outside)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    seen = set()
    patterns = list(get_resolver().url_patterns)
    while patterns:
        pattern = patterns.pop()
        if isinstance(pattern, URLResolver):
            patterns.extend(pattern.url_patterns)
        elif isinstance(pattern, URLPattern) and refuses_get(pattern.callback):
            seen.add((pattern.callback.__module__, pattern.callback.__name__))
    expected = _post_only_in_the_source()
    assert ("changemaker.core.views.accounts", "sign_out") in expected
    assert seen == expected


def test_signing_in_never_lands_on_a_buttons_address(
    client: Client, make_user: Callable[..., User]
) -> None:
    user = make_user()
    response = client.post(
        reverse("core:sign-in") + "?next=" + reverse("core:recovery-codes"),
        {"email": user.email, "password": PASSWORD},
        **HOST,
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("core:account")


def test_signing_in_after_pressing_a_button_goes_back_to_its_page(
    client: Client, make_user: Callable[..., User]
) -> None:
    """Signed out (a session that expired), the person presses a button on an open page: they
    sign in and come back to that page, not to the button's address."""
    user = make_user()
    page = f"{SITE}{reverse('core:two-factor')}"
    pressed = client.post(reverse("core:recovery-codes"), HTTP_REFERER=page, **HOST)
    assert pressed.status_code == 302
    sign_in_page = pressed["Location"]
    assert sign_in_page.startswith(reverse("core:sign-in"))
    # The browser follows the redirect keeping the referring page.
    form = client.get(sign_in_page, HTTP_REFERER=page, **HOST)
    assert _next_field(form.content.decode()) == reverse("core:two-factor")
    signed_in = client.post(
        sign_in_page,
        {"email": user.email, "password": PASSWORD, "next": reverse("core:two-factor")},
        HTTP_REFERER=f"{SITE}{sign_in_page}",
        **HOST,
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("core:two-factor")


def test_signing_in_never_goes_back_to_another_site(
    client: Client, make_user: Callable[..., User]
) -> None:
    make_user()
    form = client.get(
        reverse("core:sign-in") + "?next=" + reverse("core:recovery-codes"),
        HTTP_REFERER="https://evil.example/",
        **HOST,
    )
    assert _next_field(form.content.decode()) == reverse("core:account")
    form = client.get(
        reverse("core:sign-in") + "?next=" + reverse("core:recovery-codes"),
        HTTP_REFERER=f"{SITE}//evil.example/",
        **HOST,
    )
    assert _next_field(form.content.decode()) == reverse("core:account")


# A form left open across a sign-in or sign-out --------------------------------------------------


def test_a_form_sent_with_an_old_token_gets_the_sites_page(council: Council) -> None:
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("core:register"), **HOST)  # the form, and the CSRF cookie
    response = client.post(
        reverse("core:register"),
        {"csrfmiddlewaretoken": "x" * 64, "email": "typed@example.com", "name": "Typed Name"},
        **HOST,
    )
    assert response.status_code == 403
    html = response.content.decode()
    assert "Exampleton Borough Council" in html  # the site's shell
    assert "This page was open for too long, or you signed in or out in another tab." in html
    assert "Go back, reload the page and send it again." in html
    for leak in ("CSRF", "typed@example.com", "Typed Name", "incorrect", "x" * 64):
        assert leak not in html


def test_the_csrf_page_is_in_welsh(council: Council) -> None:
    client = _welsh(Client(enforce_csrf_checks=True))
    response = client.post(reverse("core:register"), {"email": "typed@example.com"}, **HOST)
    assert response.status_code == 403
    html = response.content.decode()
    assert '<html lang="cy"' in html
    assert "Ewch yn ôl, ail-lwythwch y dudalen a’i hanfon eto." in html
    assert "CSRF" not in html
