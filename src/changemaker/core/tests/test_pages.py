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


@pytest.mark.parametrize("name", ["core:accessibility", "core:privacy"])
def test_the_councils_email_address_is_a_link(client: Client, council: Council, name: str) -> None:
    html = client.get(reverse(name), **HOST).content.decode()
    email = council.contact_email
    assert f'<a class="govuk-link" href="mailto:{email}">{email}</a>' in html


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
    assert "govuk-crest" not in css and "govuk/assets" not in css  # GOV.UK's own images


def test_security_headers(client: Client, council: Council) -> None:
    response = client.get("/", **HOST)
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self' 'nonce-" in csp and "unsafe-inline" not in csp


PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/media/pb-ideas/abc.png", 404),  # no published idea has it (budgeting moderation)
        ("/media/council-logos/logo.JPG", 200),
        ("/media/pb-ideas/notes.txt", 404),  # not an image type
        ("/media/private/abc.png", 404),  # not a public folder
        ("/media/pb-ideas/../private/abc.png", 404),  # no way out of the folder
        ("/media/pb-ideas/missing.png", 404),
    ],
)
def test_public_images_are_served_and_nothing_else(
    client: Client, council: Council, tmp_path: object, path: str, status: int
) -> None:
    from pathlib import Path

    root = Path(str(tmp_path))
    for name in ("pb-ideas/abc.png", "council-logos/logo.JPG", "pb-ideas/notes.txt"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(PNG)
    (root / "private").mkdir()
    (root / "private" / "abc.png").write_bytes(PNG)
    with override_settings(MEDIA_ROOT=root, DEBUG=False):
        response = client.get(path, **HOST)
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
            assert response["Content-Type"].startswith("image/")
            assert response["X-Content-Type-Options"] == "nosniff"
