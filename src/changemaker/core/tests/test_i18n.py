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


def _lazy_formatted_on_import(path: Path) -> list[int]:
    """Lines where a lazy translation (``gettext_lazy as _``, or a name bound to one) is
    %-formatted outside any function: told once, as the module loads, in English."""
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    lazy = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name.endswith("_lazy")
    }
    bound = {
        target.id
        for node in tree.body
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id in lazy
        for target in node.targets
        if isinstance(target, ast.Name)
    }

    def is_lazy(node: ast.AST) -> bool:
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id in lazy
        return isinstance(node, ast.Name) and node.id in bound

    lines: list[int] = []

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                continue
            if (
                isinstance(child, ast.BinOp)
                and isinstance(child.op, ast.Mod)
                and is_lazy(child.left)
            ):
                lines.append(child.lineno)
            visit(child)

    visit(tree)
    return lines


def test_no_lazy_translation_is_formatted_as_a_module_loads() -> None:
    """A form's label or hint written ``_("… %(n)s …") % {...}`` at class level is told in
    English when the module loads and stays English on Welsh pages: use
    ``core.fields.lazy_percent``."""
    found = {
        str(path.relative_to(LOCALE.parent)): lines
        for path in sorted(LOCALE.parent.rglob("*.py"))
        if "tests" not in path.parts and "migrations" not in path.parts
        if (lines := _lazy_formatted_on_import(path))
    }
    assert found == {}


def test_the_character_count_counts_in_welsh_on_a_welsh_page() -> None:
    """GOV.UK Frontend's live count ("You have 12 characters remaining") is its own English
    unless the page gives it words: a Welsh page gives them for every plural form."""
    from django import forms
    from django.template.loader import render_to_string
    from django.utils import translation

    class Story(forms.Form):
        text = forms.CharField(max_length=280, widget=forms.Textarea)

    with translation.override("cy"):
        welsh = render_to_string("core/forms/field.html", {"field": Story()["text"]})
    with translation.override("en-gb"):
        english = render_to_string("core/forms/field.html", {"field": Story()["text"]})
    for form in ("zero", "one", "two", "few", "many", "other"):
        assert (
            f'data-i18n.characters-under-limit.{form}="Mae gennych %{{count}} nod yn weddill"'
            in (welsh)
        )
        assert f'data-i18n.characters-over-limit.{form}="Mae gennych %{{count}} nod yn ormod"' in (
            welsh
        )
    assert "data-i18n" not in english and 'data-module="govuk-character-count"' in english
