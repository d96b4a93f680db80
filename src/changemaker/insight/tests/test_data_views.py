"""The data officer's pages end to end: agreements (with the 6(1)(e) rule), datasets and
mapping, upload -> report -> publish, runs, and the DPIA page (no personal data)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from changemaker.core.jobs import get_handler
from changemaker.core.models import Council, User
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    LinkRun,
    Purpose,
    SourceRecord,
    Upload,
)
from changemaker.insight.tests.conftest import SAMPLE_CSV

pytestmark = pytest.mark.django_db


def test_agreement_needs_a_statutory_function_for_public_task(
    officer_client: Client, purpose: Purpose
) -> None:
    url = reverse("insight:agreement-new")
    assert officer_client.get(url).status_code == 200
    data = {
        "reference": "DSA-9",
        "title": "Housing data",
        "controller": "Exampleton Borough Council",
        "lawful_basis": "6(1)(e)",
        "purposes": [str(purpose.pk)],
        "restricted_categories": ["housing_benefit"],
        "retention_days": "2190",
        "starts_on": "01/04/2024",
    }
    response = officer_client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and "Enter the statutory function" in page
    data["statutory_function"] = "Housing Act 1996"
    response = officer_client.post(url, data)
    assert response.status_code == 302
    agreement = DataSharingAgreement.objects.get(reference="DSA-9")
    assert agreement.restricted_categories == ["housing_benefit"]
    assert list(agreement.purposes.all()) == [purpose]
    edit = officer_client.post(
        reverse("insight:agreement-edit", args=[agreement.pk]),
        {**data, "ends_on": "01/01/2024"},
    )
    assert "The end date must be on or after the start date" in edit.content.decode()


def test_restricted_purposes_must_be_covered(
    officer_client: Client, council: Council, purpose: Purpose
) -> None:
    other = Purpose.objects.create(council=council, name="Service planning")
    response = officer_client.post(
        reverse("insight:agreement-new"),
        {
            "reference": "DSA-8",
            "title": "Benefits",
            "controller": "DWP",
            "lawful_basis": "6(1)(c)",
            "purposes": [str(purpose.pk)],
            "restricted_purposes": [str(other.pk)],
            "retention_days": "30",
            "starts_on": "01/04/2024",
        },
    )
    assert "Choose only purposes the agreement covers" in response.content.decode()


def test_purpose_pages(officer_client: Client, purpose: Purpose) -> None:
    response = officer_client.post(reverse("insight:purpose-new"), {"name": purpose.name})
    assert "already a purpose" in response.content.decode()
    response = officer_client.post(reverse("insight:purpose-new"), {"name": "Safeguarding"})
    assert response.status_code == 302
    assert "Safeguarding" in officer_client.get(reverse("insight:agreements")).content.decode()


def test_no_agreement_no_dataset(officer_client: Client) -> None:
    response = officer_client.get(reverse("insight:dataset-new"))
    assert response["Location"] == reverse("insight:agreement-new")


def test_dataset_mapping_upload_publish_run(
    officer_client: Client, council: Council, agreement: DataSharingAgreement
) -> None:
    response = officer_client.post(
        reverse("insight:dataset-new"),
        {
            "title": "Council tax",
            "code": "council-tax",
            "service": "Revenues",
            "agreement": str(agreement.pk),
        },
    )
    dataset = Dataset.objects.get(code="council-tax")
    assert response["Location"] == reverse("insight:dataset-mapping", args=[dataset.pk])
    mapping = {
        "column_record_id": "Ref",
        "column_first_name": "Forename",
        "column_surname": "Surname",
        "column_date_of_birth": "DOB",
        "column_postcode": "Post code",
        "column_address_line": "Address",
        "attributes": "Arrears\n",
        "restricted": ["Arrears"],
    }
    response = officer_client.post(reverse("insight:dataset-mapping", args=[dataset.pk]), mapping)
    assert response.status_code == 302
    dataset.refresh_from_db()
    assert dataset.column_mapping["record_id"] == "Ref"
    assert dataset.attribute_columns == ["Arrears"] and dataset.restricted_fields == ["Arrears"]

    upload_url = reverse("insight:dataset-upload", args=[dataset.pk])
    wrong = SimpleUploadedFile("ct.csv", b"Name,Other\nA,B\n", content_type="text/csv")
    response = officer_client.post(upload_url, {"file": wrong})
    assert "columns the mapping expects" in response.content.decode()

    good = SimpleUploadedFile("ct.csv", SAMPLE_CSV.encode(), content_type="text/csv")
    response = officer_client.post(upload_url, {"file": good})
    upload = Upload.objects.get(status=Upload.Status.VALIDATED)
    assert response["Location"] == reverse("insight:upload", args=[upload.pk])
    report = officer_client.get(response["Location"]).content.decode()
    assert "duplicate record_id" in report
    # the impossible date of birth: the record is kept, the value listed by line and column
    assert "Values that could not be used" in report and "date does not exist" in report
    assert '<td class="govuk-table__cell">DOB</td>' in report
    assert "Charlotte" not in report and "Fenwhistle" not in report and "1970" not in report
    download = officer_client.get(reverse("insight:upload-quarantine", args=[upload.pk]))
    assert download["Content-Type"].startswith("text/csv")
    assert b"Ada" in download.content  # the duplicate row's values, for the officer

    response = officer_client.post(reverse("insight:upload-publish", args=[upload.pk]))
    assert response["Location"] == reverse("insight:runs")
    assert SourceRecord.objects.filter(dataset=dataset).count() == 4

    assert officer_client.get(reverse("insight:runs")).status_code == 200
    response = officer_client.post(reverse("insight:runs"), {})
    run = LinkRun.objects.get()
    assert run.job is not None
    assert response["Location"] == reverse("core:job", args=[run.job.pk])
    get_handler("insight.link")(run.job)
    page = officer_client.get(reverse("insight:run", args=[run.pk])).content.decode()
    assert "Records linked" in page and "Quillfeather" not in page


def test_discard(officer_client: Client, dataset: Dataset, data_officer: User) -> None:
    good = SimpleUploadedFile("ct.csv", SAMPLE_CSV.encode(), content_type="text/csv")
    officer_client.post(reverse("insight:dataset-upload", args=[dataset.pk]), {"file": good})
    upload = Upload.objects.get()
    response = officer_client.post(reverse("insight:upload-discard", args=[upload.pk]))
    assert response["Location"] == reverse("insight:dataset", args=[dataset.pk])
    assert not SourceRecord.objects.exists()
    again = officer_client.post(reverse("insight:upload-publish", args=[upload.pk]))
    assert again["Location"] == reverse("insight:upload", args=[upload.pk])
    assert not SourceRecord.objects.exists()


def test_processing_page_lists_governance_not_people(
    officer_client: Client, published_run: LinkRun
) -> None:
    page = officer_client.get(reverse("insight:processing")).content.decode()
    for expected in ("Council tax", "DSA-CT", "Children Act 2004 s.10", "365 days"):
        assert expected in page
    for personal in ("Quillfeather", "Ada", "EX1 1AA", "1985"):
        assert personal not in page


def test_other_councils_objects_are_not_found(
    officer_client: Client, make_user: Callable[..., User], dataset: Dataset
) -> None:
    from changemaker.core.tests.factories import CouncilFactory
    from changemaker.insight.tests.factories import make_dataset

    elsewhere = CouncilFactory(name="Otherton", slug="otherton", domain="otherton.test")
    theirs = make_dataset(elsewhere, "council-tax")
    assert officer_client.get(reverse("insight:dataset", args=[theirs.pk])).status_code == 404
    assert officer_client.get(reverse("insight:dataset", args=[dataset.pk])).status_code == 200
