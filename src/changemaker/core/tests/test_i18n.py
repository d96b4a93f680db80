"""Strings are translatable; the Welsh catalogue is there and the switcher works without JS."""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.test import Client

from changemaker.core.models import Council

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def test_language_switcher_is_a_plain_link(client: Client, council: Council) -> None:
    home = client.get("/", HTTP_HOST="exampleton.test").content.decode()
    assert 'href="/language/cy/?next=/"' in home and 'hreflang="cy"' in home
    response = client.get("/language/cy/?next=/privacy/", HTTP_HOST="exampleton.test")
    assert response.status_code == 302 and response["Location"] == "/privacy/"
    welsh = client.get("/", HTTP_HOST="exampleton.test").content.decode()
    assert '<html lang="cy"' in welsh
    assert "Hafan" in welsh and "Neidio i’r prif gynnwys" in welsh


def test_switcher_refuses_other_sites(client: Client, council: Council) -> None:
    response = client.get("/language/cy/?next=https://evil.example/", HTTP_HOST="exampleton.test")
    assert response["Location"] == "/"


def test_welsh_catalogue_is_valid_and_holds_the_shell_strings() -> None:
    po = LOCALE / "cy" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = po.read_text(encoding="utf-8")
    for msgid in ("Skip to main content", "There is a problem", "Accessibility statement"):
        assert f'msgid "{msgid}"' in text


def test_every_string_in_the_code_has_a_welsh_translation(tmp_path: Path) -> None:
    """Extract the strings from a copy of the source (as `makemessages` does, keeping what the
    catalogue already has) and check that not one of them is untranslated or fuzzy: a page must
    never show English marked lang="cy"."""
    import shutil

    from django.core.management import call_command

    source = LOCALE.parent
    copy = tmp_path / "changemaker"
    shutil.copytree(
        source,
        copy,
        ignore=shutil.ignore_patterns("dist", "__pycache__", "*.mo", "node_modules", "tests"),
    )
    import os

    here = os.getcwd()
    try:
        os.chdir(copy)
        call_command("makemessages", locale=["cy"], no_obsolete=True, verbosity=0)
    finally:
        os.chdir(here)
    po = copy / "locale" / "cy" / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    stats = result.stderr.strip()
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"{stats}: translate the new strings in src/changemaker/locale/cy/LC_MESSAGES/django.po "
        "(run `manage.py makemessages -l cy` from src/changemaker; docs/welsh-glossary.md has "
        "the words)"
    )
