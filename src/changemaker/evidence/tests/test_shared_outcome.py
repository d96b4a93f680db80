"""Outcome data from another capability's counts by ward and month (core.registry outcome
sources), without JavaScript: choose the count, the period and the pilot's wards -> a job
keeps them as an upload would -> the analysis leaves suppressed counts out and says how many.
The source here is a stand-in registered for the test (the shared view of need's own is
tested in insight and, end to end on the demo, in tests/test_evaluation_extract.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from changemaker.core import registry
from changemaker.core.models import AuditEvent, Council, Job, Ward
from changemaker.core.registry import OutcomeRefused, OutcomeSource
from changemaker.evidence.models import Analysis, OutcomeData, Pilot
from changemaker.evidence.tests.conftest import HOST, run_latest

pytestmark = pytest.mark.django_db

WARDS = [f"E0509900{i}" for i in range(1, 7)]
KEY = "test.referrals:1"


def months_of(start: date, end: date) -> list[date]:
    return [
        date(y, m, 1)
        for y in (2025,)
        for m in range(1, 13)
        if start <= date(y, m, 28) and date(y, m, 1) <= end
    ]


def _rows(start: date, end: date) -> list[registry.OutcomeRow]:
    rows: list[registry.OutcomeRow] = []
    for w, ward in enumerate(WARDS):
        for m, month in enumerate(months_of(start, end)):
            after = w < 3 and month >= date(2025, 7, 1)
            value: int | None = 40 + 3 * w + (m % 4) - (8 if after else 0)
            if (w, m) in {(0, 1), (1, 1), (4, 9), (5, 9)}:
                value = None  # suppressed at the source
            rows.append((ward, month, value))
    return rows


def _refuse(start: date, end: date) -> list[registry.OutcomeRow]:
    raise OutcomeRefused("No data-sharing agreement in force lets this data be used (DSA-9).")


@pytest.fixture
def sources(council: Council, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for i, code in enumerate(WARDS, start=1):
        Ward.objects.create(council=council, name=f"Ward {i}", code=code)
    offered = [
        OutcomeSource(KEY, "Crisis referrals each month", "referrals", _rows),
        OutcomeSource("test.refused:1", "Refused count", "people", _refuse),
    ]
    monkeypatch.setattr(registry, "OUTCOME_SOURCES", [lambda c: offered])
    yield


FORM = {
    "source": KEY,
    "start": "01/01/2025",
    "end": "31/12/2025",
    "treated": WARDS[:3],
    "starts": "01/07/2025",
}


def test_counts_by_ward_and_month_become_outcome_data_and_are_analysed(
    sources: None, lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    page = lead.get(reverse("evidence:staff-data", args=[pilot.slug]), **HOST).content.decode()
    assert reverse("evidence:staff-data-shared", args=[pilot.slug]) in page
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    page = lead.get(url, **HOST).content.decode()
    assert "Crisis referrals each month" in page and "Ward 6" in page
    sent = lead.post(url, FORM, **HOST)
    job = Job.objects.get(kind="evidence.extract")
    assert sent.status_code == 302 and sent["Location"] == reverse("core:job", args=[job.pk])
    job = run_latest("evidence.extract")
    assert job.status == Job.Status.SUCCEEDED, job.error
    assert job.result["rows"] == 72 and job.result["suppressed"] == 4
    data = OutcomeData.objects.get(pilot=pilot)
    assert data.columns["missing"] == "suppressed" and data.n_rows == 72
    lines = data.text.splitlines()
    assert lines[0] == "ward,month,period,treated,group,post,first_treated,count"
    assert f"{WARDS[0]},2025-02,2,0,1,0,7," in lines  # suppressed: an empty cell
    assert f"{WARDS[0]},2025-07,7,1,1,1,7,34" in lines
    job_page = lead.get(reverse("core:job", args=[job.pk]), **HOST).content.decode()
    assert "4 were too small to share" in job_page

    lead.post(reverse("evidence:staff-analyse", args=[pilot.slug, data.pk]), **HOST)
    job = run_latest("evidence.analyse")
    assert job.status == Job.Status.SUCCEEDED, job.error
    analysis = Analysis.objects.get(pilot=pilot)
    assert analysis.result["suppressed"] == {"cells": 4, "of": 72}
    assert analysis.result["n_obs"] == 68
    assert -9 < analysis.estimate < -7
    page = lead.get(job.result["link"], **HOST).content.decode()
    assert "4 of 72 counts by ward and month were too small to share" in page
    started = AuditEvent.objects.get(action="evidence.extract_started")
    assert started.detail["source"] == KEY and started.detail["wards"] == 3


def test_a_refusing_source_says_why_and_saves_nothing(
    sources: None, lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    lead.post(url, {**FORM, "source": "test.refused:1"}, **HOST)
    job = run_latest("evidence.extract")
    assert job.status == Job.Status.FAILED
    assert "DSA-9" in job.error and "Nothing has been saved" in job.error
    assert not OutcomeData.objects.filter(pilot=pilot).exists()


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"source": ""}, "source", "Choose the count to use as the outcome"),
        ({"end": "15/01/2025"}, "end", "The last month must be after the first month"),
        ({"starts": "15/01/2025"}, "starts", "so there are counts before and after it"),
        ({"treated": WARDS}, "treated", "Leave at least one ward out as the comparison"),
        ({"treated": []}, "treated", "Choose the wards where the pilot runs"),
        ({"start": "31/02/2025"}, "start", "Enter a real date, like 01/04/2025"),
    ],
)
def test_bad_choices_are_named_by_their_field(
    sources: None,
    lead: Client,
    make_pilot: Callable[..., Pilot],
    change: dict[str, object],
    field: str,
    message: str,
) -> None:
    pilot = make_pilot()
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    response = lead.post(url, {**FORM, **change}, **HOST)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and message in page
    assert f'id="id_{field}-error"' in page or f"#id_{field}" in page
    assert not Job.objects.filter(kind="evidence.extract").exists()


def test_designs_that_do_not_fit_say_so(
    sources: None, lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot(design="ab", slug="texts")
    url = reverse("evidence:staff-data-shared", args=[pilot.slug])
    page = lead.get(url, **HOST).content.decode()
    assert "Upload a CSV file instead" in page
    lead.post(url, FORM, **HOST)
    assert not Job.objects.filter(kind="evidence.extract").exists()
