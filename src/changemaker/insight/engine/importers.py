"""Importers: a service's own CSV or Parquet file -> person-schema records.

A *mapping file* (JSON or TOML) says which of the service's columns holds each schema field::

    {"source_dataset": "housing",
     "columns": {"record_id": "Tenancy ref", "first_name": "Forename", "surname": "Surname",
                 "date_of_birth": "DOB", "postcode": "Post code"}}

Optional period columns ``address_from`` and ``address_to`` (when the person lived at the
address; dates like ``date_of_birth``, empty = unknown) are imported when the mapping names them
or, with no mapping entry, when the file has columns of those names; the records then carry
them. A period that ends before it starts is quarantined.

One bad field never drops a person (for early help a missing person is the worst outcome): a
value that cannot be used (a date of birth that does not exist or is not ``YYYY-MM-DD`` or
``DD/MM/YYYY``, a National Insurance number, e-mail address or phone number of the wrong shape,
a name with no letters, text that is not valid UTF-8...) is *treated as missing* and listed in
the data-quality report (:attr:`ImportResult.field_problems`: line, field, reason) for the data
officer to fix at source. The checks are the standardisation rules the linker applies, so a
value kept here is a value the linker can use.

Only a row that cannot be linked at all is *quarantined* with its line number and the reason:
wrong number of fields, empty or duplicate ``record_id``, or neither a name nor a National
Insurance number left. A file that cannot be read at all (missing mapped columns, not
CSV/Parquet) raises :class:`ImportFileError` and yields nothing, so an import is never half-done.

Reasons and line numbers never contain the personal values themselves, so the report can go to
logs; the quarantined values are only in :attr:`ImportResult.quarantine` (and the file written by
:func:`write_quarantine`).
"""

from __future__ import annotations

import csv
import io
import json
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final

import pandas as pd

from changemaker.insight.engine.schema import (
    PERIOD_FIELDS,
    PERSON_FIELDS,
    RECORD_ID,
    SOURCE_DATASET,
    empty_person_frame,
)
from changemaker.insight.engine.standardise import (
    parse_date,
    standardise_address,
    standardise_email,
    standardise_name,
    standardise_nino,
    standardise_phone,
    standardise_postcode,
)

EARLIEST_BIRTH: Final = date(1880, 1, 1)
#: Every field an importer can fill: the person schema, then the optional period.
_FIELDS: Final[tuple[str, ...]] = (*PERSON_FIELDS, *PERIOD_FIELDS)


class ImportFileError(ValueError):
    """The whole file cannot be imported (wrong columns, unreadable, bad mapping)."""


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How a service's columns map onto the person schema.

    ``columns`` maps schema field -> source column. ``source_dataset`` is a constant dataset
    name; leave it ``None`` to read it from a mapped ``source_dataset`` column instead.
    """

    columns: Mapping[str, str]
    source_dataset: str | None = None

    def __post_init__(self) -> None:
        unknown = sorted(set(self.columns) - set(_FIELDS))
        if unknown:
            raise ImportFileError(f"mapping names unknown schema fields: {', '.join(unknown)}")
        if RECORD_ID not in self.columns:
            raise ImportFileError("mapping must give the record_id column")
        if self.source_dataset is None and SOURCE_DATASET not in self.columns:
            raise ImportFileError("mapping must give source_dataset (a name or a column)")

    @classmethod
    def identity(cls, source_dataset: str | None = None) -> ColumnMapping:
        """Columns already named as the schema (``source_dataset`` read from the file unless
        given)."""
        fields = PERSON_FIELDS if source_dataset is None else PERSON_FIELDS[1:]
        return cls({name: name for name in fields}, source_dataset)


def load_mapping(path: Path) -> ColumnMapping:
    """Read a mapping file (``.json`` or ``.toml``)."""
    try:
        if path.suffix.lower() == ".toml":
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        else:
            data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ImportFileError(f"cannot read mapping file {path.name}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("columns"), dict):
        raise ImportFileError(f"mapping file {path.name} needs a 'columns' table")
    columns = data["columns"]
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in columns.items()):
        raise ImportFileError(f"mapping file {path.name}: columns must map names to names")
    dataset = data.get("source_dataset")
    if dataset is not None and not isinstance(dataset, str):
        raise ImportFileError(f"mapping file {path.name}: source_dataset must be a string")
    return ColumnMapping(dict(columns), dataset)


@dataclass(frozen=True, slots=True)
class QuarantinedRow:
    """A row kept aside: where it was (1-based line of a CSV, row of a Parquet file), why,
    and its values (personal: do not log)."""

    line: int
    reason: str
    values: Mapping[str, str | None] = field(repr=False, default_factory=dict)


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A value that could not be used, in a record that was kept: where it is (line, schema
    field or, for an unmapped column, the column's name) and why. Never the value itself."""

    line: int
    field: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ImportResult:
    """Good records in the person schema (strings, empty -> ``None``), quarantined rows, and
    the data-quality report: values of kept records that were treated as missing."""

    source: str
    records: pd.DataFrame
    quarantine: tuple[QuarantinedRow, ...]
    field_problems: tuple[FieldProblem, ...] = ()

    @property
    def rows_read(self) -> int:
        return len(self.records) + len(self.quarantine)

    def report(self) -> dict[str, object]:
        """A summary safe for logs: counts, line numbers, fields and reasons, no values."""
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "rows_imported": len(self.records),
            "rows_quarantined": len(self.quarantine),
            "quarantined": [{"line": q.line, "reason": q.reason} for q in self.quarantine],
            "field_problems": [p.as_dict() for p in self.field_problems],
        }


def import_file(path: Path, mapping: ColumnMapping, *, today: date | None = None) -> ImportResult:
    """Import a ``.csv`` or ``.parquet`` file (chosen by suffix)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return import_csv(path, mapping, today=today)
    if suffix in (".parquet", ".pq"):
        return import_parquet(path, mapping, today=today)
    raise ImportFileError(f"{path.name}: only .csv and .parquet files can be imported")


def import_csv(path: Path, mapping: ColumnMapping, *, today: date | None = None) -> ImportResult:
    """Import a UTF-8 CSV file (a byte-order mark is allowed) with a header row."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ImportFileError(f"cannot read {path.name}: {exc.strerror}") from None
    return import_csv_bytes(raw, mapping, source=path.name, today=today)


def import_csv_bytes(
    raw: bytes, mapping: ColumnMapping, *, source: str = "upload", today: date | None = None
) -> ImportResult:
    """Import CSV content held in memory (see :func:`import_csv`)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    text = raw.decode("utf-8", errors="surrogateescape")
    rows = _csv_rows(text)
    try:
        _line, header, _error = next(rows)
    except StopIteration:
        raise ImportFileError(f"{source}: the file is empty (no header row)") from None
    if header is None:
        raise ImportFileError(f"{source}: the header row cannot be read")
    header = [h.strip() for h in header]
    if any(_has_bad_bytes(h) for h in header):
        raise ImportFileError(f"{source}: the header row is not valid UTF-8")
    positions = _column_positions(header, mapping, source)
    field_at = {position: name for name, position in positions.items()}
    good: list[tuple[int, list[str | None]]] = []
    quarantine: list[QuarantinedRow] = []
    problems: list[FieldProblem] = []
    for line, row, error in rows:
        if row is None:
            quarantine.append(QuarantinedRow(line, f"unreadable CSV row: {error}"))
            continue
        if not any(cell.strip() for cell in row):
            continue  # blank line
        raw_values = dict(zip(header, row, strict=False))
        if len(row) != len(header):
            quarantine.append(
                QuarantinedRow(
                    line, f"expected {len(header)} fields, found {len(row)}", _clean(raw_values)
                )
            )
            continue
        broken = [i for i, cell in enumerate(row) if _has_bad_bytes(cell)]
        if any(field_at.get(i) in (RECORD_ID, SOURCE_DATASET) for i in broken):
            quarantine.append(
                QuarantinedRow(
                    line, "record_id is not valid UTF-8 (broken encoding)", _clean(raw_values)
                )
            )
            continue
        for i in broken:  # one broken value: that value is missing, the record is kept
            problems.append(FieldProblem(line, field_at.get(i, header[i]), _BROKEN_TEXT))
            row[i] = ""
        good.append((line, [_cell(row, positions.get(name)) for name in _FIELDS]))
    return _validate(good, quarantine, mapping, source, today, _has_period(positions), problems)


def import_parquet(
    path: Path, mapping: ColumnMapping, *, today: date | None = None
) -> ImportResult:
    """Import a Parquet file; "line" in reports is the 1-based row number."""
    try:
        frame = pd.read_parquet(path)
    except Exception as exc:  # pyarrow raises many types for a damaged file
        raise ImportFileError(f"cannot read {path.name} as Parquet: {type(exc).__name__}") from None
    header = [str(c) for c in frame.columns]
    positions = _column_positions(header, mapping, path.name)
    good: list[tuple[int, list[str | None]]] = []
    columns = [frame.iloc[:, i].tolist() for i in range(len(header))]
    for index in range(len(frame)):
        values: list[str | None] = []
        for name in _FIELDS:
            pos = positions.get(name)
            values.append(None if pos is None else _to_text(columns[pos][index]))
        good.append((index + 1, values))
    return _validate(good, [], mapping, path.name, today, _has_period(positions))


# ----------------------------------------------------------------------------------- helpers
def _csv_rows(text: str) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """(first line of the row, fields or None, error) for each CSV row."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    previous = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield previous + 1, None, str(exc)
            previous = reader.line_num
            continue
        yield previous + 1, row, None
        previous = reader.line_num


def _column_positions(header: list[str], mapping: ColumnMapping, source: str) -> dict[str, int]:
    index = {name: i for i, name in enumerate(header)}
    missing = [col for col in mapping.columns.values() if col not in index]
    if missing:
        raise ImportFileError(
            f"{source}: columns named in the mapping are missing from the file: "
            + ", ".join(repr(m) for m in missing)
        )
    positions = {name: index[col] for name, col in mapping.columns.items()}
    for name in PERIOD_FIELDS:  # period columns named as the schema need no mapping entry
        if name not in positions and name in index:
            positions[name] = index[name]
    return positions


def _has_period(positions: Mapping[str, int]) -> bool:
    return any(name in positions for name in PERIOD_FIELDS)


def _validate(
    rows: list[tuple[int, list[str | None]]],
    quarantine: list[QuarantinedRow],
    mapping: ColumnMapping,
    source: str,
    today: date | None,
    with_period: bool = False,
    problems: list[FieldProblem] | None = None,
) -> ImportResult:
    checks = _FieldChecks(today or date.today())
    problems = list(problems or [])
    id_at = PERSON_FIELDS.index(RECORD_ID)
    ds_at = PERSON_FIELDS.index(SOURCE_DATASET)
    seen: dict[tuple[str | None, str], int] = {}
    kept: list[list[str | None]] = []
    for line, values in rows:
        if mapping.source_dataset is not None:
            values[ds_at] = mapping.source_dataset
        original = list(values)
        reason = _row_problem(values, id_at, ds_at)
        if reason is None:
            problems.extend(checks.clean(line, values, with_period))
            if not any(values[i] for i in _LINKABLE_AT):
                reason = _UNLINKABLE
        if reason is None:
            key = (values[ds_at], values[id_at] or "")
            if key in seen:
                reason = f"duplicate record_id (first seen on line {seen[key]})"
            else:
                seen[key] = line
        if reason is not None:
            fields = _FIELDS if with_period else PERSON_FIELDS
            quarantine.append(
                QuarantinedRow(line, reason, dict(zip(fields, original, strict=False)))
            )
            continue
        kept.append(values)
    quarantine.sort(key=lambda q: q.line)
    # a quarantined row's own field problems are not reported twice
    dropped = {q.line for q in quarantine}
    problems = sorted((p for p in problems if p.line not in dropped), key=lambda p: p.line)
    if kept:
        records = pd.DataFrame(kept, columns=list(_FIELDS), dtype="object")
    else:
        records = empty_person_frame()
        for name in PERIOD_FIELDS:
            records[name] = pd.Series([], dtype="object")
    if not with_period:
        records = records.drop(columns=list(PERIOD_FIELDS))
    return ImportResult(source, records, tuple(quarantine), tuple(problems))


_BROKEN_TEXT: Final = "text is not valid UTF-8 (broken encoding): treated as missing"
_UNLINKABLE: Final = (
    "no name and no National Insurance number: the record cannot be linked to anyone"
)
#: A record is kept when one of these is usable: first name, surname, NINO.
_LINKABLE_AT: Final[tuple[int, ...]] = tuple(
    PERSON_FIELDS.index(name) for name in ("first_name", "surname", "nino")
)
_NO_DIGIT: Final = re.compile(r"^\D*$")


def _row_problem(values: list[str | None], id_at: int, ds_at: int) -> str | None:
    if not values[ds_at]:
        return "source_dataset is empty"
    if not values[id_at]:
        return "record_id is empty"
    return None


def _name_problem(text: str) -> str | None:
    return None if standardise_name(text) is not None else "has no letters: treated as missing"


def _postcode_problem(text: str) -> str | None:
    if _NO_DIGIT.match(text):  # "N/A", "unknown", "-": not a postcode of anywhere
        return "is not a postcode (no digits): treated as missing"
    return None


def _postcode_note(text: str) -> str | None:
    postcode = standardise_postcode(text)
    if postcode is not None and not postcode.is_uk:
        return "is not a UK postcode: kept as written, compared only as a whole"
    return None


def _shape_problem(
    function: Callable[[object], str | None], what: str
) -> Callable[[str], str | None]:
    def problem(text: str) -> str | None:
        return None if function(text) is not None else f"is not {what}: treated as missing"

    return problem


#: Field -> its check: the reason a value is treated as missing, or ``None`` (usable). Each is
#: the standardisation rule the linker applies, so the two never disagree.
_CHECKS: Final[dict[str, Callable[[str], str | None]]] = {
    "first_name": _name_problem,
    "surname": _name_problem,
    "postcode": _postcode_problem,
    "address_line": _shape_problem(standardise_address, "an address (no letters or digits)"),
    "nino": _shape_problem(standardise_nino, "a valid National Insurance number"),
    "email": _shape_problem(standardise_email, "an e-mail address"),
    "phone": _shape_problem(standardise_phone, "a UK phone number (10 or 11 digits)"),
}


_CHECKED: Final = frozenset({*_CHECKS, "date_of_birth", *PERIOD_FIELDS})


class _FieldChecks:
    """Checks each value of a row once per distinct value (a file repeats many), blanking
    the values that cannot be used and returning where they were and why."""

    def __init__(self, latest: date) -> None:
        self.latest = latest
        self.cache: dict[tuple[str, str], str | None] = {}
        self.notes: dict[str, str | None] = {}

    def clean(self, line: int, values: list[str | None], with_period: bool) -> list[FieldProblem]:
        problems: list[FieldProblem] = []
        fields = _FIELDS if with_period else PERSON_FIELDS
        for at, name in enumerate(fields):
            text = values[at]
            if text is None or name not in _CHECKED:
                continue
            key = (name, text)
            if key not in self.cache:
                self.cache[key] = self._problem(name, text)
            reason = self.cache[key]
            if reason is not None:
                values[at] = None
                problems.append(FieldProblem(line, name, reason))
            elif name == "postcode":
                if text not in self.notes:
                    self.notes[text] = _postcode_note(text)
                note = self.notes[text]
                if note is not None:
                    problems.append(FieldProblem(line, name, note))
        if with_period:
            start_at, end_at = (_FIELDS.index(name) for name in PERIOD_FIELDS)
            start, end = parse_date(values[start_at]), parse_date(values[end_at])
            if start is not None and end is not None and end < start:
                values[start_at] = values[end_at] = None
                problems.append(
                    FieldProblem(
                        line,
                        PERIOD_FIELDS[1],
                        "is before address_from: the period is treated as unknown",
                    )
                )
        return problems

    def _problem(self, name: str, text: str) -> str | None:
        if name in _CHECKS:
            return _CHECKS[name](text)
        return _date_problem(text, self.latest, birth=name == "date_of_birth")


def _date_problem(text: str, latest: date, *, birth: bool) -> str | None:
    try:
        parsed = parse_date(text)
    except ValueError as exc:
        return f"{exc}: treated as missing"
    if parsed is None:
        return None
    if parsed < EARLIEST_BIRTH or (birth and parsed > latest):
        what = "before 1880 or in the future" if birth else "before 1880"
        return f"is out of range ({what}): treated as missing"
    return None


def _cell(row: list[str], position: int | None) -> str | None:
    if position is None:
        return None
    value = row[position].strip()
    return value or None


def _to_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    try:
        if bool(pd.isna(value)):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _has_bad_bytes(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def _clean(values: Mapping[str, str]) -> dict[str, str | None]:
    return {
        k: v.encode("utf-8", errors="surrogateescape").decode("utf-8", "replace")
        for k, v in values.items()
    }


def write_field_problems(results: Sequence[ImportResult], path: Path) -> int:
    """Write the data-quality report of several imports (file, line, field, reason; no
    values) to a CSV for the data officer. Returns the number of rows written."""
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "field", "reason"])
        for result in results:
            for problem in result.field_problems:
                writer.writerow([result.source, problem.line, problem.field, problem.reason])
                count += 1
    return count


def write_quarantine(results: Sequence[ImportResult], path: Path) -> int:
    """Write the quarantined rows of several imports (file, line, reason, values) to a CSV
    for the data officer. Returns the number of rows written."""
    keys: list[str] = []
    for result in results:
        for q in result.quarantine:
            keys += [k for k in q.values if k not in keys]
    count = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "line", "reason", *keys])
        for result in results:
            for q in result.quarantine:
                writer.writerow(
                    [result.source, q.line, q.reason, *(q.values.get(k) or "" for k in keys)]
                )
                count += 1
    return count
