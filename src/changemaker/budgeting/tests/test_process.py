"""Officers start a new budget from the staff area: phases by date, ballot, rule, and one
budget for the council or one per ward. Bad dates or a taken short name change nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.budgeting.models import Phase, Process
from changemaker.core.models import AuditEvent, Council, Role
from changemaker.core.tests.factories import WardFactory

HOST = {"HTTP_HOST": "exampleton.test"}


def _form(**changes: str) -> dict[str, str]:
    today = timezone.localdate()

    def day(n: int) -> str:
        return (today + timedelta(days=n)).strftime("%d/%m/%Y")

    return {
        "title": "Parks 2027",
        "slug": "parks-2027",
        "summary": "Residents decide how to spend £50,000 on parks.",
        "ideas_from": day(0),
        "review_from": day(20),
        "voting_from": day(30),
        "voting_last_day": day(40),
        "delivery_from": day(60),
        "ballot_type": "knapsack",
        "max_projects": "5",
        "points_total": "10",
        "rule": "mes",
        "min_age": "16",
        "evidence": "register",
        "split": "council",
        "budget": "50000",
        **changes,
    }


def test_officer_starts_a_budget_per_ward(
    council: Council, client_as: Callable[[str | None], Client]
) -> None:
    WardFactory(council=council, name="Abbey")
    WardFactory(council=council, name="Bridge")
    officer = client_as(Role.ENGAGEMENT_OFFICER)
    staff = officer.get(reverse("core:staff"), **HOST).text
    assert reverse("budgeting:staff-new") in staff
    response = officer.post(reverse("budgeting:staff-new"), _form(split="ward"), **HOST)
    assert response["Location"] == reverse("budgeting:staff", args=["parks-2027"])
    process = Process.objects.get(slug="parks-2027")
    assert process.phase == Phase.IDEAS and process.evidence == "register"
    assert [(h.name, h.ward.name, h.budget) for h in process.headings.all()] == [
        ("Abbey", "Abbey", 50000),
        ("Bridge", "Bridge", 50000),
    ]
    closes = timezone.localtime(process.voting_until)
    assert closes.date() == timezone.localdate() + timedelta(days=41) and closes.hour == 0
    assert AuditEvent.objects.filter(action="pb.process_created").count() == 1
    page = Client().get(reverse("budgeting:detail", args=["parks-2027"]), **HOST)
    assert page.status_code == 200 and "Share an idea" in page.text


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"voting_from": "01/01/2020"}, "must not come before the one above"),
        ({"delivery_from": "x"}, "Enter the date like 27/03/2027"),
        ({"slug": "new"}, "used by the site"),
        ({"slug": "taken"}, "already exists"),
        ({"split": "ward"}, "no wards yet"),
        ({"budget": ""}, "Enter the budget"),
    ],
)
def test_bad_answers_get_a_clear_message_and_create_nothing(
    changes: dict[str, str],
    message: str,
    council: Council,
    client_as: Callable[[str | None], Client],
) -> None:
    Process.objects.create(
        council=council,
        slug="taken",
        title="t",
        summary="s",
        ballot_type="knapsack",
        ideas_from=timezone.now(),
        review_from=timezone.now(),
        voting_from=timezone.now(),
        voting_until=timezone.now() + timedelta(days=1),
        delivery_from=timezone.now() + timedelta(days=1),
    )
    response = client_as(Role.ENGAGEMENT_OFFICER).post(
        reverse("budgeting:staff-new"), _form(**changes), **HOST
    )
    assert response.status_code == 200 and "There is a problem" in response.text
    assert message in response.text
    assert (
        Process.objects.count() == 1
        and not AuditEvent.objects.filter(action="pb.process_created").exists()
    )
