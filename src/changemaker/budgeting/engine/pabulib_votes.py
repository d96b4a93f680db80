"""The VOTES section of a ``.pb`` file, read by either of two readers behind one interface
(:class:`VotesReader`): :class:`BulkVotes` reads the bytes in bulk, fast, and gives up on
anything unusual; :class:`PreciseVotes` reads line by line and names the line of a problem.
Both take the section's :class:`Layout` and give the same election."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from typing import Protocol

from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import Ballot, Voters, VoteType
from changemaker.budgeting.engine.pabulib_fields import _ballot

Votes = tuple[tuple[Ballot, ...], tuple[int, ...], Voters]  # distinct ballots, counts, voters


class CsvRows(Protocol):
    """A ``csv.reader``: rows, and the number of the line it has read up to."""

    @property
    def line_num(self) -> int: ...

    def __iter__(self) -> Iterator[list[str]]: ...


class Layout:
    """The VOTES header understood: where the voter id, the vote and the points are, and
    which other columns are kept for each voter. Both readers of the votes take it."""

    def __init__(
        self,
        header: list[str],
        line: int,
        vote_type: VoteType,
        index: dict[str, int],
        source: str,
    ) -> None:
        self.header, self.line, self.vote_type = header, line, vote_type
        self.index, self.source = index, source
        self.ncol = len(header)
        self.vote_col = header.index("vote")
        self.id_col = header.index("voter_id")
        self.cardinal = vote_type in ("cumulative", "scoring")
        self.has_points = "points" in header
        self.points_col = header.index("points") if self.cardinal and self.has_points else -1
        skip = {self.vote_col, self.id_col, self.points_col}
        self.extra_cols = tuple(i for i in range(self.ncol) if i not in skip)
        self.columns = tuple(header[i] for i in self.extra_cols)


class VotesReader(Protocol):
    """Reads the VOTES section for a :class:`Layout`: the distinct ballots, how many voters
    cast each, and the voters. ``None``: this reader cannot tell, let the precise one read."""

    def read(self, layout: Layout) -> Votes | None: ...


# bytes that str.strip() could remove at the edge of a field: ASCII whitespace, and any
# non-ASCII byte (a multi-byte character might be Unicode whitespace)
_EDGE = re.compile(rb"[\t\x0b\x0c\r\x1c-\x1f \x80-\xff]")
_CHUNK = 1 << 16  # bytes of lines split into fields at a time, to keep the peak memory low
TextKey = bytes | tuple[bytes, bytes]


class BulkVotes:
    """The VOTES section (``raw[start:]``, UTF-8) read in bulk.

    Lines and fields are split by the bytes methods and identical vote texts counted with a
    ``Counter`` (loops in C); each distinct text becomes a ballot once. Voter ids are checked
    here (non-empty, unpadded, distinct) and, like the extra columns, turned into strings only
    when first used. The result equals the precise reader's. On anything that could make the
    two differ (quotes, NUL, carriage returns other than CRLF, blank lines, a wrong field
    count, an empty, padded or repeated voter id, a vote the precise reader refuses) it gives
    ``None``, and the precise reader then reads the section and names the line of the problem.
    """

    def __init__(self, raw: bytes, start: int) -> None:
        self.raw, self.start = raw, start
        self.eol, self.stop, self.ncol = b"\n", start, 0

    def read(self, layout: Layout) -> Votes | None:
        if layout.cardinal and not layout.has_points:
            return None
        self.ncol = layout.ncol
        n = self._lines()
        if n is None:
            return None
        if n == 0:
            return (), (), Voters(columns=layout.columns)
        texts = self._texts(layout, n)
        if texts is None:
            return None
        found = self._ballots(layout, texts)
        if found is None:
            return None
        distinct, ballot_of, mult = found
        del texts
        load = self._loader(layout, ballot_of)
        return tuple(distinct), tuple(mult), Voters(columns=layout.columns, load=load, count=n)

    def _lines(self) -> int | None:
        """How many lines the section has (sets where it stops and how lines end), or None
        if it has quotes, NUL, stray carriage returns or a line with another field count."""
        raw, start = self.raw, self.start
        if raw.find(b'"', start) >= 0 or raw.find(b"\x00", start) >= 0:
            return None
        crs = raw.count(b"\r", start)
        if crs and not crs == raw.count(b"\r\n", start) == raw.count(b"\n", start):
            return None
        eol = self.eol = b"\r\n" if crs else b"\n"  # lines end in CRLF throughout, or in LF
        stop = self.stop = len(raw) - len(eol) if raw.endswith(eol) else len(raw)
        if stop <= start:  # the section is raw[start:stop]
            return 0
        n = raw.count(eol, start, stop) + 1
        return n if raw.count(b";", start, stop) == n * (self.ncol - 1) else None

    def _chunks(self) -> Iterator[list[bytes] | None]:
        """The fields of about _CHUNK bytes of lines at a time, line after line (``ncol`` a
        line), or ``None`` if a line has another number of fields."""
        raw, eol, stop, ncol = self.raw, self.eol, self.stop, self.ncol
        pos = self.start
        while pos <= stop:
            end = raw.find(eol, pos + _CHUNK, stop)
            end = stop if end < 0 else end
            lines = raw[pos:end].split(eol)
            if set(map(bytes.count, lines, repeat(b";"))) != {ncol - 1}:
                yield None
                return
            yield b";".join(lines).split(b";")
            pos = end + len(eol)

    @staticmethod
    def _keys(layout: Layout, fields: list[bytes]) -> Iterable[TextKey]:
        ncol = layout.ncol
        votes = fields[layout.vote_col :: ncol]
        if layout.cardinal:
            return zip(votes, fields[layout.points_col :: ncol], strict=True)
        return votes

    def _texts(self, layout: Layout, n: int) -> Counter[TextKey] | None:
        """Each distinct vote text and how many cast it; None if a voter id is empty, padded
        or repeated (the precise reader names the line)."""
        seen: set[bytes] = set()
        texts: Counter[TextKey] = Counter()
        for fields in self._chunks():
            if fields is None:
                return None
            ids = fields[layout.id_col :: layout.ncol]
            if not _plain(ids):
                return None
            seen.update(ids)
            texts.update(self._keys(layout, fields))
        return texts if len(seen) == n else None

    @staticmethod
    def _ballots(
        layout: Layout, texts: Counter[TextKey]
    ) -> tuple[dict[Ballot, int], dict[TextKey, int], list[int]] | None:
        """The distinct ballots, each text's ballot, and each ballot's count; None if the
        precise reader would refuse a vote."""
        # the section is valid UTF-8 (it was decoded), so are its fields: split at ASCII bytes
        distinct: dict[Ballot, int] = {}
        ballot_of: dict[TextKey, int] = {}
        cardinal, vote_type, index, source = (
            layout.cardinal,
            layout.vote_type,
            layout.index,
            layout.source,
        )
        for text in texts:  # each distinct text once
            vote, points = (text[0], text[1]) if isinstance(text, tuple) else (text, b"")
            try:
                b = _ballot(vote.decode(), points.decode(), cardinal, vote_type, index, 0, source)
            except PabulibError:
                return None
            ballot_of[text] = distinct.setdefault(b, len(distinct))
        mult = [0] * len(distinct)
        for text, voted in texts.items():
            mult[ballot_of[text]] += voted
        return distinct, ballot_of, mult

    def _loader(
        self, layout: Layout, ballot_of: dict[TextKey, int]
    ) -> Callable[[], tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]]:
        """Reads the voters (ids, ballots, extra columns) when they are first used."""
        ncol, id_col, extra_cols = layout.ncol, layout.id_col, layout.extra_cols

        def load() -> tuple[tuple[str, ...], tuple[int, ...], tuple[tuple[str, ...], ...]]:
            ids: list[str] = []
            of_voter: list[int] = []
            extra: list[tuple[str, ...]] = []
            shared: dict[tuple[str, ...], tuple[str, ...]] = {}
            for fields in self._chunks():
                assert fields is not None  # checked when the ballots were read
                ids.extend(map(bytes.decode, fields[id_col::ncol]))
                of_voter.extend(map(ballot_of.__getitem__, self._keys(layout, fields)))
                if extra_cols:
                    cells = [list(map(bytes.decode, fields[c::ncol])) for c in extra_cols]
                    for row in zip(*cells, strict=True):
                        extra.append(shared.setdefault(row, row))
            return tuple(ids), tuple(of_voter), tuple(extra)

        return load


def _plain(fields: list[bytes]) -> bool:
    """No field is empty or has a byte at an edge that str.strip() could remove."""
    if not all(fields):
        return False
    if _EDGE.search(b"".join(fields)) is None:
        return True
    return not any(_EDGE.match(f) or _EDGE.match(f, len(f) - 1) for f in fields)


class PreciseVotes:
    """The VOTES section read line by line by ``csv``: slower, but it names the line of any
    problem. It decides whenever the bulk reader gives up."""

    def __init__(self, rows: CsvRows) -> None:
        self.rows = rows

    def read(self, layout: Layout) -> Votes:
        ncol, id_col, vote_col, source = layout.ncol, layout.id_col, layout.vote_col, layout.source
        cardinal, points_col = layout.cardinal, layout.points_col
        if cardinal and not layout.has_points:
            raise PabulibError(
                f"{layout.vote_type} ballots need a points column",
                line=layout.line,
                source=source,
                hint="add points to the VOTES header",
            )
        extra_cols = list(layout.extra_cols)
        cache: dict[tuple[str, str], int] = {}  # raw (vote, points) text -> distinct ballot
        distinct: dict[Ballot, int] = {}
        mult: list[int] = []
        of_voter: list[int] = []
        ids: list[str] = []
        seen_ids: set[str] = set()
        extra: list[tuple[str, ...]] = []
        get_extra = itemgetter(*extra_cols) if len(extra_cols) > 1 else None
        one_extra = extra_cols[0] if len(extra_cols) == 1 else -1
        raw = self.rows
        last_line = raw.line_num
        try:
            for row in raw:
                if len(row) != ncol:
                    if not row or (len(row) == 1 and not row[0].strip()):
                        last_line = raw.line_num
                        continue
                    raise _field_count(ncol, row, raw.line_num, source)
                last_line = raw.line_num
                vid = row[id_col].strip()
                _check_voter(vid, seen_ids, last_line, source)
                seen_ids.add(vid)
                ids.append(vid)
                if get_extra is not None:
                    extra.append(get_extra(row))
                elif one_extra >= 0:
                    extra.append((row[one_extra],))
                key = (row[vote_col], row[points_col] if cardinal else "")
                k = cache.get(key)
                if k is None:
                    ballot = _ballot(
                        *key, cardinal, layout.vote_type, layout.index, last_line, source
                    )
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
            columns=layout.columns,
            extra=tuple(extra),
        )
        return tuple(distinct), tuple(mult), voters


def _field_count(ncol: int, row: list[str], line: int, source: str) -> PabulibError:
    return PabulibError(
        f"a VOTES line needs {ncol} fields, found {len(row)}",
        line=line,
        source=source,
        hint='quote values that contain ";"',
    )


def _check_voter(vid: str, seen: set[str], line: int, source: str) -> None:
    """A voter id is given, and given once."""
    if not vid:
        raise PabulibError(
            "empty voter_id", line=line, source=source, hint="give every voter an id"
        )
    if vid in seen:
        raise PabulibError(
            f"voter {vid!r} voted twice",
            line=line,
            source=source,
            hint="each voter_id must appear once",
        )
