from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import run_job
from changemaker.core.models import Council, Job, Role
from changemaker.evidence.models import Analysis, OutcomeData, Pilot
from changemaker.evidence.synthetic import did_panel

HOST = {"HTTP_HOST": "exampleton.test"}

PLAN: dict[str, Any] = {
    "title": "Crisis prevention in wards",
    "slug": "crisis-wards",
    "problem": "Too many families reach crisis before anyone helps.",
    "affects": "Families in the pilot wards",
    "intervention": "Early-help workers in GP surgeries",
    "place": "Six wards",
    "hypothesis": "Crisis referrals fall by 10 a month",
    "primary_outcome": "Crisis referrals",
    "primary_definition": "Referrals to the crisis team per ward",
    "primary_unit": "a month",
    "primary_timepoint": "Monthly for a year",
    "design": "did",
    "comparison_group": "similar wards",
    "cost": "120000",
    "planned_clusters": "20",
    "planned_cluster_size": "300",
    "planned_icc": "0.05",
    "outcome_sd": "15",
    "expected_effect": "10",
}
DID_COLUMNS = {"outcome": "referrals", "unit": "ward", "time": "month", "treated": "pilot"}


@pytest.fixture
def lead(client_as: Callable[[str | None], Client]) -> Client:
    return client_as(Role.EVIDENCE_LEAD)


@pytest.fixture
def make_pilot(council: Council) -> Callable[..., Pilot]:
    def make(**changes: Any) -> Pilot:
        values = {**PLAN, **changes}
        for name in ("cost", "planned_clusters", "planned_cluster_size"):
            values[name] = int(values[name])
        for name in ("planned_icc", "outcome_sd", "expected_effect"):
            values[name] = float(values[name])
        return Pilot.objects.create(council=council, **values)

    return make


def run_latest(kind: str) -> Job:
    """Run the newest job of ``kind`` as the worker would, and return it finished."""
    job = Job.objects.filter(kind=kind).latest("created_at")
    run_job.call(str(job.pk))
    job.refresh_from_db()
    return job


def upload(
    client: Client,
    pilot: Pilot,
    text: str | bytes,
    columns: dict[str, str],
    name: str = "outcomes.csv",
) -> Any:
    raw = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("evidence:staff-data", args=[pilot.slug]),
        {"file": SimpleUploadedFile(name, raw, content_type="text/csv"), **columns},
        **HOST,
    )


@functools.cache
def did_result() -> dict[str, Any]:
    """The engine's result on the generated ward-month panel (computed once per run)."""
    from changemaker.evidence import adapter

    pilot = Pilot(design="did")
    data = OutcomeData(text=did_panel(), source="outcomes.csv", columns=DID_COLUMNS)
    return adapter.analyse(pilot, data)


@pytest.fixture
def analysed(make_pilot: Callable[..., Pilot]) -> Callable[..., Analysis]:
    """A pilot with stored outcome data and its analysis (as the jobs leave them)."""

    def make(**changes: Any) -> Analysis:
        pilot = make_pilot(**changes)
        data = OutcomeData.objects.create(
            pilot=pilot, source="outcomes.csv", text=did_panel(), columns=DID_COLUMNS, n_rows=240
        )
        result = did_result()
        return Analysis.objects.create(
            pilot=pilot,
            data=data,
            result=result,
            estimate=result["estimate"],
            ci_low=result["ci"][0],
            ci_high=result["ci"][1],
            sms_level=result["sms_level"],
        )

    return make
