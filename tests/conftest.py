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


#: A copy of the database just after the first demo load in this process: later tests get the
#: demo back from it in a second or two instead of loading it again (about 20 s). On SQLite, a
#: whole in-memory database; on PostgreSQL, each table's rows in COPY's binary format.
_DEMO_COPY: list[Any] = []


def _pg_tables() -> list[str]:
    from django.db import connection

    return sorted(connection.introspection.django_table_names(only_existing=True))


def _pg_keep() -> list[tuple[str, bytes]]:
    """Every table's rows, as PostgreSQL's COPY writes them."""
    from django.db import connection

    kept = []
    with connection.connection.cursor() as cursor:
        for table in _pg_tables():
            with cursor.copy(
                f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT binary)"
            ) as copy:
                kept.append((table, b"".join(bytes(block) for block in copy)))
    return kept


def _pg_restore(kept: list[tuple[str, bytes]]) -> None:
    """Put the kept rows back in one transaction: emptied first (the flush after a test leaves
    the content types it makes again), foreign keys checked at commit (Django makes them
    deferrable), then every sequence moved past the ids restored."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection, transaction

    quote = connection.ops.quote_name
    with transaction.atomic(), connection.connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(quote(table) for table, _rows in kept)}")
        for table, rows in kept:
            with cursor.copy(f"COPY {quote(table)} FROM STDIN (FORMAT binary)") as copy:
                copy.write(rows)
        models = apps.get_models(include_auto_created=True)
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


@pytest.fixture
def demo(transactional_db: None) -> None:
    """The demo council. Ask for it first in a test, so the page closes before the flush."""
    import sqlite3
    from io import StringIO

    from django.core.management import call_command
    from django.db import connection

    connection.ensure_connection()
    if _DEMO_COPY:
        if connection.vendor == "sqlite":
            _DEMO_COPY[0].backup(connection.connection)
        else:
            _pg_restore(_DEMO_COPY[0])
        return
    call_command("load_demo", stdout=StringIO())
    if connection.vendor == "sqlite":
        copy = sqlite3.connect(":memory:", check_same_thread=False)
        connection.connection.backup(copy)
        _DEMO_COPY.append(copy)
    elif connection.vendor == "postgresql":
        _DEMO_COPY.append(_pg_keep())


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
