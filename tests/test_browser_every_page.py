"""Every page a person can reach by following links, in Welsh and in English: axe-core finds no
serious or critical problem, the page says which language it is in, and nothing a reader sees
stretches a phone-sized screen sideways.

Rather than a list someone must remember to extend, each demo person signs in and follows
every link on the site from the home page, their account and the staff area. A page is one view
(``/budgets/x/ideas/P01/`` and ``.../P02/`` are the same template): the first person who may
open it checks it, so every view is checked once per language.
"""

from __future__ import annotations

from collections import deque
from typing import Any
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from changemaker.core.management.commands.load_demo import PEOPLE
from tests.browser import axe_problems, sign_in

pytestmark = pytest.mark.browser

START = ["/", "/account/", "/staff/", "/notifications/"]
#: links that change state when followed, sign people out, switch language or leave the site
SKIP_PREFIXES = ("/sign-out", "/language/", "/media/", "/static/", "/django-admin/", "/api/")
MAX_PAGES_PER_PERSON = 400
DOWNLOADS = (".zip", ".csv", ".pb", ".json", ".xml", ".atom", ".pdf", ".svg", ".png", ".txt")


def _view_of(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name or match.url_name


def _links(page: Any, base: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    found = []
    for href in hrefs:
        href = urldefrag(href)[0]
        if not href.startswith(base):
            continue
        path = href[len(base) :] or "/"
        if not path.startswith(SKIP_PREFIXES):
            found.append(path)
    return found


def _crawl(page: Any, base: str, seen: set[str], failures: dict[str, Any], lang: str) -> None:
    """Open one page of each view this person can reach (its links lead on); check the views
    nobody before them opened."""
    queue = deque(START)
    visited: set[str] = set()
    while queue and len(visited) < MAX_PAGES_PER_PERSON:
        path = queue.popleft()
        view = _view_of(urlsplit(path).path)
        if view is None or view in visited:
            continue
        visited.add(view)
        if path.rsplit("?", 1)[0].endswith(DOWNLOADS):
            continue
        try:
            response = page.goto(base + path)
        except PlaywrightError as exc:  # a file to download, not a page
            if "Download is starting" in str(exc):
                continue
            raise
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        if response.status != 200:
            continue
        queue.extend(_links(page, base))
        if view in seen:
            continue
        seen.add(view)
        if page.locator("html").get_attribute("lang") != lang[:2]:
            failures[path] = f"html lang is not {lang[:2]}"
        problems = axe_problems(page)
        if problems:
            failures[path] = problems


@pytest.mark.parametrize("lang", ["cy", "en-gb"])
def test_every_page_everyone_reaches(demo: None, browser: Any, live_server: Any, lang: str) -> None:
    base = live_server.url
    seen: set[str] = set()
    failures: dict[str, Any] = {}
    for people in [None, *PEOPLE]:
        context = browser.new_context(bypass_csp=True, locale="en-GB")
        page = context.new_page()
        if people is not None:
            sign_in(page, base, people[1])
        page.goto(f"{base}/language/{lang}/?next=/")
        _crawl(page, base, seen, failures, lang)
        context.close()
    assert len(seen) > 100, sorted(seen)
    assert failures == {}
