"""Outcome data is all or nothing: a broken CSV is refused whole, with the file, line and
column of every problem, and never a server error (fuzzed with hypothesis)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.storage import storages
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.core.models import Job
from changemaker.evidence.models import OutcomeData, Pilot
from changemaker.evidence.synthetic import did_panel
from changemaker.evidence.tests.conftest import DID_COLUMNS, run_latest, upload


def _private_files() -> list[str]:
    storage = storages["private"]
    try:
        return storage.listdir("evidence-uploads")[1]
    except FileNotFoundError:
        return []


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda t: t.replace("W03,1,", "W03,1,many", 1),
            "outcomes.csv, line 26, column 'referrals'",
        ),
        (lambda t: t.replace(",0\n", ",maybe\n", 1), "outcomes.csv, line 2, column 'pilot'"),
        (lambda t: t.replace("W01,2,", "W01,2,,", 1), "outcomes.csv, line 3: has 5 cells"),
        (lambda t: t.replace("ward,", "area,", 1), "there is no column 'ward'"),
        (lambda t: t.replace("W05,4,", "W05,4,\x00", 1), "outcomes.csv, line 53: holds a NUL"),
    ],
)
def test_a_broken_file_is_refused_whole_with_where_and_what(
    change: Callable[[str], str],
    where: str,
    lead: Client,
    make_pilot: Callable[..., Pilot],
) -> None:
    pilot = make_pilot()
    response = upload(lead, pilot, change(did_panel()), DID_COLUMNS)
    assert response.status_code == 302
    job = run_latest("evidence.upload")
    assert job.status == Job.Status.FAILED
    assert where in job.error and "Nothing has been saved" in job.error
    assert not OutcomeData.objects.exists() and _private_files() == []


def test_a_missing_column_name_and_a_wrong_file_are_refused_in_the_form(
    lead: Client, make_pilot: Callable[..., Pilot]
) -> None:
    pilot = make_pilot()
    page = upload(lead, pilot, did_panel(), {**DID_COLUMNS, "time": ""}).content.decode()
    assert "There is a problem" in page and "Enter the name of the column" in page
    page = upload(lead, pilot, did_panel(), DID_COLUMNS, name="data.xlsx").content.decode()
    assert "The file must be a CSV file ending in .csv" in page
    assert not Job.objects.exists() and _private_files() == []


CELLS = st.one_of(
    st.sampled_from(["", "x", "1", "0", "-3.5", "nan", "inf", '"', "W01", "1e400", "\ufeff"]),
    st.text(max_size=6),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(st.lists(CELLS, min_size=0, max_size=6), max_size=8),
    header=st.lists(st.sampled_from(["ward", "month", "referrals", "pilot", "", "x"]), max_size=6),
    raw=st.binary(max_size=40),
)
def test_fuzzed_files_never_crash_and_never_half_write(
    rows: list[list[str]],
    header: list[str],
    raw: bytes,
    lead: Client,
    make_pilot: Callable[..., Pilot],
) -> None:
    pilot = Pilot.objects.first() or make_pilot()
    text = "\n".join(",".join(r) for r in [header, *rows]).encode("utf-8", "surrogatepass") + raw
    before = OutcomeData.objects.count()
    jobs = Job.objects.count()
    response = upload(lead, pilot, text, DID_COLUMNS)
    if response.status_code == 200:  # refused by the form (an empty file): nothing queued
        assert "There is a problem" in response.content.decode()
        assert Job.objects.count() == jobs and OutcomeData.objects.count() == before
        return
    assert response.status_code == 302
    job = run_latest("evidence.upload")
    assert job.status in (Job.Status.FAILED, Job.Status.SUCCEEDED)
    if job.status == Job.Status.FAILED:
        assert job.error != "Something went wrong. The team has been told."
        assert "Nothing has been saved" in job.error
        assert OutcomeData.objects.count() == before
    else:
        assert OutcomeData.objects.count() == before + 1
    assert _private_files() == []
