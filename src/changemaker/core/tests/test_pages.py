"""Public pages, and error pages that help without leaking anything."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from changemaker.core.models import Council
from changemaker.core.tests.urls_boom import SECRET

HOST = {"HTTP_HOST": "exampleton.test"}


def test_home_shows_the_council(client: Client, council: Council) -> None:
    response = client.get("/", **HOST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Exampleton Borough Council" in html
    assert f"--cm-brand: {council.brand_colour}" in html
    for name in ("core:accessibility", "core:privacy", "core:cookies"):
        assert f'href="{reverse(name)}"' in html


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("core:accessibility", "Enforcement procedure"),
        ("core:privacy", "lawful basis"),
        ("core:cookies", "sessionid"),
    ],
)
def test_footer_pages_have_real_content(
    client: Client, council: Council, name: str, text: str
) -> None:
    response = client.get(reverse(name), **HOST)
    assert response.status_code == 200
    assert text in response.content.decode()


def test_unknown_page_is_a_proper_404(client: Client, council: Council) -> None:
    response = client.get("/no-such-page/", **HOST)
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page not found" in html and "Exampleton" in html


@override_settings(ROOT_URLCONF="changemaker.core.tests.urls_boom", DEBUG=False)
def test_server_error_page_leaks_nothing(council: Council) -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/", **HOST)
    assert response.status_code == 500
    html = response.content.decode()
    assert "problem with the service" in html
    for leak in (SECRET, "RuntimeError", "Traceback", "urls_boom"):
        assert leak not in html


def test_no_crown_and_no_gds_font(client: Client, council: Council) -> None:
    from django.contrib.staticfiles import finders

    html = client.get("/", **HOST).content.decode()
    assert "govuk-header__logotype" not in html and "crown" not in html.lower()
    css_path = finders.find("dist/main.css")
    assert css_path, "run `npm run build` (make does it) before the tests"
    css = open(css_path, encoding="utf-8").read()  # noqa: SIM115
    assert "GDS Transport" not in css


def test_security_headers(client: Client, council: Council) -> None:
    response = client.get("/", **HOST)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp
