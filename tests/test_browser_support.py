"""Community support in a real browser: axe-core on every support page (zero serious or
critical violations) and the main flows with JavaScript off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from changemaker.core.models import User
from changemaker.support.models import HelpRequest, Match, SafeguardingConcern, Volunteer
from tests.browser import axe_problems, press, sign_in, submit

pytestmark = pytest.mark.browser

COORDINATOR = "support@exampleton.example"
RESIDENT = "resident@exampleton.example"
VOLUNTEER = "volunteer@exampleton.example"


def _check_all(page: Any, base: str, paths: list[str]) -> dict[str, list[str]]:
    failures = {}
    for path in paths:
        response = page.goto(base + path)
        assert response.status == 200, path
        assert page.locator("h1").count() == 1, path
        problems = axe_problems(page)
        if problems:
            failures[path] = problems
    return failures


def test_every_support_page_passes_axe(
    demo: None, page: Any, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    request = HelpRequest.objects.filter(status=HelpRequest.Status.NEW).first()
    volunteer = Volunteer.objects.filter(status=Volunteer.Status.ACTIVE).first()
    assert request is not None and volunteer is not None
    accepted = Match.objects.filter(status=Match.Status.ACCEPTED).first()
    assert accepted is not None
    concern = SafeguardingConcern.objects.create(
        council=request.council, request=request, details="Worried about the stairs"
    )
    failures = _check_all(page, base, ["/help/", "/help/ask/"])
    sign_in(page, base, COORDINATOR)
    failures |= _check_all(
        page,
        base,
        [
            "/help/coordinate/",
            "/help/coordinate/requests/",
            "/help/coordinate/requests/new/",
            f"/help/coordinate/requests/{request.pk}/",
            f"/help/coordinate/requests/{request.pk}/triage/",
            f"/help/coordinate/requests/{request.pk}/concern/",
            "/help/coordinate/volunteers/",
            "/help/coordinate/volunteers/new/",
            f"/help/coordinate/volunteers/{volunteer.pk}/",
            f"/help/coordinate/volunteers/{volunteer.pk}/status/",
            f"/help/coordinate/volunteers/{volunteer.pk}/vetting/",
            f"/help/coordinate/volunteers/{volunteer.pk}/training/",
            "/help/coordinate/proposals/",
            f"/help/coordinate/matches/{accepted.pk}/done/",
            "/help/coordinate/concerns/",
            f"/help/coordinate/concerns/{concern.pk}/",
        ],
    )
    recorded = volunteer.vetting_records.exclude(certificate_number="").first()
    other = Volunteer.objects.exclude(pk=volunteer.pk).filter(status="checks").first()
    assert recorded is not None and other is not None
    page.goto(f"{base}/help/coordinate/volunteers/{other.pk}/vetting/")
    page.check("input[name=level][value=basic]")
    page.fill("#id_certificate_number", recorded.certificate_number)
    page.fill("#id_issued_on", "01/02/2026")
    submit(page)  # the same certificate number: a warning with a box to tick
    assert page.locator(".govuk-warning-text").is_visible()
    if problems := axe_problems(page):
        failures["vetting with the duplicate warning"] = problems
    page.goto(base + "/help/coordinate/requests/new/")
    submit(page)  # nothing filled in: the error summary
    assert page.locator(".govuk-error-summary").is_visible()
    if problems := axe_problems(page):
        failures["request-new with errors"] = problems

    resident = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(resident, base, RESIDENT)
    own = HelpRequest.objects.filter(requester__email=RESIDENT, status__in=HelpRequest.OPEN).first()
    assert own is not None
    failures |= _check_all(
        resident,
        base,
        [
            "/help/ask/",
            "/help/your-requests/",
            f"/help/your-requests/{own.pk}/cancel/",
            "/help/volunteer/",
        ],
    )
    resident.goto(base + "/help/ask/")
    resident.fill("#id_phone", "0123")
    resident.fill("#id_postcode", "EX20 1AA")
    submit(resident)
    assert "is not in" in resident.locator(".govuk-error-summary").inner_text()
    if problems := axe_problems(resident):
        failures["ask with a bad phone number and a postcode elsewhere"] = problems
    resident.goto(base + "/help/ask/")
    submit(resident)
    if problems := axe_problems(resident):
        failures["ask with errors"] = problems
    resident.goto(base + "/help/volunteer/")
    submit(resident)
    if problems := axe_problems(resident):
        failures["volunteer with errors"] = problems

    helper = browser.new_context(bypass_csp=True, locale="en-GB").new_page()
    sign_in(helper, base, VOLUNTEER)
    vic = Volunteer.objects.get(user__email=VOLUNTEER)
    match = vic.matches.get(status=Match.Status.CONFIRMED)
    failures |= _check_all(
        helper,
        base,
        [
            "/help/volunteering/",
            "/help/volunteering/status/",
            f"/help/volunteering/{match.pk}/decline/",
            f"/help/volunteering/{match.pk}/message/",
        ],
    )
    assert failures == {}


def test_resident_asks_coordinator_matches_volunteer_accepts_without_javascript(
    demo: None, page_no_js: Any, live_server: Any, browser: Any
) -> None:
    page, base = page_no_js, live_server.url
    # A resident asks for help: question page, errors that keep answers, check answers.
    sign_in(page, base, RESIDENT)
    page.goto(base + "/help/ask/")
    page.fill("#id_name", "Riya Resident")
    page.fill("#id_postcode", "nowhere")
    submit(page)
    assert "Choose what you need help with" in page.locator(".govuk-error-summary").inner_text()
    assert page.input_value("#id_postcode") == "nowhere"
    page.check("input[value=shopping]")
    day = timezone.localdate() + timedelta(days=2)
    page.fill("#id_needed_on", day.strftime("%d/%m/%Y"))
    page.fill("#id_phone", "01632 960 001")
    page.fill("#id_address", "3 Station Road")
    page.fill("#id_postcode", "EX2 1AB")
    submit(page)
    assert "Check your answers" in page.locator("h1").inner_text()
    assert "3 Station Road" in page.content()
    submit(page)
    assert "Request sent" in page.content()
    new = HelpRequest.objects.get(address="3 Station Road")
    assert new.status == HelpRequest.Status.NEW and new.lat is not None

    # The coordinator triages it and runs the matcher (a background job).
    staff = browser.new_context(
        java_script_enabled=False, bypass_csp=True, locale="en-GB"
    ).new_page()
    sign_in(staff, base, COORDINATOR)
    staff.goto(f"{base}/help/coordinate/requests/{new.pk}/triage/")
    staff.check("input[name=urgency][value=urgent]")
    staff.check("input[name=vetting_required][value=none]")
    submit(staff)
    assert "Triage saved" in staff.content()
    staff.goto(base + "/help/coordinate/")
    press(staff.get_by_role("button", name="Find volunteers for open requests"))
    assert "The matcher has started" in staff.content()
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    staff.goto(base + "/help/coordinate/proposals/")
    assert "Finished" in staff.content()
    proposal = Match.objects.get(request=new, status=Match.Status.PROPOSED)
    press(staff.get_by_role("button", name=f"Confirm request {new.pk}"))
    assert "The volunteer has been asked to accept" in staff.content()
    proposal.refresh_from_db()
    assert proposal.status == Match.Status.CONFIRMED

    # Vic, the demo volunteer, accepts a confirmed request and later logs the hours.
    helper = browser.new_context(
        java_script_enabled=False, bypass_csp=True, locale="en-GB"
    ).new_page()
    sign_in(helper, base, VOLUNTEER)
    helper.goto(base + "/help/volunteering/")
    mine = Match.objects.get(volunteer__user__email=VOLUNTEER, status=Match.Status.CONFIRMED)
    press(helper.locator(f"form[action$='/{mine.pk}/accept/'] button"))
    assert "The resident has been told you are coming" in helper.content()
    helper.goto(f"{base}/help/volunteering/{mine.pk}/done/")
    submit(helper)
    assert "Enter the hours, like 1.5" in helper.content()
    helper.fill("#id_hours", "2")
    submit(helper)
    mine.refresh_from_db()
    assert mine.status == Match.Status.COMPLETED

    # The resident sees who is coming: first name and badge number, nothing else.
    page.goto(base + "/help/your-requests/")
    text = page.locator("main").inner_text()
    assert "ID badge number" in text
    coming = Match.objects.get(
        request__requester__email=RESIDENT, status=Match.Status.ACCEPTED
    ).volunteer
    assert coming.first_name in text and coming.badge_number in text
    assert coming.last_name not in text and coming.phone not in text


def test_volunteer_signs_up_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    page, base = page_no_js, live_server.url
    User.objects.create_user(
        email="new@example.org", password="a-long-unusual-phrase", name="Nell New"
    )
    page.goto(base + "/sign-in/")
    page.fill("#id_email", "new@example.org")
    page.fill("#id_password", "a-long-unusual-phrase")
    submit(page)
    User.objects.get(email="new@example.org").role_assignments.create(
        role="resident",
        council=HelpRequest.objects.first().council,  # type: ignore[union-attr]
    )
    page.goto(base + "/help/volunteer/")
    assert page.input_value("#id_first_name") == "Nell"
    page.fill("#id_last_name", "New")
    page.fill("#id_phone", "07700 900 001")
    page.fill("#id_postcode", "EX5 2AB")
    page.fill("#id_date_of_birth", "02/03/1990")
    page.check("input[name=skills][value=dog_walking]")
    page.check("input[name=available_days][value='6']")
    page.check("input[name=max_distance_km][value='3']")
    page.check("input[name=capacity][value='1']")
    submit(page)  # forgot which group: the error keeps everything else
    assert "Choose a group, or the council" in page.content()
    assert page.is_checked("input[name=skills][value=dog_walking]")
    page.check("input[name=organisation][value=council]")
    submit(page)
    assert "Check your answers" in page.locator("h1").inner_text()
    submit(page)
    volunteer = Volunteer.objects.get(user__email="new@example.org")
    assert volunteer.status == Volunteer.Status.APPLIED and volunteer.skills == ["dog_walking"]
    assert volunteer.badge_number in page.content()


def test_resident_cancels_a_request_without_javascript(
    demo: None, page_no_js: Any, live_server: Any
) -> None:
    page, base = page_no_js, live_server.url
    own = HelpRequest.objects.get(requester__email=RESIDENT, status=HelpRequest.Status.ASSIGNED)
    volunteer = own.active_match.volunteer  # type: ignore[union-attr]
    sign_in(page, base, RESIDENT)
    page.goto(base + "/help/your-requests/")
    press(page.locator(f"a[href='/help/your-requests/{own.pk}/cancel/']"))
    assert "Are you sure you want to cancel your request?" in page.locator("h1").inner_text()
    press(page.get_by_role("button", name="Yes, cancel this request"))
    assert "Request cancelled" in page.content()
    own.refresh_from_db()
    assert own.status == HelpRequest.Status.CANCELLED
    assert not volunteer.matches.filter(request=own, status__in=Match.LIVE).exists()
