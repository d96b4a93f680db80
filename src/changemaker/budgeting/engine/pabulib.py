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
from collections import Counter
from collections.abc import Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import cast

from changemaker.budgeting.engine.build import merge_ballots as merge_ballots  # re-exported
from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import (
    VOTE_TYPES,
    Ballot,
    Election,
    Project,
    Voters,
    VoteType,
)
from changemaker.budgeting.engine.pabulib_fields import (
    MAX_NUMBER_LENGTH as MAX_NUMBER_LENGTH,  # re-exported: callers use pabulib.X
)
from changemaker.budgeting.engine.pabulib_fields import _ballot, _number, _shown
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
    """
    stream = _Lines(text)
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    project_columns: list[str] = []
    projects: list[Project] = []
    index: dict[str, int] = {}
    vote_header: list[str] = []
    vote_header_line = 0
    section = ""
    seen_sections: set[str] = set()
    expect_header = False
    reader = _Reader(stream, source)
    rows = iter(reader)
    for row in rows:
        line = reader.line
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        first = row[0].strip().lower()
        if len(row) == 1 and first in _SECTIONS:
            if first in seen_sections:
                raise PabulibError(
                    f"section {first.upper()} appears twice",
                    line=line,
                    source=source,
                    hint="a file has one META, one PROJECTS and one VOTES section",
                )
            expected = _SECTIONS[len(seen_sections)]
            if first != expected:
                raise PabulibError(
                    f"section {first.upper()} found where {expected.upper()} was expected",
                    line=line,
                    source=source,
                    hint="sections come in the order META, PROJECTS, VOTES",
                )
            section = first
            seen_sections.add(first)
            expect_header = True
            continue
        if not section:
            raise PabulibError(
                f"unexpected content before the META section: {row[0][:40]!r}",
                line=line,
                source=source,
                hint="a .pb file starts with a line reading META",
            )
        if expect_header:
            expect_header = False
            header = [h.strip() for h in row]
            if len(set(header)) != len(header):
                raise PabulibError(
                    f"the {section.upper()} header repeats a column name",
                    line=line,
                    source=source,
                    hint="name each column once",
                )
            if section == "meta":
                if header[:2] != ["key", "value"]:
                    raise PabulibError(
                        "the META header must be 'key;value'",
                        line=line,
                        source=source,
                        hint="add the line key;value after META",
                    )
            elif section == "projects":
                for col in ("project_id", "cost"):
                    if col not in header:
                        raise PabulibError(
                            f"the PROJECTS header has no {col} column",
                            line=line,
                            source=source,
                            hint="the header must name project_id and cost",
                        )
                project_columns = header
            else:
                for col in ("voter_id", "vote"):
                    if col not in header:
                        raise PabulibError(
                            f"the VOTES header has no {col} column",
                            line=line,
                            source=source,
                            hint="the header must name voter_id and vote",
                        )
                vote_header = header
                vote_header_line = line
                break
            continue
        if section == "meta":
            if len(row) != 2:
                raise PabulibError(
                    f"a META line needs 2 fields (key;value), found {len(row)}",
                    line=line,
                    source=source,
                    hint='quote values that contain ";"',
                )
            key = row[0].strip()
            if key in meta:
                raise PabulibError(
                    f"META key {key!r} appears twice",
                    line=line,
                    source=source,
                    hint="give each META key once",
                )
            meta[key] = row[1].strip()
            meta_lines[key] = line
        elif section == "projects":
            if len(row) != len(project_columns):
                raise PabulibError(
                    f"a PROJECTS line needs {len(project_columns)} fields, found {len(row)}",
                    line=line,
                    source=source,
                    hint='quote values that contain ";"',
                )
            values = dict(zip(project_columns, (v.strip() for v in row), strict=True))
            pid = values.pop("project_id")
            if not pid or "," in pid:
                raise PabulibError(
                    f"invalid project_id {pid!r}",
                    line=line,
                    source=source,
                    hint="a project id must be non-empty and contain no comma",
                )
            if pid in index:
                raise PabulibError(
                    f"project {pid!r} is listed twice",
                    line=line,
                    source=source,
                    hint="give each project one line",
                )
            cost = _number(values.pop("cost"), f"the cost of project {pid!r}", line, source)
            index[pid] = len(projects)
            projects.append(Project(pid, cost, values))
    for needed in _SECTIONS:
        if needed not in seen_sections:
            raise PabulibError(
                f"the {needed.upper()} section is missing",
                source=source,
                hint="a .pb file has META, PROJECTS and VOTES sections",
            )
    if expect_header:
        raise PabulibError(
            f"the {section.upper()} section has no header line",
            source=source,
            line=reader.line,
            hint="add the column names",
        )
    if "budget" not in meta:
        raise PabulibError("META has no budget", source=source, hint="add a line budget;AMOUNT")
    budget = _number(meta["budget"], "the budget", meta_lines.get("budget"), source)
    vote_type_raw = meta.get("vote_type", "").strip().lower()
    if vote_type_raw not in VOTE_TYPES:
        raise PabulibError(
            f"unknown vote_type {meta.get('vote_type')!r}",
            source=source,
            hint="use one of " + ", ".join(VOTE_TYPES),
        )
    vote_type = cast(VoteType, vote_type_raw)
    pos = stream.tell()
    if data is None:
        data, start = text[pos:].encode("utf-8"), 0
    else:
        start = offset + len(text[:pos].encode("utf-8"))
    fast = _fast_votes(data, start, vote_header, index, vote_type, source)
    del data
    if fast is None and head:
        return None
    if fast is None:  # something unusual: the precise reader (which names the line) decides
        fast = _parse_votes(reader, vote_header, vote_header_line, index, vote_type, source)
    ballots, mult, voters = fast
    _check_counts(meta, meta_lines, len(projects), len(voters), source)
    return Election(
        meta=meta,
        projects=tuple(projects),
        budget=budget,
        vote_type=vote_type,
        ballots=ballots,
        multiplicity=mult,
        voters=voters,
        project_columns=tuple(project_columns),
    )


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


# bytes that str.strip() could remove at the edge of a field: ASCII whitespace, and any
# non-ASCII byte (a multi-byte character might be Unicode whitespace)
_EDGE = re.compile(rb"[\t\x0b\x0c\r\x1c-\x1f \x80-\xff]")
_CHUNK = 1 << 16  # bytes of lines split into fields at a time, to keep the peak memory low
TextKey = bytes | tuple[bytes, bytes]


def _fast_votes(
    raw: bytes,
    start: int,
    header: list[str],
    index: dict[str, int],
    vote_type: VoteType,
    source: str,
) -> tuple[tuple[Ballot, ...], tuple[int, ...], Voters] | None:
    """The VOTES section (``raw[start:]``, UTF-8) read in bulk, or ``None``.

    Lines and fields are split by the bytes methods and identical vote texts counted with a
    ``Counter`` (loops in C); each distinct text becomes a ballot once. Voter ids are checked
    here (non-empty, unpadded, distinct) and, like the extra columns, turned into strings only
    when first used. The result equals the precise reader's. On anything that could make the
    two differ (quotes, NUL, carriage returns other than CRLF, blank lines, a wrong field
    count, an empty, padded or repeated voter id, a vote the precise reader refuses) it gives
    ``None``, and the precise reader then reads the section and names the line of the problem.
    """
    ncol = len(header)
    vote_col = header.index("vote")
    id_col = header.index("voter_id")
    cardinal = vote_type in ("cumulative", "scoring")
    if cardinal and "points" not in header:
        return None
    points_col = header.index("points") if cardinal else -1
    skip = {vote_col, id_col, points_col}
    extra_cols = tuple(i for i in range(ncol) if i not in skip)
    columns = tuple(header[i] for i in extra_cols)
    if raw.find(b'"', start) >= 0 or raw.find(b"\x00", start) >= 0:
        return None
    crs = raw.count(b"\r", start)
    if crs and not crs == raw.count(b"\r\n", start) == raw.count(b"\n", start):
        return None
    eol = b"\r\n" if crs else b"\n"  # lines end in CRLF throughout, or in LF
    stop = len(raw) - len(eol) if raw.endswith(eol) else len(raw)  # the section: raw[start:stop]
    if stop <= start:
        return (), (), Voters(columns=columns)
    n = raw.count(eol, start, stop) + 1
    if raw.count(b";", start, stop) != n * (ncol - 1):
        return None

    def chunks() -> Iterator[list[bytes] | None]:
        """The fields of about _CHUNK bytes of lines at a time, line after line (``ncol`` a
        line), or ``None`` if a line has another number of fields."""
        pos = start
        while pos <= stop:
            end = raw.find(eol, pos + _CHUNK, stop)
            end = stop if end < 0 else end
            lines = raw[pos:end].split(eol)
            if set(map(bytes.count, lines, repeat(b";"))) != {ncol - 1}:
                yield None
                return
            yield b";".join(lines).split(b";")
            pos = end + len(eol)

    def keys(fields: list[bytes]) -> Iterable[TextKey]:
        votes = fields[vote_col::ncol]
        return zip(votes, fields[points_col::ncol], strict=True) if cardinal else votes

    seen: set[bytes] = set()
    texts: Counter[TextKey] = Counter()
    for fields in chunks():
        if fields is None:
            return None
        ids = fields[id_col::ncol]
        if not _plain(ids):
            return None
        seen.update(ids)
        texts.update(keys(fields))
    if len(seen) != n:
        return None
    del seen
    # the section is valid UTF-8 (it was decoded), so are its fields: split at ASCII bytes
    distinct: dict[Ballot, int] = {}
    ballot_of: dict[TextKey, int] = {}
    for text in texts:  # each distinct text once; a vote the precise reader refuses: None
        vote, points = (text[0], text[1]) if isinstance(text, tuple) else (text, b"")
        try:
            b = _ballot(vote.decode(), points.decode(), cardinal, vote_type, index, 0, source)
        except PabulibError:
            return None
        ballot_of[text] = distinct.setdefault(b, len(distinct))
    mult = [0] * len(distinct)
    for text, voted in texts.items():
        mult[ballot_of[text]] += voted
    del texts

    def load() -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]:
        ids: list[str] = []
        of_voter: list[int] = []
        extra: list[tuple[str, ...]] = []
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        for fields in chunks():
            assert fields is not None  # checked when the ballots were read
            ids.extend(map(bytes.decode, fields[id_col::ncol]))
            of_voter.extend(map(ballot_of.__getitem__, keys(fields)))
            if extra_cols:
                cells = [list(map(bytes.decode, fields[c::ncol])) for c in extra_cols]
                for row in zip(*cells, strict=True):
                    extra.append(shared.setdefault(row, row))
        return tuple(ids), tuple(of_voter), tuple(extra)

    voters = Voters(columns=columns, load=load, count=n)
    return tuple(distinct), tuple(mult), voters


def _plain(fields: list[bytes]) -> bool:
    """No field is empty or has a byte at an edge that str.strip() could remove."""
    if not all(fields):
        return False
    if _EDGE.search(b"".join(fields)) is None:
        return True
    return not any(_EDGE.match(f) or _EDGE.match(f, len(f) - 1) for f in fields)


def _parse_votes(
    reader: _Reader,
    header: list[str],
    header_line: int,
    index: dict[str, int],
    vote_type: VoteType,
    source: str,
) -> tuple[tuple[Ballot, ...], tuple[int, ...], Voters]:
    ncol = len(header)
    vote_col = header.index("vote")
    id_col = header.index("voter_id")
    cardinal = vote_type in ("cumulative", "scoring")
    if cardinal and "points" not in header:
        raise PabulibError(
            f"{vote_type} ballots need a points column",
            line=header_line,
            source=source,
            hint="add points to the VOTES header",
        )
    points_col = header.index("points") if "points" in header else -1
    skip = {vote_col, id_col} | ({points_col} if cardinal else set())
    extra_cols = [i for i in range(ncol) if i not in skip]
    # cache: raw (vote, points) text -> distinct ballot number
    cache: dict[tuple[str, str], int] = {}
    distinct: dict[Ballot, int] = {}
    mult: list[int] = []
    of_voter: list[int] = []
    ids: list[str] = []
    seen_ids: set[str] = set()
    extra: list[tuple[str, ...]] = []
    get_extra = itemgetter(*extra_cols) if len(extra_cols) > 1 else None
    one_extra = extra_cols[0] if len(extra_cols) == 1 else -1
    raw = reader.reader
    last_line = raw.line_num
    try:
        for row in raw:
            if len(row) != ncol:
                if not row or (len(row) == 1 and not row[0].strip()):
                    last_line = raw.line_num
                    continue
                raise PabulibError(
                    f"a VOTES line needs {ncol} fields, found {len(row)}",
                    line=raw.line_num,
                    source=source,
                    hint='quote values that contain ";"',
                )
            last_line = raw.line_num
            vid = row[id_col].strip()
            if not vid:
                raise PabulibError(
                    "empty voter_id", line=last_line, source=source, hint="give every voter an id"
                )
            if vid in seen_ids:
                raise PabulibError(
                    f"voter {vid!r} voted twice",
                    line=last_line,
                    source=source,
                    hint="each voter_id must appear once",
                )
            seen_ids.add(vid)
            ids.append(vid)
            if get_extra is not None:
                extra.append(get_extra(row))
            elif one_extra >= 0:
                extra.append((row[one_extra],))
            key = (row[vote_col], row[points_col] if cardinal else "")
            k = cache.get(key)
            if k is None:
                ballot = _ballot(key[0], key[1], cardinal, vote_type, index, last_line, source)
                k = distinct.get(ballot)
                if k is None:
                    k = distinct[ballot] = len(mult)
                    mult.append(0)
                cache[key] = k
            mult[k] += 1
            of_voter.append(k)
    except csv.Error as exc:
        raise PabulibError(
            f"badly quoted field ({exc})",
            line=last_line + 1,
            source=source,
            hint='close every opening quote; write "" for a quote inside a quoted field',
        ) from None
    voters = Voters(
        ids=tuple(ids),
        ballot_index=tuple(of_voter),
        columns=tuple(header[i] for i in extra_cols),
        extra=tuple(extra),
    )
    return tuple(distinct), tuple(mult), voters


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
