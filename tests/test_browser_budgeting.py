"""Participatory budgeting in a real browser, with JavaScript off and on: a resident shares an
idea with a picture (multipart form, errors first), an officer takes the picture down. With
JavaScript on (axe-core needs it), axe finds no serious or critical violation on any page on
the way, nor on the results page with its fairness section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from changemaker.budgeting.models import Project
from changemaker.core.models import AuditEvent
from changemaker.core.tests.pictures import png
from tests.browser import axe_problems, press, sign_in, submit

pytestmark = pytest.mark.browser

PNG = png()
SLUG = "green-spaces-2027"  # the demo budget taking ideas


def _checked(page: Any, failures: dict[str, list[str]], label: str) -> None:
    """One h1; and, when JavaScript is on, no serious or critical axe-core violation."""
    assert page.locator("h1").count() == 1, label
    if page.locator("body.js-enabled").count():
        problems = axe_problems(page)
        if problems:
            failures[label] = problems


def _submit(page: Any) -> None:
    submit(page, "main form button[type=submit]")


@pytest.mark.parametrize("javascript", [False, True], ids=["without JavaScript", "with axe"])
def test_idea_with_a_picture(
    javascript: bool, demo: None, request: Any, live_server: Any, tmp_path: Path
) -> None:
    page = request.getfixturevalue("page" if javascript else "page_no_js")
    base = live_server.url
    failures: dict[str, list[str]] = {}
    fake = tmp_path / "bench.png"
    fake.write_bytes(b"<html><script>alert(1)</script></html>")  # not an image at all
    real = tmp_path / "Ada Lovelace.png"
    real.write_bytes(PNG)
    sign_in(page, base, "resident@exampleton.example")
    page.goto(f"{base}/budgets/{SLUG}/ideas/new/")
    assert page.locator("body.js-enabled").count() == javascript  # axe runs when it is on
    _checked(page, failures, "idea form")
    page.fill("#id_title", "Benches by the pond")
    page.fill("#id_description", "Somewhere to sit and watch the ducks.")
    page.check("#id_heading_0")
    page.select_option("#id_ward", index=1)
    page.fill("#id_rough_cost", "3000")
    page.set_input_files("#id_image", str(fake))
    _submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "PNG or JPEG" in summary and "Describe what the picture shows" in summary
    assert "Choose it again" in page.content()
    _checked(page, failures, "idea form with errors")
    assert not Project.objects.filter(title="Benches by the pond").exists()
    page.set_input_files("#id_image", str(real))
    page.fill("#id_image_alt", "A wooden bench beside the pond")
    _submit(page)
    project = Project.objects.get(title="Benches by the pond")
    assert page.url.endswith(f"/ideas/{project.code}/")
    assert project.image and "Ada" not in project.image.name
    image = page.locator("main img")
    assert image.get_attribute("alt") == "A wooden bench beside the pond"
    assert image.get_attribute("src") == project.image.url
    _checked(page, failures, "idea page with a picture")
    page.goto(f"{base}/budgets/{SLUG}/ideas/")
    assert page.locator('main img[alt="A wooden bench beside the pond"]').count() == 1
    _checked(page, failures, "ideas list with a picture")

    page.context.clear_cookies()  # sign the resident out
    sign_in(page, base, "engagement@exampleton.example")
    page.goto(f"{base}/budgets/{SLUG}/manage/review/{project.code}/")
    _checked(page, failures, "review page with a picture")
    press(page.get_by_role("button", name="Publish the idea"))
    assert "The idea is published" in page.content()
    project.refresh_from_db()
    assert project.publication == Project.Publication.PUBLISHED
    press(page.get_by_role("button", name="Remove the image"))
    assert "The image has been removed" in page.content()
    assert page.locator("main img").count() == 0
    project.refresh_from_db()
    assert not project.image
    assert AuditEvent.objects.filter(action="pb.idea_image_removed").count() == 1
    for path in (f"/budgets/{SLUG}/manage/", "/budgets/new/", "/budgets/assen-2024/results/"):
        page.goto(base + path)
        _checked(page, failures, path)
    assert "Fairness check" in page.content()
    assert failures == {}
