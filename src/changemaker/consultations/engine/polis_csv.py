"""CSV reading for the Polis export format: decoding, error locations and the validated table."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from .errors import PolisFormatError, PolisFormatWarning

_MAX_ID = 2**53
_ID_RE = re.compile(r"[0-9]{1,16}")
_INT_RE = re.compile(r"-?[0-9]{1,18}")
_FLAGS = {"": False, "0": False, "1": True, "false": False, "true": True, "f": False, "t": True}


def _read_text(path: Path) -> str:
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise PolisFormatError(name, 0, "", "file not found") from None
    except OSError as exc:
        raise PolisFormatError(name, 0, "", f"cannot read file: {exc.strerror}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("utf-8-sig", errors="replace")
        pos = len(raw[: exc.start].decode("utf-8-sig", errors="replace"))
        line, column = _locate(text, pos)
        raise PolisFormatError(name, line, column, "not valid UTF-8 text") from None


def _locate(text: str, pos: int) -> tuple[int, str]:
    """(line, column name) of character ``pos``, naming the column from the header row
    (by counting commas on that line; quoted commas can make it approximate)."""
    line = text.count("\n", 0, pos) + 1
    start = text.rfind("\n", 0, pos) + 1
    index = text.count(",", start, pos)
    header = [h.strip() for h in text.split("\n", 1)[0].split(",")]
    if line > 1 and index < len(header) and header[index]:
        return line, header[index]
    return line, f"field {index + 1}"


def _line_offset(text: str, line: int) -> int:
    """Offset of the start of 1-based ``line`` (or the end of the text)."""
    pos = 0
    for _ in range(line - 1):
        nxt = text.find("\n", pos)
        if nxt < 0:
            return len(text)
        pos = nxt + 1
    return pos


def _records(name: str, text: str) -> Iterator[tuple[int, list[str]]]:
    """Yield (first line number, fields) for each non-empty CSV record."""
    if "\x00" in text:
        line, column = _locate(text, text.index("\x00"))
        raise PolisFormatError(name, line, column, "contains a NUL character")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            end = _line_offset(text, reader.line_num + 1)
            _, column = _locate(text, max(end - 1, 0))
            raise PolisFormatError(name, start, column, f"malformed CSV ({exc})") from None
        if row == [] or row == [""]:
            continue
        yield start, row


class _Table:
    """A CSV file with a header; hands out validated fields."""

    def __init__(self, name: str, text: str, required: Sequence[str]) -> None:
        self.name = name
        self.rows = _records(name, text)
        try:
            _, header = next(self.rows)
        except StopIteration:
            raise PolisFormatError(
                name,
                1,
                required[0] if required else "header",
                "empty file: a header row is required",
            ) from None
        self.header = [h.strip() for h in header]
        seen: set[str] = set()
        for i, h in enumerate(self.header):
            if h in seen:
                raise PolisFormatError(name, 1, self.label(i), "duplicate column")
            if h:  # unnamed columns are all unknown (see ignore_unknown), not duplicates
                seen.add(h)
        for col in required:
            if col not in seen:
                raise PolisFormatError(name, 1, col, "missing required column")
        self.index = {h: i for i, h in enumerate(self.header)}

    def label(self, i: int) -> str:
        """Name of column ``i`` for messages (its header, or "field N" when unnamed)."""
        h = self.header[i] if i < len(self.header) else ""
        return h or f"field {i + 1}"

    def __iter__(self) -> Iterator[tuple[int, list[str]]]:
        width = len(self.header)
        for line, row in self.rows:
            if len(row) != width:
                col = self.label(min(len(row), width - 1))
                raise PolisFormatError(
                    self.name, line, col, f"expected {width} fields, found {len(row)}"
                )
            yield line, row

    def error(self, line: int, col: str, message: str) -> PolisFormatError:
        return PolisFormatError(self.name, line, col, message)

    def ignored(self, i: int, warnings: list[PolisFormatWarning] | None) -> None:
        """Column ``i`` is left out of the import: say so."""
        if warnings is not None:
            what = "an unnamed column" if not self.header[i] else "not a Polis column"
            warnings.append(
                PolisFormatWarning(self.name, self.label(i), f"{what}; left out of the import")
            )

    def ignore_unknown(
        self, known: frozenset[str], warnings: list[PolisFormatWarning] | None
    ) -> None:
        for i, h in enumerate(self.header):
            if h not in known:
                self.ignored(i, warnings)

    def get(self, row: list[str], col: str) -> str:
        i = self.index.get(col)
        return "" if i is None else row[i].strip()

    def ident(self, line: int, row: list[str], col: str, *, optional: bool = False) -> int | None:
        value = self.get(row, col)
        if value == "" and optional:
            return None
        if not _ID_RE.fullmatch(value) or int(value) >= _MAX_ID:
            raise self.error(line, col, f"expected a non-negative integer id, found {value!r}")
        return int(value)

    def flag(self, line: int, row: list[str], col: str) -> bool:
        """A yes/no column: 0/1 (classic), true/false (2023 export), t/f (PostgreSQL)."""
        value = self.get(row, col)
        flag = _FLAGS.get(value.lower())
        if flag is None:
            raise self.error(line, col, f"expected 0 or 1, found {value!r}")
        return flag

    def integer(self, line: int, row: list[str], col: str, *, optional: bool = False) -> int | None:
        value = self.get(row, col)
        if value == "" and optional:
            return None
        if not _INT_RE.fullmatch(value):
            raise self.error(line, col, f"expected an integer, found {value!r}")
        return int(value)
