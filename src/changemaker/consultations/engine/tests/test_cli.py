"""``changemaker opinions map``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from changemaker.consultations.cli import cli

from .conftest import MATH_FIXTURE

LAYOUTS = Path(__file__).parent / "fixtures" / "layouts"


def test_map_json(export_dir: Any) -> None:
    out = CliRunner().invoke(cli, ["map", str(export_dir(MATH_FIXTURE)), "--format", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert len(data["groups"]) == 4
    assert set(data["consensus"]) == {"agree", "disagree"}
    assert data["consensus"]["agree"][0]["statement"] == 20
    group = data["groups"][0]
    assert {"id", "size", "representative"} <= set(group)
    assert {"statement", "direction", "p_success", "p_test", "repness"} <= set(
        group["representative"][0]
    )
    assert data["participant_group"]["6"] is None  # one vote only: not clustered
    assert len(data["coordinates"]["participants"]["1"]) == 2


def test_map_table_with_polis_comparison(export_dir: Any) -> None:
    out = CliRunner().invoke(cli, ["map", str(export_dir("brexit-consensus"))])
    assert out.exit_code == 0, out.output
    assert "2 groups" in out.output
    assert "adjusted Rand index" in out.output
    assert "Consensus (agree):" in out.output
    assert "Divisive" in out.output


def test_map_bad_export(tmp_path: Path) -> None:
    (tmp_path / "comments.csv").write_text(
        "comment-id,moderated,comment-body\n0,1,hello\n", encoding="utf-8"
    )
    (tmp_path / "votes.csv").write_text("comment-id,voter-id,vote\n0,1,5\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["map", str(tmp_path)])
    assert out.exit_code == 1
    assert "votes.csv, line 2, column 'vote'" in out.output


def test_map_prints_the_columns_it_left_out(tmp_path: Path) -> None:
    for name in ("comments.csv", "participants-votes.csv"):
        (tmp_path / name).write_bytes((LAYOUTS / "spreadsheet-crlf-bom" / name).read_bytes())
    out = CliRunner().invoke(cli, ["map", str(tmp_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    assert out.stderr.splitlines() == [
        "Warning: comments.csv, column 'notes': not a Polis column; left out of the import",
        "Warning: participants-votes.csv, column 'notes': not a Polis column; left out of the "
        "import",
    ]
    assert json.loads(out.stdout)["source"] == "participants-votes.csv"
