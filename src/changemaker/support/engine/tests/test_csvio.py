"""CSV reading and writing: round trips, clear errors, and fuzzing."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.support.engine import (
    InputError,
    Request,
    Urgency,
    Vetting,
    Volunteer,
    parse_requests,
    parse_volunteers,
    read_requests,
    read_volunteers,
    write_requests,
    write_volunteers,
)
from changemaker.support.engine.csvio import MAX_PROBLEMS

from .strategies import small_instances

REQUESTS = """request_id,lat,lon,needs,urgency,vetting_required,date
R1,52.9836,-2.1301,shopping;Driving,urgent,basic,2026-11-24
R2,53.01,-2.2,,routine,none,2026-11-28
"""
VOLUNTEERS = """\
volunteer_id,lat,lon,skills,vetting,vetting_expires,available_days,max_distance_km,capacity
V1,52.99,-2.12,shopping;driving,enhanced,2027-03-31,mon;Wed;saturday,5,2
V2,53.0,-2.2,befriending,none,,,0.5,0
"""


def write_both(instance: tuple[list[Request], list[Volunteer]]) -> tuple[str, str]:
    r_buf, v_buf = io.StringIO(), io.StringIO()
    write_requests(r_buf, instance[0])
    write_volunteers(v_buf, instance[1])
    return r_buf.getvalue(), v_buf.getvalue()


def test_reads_the_documented_formats() -> None:
    r1, r2 = parse_requests(REQUESTS)
    assert r1 == Request(
        "R1",
        52.9836,
        -2.1301,
        frozenset({"shopping", "driving"}),
        Urgency.URGENT,
        Vetting.BASIC,
        dt.date(2026, 11, 24),
    )
    assert r2.needs == frozenset() and r2.urgency is Urgency.ROUTINE
    v1, v2 = parse_volunteers(VOLUNTEERS)
    assert v1.available_days == frozenset({0, 2, 5})
    assert v1.vetting is Vetting.ENHANCED and v1.vetting_expires == dt.date(2027, 3, 31)
    assert (v1.max_distance_km, v1.capacity) == (5.0, 2)
    assert v2.vetting_expires is None and v2.available_days == frozenset() and v2.capacity == 0


def test_tolerates_bom_crlf_case_spaces_extra_columns_and_blank_lines() -> None:
    text = (
        "\ufeffRequest_ID , LAT,lon,needs,urgency,vetting_required,date,notes\r\n"
        "\r\n"
        ' R1 , 52.98 ,-2.13, "shopping ; diy",URGENT,None,2026-11-24,"a, b"\r\n'
    )
    (r,) = parse_requests(text.encode("utf-8"))
    assert r.request_id == "R1" and r.needs == frozenset({"shopping", "diy"})
    assert r.vetting_required is Vetting.NONE


@settings(max_examples=100, deadline=None)
@given(small_instances())
def test_written_files_read_back_identically(
    instance: tuple[list[Request], list[Volunteer]],
) -> None:
    r_text, v_text = write_both(instance)
    assert parse_requests(r_text) == instance[0]
    assert parse_volunteers(v_text) == instance[1]


def test_identifiers_with_commas_and_quotes_round_trip() -> None:
    r = Request(
        'R "1", flat 2', 52.0, -2.0, frozenset(), Urgency.SOON, Vetting.NONE, dt.date(2026, 1, 5)
    )
    buf = io.StringIO()
    write_requests(buf, [r])
    assert parse_requests(buf.getvalue()) == [r]


HEADER = "request_id,lat,lon,needs,urgency,vetting_required,date\n"


@pytest.mark.parametrize(
    ("body", "line", "column", "fragment"),
    [
        ("R1,52.9,-2.1,shopping,urgent,none\n", 2, "date", "missing from this row"),
        (
            "R1,52.9,-2.1,shopping,whenever,none,2026-11-24\n",
            2,
            "urgency",
            "urgent, soon or routine",
        ),
        ("R1,52.9,-2.1,shopping,urgent,dbs,2026-11-24\n", 2, "vetting_required", "none, basic"),
        ("R1,52.9,-2.1,shopping,urgent,none,24/11/2026\n", 2, "date", "YYYY-MM-DD"),
        ("R1,52.9,-2.1,shopping,urgent,none,2026-02-30\n", 2, "date", "real calendar date"),
        ("R1,52.9,-2.1,shopping,urgent,none,20261124\n", 2, "date", "YYYY-MM-DD"),
        ("R1,91,-2.1,shopping,urgent,none,2026-11-24\n", 2, "lat", "between -90 and 90"),
        ("R1,52.9,-181,shopping,urgent,none,2026-11-24\n", 2, "lon", "between -180 and 180"),
        ("R1,nan,-2.1,shopping,urgent,none,2026-11-24\n", 2, "lat", "not a number"),
        ("R1,1e999,-2.1,shopping,urgent,none,2026-11-24\n", 2, "lat", "too large"),
        ("R1,5_2,-2.1,shopping,urgent,none,2026-11-24\n", 2, "lat", "not a number"),
        (",52.9,-2.1,shopping,urgent,none,2026-11-24\n", 2, "request_id", "empty"),
        (
            "R1,52.9,-2.1,shopping,urgent,none,2026-11-24\n\nR1,52.9,-2.1,,soon,none,2026-11-24\n",
            4,
            "request_id",
            "already used on line 2",
        ),
        ("R1,52.9,-2.1,shopping,urgent,none,2026-11-24,extra\n", 2, None, "8 fields"),
        ('R1,52.9,-2.1,"shopping,urgent,none,2026-11-24\n', 2, None, "not valid CSV"),
    ],
)
def test_request_errors_name_file_line_and_column(
    body: str, line: int, column: str | None, fragment: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse_requests(HEADER + body, "reqs.csv")
    problem = caught.value.problems[0]
    assert (problem.file, problem.line, problem.column) == ("reqs.csv", line, column)
    assert fragment in problem.message
    assert str(caught.value).startswith(f"reqs.csv, line {line}")


V_HEADER = (
    "volunteer_id,lat,lon,skills,vetting,vetting_expires,available_days,max_distance_km,capacity\n"
)


@pytest.mark.parametrize(
    ("body", "column", "fragment"),
    [
        ("V1,52.9,-2.1,x,basic,2027-13-01,mon,5,1\n", "vetting_expires", "real calendar date"),
        ("V1,52.9,-2.1,x,basic,,mon;funday,5,1\n", "available_days", "unknown day 'funday'"),
        ("V1,52.9,-2.1,x,basic,,mon,-1,1\n", "max_distance_km", "negative"),
        ("V1,52.9,-2.1,x,basic,,mon,five,1\n", "max_distance_km", "not a number"),
        ("V1,52.9,-2.1,x,basic,,mon,5,1.5\n", "capacity", "whole number"),
        ("V1,52.9,-2.1,x,basic,,mon,5,-1\n", "capacity", "whole number"),
        ("V1,52.9,-2.1,x,basic,,mon,5,99999999999999999999\n", "capacity", "implausibly large"),
        ("V1,52.9,-2.1,x,gold,,mon,5,1\n", "vetting", "none, basic or enhanced"),
    ],
)
def test_volunteer_errors_name_the_column(body: str, column: str, fragment: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_volunteers(V_HEADER + body, "vols.csv")
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("vols.csv", 2, column)
    assert fragment in problem.message


def test_header_problems() -> None:
    with pytest.raises(InputError) as caught:
        parse_requests("request_id,lat,lat,needs\n", "r.csv")
    columns = {p.column for p in caught.value.problems}
    assert {"lon", "urgency", "vetting_required", "date", "lat"} <= columns
    with pytest.raises(InputError, match="empty"):
        parse_requests("", "r.csv")
    with pytest.raises(InputError, match="empty"):
        parse_requests("\n\n  \n", "r.csv")


def test_a_single_bad_row_rejects_the_whole_file() -> None:
    good = "".join(f"R{i},52.9,-2.1,shopping,urgent,none,2026-11-24\n" for i in range(50))
    with pytest.raises(InputError) as caught:
        parse_requests(HEADER + good + "R99,52.9,-2.1,shopping,urgent,none,2026-11-31\n")
    assert [p.line for p in caught.value.problems] == [52]


def test_many_problems_are_capped_and_counted() -> None:
    bad = "".join(f"R{i},99,-2.1,shopping,urgent,none,2026-11-24\n" for i in range(50))
    with pytest.raises(InputError) as caught:
        parse_requests(HEADER + bad)
    assert len(caught.value.problems) == MAX_PROBLEMS
    assert caught.value.more == 50 - MAX_PROBLEMS
    assert "30 more" in str(caught.value)


def test_bad_encoding_and_missing_files(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(HEADER.encode() + b"R1,52.9,-2.1,caf\xe9,urgent,none,2026-11-24\n")
    with pytest.raises(InputError, match=r"line 2: is not valid UTF-8"):
        read_requests(path)
    with pytest.raises(InputError, match="cannot be read"):
        read_volunteers(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="cannot be read"):
        read_volunteers(tmp_path)


def test_read_from_disk(tmp_path: Path) -> None:
    (tmp_path / "r.csv").write_text(REQUESTS, encoding="utf-8")
    (tmp_path / "v.csv").write_text(VOLUNTEERS, encoding="utf-8")
    assert len(read_requests(tmp_path / "r.csv")) == 2
    assert len(read_volunteers(str(tmp_path / "v.csv"))) == 2


# --- fuzzing: bad input raises InputError, never anything else ---------------------------

CSV_ALPHABET = st.sampled_from(
    [*',;"\r\n\t -.e+0123456789:abcdefghijklmnopqrstuvwxyz', "\x00", "é", "\ufeff"]
)


def _survives(parse: object, data: str | bytes) -> None:
    assert callable(parse)
    try:
        parse(data)
    except InputError as exc:
        assert exc.problems and all(p.message for p in exc.problems)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), st.binary(), st.text(CSV_ALPHABET)))
def test_fuzz_arbitrary_input(data: str | bytes) -> None:
    _survives(parse_requests, data)
    _survives(parse_volunteers, data)


@st.composite
def mutated(draw: st.DrawFn, valid: str) -> str:
    text = valid
    for _ in range(draw(st.integers(1, 6))):
        pos = draw(st.integers(0, len(text)))
        kind = draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = draw(st.text(CSV_ALPHABET, min_size=1, max_size=4))
        if kind == "insert":
            text = text[:pos] + chunk + text[pos:]
        elif kind == "delete":
            text = text[:pos] + text[pos + len(chunk) :]
        else:
            text = text[:pos] + chunk + text[pos + len(chunk) :]
    return text


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(REQUESTS), mutated(VOLUNTEERS))
def test_fuzz_mutated_valid_files(requests_text: str, volunteers_text: str) -> None:
    _survives(parse_requests, requests_text)
    _survives(parse_volunteers, volunteers_text)
    _survives(parse_requests, requests_text.encode("utf-8", "surrogatepass"))


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.text(CSV_ALPHABET, max_size=12), min_size=0, max_size=10), max_size=6))
def test_fuzz_well_formed_csv_with_random_cells(rows: list[list[str]]) -> None:
    import csv

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    _survives(parse_requests, HEADER + buf.getvalue())
    _survives(parse_volunteers, V_HEADER + buf.getvalue())


def test_only_ascii_digits_count_as_numbers() -> None:
    body = "R1,\u0665\u0662,-2.1,shopping,urgent,none,\u0662\u0660\u0662\u0666-11-24\n"
    with pytest.raises(InputError) as caught:
        parse_requests(HEADER + body)
    assert [p.column for p in caught.value.problems] == ["lat", "date"]
