"""Read and write the two CSV formats of ``changemaker support match``.

requests.csv::

    request_id,lat,lon,needs,urgency,vetting_required,date
    R1,52.98,-2.13,shopping;driving,urgent,basic,2026-11-24

volunteers.csv::

    volunteer_id,lat,lon,skills,vetting,vetting_expires,available_days,max_distance_km,capacity
    V1,52.99,-2.12,shopping;driving,enhanced,2027-03-31,mon;wed;sat,5,2

Readers check the whole file and raise :class:`InputError` listing every problem
(up to a limit) with the file, line and column, what is wrong and what to do. A
file with any problem yields nothing, so nothing is matched from a half-read
file. Column names are matched case-insensitively, extra columns are ignored,
blank lines are skipped, values are stripped of surrounding spaces, and skills
and day names are case-insensitive.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TextIO

from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

from .model import DAY_NAMES, MatchResult, Request, Urgency, Vetting, Volunteer

REQUEST_COLUMNS: tuple[str, ...] = (
    "request_id",
    "lat",
    "lon",
    "needs",
    "urgency",
    "vetting_required",
    "date",
)
VOLUNTEER_COLUMNS: tuple[str, ...] = (
    "volunteer_id",
    "lat",
    "lon",
    "skills",
    "vetting",
    "vetting_expires",
    "available_days",
    "max_distance_km",
    "capacity",
)

MAX_CAPACITY = 1_000_000
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_INTEGER = re.compile(r"\+?[0-9]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DAYS = {name: i for i, name in enumerate(DAY_NAMES)} | {
    full: i
    for i, full in enumerate(
        ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    )
}


class _FieldError(Exception):
    """A single field is wrong; the message says what to do."""


class _Collector:
    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, column, message))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.problems:
            raise InputError(self.problems, self.more)


# --- field parsers: each raises _FieldError with a message that says what to do ---------


def _text_id(value: str) -> str:
    if not value:
        raise _FieldError("is empty; give every row an identifier")
    return value


def _number(value: str) -> float:
    if not _NUMBER.fullmatch(value):
        raise _FieldError(f"{value!r} is not a number; write it like 52.9836")
    number = float(value)
    if not math.isfinite(number):
        raise _FieldError(f"{value!r} is too large; write an ordinary decimal number")
    return number


def _latitude(value: str) -> float:
    lat = _number(value)
    if not -90.0 <= lat <= 90.0:
        raise _FieldError(f"latitude {value} is out of range; it must be between -90 and 90")
    return lat


def _longitude(value: str) -> float:
    lon = _number(value)
    if not -180.0 <= lon <= 180.0:
        raise _FieldError(f"longitude {value} is out of range; it must be between -180 and 180")
    return lon


def _skills(value: str) -> frozenset[str]:
    return frozenset(s.strip().lower() for s in value.split(";") if s.strip())


def _urgency(value: str) -> Urgency:
    try:
        return Urgency(value.lower())
    except ValueError:
        raise _FieldError(f"unknown urgency {value!r}; use urgent, soon or routine") from None


def _vetting(value: str) -> Vetting:
    names = {v.label: v for v in Vetting}
    if value.lower() not in names:
        raise _FieldError(f"unknown vetting level {value!r}; use none, basic or enhanced")
    return names[value.lower()]


def _date(value: str) -> dt.date:
    if not _DATE.fullmatch(value):
        raise _FieldError(f"{value!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-11-24")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise _FieldError(f"{value!r} is not a real calendar date; check day and month") from None


def _optional_date(value: str) -> dt.date | None:
    return None if value == "" else _date(value)


def _days(value: str) -> frozenset[int]:
    days: set[int] = set()
    for token in value.split(";"):
        name = token.strip().lower()
        if not name:
            continue
        if name not in _DAYS:
            raise _FieldError(
                f"unknown day {token.strip()!r}; use mon, tue, wed, thu, fri, sat, sun "
                "separated by ';'"
            )
        days.add(_DAYS[name])
    return frozenset(days)


def _distance(value: str) -> float:
    km = _number(value)
    if km < 0:
        raise _FieldError(f"{value} is negative; give the distance in km, 0 or more")
    return km


def _capacity(value: str) -> int:
    if not _INTEGER.fullmatch(value):
        raise _FieldError(f"{value!r} is not a whole number; give how many requests, e.g. 2")
    capacity = int(value)
    if capacity > MAX_CAPACITY:
        raise _FieldError(f"{value} is implausibly large; use at most {MAX_CAPACITY}")
    return capacity


_REQUEST_FIELDS: dict[str, Callable[[str], Any]] = {
    "request_id": _text_id,
    "lat": _latitude,
    "lon": _longitude,
    "needs": _skills,
    "urgency": _urgency,
    "vetting_required": _vetting,
    "date": _date,
}
_VOLUNTEER_FIELDS: dict[str, Callable[[str], Any]] = {
    "volunteer_id": _text_id,
    "lat": _latitude,
    "lon": _longitude,
    "skills": _skills,
    "vetting": _vetting,
    "vetting_expires": _optional_date,
    "available_days": _days,
    "max_distance_km": _distance,
    "capacity": _capacity,
}


# --- the generic reader -----------------------------------------------------------------


def _decode(data: bytes | str, out: _Collector) -> str | None:
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        out.add(line, None, "is not valid UTF-8 text; save the file as CSV UTF-8 and try again")
        return None


def _header(
    row: list[str], line: int, columns: dict[str, Callable[[str], Any]], out: _Collector
) -> dict[str, int] | None:
    """Where each column is, or None (with the problems reported) if the header is wrong."""
    header = [cell.strip().lower() for cell in row]
    for col in columns:
        if col not in header:
            out.add(line, col, "is missing from the header; add a column with this name")
    for col in set(header):
        if col and header.count(col) > 1:
            out.add(line, col, "appears more than once in the header; keep one")
    if out.problems:
        return None
    return {col: header.index(col) for col in columns}


def _values(
    row: list[str],
    line: int,
    positions: dict[str, int],
    columns: dict[str, Callable[[str], Any]],
    out: _Collector,
) -> dict[str, Any] | None:
    """One data row parsed column by column, or None (with the problems reported)."""
    values: dict[str, Any] = {"_line": line}
    ok = True
    for col, parse in columns.items():
        pos = positions[col]
        if pos >= len(row):
            out.add(line, col, "is missing from this row; fill in every column")
            ok = False
            continue
        try:
            values[col] = parse(row[pos].strip())
        except _FieldError as exc:
            out.add(line, col, str(exc))
            ok = False
    return values if ok else None


def _rows(
    data: bytes | str,
    name: str,
    columns: dict[str, Callable[[str], Any]],
) -> list[dict[str, Any]]:
    out = _Collector(name)
    text = _decode(data, out)
    if text is None:
        out.raise_if_any()
        return []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, skipinitialspace=True)
    parsed: list[dict[str, Any]] = []
    width: int | None = None  # the header's number of fields, once read
    positions: dict[str, int] = {}
    id_column = next(iter(columns))
    first_line: dict[str, int] = {}
    previous_end = 0
    try:
        for row in reader:
            line = previous_end + 1
            previous_end = reader.line_num
            if not row or all(not cell.strip() for cell in row):
                continue
            if width is None:
                found = _header(row, line, columns, out)
                if found is None:
                    width = len(row)
                    break
                positions, width = found, len(row)
                continue
            if len(row) > width:
                out.add(
                    line,
                    None,
                    f"has {len(row)} fields but the header has {width}; "
                    "quote values that contain commas",
                )
                continue
            values = _values(row, line, positions, columns, out)
            if values is None:
                continue
            ident = values[id_column]
            if ident in first_line:
                out.add(
                    line,
                    id_column,
                    f"{ident!r} was already used on line {first_line[ident]}; "
                    "identifiers must be unique",
                )
                continue
            first_line[ident] = line
            parsed.append(values)
    except csv.Error as exc:
        out.add(reader.line_num or 1, None, f"is not valid CSV ({exc}); check quotes")
    if width is None and not out.problems:
        out.add(
            1,
            None,
            "the file is empty; it needs a header line: " + ",".join(columns),
        )
    out.raise_if_any()
    return parsed


def parse_requests(data: bytes | str, name: str = "requests.csv") -> list[Request]:
    """Parse requests CSV content (bytes are decoded as UTF-8)."""
    rows = _rows(data, name, _REQUEST_FIELDS)
    return [
        Request(
            request_id=r["request_id"],
            lat=r["lat"],
            lon=r["lon"],
            needs=r["needs"],
            urgency=r["urgency"],
            vetting_required=r["vetting_required"],
            date=r["date"],
        )
        for r in rows
    ]


def parse_volunteers(data: bytes | str, name: str = "volunteers.csv") -> list[Volunteer]:
    """Parse volunteers CSV content (bytes are decoded as UTF-8)."""
    rows = _rows(data, name, _VOLUNTEER_FIELDS)
    return [
        Volunteer(
            volunteer_id=r["volunteer_id"],
            lat=r["lat"],
            lon=r["lon"],
            skills=r["skills"],
            vetting=r["vetting"],
            vetting_expires=r["vetting_expires"],
            available_days=r["available_days"],
            max_distance_km=r["max_distance_km"],
            capacity=r["capacity"],
        )
        for r in rows
    ]


def _read_bytes(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(
            [Problem(str(path), None, None, f"cannot be read ({exc.strerror})")]
        ) from exc


def read_requests(path: str | Path) -> list[Request]:
    """Read a requests CSV file; raise :class:`InputError` naming file, line and column."""
    return parse_requests(_read_bytes(path), str(path))


def read_volunteers(path: str | Path) -> list[Volunteer]:
    """Read a volunteers CSV file; raise :class:`InputError` naming file, line and column."""
    return parse_volunteers(_read_bytes(path), str(path))


# --- writers ----------------------------------------------------------------------------


def _join(items: Iterable[str]) -> str:
    return ";".join(sorted(items))


def write_requests(stream: TextIO, requests: Iterable[Request]) -> None:
    """Write requests in the CSV format :func:`parse_requests` reads (round-trips exactly)."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(REQUEST_COLUMNS)
    for r in requests:
        writer.writerow(
            [
                r.request_id,
                repr(r.lat),
                repr(r.lon),
                _join(r.needs),
                r.urgency.value,
                r.vetting_required.label,
                r.date.isoformat(),
            ]
        )


def write_volunteers(stream: TextIO, volunteers: Iterable[Volunteer]) -> None:
    """Write volunteers in the CSV format :func:`parse_volunteers` reads."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(VOLUNTEER_COLUMNS)
    for v in volunteers:
        writer.writerow(
            [
                v.volunteer_id,
                repr(v.lat),
                repr(v.lon),
                _join(v.skills),
                v.vetting.label,
                "" if v.vetting_expires is None else v.vetting_expires.isoformat(),
                ";".join(DAY_NAMES[d] for d in sorted(v.available_days)),
                repr(v.max_distance_km),
                str(v.capacity),
            ]
        )


def result_to_dict(result: MatchResult) -> dict[str, Any]:
    """The JSON shape of the issue: assignments, unmatched with reasons, objective."""
    obj = result.objective
    return {
        "assignments": [
            {
                "request_id": a.request_id,
                "volunteer_id": a.volunteer_id,
                "distance_km": round(a.distance_km, 6),
            }
            for a in result.assignments
        ],
        "unmatched": [
            {"request_id": u.request_id, "reason": u.reason.value} for u in result.unmatched
        ],
        "objective": {
            "urgency_weight": obj.weight,
            "max_urgency_weight": obj.max_weight,
            "distance_km": round(obj.distance_km, 6),
            "requests_matched": obj.matched,
            "requests_unmatched": obj.unmatched,
            "distance_resolution_m": obj.resolution_m,
        },
    }


def write_result_json(stream: TextIO, result: MatchResult) -> None:
    json.dump(result_to_dict(result), stream, indent=2)
    stream.write("\n")
