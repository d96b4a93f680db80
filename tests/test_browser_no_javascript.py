"""Every flow works with JavaScript off."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail

from changemaker.core.models import Invitation, Role, User
from tests.browser import enrol, press, sign_in, start_voting, submit

pytestmark = pytest.mark.browser


def test_register_sign_out_and_sign_in(demo: None, page_no_js: Any, live_server: Any) -> None:
    page, base = page_no_js, live_server.url
    page.goto(base + "/register/")
    page.fill("#id_name", "Jo Bloggs")
    page.fill("#id_email", "jo@example.org")
    page.fill("#id_password", "short")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    assert page.input_value("#id_email") == "jo@example.org"
    page.fill("#id_password", "a-long-unusual-phrase")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/register/check-your-email/")
    assert User.objects.filter(email="jo@example.org").exists()

    page.goto(base + "/sign-in/")
    page.fill("#id_email", "jo@example.org")
    page.fill("#id_password", "a-long-unusual-phrase")
    page.locator("main button[type=submit]").click()
    page.wait_for_url(base + "/account/")
    assert "Jo Bloggs" in page.content()
    press(page.get_by_role("button", name="Sign out"))
    assert "You have signed out" in page.content()


def test_admin_invites_staff_and_they_join(
    demo: None, page_no_js: Any, live_server: Any, browser: Any
) -> None:
    page, base = page_no_js, live_server.url
    sign_in(page, base, "admin@exampleton.example")
    page.goto(base + "/staff/invite/")
    submit(page)  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    assert "Enter their email address" in summary.inner_text()
    assert "Select the role they will have" in summary.inner_text()
    page.fill("#id_email", "newcomer@exampleton.example")
    page.check(f"input[value={Role.DATA_OFFICER}]")
    submit(page)
    assert "Invitation sent" in page.content()
    assert Invitation.objects.filter(email="newcomer@exampleton.example").exists()

    link = re.search(r"https?://\S+", mail.outbox[-1].body)
    assert link
    newcomer = browser.new_context(java_script_enabled=False).new_page()
    newcomer.goto(link.group(0))
    newcomer.fill("#id_name", "Nia Newcomer")
    newcomer.fill("#id_password", "yet-another-long-phrase")
    submit(newcomer)
    # a data officer sees personal data: two-factor set-up first, without JavaScript, then on
    newcomer.wait_for_url(re.compile(r".*/account/two-factor/\?next=%2Fstaff%2F$"))
    assert "Your role lets you see personal data" in newcomer.content()
    codes = enrol(newcomer)
    assert len(codes) == 10
    newcomer.get_by_role("button", name="Continue").click()
    newcomer.wait_for_url(base + "/staff/")
    council = User.objects.get(email="newcomer@exampleton.example").role_assignments.get()
    assert council.role == Role.DATA_OFFICER


def test_language_switch_without_javascript(demo: None, page_no_js: Any, live_server: Any) -> None:
    page_no_js.goto(live_server.url + "/")
    press(page_no_js.get_by_role("link", name="Cymraeg"))
    assert page_no_js.locator("html").get_attribute("lang") == "cy"
    assert page_no_js.get_by_role("link", name="Hafan").count() == 1


def test_resident_votes_and_changes_ballot_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    from changemaker.budgeting.models import Ballot

    page, base = page_no_js, live_server.url
    sign_in(page, base, "resident@exampleton.example")
    start_voting(page, base, "neighbourhoods-2026")
    for code in ("P01", "P02", "P03", "P04"):  # £30,500 of a £30,000 budget
        page.check(f"#project-{code}")
    submit(page)
    assert page.locator(".govuk-error-summary").is_visible()
    mine = Ballot.objects.filter(process__slug="neighbourhoods-2026")
    assert not mine.exists()
    page.uncheck("#project-P03")
    submit(page)
    assert "Thank you for voting" in page.content()
    page.goto(base + "/budgets/neighbourhoods-2026/vote/")
    page.check("#project-P05")
    submit(page)
    assert "Your ballot has been changed" in page.content()
    codes = sorted(mine.get().marks.values_list("project__code", flat=True))
    assert codes == ["P01", "P02", "P04", "P05"]


def test_resident_follows_a_budget_and_keeps_a_receipt_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    from changemaker.budgeting.models import Ballot
    from changemaker.budgeting.selectors import receipt_reference
    from changemaker.listening.models import Follow

    page, base = page_no_js, live_server.url
    sign_in(page, base, "resident@exampleton.example")
    page.goto(base + "/budgets/neighbourhoods-2026/")
    page.locator("main .cm-follow button[type=submit]").click()
    page.wait_for_load_state("load")
    assert "You follow this." in page.content()
    assert Follow.objects.filter(subject__startswith="budgeting.process:").exists()
    start_voting(page, base, "neighbourhoods-2026")
    page.check("#project-P01")
    submit(page)
    ballot = Ballot.objects.get(process__slug="neighbourhoods-2026", voter__isnull=False)
    assert page.locator("#receipt-reference").inner_text() == receipt_reference(ballot)


def test_money_left_updates_live_with_javascript(demo: None, page: Any, live_server: Any) -> None:
    base = live_server.url
    sign_in(page, base, "resident@exampleton.example")
    start_voting(page, base, "neighbourhoods-2026")
    page.check("#project-P01")
    page.wait_for_function("document.querySelector('#money-left').textContent.includes('26,000')")
    assert "£26,000" in page.locator("#money-left").inner_text()


def test_consultation_vote_and_add_statement_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    from changemaker.consultations.models import Statement, Vote

    page, base = page_no_js, live_server.url
    votes = Vote.objects.filter(statement__consultation__slug="high-street")
    before = votes.count()  # the demo's sample of residents has voted already
    page.goto(base + "/have-your-say/high-street/")
    first = page.locator("#statement-text").inner_text()
    press(page.get_by_role("button", name="Agree", exact=True))
    assert page.locator("#statement-text").inner_text() != first
    assert votes.count() == before + 1
    page.fill("#id_text", "   ")  # blank: the browser enforces the length limit itself
    press(page.get_by_role("button", name="Add statement"))
    assert page.locator(".govuk-error-summary").is_visible()
    page.fill("#id_text", "Bus stops need shelters")
    press(page.get_by_role("button", name="Add statement"))
    assert Statement.objects.filter(text="Bus stops need shelters").exists()


def test_resident_rates_the_self_evaluation_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    from changemaker.listening.models import ResidentRating

    page, base = page_no_js, live_server.url
    sign_in(page, base, "resident@exampleton.example")
    page.goto(base + "/self-evaluation/")
    press(page.get_by_role("link", name="How we are doing in 2026 to 2027"))
    submit(page)  # nothing rated
    assert page.locator(".govuk-error-summary").is_visible()
    page.locator("main input[type=radio][value='2']").first.check()
    page.locator("main textarea").first.fill("The park by the river needs more bins.")
    submit(page)
    assert "your ratings are saved" in page.content()
    mine = ResidentRating.objects.get(person__email="resident@exampleton.example")
    assert (mine.rating, mine.moderation) == (2, "waiting")
    page.locator("main input[type=radio][value='4']").first.check()
    submit(page)  # a second time changes it
    assert ResidentRating.objects.get(pk=mine.pk).rating == 4
    assert ResidentRating.objects.filter(person__email="resident@exampleton.example").count() == 1


def test_you_said_we_did_without_javascript(demo: None, page_no_js: Any, live_server: Any) -> None:
    """An officer drafts the page of a closed budget, writes what we did, publishes it, and
    anyone reads it: plain forms only."""
    page, base = page_no_js, live_server.url
    sign_in(page, base, "engagement@exampleton.example")
    page.goto(base + "/you-said-we-did/manage/")
    page.get_by_role("button", name="Draft the page of Assen Top Idee 2024 (real ballots)").click()
    page.wait_for_load_state("load")
    assert "Edit the page" in page.content()
    page.fill("#id_we_did", "The cabinet agreed all nine funded ideas in January.")
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_load_state("load")
    page.get_by_role("button", name="Publish").click()
    page.wait_for_load_state("load")
    assert page.locator("h1").inner_text() == "Assen Top Idee 2024 (real ballots)"
    assert "The cabinet agreed all nine funded ideas in January." in page.content()
    public = page.url
    page.context.clear_cookies()
    page.goto(public)
    assert page.get_by_role("heading", name="We did").is_visible()


def test_officer_writes_an_ideas_welsh_and_a_welsh_reader_sees_it_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    page, base = page_no_js, live_server.url
    sign_in(page, base, "engagement@exampleton.example")
    page.goto(base + "/budgets/green-spaces-2027/manage/review/P05/")
    press(page.get_by_role("link", name="Add the Welsh version"))
    page.fill("#id_title_cy", "Ymylon blodau gwyllt")
    page.fill("#id_description_cy", "Hau blodau gwyllt brodorol ar dair ymyl ffordd.")
    submit(page)
    assert page.locator(".govuk-notification-banner").is_visible()
    page.goto(base + "/language/cy/?next=/budgets/green-spaces-2027/ideas/")
    assert page.get_by_role("link", name="Ymylon blodau gwyllt").count() == 1
    english = page.locator('span[lang="en"]', has_text="Youth music studio evenings")
    assert english.count() == 1  # not translated yet: the English, marked


def test_story_told_and_typed_in_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    """A resident tells a story signed out (errors first), then the engagement officer types
    in a phone story: all plain forms."""
    from changemaker.listening.models import Story, StoryCollection

    page, base = page_no_js, live_server.url
    collection = StoryCollection.objects.get(slug="where-you-live")
    told = collection.stories.count()
    page.goto(base + "/stories/where-you-live/")
    page.fill("#id_what_would_help", "More benches")
    submit(page)
    assert (
        "Tell us what works well where you live"
        in page.locator(".govuk-error-summary").inner_text()
    )
    assert page.input_value("#id_what_would_help") == "More benches"
    page.fill("#id_what_works", "The library's homework club")
    page.check("#id_consent")
    submit(page)
    page.wait_for_url(base + "/stories/where-you-live/thank-you/")
    assert "What happens next" in page.content()
    assert collection.stories.count() == told + 1
    sign_in(page, base, "engagement@exampleton.example")
    page.goto(f"{base}/stories/manage/{collection.pk}/stories/new/")
    page.check("input[value=phone]")
    page.fill("#id_what_works", "The lunch club at the church hall")
    submit(page)
    assert "Story saved" in page.content()
    assert Story.objects.filter(
        channel="phone", what_works__startswith="The lunch club at the church"
    ).exists()
