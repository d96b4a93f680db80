"""The staff culture survey in a real browser with JavaScript off: taking part from the
email's link to sending the answers, axe-core on every page, and reflow at 320 px wide (no
sideways scrolling of the page; the results table scrolls in its own box)."""

from __future__ import annotations

from typing import Any

import pytest

from changemaker.core.selectors import token_hash
from changemaker.culture import actions
from changemaker.culture.demo import chart_csv
from changemaker.culture.models import Invitation, Response, Survey, Wave
from tests.browser import axe_problems, sign_in, submit

pytestmark = pytest.mark.browser
TOKEN = "browser-test-link-0123456789abcdefghijklmnop"


def _open_wave() -> Wave:
    survey = Survey.objects.get(name="Exampleton staff survey")
    wave = actions.create_wave(
        Wave(
            survey=survey,
            name="2027",
            characteristic="What is your grade?",
            characteristic_options=["Grades 1 to 4", "Grades 5 and above"],
            comment_question="Is there anything else you want to tell us?",
        ),
        by=None,
    )
    actions.upload_chart(wave, chart_csv(), source="units.csv", by=None)
    actions.open_wave(wave, by=None)
    Invitation.objects.create(
        wave=wave, unit=wave.units.get(code="COMM-1"), token_hash=token_hash(TOKEN)
    )
    return wave


def _fits(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def _take_part(page: Any, base: str, *, axe: bool) -> list[str]:
    """Follow the link and answer every page; the pages seen (axe-checked with ``axe``)."""
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{base}/survey/start/{TOKEN}/")
    failures: dict[str, list[str]] = {}
    seen = []
    while "/survey/sent/" not in page.url:
        seen.append(page.url)
        assert page.locator("h1").count() == 1, page.url
        assert _fits(page), page.url
        problems = axe_problems(page) if axe else []
        if problems:
            failures[page.url] = problems
        radios = page.locator("input[type=radio][value='4']")
        for i in range(radios.count()):
            radios.nth(i).check()
        if "/about-you/" in page.url:
            page.locator("input[type=radio]").first.check()
        if page.url.removeprefix(base) == "/survey/":
            page.locator("a.govuk-button--start").click()
            page.wait_for_load_state("load")
        else:
            submit(page, "main button[type=submit]:not([name=leave])")
        assert len(seen) < 20
    assert failures == {}
    assert _fits(page)
    return seen


def test_taking_part_without_javascript_and_reflow_at_320_pixels(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    wave = _open_wave()
    seen = _take_part(page_no_js, live_server.url, axe=False)
    assert Response.objects.filter(wave=wave).count() == 1
    assert any("/survey/check/" in url for url in seen)
    assert any("/survey/page/2/" in url for url in seen)
    assert any("/survey/comment/" in url for url in seen)


def test_taking_part_pages_pass_axe(demo: None, page: Any, live_server: Any) -> None:
    wave = _open_wave()
    _take_part(page, live_server.url, axe=True)
    assert axe_problems(page) == []
    assert Response.objects.filter(wave=wave).count() == 1


def test_taking_part_in_welsh_passes_axe_with_the_english_marked(
    demo: None, page: Any, live_server: Any
) -> None:
    """The wave has no Welsh yet: its words show in English marked lang="en" (F9)."""
    wave = _open_wave()
    page.goto(f"{live_server.url}/language/cy/?next=/")
    seen = _take_part(page, live_server.url, axe=True)
    assert any("/survey/about-you/" in url for url in seen)
    assert page.locator("html").get_attribute("lang") == "cy"
    assert Response.objects.filter(wave=wave).count() == 1


def test_results_reflow_at_320_pixels(demo: None, page: Any, live_server: Any) -> None:
    sign_in(page, live_server.url, "survey@exampleton.example")
    wave = Wave.objects.get(name="2026")
    page.set_viewport_size({"width": 320, "height": 800})
    for path in (
        f"/culture/waves/{wave.pk}/results/",
        f"/culture/waves/{wave.pk}/",
        f"/culture/waves/{wave.pk}/comments/",
        f"/culture/waves/{wave.pk}/welsh/",
    ):
        page.goto(live_server.url + path)
        assert _fits(page), path
        assert axe_problems(page) == [], path
