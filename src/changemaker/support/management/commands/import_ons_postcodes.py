"""Load postcode centres from the ONS Postcode Directory (ONSPD) CSV, or the demo table.

Reads the columns ``pcds`` (or ``pcd``), ``lat``, ``long`` and, when present, ``osward``
and ``doterm``. Terminated postcodes and those without a grid reference (lat 99.999999)
are skipped. Any bad row stops the import with the file, line and column, and nothing
is written.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from changemaker.core.fields import normalise_postcode
from changemaker.support import actions

NO_GRID = 99.999999
WARD_CODE = re.compile(r"^[EWSNLM]\d{8}$")
MAX_ERRORS = 20


class PostcodeFileError(ValueError):
    """Bad rows: each message names the file, line and column."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_onspd(
    lines: Iterable[str], *, source: str, areas: frozenset[str] = frozenset()
) -> tuple[list[tuple[str, float, float, str]], int]:
    """Rows to import and how many were skipped; raises PostcodeFileError on bad input."""
    reader = csv.DictReader(iter(lines))
    columns = [c.strip().lower() for c in reader.fieldnames or []]
    reader.fieldnames = columns
    key: str | None = "pcds" if "pcds" in columns else "pcd" if "pcd" in columns else None
    missing = [c for c in ("lat", "long") if c not in columns]
    if key is None:
        missing.insert(0, "pcds")
    if missing or key is None:
        raise PostcodeFileError(
            [f"{source}, line 1: missing column(s) {', '.join(missing)} in the header"]
        )
    rows: list[tuple[str, float, float, str]] = []
    problems: list[str] = []
    skipped = 0
    for line, row in _numbered(reader):
        if None in row:
            problems.append(f"{source}, line {line}: more values than columns in the header")
            continue
        raw = (row.get(key) or "").strip()
        if areas and _area(raw) not in areas:
            continue
        if (row.get("doterm") or "").strip():
            skipped += 1
            continue
        postcode = normalise_postcode(raw)
        if postcode is None:
            problems.append(f"{source}, line {line}, column {key}: {raw!r} is not a postcode")
        lat = _number(row.get("lat"), source, line, "lat", -90, 90, problems)
        lon = _number(row.get("long"), source, line, "long", -180, 180, problems)
        ward = (row.get("osward") or "").strip().upper()
        if ward and not WARD_CODE.match(ward):
            problems.append(
                f"{source}, line {line}, column osward: {ward!r} is not an ONS ward code"
            )
        if len(problems) >= MAX_ERRORS:
            break
        if postcode is None or lat is None or lon is None:
            continue
        if lat == NO_GRID:
            skipped += 1
            continue
        rows.append((postcode, lat, lon, ward))
    if problems:
        raise PostcodeFileError(problems)
    return rows, skipped


def _numbered(reader: csv.DictReader[str]) -> Iterator[tuple[int, dict[str, Any]]]:
    for row in reader:
        yield reader.line_num, row


def _area(raw: str) -> str:
    return "".join(ch for ch in raw[:2].upper() if ch.isalpha())


def _number(
    raw: Any, source: str, line: int, column: str, low: float, high: float, problems: list[str]
) -> float | None:
    text = (raw or "").strip()
    try:
        value = float(text)
    except ValueError:
        problems.append(f"{source}, line {line}, column {column}: {text!r} is not a number")
        return None
    if value == NO_GRID and column == "lat":
        return value
    if not (math.isfinite(value) and low <= value <= high):
        problems.append(
            f"{source}, line {line}, column {column}: {text} is not between {low} and {high}"
        )
        return None
    return value


class Command(BaseCommand):
    help = "Import postcode centres from an ONS Postcode Directory CSV (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("csv", type=Path, help="ONSPD CSV file (or the demo table)")
        parser.add_argument(
            "--areas",
            default="",
            help="Only these postcode areas, comma-separated, like EX,TQ (saves memory)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["csv"]
        areas = frozenset(a.strip().upper() for a in options["areas"].split(",") if a.strip())
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                rows, skipped = parse_onspd(handle, source=path.name, areas=areas)
        except OSError as exc:
            raise CommandError(f"Cannot read {path.name}: {exc.strerror}") from exc
        except UnicodeDecodeError as exc:
            raise CommandError(f"{path.name} is not UTF-8 text") from exc
        except PostcodeFileError as exc:
            raise CommandError(f"{exc}\nNothing was imported. Fix the file and run again.") from exc
        count = actions.import_postcodes(rows, source=path.name)
        self.stdout.write(
            f"Imported {count} postcodes ({skipped} terminated or without a grid reference skipped)"
        )
