"""The .pb reader and writer: real files, round trips, pabutools agreement, broken input."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.budgeting.engine import pabulib, pabulib_votes
from changemaker.budgeting.engine.errors import PabulibError
from changemaker.budgeting.engine.model import Election
from changemaker.budgeting.engine.pabulib import (
    election_to_pabulib,
    parse_pabulib,
    read_pabulib,
    write_pabulib,
)
from changemaker.budgeting.engine.tests import oracle

FIXTURES = Path(__file__).parent / "fixtures"
FILES = sorted(p.name for p in FIXTURES.glob("*.pb"))

GOOD = '''META
key;value
description;"A test; with a quoted ""semicolon"""
budget;10
vote_type;cumulative
PROJECTS
project_id;cost;name;category
p1;4;"Park; benches";green
p2;6.5;Library;culture
p3;3;Bins;
VOTES
voter_id;age;vote;points
1;34;p1,p2;2,1
2;;p2,p1;1,2
3;50;p3;3
'''


def same(a: Election, b: Election) -> bool:
    """The same election; the writer adds num_projects/num_votes to META."""

    def meta(e: Election) -> dict[str, str]:
        return {k: v for k, v in e.meta.items() if k not in ("num_projects", "num_votes")}

    return (a.projects, a.budget, a.vote_type, a.ballots, a.multiplicity, a.voters, meta(a)) == (
        b.projects,
        b.budget,
        b.vote_type,
        b.ballots,
        b.multiplicity,
        b.voters,
        meta(b),
    )


@pytest.mark.parametrize("name", FILES)
def test_real_files_round_trip_and_match_pabutools(name: str, tmp_path: Path) -> None:
    e = read_pabulib(FIXTURES / name)
    out = tmp_path / name
    write_pabulib(e, out)
    again = read_pabulib(out)
    assert again.projects == e.projects
    assert again.ballots == e.ballots and again.multiplicity == e.multiplicity
    assert again.voters == e.voters and again.budget == e.budget
    instance, profile = oracle.load(path=str(FIXTURES / name))
    assert Fraction(str(instance.budget_limit)) == e.budget
    assert {p.name: Fraction(str(p.cost)) for p in instance} == {p.id: p.cost for p in e.projects}
    assert profile.num_ballots() == e.num_voters
    # and pabutools reads what we write
    instance2, profile2 = oracle.load(path=str(out))
    assert profile2.num_ballots() == e.num_voters and len(instance2) == len(e.projects)


def test_quoted_fields_optional_columns_and_merging() -> None:
    e = parse_pabulib(GOOD)
    assert e.meta["description"] == 'A test; with a quoted "semicolon"'
    assert e.projects[0].name == "Park; benches"
    assert e.projects[1].cost == Fraction(13, 2)
    assert e.vote_type == "cumulative"
    # voters 1 and 2 gave the same points to the same projects: one ballot, twice
    assert e.multiplicity == (2, 1)
    assert same(parse_pabulib(election_to_pabulib(e)), e)


def test_choose_one_is_read_as_approval() -> None:
    text = GOOD.replace("cumulative", "choose-1").replace(";points", "")
    text = (
        text.replace("p1,p2;2,1", "p1").replace("p2,p1;1,2", "p2").replace("3;50;p3;3", "3;50;p3")
    )
    e = parse_pabulib(text)
    assert e.is_approval and e.multiplicity == (1, 1, 1)


def test_ordinal_keeps_the_order() -> None:
    text = GOOD.replace("cumulative", "ordinal").replace(";points", "")
    text = (
        text.replace("p1,p2;2,1", "p1,p2")
        .replace("p2,p1;1,2", "p2,p1")
        .replace("3;50;p3;3", "3;50;p3")
    )
    e = parse_pabulib(text)
    assert [b.projects for b in e.ballots] == [(0, 1), (1, 0), (2,)]


BROKEN = [
    (GOOD.replace("budget;10\n", ""), None, "no budget"),
    (GOOD.replace("vote_type;cumulative", "vote_type;quadratic"), None, "unknown vote_type"),
    (GOOD.replace("p2;6.5;", "p2;six;"), 9, "not a number"),
    (GOOD.replace("p2;6.5;", "p2;-6;"), 9, "negative"),
    (GOOD.replace("p3;3;Bins;", "p1;3;Bins;"), 10, "listed twice"),
    (GOOD.replace("3;50;p3;3", "3;50;p9;3"), 15, "not in PROJECTS"),
    (GOOD.replace("3;50;p3;3", "3;50;p3;3;4"), 15, "fields"),
    (GOOD.replace("3;50;p3;3", "2;50;p3;3"), 15, "voted twice"),
    (GOOD.replace("3;50;p3;3", "3;50;p3,p3;3,1"), 15, "twice"),
    (GOOD.replace("3;50;p3;3", "3;50;p3,p1;3"), 15, "points"),
    (GOOD.replace('"Park; benches"', '"Park; benches'), 8, "quot"),
    (GOOD.replace("PROJECTS\n", ""), None, ""),
    (GOOD.replace("project_id;cost;name;category", "project_id;price;name;category"), 7, "cost"),
    (GOOD.replace("voter_id;age;vote;points", "voter_id;age;vote"), 12, "points"),
    (
        "META\nkey;value\nbudget;1\nvote_type;approval\nnum_votes;5\nPROJECTS\n"
        "project_id;cost\na;1\nVOTES\nvoter_id;vote\n1;a\n",
        None,
        "truncated",
    ),
    ("hello\n", 1, "META"),
]


@pytest.mark.parametrize(("text", "line", "words"), BROKEN)
def test_broken_files_name_the_line_and_the_problem(
    text: str, line: int | None, words: str
) -> None:
    with pytest.raises(PabulibError) as info:
        parse_pabulib(text, source="upload.pb")
    err = info.value
    assert err.source == "upload.pb" and "upload.pb" in str(err)
    assert words.lower() in str(err).lower()
    if line is not None:
        assert err.line == line and f"line {line}" in str(err)
    assert err.hint


def test_not_utf8(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_bytes(GOOD.encode().replace(b"Library", b"Libr\xff\xfery"))
    with pytest.raises(PabulibError, match=r"line 9.*UTF-8"):
        read_pabulib(bad)


@pytest.mark.parametrize("value", ["a\rb", "a\nb", "a;b", 'a "b"', "a\r\nb"])
def test_values_with_line_breaks_quotes_or_semicolons_round_trip(value: str) -> None:
    text = GOOD.replace("Library", '"' + value.replace('"', '""') + '"')
    e = parse_pabulib(text)
    assert e.projects[1].name == value
    assert same(parse_pabulib(election_to_pabulib(e)), e)


def test_budget_written_as_the_file_wrote_it_round_trips() -> None:
    """Found by the fuzzer: 'budget;010' read, written and read again is the same election."""
    text = GOOD.replace("budget;10", "budget;010")
    assert "budget;010" in text
    e = parse_pabulib(text)
    assert same(parse_pabulib(election_to_pabulib(e)), e)
    assert "budget;010" in election_to_pabulib(e)


LONG = "9" * 5000  # past Python's 4,300-digit limit on int("...")


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_fuzzed_files_raise_only_pabulib_errors(data: st.DataObject) -> None:
    text = GOOD
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(text)))
        op = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(
            st.text(alphabet=';,"\n\r 0123456789.-aNopPVMETAS\x00é²', max_size=6)
            | st.sampled_from([LONG, "num_votes;", "0." + LONG])
        )
        if op == "insert":
            text = text[:pos] + chunk + text[pos:]
        elif op == "delete":
            text = text[:pos] + text[pos + len(chunk) + 1 :]
        else:
            text = text[:pos] + chunk + text[pos + len(chunk) :]
    try:
        e = parse_pabulib(text)
    except PabulibError as err:
        assert err.problem and err.hint
        return
    assert same(parse_pabulib(election_to_pabulib(e)), e)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes(tmp_path_factory: pytest.TempPathFactory, blob: bytes) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "x.pb"
    path.write_bytes(blob)
    with pytest.raises(PabulibError):
        read_pabulib(path)


# The VOTES section is read in bulk unless something is unusual, when the precise
# line-by-line reader takes over. Both must always give the same election or the same error.

APPROVAL = (
    "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n"
    "a;4\nb;6\nc;3\nVOTES\nvoter_id;vote;age;district\n"
    "1;a,b;34;North\n2;b,a;;South\n3;c;50;North\n4;a,c;34;North\n5;b;;\n"
)


def _precise(text: str) -> Election | PabulibError:
    with mock.patch.object(pabulib_votes.BulkVotes, "read", lambda *args: None):
        return _outcome(text)


def _outcome(text: str) -> Election | PabulibError:
    try:
        return parse_pabulib(text, source="x.pb")
    except PabulibError as err:
        return err


def _agree(text: str) -> None:
    fast, precise = _outcome(text), _precise(text)
    if isinstance(precise, PabulibError):
        assert isinstance(fast, PabulibError), text
        assert (fast.line, fast.problem) == (precise.line, precise.problem), text
    else:
        assert isinstance(fast, Election), text
        assert same(fast, precise) and fast.voters is not None and precise.voters is not None
        assert len(fast.voters) == len(precise.voters) == fast.num_voters


@pytest.mark.parametrize("name", FILES)
def test_bulk_reader_equals_the_precise_reader_on_real_files(name: str) -> None:
    fast = read_pabulib(FIXTURES / name)
    with mock.patch.object(pabulib_votes.BulkVotes, "read", lambda *args: None):
        precise = read_pabulib(FIXTURES / name)
    assert same(fast, precise) and dict(fast.meta) == dict(precise.meta)


@pytest.mark.parametrize(
    "text",
    [
        APPROVAL,
        APPROVAL.replace("\n", "\r\n"),
        APPROVAL.rstrip("\n"),
        APPROVAL.replace("2;b,a", "2;b, a"),
        APPROVAL.replace("2;b,a", "2;none"),
        APPROVAL.replace("2;b,a", "2;"),
        APPROVAL.replace("2;b,a", '2;"b,a"'),
        APPROVAL.replace("2;b,a", " 2;b,a"),
        APPROVAL.replace("5;b", "1;b"),
        APPROVAL.replace("5;b", "5;b,b"),
        APPROVAL.replace("5;b", "5;z"),
        APPROVAL.replace("5;b;", "5;b"),
        APPROVAL.replace("3;c;50;North\n", "3;c;50;North\n\n"),
        APPROVAL.replace("3;c", "3\r;c"),
        APPROVAL.replace("\n", "\r\n").replace("3;c", "3\n;c"),
        APPROVAL.replace("\n", "\r\n").replace("2;b,a;;South", "2\n2;b,a;South"),
        APPROVAL.replace("\n", "\r\n").replace("\r\n5;b", "\n5;b"),
        APPROVAL.replace("3;c", "3;ć"),
        APPROVAL.replace("North", "Północ"),
        GOOD,
        GOOD.replace("2,1", "2.5,-1"),
        GOOD.replace("p2,p1;1,2", "p2,p1;1"),
        GOOD.replace("cumulative", "ordinal").replace(";points", "").replace(";2,1", ""),
    ],
)
def test_bulk_reader_equals_the_precise_reader_on_odd_files(text: str) -> None:
    _agree(text)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_bulk_reader_equals_the_precise_reader_on_fuzzed_files(data: st.DataObject) -> None:
    text = data.draw(st.sampled_from([APPROVAL, GOOD]))
    start = text.index("VOTES")
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(start, len(text)))
        chunk = data.draw(
            st.text(alphabet=';,"\n\r 0123456789.abcpé\t', max_size=4) | st.just(LONG)
        )
        text = text[:pos] + chunk + text[pos + data.draw(st.integers(0, 3)) :]
    _agree(text)


TOO_LONG = [
    (GOOD.replace("p2;6.5;", f"p2;{LONG};"), 9, "the cost of project 'p2'"),
    (GOOD.replace("p2;6.5;", f"p2;0.{LONG};"), 9, "the cost of project 'p2'"),
    (GOOD.replace("p2;6.5;", f"p2;{'1' * 51};"), 9, "the cost of project 'p2'"),
    (GOOD.replace("budget;10", f"budget;{LONG}"), 4, "the budget"),
    (GOOD.replace("3;50;p3;3", f"3;50;p3;{LONG}"), 15, "points"),
    (GOOD.replace("1;34;p1,p2;2,1", f"1;34;p1,p2;2,-{LONG}"), 13, "points"),
    (APPROVAL.replace("budget;10", f"budget;10\nnum_votes;{LONG}"), 4, "num_votes"),
    (APPROVAL.replace("budget;10", "budget;10\nnum_votes;²"), 4, "num_votes"),
]


@pytest.mark.parametrize(("text", "line", "field"), TOO_LONG)
def test_a_number_too_long_to_read_is_a_line_error_naming_the_field(
    text: str, line: int | None, field: str, tmp_path: Path
) -> None:
    """Found in production: a cost of 5,000 digits gave a ValueError deep in int() (a 500)."""
    path = tmp_path / "long.pb"
    path.write_text(text, encoding="utf-8")
    for read in (lambda: parse_pabulib(text, source="long.pb"), lambda: read_pabulib(path)):
        with pytest.raises(PabulibError) as info:
            read()
        err = info.value
        assert field in err.problem and err.line == line and err.hint
        assert len(str(err)) < 400  # the number is not repeated in full
    _agree(text)  # the bulk and the precise reader say the same


def test_the_longest_number_allowed_is_read_exactly() -> None:
    cost = "1" * pabulib.MAX_NUMBER_LENGTH
    e = parse_pabulib(GOOD.replace("p2;6.5;", f"p2;{cost};"))
    assert e.projects[1].cost == int(cost)


def test_voter_data_is_built_when_first_used(tmp_path: Path) -> None:
    path = tmp_path / "a.pb"
    path.write_text(APPROVAL, encoding="utf-8")
    e = read_pabulib(path)
    assert e.voters is not None and len(e.voters) == 5
    assert e.voters.ids == ("1", "2", "3", "4", "5")
    assert e.voters.columns == ("age", "district")
    assert e.voters.extra[1] == ("", "South") and e.voters.ballot_index == (0, 0, 1, 2, 3)


@pytest.mark.parametrize("chunk", [0, 1, 100, 1 << 20])
@pytest.mark.parametrize(
    "name", ["Poland_Warszawa_2020_Praga-Poludnie.pb", "Switzerland_Zurich_D10.pb"]
)
def test_the_bulk_reader_gives_the_same_election_whatever_its_chunk_size(
    name: str, chunk: int
) -> None:
    """Lines are split into fields a chunk of bytes at a time, for the ballots and again for
    the voters."""
    with mock.patch.object(pabulib_votes, "_CHUNK", chunk):
        e = read_pabulib(FIXTURES / name)
        assert e.voters is not None and len(e.voters.ids) == e.num_voters
    with mock.patch.object(pabulib_votes.BulkVotes, "read", lambda *args: None):
        assert same(e, read_pabulib(FIXTURES / name))


# read_pabulib decodes only the text up to the VOTES header and reads the votes from the bytes;
# whenever that start is not enough it parses the whole text. Either way it must give what
# parse_pabulib gives for the whole text.


def _read(path: Path, text: str) -> Election | PabulibError:
    path.write_bytes(text.encode("utf-8", "surrogatepass"))
    try:
        return read_pabulib(path)
    except PabulibError as err:
        return err


def _same_outcome(read: Election | PabulibError, parsed: Election | PabulibError) -> None:
    if isinstance(parsed, PabulibError):
        assert isinstance(read, PabulibError)
        assert (read.line, read.problem) == (parsed.line, parsed.problem)
    else:
        assert isinstance(read, Election) and same(read, parsed)


@pytest.mark.parametrize(
    "text",
    [
        GOOD,
        "\ufeff" + GOOD,
        GOOD.replace("VOTES\n", "  votes \r\n"),
        GOOD.replace("VOTES\n", "VOTES\n\n"),  # a blank line before the header
        GOOD.replace("VOTES\nvoter_id", "VOTES\nvoter_id;x\nVOTES\nvoter_id"),
        GOOD.replace('"A test;', '"A test\nVOTES\n;'),  # a VOTES line inside quotes
        GOOD.replace("VOTES\n", ""),
        GOOD.replace("1;34", '"1";34'),
        GOOD.replace("budget;10", "budget;ten"),
        GOOD.rstrip("\n"),
        APPROVAL,
    ],
)
def test_reading_a_file_equals_parsing_its_whole_text(text: str, tmp_path: Path) -> None:
    _same_outcome(_read(tmp_path / "x.pb", text), _outcome(text))


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_reading_a_fuzzed_file_equals_parsing_its_whole_text(
    tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    text = data.draw(st.sampled_from([APPROVAL, GOOD]))
    for _ in range(data.draw(st.integers(1, 3))):
        pos = data.draw(st.integers(0, len(text)))
        piece = data.draw(st.sampled_from(["\n", "\r\n", '"', ";", "VOTES", " votes", "x", "1"]))
        text = text[:pos] + piece + text[pos + data.draw(st.integers(0, 3)) :]
    path = tmp_path_factory.mktemp("read") / "x.pb"
    _same_outcome(_read(path, text), _outcome(text))
