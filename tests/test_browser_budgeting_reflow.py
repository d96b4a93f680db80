"""Participatory budgeting on a phone (WCAG 1.4.10 reflow): at 320 and 375 CSS pixels no
budgeting page scrolls sideways, even with an idea whose title and description are one long
unbroken word; wide tables scroll inside their own region instead. The results chart uses the
page's font. axe-core finds no serious or critical violation on the pages changed here."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.browser import axe_problems, reflow_problems, sign_in

pytestmark = pytest.mark.browser

LONG = "Supercalifragilisticexpialidocious" * 12  # 408 letters, no space


def _long_idea() -> str:
    from changemaker.budgeting.models import Process, Project, StatusChange

    process = Process.objects.get(slug="green-spaces-2027")
    idea = Project.objects.create(
        process=process,
        heading=process.headings.first(),
        code="I999",
        title=LONG[:100],
        description=LONG,
        location=LONG[:200],
        rough_cost=25_000,
        publication=Project.Publication.PUBLISHED,
    )
    StatusChange.objects.create(project=idea, step=StatusChange.Step.SUBMITTED)
    return f"/budgets/{process.slug}/ideas/{idea.code}/"


PUBLIC = [
    "/budgets/assen-2024/results/",
    "/budgets/assen-2024/how-counting-works/",
    "/budgets/high-street-2026/results/",
    "/budgets/green-spaces-2027/ideas/",
]
STAFF = [
    "/budgets/green-spaces-2027/manage/",
    "/budgets/green-spaces-2027/manage/edit/",
    "/budgets/green-spaces-2027/manage/close/",
]


def test_budgeting_pages_reflow_at_320_and_375(demo: None, page: Any, live_server: Any) -> None:
    long_page = _long_idea()
    shots = os.environ.get("CM_SCREENSHOTS")  # a folder: screenshots at 375 and 1280 px
    failures: dict[str, Any] = {}
    sign_in(page, live_server.url, "engagement@exampleton.example")
    for width in (1280, 375, 320):
        page.set_viewport_size({"width": width, "height": 900})
        for path in [*PUBLIC, long_page, *STAFF]:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            if problems := reflow_problems(page):
                failures[f"{path} at {width}px"] = problems
            if width == 375:
                problems = axe_problems(page)
                if problems:
                    failures[f"{path} axe"] = problems
            if shots and width in (375, 1280):
                name = path.strip("/").replace("/", "_") or "home"
                page.screenshot(path=str(Path(shots) / f"{name}-{width}.png"), full_page=True)
    assert failures == {}
    page.goto(live_server.url + "/budgets/assen-2024/results/")
    font = page.evaluate(
        "getComputedStyle(document.querySelector('.cm-chart svg text')).fontFamily"
    )
    assert "serif" not in font.replace("sans-serif", ""), font
    assert page.locator(".cm-chart__legend li").count() == 2
