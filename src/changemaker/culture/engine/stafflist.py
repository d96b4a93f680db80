"""Read the staff list a survey lead uploads to invite people to a wave.

STAFF.csv::

    email,unit,manager,language
    ali@exampleton.example,ADULTS,yes,cy
    bo@exampleton.example,ADULTS-OT,,

``email`` and ``unit`` (a unit of the wave's organisation chart) are required; ``manager`` and
``language`` are optional columns, in either order: ``manager`` ``yes`` names the person as a
manager of that unit (they may then see the results of its subtree); ``language`` is the
language the person asked to hear from the council in (``cy``/Welsh/Cymraeg or
``en``/English/Saesneg), blank when not known (their invitation then comes in both). The file
is checked whole, like the other readers (``csvio``): any problem raises
:class:`CultureInputError` with the file, line and column and what to do.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from .csvio import _check_width, _header, _rows
from .errors import Collector

STAFF_COLUMNS = ("email", "unit")
OPTIONAL_COLUMNS = ("manager", "language")
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$")
_YES = {"yes", "y", "1", "true"}
_NO = {"", "no", "n", "0", "false"}
#: What the language column may say -> "cy" or "en" ("" when not known).
LANGUAGES = {"": "", "cy": "cy", "welsh": "cy", "cymraeg": "cy", "en": "en", "english": "en",
             "saesneg": "en"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class StaffMember:
    line: int
    email: str
    unit: str
    manager: bool
    language: str = ""  # "cy", "en" or "" (not known)


def read_staff(
    path: str | Path, units: Collection[str], name: str | None = None
) -> tuple[StaffMember, ...]:
    """Read STAFF.csv against the unit ids of the chart; emails are lower-cased and unique."""
    path = Path(path)
    name = name or path.name
    rows = _rows(path, name)
    header = _header(rows, name, STAFF_COLUMNS, exact=False)
    problems = Collector(name)
    extra = header[2:]
    if not set(extra) <= set(OPTIONAL_COLUMNS):
        problems.add(
            1, None, "the header must be email,unit and, if you like, manager and language"
        )
        problems.raise_if_any()
    column = {name: header.index(name) for name in extra}
    staff: list[StaffMember] = []
    where: dict[str, int] = {}
    for line, fields in rows:
        if not _check_width(problems, line, fields, len(header)):
            continue
        email, unit = fields[0].lower(), fields[1]
        manager = fields[column["manager"]].lower() if "manager" in column else ""
        language = fields[column["language"]].lower() if "language" in column else ""
        if not _EMAIL.match(email):
            problems.add(line, "email", "this is not an email address, like name@example.com")
        elif email in where:
            problems.add(
                line, "email", f"this address is listed twice (first on line {where[email]})"
            )
        if unit not in units:
            problems.add(line, "unit", f"{unit!r} is not a unit of the organisation chart")
        if manager not in _YES | _NO:
            problems.add(line, "manager", f"{manager!r} must be yes or left blank")
        if language not in LANGUAGES:
            problems.add(line, "language", f"{language!r} must be cy, en or left blank")
        where.setdefault(email, line)
        staff.append(StaffMember(line, email, unit, manager in _YES, LANGUAGES.get(language, "")))
    if not staff and not problems.problems:
        problems.add(None, None, "the file lists nobody; add a line for each member of staff")
    problems.raise_if_any()
    return tuple(staff)
