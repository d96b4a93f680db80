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
    write_field_problems,
    write_quarantine,
)
from changemaker.insight.engine.schema import PERIOD_FIELDS, PERSON_FIELDS

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


def test_bad_fields_are_missing_and_reported_bad_rows_quarantined() -> None:
    raw = (
        b"Tenancy ref,Forename,Surname,DOB,Post code\n"
        b"T1,Ann,Lee,1980-01-02,XM1 1AA\n"  # line 2: good
        b"T2,Bob,Ray,31/02/1990,XM1 1AA\n"  # line 3: no such date
        b"T3,Cy,Fox,1990-1-1-1,XM1 1AA\n"  # line 4: not a date
        b",Dee,Moe,1990-01-01,XM1 1AA\n"  # line 5: no id
        b"T1,Eve,Lee,1980-01-02,XM1 1AA\n"  # line 6: duplicate id
        b"T7,Fay,Kim\n"  # line 7: short row
        b"T8,Gu\xff,Lo,1990-01-01,XM1 1AA\n"  # line 8: broken encoding in a name
        b'T9,"Multi\nline",Ng,2099-01-01,XM1 1AA\n'  # line 9-10: future date
        b"\n"
        b"T11,Ida,Ox,1870-05-05,N/A\n"  # line 12: too old, not a postcode
        b"T12,,,1970-05-05,XM1 1AA\n"  # line 13: no name, no NINO
        b"T\xfe,Jo,Pym,1970-05-05,XM1 1AA\n"  # line 14: broken record_id
        b"T15,Kit,Rae,00/11/1950,75008\n"  # line 15: no such date, a French postcode
    )
    result = import_csv_bytes(raw, HOUSING, today=TODAY)
    kept = result.records.set_index("record_id")
    assert kept.index.tolist() == ["T1", "T2", "T3", "T8", "T9", "T11", "T15"]
    assert kept["date_of_birth"].tolist() == ["1980-01-02", None, None, "1990-01-01"] + [None] * 3
    assert kept.loc["T8", "first_name"] is None and kept.loc["T8", "surname"] == "Lo"
    assert kept.loc["T11", "postcode"] is None and kept.loc["T15", "postcode"] == "75008"
    lines = {q.line: q.reason for q in result.quarantine}
    assert sorted(lines) == [5, 6, 7, 13, 14]
    assert "record_id is empty" in lines[5]
    assert lines[6] == "duplicate record_id (first seen on line 2)"
    assert lines[7] == "expected 5 fields, found 3"
    assert "cannot be linked" in lines[13]
    assert "UTF-8" in lines[14]
    problems = {(p.line, p.field): p.reason for p in result.field_problems}
    assert sorted(problems) == [
        (3, "date_of_birth"),
        (4, "date_of_birth"),
        (8, "first_name"),
        (9, "date_of_birth"),
        (12, "date_of_birth"),
        (12, "postcode"),
        (15, "date_of_birth"),
        (15, "postcode"),
    ]
    assert problems[(3, "date_of_birth")] == "date does not exist: treated as missing"
    assert "YYYY-MM-DD" in problems[(4, "date_of_birth")]
    assert "UTF-8" in problems[(8, "first_name")]
    assert "future" in problems[(9, "date_of_birth")]
    assert "1880" in problems[(12, "date_of_birth")]
    assert "not a postcode" in problems[(12, "postcode")]
    assert "not a UK postcode: kept" in problems[(15, "postcode")]
    assert result.rows_read == 12
    # the report is safe for logs: no values from the rows
    report = json.dumps(result.report())
    assert len(result.report()["field_problems"]) == 8  # type: ignore[arg-type]
    for value in ("Bob", "Fay", "Gu", "Multi", "Ida", "1990", "N/A", "75008"):
        assert value not in report


def test_every_field_is_checked_as_the_linker_reads_it() -> None:
    mapping = ColumnMapping({name: name for name in (*PERSON_FIELDS[1:], *PERIOD_FIELDS)}, "x")
    header = ",".join((*PERSON_FIELDS[1:], *PERIOD_FIELDS))
    raw = _csv(
        header + "\n"
        "1,Ann,Lee,1980-01-02,XM1 1AA,1 High St,AB123456C,ann@example.com,07700 900123,"
        "2001-01-01,2002-01-01\n"
        "2,123,Lee,1980-01-02,XM1 1AA,---,QQ12,not-an-email,12,2001-13-01,1850-01-01\n"
        "3,Ann,Lee,,,,,,,2005-01-01,2002-01-01\n"
    )
    result = import_csv_bytes(raw, mapping, today=TODAY)
    assert result.quarantine == ()
    assert result.records.iloc[0].notna().all()  # every value usable
    problems = [(p.line, p.field) for p in result.field_problems]
    assert problems == [
        (3, "first_name"),
        (3, "address_line"),
        (3, "nino"),
        (3, "email"),
        (3, "phone"),
        (3, "address_from"),
        (3, "address_to"),
        (4, "address_to"),
    ]
    second = result.records.iloc[1]
    assert second["surname"] == "Lee" and second["date_of_birth"] == "1980-01-02"
    for name in ("first_name", "address_line", "nino", "email", "phone", *PERIOD_FIELDS):
        assert second[name] is None
    third = result.records.iloc[2]
    assert third["address_from"] is None and third["address_to"] is None  # ends before start


def test_quarantine_file_keeps_the_rows(tmp_path: Path) -> None:
    raw = b"Tenancy ref,Forename,Surname,DOB,Post code\nT2,,,31/02/1990,XM1 1AA\n"
    result = import_csv_bytes(raw, HOUSING, source="h.csv", today=TODAY)
    out = tmp_path / "quarantine.csv"
    assert write_quarantine([result], out) == 1
    back = pd.read_csv(out, dtype=str)
    assert back.loc[0, "file"] == "h.csv"
    assert back.loc[0, "line"] == "2"
    assert back.loc[0, "date_of_birth"] == "31/02/1990"  # as written, for the officer to fix


def test_data_quality_file_lists_where_and_why(tmp_path: Path) -> None:
    raw = b"Tenancy ref,Forename,Surname,DOB,Post code\nT2,Bob,Ray,31/09/1966,XM1 1AA\n"
    result = import_csv_bytes(raw, HOUSING, source="h.csv", today=TODAY)
    out = tmp_path / "data_quality.csv"
    assert write_field_problems([result], out) == 1
    assert out.read_text().splitlines() == [
        "file,line,field,reason",
        "h.csv,2,date_of_birth,date does not exist: treated as missing",
    ]


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


_FIELD_TO_CORRUPT = st.sampled_from([*PERSON_FIELDS[2:], *PERIOD_FIELDS])
_ANY_BYTES = st.one_of(st.binary(max_size=20), _cell.map(lambda t: t.encode("utf-8")))


@settings(deadline=None, max_examples=300)
@given(_FIELD_TO_CORRUPT, _ANY_BYTES)
def test_fuzz_one_corrupted_field_never_drops_a_record_with_a_name(
    field: str, corrupted: bytes
) -> None:
    """Finding 3 of issue 15: 568 people were dropped for one impossible date of birth."""
    names = [*PERSON_FIELDS[1:], *PERIOD_FIELDS]
    mapping = ColumnMapping({name: name for name in names}, "x")
    good = {
        "record_id": b"R1",
        "first_name": b"Ann",
        "surname": b"Lee",
        "date_of_birth": b"1980-01-02",
        "postcode": b"XM1 1AA",
        "address_line": b"1 High St",
        "nino": b"AB123456C",
        "email": b"ann@example.com",
        "phone": b"07700 900123",
        "address_from": b"2001-01-01",
        "address_to": b"",
    }
    good[field] = corrupted
    quoted = [b'"' + good[name].replace(b'"', b'""') + b'"' for name in names]
    raw = ",".join(names).encode() + b"\n" + b",".join(quoted) + b"\n"
    result = import_csv_bytes(raw, mapping, today=TODAY)
    assert result.quarantine == ()
    assert result.records["record_id"].tolist() == ["R1"]
    record = result.records.iloc[0]
    assert record["first_name"] is not None or record["surname"] is not None
    # a value the linker cannot use is missing, and the report says where
    untouched = [n for n in names if n not in (field, "record_id", "address_to")]
    assert [n for n in untouched if record[n] is None] == []
    if record[field] is None and corrupted.decode("utf-8", "replace").strip():
        assert [(p.line, p.field) for p in result.field_problems][:1] in (
            [(2, field)],
            [(2, "address_to")],  # a period that ends before it starts
        )
