from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.insight.engine.importers import (
    ColumnMapping,
    ImportFileError,
    import_csv_bytes,
    import_file,
    load_mapping,
    write_quarantine,
)
from changemaker.insight.engine.schema import PERSON_FIELDS

TODAY = date(2026, 11, 1)
HOUSING = ColumnMapping(
    {
        "record_id": "Tenancy ref",
        "first_name": "Forename",
        "surname": "Surname",
        "date_of_birth": "DOB",
        "postcode": "Post code",
    },
    source_dataset="housing",
)


def _csv(text: str) -> bytes:
    return text.encode("utf-8")


def test_maps_columns_and_keeps_good_rows() -> None:
    raw = _csv(
        "Tenancy ref,Forename,Surname,DOB,Post code,Rent\n"
        "T1,Ann,Lee,1980-01-02,XM1 1AA,500\n"
        "T2,Bob,Ray,02/03/1990,,0\n"
    )
    result = import_csv_bytes(raw, HOUSING, today=TODAY)
    assert list(result.records.columns) == list(PERSON_FIELDS)
    assert result.records["source_dataset"].tolist() == ["housing", "housing"]
    assert result.records["record_id"].tolist() == ["T1", "T2"]
    assert result.records.loc[1, "postcode"] is None
    assert result.records.loc[0, "nino"] is None
    assert result.quarantine == ()


def test_bad_rows_are_quarantined_with_line_and_reason() -> None:
    raw = (
        b"Tenancy ref,Forename,Surname,DOB,Post code\n"
        b"T1,Ann,Lee,1980-01-02,XM1 1AA\n"  # line 2: good
        b"T2,Bob,Ray,31/02/1990,XM1 1AA\n"  # line 3: no such date
        b"T3,Cy,Fox,1990-1-1-1,XM1 1AA\n"  # line 4: not a date
        b",Dee,Moe,1990-01-01,XM1 1AA\n"  # line 5: no id
        b"T1,Eve,Lee,1980-01-02,XM1 1AA\n"  # line 6: duplicate id
        b"T7,Fay,Kim\n"  # line 7: short row
        b"T8,Gu\xff,Lo,1990-01-01,XM1 1AA\n"  # line 8: broken encoding
        b'T9,"Multi\nline",Ng,2099-01-01,XM1 1AA\n'  # line 9-10: future date
        b"\n"
        b"T11,Ida,Ox,1870-05-05,XM1 1AA\n"  # line 12: too old
    )
    result = import_csv_bytes(raw, HOUSING, today=TODAY)
    assert result.records["record_id"].tolist() == ["T1"]
    lines = {q.line: q.reason for q in result.quarantine}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9, 12]
    assert "does not exist" in lines[3]
    assert "YYYY-MM-DD" in lines[4]
    assert "record_id is empty" in lines[5]
    assert lines[6] == "duplicate record_id (first seen on line 2)"
    assert lines[7] == "expected 5 fields, found 3"
    assert "UTF-8" in lines[8]
    assert "future" in lines[9]
    assert "1880" in lines[12]
    assert result.rows_read == 9
    # the report is safe for logs: no values from the rows
    report = json.dumps(result.report())
    for value in ("Bob", "Fay", "Gu", "Multi", "Ida", "1990"):
        assert value not in report


def test_quarantine_file_keeps_the_rows(tmp_path: Path) -> None:
    raw = b"Tenancy ref,Forename,Surname,DOB,Post code\nT2,Bob,Ray,31/02/1990,XM1 1AA\n"
    result = import_csv_bytes(raw, HOUSING, source="h.csv", today=TODAY)
    out = tmp_path / "quarantine.csv"
    assert write_quarantine([result], out) == 1
    back = pd.read_csv(out, dtype=str)
    assert back.loc[0, "file"] == "h.csv"
    assert back.loc[0, "line"] == "2"
    assert back.loc[0, "first_name"] == "Bob"


def test_missing_mapped_column_rejects_the_whole_file() -> None:
    with pytest.raises(ImportFileError, match="'Post code'"):
        import_csv_bytes(b"Tenancy ref,Forename,Surname,DOB\nT1,A,B,\n", HOUSING)


def test_empty_file_and_bad_mapping() -> None:
    with pytest.raises(ImportFileError, match="empty"):
        import_csv_bytes(b"", HOUSING)
    with pytest.raises(ImportFileError, match="unknown schema fields"):
        ColumnMapping({"record_id": "id", "shoe_size": "s"}, "x")
    with pytest.raises(ImportFileError, match="record_id"):
        ColumnMapping({"first_name": "f"}, "x")


def test_byte_order_mark_is_accepted() -> None:
    raw = "\ufeffTenancy ref,Forename,Surname,DOB,Post code\nT1,Zoë,Lee,,\n".encode()
    result = import_csv_bytes(raw, HOUSING, today=TODAY)
    assert result.records.loc[0, "first_name"] == "Zoë"


def test_mapping_files(tmp_path: Path) -> None:
    json_file = tmp_path / "m.json"
    json_file.write_text(json.dumps({"source_dataset": "s", "columns": {"record_id": "ID"}}))
    toml_file = tmp_path / "m.toml"
    toml_file.write_text('source_dataset = "s"\n[columns]\nrecord_id = "ID"\n')
    assert load_mapping(json_file) == load_mapping(toml_file)
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    with pytest.raises(ImportFileError):
        load_mapping(bad)


def test_parquet(tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Tenancy ref": ["T1", "T2", None],
            "Forename": ["Ann", "Bob", "Cy"],
            "Surname": ["Lee", "Ray", "Fox"],
            "DOB": [date(1980, 1, 2), None, date(1990, 1, 1)],
            "Post code": ["XM1 1AA", None, None],
        }
    )
    path = tmp_path / "housing.parquet"
    frame.to_parquet(path)
    result = import_file(path, HOUSING, today=TODAY)
    assert result.records["date_of_birth"].tolist() == ["1980-01-02", None]
    assert [(q.line, q.reason) for q in result.quarantine] == [(3, "record_id is empty")]
    with pytest.raises(ImportFileError):
        import_file(tmp_path / "housing.xlsx", HOUSING)
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(ImportFileError):
        import_file(tmp_path / "broken.parquet", HOUSING)


_cell = st.text(alphabet=st.characters(codec="utf-8"), max_size=12)


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_cell, min_size=0, max_size=7), min_size=0, max_size=12))
def test_fuzz_no_row_is_silently_dropped(rows: list[list[str]]) -> None:
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Tenancy ref", "Forename", "Surname", "DOB", "Post code"])
    writer.writerows(rows)
    result = import_csv_bytes(buffer.getvalue().encode(), HOUSING, today=TODAY)
    non_blank = sum(1 for row in rows if any(cell.strip() for cell in row))
    assert result.rows_read == non_blank
    assert len(result.records) + len(result.quarantine) == non_blank


@settings(deadline=None, max_examples=200)
@given(st.binary(max_size=300))
def test_fuzz_arbitrary_bytes_never_crash(raw: bytes) -> None:
    header = b"Tenancy ref,Forename,Surname,DOB,Post code\n"
    result = import_csv_bytes(header + raw, HOUSING, today=TODAY)
    assert all(q.line >= 2 for q in result.quarantine)
    for value in result.records.to_numpy().ravel():
        assert value is None or value[:1] < "\udc80" or value[:1] > "\udcff"
