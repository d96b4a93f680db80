from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from click.testing import CliRunner

from changemaker.insight.cli import cli
from changemaker.insight.engine.metrics import accuracy
from changemaker.insight.engine.synthetic import (
    generate,
    generate_with_gazetteer,
    write_service_csvs,
)
from changemaker.insight.engine.synthetic.people import SyntheticConfig
from changemaker.insight.engine.synthetic.records import TRUE_HOUSEHOLD, TRUE_PERSON


def test_link_command(tmp_path: Path) -> None:
    truth = generate(SyntheticConfig(n_people=500, seed=5))
    data = tmp_path / "data"
    write_service_csvs(truth, data)
    (data / "zz_broken.csv").write_bytes(
        b"source_dataset,record_id,first_name,surname,date_of_birth,postcode,address_line,"
        b"nino,email,phone\nzz,1,Ann,Lee,1990-02-30,,,,,\nzz,2,Bo\xff,Lee,,,,,,\n"
    )
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(cli, ["link", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "scoring candidate pairs" in result.output  # progress is shown
    persons = pd.read_csv(out / "persons.csv", dtype=str)
    assert list(persons.columns) == ["source_dataset", "record_id", "person_id", "household_id"]
    report = json.loads((out / "run_report.json").read_text())
    quarantined = report["records_quarantined"]
    assert len(persons) + quarantined == len(truth) + 2  # every input record is accounted for
    # one bad field drops nobody: the impossible date and the broken name are missing
    broken = next(i for i in report["inputs"] if i["source"] == "zz_broken.csv")
    assert broken["quarantined"] == []
    assert [(p["line"], p["field"]) for p in broken["field_problems"]] == [
        (2, "date_of_birth"),
        (3, "first_name"),
    ]
    assert {"zz/1", "zz/2"} <= set(persons["source_dataset"] + "/" + persons["record_id"])
    assert report["values_treated_as_missing"]["date_of_birth"] >= 1
    quality = pd.read_csv(out / "data_quality.csv", dtype=str)
    assert list(quality.columns) == ["file", "line", "field", "reason"]
    assert ["zz_broken.csv", "2", "date_of_birth"] in quality.iloc[:, :3].to_numpy().tolist()
    assert "Data quality: " in result.output and "data_quality.csv" in result.output
    assert (out / "model.json").exists()
    memberships = pd.read_csv(out / "households.csv", dtype=str)
    assert list(memberships.columns) == ["person_id", "household_id", "address_from", "address_to"]
    assert set(memberships["person_id"]) == set(persons["person_id"])
    assert memberships["address_to"].notna().any()  # the generated moves have periods
    # nothing personal in the report
    text = (out / "run_report.json").read_text()
    for name in truth["surname"].dropna().unique()[:50]:
        assert f'"{name}"' not in text
    # accuracy of what was written
    merged = persons.merge(truth, on=["source_dataset", "record_id"])
    assert accuracy(merged["person_id"], merged[TRUE_PERSON]).pairwise.f1 >= 0.9

    # a scheduled re-run reuses the model and keeps the ids
    again = runner.invoke(cli, ["link", str(data), "--out", str(out), "--quiet"])
    assert again.exit_code == 0, again.output
    rerun = pd.read_csv(out / "persons.csv", dtype=str)
    pd.testing.assert_frame_equal(rerun, persons)
    report = json.loads((out / "run_report.json").read_text())
    assert report["model"]["trained_this_run"] is False


def test_a_failed_run_leaves_previous_results(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "bad.csv").write_text("wrong,columns\n1,2\n")
    out = tmp_path / "out"
    out.mkdir()
    (out / "persons.csv").write_text("previous results\n")
    result = CliRunner().invoke(cli, ["link", str(data), "--out", str(out)])
    assert result.exit_code != 0
    assert "missing from the file" in result.output
    assert (out / "persons.csv").read_text() == "previous results\n"


def test_small_inputs_use_the_builtin_model(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    header = "source_dataset,record_id,first_name,surname,date_of_birth,postcode,address_line,"
    header += "nino,email,phone\n"
    (data / "housing.csv").write_text(
        header + "housing,1,Ann,Lee,1980-01-02,XM1 1AA,1 High St,,,\n"
        "housing,2,Bob,Ray,02/03/1990,,,,,\n"
    )
    (data / "schools.csv").write_text(
        header + "schools,1,ann,LEE,02/01/1980,xm11aa,1 high street,,,\n"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["link", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    persons = pd.read_csv(out / "persons.csv", dtype=str).set_index(["source_dataset", "record_id"])
    assert persons.loc[("housing", "1"), "person_id"] == persons.loc[("schools", "1"), "person_id"]
    assert persons.loc[("housing", "2"), "person_id"] != persons.loc[("housing", "1"), "person_id"]
    report = json.loads((out / "run_report.json").read_text())
    assert report["model"]["source"].startswith("built-in")
    assert not (out / "model.json").exists()


def _strangers_csv(tmp_path: Path) -> Path:
    from changemaker.insight.engine.schema import PERSON_FIELDS

    from .test_linkage import _strangers

    data = tmp_path / "data"
    data.mkdir()
    _strangers(1200)[list(PERSON_FIELDS)].to_csv(data / "housing.csv", index=False)
    return data


def test_a_training_failure_falls_back_to_the_builtin_model(tmp_path: Path) -> None:
    """1,200 strangers: nothing to estimate the prior from. The run goes on with the built-in
    model and says so (it stopped with "Error: math domain error")."""
    data = _strangers_csv(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["link", str(data), "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Warning: no two records agree" in result.output
    assert "linked with the built-in model instead" in result.output
    report = json.loads((out / "run_report.json").read_text())
    assert report["model"]["source"] == "built-in"
    assert report["model"]["trained_this_run"] is False
    assert report["model"]["training_failed"].startswith("no two records agree")
    assert not (out / "model.json").exists()  # the built-in model is not saved as trained
    persons = pd.read_csv(out / "persons.csv", dtype=str)
    assert persons["person_id"].nunique() == 1200


def test_a_training_failure_on_retrain_falls_back_to_the_saved_model(tmp_path: Path) -> None:
    from changemaker.insight.engine.linkage.linker import PersonLinker

    data = _strangers_csv(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    PersonLinker.builtin().save(out / "model.json")
    saved = (out / "model.json").read_text()
    result = CliRunner().invoke(cli, ["link", str(data), "--out", str(out), "--retrain"])
    assert result.exit_code == 0, result.output
    assert "training failed" in result.output
    report = json.loads((out / "run_report.json").read_text())
    assert report["model"]["source"] == "saved (model.json)"
    assert (out / "model.json").read_text() == saved


def test_link_with_a_gazetteer(tmp_path: Path) -> None:
    """--gazetteer FILE: addresses are matched to UPRNs, the run report gives the rates, and a
    refused gazetteer stops the run with the line, column and field, before any output."""
    truth, gazetteer = generate_with_gazetteer(SyntheticConfig(n_people=300, seed=9))
    data = tmp_path / "data"
    write_service_csvs(truth, data)
    llpg = tmp_path / "llpg.csv"
    gazetteer.to_csv(llpg, index=False)
    out = tmp_path / "out"
    runner = CliRunner()
    result = runner.invoke(
        cli, ["link", str(data), "--out", str(out), "--gazetteer", str(llpg), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "run_report.json").read_text())
    address = report["address_match"]
    assert address["gazetteer_entries"] == len(gazetteer)
    assert address["rates"]["uprn"] >= 0.9
    assert sum(address["records"].values()) == report["records_linked"] == len(truth)
    persons = pd.read_csv(out / "persons.csv", dtype=str)
    merged = persons.merge(truth, on=["source_dataset", "record_id"])
    assert accuracy(merged["household_id"], merged[TRUE_HOUSEHOLD]).pairwise.f1 >= 0.9

    broken = tmp_path / "broken.csv"
    broken.write_text(
        "uprn,sao,pao,street,town,postcode\n1,,1,HIGH ST,EXAMPLETON,XM1 1AB\n1,,2,,EXAMPLETON,\n"
    )
    fresh = tmp_path / "fresh"
    refused = runner.invoke(
        cli, ["link", str(data), "--out", str(fresh), "--gazetteer", str(broken)]
    )
    assert refused.exit_code != 0
    assert "line 3, column 1 (uprn): this UPRN is also on line 2" in refused.output
    assert "line 3, column 4 (street)" in refused.output
    assert not (fresh / "persons.csv").exists()
