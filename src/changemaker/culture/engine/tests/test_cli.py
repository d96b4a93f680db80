"""``changemaker culture report``: the contract's JSON, and bad input that names file, line and
column and reports nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemaker.culture.cli import cli
from changemaker.culture.engine import synthetic

UNITS = "unit,parent,name\nORG,,Council\nA,ORG,Adults\nB,ORG,Children\n"
ITEMS = "item,scale,reverse,text\nm1,mission,0,Purpose\nm2,mission,1,Lost\nc1,creativity,0,Ideas\n"


def _responses(rows: int = 24) -> str:
    lines = ["respondent,unit,wave,grade,m1,m2,c1"]
    for i in range(rows):
        unit = "A" if i % 2 else "B"
        lines.append(f"r{i},{unit},2026,{'AO' if i % 3 else ''},{1 + i % 5},{1 + (i * 2) % 5},")
    return "\n".join(lines) + "\n"


def _run(tmp_path: Path, responses: str, units: str = UNITS, items: str = ITEMS, *extra: str):
    (tmp_path / "responses.csv").write_text(responses, encoding="utf-8")
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    (tmp_path / "items.csv").write_text(items, encoding="utf-8")
    args = [
        "report",
        str(tmp_path / "responses.csv"),
        "--units",
        str(tmp_path / "units.csv"),
        "--items",
        str(tmp_path / "items.csv"),
        *extra,
    ]
    return CliRunner().invoke(cli, args)


def test_report_json_follows_the_contract(tmp_path: Path) -> None:
    result = _run(
        tmp_path,
        _responses(),
        UNITS,
        ITEMS,
        "--min-group",
        "5",
        "--breakdown",
        "grade",
        "--format",
        "json",
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert set(report) == {"cells", "reliability"}
    keys = {
        "unit",
        "wave",
        "breakdown",
        "scale",
        "n",
        "score",
        "sd",  # the standard deviation of respondent scores (trends' intervals)
        "percent_positive",
        "suppressed",
        "reason",
    }
    assert all(set(c) == keys for c in report["cells"])
    # 3 units x 1 wave x (overall, grade '' and grade AO) x 2 scales
    assert len(report["cells"]) == 3 * 3 * 2
    assert {json.dumps(c["breakdown"]) for c in report["cells"]} == {
        "null",
        '{"grade": ""}',
        '{"grade": "AO"}',
    }
    root = next(
        c
        for c in report["cells"]
        if c["unit"] == "ORG" and c["breakdown"] is None and c["scale"] == "mission"
    )
    assert root["n"] == 24 and not root["suppressed"]
    # creativity is blank for everyone: n is 0, so it is suppressed everywhere
    assert all(c["suppressed"] for c in report["cells"] if c["scale"] == "creativity")
    assert [r["scale"] for r in report["reliability"]] == ["mission", "creativity"]
    assert set(report["reliability"][0]) == {"wave", "scale", "alpha", "ci", "omega", "n", "reason"}
    assert report["reliability"][1]["reason"] == "fewer_than_min"  # nobody answered it


@pytest.mark.parametrize(
    ("which", "content", "expected"),
    [
        (
            "responses",
            _responses().replace("r3,A,2026,,4,2,", "r3,A,2026,,7,2,"),
            "responses.csv, line 5, column 'm1': '7' is not an answer",
        ),
        (
            "responses",
            _responses().replace("r3,A,", "r3,Z,"),
            "responses.csv, line 5, column 'unit': 'Z' is not a unit",
        ),
        (
            "responses",
            _responses() + "r1,A,2026,AO,1,1,\n",
            "responses.csv, line 26, column 'respondent': this respondent answered wave '2026' "
            "twice (first on line 3)",
        ),
        (
            "responses",
            _responses().replace("r5,A,2026,AO,1,1,\n", "r5,A,2026,AO,1\n"),
            "responses.csv, line 7: this line has 5 values but the header has 7 columns",
        ),
        ("responses", "respondent,unit,wave,m1,m2\n", "the header has no column for item(s) c1"),
        ("units", UNITS + "C,Q,Care\n", "units.csv, line 5, column 'parent': 'Q' is not a unit"),
        ("units", UNITS + "A,ORG,Again\n", "units.csv, line 5, column 'unit': 'A' is listed twice"),
        ("units", "unit,parent,name\nX,Y,x\nY,X,y\n", "exactly one unit with a blank parent"),
        ("units", UNITS + "D,E,d\nE,D,e\n", "in a loop of parents"),
        (
            "items",
            ITEMS + "m3,mission,2,Three\n",
            "items.csv, line 5, column 'reverse': '2' must be 0",
        ),
        ("items", "item,scale,text\n", "items.csv, line 1: the header must be exactly"),
    ],
)
def test_bad_input_names_file_line_column_and_reports_nothing(
    tmp_path: Path, which: str, content: str, expected: str
) -> None:
    files = {"responses": _responses(), "units": UNITS, "items": ITEMS, which: content}
    result = _run(tmp_path, files["responses"], files["units"], files["items"])
    assert result.exit_code == 1
    assert expected in result.output
    assert '"cells"' not in result.output


def test_unknown_breakdown_column_is_refused(tmp_path: Path) -> None:
    result = _run(tmp_path, _responses(), UNITS, ITEMS, "--breakdown", "m1")
    assert result.exit_code == 1
    assert "'m1' is an item, not a characteristic" in result.output
    result = _run(tmp_path, _responses(), UNITS, ITEMS, "--breakdown", "site")
    assert "the breakdown columns are: grade" in result.output


def test_generated_files_round_trip_through_the_command(tmp_path: Path) -> None:
    s = synthetic.survey(n_units=12, n_respondents=150, n_items=8, n_waves=2, seed=5)
    responses, units, items = synthetic.write_csv(s, tmp_path)
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(responses),
            "--units",
            str(units),
            "--items",
            str(items),
            "--breakdown",
            "grade",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert {c["wave"] for c in report["cells"]} == {"W1", "W2"}
    assert len(report["reliability"]) == 2 * 4


def test_item_bank_has_source_and_licence_and_loads_as_items_csv(tmp_path: Path) -> None:
    from changemaker.culture.engine.csvio import read_items
    from changemaker.culture.engine.items import BANK, instrument, items_csv

    assert {it.licence for it in BANK} == {"CC BY 4.0", "OGL v3.0"}
    assert all(it.source for it in BANK)
    assert all(it.reference.startswith("CSPS") for it in BANK if it.licence == "OGL v3.0")
    assert len({it.id for it in BANK}) == len(BANK)
    staff = instrument("staff")
    assert {"mission", "creativity", "autonomy", "collaboration"} <= {it.scale for it in staff}
    assert any(it.reverse for it in staff)
    leaders = instrument("leadership")
    assert {it.scale for it in leaders} == {
        "purpose",
        "values",
        "behaviours",
        "capabilities",
        "infrastructure",
    }
    path = tmp_path / "items.csv"
    path.write_text(items_csv(staff), encoding="utf-8")
    read = read_items(path)
    assert [(i.id, i.scale, i.reverse) for i in read] == [(i.id, i.scale, i.reverse) for i in staff]


def test_items_command_prints_an_items_file() -> None:
    result = CliRunner().invoke(cli, ["items", "--instrument", "leadership"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == "item,scale,reverse,text"
    assert "ld_behav_control,behaviours,1," in result.output


def test_minimum_group_is_never_below_five(tmp_path: Path) -> None:
    result = _run(tmp_path, _responses(), UNITS, ITEMS, "--min-group", "4")
    assert result.exit_code == 2
    assert "--min-group" in result.output
    assert '"cells"' not in result.output


def test_every_item_of_the_bank_has_welsh_wording() -> None:
    from changemaker.culture.engine.items import BANK, WELSH

    assert set(WELSH) == {it.id for it in BANK}
    for it in BANK:
        assert it.text_cy == WELSH[it.id] and it.text_cy.strip() and it.text_cy != it.text
