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


#: On SQLite, a copy of the database just after the first demo load in this process: later
#: tests get the demo back from it in milliseconds instead of loading it again (about 20 s).
_DEMO_COPY: list[Any] = []


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo council. Ask for it first in a test, so the page closes before the flush."""
    import sqlite3
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "sqlite" and _DEMO_COPY:
        _DEMO_COPY[0].backup(connection.connection)
        return
    call_command("load_demo", stdout=StringIO())
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _DEMO_COPY.append(copy)


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
