"""axe-core on every page of the demo, signed out and signed in as each role: zero serious or
critical violations (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD, PEOPLE
from changemaker.core.models import Council, Job
from tests.browser import axe_problems, sign_in

pytestmark = pytest.mark.browser

BUDGETS = [
    "/budgets/",
    "/budgets/green-spaces-2027/",
    "/budgets/green-spaces-2027/ideas/",
    "/budgets/green-spaces-2027/ideas/P01/",
    "/budgets/neighbourhoods-2026/vote/",
    "/budgets/neighbourhoods-2026/vote/code/",
    "/budgets/assen-2024/results/",
    "/budgets/assen-2024/delivery/",
    "/budgets/high-street-2026/results/",
]
CONSULTATIONS = [
    "/have-your-say/",
    "/have-your-say/high-street/",
    "/have-your-say/high-street/statements/new/",
    "/have-your-say/high-street/statements/1/report/",
    "/have-your-say/seattle-15-an-hour/results/",
    "/have-your-say/high-street/results/",
]
PUBLIC = [
    *BUDGETS,
    *CONSULTATIONS,
    "/",
    "/accessibility/",
    "/privacy/",
    "/cookies/",
    "/register/",
    "/sign-in/",
    "/password-reset/",
    "/no-such-page/",
    "/register/check-your-email/",
    "/survey/start/not-a-link/",
]
STAFF_PAGES = [
    "/account/",
    "/account/two-factor/",
    "/staff/",
    "/staff/jobs/",
    "/staff/audit/",
    "/staff/invite/",
    "/staff/council/",
    "/staff/council/wards/new/",
    "/platform/councils/",
    "/budgets/green-spaces-2027/ideas/new/",
    "/budgets/neighbourhoods-2026/vote/",
    "/budgets/import/",
    "/budgets/assen-2024/manage/",
    "/budgets/assen-2024/manage/codes/",
    "/budgets/neighbourhoods-2026/manage/codes/",
    "/budgets/neighbourhoods-2026/vote/check/",
    "/budgets/register/",
    "/budgets/green-spaces-2027/manage/",
    "/budgets/green-spaces-2027/manage/checks/",
    "/budgets/green-spaces-2027/manage/review/P01/",
    "/budgets/assen-2024/manage/delivery/3/",
    "/have-your-say/new/",
    "/have-your-say/import/",
    "/have-your-say/high-street/moderate/",
    "/have-your-say/high-street/invite/",
]


def _culture_pages() -> list[str]:
    """The staff culture survey's pages in the demo (ids from the database)."""
    from changemaker.culture.models import Wave

    wave = Wave.objects.get(name="2026")
    unit = wave.units.get(code="COMM-1")
    return [
        "/culture/",
        reverse("culture:survey", args=[wave.survey.pk]),
        reverse("culture:wave-new", args=[wave.survey.pk]),
        reverse("culture:wave", args=[wave.pk]),
        "/culture/results/",
        reverse("culture:results", args=[wave.pk]),
        reverse("culture:team", args=[wave.pk, unit.pk]),
    ]


def test_public_pages(demo: None, page: Any, live_server: Any) -> None:
    failures = {}
    for path in PUBLIC:
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1, path
        problems = axe_problems(page)
        if problems:
            failures[path] = problems
    assert failures == {}


def test_form_errors_and_welsh(demo: None, page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/register/")
    page.locator("main button[type=submit]").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    page.goto(live_server.url + "/language/cy/?next=/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert axe_problems(page) == []


@pytest.mark.parametrize(("role", "email", "name"), PEOPLE, ids=[p[0] for p in PEOPLE])
def test_every_page_each_role_can_open(
    demo: None, page: Any, live_server: Any, role: str, email: str, name: str
) -> None:
    sign_in(page, live_server.url, email)
    job = Job.objects.create(
        kind="core.selfcheck",
        title="Self-check",
        council=Council.objects.get(),
        status=Job.Status.RUNNING,
        done=1,
        total=3,
    )
    failures = {}
    denied_checked = False
    for path in [*STAFF_PAGES, *_culture_pages(), reverse("core:job", args=[job.pk])]:
        response = page.goto(live_server.url + path)
        if response.status == 403:
            assert "You cannot see this page" in page.content()
            if denied_checked:
                continue  # the same 403 page: checked once per role
            denied_checked = True
        problems = axe_problems(page)
        if problems:
            failures[path] = problems
    assert failures == {}


def test_two_factor_pages_and_council_errors(demo: None, page: Any, live_server: Any) -> None:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from changemaker.core.tests.factories import totp_code
    from tests.browser import submit

    base = live_server.url
    page.goto(base + "/sign-in/")
    page.fill("#id_email", "admin@exampleton.example")
    page.fill("#id_password", DEMO_PASSWORD)
    submit(page)
    assert "/sign-in/security-code/" in page.url
    assert axe_problems(page) == []
    page.fill("#id_code", "12")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    device = TOTPDevice.objects.get(user__email="admin@exampleton.example")
    page.fill("#id_code", totp_code(device))
    submit(page)
    page.wait_for_url(base + "/account/")

    page.goto(base + "/account/two-factor/")
    page.get_by_role("button", name="Get new recovery codes").click()
    page.wait_for_load_state("load")
    assert page.locator(".cm-recovery-codes code").count() == 10
    assert axe_problems(page) == []

    for colour in ["#fff", "not a colour"]:
        page.goto(base + "/staff/council/")
        page.fill("#id_brand_colour", colour)
        submit(page)
        summary = page.locator(".govuk-error-summary")
        assert summary.is_visible(), colour
        assert page.locator("#id_brand_colour").input_value() == colour[:7]  # maxlength 7
        assert "Enter a colour" in summary.inner_text() or "contrast" in summary.inner_text()
        assert axe_problems(page) == []
