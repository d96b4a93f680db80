"""Pages run clean under the real Content Security Policy: no console errors (an inline style
or script the policy refuses shows up here), and the site has its own icon."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

PAGES = [
    "/",
    "/budgets/",
    "/budgets/green-spaces-2027/",
    "/have-your-say/",
    "/have-your-say/high-street/",
    "/have-your-say/high-street/results/",
    "/help/",
    "/sign-in/",
    "/evidence/",
    "/evidence/outcomes/crisis-referrals-per-month/",
    "/evidence/crisis-prevention-wards/",
    "/evidence/signing-key/",
]


def test_pages_have_no_console_errors_under_the_csp(
    demo: None, browser: Any, live_server: Any
) -> None:
    context = browser.new_context(java_script_enabled=True, locale="en-GB")  # CSP enforced
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        for path in PAGES:
            page.goto(live_server.url + path)
            page.wait_for_load_state("networkidle")
            assert errors == [], f"{path}: {errors}"
        icon = page.locator("link[rel=icon]").get_attribute("href")
        assert icon and page.request.get(live_server.url + icon).status == 200
    finally:
        context.close()
