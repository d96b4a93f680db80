"""The matcher as a job: proposals with distances, reasons for the unmatched, then confirm,
accept or decline, and completion with hours. The resident learns only the first name and
badge number of who is coming."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from changemaker.core import actions as core_actions
from changemaker.core.models import Council, Job, Role, User
from changemaker.core.tests.factories import sign_in
from changemaker.support import actions, jobs, selectors
from changemaker.support.errors import SupportError
from changemaker.support.models import HelpRequest, Match, Volunteer
from changemaker.support.tests.conftest import FAR, HOST, next_weekday

pytestmark = pytest.mark.django_db


def _run(council: Council, by: User, scope: list[int] | None = None) -> Job:
    job = Job.objects.create(
        kind="support.match", title="Match", council=council, params={"scope": scope}, created_by=by
    )
    job.result = jobs.match(job)
    job.status = Job.Status.SUCCEEDED
    job.save()
    return job


def test_proposals_distance_and_reasons(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    near = make_volunteer(first_name="Near", skills=["shopping", "dog_walking"])
    make_volunteer(first_name="Far", postcode=FAR, max_distance_km=1.0)
    make_volunteer(first_name="Waiting", status=Volunteer.Status.CHECKS)
    shopping = make_request()
    no_skill = make_request(needs=["odd_jobs"])
    vetted = make_request(needs=["dog_walking"], vetting_required="enhanced")
    out_of_range = make_request(postcode=FAR, needs=["dog_walking"])
    untriaged = make_request(triaged=False)

    job = _run(area, coordinator)

    proposed = {m.request_id: m for m in Match.objects.filter(status=Match.Status.PROPOSED)}
    assert set(proposed) == {shopping.pk, vetted.pk}
    assert {m.volunteer_id for m in proposed.values()} == {near.pk}
    assert 0.5 < proposed[shopping.pk].distance_km < 1.5
    reasons = {u["request"]: u["reason"] for u in job.result["unmatched"]}
    assert reasons == {
        no_skill.pk: "no_volunteer_with_skill",
        out_of_range.pk: "no_volunteer_in_range",
    }
    assert untriaged.pk not in reasons and untriaged.pk not in proposed

    client = Client()
    sign_in(client, coordinator)
    page = client.get(reverse("support:proposals"), **HOST).content.decode()
    assert "No volunteer has every skill this request needs." in page
    assert "No volunteer with the skills can travel this far." in page
    assert f"Request {shopping.pk}" in page and "km" in page


def test_capacity_and_urgency_first(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    make_volunteer(capacity=1, max_distance_km=10.0)
    routine = make_request(urgency="routine")
    urgent = make_request(urgency="urgent", postcode=FAR)
    job = _run(area, coordinator)
    assert list(Match.objects.values_list("request_id", flat=True)) == [urgent.pk]
    assert job.result["unmatched"] == [
        {"request": routine.pk, "reason": "capacity_used_by_more_urgent"}
    ]


def test_expired_vetting_and_training_are_respected(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    day = next_weekday(3)
    make_volunteer(skills=["visiting"], expires=day.replace(day=1) if day.day > 1 else None)
    visit = make_request(needs=["visiting"], vetting_required="enhanced", needed_on=day)
    job = _run(area, coordinator)
    # Visiting needs safeguarding and befriending training first: nobody may take it.
    assert job.result["unmatched"] == [{"request": visit.pk, "reason": "no_volunteer_with_skill"}]
    volunteer = Volunteer.objects.get()
    for course in ("safeguarding", "befriending"):
        actions.record_training(
            volunteer, by=coordinator, course=course, completed_on=day, expires_on=None
        )
    assert "visiting" in volunteer.usable_skills()


def test_confirm_accept_resident_sees_first_name_and_badge_only(
    area: Council,
    coordinator: User,
    make_user: Callable[..., User],
    make_volunteer: Callable[..., Volunteer],
    django_capture_on_commit_callbacks: Any,
) -> None:
    volunteer = make_volunteer(first_name="Priya", last_name="Sharma", phone="07700 900555")
    resident = make_user(Role.RESIDENT)
    request = actions.submit_help_request(
        area,
        source=HelpRequest.Source.RESIDENT,
        by=resident,
        requester=resident,
        email=resident.email,
        name="Margaret",
        phone="01632 960222",
        address="1 Park Road",
        postcode="EX1 1BL",
        needs=["shopping"],
        needed_on=next_weekday(4),
    )
    actions.triage_request(
        request,
        by=coordinator,
        urgency="soon",
        needs=["shopping"],
        needed_on=request.needed_on,
        vetting_required="basic",
        safeguarding_flags=[],
    )
    _run(area, coordinator)
    match = Match.objects.get()

    staff = Client()
    sign_in(staff, coordinator)
    assert staff.post(reverse("support:match-confirm", args=[match.pk]), **HOST).status_code == 302
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    assert HelpRequest.objects.get().status == HelpRequest.Status.MATCHED

    helper = Client()
    sign_in(helper, volunteer.user)  # type: ignore[arg-type]
    page = helper.get(reverse("support:my-volunteering"), **HOST).content.decode()
    assert "Accept" in page and "Park Road" not in page  # address only after accepting
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        helper.post(reverse("support:match-accept", args=[match.pk]), **HOST)
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    assert "1 Park Road" in helper.get(reverse("support:my-volunteering"), **HOST).content.decode()

    told = Client()
    sign_in(told, resident)
    page = told.get(reverse("support:my-requests"), **HOST).content.decode()
    assert "Priya" in page and volunteer.badge_number in page
    for secret in ("Sharma", "07700 900555", volunteer.postcode, volunteer.email):
        assert secret not in page
    (message,) = mail.outbox
    assert message.to == [resident.email]
    assert "Priya" in message.body and volunteer.badge_number in message.body
    assert "Sharma" not in message.body and "07700" not in message.body

    response = helper.post(reverse("support:match-done", args=[match.pk]), {"hours": "abc"}, **HOST)
    assert "Enter the hours as a number, like 1.5" in response.content.decode()
    assert 'value="abc"' in response.content.decode()
    helper.post(reverse("support:match-done", args=[match.pk]), {"hours": "1.5"}, **HOST)
    match.refresh_from_db()
    assert match.status == Match.Status.COMPLETED and match.hours == Decimal("1.50")
    assert HelpRequest.objects.get().status == HelpRequest.Status.DONE
    assert selectors.hours_logged(volunteer) == Decimal("1.5")


def test_decline_returns_request_to_matching(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    volunteer = make_volunteer()
    request = make_request()
    _run(area, coordinator)
    match = Match.objects.get()
    actions.confirm_match(match, by=coordinator)
    client = Client()
    sign_in(client, volunteer.user)  # type: ignore[arg-type]
    client.post(
        reverse("support:match-decline", args=[match.pk]), {"reason": "Away that day"}, **HOST
    )
    match.refresh_from_db()
    request.refresh_from_db()
    assert match.status == Match.Status.DECLINED and match.decline_reason == "Away that day"
    assert request.status == HelpRequest.Status.TRIAGED


def test_someone_else_cannot_answer_a_match(
    area: Council,
    coordinator: User,
    make_user: Callable[..., User],
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    make_volunteer()
    make_request()
    _run(area, coordinator)
    match = Match.objects.get()
    actions.confirm_match(match, by=coordinator)
    stranger = Client()
    sign_in(stranger, make_user(Role.RESIDENT))
    response = stranger.post(reverse("support:match-accept", args=[match.pk]), **HOST)
    assert response.status_code == 404
    match.refresh_from_db()
    assert match.status == Match.Status.CONFIRMED
    with pytest.raises(SupportError):
        actions.confirm_match(match, by=coordinator)


def test_pausing_a_volunteer_withdraws_their_matches(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    volunteer = make_volunteer()
    request = make_request()
    _run(area, coordinator)
    actions.confirm_match(Match.objects.get(), by=coordinator)
    actions.change_volunteer_status(volunteer, status="paused", reason="Unwell", by=coordinator)
    request.refresh_from_db()
    assert Match.objects.get().status == Match.Status.WITHDRAWN
    assert request.status == HelpRequest.Status.TRIAGED


@pytest.mark.django_db(transaction=True)
def test_run_button_queues_a_real_job(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    make_volunteer()
    make_request()
    client = Client()
    sign_in(client, coordinator)
    response = client.post(reverse("support:match-run"), **HOST)
    assert response["Location"] == reverse("support:proposals")
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    job = Job.objects.get(kind="support.match")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["matched"] == 1
    assert Match.objects.filter(status=Match.Status.PROPOSED, job=job).count() == 1
    assert core_actions  # the view used core.actions.start_job


def test_coordinator_records_answers_and_hours_for_volunteers_without_accounts(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    make_volunteer(account=False, email="no-account@example.org")
    request = make_request()
    _run(area, coordinator)
    match = Match.objects.get()
    client = Client()
    sign_in(client, coordinator)
    client.post(reverse("support:match-confirm", args=[match.pk]), **HOST)
    page = client.get(reverse("support:request", args=[request.pk]), **HOST).content.decode()
    assert "Volunteer said yes" in page
    client.post(reverse("support:match-answer", args=[match.pk]), {"answer": "accept"}, **HOST)
    match.refresh_from_db()
    assert match.status == Match.Status.ACCEPTED
    url = reverse("support:match-complete", args=[match.pk])
    page = client.post(url, {"hours": "30"}, **HOST).content.decode()
    assert "Enter 24 hours or fewer" in page
    client.post(url, {"hours": "0.75"}, **HOST)
    match.refresh_from_db()
    request.refresh_from_db()
    assert match.status == Match.Status.COMPLETED and match.hours == Decimal("0.75")
    assert request.status == HelpRequest.Status.DONE and request.closed_at is not None


def test_volunteer_takes_a_break_and_comes_back(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
) -> None:
    volunteer = make_volunteer()
    make_request()
    _run(area, coordinator)
    actions.confirm_match(Match.objects.get(), by=coordinator)
    client = Client()
    sign_in(client, volunteer.user)  # type: ignore[arg-type]
    url = reverse("support:my-status")
    page = client.post(url, {"status": "paused"}, **HOST).content.decode()
    assert "Give a reason for pausing or leaving" in page
    client.post(url, {"status": "paused", "reason": "Looking after my mum"}, **HOST)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.PAUSED
    assert volunteer.status_reason == "Looking after my mum"
    assert Match.objects.get().status == Match.Status.WITHDRAWN
    assert "Start volunteering again" in client.get(url, **HOST).content.decode()
    client.post(url, {"status": "active"}, **HOST)
    volunteer.refresh_from_db()
    assert volunteer.status == Volunteer.Status.ACTIVE


def test_volunteer_messages_go_to_the_coordinator_not_the_resident(
    area: Council,
    coordinator: User,
    make_volunteer: Callable[..., Volunteer],
    make_request: Callable[..., HelpRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    volunteer = make_volunteer()
    request = make_request(email="resident@example.org")
    _run(area, coordinator)
    match = Match.objects.get()
    actions.confirm_match(match, by=coordinator)
    client = Client()
    sign_in(client, volunteer.user)  # type: ignore[arg-type]
    url = reverse("support:match-message", args=[match.pk])
    assert "Write your message" in client.post(url, {"body": ""}, **HOST).content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": "Can I come at 3pm instead?"}, **HOST)
    (message,) = mail.outbox
    assert message.to == [area.contact_email] and "3pm" not in message.body
    staff = Client()
    sign_in(staff, coordinator)
    page = staff.get(reverse("support:request", args=[request.pk]), **HOST).content.decode()
    assert "Can I come at 3pm instead?" in page
