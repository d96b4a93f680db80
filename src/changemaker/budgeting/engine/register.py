"""Read a council's residents register (an electoral register or council tax extract, as CSV).

::

    name,date_of_birth,postcode,reference
    Riya Resident,1990-01-01,EX1 1AA,EL-0001

Columns are matched case-insensitively (``dob`` and ``date of birth`` for the date, ``surname``
or ``last_name`` instead of ``name``); extra columns are ignored; ``reference`` is optional.
A byte-order mark, CRLF line ends and blank lines are fine. The whole file is checked and every
problem (up to a limit) is reported with the file, line, column and field, what is wrong and
what to do; a file with any problem yields nothing. Messages never repeat a value from the
file: the register is personal data.

Only what matching needs comes out: the surname, the date of birth and the postcode, each
normalised the way :func:`match_key` normalises what a resident types.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

EARLIEST_BIRTH = dt.date(1880, 1, 1)
MAX_ROWS = 1_000_000
MAX_REFERENCE = 40
POSTCODE = re.compile(r"[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y")
_ALIASES = {
    "name": ("name", "full_name", "surname", "last_name", "family_name"),
    "date_of_birth": ("date_of_birth", "dob", "born", "birth_date"),
    "postcode": ("postcode", "post_code", "postal_code"),
    "reference": ("reference", "ref", "elector_number", "account"),
}
REQUIRED = ("name", "date_of_birth", "postcode")


@dataclass(frozen=True, slots=True)
class RegisterRow:
    """One resident, reduced to what matching needs (personal: do not log)."""

    line: int
    surname: str
    born: dt.date
    postcode: str


def normalise_surname(name: str) -> str:
    """The last word of a name, in lower case, without accents, hyphens or apostrophes:
    "Mary O'Neill-Smith" and "o'neill-smith" both give "oneillsmith"."""
    words = name.replace(",", " ").split()
    last = words[-1] if words else ""
    plain = unicodedata.normalize("NFKD", last).casefold()
    return "".join(ch for ch in plain if ch.isalnum())


def normalise_postcode(postcode: str) -> str:
    """Upper case with no spaces: "ex1 1aa" -> "EX11AA"."""
    return "".join(postcode.upper().split())


def match_key(surname: str, born: dt.date, postcode: str) -> str:
    """The text that is hashed for matching: normalised surname, date of birth and postcode."""
    return f"{normalise_surname(surname)}|{born.isoformat()}|{normalise_postcode(postcode)}"


def parse_date(value: str) -> dt.date | None:
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _columns(header: list[str]) -> dict[str, int]:
    names = [h.strip().lower().replace(" ", "_") for h in header]
    found: dict[str, int] = {}
    for field, aliases in _ALIASES.items():
        for alias in aliases:
            if alias in names:
                found[field] = names.index(alias)
                break
    return found


class _Problems:
    """The problems found so far: the first MAX_PROBLEMS kept, the rest counted."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.found: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        if len(self.found) < MAX_PROBLEMS:
            self.found.append(Problem(self.source, line, column, message))
        else:
            self.more += 1


def _header(reader: Iterator[list[str]], source: str) -> dict[str, int]:
    """The columns the header row names, or InputError if it lacks one we need."""
    try:
        header = next(reader, None)
    except csv.Error:
        header = None
    if not header or not any(h.strip() for h in header):
        raise InputError(
            [
                Problem(
                    source,
                    1,
                    None,
                    "has no header row; the first line must name the columns "
                    "name, date_of_birth, postcode (and optionally reference)",
                )
            ]
        )
    columns = _columns(header)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputError(
            [Problem(source, 1, c, "column is missing; add it to the header row") for c in missing]
        )
    return columns


def _reference_ok(
    values: list[str],
    line: int,
    columns: dict[str, int],
    references: dict[str, int],
    problems: _Problems,
) -> bool:
    """An optional reference is short and used once in the file (remembered when new)."""
    if "reference" not in columns or len(values) <= columns["reference"]:
        return True
    reference = values[columns["reference"]].strip()
    if len(reference) > MAX_REFERENCE:
        problems.add(line, "reference", f"is longer than {MAX_REFERENCE} characters")
        return False
    if reference and reference in references:
        problems.add(
            line,
            "reference",
            f"repeats the reference on line {references[reference]}; "
            "each resident must appear once",
        )
        return False
    if reference:
        references[reference] = line
    return True


def _row(
    values: list[str],
    line: int,
    columns: dict[str, int],
    today: dt.date,
    references: dict[str, int],
    problems: _Problems,
) -> RegisterRow | None:
    """One resident from a line, or None with its problems added (every field checked)."""
    name = values[columns["name"]].strip()
    born_text = values[columns["date_of_birth"]].strip()
    postcode = normalise_postcode(values[columns["postcode"]])
    bad = False
    if not normalise_surname(name):
        problems.add(line, "name", "is empty; give the resident's name")
        bad = True
    born = parse_date(born_text)
    if born is None:
        problems.add(line, "date_of_birth", "is not a date; write it like 1974-01-31 or 31/01/1974")
        bad = True
    elif not EARLIEST_BIRTH <= born <= today:
        problems.add(line, "date_of_birth", "is not a possible date of birth; check the year")
        bad = True
    if not POSTCODE.fullmatch(postcode):
        problems.add(line, "postcode", "is not a UK postcode; write it like EX1 1AA")
        bad = True
    if not _reference_ok(values, line, columns, references, problems):
        bad = True
    if bad or born is None:
        return None
    return RegisterRow(line, normalise_surname(name), born, postcode)


def parse_register(text: str, *, source: str = "register.csv", today: dt.date) -> list[RegisterRow]:
    """Every resident in the file, or :class:`InputError` listing every problem."""
    problems = _Problems(source)
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise InputError([Problem(source, None, None, "is not a CSV text file; save it as CSV")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    columns = _header(reader, source)
    rows: list[RegisterRow] = []
    references: dict[str, int] = {}
    width = max(columns.values()) + 1
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(rows) >= MAX_ROWS:
                problems.add(
                    line, None, f"the file has more than {MAX_ROWS} rows; split it by ward"
                )
                break
            if len(values) < width:
                problems.add(line, None, f"has {len(values)} values but the header needs {width}")
                continue
            row = _row(values, line, columns, today, references, problems)
            if row is not None:
                rows.append(row)
    except csv.Error as exc:
        problems.add(reader.line_num, None, f"cannot be read as CSV ({exc}); check its quotes")
    if problems.found:
        raise InputError(problems.found, problems.more)
    if not rows:
        raise InputError([Problem(source, None, None, "has no residents; nothing to import")])
    return rows
