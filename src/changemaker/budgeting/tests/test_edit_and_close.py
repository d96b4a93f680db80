"""Officers change a budget's words and dates, and close ideas or voting early: audited
actions, refusals in the error summary, the reason shown to residents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting.models import Phase, Process
from changemaker.core.models import AuditEvent, Role

HOST = {"HTTP_HOST": "exampleton.test"}


def _edit_form(process: Process, **changes: str) -> dict[str, str]:
    tz = timezone.get_current_timezone()

    def day(moment: object) -> str:
        return moment.astimezone(tz).strftime("%d/%m/%Y")  # type: ignore[attr-defined]

    return {
        "title": process.title,
        "summary": process.summary,
        "description": process.description,
        "ideas_from": day(process.ideas_from),
        "review_from": day(process.review_from),
        "voting_from": day(process.voting_from),
        "voting_last_day": day(process.voting_until - timedelta(seconds=1)),
        "delivery_from": day(process.delivery_from),
        **changes,
    }


def test_an_officer_changes_the_words_and_dates_and_it_is_audited(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="ideas")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    url = reverse("budgeting:staff-edit", args=[process.slug])
    form = officer.get(url, **HOST).text
    assert f'value="{process.title}"' in form
    later = (process.delivery_from + timedelta(days=30)).strftime("%d/%m/%Y")
    response = officer.post(
        url, _edit_form(process, title="Parks 2027", delivery_from=later), **HOST
    )
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.title == "Parks 2027"
    assert timezone.localtime(process.delivery_from).strftime("%d/%m/%Y") == later
    event = AuditEvent.objects.get(action="pb.process_edited")
    assert set(event.detail["changed"]) == {"title", "delivery_from"}


def test_voting_s_opening_date_cannot_move_once_voting_has_opened(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    process = make_process(phase="voting")
    before = process.voting_from
    later = (timezone.localdate() + timedelta(days=1)).strftime("%d/%m/%Y")
    page = (
        client_as(Role.ENGAGEMENT_OFFICER)
        .post(
            reverse("budgeting:staff-edit", args=[process.slug]),
            _edit_form(process, voting_from=later),
            **HOST,
        )
        .text
    )
    assert "There is a problem" in page and "its opening date can no longer change" in page
    process.refresh_from_db()
    assert process.voting_from == before
    assert not AuditEvent.objects.filter(action="pb.process_edited").exists()


def test_voting_is_closed_early_with_a_reason_residents_see(
    make_process: Callable[..., Process],
    client_as: Callable[[str | None], Client],
    client: Client,
) -> None:
    process = make_process(phase="voting")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    assert (
        "Close voting early"
        in officer.get(reverse("budgeting:staff", args=[process.slug]), **HOST).text
    )
    url = reverse("budgeting:staff-close", args=[process.slug])
    missing = officer.post(url, {"reason": ""}, **HOST).text
    assert "There is a problem" in missing and "Give the reason for closing early" in missing
    done = officer.post(url, {"reason": "The funding was withdrawn."}, **HOST)
    assert done.status_code == 302
    process.refresh_from_db()
    assert process.phase == Phase.RESULTS
    event = AuditEvent.objects.get(action="pb.process_closed_early")
    assert event.detail["phase"] == "voting" and "withdrawn" not in str(event.detail)
    page = client.get(reverse("budgeting:detail", args=[process.slug]), **HOST).text
    assert "Closed early:" in page and "The funding was withdrawn." in page
    assert client.get(reverse("budgeting:vote", args=[process.slug]), **HOST).status_code == 403


def test_ideas_close_early_and_other_phases_are_refused(
    make_process: Callable[..., Process], client_as: Callable[[str | None], Client]
) -> None:
    ideas = make_process(phase="ideas")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    officer.post(
        reverse("budgeting:staff-close", args=[ideas.slug]), {"reason": "Enough ideas"}, **HOST
    )
    ideas.refresh_from_db()
    assert ideas.phase == Phase.REVIEW
    review = make_process(phase="review")
    page = officer.post(
        reverse("budgeting:staff-close", args=[review.slug]), {"reason": "x"}, **HOST
    ).text
    assert "There is a problem" in page and "Only ideas or voting can be closed early" in page
    review.refresh_from_db()
    assert review.phase == Phase.REVIEW
