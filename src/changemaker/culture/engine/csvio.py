"""Read the three CSV files of ``changemaker culture report``.

UNITS.csv (the organisation chart)::

    unit,parent,name
    ORG,,Exampleton Council
    ADULTS,ORG,Adult social care

ITEMS.csv (the instrument)::

    item,scale,reverse,text
    m1,mission,0,I have a clear understanding of my council's purpose

RESPONSES.csv::

    respondent,unit,wave,grade,q_m1,q_m2,...
    r0001,ADULTS,2026,AO,4,5,...

``respondent``, ``unit`` and ``wave`` come first; every other column that is not an item of
ITEMS.csv is a breakdown column (a characteristic such as grade); each item of ITEMS.csv has
exactly one column of answers 1-5 or blank. A file is checked whole: any problem raises
:class:`CultureInputError` naming the file, line and column and what to do, and nothing is
read from it. Values are stripped of surrounding spaces; a UTF-8 byte-order mark is allowed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from .errors import Collector, CultureInputError, Problem

UNIT_COLUMNS = ("unit", "parent", "name")
ITEM_COLUMNS = ("item", "scale", "reverse", "text")
RESPONSE_KEYS = ("respondent", "unit", "wave")
_ANSWER = {"": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5}


@dataclass(frozen=True, slots=True)
class OrgChart:
    """Units in file order; ``parent[i]`` is the index of unit i's parent (-1 for the root)."""

    ids: tuple[str, ...]
    names: tuple[str, ...]
    parent: tuple[int, ...]

    @property
    def root(self) -> int:
        return self.parent.index(-1)

    def index(self) -> dict[str, int]:
        return {u: i for i, u in enumerate(self.ids)}

    def children(self) -> list[list[int]]:
        kids: list[list[int]] = [[] for _ in self.ids]
        for i, p in enumerate(self.parent):
            if p >= 0:
                kids[p].append(i)
        return kids

    def bottom_up(self) -> list[int]:
        """Every unit after all of its descendants (children before parents)."""
        kids = self.children()
        order: list[int] = []
        stack = [self.root]
        while stack:
            u = stack.pop()
            order.append(u)
            stack.extend(kids[u])
        return order[::-1]


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    scale: str
    reverse: bool
    text: str


@dataclass(frozen=True, slots=True)
class Responses:
    """One row per respondent and wave; ``answers`` holds 1-5, and 0 for a blank."""

    waves: tuple[str, ...]
    wave: npt.NDArray[np.int64]
    unit: npt.NDArray[np.int64]
    breakdowns: dict[str, tuple[tuple[str, ...], npt.NDArray[np.int64]]]
    items: tuple[str, ...]
    answers: npt.NDArray[np.uint8]


def _rows(path: Path, name: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, stripped fields) of each non-blank row, header first."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        problem = Problem(name, None, None, f"the file cannot be read: {exc.strerror}")
        raise CultureInputError([problem]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise CultureInputError(
            [Problem(name, line, None, "this line is not UTF-8 text; save the file as CSV UTF-8")]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 1
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                yield start, [f.strip() for f in fields]
            start = reader.line_num + 1
    except csv.Error as exc:
        said = f"this line is not valid CSV ({exc}); check the quotes"
        raise CultureInputError([Problem(name, reader.line_num, None, said)]) from None


def _header(
    rows: Iterator[tuple[int, list[str]]], name: str, required: tuple[str, ...], exact: bool
) -> list[str]:
    first = next(rows, None)
    if first is None:
        raise CultureInputError(
            [Problem(name, None, None, "the file is empty; it needs a header row")]
        )
    line, header = first
    problems = Collector(name)
    seen: set[str] = set()
    for col in header:
        if col in seen:
            problems.add(
                line, col, "this column appears twice in the header; give each column one name"
            )
        seen.add(col)
    if exact and header != list(required):
        problems.add(line, None, f"the header must be exactly {','.join(required)}")
    elif header[: len(required)] != list(required):
        problems.add(line, None, f"the header must start with {','.join(required)}")
    problems.raise_if_any()
    return header


def _check_width(problems: Collector, line: int, fields: list[str], width: int) -> bool:
    if len(fields) != width:
        problems.add(
            line, None, f"this line has {len(fields)} values but the header has {width} columns"
        )
        return False
    return True


def read_units(path: str | Path, name: str | None = None) -> OrgChart:
    """Read UNITS.csv: unique ids, one root (blank parent), every parent a unit, no cycle."""
    path = Path(path)
    name = name or path.name
    rows = _rows(path, name)
    _header(rows, name, UNIT_COLUMNS, exact=True)
    problems = Collector(name)
    ids: list[str] = []
    names: list[str] = []
    parents: list[tuple[int, str]] = []
    where: dict[str, int] = {}
    for line, fields in rows:
        if not _check_width(problems, line, fields, 3):
            continue
        unit, parent, label = fields
        if not unit:
            problems.add(line, "unit", "this is empty; give every unit an identifier")
            continue
        if unit in where:
            problems.add(line, "unit", f"{unit!r} is listed twice (first on line {where[unit]})")
            continue
        if not label:
            problems.add(line, "name", "this is empty; give every unit a name")
        where[unit] = line
        ids.append(unit)
        names.append(label)
        parents.append((line, parent))
    index = {u: i for i, u in enumerate(ids)}
    parent_ix: list[int] = []
    roots = []
    for i, (line, parent) in enumerate(parents):
        if parent == "":
            roots.append(line)
            parent_ix.append(-1)
        elif parent not in index:
            problems.add(line, "parent", f"{parent!r} is not a unit of this file; add it or fix it")
            parent_ix.append(-1)
        elif parent == ids[i]:
            problems.add(line, "parent", "a unit cannot be its own parent")
            parent_ix.append(-1)
        else:
            parent_ix.append(index[parent])
    if not ids:
        problems.add(None, None, "the file lists no units; add at least the whole organisation")
    elif len(roots) != 1 and not problems.problems:
        lines = ", ".join(str(x) for x in roots[:5])
        problems.add(
            roots[1] if len(roots) > 1 else None,
            "parent",
            f"there must be exactly one unit with a blank parent (the whole organisation); "
            f"found {len(roots)}" + (f" (lines {lines})" if roots else ""),
        )
    problems.raise_if_any()
    # Every unit must reach the root: a cycle never does.
    for i in range(len(ids)):
        seen = {i}
        j = parent_ix[i]
        while j >= 0:
            if j in seen:
                line = parents[i][0]
                problems.add(line, "parent", f"unit {ids[i]!r} is in a loop of parents; fix them")
                break
            seen.add(j)
            j = parent_ix[j]
        if problems.problems:
            break
    problems.raise_if_any()
    return OrgChart(tuple(ids), tuple(names), tuple(parent_ix))


def read_items(path: str | Path, name: str | None = None) -> tuple[Item, ...]:
    """Read ITEMS.csv: unique item ids, a scale each, reverse 0 or 1."""
    path = Path(path)
    name = name or path.name
    rows = _rows(path, name)
    _header(rows, name, ITEM_COLUMNS, exact=True)
    problems = Collector(name)
    items: list[Item] = []
    where: dict[str, int] = {}
    for line, fields in rows:
        if not _check_width(problems, line, fields, 4):
            continue
        item, scale, reverse, text = fields
        if not item:
            problems.add(line, "item", "this is empty; give every item an identifier")
        elif item in where:
            problems.add(line, "item", f"{item!r} is listed twice (first on line {where[item]})")
        elif item in RESPONSE_KEYS:
            problems.add(line, "item", f"{item!r} is a reserved column name; rename the item")
        if not scale:
            problems.add(line, "scale", "this is empty; say which scale (norm) the item measures")
        if reverse not in ("0", "1"):
            problems.add(line, "reverse", f"{reverse!r} must be 0 (agree is positive) or 1")
        where.setdefault(item, line)
        items.append(Item(item, scale, reverse == "1", text))
    if not items and not problems.problems:
        problems.add(None, None, "the file lists no items; add at least one")
    problems.raise_if_any()
    return tuple(items)


def read_responses(
    path: str | Path, units: OrgChart, items: tuple[Item, ...], name: str | None = None
) -> Responses:
    """Read RESPONSES.csv against the chart and the items; see the module docstring."""
    path = Path(path)
    name = name or path.name
    rows = _rows(path, name)
    header = _header(rows, name, RESPONSE_KEYS, exact=False)
    problems = Collector(name)
    missing = [it.id for it in items if it.id not in header]
    if missing:
        problems.add(
            1,
            None,
            f"the header has no column for item(s) {', '.join(missing[:10])} of the items file",
        )
        problems.raise_if_any()
    width = len(header)
    item_cols = [header.index(it.id) for it in items]
    item_ids = {it.id for it in items}
    extra = [i for i in range(3, width) if header[i] not in item_ids]
    unit_index = units.index()
    wave_of: dict[str, int] = {}
    codes: list[dict[str, int]] = [{} for _ in extra]
    wave_col: list[int] = []
    unit_col: list[int] = []
    bd_cols: list[list[int]] = [[] for _ in extra]
    answers: list[list[int]] = []
    seen: dict[tuple[int, str], int] = {}
    for line, fields in rows:
        if not _check_width(problems, line, fields, width):
            continue
        w, ok = _response_identity(problems, line, fields, unit_index, wave_of, seen)
        row, answered = _response_answers(problems, line, fields, header, item_cols)
        if not (ok and answered):
            continue
        wave_col.append(w)
        unit_col.append(unit_index[fields[1]])
        for k, c in enumerate(extra):
            bd_cols[k].append(codes[k].setdefault(fields[c], len(codes[k])))
        answers.append(row)
    problems.raise_if_any()
    breakdowns: dict[str, tuple[tuple[str, ...], npt.NDArray[np.int64]]] = {}
    for k, c in enumerate(extra):
        breakdowns[header[c]] = (tuple(codes[k]), np.asarray(bd_cols[k], dtype=np.int64))
    return Responses(
        waves=tuple(wave_of),
        wave=np.asarray(wave_col, dtype=np.int64),
        unit=np.asarray(unit_col, dtype=np.int64),
        breakdowns=breakdowns,
        items=tuple(it.id for it in items),
        answers=np.asarray(answers, dtype=np.uint8).reshape(len(answers), len(items)),
    )


def _response_identity(
    problems: Collector,
    line: int,
    fields: list[str],
    unit_index: dict[str, int],
    wave_of: dict[str, int],
    seen: dict[tuple[int, str], int],
) -> tuple[int, bool]:
    """The wave number of a response (numbered as first met) and whether its respondent, unit
    and wave are usable: given, known, and the respondent's only answer in that wave."""
    respondent, unit, wave = fields[0], fields[1], fields[2]
    ok = True
    if not respondent:
        problems.add(line, "respondent", "this is empty; give every response an identifier")
        ok = False
    if unit not in unit_index:
        problems.add(line, "unit", f"{unit!r} is not a unit of the units file; fix or add it")
        ok = False
    if not wave:
        problems.add(line, "wave", "this is empty; say which wave (e.g. 2026) the response is in")
        ok = False
    w = wave_of.setdefault(wave, len(wave_of))
    if ok:
        key = (w, respondent)
        if key in seen:
            problems.add(
                line,
                "respondent",
                f"this respondent answered wave {wave!r} twice (first on line {seen[key]}); "
                "keep one row",
            )
            ok = False
        seen[key] = line
    return w, ok


def _response_answers(
    problems: Collector, line: int, fields: list[str], header: list[str], item_cols: list[int]
) -> tuple[list[int], bool]:
    """A response's answers to the items (0: blank), and whether every one is an answer."""
    row = []
    ok = True
    answer = _ANSWER
    for c in item_cols:
        value = answer.get(fields[c])
        if value is None:
            problems.add(
                line,
                header[c],
                f"{fields[c]!r} is not an answer; write 1 to 5 (5 = strongly agree) or "
                "leave it blank",
            )
            ok = False
            value = 0
        row.append(value)
    return row, ok
