"""The data an analysis reads: named columns, from a CSV file or from memory.

:func:`read_table` reads a CSV file (header row, then one row per observation) into a
:class:`Table` of text columns; ``Table(mapping)`` wraps columns already in memory (a dict of
lists or arrays, or a pandas DataFrame: anything with ``name in data`` and ``data[name]``).
Columns are converted only when a design asks for them, and every value that cannot be used is
reported with the file, the line and the column, and what to do, before anything is computed.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .errors import InputError, Problem

MAX_PROBLEMS = 20
FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


class Table:
    """Named columns of equal length; ``source`` names the file in error messages."""

    def __init__(
        self, columns: Mapping[str, Any] | Any, *, source: str = "data", first_line: int = 2
    ) -> None:
        names = [str(name) for name in columns]
        self._columns: dict[str, NDArray[Any]] = {}
        for name in names:
            values = columns[name]
            array = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values)
            self._columns[name] = array
        lengths = {len(a) for a in self._columns.values()}
        if len(lengths) > 1:
            raise InputError([Problem(source, None, None, "columns have different lengths")])
        self.n_rows = lengths.pop() if lengths else 0
        self.source = source
        self.first_line = first_line  # the file line of row 0 (2: after the header)
        self.line_numbers: list[int] | None = None  # the file line of each row, when read

    @property
    def names(self) -> list[str]:
        return list(self._columns)

    def _line(self, row: int) -> int:
        if self.line_numbers is not None:
            return self.line_numbers[row]
        return self.first_line + row

    def require(self, names: Iterable[str]) -> None:
        """Raise naming every missing column (and the columns there are) at once."""
        missing = [n for n in names if n not in self._columns]
        if missing:
            have = ", ".join(self.names) or "none"
            raise InputError(
                [
                    Problem(
                        self.source,
                        None,
                        name,
                        f"there is no column {name!r} (the columns are: {have}); "
                        "rename the column in the file or give the right name",
                    )
                    for name in missing
                ]
            )
        if self.n_rows == 0:
            raise InputError([Problem(self.source, None, None, "the table has no rows of data")])

    def numbers(self, name: str, *, what: str = "a number") -> FloatArray:
        """The column as floats; every empty or non-numeric cell is reported."""
        self.require([name])
        raw = self._columns[name]
        try:
            values = raw.astype(np.float64)
        except (ValueError, TypeError):
            values = None
        if values is not None and bool(np.isfinite(values).all()):
            return values
        problems: list[Problem] = []
        more = 0
        out = np.empty(len(raw), dtype=np.float64)
        for row, cell in enumerate(raw.tolist()):
            text = "" if cell is None else str(cell).strip()
            try:
                number = float(text)
            except ValueError:
                number = math.nan
            if math.isfinite(number):
                out[row] = number
                continue
            if len(problems) >= MAX_PROBLEMS:
                more += 1
                continue
            shown = "an empty cell" if text in ("", "nan", "None") else repr(text)
            problems.append(
                Problem(
                    self.source,
                    self._line(row),
                    name,
                    f"{shown} is not {what}; write {what} like 12 or 3.5 in every row "
                    "(or leave the row out)",
                )
            )
        raise InputError(problems, more)

    def binary(self, name: str) -> NDArray[np.bool_]:
        """A 0/1 column (also true/false, yes/no) as booleans."""
        self.require([name])
        truth = {"1": True, "0": False, "1.0": True, "0.0": False, "true": True, "false": False}
        truth |= {"yes": True, "no": False}
        raw = self._columns[name]
        if raw.dtype == np.bool_:
            return raw.astype(np.bool_)
        if raw.dtype.kind in "iuf" and np.isin(raw, (0, 1)).all():
            return raw.astype(np.bool_)
        return self._lookup(
            name, truth, np.bool_, "{cell} is not 0 or 1; write 1 for yes and 0 for no"
        )

    def labels(self, name: str) -> tuple[IntArray, list[str]]:
        """Codes 0..L-1 of a column of identifiers, and the identifiers (as text)."""
        self.require([name])
        raw = self._columns[name]
        if raw.dtype.kind in "iub":
            levels, codes = np.unique(raw, return_inverse=True)
            return codes.astype(np.int64), [str(x) for x in levels.tolist()]
        text = np.asarray([("" if c is None else str(c).strip()) for c in raw.tolist()], dtype=str)
        if raw.dtype.kind == "f":
            text = np.asarray([_float_text(float(c)) for c in raw.tolist()], dtype=str)
        empty = np.flatnonzero((text == "") | (text == "nan"))
        if len(empty):
            raise InputError(
                [
                    Problem(
                        self.source,
                        self._line(int(r)),
                        name,
                        "is empty; give every row an identifier",
                    )
                    for r in empty[:MAX_PROBLEMS]
                ],
                max(0, len(empty) - MAX_PROBLEMS),
            )
        levels, codes = np.unique(text, return_inverse=True)
        return codes.astype(np.int64), [str(x) for x in levels.tolist()]

    def periods(self, name: str) -> tuple[IntArray, list[float] | list[str]]:
        """Codes of an ordered column (time): by number when every value is one, else by text
        (ISO dates such as 2026-04 sort correctly as text)."""
        self.require([name])
        raw = self._columns[name]
        try:
            values = raw.astype(np.float64)
            numeric = bool(np.isfinite(values).all())
        except (ValueError, TypeError):
            numeric = False
        if numeric:
            levels, codes = np.unique(values, return_inverse=True)
            return codes.astype(np.int64), [float(x) for x in levels.tolist()]
        return self.labels(name)

    def choice(self, name: str, allowed: Sequence[str]) -> IntArray:
        """The index in ``allowed`` of every cell (case-insensitive)."""
        self.require([name])
        index = {a.lower(): i for i, a in enumerate(allowed)}
        return self._lookup(
            name,
            index,
            np.int64,
            "{cell} is not one of " + ", ".join(allowed) + "; use one of those",
        )

    def _lookup(
        self, name: str, table: Mapping[str, Any], dtype: Any, message: str
    ) -> NDArray[Any]:
        """Every cell of a column through ``table`` (trimmed, lower case); the cells it does not
        hold are the problems, each with ``message`` (``{cell}`` is the cell as written)."""
        raw = self._columns[name]
        out = np.empty(len(raw), dtype=dtype)
        problems: list[Problem] = []
        more = 0
        for row, cell in enumerate(raw.tolist()):
            key = str(cell).strip().lower()
            if key in table:
                out[row] = table[key]
            elif len(problems) < MAX_PROBLEMS:
                text = message.replace("{cell}", repr(str(cell)))
                problems.append(Problem(self.source, self._line(row), name, text))
            else:
                more += 1
        if problems:
            raise InputError(problems, more)
        return out

    def without_empty(self, name: str) -> tuple[Table, int]:
        """A copy without the rows whose ``name`` cell is empty (e.g. counts suppressed at
        the source, treated as missing), and how many rows went. Line numbers are kept."""
        self.require([name])
        raw = self._columns[name]
        empty = np.array([c is None or str(c).strip() in ("", "nan") for c in raw.tolist()])
        keep = np.flatnonzero(~empty) if len(raw) else np.zeros(0, dtype=np.int64)
        out = Table({k: v[keep] for k, v in self._columns.items()}, source=self.source)
        out.line_numbers = [self._line(int(r)) for r in keep]
        return out, int(empty.sum())

    def problem(
        self, message: str, *, column: str | None = None, row: int | None = None
    ) -> InputError:
        """An error about this table (for checks made by a design)."""
        line = None if row is None else self._line(row)
        return InputError([Problem(self.source, line, column, message)])


def _float_text(x: float) -> str:
    if math.isnan(x):
        return ""
    return str(int(x)) if x.is_integer() else repr(x)


def read_table(path: str | Path) -> Table:
    """Read a CSV file with a header row. Blank lines are skipped; every row must have as many
    cells as the header."""
    name = str(path)
    try:
        handle = open(path, newline="", encoding="utf-8-sig")  # noqa: SIM115
    except OSError as exc:
        raise InputError(
            [Problem(name, None, None, f"cannot be opened ({exc.strerror})")]
        ) from None
    with handle:
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            raise InputError(
                [Problem(name, None, None, "is empty; the first line must name the columns")]
            ) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError([Problem(name, 1, None, f"cannot be read as CSV ({exc})")]) from None
        header = [h.strip() for h in header]
        problems: list[Problem] = []
        seen: set[str] = set()
        for h in header:
            if not h:
                problems.append(Problem(name, 1, None, "a column has no name; name every column"))
            elif h in seen:
                problems.append(Problem(name, 1, h, "appears twice; give each column one name"))
            seen.add(h)
        if problems:
            raise InputError(problems)
        width = len(header)
        rows: list[list[str]] = []
        lines: list[int] = []
        more = 0
        try:
            for row in reader:
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if len(row) != width:
                    if len(problems) < MAX_PROBLEMS:
                        problems.append(
                            Problem(
                                name,
                                reader.line_num,
                                None,
                                f"has {len(row)} cells but the header names {width} columns; "
                                "give every row one cell per column",
                            )
                        )
                    else:
                        more += 1
                    continue
                rows.append(row)
                lines.append(reader.line_num)
        except (csv.Error, UnicodeDecodeError) as exc:
            raise InputError(
                [Problem(name, reader.line_num, None, f"cannot be read as CSV ({exc})")]
            ) from None
    if problems:
        raise InputError(problems, more)
    columns = {h: [r[i].strip() for r in rows] for i, h in enumerate(header)}
    table = Table(columns, source=name)
    table.line_numbers = lines
    return table
