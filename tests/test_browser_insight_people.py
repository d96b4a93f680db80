"""The early-help practitioner's flow in a real browser with JavaScript off: sign in, state a
purpose, find a person, open their household, review a flag; axe-core (zero serious or
critical violations) on every page, the planner's statistics page and the data officer's
indicator pages included."""

from __future__ import annotations

from typing import Any

import pytest

from changemaker.core.models import Council
from changemaker.insight.indicators import evaluate, load_indicators
from changemaker.insight.models import Flag, FlagReview, current_run
from tests.browser import axe_problems, press, sign_in, submit

pytestmark = pytest.mark.browser

PRACTITIONER = "practitioner@exampleton.example"
DATA_OFFICER = "data@exampleton.example"


def _insight_data() -> Council:
    """The demo's shared view of need, or (until the demo has one) the people-side test world."""
    from changemaker.insight.tests.people_fixtures import make_world

    council = Council.objects.get(is_default=True)
    run = current_run(council)
    if run is None:
        run = make_world(council).run
    load_indicators(council)
    evaluate(run)
    return council


def _ok(page: Any, failures: dict[str, list[str]]) -> None:
    """One h1; with JavaScript on (axe-core needs it), no serious or critical violations."""
    assert page.locator("h1").count() == 1, page.url
    if _has_js(page):
        problems = axe_problems(page)
        if problems:
            failures[page.url] = problems


def _has_js(page: Any) -> bool:
    return bool(
        page.evaluate(
            "() => document.body.classList.contains('js-enabled') || "
            "document.body.classList.contains('govuk-frontend-supported')"
        )
    )


def _submit(page: Any) -> None:
    submit(page, "main form[method=post] button[type=submit]")


@pytest.mark.parametrize("javascript", [False, True])
def test_practitioner_reviews_a_household_flag(
    javascript: bool, demo: None, browser: Any, live_server: Any
) -> None:
    """The flow works with JavaScript off; with it on, axe-core checks every page."""
    council = _insight_data()
    flag = (
        Flag.objects.filter(council=council, status=Flag.Status.OPEN, subject_kind="household")
        .order_by("pk")
        .first()
    )
    assert flag is not None
    context = browser.new_context(java_script_enabled=javascript, bypass_csp=True, locale="en-GB")
    page, base, failures = context.new_page(), live_server.url, {}
    sign_in(page, base, PRACTITIONER)

    page.goto(f"{base}/insight/")  # asks for a purpose first
    assert "/insight/purpose/" in page.url
    assert _has_js(page) is javascript  # so axe-core really runs in the JavaScript run
    _ok(page, failures)
    page.locator("input[name=purpose]").first.check()
    _submit(page)
    assert page.url.rstrip("/").endswith("/insight")
    _ok(page, failures)

    page.fill("#id_person_id", "not-an-id")
    _submit(page)
    assert page.locator(".govuk-error-summary").count() == 1
    _ok(page, failures)
    assert "not-an-id" not in page.url  # searches are POSTed

    page.goto(f"{base}/insight/households/{flag.subject_id}/")
    assert page.locator("h1").inner_text() == flag.subject_id
    assert flag.indicator.name in page.content()
    _ok(page, failures)

    page.goto(f"{base}/insight/flags/")
    _ok(page, failures)
    page.goto(f"{base}/insight/flags/{flag.pk}/")
    assert "No decision has been made automatically" in page.content()
    _ok(page, failures)
    _submit(page)  # nothing chosen: an error summary
    assert page.locator(".govuk-error-summary").count() == 1
    _ok(page, failures)
    page.locator("input[name=outcome][value=support_offered]").check()
    page.fill("#id_note", "Family offered an early help assessment")
    _submit(page)
    assert page.url.endswith("/insight/flags/")
    assert "Review recorded" in page.content()
    flag.refresh_from_db()
    assert flag.status == Flag.Status.REVIEWED
    assert FlagReview.objects.filter(flag=flag, outcome="support_offered").exists()

    for path in ["/insight/my-access/", "/insight/statistics/"]:
        page.goto(base + path)
        _ok(page, failures)
    context.close()
    assert not failures, failures


def test_data_officer_pages_pass_axe(demo: None, page: Any, live_server: Any) -> None:
    _insight_data()
    base, failures = live_server.url, {}
    sign_in(page, base, DATA_OFFICER)
    for path in ["/insight/indicators/", "/insight/indicators/new/", "/insight/access-log/"]:
        response = page.goto(base + path)
        assert response.status == 200, path
        _ok(page, failures)
    page.goto(f"{base}/insight/purpose/")
    page.locator("input[name=purpose]").first.check()
    press(page.locator("main form[method=post] button[type=submit]").last)
    from changemaker.insight.models import RecordLink

    person = RecordLink.objects.filter(run__current=True).order_by("person_id").first()
    assert person is not None
    for path in [
        f"/insight/people/{person.person_id}/",
        f"/insight/people/{person.person_id}/export/",
    ]:
        response = page.goto(base + path)
        assert response.status == 200, path
        _ok(page, failures)
    assert not failures, failures
