"""Read and write the Polis open-data export format.

Files (see ``../shared/data/polis/README.md``):

* ``comments.csv``: one statement a row; ``moderated`` is 1 accepted, 0 unmoderated, -1 rejected;
  optional ``is-meta`` and ``is-seed`` columns flag meta and seed statements.
* ``votes.csv``: the vote *event log* (``timestamp, datetime, comment-id, voter-id, vote``);
  a changed vote appears again, the latest one (by timestamp, then file order) counts.
* ``participants-votes.csv``: the final participant x statement matrix with Polis' ``group-id``;
  used when ``votes.csv`` is absent.

Layouts Polis has published (columns are found by name, in any order):

* math-service export ("darwin", the open-data repository ``compdemocracy/openData``, 2014-2022):
  comments ``timestamp, datetime, comment-id, author-id, agrees, disagrees, moderated,
  comment-body``; votes ``timestamp, datetime, comment-id, voter-id, vote``; matrix
  ``participant, group-id, n-comments, n-votes, n-agree, n-disagree, <statement ids>``, with
  ``xid`` after ``participant`` when exported with external ids (e.g. austria-climate, 2022);
  timestamps in milliseconds. Also ``summary.csv`` and ``stats-history.csv`` (not read here).
* the same after Polis pull request #1700 (2023): comments ``timestamp, comment-id, author-id,
  agrees, disagrees, moderated, is-meta, is-seed, group-informed-consensus, comment-body`` (no
  ``datetime``; ``is-meta``/``is-seed`` written ``true``/``false``).
* the report export of the TypeScript server (2024-): the matrix file is named
  ``participant-votes.csv``; timestamps are in seconds (see :func:`epoch_ms`); comment bodies
  always quoted; ``xid`` comes in a separate file (not read here).

Columns that are not Polis' own and, in the matrix, columns that are not statement ids are left
out with a :class:`PolisFormatWarning` (the readers append them to ``warnings``). Votes use the
export sign: +1 agree, -1 disagree, 0 pass. Every malformed input raises
:class:`PolisFormatError` naming the file, line and column; nothing else escapes the readers.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from .errors import PolisFormatError, PolisFormatWarning
from .matrix import latest_votes
from .polis_csv import _ID_RE as _ID_RE
from .polis_csv import _MAX_ID as _MAX_ID
from .polis_csv import _read_text as _read_text
from .polis_csv import _Table as _Table
from .polis_fast import _fast_ints as _fast_ints
from .polis_fast import _fast_matrix as _fast_matrix
from .polis_fast import _fast_votes as _fast_votes
from .votes import Statement, VoteLog

__all__ = [
    "MATRIX_FILES",
    "MAX_STATEMENT_LENGTH",
    "Conversation",
    "Statement",
    "VoteLog",
    "epoch_ms",
    "file_kind",
    "load_conversation",
    "read_comments",
    "read_participants_votes",
    "read_votes",
    "write_comments",
    "write_participants_votes",
    "write_votes",
]

MAX_STATEMENT_LENGTH = 10_000
"""Longest statement text accepted from an export (characters); Polis itself caps far lower."""

_VOTES = {"-1": -1, "0": 0, "1": 1}

# Columns Polis writes, per file (those not read here are derived counts or display text).
_COMMENTS_COLUMNS = frozenset(
    {
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "agrees",
        "disagrees",
        "passes",
        "moderated",
        "comment-body",
        "is-meta",
        "is-seed",
        "group-informed-consensus",
    }
)
_VOTES_COLUMNS = frozenset({"timestamp", "datetime", "comment-id", "voter-id", "vote"})
_PV_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")
"""The non-statement columns of the matrix, as written here (Polis' classic layout)."""
_PV_COLUMNS = frozenset({*_PV_FIXED, "xid"})
"""Every non-statement column Polis has written in the matrix (``xid``: external ids, never
read: they can identify people)."""

MATRIX_FILES = ("participants-votes.csv", "participant-votes.csv")
"""Names of the final matrix: the math-service export's, then the 2024 server export's."""


@dataclass(frozen=True, eq=False)
class Conversation:
    """What a folder in the export format holds."""

    statements: tuple[Statement, ...]
    votes: VoteLog
    source: str
    """``"votes.csv"`` or ``"participants-votes.csv"``: where the votes came from."""
    polis_groups: Mapping[int, int | None] | None = None
    """Polis' ``group-id`` per participant (``participants-votes.csv``; None: not clustered)."""
    warnings: tuple[PolisFormatWarning, ...] = ()
    """What was read past (columns left out), in file order."""


# --------------------------------------------------------------------------------------------
# reading


def read_comments(
    path: str | os.PathLike[str], *, warnings: list[PolisFormatWarning] | None = None
) -> tuple[Statement, ...]:
    """Read ``comments.csv``; statements come back sorted by id."""
    p = Path(path)
    table = _Table(p.name, _read_text(p), ("comment-id", "comment-body", "moderated"))
    table.ignore_unknown(_COMMENTS_COLUMNS, warnings)
    out: dict[int, Statement] = {}
    for line, row in table:
        sid = table.ident(line, row, "comment-id")
        assert sid is not None
        if sid in out:
            raise table.error(line, "comment-id", f"duplicate statement id {sid}")
        moderated = table.integer(line, row, "moderated")
        if moderated not in (-1, 0, 1):
            raise table.error(line, "moderated", f"expected -1, 0 or 1, found {moderated!r}")
        is_meta, is_seed = (table.flag(line, row, col) for col in ("is-meta", "is-seed"))
        text = row[table.index["comment-body"]]
        if len(text) > MAX_STATEMENT_LENGTH:
            raise table.error(
                line, "comment-body", f"statement longer than {MAX_STATEMENT_LENGTH} characters"
            )
        out[sid] = Statement(
            id=sid,
            text=text,
            author_id=table.ident(line, row, "author-id", optional=True),
            moderated=moderated,
            is_meta=is_meta,
            timestamp=table.integer(line, row, "timestamp", optional=True),
            datetime=table.get(row, "datetime"),
            is_seed=is_seed,
        )
    return tuple(out[k] for k in sorted(out))


def _check_known(
    table: _Table, line: int, col: str, sid: int, known: frozenset[int] | None
) -> None:
    if known is not None and sid not in known:
        raise table.error(line, col, f"unknown statement id {sid} (not in comments.csv)")


def read_votes(
    path: str | os.PathLike[str],
    statement_ids: Iterable[int] | None = None,
    *,
    warnings: list[PolisFormatWarning] | None = None,
) -> VoteLog:
    """Read the ``votes.csv`` event log.

    Rows repeating the same participant, statement and timestamp are accepted when identical
    (exports contain such repeats) and rejected when they disagree.
    """
    p = Path(path)
    table = _Table(p.name, _read_text(p), ("comment-id", "voter-id", "vote"))
    table.ignore_unknown(_VOTES_COLUMNS, warnings)
    known = None if statement_ids is None else frozenset(statement_ids)
    has_ts = "timestamp" in table.index
    ic, iv, ivote = (table.index[c] for c in ("comment-id", "voter-id", "vote"))
    it = table.index.get("timestamp", 0)
    rows = list(table)
    lines = [line for line, _ in rows]
    # fast path: validate each column in one pass, convert in C
    sids = _fast_ints([r[ic] for _, r in rows], 15)
    pids = _fast_ints([r[iv] for _, r in rows], 15)
    votes = _fast_votes([r[ivote] for _, r in rows])
    stamps = _fast_ints([r[it] for _, r in rows], 18) if has_ts else None
    if sids is None or pids is None or votes is None or (has_ts and stamps is None):
        # slow path: the same rules field by field, to name the offending line and column
        sid_l: list[int] = []
        pid_l: list[int] = []
        vote_l: list[int] = []
        ts_l: list[int] = []
        for line, row in rows:
            sid = table.ident(line, row, "comment-id")
            pid = table.ident(line, row, "voter-id")
            assert sid is not None and pid is not None
            raw_vote = table.get(row, "vote")
            vote = _VOTES.get(raw_vote)
            if vote is None:
                raise table.error(line, "vote", f"expected -1, 0 or 1, found {raw_vote!r}")
            ts = table.integer(line, row, "timestamp", optional=True) if has_ts else None
            sid_l.append(sid)
            pid_l.append(pid)
            vote_l.append(vote)
            ts_l.append(0 if ts is None else ts)
        sids, pids, votes = (np.array(x, dtype=np.int64) for x in (sid_l, pid_l, vote_l))
        stamps = np.array(ts_l, dtype=np.int64)
    if stamps is None:
        stamps = np.zeros(len(rows), dtype=np.int64)
    if known is not None and len(sids):
        unknown = ~np.isin(sids, np.fromiter(known, np.int64, len(known)))
        if unknown.any():
            i = int(np.flatnonzero(unknown)[0])
            _check_known(table, lines[i], "comment-id", int(sids[i]), known)
    log = VoteLog(pids, sids, votes.astype(np.int8), stamps)
    if len(log) and has_ts:
        _reject_conflicting_duplicates(table, log, lines)
    return log


def _reject_conflicting_duplicates(table: _Table, log: VoteLog, lines: list[int]) -> None:
    order = np.lexsort((log.timestamp, log.statement, log.participant))
    p, s, t, v = (
        log.participant[order],
        log.statement[order],
        log.timestamp[order],
        log.vote[order],
    )
    same = (p[1:] == p[:-1]) & (s[1:] == s[:-1]) & (t[1:] == t[:-1]) & (t[1:] != 0)
    bad = np.flatnonzero(same & (v[1:] != v[:-1]))
    if len(bad):
        i = int(order[bad[0] + 1])
        raise table.error(
            lines[i],
            "vote",
            f"conflicting duplicate vote of participant {int(log.participant[i])} "
            f"on statement {int(log.statement[i])} at the same timestamp",
        )


_PV_FIXED = ("participant", "group-id", "n-comments", "n-votes", "n-agree", "n-disagree")


def read_participants_votes(
    path: str | os.PathLike[str],
    statement_ids: Iterable[int] | None = None,
    *,
    warnings: list[PolisFormatWarning] | None = None,
) -> tuple[VoteLog, dict[int, int | None]]:
    """Read ``participants-votes.csv``: the final matrix and Polis' ``group-id`` column.

    A column is a statement when its name is a statement id (digits); other columns that are
    not Polis' own (``xid``, the ``n-*`` counts...) are left out with a warning.
    """
    p = Path(path)
    text = _read_text(p)
    table = _Table(p.name, text, ("participant", "group-id"))
    known = None if statement_ids is None else frozenset(statement_ids)
    columns: list[tuple[int, int]] = []  # (field index, statement id)
    first: dict[int, str] = {}  # statement id -> its column's name
    for i, h in enumerate(table.header):
        if h in _PV_COLUMNS:
            continue
        if not _ID_RE.fullmatch(h) or int(h) >= _MAX_ID:
            table.ignored(i, warnings)
            continue
        sid = int(h)
        if sid in first:
            raise table.error(
                1, h, f"a second column for statement {sid} (the first is {first[sid]!r})"
            )
        first[sid] = h
        _check_known(table, 1, h, sid, known)
        columns.append((i, sid))
    idx = [i for i, _ in columns]
    col_ids = np.array([sid for _, sid in columns], dtype=np.int64)
    fast = _fast_matrix(text, table.header, idx)
    if fast is not None:
        pid_arr, group_list, codes = fast
        r, c = np.nonzero(codes != ord("_"))
        picked = codes[r, c]
        values = np.where(picked == ord("A"), 1, np.where(picked == ord("D"), -1, 0))
        fast_groups = dict(zip(pid_arr.tolist(), group_list, strict=True))
        return VoteLog.from_arrays(pid_arr[r], col_ids[c], values), fast_groups
    groups: dict[int, int | None] = {}
    rows = list(table)
    for line, row in rows:
        pid = table.ident(line, row, "participant")
        assert pid is not None
        if pid in groups:
            raise table.error(line, "participant", f"duplicate participant {pid}")
        groups[pid] = table.ident(line, row, "group-id", optional=True)
    # field-by-field path: strip and check every cell, naming the first bad one
    for line, row in rows:
        for i in idx:
            cell = row[i].strip()
            if cell not in _VOTES and cell != "":
                raise table.error(
                    line, table.label(i), f"expected -1, 0, 1 or empty, found {cell!r}"
                )
    cells = [[row[i].strip() for i in idx] for _, row in rows]
    grid = np.array(cells, dtype="<U2").reshape(len(rows), len(idx))
    r, c = np.nonzero(grid != "")
    values = np.where(grid[r, c] == "1", 1, np.where(grid[r, c] == "-1", -1, 0))
    pid_arr = np.fromiter(groups, np.int64, len(groups))
    return VoteLog.from_arrays(pid_arr[r], col_ids[c], values), groups


def load_conversation(directory: str | os.PathLike[str]) -> Conversation:
    """Load a folder in the export format (``votes.csv`` preferred, else the final matrix).

    The matrix may be named ``participants-votes.csv`` or ``participant-votes.csv``; other files
    (``summary.csv``, ``stats-history.csv``, ``comment-groups.csv``...) are not read.
    """
    d = Path(directory)
    if not d.is_dir():
        raise PolisFormatError(str(d), 0, "", "not a directory")
    warnings: list[PolisFormatWarning] = []
    statements = read_comments(d / "comments.csv", warnings=warnings)
    ids = [s.id for s in statements]
    matrix = next((d / name for name in MATRIX_FILES if (d / name).is_file()), None)
    if (d / "votes.csv").is_file():
        votes = read_votes(d / "votes.csv", ids, warnings=warnings)
        groups: dict[int, int | None] | None = None
        if matrix is not None:
            _, groups = read_participants_votes(matrix, ids, warnings=warnings)
        return Conversation(statements, votes, "votes.csv", groups, tuple(warnings))
    if matrix is not None:
        votes, groups = read_participants_votes(matrix, ids, warnings=warnings)
        return Conversation(statements, votes, matrix.name, groups, tuple(warnings))
    raise PolisFormatError(
        "votes.csv",
        0,
        "",
        "neither votes.csv nor participants-votes.csv (or participant-votes.csv) found in "
        + str(d),
    )


def file_kind(header: str) -> str | None:
    """The export file a header row belongs to (its usual name), from its columns; None when
    it is none of them. For uploads, whose file names cannot be trusted."""
    first = header.lstrip("\ufeff").splitlines()[0] if header.strip() else ""
    columns = {c.strip().strip('"').strip() for c in first.split(",")}
    if {"comment-id", "voter-id", "vote"} <= columns:
        return "votes.csv"
    if {"participant", "group-id"} <= columns:
        return "participants-votes.csv"
    if {"comment-id", "comment-body", "moderated"} <= columns:
        return "comments.csv"
    return None


def epoch_ms(timestamps: NDArray[np.int64]) -> NDArray[np.int64]:
    """Timestamps of one file in milliseconds since the epoch.

    The math-service exports write milliseconds, the 2024 server export seconds: a file whose
    timestamps all lie below 10**11 (milliseconds: March 1973; seconds: year 5138) is in seconds.
    """
    if len(timestamps) and 0 < int(timestamps.max()) < 10**11:
        return timestamps * 1000
    return timestamps


# --------------------------------------------------------------------------------------------
# writing (atomic: a temporary file in the same folder, then renamed over the target)


def _atomic_write(path: Path, rows: Iterable[Sequence[object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix="." + path.name, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerows(rows)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_comments(path: str | os.PathLike[str], statements: Iterable[Statement]) -> None:
    header = (
        "timestamp",
        "datetime",
        "comment-id",
        "author-id",
        "moderated",
        "comment-body",
        "is-meta",
    )

    def rows() -> Iterator[Sequence[object]]:
        yield header
        for s in statements:
            yield (
                "" if s.timestamp is None else s.timestamp,
                s.datetime,
                s.id,
                "" if s.author_id is None else s.author_id,
                s.moderated,
                s.text,
                int(s.is_meta),
            )

    _atomic_write(Path(path), rows())


def write_votes(path: str | os.PathLike[str], votes: VoteLog) -> None:
    def rows() -> Iterator[Sequence[object]]:
        yield ("timestamp", "datetime", "comment-id", "voter-id", "vote")
        order = np.argsort(votes.timestamp, kind="stable")
        for i in order.tolist():
            yield (
                int(votes.timestamp[i]),
                "",
                int(votes.statement[i]),
                int(votes.participant[i]),
                int(votes.vote[i]),
            )

    _atomic_write(Path(path), rows())


def write_participants_votes(
    path: str | os.PathLike[str],
    votes: VoteLog,
    groups: Mapping[int, int | None] | None = None,
    statement_ids: Sequence[int] | None = None,
    statements: Iterable[Statement] = (),
) -> None:
    """Write the final matrix (latest vote per participant and statement).

    ``statements`` (optional) fill the ``n-comments`` column (statements each participant wrote).
    """
    latest = latest_votes(votes)
    authored: dict[int, int] = {}
    for st in statements:
        if st.author_id is not None:
            authored[st.author_id] = authored.get(st.author_id, 0) + 1
    sids = sorted(
        set(statement_ids) if statement_ids is not None else set(latest.statement.tolist())
    )
    col = {sid: i for i, sid in enumerate(sids)}
    table: dict[int, list[str]] = {}
    for pid, sid, v in zip(
        latest.participant.tolist(), latest.statement.tolist(), latest.vote.tolist(), strict=True
    ):
        if sid in col:
            table.setdefault(pid, [""] * len(sids))[col[sid]] = str(v)

    def rows() -> Iterator[Sequence[object]]:
        yield (*_PV_FIXED, *sids)
        for pid in sorted(table):
            cells = table[pid]
            n_agree = cells.count("1")
            n_disagree = cells.count("-1")
            n_votes = len(cells) - cells.count("")
            group = None if groups is None else groups.get(pid)
            n_comments = authored.get(pid, 0)
            yield (
                pid,
                "" if group is None else group,
                n_comments,
                n_votes,
                n_agree,
                n_disagree,
                *cells,
            )

    _atomic_write(Path(path), rows())
