from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser import AXE, CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API runs an event loop in this thread; the tests touch the database from
# the same thread between page actions, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    assert os.path.exists(CHROMIUM), (
        f"Debian's chromium is needed at {CHROMIUM} (make test installs it)"
    )
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make test does it)"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo council. Ask for it first in a test, so the page closes before the flush."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_demo", stdout=StringIO())


def _context(browser: Any, *, javascript: bool) -> Any:
    return browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="en-GB")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = _context(browser, javascript=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def page_no_js(browser: Any) -> Iterator[Any]:
    context = _context(browser, javascript=False)
    yield context.new_page()
    context.close()
