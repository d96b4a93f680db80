"""axe-core on every page of the demo, signed out and signed in as each role: zero serious or
critical violations (WCAG 2.2 AA)."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from changemaker.core.management.commands.load_demo import DEMO_PASSWORD, PEOPLE
from changemaker.core.models import Council, Job, User
from tests.browser import axe_problems, sign_in, submit

pytestmark = pytest.mark.browser

BUDGETS = [
    "/budgets/",
    "/budgets/green-spaces-2027/",
    "/budgets/green-spaces-2027/ideas/",
    "/budgets/green-spaces-2027/ideas/P01/",
    "/budgets/neighbourhoods-2026/vote/",
    "/budgets/neighbourhoods-2026/vote/code/",
    "/budgets/assen-2024/results/",
    "/budgets/assen-2024/how-counting-works/",
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
EVIDENCE = [
    "/evidence/",
    "/evidence/?result=unclear&design=staggered",
    "/evidence/crisis-prevention-wards/",
    "/evidence/text-reminders/",
    "/evidence/community-hubs-rollout/",
    "/evidence/outcomes/",
    "/evidence/outcomes/crisis-referrals-per-month/",
    "/evidence/signing-key/",
]
EVIDENCE_STAFF = [
    "/evidence/staff/",
    "/evidence/staff/new/",
    "/evidence/staff/crisis-prevention-wards/",
    "/evidence/staff/crisis-prevention-wards/edit/",
    "/evidence/staff/crisis-prevention-wards/versions/1/",
    "/evidence/staff/crisis-prevention-wards/data/",
    "/evidence/staff/crisis-prevention-wards/data/shared/",
    "/evidence/staff/crisis-prevention-wards/rating/",
    "/evidence/staff/community-hubs-rollout/",
    "/evidence/staff/subscriptions/",
]
PUBLIC = [
    *BUDGETS,
    *CONSULTATIONS,
    *EVIDENCE,
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
    "/self-evaluation/",
    "/self-evaluation/how-we-did-in-2025-to-2026/",
    "/commitments/",
    "/commitments/?status=delayed",
    "/stories/where-you-live/",
    "/stories/where-you-live/thank-you/",
]
# Welsh pages (the language chosen first): officer-written words in Welsh, English marked
WELSH = [
    "/budgets/green-spaces-2027/ideas/",
    "/budgets/neighbourhoods-2026/",
    "/have-your-say/high-street/",
    "/have-your-say/high-street/results/",
    "/evidence/crisis-prevention-wards/",
]
STAFF_PAGES = [
    "/account/",
    "/account/two-factor/",
    "/staff/",
    "/staff/jobs/",
    "/staff/translate/",
    "/staff/audit/",
    "/staff/invite/",
    "/staff/council/",
    "/staff/council/wards/new/",
    "/staff/people/",
    "/platform/councils/",
    "/platform/councils/new/",
    "/budgets/green-spaces-2027/ideas/new/",
    "/budgets/neighbourhoods-2026/vote/",
    "/budgets/import/",
    "/budgets/assen-2024/manage/",
    "/budgets/assen-2024/manage/codes/",
    "/budgets/neighbourhoods-2026/manage/codes/",
    "/budgets/neighbourhoods-2026/vote/check/",
    "/budgets/register/",
    "/budgets/green-spaces-2027/manage/",
    "/budgets/green-spaces-2027/manage/edit/",
    "/budgets/green-spaces-2027/manage/close/",
    "/budgets/green-spaces-2027/manage/checks/",
    "/budgets/green-spaces-2027/manage/review/P01/",
    "/budgets/green-spaces-2027/manage/review/P05/welsh/",
    "/budgets/assen-2024/manage/delivery/3/",
    "/have-your-say/new/",
    "/have-your-say/import/",
    "/have-your-say/high-street/moderate/",
    "/have-your-say/high-street/invite/",
    "/have-your-say/high-street/welsh/",
    "/commitments/manage/",
    "/commitments/manage/new/",
    "/commitments/manage/file/",
    *EVIDENCE_STAFF,
    "/self-evaluation/manage/",
    "/self-evaluation/manage/new/",
    "/self-evaluation/manage/how-we-did-in-2025-to-2026/",
    "/self-evaluation/manage/how-we-are-doing-in-2026-to-2027/",
    "/self-evaluation/manage/how-we-did-in-2025-to-2026/comments/",
    "/stories/manage/",
    "/stories/manage/new/",
]


def _commitment_pages() -> list[str]:
    """The demo's parent commitment: its public page and the officers' pages."""
    from changemaker.core.models.commitments import Commitment

    parent = Commitment.objects.get(title="Make the town centre safer to walk")
    part = parent.children.order_by("pk").first()
    assert part is not None
    milestone = part.milestones.order_by("pk").first()
    assert milestone is not None
    return [
        reverse("listening:commitment", kwargs={"pk": parent.pk}),
        reverse("listening:commitment", kwargs={"pk": part.pk}),
        reverse("listening:staff-commitment", kwargs={"pk": part.pk}),
        reverse("listening:staff-commitment-edit", kwargs={"pk": part.pk}),
        reverse("listening:staff-commitment-update", kwargs={"pk": part.pk}),
        reverse("listening:staff-milestone-new", kwargs={"pk": part.pk}),
        reverse(
            "listening:staff-milestone-document", kwargs={"pk": part.pk, "milestone": milestone.pk}
        ),
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
        reverse("culture:comments", args=[wave.pk]),
        reverse("culture:wave-welsh", args=[wave.pk]),
    ]


def _story_pages() -> list[str]:
    """The staff story pages in the demo (ids from the database)."""
    from changemaker.listening.models import StoryCollection

    collection = StoryCollection.objects.get(slug="where-you-live")
    story, theme = collection.stories.first(), collection.themes.first()
    assert story is not None and theme is not None
    return [
        reverse("listening:stories-collection", args=[collection.pk]),
        reverse("listening:stories-story-new", args=[collection.pk]),
        reverse("listening:stories-story", args=[collection.pk, story.pk]),
        reverse("listening:stories-theme-new", args=[collection.pk]),
        reverse("listening:stories-theme", args=[collection.pk, theme.pk]),
        reverse("listening:stories-suggestions", args=[collection.pk]),
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
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    page.goto(live_server.url + "/language/cy/?next=/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert axe_problems(page) == []


def test_dead_end_pages(demo: None, page: Any, live_server: Any) -> None:
    """A button's address opened with a link (405) and a form sent after signing in in another
    tab (CSRF): the site's pages, in English and in Welsh."""
    base = live_server.url
    response = page.goto(base + "/following/1/stop/")
    assert response.status == 405
    assert page.locator("h1").inner_text() == "This page cannot be opened directly"
    assert axe_problems(page) == []
    page.goto(base + "/stories/where-you-live/")
    page.fill("#id_what_works", "The library's homework club")
    other_tab = page.context.new_page()
    sign_in(other_tab, base, "resident@exampleton.example")  # a new CSRF secret
    other_tab.close()
    page.check("#id_consent")
    submit(page)
    assert page.locator("h1").inner_text() == "Your form was not sent"
    assert "homework club" not in page.content()
    assert axe_problems(page) == []
    page.goto(base + "/language/cy/?next=/following/1/stop/")
    assert page.locator("html").get_attribute("lang") == "cy"
    assert page.locator("h1").inner_text() == "Does dim modd agor y dudalen hon yn uniongyrchol"
    assert axe_problems(page) == []


def test_welsh_pages(demo: None, page: Any, live_server: Any) -> None:
    page.goto(live_server.url + "/language/cy/?next=/")
    failures = {}
    for path in WELSH:
        page.goto(live_server.url + path)
        assert page.locator("html").get_attribute("lang") == "cy", path
        problems = axe_problems(page)
        if problems:
            failures[path] = problems
    assert failures == {}


@pytest.mark.parametrize(("role", "email", "name"), PEOPLE, ids=[p[0] for p in PEOPLE])
def test_every_page_each_role_can_open(
    demo: None, page: Any, live_server: Any, role: str, email: str, name: str
) -> None:
    sign_in(page, live_server.url, email)
    job = Job.objects.create(
        kind="core.selfcheck",
        title="Self-check",
        council=Council.objects.get(slug="exampleton"),
        status=Job.Status.RUNNING,
        done=1,
        total=3,
    )
    failures = {}
    denied_checked = False
    officer = User.objects.get(email="engagement@exampleton.example")
    by_id = [
        reverse("core:job", args=[job.pk]),
        reverse("core:staff-person", args=[officer.pk]),
        reverse("core:staff-remove", args=[officer.pk]),
        reverse("core:staff-reset-two-factor", args=[officer.pk]),
        reverse("core:platform-council", args=[job.council_id]),
        *_commitment_pages(),
    ]
    for path in [*STAFF_PAGES, *_culture_pages(), *_story_pages(), *by_id]:
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


def test_evidence_pages_and_reflow(demo: None, page: Any, live_server: Any) -> None:
    """The evidence pages (public, and the evidence lead's, with a form's errors and an
    analysis) pass axe-core, and reflow at 320 CSS pixels with no sideways scrolling."""
    from changemaker.evidence.models import Analysis
    from tests.browser import submit

    analysis = Analysis.objects.get(pilot__slug="crisis-prevention-wards")
    analysis_page = f"/evidence/staff/crisis-prevention-wards/analyses/{analysis.pk}/"
    from changemaker.evidence.models import Subscription

    subscription_page = f"/evidence/staff/subscriptions/{Subscription.objects.get().pk}/"
    sign_in(page, live_server.url, "evidence@exampleton.example")
    failures: dict[str, Any] = {}
    for width in (1024, 320):
        page.set_viewport_size({"width": width, "height": 800})
        for path in [*EVIDENCE, *EVIDENCE_STAFF, analysis_page, subscription_page]:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            wide = page.evaluate("document.documentElement.scrollWidth")
            if wide > width:
                failures[f"{path} at {width}px"] = f"scrolls sideways ({wide}px)"
            problems = axe_problems(page) if width == 1024 else []
            if problems:
                failures[path] = problems
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server.url + "/evidence/staff/crisis-prevention-wards/rating/")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    page.goto(live_server.url + "/evidence/staff/subscriptions/")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    assert failures == {}


def test_staff_roles_councils_and_set_up_link_pages(
    demo: None, page: Any, live_server: Any, browser: Any
) -> None:
    import re

    from django.core import mail

    from changemaker.core.models import Role
    from tests.browser import enrol, submit

    base = live_server.url
    sign_in(page, base, "admin@exampleton.example")
    admin = User.objects.get(email="admin@exampleton.example")
    page.goto(base + reverse("core:staff-person", args=[admin.pk]))
    page.uncheck(f"input[value={Role.COUNCIL_ADMIN}]")
    page.check(f"input[value={Role.ENGAGEMENT_OFFICER}]")
    submit(page)
    assert (
        "You are the only council administrator"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert axe_problems(page) == []
    page.goto(base + reverse("core:staff-remove", args=[admin.pk]))
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []

    platform = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(platform, base, "platform@exampleton.example")
    platform.goto(base + "/platform/councils/new/")
    platform.fill("#id_domain", "https://bad/")
    submit(platform)
    assert platform.locator(".govuk-error-summary").is_visible()
    assert axe_problems(platform) == []

    # a new data officer with only a password: the set-up page asks for the emailed link
    newcomer = User.objects.create_user(
        email="new.data@exampleton.example", password="a-long-unusual-phrase", name="Nia New"
    )
    newcomer.role_assignments.create(
        council=Council.objects.get(slug="exampleton"), role=Role.DATA_OFFICER
    )
    fresh = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    fresh.goto(base + "/sign-in/")
    fresh.fill("#id_email", newcomer.email)
    fresh.fill("#id_password", "a-long-unusual-phrase")
    submit(fresh)
    fresh.goto(base + "/staff/")
    assert "Confirm your email address" in fresh.content()
    assert axe_problems(fresh) == []
    fresh.get_by_role("button", name="Email me the link").click()
    fresh.wait_for_load_state("load")
    assert "We have sent the link" in fresh.content()
    assert axe_problems(fresh) == []
    link = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert link
    fresh.goto(link.group(0))
    assert axe_problems(fresh) == []
    submit(fresh)
    assert len(enrol(fresh)) == 10


def test_listening_pages_and_reflow(demo: None, page: Any, live_server: Any) -> None:
    """The demo resident's notifications, what they follow and their choices (with a form's
    errors), and the signed-out unsubscribe page: axe-core, and reflow at 320 CSS pixels."""
    from changemaker.listening import selectors
    from changemaker.listening.models import Follow, Preference
    from tests.browser import submit

    follow = Follow.objects.filter(user__email="resident@exampleton.example").first()
    assert follow is not None
    token = selectors.unsubscribe_token(Preference.objects.get(user=follow.user))
    unsubscribe = f"/notifications/unsubscribe/{token}/"
    pages = ["/notifications/", "/following/", "/notifications/choices/"]
    pages.append(f"/following/{follow.pk}/")
    pages.append("/self-evaluation/how-we-are-doing-in-2026-to-2027/rate/")
    failures: dict[str, Any] = {}

    def check(paths: list[str]) -> None:
        for width in (1024, 320):
            page.set_viewport_size({"width": width, "height": 800})
            for path in paths:
                page.goto(live_server.url + path)
                assert page.locator("h1").count() == 1, path
                wide = page.evaluate("document.documentElement.scrollWidth")
                if wide > width:
                    failures[f"{path} at {width}px"] = f"scrolls sideways ({wide}px)"
                problems = axe_problems(page) if width == 1024 else []
                if problems:
                    failures[path] = problems

    check([unsubscribe])  # signed out
    sign_in(page, live_server.url, "resident@exampleton.example")
    check(pages)
    page.set_viewport_size({"width": 1024, "height": 800})
    page.goto(live_server.url + "/following/")
    page.locator("main form:has(#id_ward) button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    page.goto(live_server.url + "/notifications/choices/")
    submit(page)
    assert failures == {}


def test_you_said_we_did_pages(demo: None, page: Any, live_server: Any) -> None:
    """The public list and every published page, then the officers' list, editing (with a
    form's errors), preview and drafting again: axe-core on each."""
    from changemaker.listening.models import Report
    from tests.browser import submit

    ids = list(Report.objects.values_list("pk", flat=True))
    public = ["/you-said-we-did/", "/you-said-we-did/?kind=budgeting.process"]
    public += [reverse("listening:report", args=[pk]) for pk in ids]
    staff = ["/you-said-we-did/manage/"] + [
        reverse(name, args=[ids[0]])
        for name in (
            "listening:report-edit",
            "listening:report-preview",
            "listening:report-redraft",
        )
    ]
    failures: dict[str, Any] = {}

    def check(paths: list[str]) -> None:
        for path in paths:
            page.goto(live_server.url + path)
            assert page.locator("h1").count() == 1, path
            problems = axe_problems(page)
            if problems:
                failures[path] = problems

    check(public)
    sign_in(page, live_server.url, "engagement@exampleton.example")
    check(staff)
    page.goto(live_server.url + reverse("listening:report-edit", args=[ids[0]]))
    page.fill("#id_title", "")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state("load")
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    page.goto(live_server.url + reverse("listening:report-redraft", args=[ids[0]]))
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert axe_problems(page) == []
    assert failures == {}
