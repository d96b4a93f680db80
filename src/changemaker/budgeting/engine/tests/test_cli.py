"""``changemaker pb count``: options, JSON lines, errors."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from changemaker.budgeting.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
ASSEN = str(FIXTURES / "Netherlands_Assen_2024.pb")
ZURICH = str(FIXTURES / "Switzerland_Zurich_D10.pb")


def test_json_one_object_per_file() -> None:
    result = CliRunner().invoke(
        cli, ["count", ASSEN, ZURICH, "--rule", "greedy", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert first["file"] == ASSEN and first["budget"] == 100000
    assert first["selected"] and first["cost"] <= first["budget"]
    assert json.loads(lines[1])["file"] == ZURICH


def test_mes_add1_json_matches_official() -> None:
    result = CliRunner().invoke(
        cli,
        [
            "count",
            ASSEN,
            "--rule",
            "mes",
            "--utility",
            "cost",
            "--completion",
            "add1",
            "--add1-stop",
            "exhaustive",
            "--tie-break",
            "lexicographic",
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out["selected"]) == {"3", "9", "2", "11", "13", "14", "5", "6", "12"}


def test_table() -> None:
    result = CliRunner().invoke(cli, ["count", ZURICH, "--rule", "mes", "--utility", "points"])
    assert result.exit_code == 0, result.output
    assert "projects, cost" in result.output


def test_bad_file_and_bad_rule_fail_clearly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.pb"
    bad.write_text("META\nkey;value\nbudget;x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["count", str(bad), "--format", "json"])
    assert result.exit_code == 1
    assert "bad.pb" in json.loads(result.output)["error"]
    result = CliRunner().invoke(cli, ["count", ZURICH, "--rule", "phragmen"])
    assert result.exit_code == 1
    result = CliRunner().invoke(cli, ["count", ASSEN, "--rule", "dictator"])
    assert result.exit_code == 2
