"""``changemaker support match``: JSON shape, table, errors, output file."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from changemaker.cli import cli
from changemaker.support.engine import Matcher, Reason, write_requests, write_volunteers
from changemaker.support.engine.synthetic import generate

from .checks import assert_optimal


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    requests, volunteers = generate(300, 120, seed=11)
    r_path, v_path = tmp_path / "requests.csv", tmp_path / "volunteers.csv"
    with r_path.open("w", encoding="utf-8", newline="") as fh:
        write_requests(fh, requests)
    with v_path.open("w", encoding="utf-8", newline="") as fh:
        write_volunteers(fh, volunteers)
    return r_path, v_path


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["support", "match", *args])
    return result.exit_code, result.output


def test_json_has_exactly_the_issue_shape(files: tuple[Path, Path]) -> None:
    code, out = run(str(files[0]), str(files[1]), "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert set(data) == {"assignments", "unmatched", "objective"}
    assert data["assignments"] and data["unmatched"]
    assert all(set(a) == {"request_id", "volunteer_id", "distance_km"} for a in data["assignments"])
    assert all(set(u) == {"request_id", "reason"} for u in data["unmatched"])
    assert {u["reason"] for u in data["unmatched"]} <= {r.value for r in Reason}
    obj = data["objective"]
    assert obj["requests_matched"] == len(data["assignments"])
    assert obj["requests_unmatched"] == len(data["unmatched"])
    assert obj["requests_matched"] + obj["requests_unmatched"] == 300
    assert obj["urgency_weight"] <= obj["max_urgency_weight"]


def test_json_agrees_with_the_engine_and_the_exact_solver(files: tuple[Path, Path]) -> None:
    requests, volunteers = generate(300, 120, seed=11)
    result = Matcher().match(requests, volunteers)
    assert_optimal(requests, volunteers, result)
    data = json.loads(run(str(files[0]), str(files[1]), "--format", "json")[1])
    assert [(a["request_id"], a["volunteer_id"]) for a in data["assignments"]] == [
        (a.request_id, a.volunteer_id) for a in result.assignments
    ]
    assert data["objective"]["urgency_weight"] == result.objective.weight
    assert data["objective"]["distance_km"] == pytest.approx(result.objective.distance_km, abs=1e-6)


def test_table_is_readable(files: tuple[Path, Path]) -> None:
    code, out = run(str(files[0]), str(files[1]))
    assert code == 0, out
    assert out.splitlines()[0].split() == ["request", "urgency", "volunteer", "km"]
    assert "Unmatched" in out and "fully booked" in out
    assert out.rstrip().splitlines()[-1].startswith("Matched ")


def test_output_file(files: tuple[Path, Path], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    code, out = run(str(files[0]), str(files[1]), "--format", "json", "-o", str(target))
    assert code == 0 and out == ""
    assert set(json.loads(target.read_text(encoding="utf-8"))) == {
        "assignments",
        "unmatched",
        "objective",
    }
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_bad_files_match_nothing_and_say_where(files: tuple[Path, Path], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    lines = files[0].read_text(encoding="utf-8").splitlines()
    lines[5] = lines[5].replace("urgent", "asap").replace("routine", "asap").replace("soon", "asap")
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = tmp_path / "out.json"
    code, out = run(str(bad), str(tmp_path / "nope.csv"), "-o", str(target))
    assert code == 1
    assert f"{bad}, line 6, column 'urgency': unknown urgency 'asap'" in out
    assert "nope.csv: cannot be read" in out
    assert "Nothing was matched" in out
    assert not target.exists()


def test_empty_inputs(tmp_path: Path) -> None:
    r, v = tmp_path / "r.csv", tmp_path / "v.csv"
    buf = io.StringIO()
    write_requests(buf, [])
    r.write_text(buf.getvalue(), encoding="utf-8")
    buf = io.StringIO()
    write_volunteers(buf, [])
    v.write_text(buf.getvalue(), encoding="utf-8")
    code, out = run(str(r), str(v), "--format", "json")
    assert code == 0
    assert json.loads(out)["assignments"] == []
    code, out = run(str(r), str(v))
    assert "No request could be matched." in out


def test_output_is_identical_across_processes_and_hash_seeds(files: tuple[Path, Path]) -> None:
    outputs = set()
    for seed in ("1", "2"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "changemaker.cli",
                "support",
                "match",
                *map(str, files),
                "--format",
                "json",
            ],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        outputs.add(proc.stdout)
    assert len(outputs) == 1
    assert json.loads(outputs.pop())["assignments"]
