"""Every column layout Polis has published imports, and gives the same conversation.

The fixtures (``fixtures/layouts/``, see its README) are one subset of brexit-consensus written in
each layout; columns that are neither Polis' own nor statement ids are left out with a warning,
and broken files still fail with file, line and column.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from changemaker.consultations.engine import (
    Conversation,
    PolisFormatError,
    PolisFormatWarning,
    epoch_ms,
    file_kind,
    load_conversation,
    read_comments,
    read_participants_votes,
    read_votes,
)
from changemaker.consultations.engine.matrix import latest_votes

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"
ALL = sorted(p.name for p in LAYOUTS.iterdir() if p.is_dir())
REFERENCE = "classic-2017"
NOT_CLUSTERED = {5, 6}  # spreadsheet-crlf-bom: group-id emptied


def _cells(conv: Conversation) -> list[tuple[int, int, int]]:
    log = latest_votes(conv.votes)
    return sorted(
        zip(log.participant.tolist(), log.statement.tolist(), log.vote.tolist(), strict=True)
    )


def test_every_layout_is_in_the_fixtures() -> None:
    assert ALL == [
        "classic-2017",
        "meta-seed-2023",
        "server-2024",
        "spreadsheet-crlf-bom",
        "xid-2022",
    ]


@pytest.mark.parametrize("layout", ALL)
def test_every_layout_gives_the_same_conversation(layout: str) -> None:
    reference = load_conversation(LAYOUTS / REFERENCE)
    conv = load_conversation(LAYOUTS / layout)
    assert [(s.id, s.text, s.moderated, s.is_meta) for s in conv.statements] == [
        (s.id, s.text, s.moderated, s.is_meta) for s in reference.statements
    ]
    assert [s.author_id for s in conv.statements] == [s.author_id for s in reference.statements]
    assert _cells(conv) == _cells(reference)
    assert reference.polis_groups is not None and conv.polis_groups is not None
    expected = dict(reference.polis_groups)
    if layout == "spreadsheet-crlf-bom":
        expected.update(dict.fromkeys(NOT_CLUSTERED))
    assert conv.polis_groups == expected


@pytest.mark.parametrize(
    ("layout", "source"),
    [
        ("classic-2017", "votes.csv"),
        ("meta-seed-2023", "votes.csv"),
        ("server-2024", "votes.csv"),
        ("spreadsheet-crlf-bom", "participants-votes.csv"),
        ("xid-2022", "participants-votes.csv"),
    ],
)
def test_source_and_warnings(layout: str, source: str) -> None:
    conv = load_conversation(LAYOUTS / layout)
    assert conv.source == source
    if layout == "spreadsheet-crlf-bom":  # the council's own "notes" column, in both files
        assert conv.warnings == (
            PolisFormatWarning(
                "comments.csv", "notes", "not a Polis column; left out of the import"
            ),
            PolisFormatWarning(
                "participants-votes.csv", "notes", "not a Polis column; left out of the import"
            ),
        )
        assert str(conv.warnings[0]) == (
            "comments.csv, column 'notes': not a Polis column; left out of the import"
        )
    else:  # xid, is-seed, group-informed-consensus, n-*...: Polis' own, no warning
        assert conv.warnings == ()


def test_seed_flags_of_the_2023_layout() -> None:
    conv = load_conversation(LAYOUTS / "meta-seed-2023")
    assert {s.id for s in conv.statements if s.is_seed} == {
        s.id for s in conv.statements if s.author_id == 0
    }
    assert not any(s.is_meta for s in conv.statements)


def test_matrix_named_participant_votes_gives_polis_groups_without_votes_csv(
    tmp_path: Path,
) -> None:
    for name in ("comments.csv", "participant-votes.csv"):
        shutil.copy(LAYOUTS / "server-2024" / name, tmp_path / name)
    conv = load_conversation(tmp_path)
    assert conv.source == "participant-votes.csv"
    assert conv.polis_groups == load_conversation(LAYOUTS / REFERENCE).polis_groups


def test_timestamps_in_seconds_become_milliseconds() -> None:
    seconds = load_conversation(LAYOUTS / "server-2024").votes
    millis = load_conversation(LAYOUTS / REFERENCE).votes
    assert int(seconds.timestamp.max()) < 10**11 <= int(millis.timestamp.max())
    as_ms = epoch_ms(seconds.timestamp)
    assert sorted(as_ms.tolist()) == sorted((millis.timestamp // 1000 * 1000).tolist())
    assert epoch_ms(millis.timestamp) is millis.timestamp  # already milliseconds
    assert epoch_ms(np.zeros(3, dtype=np.int64)).tolist() == [0, 0, 0]  # no timestamps at all


@pytest.mark.parametrize("layout", ALL)
def test_file_kind_from_the_header_whatever_the_file_is_called(layout: str) -> None:
    for path in (LAYOUTS / layout).glob("*.csv"):
        text = path.read_text(encoding="utf-8")
        expected = {
            "participant-votes.csv": "participants-votes.csv",
            "summary.csv": None,
        }.get(path.name, path.name)
        assert file_kind(text) == expected, path
    assert file_kind("") is None
    assert file_kind("n-votes,n-comments,n-visitors,n-voters,n-commenters\n") is None


def test_flags_accept_every_spelling(tmp_path: Path) -> None:
    head = "comment-id,moderated,comment-body,is-meta,is-seed\n"
    rows = "0,1,a,true,FALSE\n1,1,b,1,t\n2,1,c,,\n3,1,d,f,0\n"
    (tmp_path / "comments.csv").write_text(head + rows, encoding="utf-8")
    got = [(s.is_meta, s.is_seed) for s in read_comments(tmp_path / "comments.csv")]
    assert got == [(True, False), (True, True), (False, False), (False, False)]
    (tmp_path / "comments.csv").write_text(head + "0,1,a,yes,0\n", encoding="utf-8")
    with pytest.raises(PolisFormatError) as err:
        read_comments(tmp_path / "comments.csv")
    assert (err.value.line, err.value.column) == (2, "is-meta")


# ---------------------------------------------------------------------------------------------
# broken files keep their line and column errors, whatever the layout


def _broken(tmp_path: Path, layout: str, name: str, line: int, old: str, new: str) -> Path:
    folder = tmp_path / layout
    shutil.copytree(LAYOUTS / layout, folder)
    path = folder / name
    data = path.read_bytes()
    newline = b"\r\n" if b"\r\n" in data else b"\n"
    lines = data.split(newline)
    assert old.encode() in lines[line - 1], (layout, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old.encode(), new.encode(), 1)
    path.write_bytes(newline.join(lines))
    return folder


@pytest.mark.parametrize(
    ("layout", "name", "line", "old", "new", "column"),
    [
        # a vote that is not -1, 0 or 1
        ("server-2024", "votes.csv", 3, ",-1\n", ",yes\n", "vote"),
        ("meta-seed-2023", "votes.csv", 2, ",0,0,0", ",0,0,2", "vote"),
        ("xid-2022", "participants-votes.csv", 3, ",-1,1,1,", ",-1,x,1,", "1"),
        ("spreadsheet-crlf-bom", "participants-votes.csv", 2, "1,0,1,1,", "1,0,1,agree,", "18"),
        # a statement column naming no statement in comments.csv
        ("xid-2022", "participants-votes.csv", 1, ",18,", ",19,", "19"),
        ("server-2024", "participant-votes.csv", 1, ",20", ",21", "21"),
        # a ragged row
        ("xid-2022", "participants-votes.csv", 4, ",", ",,", None),
        ("spreadsheet-crlf-bom", "comments.csv", 3, ",", ",,", None),
        # a participant id that is not a number
        ("xid-2022", "participants-votes.csv", 2, "0,ext", "zero,ext", "participant"),
        # a moderation flag out of range
        ("meta-seed-2023", "comments.csv", 2, ",1,false,", ",2,false,", "moderated"),
    ],
)
def test_broken_files_name_line_and_column(
    tmp_path: Path, layout: str, name: str, line: int, old: str, new: str, column: str | None
) -> None:
    old, new = old.rstrip("\n"), new.rstrip("\n")
    folder = _broken(tmp_path, layout, name, line, old, new)
    with pytest.raises(PolisFormatError) as err:
        load_conversation(folder)
    assert err.value.file == name
    assert err.value.line == line
    assert err.value.column
    if column is not None:
        assert err.value.column == column
    assert str(err.value).startswith(f"{name}, line {line}, column ")


def test_unknown_columns_of_votes_and_comments_warn(tmp_path: Path) -> None:
    (tmp_path / "votes.csv").write_text(
        "voter-id,vote,weight,comment-id,\n0,1,2,5,\n", encoding="utf-8"
    )
    warnings: list[PolisFormatWarning] = []
    log = read_votes(tmp_path / "votes.csv", warnings=warnings)
    assert (log.participant.tolist(), log.statement.tolist(), log.vote.tolist()) == ([0], [5], [1])
    assert [(w.column, w.message) for w in warnings] == [
        ("weight", "not a Polis column; left out of the import"),
        ("field 5", "an unnamed column; left out of the import"),
    ]


# ---------------------------------------------------------------------------------------------
# any order of the columns, with or without Polis' optional and unknown columns


_STATEMENTS = [0, 1, 2, 3]
_MATRIX = {  # participant -> (group, cells)
    10: ("0", ["1", "-1", "", "0"]),
    11: ("1", ["", "", "1", "1"]),
    12: ("", ["-1", "0", "", ""]),
}
_EXPECTED_MATRIX = sorted(
    (p, _STATEMENTS[i], int(c))
    for p, (_g, cells) in _MATRIX.items()
    for i, c in enumerate(cells)
    if c != ""
)


def _write_table(path: Path, header: list[str], rows: list[list[str]], crlf: bool) -> None:
    end = "\r\n" if crlf else "\n"
    path.write_text(
        end.join(",".join(r) for r in [header, *rows]) + end, encoding="utf-8", newline=""
    )


_layout_settings = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_layout_settings
@given(
    seed=st.integers(0, 2**32 - 1),
    xid=st.booleans(),
    counts=st.booleans(),
    extra=st.lists(st.sampled_from(["notes", "score", "1.5", "-2", "n-pass", ""]), unique=True),
    crlf=st.booleans(),
)
def test_matrix_in_any_column_order(
    tmp_path: Path, seed: int, xid: bool, counts: bool, extra: list[str], crlf: bool
) -> None:
    columns: dict[str, list[str]] = {
        "participant": [str(p) for p in _MATRIX],
        "group-id": [g for g, _ in _MATRIX.values()],
    }
    if xid:
        columns["xid"] = ["ext-a", "", "b"]
    if counts:
        for name in ("n-comments", "n-votes", "n-agree", "n-disagree"):
            columns[name] = ["0"] * len(_MATRIX)
    for i, sid in enumerate(_STATEMENTS):
        columns[str(sid)] = [cells[i] for _g, cells in _MATRIX.values()]
    for name in extra:
        columns[name] = ["?"] * len(_MATRIX)
    order = list(columns)
    random.Random(seed).shuffle(order)
    rows = [[columns[c][r] for c in order] for r in range(len(_MATRIX))]
    path = tmp_path / "participants-votes.csv"
    _write_table(path, order, rows, crlf)
    warnings: list[PolisFormatWarning] = []
    log, groups = read_participants_votes(path, _STATEMENTS, warnings=warnings)
    got = sorted(
        zip(log.participant.tolist(), log.statement.tolist(), log.vote.tolist(), strict=True)
    )
    assert got == _EXPECTED_MATRIX
    assert groups == {10: 0, 11: 1, 12: None}
    labels = {name or f"field {order.index(name) + 1}" for name in extra}
    assert {w.column for w in warnings} == labels
    assert len(warnings) == len(extra)


_COMMENT_COLUMNS = {
    "comment-id": ["0", "1", "2"],
    "moderated": ["1", "-1", "0"],
    "comment-body": ["First", '"Two, with a comma"', "Third"],
}
_COMMENT_OPTIONAL = {
    "timestamp": ["1500232652930", "", "1500232658000"],
    "datetime": ["Mon Jul 17 2017", "", "x"],
    "author-id": ["0", "4", ""],
    "agrees": ["3", "0", "1"],
    "disagrees": ["1", "0", "0"],
    "passes": ["", "", ""],
    "is-meta": ["false", "true", "0"],
    "is-seed": ["true", "false", "1"],
    "group-informed-consensus": ["0.25", "", "0.5"],
}
_VOTE_COLUMNS = {
    "comment-id": ["0", "1", "0", "2"],
    "voter-id": ["7", "7", "8", "8"],
    "vote": ["1", "-1", "0", "1"],
}
_VOTE_OPTIONAL = {
    "timestamp": ["1500232652930", "1500232652931", "1500232652932", "1500232652933"],
    "datetime": ["a", "b", "c", "d"],
}


@_layout_settings
@given(
    seed=st.integers(0, 2**32 - 1),
    comment_optional=st.sets(st.sampled_from(sorted(_COMMENT_OPTIONAL))),
    vote_optional=st.sets(st.sampled_from(sorted(_VOTE_OPTIONAL))),
    crlf=st.booleans(),
    bom=st.booleans(),
)
def test_comments_and_votes_in_any_column_order(
    tmp_path: Path,
    seed: int,
    comment_optional: set[str],
    vote_optional: set[str],
    crlf: bool,
    bom: bool,
) -> None:
    rng = random.Random(seed)
    for name, required, optional in (
        ("comments.csv", _COMMENT_COLUMNS, _COMMENT_OPTIONAL),
        ("votes.csv", _VOTE_COLUMNS, _VOTE_OPTIONAL),
    ):
        chosen = comment_optional if name == "comments.csv" else vote_optional
        columns = {**required, **{c: optional[c] for c in sorted(chosen)}}
        order = list(columns)
        rng.shuffle(order)
        n = len(next(iter(columns.values())))
        rows = [[columns[c][r] for c in order] for r in range(n)]
        _write_table(tmp_path / name, order, rows, crlf)
        if bom:
            path = tmp_path / name
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    conv = load_conversation(tmp_path)
    assert conv.warnings == ()
    assert [(s.id, s.text, s.moderated) for s in conv.statements] == [
        (0, "First", 1),
        (1, "Two, with a comma", -1),
        (2, "Third", 0),
    ]
    has = comment_optional.__contains__
    assert [s.is_meta for s in conv.statements] == (
        [False, True, False] if has("is-meta") else [False] * 3
    )
    assert [s.is_seed for s in conv.statements] == (
        [True, False, True] if has("is-seed") else [False] * 3
    )
    assert [s.author_id for s in conv.statements] == (
        [0, 4, None] if has("author-id") else [None] * 3
    )
    assert sorted(
        zip(
            conv.votes.participant.tolist(),
            conv.votes.statement.tolist(),
            conv.votes.vote.tolist(),
            strict=True,
        )
    ) == [(7, 0, 1), (7, 1, -1), (8, 0, 0), (8, 2, 1)]
