"""Reading and writing the Polis export format; bad input names file, line and column."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.consultations.engine import (
    PolisFormatError,
    PolisFormatWarning,
    Statement,
    VoteLog,
    load_conversation,
    read_comments,
    read_participants_votes,
    read_votes,
    write_comments,
    write_participants_votes,
    write_votes,
)
from changemaker.consultations.engine.matrix import latest_votes

from .conftest import MATH_FIXTURE

COMMENTS_HEAD = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
VOTES_HEAD = "timestamp,datetime,comment-id,voter-id,vote\n"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_reads_real_export(conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    assert conv.source == "votes.csv"
    assert len(conv.statements) == 63
    assert {s.id for s in conv.statements if s.is_meta} == {6, 23}
    assert {s.id for s in conv.statements if s.moderated == -1} == {0, 24, 42, 43, 51}
    assert len(conv.votes) == 5216
    assert set(np.unique(conv.votes.vote).tolist()) == {-1, 0, 1}


def test_participants_votes_matches_latest_votes(conversation: Any, export_dir: Any) -> None:
    """The final matrix equals the latest vote per participant and statement of the log."""
    d = export_dir("brexit-consensus")
    ids = [s.id for s in read_comments(d / "comments.csv")]
    matrix, groups = read_participants_votes(d / "participants-votes.csv", ids)
    log = latest_votes(read_votes(d / "votes.csv", ids))
    a = sorted(
        zip(*(x.tolist() for x in (matrix.participant, matrix.statement, matrix.vote)), strict=True)
    )
    b = sorted(zip(*(x.tolist() for x in (log.participant, log.statement, log.vote)), strict=True))
    assert a == b
    assert len(groups) == 204


def test_latest_vote_wins(tmp_path: Path) -> None:
    _write(tmp_path, "comments.csv", COMMENTS_HEAD + "1,,0,1,0,0,1,hello\n")
    _write(tmp_path, "votes.csv", VOTES_HEAD + "20,,0,5,-1\n10,,0,5,1\n30,,0,6,0\n")
    conv = load_conversation(tmp_path)
    latest = latest_votes(conv.votes)
    pairs = zip(latest.participant.tolist(), latest.vote.tolist(), strict=True)
    assert list(pairs) == [(5, -1), (6, 0)]


def test_identical_repeated_row_is_accepted_conflicting_one_rejected(tmp_path: Path) -> None:
    p = _write(tmp_path, "votes.csv", VOTES_HEAD + "10,,0,5,1\n10,,0,5,1\n")
    assert len(read_votes(p)) == 2
    p = _write(tmp_path, "votes.csv", VOTES_HEAD + "10,,0,5,1\n10,,0,5,-1\n")
    with pytest.raises(PolisFormatError) as err:
        read_votes(p)
    assert (err.value.file, err.value.line, err.value.column) == ("votes.csv", 3, "vote")


@pytest.mark.parametrize(
    ("body", "line", "column"),
    [
        ("10,,0,5,2\n", 2, "vote"),
        ("10,,0,5,1\n10,,x,5,1\n", 3, "comment-id"),
        ("10,,0,-5,1\n", 2, "voter-id"),
        ("10,,9,5,1\n", 2, "comment-id"),  # unknown statement
        ("10,,0,5\n", 2, "vote"),  # missing field
        ("1.5,,0,5,1\n", 2, "timestamp"),
    ],
)
def test_bad_votes_name_line_and_column(tmp_path: Path, body: str, line: int, column: str) -> None:
    p = _write(tmp_path, "votes.csv", VOTES_HEAD + body)
    with pytest.raises(PolisFormatError) as err:
        read_votes(p, statement_ids=[0, 1])
    assert (err.value.file, err.value.line, err.value.column) == ("votes.csv", line, column)
    assert "votes.csv" in str(err.value) and f"line {line}" in str(err.value)


def test_missing_column_is_reported(tmp_path: Path) -> None:
    p = _write(tmp_path, "votes.csv", "timestamp,comment-id,vote\n1,2,1\n")
    with pytest.raises(PolisFormatError) as err:
        read_votes(p)
    assert (err.value.line, err.value.column) == (1, "voter-id")


def test_bad_comments(tmp_path: Path) -> None:
    p = _write(tmp_path, "comments.csv", COMMENTS_HEAD + "1,,0,1,0,0,1,a\n1,,1,1,0,0,7,b\n")
    with pytest.raises(PolisFormatError) as err:
        read_comments(p)
    assert (err.value.line, err.value.column) == (3, "moderated")
    p = _write(tmp_path, "comments.csv", COMMENTS_HEAD + "1,,0,1,0,0,1,a\n1,,0,1,0,0,1,b\n")
    with pytest.raises(PolisFormatError) as err:
        read_comments(p)
    assert (err.value.line, err.value.column) == (3, "comment-id")


def test_multiline_statement_keeps_line_numbers(tmp_path: Path) -> None:
    text = COMMENTS_HEAD + '1,,0,1,0,0,1,"two\nlines"\n1,,1,1,0,0,9,x\n'
    p = _write(tmp_path, "comments.csv", text)
    with pytest.raises(PolisFormatError) as err:
        read_comments(p)
    assert err.value.line == 4


def test_bad_participants_votes(tmp_path: Path) -> None:
    head = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1\n"
    p = _write(tmp_path, "participants-votes.csv", head + "0,1,0,1,1,0,1,\n1,,0,1,0,0,,x\n")
    with pytest.raises(PolisFormatError) as err:
        read_participants_votes(p)
    assert (err.value.line, err.value.column) == (3, "1")
    # a column that is not a statement id is left out with a warning (newer Polis layouts)...
    p = _write(
        tmp_path, "participants-votes.csv", head.replace(",1\n", ",one\n") + "0,1,0,0,0,0,1,\n"
    )
    warnings: list[PolisFormatWarning] = []
    log, _groups = read_participants_votes(p, warnings=warnings)
    assert log.statement.tolist() == [0]
    assert [(w.file, w.column) for w in warnings] == [("participants-votes.csv", "one")]
    # ...but a statement id that is not in comments.csv, or twice, is an error
    with pytest.raises(PolisFormatError) as err:
        read_participants_votes(p.with_name("participants-votes.csv"), [1])
    assert (err.value.line, err.value.column) == (1, "0")
    p = _write(tmp_path, "participants-votes.csv", head.replace(",1\n", ",00\n"))
    with pytest.raises(PolisFormatError) as err:
        read_participants_votes(p)
    assert (err.value.line, err.value.column) == (1, "00")


def test_missing_folder_and_files(tmp_path: Path) -> None:
    with pytest.raises(PolisFormatError):
        load_conversation(tmp_path / "nope")
    _write(tmp_path, "comments.csv", COMMENTS_HEAD)
    with pytest.raises(PolisFormatError) as err:
        load_conversation(tmp_path)
    assert "votes.csv" in str(err.value)


def test_invalid_utf8_reports_line(tmp_path: Path) -> None:
    p = tmp_path / "votes.csv"
    p.write_bytes(VOTES_HEAD.encode() + b"10,,0,5,1\n10,\xff,0,5,1\n")
    with pytest.raises(PolisFormatError) as err:
        read_votes(p)
    assert (err.value.line, err.value.column) == (3, "datetime")


def test_nul_and_broken_quotes_report_line_and_column(tmp_path: Path) -> None:
    p = _write(tmp_path, "votes.csv", VOTES_HEAD + "10,,0,5,1\n10,,0,\x005,1\n")
    with pytest.raises(PolisFormatError) as err:
        read_votes(p)
    assert (err.value.line, err.value.column) == (3, "voter-id")
    p = _write(tmp_path, "votes.csv", VOTES_HEAD + '10,,0,5,1\n10,,"0"x,5,1\n')
    with pytest.raises(PolisFormatError) as err:
        read_votes(p)
    assert err.value.line == 3 and err.value.column


def test_round_trip(tmp_path: Path, conversation: Any) -> None:
    conv = conversation(MATH_FIXTURE)
    write_comments(tmp_path / "comments.csv", conv.statements)
    write_votes(tmp_path / "votes.csv", conv.votes)
    again = load_conversation(tmp_path)
    assert again.statements == conv.statements
    a, b = latest_votes(conv.votes), latest_votes(again.votes)
    assert np.array_equal(a.participant, b.participant)
    assert np.array_equal(a.statement, b.statement)
    assert np.array_equal(a.vote, b.vote)
    groups = {int(p): int(p) % 3 for p in np.unique(conv.votes.participant)}
    write_participants_votes(
        tmp_path / "participants-votes.csv", conv.votes, groups, statements=conv.statements
    )
    header, first = (tmp_path / "participants-votes.csv").read_text().splitlines()[:2]
    assert header.startswith("participant,group-id,n-comments,n-votes,n-agree,n-disagree,")
    authored = sum(1 for s in conv.statements if s.author_id == int(first.split(",")[0]))
    assert int(first.split(",")[2]) == authored
    matrix, got_groups = read_participants_votes(tmp_path / "participants-votes.csv")
    assert got_groups == groups
    m = latest_votes(matrix)
    assert np.array_equal(m.vote, a.vote) and np.array_equal(m.statement, a.statement)


def test_statement_defaults() -> None:
    s = Statement(id=3)
    assert not s.moderated_out
    assert Statement(id=3, is_meta=True).moderated_out
    assert Statement(id=3, moderated=-1).moderated_out


def test_votelog_rejects_bad_values() -> None:
    from changemaker.consultations.engine import VoteError

    with pytest.raises(VoteError):
        VoteLog.from_arrays([1], [1], [2])
    with pytest.raises(VoteError):
        VoteLog.from_arrays([-1], [1], [1])


# ---------------------------------------------------------------------------------------------
# fuzzing: any text either parses or raises PolisFormatError (never another exception)

_cell = st.one_of(
    st.sampled_from(["", "0", "1", "-1", "2", "x", "1.0", " 3", "9" * 30, '"q"', "a,b", "\n"]),
    st.text(alphabet=string.printable + "é\x00\ufeff", max_size=6),
)
_row = st.lists(_cell, min_size=0, max_size=9).map(lambda r: ",".join(r))
_fuzz_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def _fuzz(tmp_path: Path, name: str, header: str, rows: list[str], reader: Any) -> None:
    p = tmp_path / name
    p.write_text(header + "\n".join(rows), encoding="utf-8")
    try:
        reader(p)
    except PolisFormatError as exc:
        assert exc.file == name
        assert exc.line >= 1
        assert exc.column
        assert str(exc).startswith(name)


@_fuzz_settings
@given(rows=st.lists(_row, max_size=8), header=st.booleans())
def test_fuzz_votes(tmp_path: Path, rows: list[str], header: bool) -> None:
    _fuzz(tmp_path, "votes.csv", VOTES_HEAD if header else "", rows, read_votes)


@_fuzz_settings
@given(rows=st.lists(_row, max_size=8), header=st.booleans())
def test_fuzz_comments(tmp_path: Path, rows: list[str], header: bool) -> None:
    _fuzz(tmp_path, "comments.csv", COMMENTS_HEAD if header else "", rows, read_comments)


@_fuzz_settings
@given(rows=st.lists(_row, max_size=8), header=st.booleans())
def test_fuzz_participants_votes(tmp_path: Path, rows: list[str], header: bool) -> None:
    head = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
    _fuzz(tmp_path, "participants-votes.csv", head if header else "", rows, read_participants_votes)


@_fuzz_settings
@given(data=st.binary(max_size=200))
def test_fuzz_raw_bytes(tmp_path: Path, data: bytes) -> None:
    for name, reader in (
        ("votes.csv", read_votes),
        ("comments.csv", read_comments),
        ("participants-votes.csv", read_participants_votes),
    ):
        p = tmp_path / name
        p.write_bytes(data)
        try:
            reader(p)
        except PolisFormatError as exc:
            assert exc.file == name
            assert exc.line >= 1
            assert exc.column


_pv_cell = st.sampled_from(["", "", "1", "-1", "0", "", "1"]) | _cell


@_fuzz_settings
@given(
    rows=st.lists(
        st.tuples(
            st.integers(0, 30),
            st.sampled_from(["", "0", "1"]),
            st.lists(_pv_cell, min_size=3, max_size=3),
        ),
        max_size=8,
    )
)
def test_fast_matrix_path_agrees_with_field_by_field(
    tmp_path: Path, rows: list[tuple[int, str, list[str]]], monkeypatch: Any
) -> None:
    from changemaker.consultations.engine import polis_io

    head = "participant,group-id,n-comments,n-votes,n-agree,n-disagree,0,1,2\n"
    body = "".join(f"{p},{g},0,0,0,0,{','.join(c)}\n" for p, g, c in rows)
    path = tmp_path / "participants-votes.csv"
    path.write_text(head + body, encoding="utf-8")

    def outcome() -> Any:
        try:
            log, groups = read_participants_votes(path)
        except PolisFormatError as exc:
            return ("error", exc.line, exc.column)
        return (log.participant.tolist(), log.statement.tolist(), log.vote.tolist(), groups)

    fast = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(polis_io, "_fast_matrix", lambda *a: None)
        slow = outcome()
    assert fast == slow


@_fuzz_settings
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["1", "20", "", " 5", "x"]) | st.integers(0, 99).map(str),
            st.integers(0, 3).map(str) | _cell,
            st.integers(0, 9).map(str) | _cell,
            st.sampled_from(["1", "-1", "0"]) | _cell,
        ),
        max_size=8,
    )
)
def test_fast_votes_path_agrees_with_field_by_field(
    tmp_path: Path, rows: list[tuple[str, str, str, str]], monkeypatch: Any
) -> None:
    from changemaker.consultations.engine import polis_io

    body = "".join(f"{t},,{c},{p},{v}\n" for t, c, p, v in rows)
    path = tmp_path / "votes.csv"
    path.write_text(VOTES_HEAD + body, encoding="utf-8")

    def outcome() -> Any:
        try:
            log = read_votes(path)
        except PolisFormatError as exc:
            return ("error", exc.line, exc.column)
        return [x.tolist() for x in (log.participant, log.statement, log.vote, log.timestamp)]

    fast = outcome()
    with monkeypatch.context() as patched:
        patched.setattr(polis_io, "_fast_ints", lambda *a: None)
        slow = outcome()
    assert fast == slow
