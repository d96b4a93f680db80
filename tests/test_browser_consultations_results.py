"""The consultation results and moderation pages in a browser: axe-core finds no serious or
critical problem, the pages reflow at 375 and 320 CSS pixels with no sideways scrolling (the map
scales down, its labels stay readable), and the moderation page's refusal is an error summary
that takes focus to the reason field.

Set CHANGEMAKER_SCREENSHOTS to a folder to keep screenshots at 375 and 1280 px to look at."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from changemaker.consultations import actions, adapter
from changemaker.core.models import Council, Role, User
from changemaker.core.tests.factories import PASSWORD, enrol_two_factor
from tests.browser import axe_problems, sign_in, submit

pytestmark = pytest.mark.browser

FIXTURES = Path(__file__).resolve().parents[1] / "src/changemaker/consultations/fixtures"
SHOTS = os.environ.get("CHANGEMAKER_SCREENSHOTS", "")


def _conversations(council: Council, officer: User) -> list[str]:
    """A real Polis conversation with its map, and a small one whose map is not shown yet."""
    files = {name: (FIXTURES / name).read_bytes() for name in ("comments.csv", "votes.csv")}
    big = adapter.import_polis(council, files, slug="seattle", question="$15/hour in Seattle")
    adapter.compute_map(big)
    now = timezone.now()
    small = actions.create_consultation(
        council,
        by=officer,
        slug="library",
        question="Should the library open on Sundays?",
        background="",
        opens_at=now - timedelta(days=1),
        closes_at=now + timedelta(days=27),
        moderation="after",
        audience="anyone",
        seeds=["Open on Sunday afternoons", "Use the money for longer weekday hours"],
    )
    for person in range(3):
        p = actions.participant_for(small, token=f"b{person}")
        actions.cast_vote(p, small.statements.get(number=0), 1)
    adapter.compute_map(small)
    actions.report_statement(
        small.statements.get(number=1), actions.participant_for(small, token="b0"), "Rude"
    )
    return [f"/have-your-say/{c.slug}/results/" for c in (big, small)]


def test_results_and_moderation_pages_reflow_and_pass_axe(
    transactional_db: None,
    council: Council,
    make_user: Callable[..., User],
    page: Any,
    live_server: Any,
) -> None:
    base = live_server.url
    officer = make_user(Role.ENGAGEMENT_OFFICER)
    enrol_two_factor(officer)
    pages = _conversations(council, officer)
    failures: dict[str, Any] = {}
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for path in pages:
            page.goto(base + path)
            assert page.locator("h1").count() == 1, path
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                failures[f"{path} at {width}px"] = f"scrolls sideways ({wide}px)"
            if width != 320:
                problems = axe_problems(page)
                if problems:
                    failures[f"{path} at {width}px"] = problems
            if SHOTS and width != 320:
                name = path.strip("/").replace("/", "-")
                page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    # the labels of the map stay at least 12 CSS pixels high on the narrowest screen
    page.goto(base + pages[0])
    heights = page.evaluate(
        "[...document.querySelectorAll('main svg text')].map(t => t.getBoundingClientRect().height)"
    )
    assert heights and min(heights) >= 12, heights
    assert page.locator("#map-not-shown").count() == 0
    page.goto(base + pages[1])
    assert page.locator("#map-not-shown").is_visible()

    sign_in(page, base, officer.email, PASSWORD)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(base + "/have-your-say/library/moderate/")
        assert "Rude" in page.locator("main").inner_text()
        page.locator("button[name=decision][value=remove]").last.click()
        page.wait_for_load_state("load")
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible() and "Give the reason" in summary.inner_text()
        summary.get_by_role("link").first.click()
        assert page.evaluate("document.activeElement.id") == "statement-1-reason"
        if page.evaluate("document.documentElement.scrollWidth") > width:
            failures[f"moderation at {width}px"] = "scrolls sideways"
        problems = axe_problems(page)
        if problems:
            failures[f"moderation with an error at {width}px"] = problems
        if SHOTS:
            page.screenshot(path=f"{SHOTS}/moderate-error-{width}.png", full_page=True)
    page.fill("#statement-1-reason", "Rude about a named person")
    submit(page, "main form:has(#statement-1-reason) button[value=remove]")
    assert "Decision saved" in page.locator("main").inner_text()
    assert failures == {}
