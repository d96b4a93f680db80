"""Commitments as a CSV file, for officers who plan in spreadsheets (docs/commitments-csv.md).

:func:`export_rows` gives every commitment of a council in :data:`COLUMNS` (formula-safe
through ``core.csvsafe`` when written); :func:`read` checks a whole file and gives its rows, or
raises ``InputError`` naming every problem by line, column and field with what to do. Writing
them is ``core.commitments.import_commitments`` (all or nothing). Reads only here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from changemaker.core import csvsafe
from changemaker.core.fields import parse_day
from changemaker.core.models import Council, Ward
from changemaker.core.models.commitments import Commitment
from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

COLUMNS = (
    "reference",
    "parent",
    "title",
    "title_cy",
    "description",
    "description_cy",
    "source",
    "owner",
    "ward",
    "status",
    "progress",
    "weight",
    "due",
    "published",
)
REQUIRED = ("reference", "title")
MAX_ROWS = 5000
YES, NO = ("yes", "y", "true", "1"), ("no", "n", "false", "0")
LIMITS = {"title": 200, "title_cy": 200, "source": 120, "owner": 150, "reference": 40}


@dataclass
class Row:
    """One checked line: ``existing`` is the commitment it changes (None: a new one);
    ``parent`` a reference in the file or an existing commitment's number ("" for none)."""

    line: int
    reference: str
    existing: int | None
    parent: str
    values: dict[str, Any]


def export_rows(council: Council) -> list[list[Any]]:
    """Every commitment of the council (published or not), parents first, as CSV rows."""
    rows: list[list[Any]] = [list(COLUMNS)]
    found = Commitment.objects.filter(council=council).select_related("ward").order_by("pk")
    for c in found:
        rows.append(
            [
                str(c.pk),
                "" if c.parent_id is None else str(c.parent_id),
                c.title,
                c.title_cy,
                c.description,
                c.description_cy,
                c.source,
                c.owner,
                c.ward.name if c.ward else "",
                c.status,
                c.progress,
                c.weight,
                c.due.isoformat() if c.due else "",
                "yes" if c.published else "no",
            ]
        )
    return rows


class _Checker:
    def __init__(self, council: Council, filename: str) -> None:
        self.council, self.filename = council, filename
        self.problems: list[Problem] = []
        self.wards: dict[str, list[Ward]] = {}
        for ward in Ward.objects.filter(council=council):
            self.wards.setdefault(ward.name.strip().lower(), []).append(ward)
        self.existing = set(Commitment.objects.filter(council=council).values_list("pk", flat=True))

    def problem(self, line: int | None, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.filename, line, column, message))

    def text(self, line: int, raw: dict[str, str], field: str) -> str:
        value = csvsafe.restore((raw.get(field) or "").strip())
        limit = LIMITS.get(field)
        if limit and len(value) > limit:
            self.problem(
                line,
                field,
                _("%(field)s is %(length)s characters long: shorten it to at most %(limit)s.")
                % {"field": field, "length": len(value), "limit": limit},
            )
        return value

    def number(self, line: int, raw: dict[str, str], field: str, low: int, high: int) -> int:
        value = (raw.get(field) or "").strip()
        default = 0 if field == "progress" else 1
        if not value:
            return default
        if not value.isdigit() or not low <= int(value) <= high:
            self.problem(
                line,
                field,
                _("%(field)s must be a whole number from %(low)s to %(high)s, not %(value)r.")
                % {"field": field, "low": low, "high": high, "value": value[:20]},
            )
            return default
        return int(value)

    def ward(self, line: int, raw: dict[str, str]) -> Ward | None:
        name = (raw.get("ward") or "").strip()
        if not name:
            return None
        found = self.wards.get(name.lower(), [])
        if len(found) != 1:
            self.problem(
                line,
                "ward",
                _(
                    "There is no ward called %(name)r here. Write a ward's name as the council's "
                    "ward list has it, or leave it empty."
                )
                % {"name": name[:60]},
            )
            return None
        return found[0]

    def choice(self, line: int, raw: dict[str, str]) -> str:
        value = (raw.get("status") or "").strip().lower().replace(" ", "_")
        if not value:
            return str(Commitment.Status.PLANNED)
        by_label = {
            str(label).lower().replace(" ", "_"): key for key, label in Commitment.Status.choices
        }
        found = value if value in Commitment.Status.values else by_label.get(value)
        if found is None:
            self.problem(
                line,
                "status",
                _("status must be one of %(choices)s, not %(value)r.")
                % {"choices": ", ".join(Commitment.Status.values), "value": value[:20]},
            )
            return str(Commitment.Status.PLANNED)
        return str(found)

    def day(self, line: int, raw: dict[str, str]) -> date | None:
        value = (raw.get("due") or "").strip()
        if not value:
            return None
        day = parse_day(value)
        if day is None:
            self.problem(
                line,
                "due",
                _("due must be a date like 2027-03-27 or 27/03/2027, not %(value)r.")
                % {"value": value[:20]},
            )
        return day

    def flag(self, line: int, raw: dict[str, str]) -> bool:
        value = (raw.get("published") or "").strip().lower()
        if value in YES or not value:
            return True
        if value not in NO:
            self.problem(
                line,
                "published",
                _("published must be yes or no, not %(value)r.") % {"value": value[:20]},
            )
        return False

    def source(self, line: int, raw: dict[str, str]) -> str:
        value = self.text(line, raw, "source")
        label, sep, ident = value.partition(":")
        if value and (
            not sep or not ident.isdigit() or not label.replace("_", "").replace(".", "").isalnum()
        ):
            self.problem(
                line,
                "source",
                _(
                    "source must be a key like ward:3 or app.idea:12 (copy it from the "
                    "commitment's form), or be left empty, not %(value)r."
                )
                % {"value": value[:40]},
            )
        return value

    def reference(
        self, line: int, raw: dict[str, str], seen: dict[str, int]
    ) -> tuple[str, int | None]:
        ref = self.text(line, raw, "reference")
        existing = None
        if ref.isdigit():
            if int(ref) not in self.existing:
                self.problem(
                    line,
                    "reference",
                    _(
                        "There is no commitment number %(ref)s here. To add a new commitment, "
                        "give it a reference that is not a number, like NEW-1."
                    )
                    % {"ref": ref},
                )
            else:
                existing = int(ref)
        if ref in seen:
            self.problem(
                line,
                "reference",
                _("Reference %(ref)s is also on line %(other)s: give each line its own.")
                % {"ref": ref, "other": seen[ref]},
            )
        seen.setdefault(ref, line)
        return ref, existing

    def row(self, line: int, raw: dict[str, str], seen: dict[str, int]) -> Row:
        for field in REQUIRED:
            if not (raw.get(field) or "").strip():
                self.problem(line, field, _("%(field)s is empty: fill it in.") % {"field": field})
        ref, existing = self.reference(line, raw, seen)
        ward = self.ward(line, raw)
        values = {
            "title": self.text(line, raw, "title"),
            "title_cy": self.text(line, raw, "title_cy"),
            "description": self.text(line, raw, "description"),
            "description_cy": self.text(line, raw, "description_cy"),
            "source": self.source(line, raw),
            "owner": self.text(line, raw, "owner"),
            "ward": ward,
            "status": self.choice(line, raw),
            "progress": self.number(line, raw, "progress", 0, 100),
            "weight": self.number(line, raw, "weight", 1, 1000),
            "due": self.day(line, raw),
            "published": self.flag(line, raw),
        }
        parent = csvsafe.restore((raw.get("parent") or "").strip())
        return Row(line, ref, existing, parent, values)


def _parents(checker: _Checker, rows: list[Row]) -> None:
    """Every parent names a line of the file or an existing commitment, not itself, and the
    file's parent links make no loop."""
    refs = {r.reference: r for r in rows}
    for row in rows:
        if not row.parent:
            continue
        if row.parent == row.reference:
            checker.problem(row.line, "parent", _("A commitment cannot be its own parent."))
        elif row.parent not in refs and not (
            row.parent.isdigit() and int(row.parent) in checker.existing
        ):
            checker.problem(
                row.line,
                "parent",
                _(
                    "parent %(ref)r is not a reference in this file nor a commitment's number "
                    "here. Use the reference of the commitment it belongs to, or leave it empty."
                )
                % {"ref": row.parent[:40]},
            )
    for row in rows:
        seen, node = {row.reference}, row
        while node.parent in refs and node.parent != node.reference:
            node = refs[node.parent]
            if node.reference in seen:
                checker.problem(
                    row.line,
                    "parent",
                    _(
                        "The parents go round in a loop (back to %(ref)s): a commitment cannot "
                        "belong to one of the commitments under it."
                    )
                    % {"ref": node.reference},
                )
                break
            seen.add(node.reference)


def read(text: str, council: Council, filename: str) -> list[Row]:
    """The file's rows, checked whole, or InputError naming every problem found."""
    checker = _Checker(council, filename)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or not header:
        checker.problem(
            1,
            None,
            _(
                "The first line must name the columns; %(missing)s missing. The columns are: "
                "%(columns)s."
            )
            % {"missing": ", ".join(missing or REQUIRED), "columns": ", ".join(COLUMNS)},
        )
    for name in unknown:
        checker.problem(
            1,
            name,
            _("Unknown column %(name)r: rename it to one of %(columns)s, or remove it.")
            % {"name": name[:40], "columns": ", ".join(COLUMNS)},
        )
    rows: list[Row] = []
    seen: dict[str, int] = {}
    if not checker.problems:
        try:
            for raw in reader:
                if len(rows) >= MAX_ROWS:
                    checker.problem(
                        reader.line_num,
                        None,
                        _(
                            "The file has more than %(max)s commitments: split it into smaller "
                            "files."
                        )
                        % {"max": MAX_ROWS},
                    )
                    break
                if None in raw:
                    checker.problem(
                        reader.line_num,
                        None,
                        _(
                            "This line has more cells than the first line has columns. Check "
                            "for a comma in a cell that is not in quotes."
                        ),
                    )
                    continue
                if not any((v or "").strip() for v in raw.values()):
                    continue
                rows.append(checker.row(reader.line_num, raw, seen))
        except csv.Error as exc:
            checker.problem(
                reader.line_num,
                None,
                _(
                    "The file is not a well-formed CSV here (%(error)s). Save it as CSV UTF-8 "
                    "from the spreadsheet and try again."
                )
                % {"error": str(exc)[:80]},
            )
        if not rows and not checker.problems:
            checker.problem(None, None, _("The file has no commitments in it."))
    _parents(checker, rows)
    if checker.problems:
        found = checker.problems
        raise InputError(found[:MAX_PROBLEMS], max(0, len(found) - MAX_PROBLEMS))
    return rows


def write(rows: list[list[Any]]) -> str:
    """Rows as formula-safe CSV text."""
    out = io.StringIO()
    csvsafe.writer(out).writerows(rows)
    return out.getvalue()
