"""Every page a person can reach by following links, in Welsh and in English, on a phone 320 CSS
pixels wide: axe-core finds no serious or critical problem, the page says which language it is
in, and it reflows (WCAG 1.4.10: no sideways scrolling, tables scroll in their own region and
keep their words whole).

Rather than a list someone must remember to extend, each demo person (and someone signed out)
follows every link on the site from the home page, their account and the staff area. A page
is one view (``/budgets/x/ideas/P01/`` and ``.../P02/`` are the same template): the links are
followed with Django's test client (fast: no browser), and the first person who can open a
view checks it in a real browser with axe-core, once per language.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client
from django.urls import Resolver404, resolve

from changemaker.core.management.commands.load_demo import PEOPLE
from changemaker.core.models import User
from changemaker.core.tests.factories import sign_in as client_sign_in
from tests.browser import axe_problems, reflow_problems, sign_in

pytestmark = pytest.mark.browser

START = ["/", "/account/", "/staff/", "/notifications/"]
#: links that sign people out, switch language, leave the pages or serve files
SKIP_PREFIXES = ("/sign-out", "/language/", "/media/", "/static/", "/django-admin/", "/api/")
DOWNLOADS = (".zip", ".csv", ".pb", ".json", ".xml", ".atom", ".pdf", ".svg", ".png", ".txt")
HOST = "localhost"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _view_of(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name or match.url_name


def _links(page_path: str, html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        url = urlsplit(urldefrag(urljoin(f"http://{HOST}{page_path}", href))[0])
        if url.netloc not in {HOST, ""}:
            continue
        path = url.path + (f"?{url.query}" if url.query else "")
        if not path.startswith(SKIP_PREFIXES) and not url.path.endswith(DOWNLOADS):
            found.append(path)
    return found


def _reachable(email: str | None) -> dict[str, str]:
    """One page of each view this person reaches by following links: view -> path."""
    client = Client()
    if email is not None:
        client_sign_in(client, User.objects.get(email=email), two_factor=True)
    queue, seen, pages = deque(START), set(), {}
    while queue:
        path = queue.popleft()
        view = _view_of(path)
        if view is None or view in seen:
            continue
        seen.add(view)
        response = client.get(path, HTTP_HOST=HOST)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        pages[view] = path
        queue.extend(_links(path, response.content.decode()))
    return pages


def _plan() -> list[tuple[str | None, list[str]]]:
    """Who checks which pages: each view by the first person who reaches it."""
    taken: set[str] = set()
    plan = []
    for email in [None, *(p[1] for p in PEOPLE)]:
        pages = _reachable(email)
        mine = [path for view, path in pages.items() if view not in taken]
        taken.update(pages)
        plan.append((email, mine))
    return plan


@pytest.mark.parametrize("lang", ["cy", "en-gb"])
def test_every_page_everyone_reaches(demo: None, browser: Any, live_server: Any, lang: str) -> None:
    base = live_server.url
    plan = _plan()
    assert sum(len(paths) for _email, paths in plan) > 100, plan
    failures: dict[str, Any] = {}
    for email, paths in plan:
        if not paths:
            continue
        context = browser.new_context(
            bypass_csp=True, locale="en-GB", viewport={"width": 320, "height": 900}
        )
        page = context.new_page()
        if email is not None:
            sign_in(page, base, email)
        page.goto(f"{base}/language/{lang}/?next=/")
        for path in paths:
            page.goto(base + path)
            if page.locator("html").get_attribute("lang") != lang[:2]:
                failures[path] = f"html lang is not {lang[:2]}"
            problems = axe_problems(page) + reflow_problems(page)
            if problems:
                failures[path] = problems
        context.close()
    assert failures == {}
