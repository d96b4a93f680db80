"""The address gazetteer: a data officer uploads it, a background job checks and imports it all
or nothing (line errors shown on the page), and linkage runs match addresses to its UPRNs."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import JobFailed, get_handler
from changemaker.core.models import AuditEvent, Council, User
from changemaker.core.tests.factories import sign_in
from changemaker.insight import actions, adapter
from changemaker.insight.models import Dataset, Gazetteer, GazetteerAddress, LinkRun
from changemaker.insight.tests.conftest import HOST
from changemaker.insight.tests.factories import CSV_HEADER

pytestmark = pytest.mark.django_db

GAZETTEER = (
    "UPRN,SAO_TEXT,PAO_TEXT,STREET_DESCRIPTION,TOWN_NAME,POSTCODE_LOCATOR\n"
    "100000000001,,1,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "100000000002,FLAT 1,3,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "100000000003,FLAT 2,3,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "100000000004,,ROSE COTTAGE,OAK LANE,EXAMPLETON,EX3 4BB\n"
)
BAD_GAZETTEER = (
    "uprn,sao,pao,street,town,postcode\n"
    "100000000001,,1,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "12AB,,2,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "100000000001,,3,MILL ROAD,EXAMPLETON,EX1 1AA\n"
    "100000000005,,4,MILL ROAD,EXAMPLETON,NOT A CODE\n"
)


def _import(council: Council, user: User, text: str) -> Gazetteer:
    gazetteer = actions.upload_gazetteer(
        council, by=user, name="llpg.csv", stream=io.BytesIO(text.encode())
    )
    assert gazetteer.job is not None and gazetteer.job.kind == "insight.gazetteer"
    with contextlib.suppress(JobFailed):  # a refused file fails the job
        get_handler("insight.gazetteer")(gazetteer.job)
    gazetteer.refresh_from_db()
    return gazetteer


def test_a_good_gazetteer_is_imported_and_becomes_current(
    council: Council, data_officer: User
) -> None:
    first = _import(council, data_officer, GAZETTEER)
    assert first.status == Gazetteer.Status.IMPORTED and first.current
    assert first.entries == 4 and bytes(first.source) == b""
    flat = GazetteerAddress.objects.get(gazetteer=first, uprn="100000000003")
    assert (flat.sao, flat.pao, flat.street, flat.postcode) == (
        "FLAT 2",
        "3",
        "MILL ROAD",
        "EX1 1AA",
    )
    second = _import(council, data_officer, GAZETTEER)
    first.refresh_from_db()
    assert second.current and not first.current
    assert not GazetteerAddress.objects.filter(gazetteer=first).exists()  # replaced
    assert GazetteerAddress.objects.filter(gazetteer=second).count() == 4
    event = AuditEvent.objects.filter(action="insight.gazetteer.imported").first()
    assert event is not None and event.detail == {"entries": 4}


def test_a_bad_line_refuses_the_whole_file_and_says_where(
    council: Council, data_officer: User
) -> None:
    good = _import(council, data_officer, GAZETTEER)
    bad = actions.upload_gazetteer(
        council, by=data_officer, name="llpg.csv", stream=io.BytesIO(BAD_GAZETTEER.encode())
    )
    assert bad.job is not None
    with pytest.raises(JobFailed, match="3 problems"):
        get_handler("insight.gazetteer")(bad.job)
    bad.refresh_from_db()
    assert bad.status == Gazetteer.Status.REFUSED and not bad.current
    assert [(p["line"], p["column"], p["field"]) for p in bad.problems] == [
        (3, 1, "uprn"),
        (4, 1, "uprn"),
        (5, 6, "postcode"),
    ]
    assert "line 2" in bad.problems[1]["reason"]
    assert not GazetteerAddress.objects.filter(gazetteer=bad).exists()  # nothing half-written
    good.refresh_from_db()
    assert good.current  # the previous gazetteer stays in use
    refused = AuditEvent.objects.get(action="insight.gazetteer.refused")
    assert refused.detail == {"problems": 3}


def test_not_a_csv_or_empty_is_refused_at_once(council: Council, data_officer: User) -> None:
    with pytest.raises(actions.DataError, match="CSV"):
        actions.upload_gazetteer(
            council, by=data_officer, name="llpg.xlsx", stream=io.BytesIO(b"x")
        )
    with pytest.raises(actions.DataError, match="empty"):
        actions.upload_gazetteer(
            council, by=data_officer, name="llpg.csv", stream=io.BytesIO(b"  \n")
        )
    assert not Gazetteer.objects.exists()


def test_the_upload_page(officer_client: Client, council: Council, data_officer: User) -> None:
    url = reverse("insight:gazetteer")
    page = officer_client.get(url, **HOST)
    assert page.status_code == 200 and b"None yet" in page.content
    missing = officer_client.post(url, {}, **HOST)
    assert b"govuk-error-summary" in missing.content
    assert b"Choose the gazetteer file to upload" in missing.content
    file = SimpleUploadedFile("llpg.csv", BAD_GAZETTEER.encode(), content_type="text/csv")
    response = officer_client.post(url, {"file": file}, **HOST)
    gazetteer = Gazetteer.objects.get()
    assert gazetteer.job is not None
    assert response.status_code == 302
    assert response["Location"] == reverse("core:job", args=[gazetteer.job.pk])
    with pytest.raises(JobFailed):
        get_handler("insight.gazetteer")(gazetteer.job)
    page = officer_client.get(url, **HOST)
    assert b"Lines to correct" in page.content and b"postcode" in page.content


def test_only_data_officers_can_upload(
    practitioner_client: Client, council: Council, data_officer: User
) -> None:
    file = SimpleUploadedFile("llpg.csv", GAZETTEER.encode(), content_type="text/csv")
    response = practitioner_client.post(reverse("insight:gazetteer"), {"file": file}, **HOST)
    assert response.status_code == 403
    assert not Gazetteer.objects.exists()


def test_runs_match_addresses_to_uprns_and_report_the_rates(
    council: Council,
    dataset: Dataset,
    data_officer: User,
    publish_csv: Callable[[Dataset, str], None],
) -> None:
    """A flat written three ways is one household with a gazetteer; the run report gives the
    share of records matched to a UPRN, to a fuzzy dwelling, or to nothing."""
    publish_csv(
        dataset,
        CSV_HEADER + "CT1,Ada,Quillfeather,1985-12-10,EX1 1AA,Flat 2 3 Mill Rd,\n"
        'CT2,Byron,Quillfeather,2014-05-01,ex11aa,"3 Mill Road, Flat 2",\n'
        "CT3,Cyril,Quillfeather,1960-03-03,EX1 1AA,2/3 mill road exampleton,\n"
        "CT4,Dora,Fenwhistle,02/01/2012,EX1 1AA,Flat 1 3 Mill Road,\n"
        "CT5,Edna,Marrowby,1950-01-01,,,\n",
    )
    _import(council, data_officer, GAZETTEER)
    run = adapter.link(LinkRun.objects.create(council=council, started_by=data_officer))
    homes = {r.record.record_id: r.household_id for r in run.links.select_related("record")}
    assert homes["CT1"] == homes["CT2"] == homes["CT3"] != homes["CT4"]
    address = run.report["address_match"]
    assert address["records"] == {"uprn": 4, "fuzzy_dwelling": 0, "none": 1}
    assert address["gazetteer_entries"] == 4
    page = Client(**HOST)
    sign_in(page, data_officer)
    shown = page.get(reverse("insight:run", args=[run.pk]), **HOST)
    assert b"To a UPRN in the gazetteer: 4 records (80.0%)" in shown.content
