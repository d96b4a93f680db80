"""Uploads: validated with the engine's importers, a report of lines and reasons (never
values), published in one transaction or discarded; no agreement in force, no import."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, timedelta

import pandas as pd
import pytest
from django.utils import timezone

from changemaker.core.models import AuditEvent, User
from changemaker.insight import actions, adapter
from changemaker.insight.models import Dataset, QuarantinedRow, SourceRecord, Upload
from changemaker.insight.tests.conftest import SAMPLE_CSV
from changemaker.insight.tests.factories import CSV_HEADER

pytestmark = pytest.mark.django_db


def _validate(dataset: Dataset, user: User, text: str | bytes, name: str = "f.csv") -> Upload:
    raw = text.encode() if isinstance(text, str) else text
    return adapter.validate_upload(dataset, by=user, name=name, stream=io.BytesIO(raw))


def test_validate_reports_lines_and_reasons_and_stages_rows(
    dataset: Dataset, data_officer: User
) -> None:
    upload = _validate(dataset, data_officer, SAMPLE_CSV)
    assert (upload.rows_read, upload.rows_accepted, upload.rows_quarantined) == (5, 4, 1)
    lines = [(q["line"], q["reason"]) for q in upload.report["quarantined"]]
    assert [line for line, _r in lines] == [5]
    assert "duplicate" in lines[0][1]
    # one impossible date of birth drops nobody: the record is kept, the date reported
    assert upload.report["field_problems"] == [
        {"line": 4, "field": "date_of_birth", "reason": "date does not exist: treated as missing"}
    ]
    assert "Charlotte" not in str(upload.report) and "1970" not in str(upload.report)
    assert QuarantinedRow.objects.filter(upload=upload).count() == 1
    staged = {r["record_id"]: r for r in upload.staged}
    assert staged["CT1"]["attributes"] == {"Arrears": "750.00"}
    assert staged["CT2"]["attributes"] == {}
    assert staged["CT3"]["first_name"] == "Charlotte" and staged["CT3"]["date_of_birth"] == ""
    assert staged["CT3"]["attributes"] == {"Arrears": "10"}
    assert not SourceRecord.objects.exists()  # nothing published yet
    event = AuditEvent.objects.get(action="insight.upload.validated")
    assert event.detail == {
        "rows_read": 5,
        "accepted": 4,
        "quarantined": 1,
        "values_treated_as_missing": 1,
    }


def test_publish_replaces_records_in_one_go_and_keeps_identities(
    dataset: Dataset, data_officer: User
) -> None:
    first = _validate(dataset, data_officer, SAMPLE_CSV)
    assert actions.publish_upload(first, by=data_officer) == {
        "added": 4,
        "updated": 0,
        "removed": 0,
    }
    ada = SourceRecord.objects.get(dataset=dataset, record_id="CT1")
    assert ada.first_name == "Ada" and ada.attributes == {"Arrears": "750.00"}
    assert ada.received_on == timezone.localdate()
    first.refresh_from_db()
    assert first.status == Upload.Status.PUBLISHED and first.staged == []
    second = _validate(
        dataset,
        data_officer,
        CSV_HEADER + "CT1,Ada,Quillfeather,1985-12-10,EX1 1AA,1 Mill Rd,800\n"
        "CT9,Eli,Fenwhistle,,EX3 4BB,,\n",
    )
    assert actions.publish_upload(second, by=data_officer) == {
        "added": 1,
        "updated": 1,
        "removed": 3,
    }
    assert sorted(SourceRecord.objects.values_list("record_id", flat=True)) == ["CT1", "CT9"]
    assert SourceRecord.objects.get(record_id="CT1").pk == ada.pk
    with pytest.raises(actions.DataError):
        actions.publish_upload(second, by=data_officer)


def test_a_failed_publish_leaves_the_previous_records(
    dataset: Dataset, data_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    actions.publish_upload(_validate(dataset, data_officer, SAMPLE_CSV), by=data_officer)
    second = _validate(dataset, data_officer, CSV_HEADER + "CT7,Finn,Quill,,,,\n")

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(SourceRecord.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        actions.publish_upload(second, by=data_officer)
    assert sorted(SourceRecord.objects.values_list("record_id", flat=True)) == [
        "CT1",
        "CT2",
        "CT3",
        "CT4",
    ]
    second.refresh_from_db()
    assert second.status == Upload.Status.VALIDATED


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("Reference,Name\nA,B\n", "columns the mapping expects"),
        (b"Ref,Forename,Surname,DOB,Post code,Addr\xe9ss,Arrears\n", "UTF-8"),
        (CSV_HEADER.replace(",Arrears", ""), "Arrears"),
        ("", "empty"),
    ],
)
def test_wrong_files_are_refused_whole(
    dataset: Dataset, data_officer: User, content: str | bytes, words: str
) -> None:
    with pytest.raises(actions.DataError) as refused:
        _validate(dataset, data_officer, content)
    assert words in str(refused.value)
    assert Upload.objects.get().status == Upload.Status.REFUSED
    assert not QuarantinedRow.objects.exists()


def test_broken_encoding_in_a_value_makes_that_value_missing(
    dataset: Dataset, data_officer: User
) -> None:
    raw = (CSV_HEADER + "CT1,Ad\xe9,Quill,,,,\nCT2,Bo,Quill,,,,\n").encode("latin-1")
    upload = _validate(dataset, data_officer, raw)
    assert upload.rows_accepted == 2 and upload.rows_quarantined == 0
    staged = {r["record_id"]: r for r in upload.staged}
    assert staged["CT1"]["first_name"] == "" and staged["CT1"]["surname"] == "Quill"
    [problem] = upload.report["field_problems"]
    assert (problem["line"], problem["field"]) == (2, "first_name")
    assert "UTF-8" in problem["reason"]


def test_not_a_csv_or_parquet(dataset: Dataset, data_officer: User) -> None:
    with pytest.raises(actions.DataError, match="CSV"):
        _validate(dataset, data_officer, "x", name="f.xlsx")


def test_parquet_upload(dataset: Dataset, data_officer: User) -> None:
    frame = pd.DataFrame(
        {
            "Ref": ["P1", "P2"],
            "Forename": ["Ada", "Bo"],
            "Surname": ["Quill", "Quill"],
            "DOB": ["1985-12-10", "not a date"],
            "Post code": ["EX1 1AA", None],
            "Address": ["1 Mill Road", None],
            "Arrears": [12.5, None],
        }
    )
    buffer = io.BytesIO()
    frame.to_parquet(buffer)
    upload = _validate(dataset, data_officer, buffer.getvalue(), name="f.parquet")
    assert (upload.rows_accepted, upload.rows_quarantined) == (2, 0)
    assert upload.staged[0]["attributes"] == {"Arrears": "12.5"}
    assert upload.staged[1]["date_of_birth"] == ""
    assert [(p["line"], p["field"]) for p in upload.report["field_problems"]] == [
        (2, "date_of_birth")
    ]


def test_no_agreement_in_force_no_import(dataset: Dataset, data_officer: User) -> None:
    agreement = dataset.agreement
    agreement.ends_on = date.today() - timedelta(days=1)
    agreement.save()
    with pytest.raises(actions.DataError, match="not in force"):
        _validate(dataset, data_officer, SAMPLE_CSV)
    assert not Upload.objects.exists()


def test_publish_refused_when_agreement_lapsed_after_validation(
    dataset: Dataset, data_officer: User
) -> None:
    upload = _validate(dataset, data_officer, SAMPLE_CSV)
    dataset.agreement.starts_on = date.today() + timedelta(days=3)
    dataset.agreement.save()
    with pytest.raises(actions.DataError, match="not in force"):
        actions.publish_upload(upload, by=data_officer)
    assert not SourceRecord.objects.exists()


def test_discard_and_quarantine_export(dataset: Dataset, data_officer: User) -> None:
    upload = _validate(dataset, data_officer, SAMPLE_CSV)
    text = actions.quarantine_csv(upload, by=data_officer)
    assert text.splitlines()[0].startswith("line,reason,")
    assert "Ada" in text  # the officer's own export holds the values to fix
    assert AuditEvent.objects.filter(action="insight.upload.quarantine_exported").exists()
    actions.discard_upload(upload, by=data_officer)
    upload.refresh_from_db()
    assert upload.status == Upload.Status.DISCARDED and upload.staged == []
    assert not upload.quarantined.exists()
    assert not SourceRecord.objects.exists()


def test_formulas_are_neutralised_in_the_export(dataset: Dataset, data_officer: User) -> None:
    row = "CT1,=HYPERLINK(1),Q,,,,\n"
    upload = _validate(dataset, data_officer, CSV_HEADER + row + row)  # the second: kept aside
    assert "'=HYPERLINK(1)" in actions.quarantine_csv(upload, by=data_officer)


def test_nothing_personal_in_the_audit_log(
    dataset: Dataset, data_officer: User, publish_csv: Callable[[Dataset, str], None]
) -> None:
    publish_csv(dataset, SAMPLE_CSV)
    for event in AuditEvent.objects.all():
        text = f"{event.detail} {event.reason}"
        assert "Quillfeather" not in text and "EX1" not in text and "1985" not in text
