"""End to end on the demo, without JavaScript: an evidence lead takes a pilot's outcome as
counts by ward and month from Exampleton's shared view of need (issue 17). Nothing below the
threshold leaves insight, the extract is in insight's access log, and a council whose
agreements do not cover evaluation is refused with what to do."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from changemaker.core.jobs import run_job
from changemaker.core.management.commands.load_demo import WARDS
from changemaker.core.models import AuditEvent, Council, Job, Role, Ward
from changemaker.evidence.models import OutcomeData, Pilot
from changemaker.insight import demo as insight_demo
from changemaker.insight.models import Purpose

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "exampleton.test"}


def _run(kind: str) -> Job:
    job = Job.objects.filter(kind=kind).latest("created_at")
    run_job.call(str(job.pk))
    job.refresh_from_db()
    return job


@pytest.fixture
def demo_council(council: Council) -> Council:
    for name, code, districts in WARDS:
        Ward.objects.create(council=council, name=name, code=code, postcode_districts=districts)
    insight_demo.load(council)
    return council


def _pilot(council: Council) -> Pilot:
    return Pilot.objects.create(
        council=council,
        title="Family hubs in three wards",
        slug="family-hubs",
        problem="Families reach crisis before anyone helps.",
        intervention="A family hub in each pilot ward",
        primary_outcome="Households newly flagged for council tax arrears",
        design="did",
    )


def _key(page: str, label: str) -> str:
    """The radio value of the source whose label holds ``label`` (the form's own markup)."""
    before = page[: page.index(label)]
    return before.rsplit('type="radio" value="', 1)[1].split('"')[0]


def _form(council: Council) -> dict[str, object]:
    today = timezone.localdate()
    first = today.replace(year=today.year - 1, day=1)
    codes = sorted(Ward.objects.filter(council=council).values_list("code", flat=True))
    return {
        "start": first.strftime("%d/%m/%Y"),
        "end": today.strftime("%d/%m/%Y"),
        "treated": codes[:3],
        "starts": today.replace(day=1).strftime("%d/%m/%Y"),
    }


def test_a_lead_takes_counts_from_the_shared_view_of_need(
    demo_council: Council, client_as: Callable[[str | None], Client]
) -> None:
    lead = client_as(Role.EVIDENCE_LEAD)
    pilot = _pilot(demo_council)
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    page = lead.get(url, **HOST).content.decode()
    label = "newly flagged each month: Council tax arrears over £500"
    assert label in page
    key = _key(page, label)
    sent = lead.post(url, {"source": key, **_form(demo_council)}, **HOST)
    assert sent.status_code == 302
    job = _run("evidence.extract")
    assert job.status == Job.Status.SUCCEEDED, job.error
    data = OutcomeData.objects.get(pilot=pilot)
    rows = list(csv.DictReader(io.StringIO(data.text)))
    assert len(rows) == len(WARDS) * 13
    counts = [int(r["count"]) for r in rows if r["count"]]
    assert all(c >= 10 for c in counts)  # nothing small ever left insight
    assert job.result["suppressed"] == sum(1 for r in rows if not r["count"])
    extract = AuditEvent.objects.get(action="insight.evaluation_extract")
    assert extract.detail["cells"] == len(rows)
    assert set(extract.detail) >= {"source", "start", "end", "cells", "suppressed"}
    job_page = lead.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "too small to share" in job_page


def test_without_an_agreement_covering_evaluation_the_source_refuses(
    demo_council: Council, client_as: Callable[[str | None], Client]
) -> None:
    Purpose.objects.filter(council=demo_council, evaluation=True).update(evaluation=False)
    lead = client_as(Role.EVIDENCE_LEAD)
    pilot = _pilot(demo_council)
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    key = _key(lead.get(url, **HOST).content.decode(), "Council tax arrears over £500")
    lead.post(url, {"source": key, **_form(demo_council)}, **HOST)
    job = _run("evidence.extract")
    assert job.status == Job.Status.FAILED
    assert "No data-sharing agreement in force lets this data be used for evaluation" in job.error
    assert "DSA-2026-01" in job.error
    assert "Nothing has been saved" in job.error
    assert not OutcomeData.objects.filter(pilot=pilot).exists()
    assert not AuditEvent.objects.filter(action="insight.evaluation_extract").exists()
