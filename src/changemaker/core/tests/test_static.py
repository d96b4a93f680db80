"""Static files in production: the front-end build references only files it produces, and
``collectstatic`` with the manifest storage succeeds, so pages (404 and 500 too) can render.

Without the manifest every page that links a static file answers 500 in production.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.test import Client, override_settings

from changemaker.core.models import Council

ROOT = Path(__file__).resolve().parents[4]
URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)""")
MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
HOST = {"HTTP_HOST": "exampleton.test"}


def missing_urls(css_file: Path, static_root: Path) -> list[str]:
    """Each url() in the CSS that names no file: relative to the CSS, or under STATIC_URL."""
    missing = []
    for match in URL.finditer(css_file.read_text(encoding="utf-8")):
        url = next(group for group in match.groups() if group is not None)
        if url.startswith(("data:", "#")) or url in {"", "none"}:
            continue
        path = url.split("?", 1)[0].split("#", 1)[0]
        if path.startswith(settings.STATIC_URL):
            target = static_root / path.removeprefix(settings.STATIC_URL)
        elif "://" in path or path.startswith("/"):
            missing.append(f"{url} (outside {settings.STATIC_URL}: the build cannot produce it)")
            continue
        else:
            target = css_file.parent / path
        if not target.is_file():
            missing.append(url)
    return missing


def test_every_url_in_the_built_css_names_a_file_the_build_produces(tmp_path: Path) -> None:
    node = shutil.which("node")
    assert node, "Node.js is needed to build the front end (make test installs it)"
    out = tmp_path / "static" / "dist"
    build = subprocess.run(
        [node, str(ROOT / "frontend" / "build.mjs"), str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert build.returncode == 0, build.stdout + build.stderr
    css = out / "main.css"
    assert css.is_file()
    assert missing_urls(css, tmp_path / "static") == []


def test_the_url_check_finds_a_missing_file(tmp_path: Path) -> None:
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "here.svg").write_text("<svg/>")
    css = tmp_path / "dist" / "main.css"
    css.write_text(
        'a{background:url("/static/dist/govuk/images/govuk-crest.svg")}'
        "b{background:url(here.svg)}c{background:url('data:image/png;base64,AA==')}"
        "d{mask-image:none}e{background:url(/elsewhere.png)}"
    )
    assert missing_urls(css, tmp_path) == [
        "/static/dist/govuk/images/govuk-crest.svg",
        "/elsewhere.png (outside /static/: the build cannot produce it)",
    ]


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """collectstatic into a temporary STATIC_ROOT with production's manifest storage."""
    assert finders.find("dist/main.css"), "run `npm run build` (make does it) before the tests"
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=MANIFEST_STORAGE):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_collectstatic_with_the_manifest_storage_succeeds(collected: Path) -> None:
    paths = json.loads((collected / "staticfiles.json").read_text())["paths"]
    hashed = paths["dist/main.css"]
    assert hashed != "dist/main.css" and (collected / hashed).is_file()
    assert (collected / "dist" / "main.css").is_file()  # the 500 page links the plain name
    assert missing_urls(collected / hashed, collected) == []


@override_settings(DEBUG=False)
def test_production_404_page_links_a_collected_stylesheet(
    collected: Path, client: Client, council: Council
) -> None:
    with override_settings(STATIC_ROOT=collected, STORAGES=MANIFEST_STORAGE):
        response = client.get("/no-such-page/", **HOST)
    assert response.status_code == 404
    links = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', response.content.decode())
    assert links and all((collected / link).is_file() for link in links), links
    assert "dist/main.css" not in links  # the hashed, cache-busted name


@override_settings(
    DEBUG=False, ROOT_URLCONF="changemaker.core.tests.urls_boom", STORAGES=MANIFEST_STORAGE
)
def test_production_500_page_links_a_collected_stylesheet(
    collected: Path, council: Council
) -> None:
    response = Client(raise_request_exception=False).get("/boom/", **HOST)
    assert response.status_code == 500
    links = re.findall(r'<link rel="stylesheet" href="/static/([^"]+)"', response.content.decode())
    assert links and all((collected / link).is_file() for link in links), links
