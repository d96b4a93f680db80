"""Read and write Pabulib ``.pb`` files (https://pabulib.org/format).

A file has three sections, each a ``;``-separated table with a header row:

- ``META`` (``key;value``): ``budget`` and ``vote_type`` are required;
- ``PROJECTS``: ``project_id`` and ``cost`` are required, every other column is kept;
- ``VOTES``: ``voter_id`` and ``vote`` are required, ``points`` for cumulative/scoring ballots.

Fields may be quoted (``"a;b"``, ``""`` for a quote). Every problem raises
:class:`~changemaker.budgeting.engine.errors.PabulibError` naming the line and the fix.
``choose-1`` ballots are read as approval ballots. Identical ballots are merged.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import cast

from changemaker.budgeting.engine.build import merge_ballots as merge_ballots  # re-exported
from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import (
    VOTE_TYPES,
    Election,
    Project,
    VoteType,
)
from changemaker.budgeting.engine.pabulib_fields import (
    MAX_NUMBER_LENGTH as MAX_NUMBER_LENGTH,  # re-exported: callers use pabulib.X
)
from changemaker.budgeting.engine.pabulib_fields import _number, _shown
from changemaker.budgeting.engine.pabulib_votes import BulkVotes, Layout, PreciseVotes
from changemaker.budgeting.engine.pabulib_write import (  # re-exported: callers use pabulib.X
    election_to_pabulib as election_to_pabulib,
)
from changemaker.budgeting.engine.pabulib_write import write_pabulib as write_pabulib

_SECTIONS = ("meta", "projects", "votes")


class _Lines:
    """The lines of ``text`` as ``open(..., newline="")`` gives them (ending in ``\\n``,
    ``\\r\\n`` or ``\\r``), without copying the text; ``tell()`` is the position reached."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def tell(self) -> int:
        return self.pos

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        text, pos = self.text, self.pos
        if pos >= len(text):
            raise StopIteration
        nl = text.find("\n", pos)
        cr = text.find("\r", pos, len(text) if nl < 0 else nl)
        if cr < 0:
            end = len(text) if nl < 0 else nl + 1
        elif cr + 1 == nl:
            end = nl + 1  # \r\n
        else:
            end = cr + 1
        self.pos = end
        return text[pos:end]


class _Reader:
    """csv.reader over the text that turns csv errors into PabulibError with the line."""

    def __init__(self, stream: Iterable[str], source: str) -> None:
        self.reader = csv.reader(stream, delimiter=";", strict=True)
        self.source = source

    @property
    def line(self) -> int:
        return self.reader.line_num

    def __iter__(self) -> Iterator[list[str]]:
        reader = self.reader
        while True:
            started = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise PabulibError(
                    f"badly quoted field ({exc})",
                    line=started,
                    source=self.source,
                    hint='close every opening quote; write "" for a quote inside a quoted field',
                ) from None
            yield row


def parse_pabulib(text: str, source: str = "<string>") -> Election:
    """Parse the text of a ``.pb`` file."""
    if text.startswith("\ufeff"):
        text = text[1:]
    if "\x00" in text:
        raise PabulibError(
            "the file contains NUL bytes",
            line=1 + text[: text.index("\x00")].count("\n"),
            source=source,
            hint="this is not a text .pb file",
        )
    election = _parse(text, source)
    assert election is not None
    return election


def _parse(
    text: str, source: str, data: bytes | None = None, offset: int = 0, head: bool = False
) -> Election | None:
    """Parse ``text``; ``data`` may give its UTF-8 bytes from byte ``offset`` on.

    With ``head``, ``text`` is only the start of ``data`` (up to the VOTES header, see
    :func:`read_pabulib`); ``None`` or an error then mean "parse the whole text instead".
    The VOTES section is read by the bulk reader, or, when it gives up, the precise one.
    """
    stream = _Lines(text)
    reader = _Reader(stream, source)
    top = _Head(source)
    top.read(reader)
    budget, vote_type = top.budget_and_type()
    layout = Layout(top.vote_header, top.vote_header_line, vote_type, top.index, source)
    pos = stream.tell()
    if data is None:
        data, start = text[pos:].encode("utf-8"), 0
    else:
        start = offset + len(text[:pos].encode("utf-8"))
    votes = BulkVotes(data, start).read(layout)
    del data
    if votes is None and head:
        return None
    if votes is None:  # something unusual: the precise reader (which names the line) decides
        votes = PreciseVotes(reader.reader).read(layout)
    ballots, mult, voters = votes
    _check_counts(top.meta, top.meta_lines, len(top.projects), len(voters), source)
    return Election(
        meta=top.meta,
        projects=tuple(top.projects),
        budget=budget,
        vote_type=vote_type,
        ballots=ballots,
        multiplicity=mult,
        voters=voters,
        project_columns=tuple(top.project_columns),
    )


class _Head:
    """The META and PROJECTS sections and the VOTES header, read line by line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.meta: dict[str, str] = {}
        self.meta_lines: dict[str, int] = {}
        self.project_columns: list[str] = []
        self.projects: list[Project] = []
        self.index: dict[str, int] = {}
        self.vote_header: list[str] = []
        self.vote_header_line = 0
        self.section = ""
        self.seen_sections: set[str] = set()
        self.expect_header = False

    def _error(self, problem: str, line: int | None, hint: str) -> PabulibError:
        return PabulibError(problem, line=line, source=self.source, hint=hint)

    def read(self, reader: _Reader) -> None:
        """Read up to the VOTES header (the votes stay in ``reader``), then check that every
        section is there."""
        for row in reader:
            line = reader.line
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            first = row[0].strip().lower()
            if len(row) == 1 and first in _SECTIONS:
                self._start_section(first, line)
            elif not self.section:
                raise self._error(
                    f"unexpected content before the META section: {row[0][:40]!r}",
                    line,
                    "a .pb file starts with a line reading META",
                )
            elif self.expect_header:
                self.expect_header = False
                if self._header([h.strip() for h in row], line):
                    break
            elif self.section == "meta":
                self._meta_line(row, line)
            elif self.section == "projects":
                self._project_line(row, line)
        for needed in _SECTIONS:
            if needed not in self.seen_sections:
                raise self._error(
                    f"the {needed.upper()} section is missing",
                    None,
                    "a .pb file has META, PROJECTS and VOTES sections",
                )
        if self.expect_header:
            raise self._error(
                f"the {self.section.upper()} section has no header line",
                reader.line,
                "add the column names",
            )

    def _start_section(self, name: str, line: int) -> None:
        if name in self.seen_sections:
            raise self._error(
                f"section {name.upper()} appears twice",
                line,
                "a file has one META, one PROJECTS and one VOTES section",
            )
        expected = _SECTIONS[len(self.seen_sections)]
        if name != expected:
            raise self._error(
                f"section {name.upper()} found where {expected.upper()} was expected",
                line,
                "sections come in the order META, PROJECTS, VOTES",
            )
        self.section = name
        self.seen_sections.add(name)
        self.expect_header = True

    def _header(self, header: list[str], line: int) -> bool:
        """Check a section's header; True once the VOTES header is read."""
        section = self.section
        if len(set(header)) != len(header):
            raise self._error(
                f"the {section.upper()} header repeats a column name", line, "name each column once"
            )
        if section == "meta":
            if header[:2] != ["key", "value"]:
                raise self._error(
                    "the META header must be 'key;value'", line, "add the line key;value after META"
                )
            return False
        name, needed = ("PROJECTS", ("project_id", "cost"))
        if section != "projects":
            name, needed = ("VOTES", ("voter_id", "vote"))
        for col in needed:
            if col not in header:
                raise self._error(
                    f"the {name} header has no {col} column",
                    line,
                    f"the header must name {needed[0]} and {needed[1]}",
                )
        if section == "projects":
            self.project_columns = header
            return False
        self.vote_header, self.vote_header_line = header, line
        return True

    def _meta_line(self, row: list[str], line: int) -> None:
        if len(row) != 2:
            raise self._error(
                f"a META line needs 2 fields (key;value), found {len(row)}",
                line,
                'quote values that contain ";"',
            )
        key = row[0].strip()
        if key in self.meta:
            raise self._error(f"META key {key!r} appears twice", line, "give each META key once")
        self.meta[key] = row[1].strip()
        self.meta_lines[key] = line

    def _project_line(self, row: list[str], line: int) -> None:
        columns = self.project_columns
        if len(row) != len(columns):
            raise self._error(
                f"a PROJECTS line needs {len(columns)} fields, found {len(row)}",
                line,
                'quote values that contain ";"',
            )
        values = dict(zip(columns, (v.strip() for v in row), strict=True))
        pid = values.pop("project_id")
        if not pid or "," in pid:
            raise self._error(
                f"invalid project_id {pid!r}",
                line,
                "a project id must be non-empty and contain no comma",
            )
        if pid in self.index:
            raise self._error(
                f"project {pid!r} is listed twice", line, "give each project one line"
            )
        cost = _number(values.pop("cost"), f"the cost of project {pid!r}", line, self.source)
        self.index[pid] = len(self.projects)
        self.projects.append(Project(pid, cost, values))

    def budget_and_type(self) -> tuple[Fraction, VoteType]:
        meta, source = self.meta, self.source
        if "budget" not in meta:
            raise PabulibError("META has no budget", source=source, hint="add a line budget;AMOUNT")
        budget = _number(meta["budget"], "the budget", self.meta_lines.get("budget"), source)
        vote_type_raw = meta.get("vote_type", "").strip().lower()
        if vote_type_raw not in VOTE_TYPES:
            raise PabulibError(
                f"unknown vote_type {meta.get('vote_type')!r}",
                source=source,
                hint="use one of " + ", ".join(VOTE_TYPES),
            )
        return budget, cast(VoteType, vote_type_raw)


def _check_counts(
    meta: dict[str, str], lines: dict[str, int], num_projects: int, num_votes: int, source: str
) -> None:
    for key, found in (("num_projects", num_projects), ("num_votes", num_votes)):
        if key in meta:
            declared = meta[key].strip()
            # the count as the file writes it (no int(): "²" is a digit, 5,000 digits too many)
            plain = declared.isascii() and declared.isdigit()
            if not plain or declared.lstrip("0") != str(found).lstrip("0"):
                raise PabulibError(
                    f"META says {key} is {_shown(declared)} but the file has {found}",
                    line=lines.get(key),
                    source=source,
                    hint="the file may be truncated; fix the data or the count",
                )


_VOTES_LINE = re.compile(rb"^[ \t]*votes[ \t]*\r?$", re.IGNORECASE | re.MULTILINE)


def read_pabulib(path: str | Path) -> Election:
    """Read a ``.pb`` file (UTF-8, with or without BOM).

    To keep the peak memory low, only the text up to the VOTES header is decoded to a
    string; the votes are read from the bytes. Whenever that start is not enough (an unusual
    VOTES section, any error) the whole text is parsed, which decides.
    """
    p = Path(path)
    return read_pabulib_bytes(p.read_bytes(), str(p))


def read_pabulib_bytes(data: bytes, source: str) -> Election:
    """Read the bytes of a ``.pb`` file (an upload), as :func:`read_pabulib` reads a path."""
    try:
        data.decode("utf-8-sig")  # checks the whole file; the text is made below
    except UnicodeDecodeError as exc:
        raise PabulibError(
            "the file is not valid UTF-8",
            line=data[: exc.start].count(b"\n") + 1,
            source=source,
            hint="save the file as UTF-8",
        ) from None
    offset = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    if b"\x00" in data or data.startswith(b"\xef\xbb\xbf", offset):
        return parse_pabulib(data.decode("utf-8-sig"), source)  # names the line of a NUL
    votes = _VOTES_LINE.search(data, offset)
    if votes is not None:  # the start: up to the end of the line after VOTES
        end = data.find(b"\n", votes.end() + 1)
        head = data[offset : len(data) if end < 0 else end + 1].decode()
        try:
            election = _parse(head, source, data, offset, head=True)
        except PabulibError:
            election = None
        if election is not None:
            return election
    return parse_pabulib(data.decode("utf-8-sig"), source)
