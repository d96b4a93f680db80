from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from changemaker.budgeting.models import Eligibility, Heading, Process, Project
from changemaker.core.models import Council, User, Ward
from changemaker.core.tests.factories import WardFactory

OFFSETS = {
    "upcoming": 5,
    "ideas": -5,
    "review": -25,
    "voting": -40,
    "results": -55,
    "delivery": -70,
}


@pytest.fixture
def make_process(council: Council) -> Callable[..., Process]:
    WardFactory(council=council, name="Abbey", code="E05099001", postcode_districts=["EX1"])

    def make(
        phase: str = "voting",
        ballot_type: str = "knapsack",
        budget: int = 10_000,
        costs: tuple[int, ...] = (4000, 5000, 6000),
        **kwargs: object,
    ) -> Process:
        start = timezone.now() + timedelta(days=OFFSETS[phase])
        process = Process.objects.create(
            council=council,
            slug=f"pb-{phase}-{Process.objects.count()}",
            title="Test budget",
            summary="s",
            ballot_type=ballot_type,
            ideas_from=start,
            review_from=start + timedelta(days=21),
            voting_from=start + timedelta(days=35),
            voting_until=start + timedelta(days=49),
            delivery_from=start + timedelta(days=63),
            **kwargs,
        )
        heading = Heading.objects.create(process=process, name="Borough", budget=budget)
        for n, cost in enumerate(costs, start=1):
            Project.objects.create(
                process=process,
                heading=heading,
                code=f"P{n}",
                title=f"Project {n}",
                description="d",
                rough_cost=cost,
                final_cost=cost,
                status=Project.Status.SHORTLISTED,
            )
        assert process.phase == phase
        return process

    return make


@pytest.fixture
def eligible(db: None) -> Callable[..., Eligibility]:
    """Mark a person as checked for a process (in their ward), as check_eligibility would."""

    def make(process: Process, user: User, ward: Ward | None = None) -> Eligibility:
        return Eligibility.objects.create(
            process=process, user=user, ward=ward, evidence=Eligibility.Via.SELF
        )

    return make


@pytest.fixture
def ward_process(make_process: Callable[..., Process]) -> Callable[..., Process]:
    """A voting process with a council-wide budget (P1-P3), and one budget for each of two
    wards: Abbey (EX1, project A1) and Bridge (EX9, project B1)."""

    def make(**kwargs: object) -> Process:
        process = make_process(**kwargs)
        abbey = process.council.wards.get(name="Abbey")
        bridge = process.council.wards.filter(name="Bridge").first() or WardFactory(
            council=process.council, name="Bridge", code="E05099009", postcode_districts=["EX9"]
        )
        for ward, code in ((abbey, "A1"), (bridge, "B1")):
            heading = Heading.objects.create(process=process, name=ward.name, ward=ward, budget=500)
            Project.objects.create(
                process=process,
                heading=heading,
                code=code,
                title=f"{ward.name} project",
                description="d",
                rough_cost=100,
                final_cost=100,
                status=Project.Status.SHORTLISTED,
            )
        return process

    return make
