"""``changemaker insight``: link service records into persons and households (no Django)."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from changemaker.core import csvsafe

logger = logging.getLogger(__name__)


@click.group(name="insight")
def cli() -> None:
    """Shared view of need: link service records into persons and households."""


@cli.command("link")
@click.argument(
    "data_dir", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DATA_DIR"
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder: persons.csv, run_report.json, data_quality.csv, quarantine.csv, "
    "model.json.",
)
@click.option(
    "--model",
    "model_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Reuse this trained model (JSON) instead of training one; default: OUT/model.json "
    "if it exists.",
)
@click.option("--retrain", is_flag=True, help="Train a new model even if one exists.")
@click.option(
    "--threshold",
    type=click.FloatRange(0.0, 1.0),
    default=None,
    help="Match probability at or above which two records are the same person.",
)
@click.option(
    "--backend",
    type=click.Choice(["duckdb", "spark"]),
    default="duckdb",
    show_default=True,
    help="Where Splink runs: DuckDB in this process, or Spark in local mode (needs Java 17+).",
)
@click.option(
    "--gazetteer",
    "gazetteer_path",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="The council's gazetteer (LLPG or AddressBase-style CSV: uprn, sao, pao, street, "
    "town, postcode): addresses are matched to UPRNs, so households hold together however "
    "the address is written.",
)
@click.option("--quiet", is_flag=True, help="Do not show progress.")
def link(
    data_dir: Path,
    out_dir: Path,
    model_path: Path | None,
    retrain: bool,
    threshold: float | None,
    backend: str,
    gazetteer_path: Path | None,
    quiet: bool,
) -> None:
    """Link every CSV in DATA_DIR (one per service, in the person schema).

    Writes OUT/persons.csv with source_dataset, record_id, person_id and household_id for
    every imported record, and OUT/households.csv with each person's household memberships
    (person_id, household_id, address_from, address_to; files may carry the optional
    address_from/address_to columns). Person and household ids of an earlier run in OUT are kept.
    Households are people at one dwelling: with --gazetteer each address is matched to its UPRN,
    otherwise (and where no UPRN matches) addresses are compared loosely (typos, abbreviations,
    flats written in other ways); the run report gives the share of records of each kind.
    A value that cannot be used (a date of birth that does not exist, a malformed NI number,
    e-mail or phone...) is treated as missing and the record kept: OUT/data_quality.csv and the
    run report list each one (file, line, field, reason) for fixing at source. Only rows that
    cannot be linked at all (no record_id, no name and no NI number, broken rows) are listed
    (line and reason) in the run report and kept in OUT/quarantine.csv. A run that fails
    leaves the previous results untouched.
    """
    from changemaker.insight.engine.addresses import GazetteerFileError
    from changemaker.insight.engine.importers import ImportFileError
    from changemaker.insight.engine.linkage import BlockingTooCostly, ModelFileError

    started = time.monotonic()
    # Splink's training notes ("level not observed"...) are for model developers, not for
    # the data officer running a link
    logging.getLogger("splink").setLevel(logging.ERROR)

    def progress(message: str) -> None:
        if not quiet:
            click.echo(f"[{time.monotonic() - started:6.1f}s] {message}", err=True)

    try:
        report = run_link(
            data_dir,
            out_dir,
            model_path,
            retrain,
            threshold,
            progress,
            backend=backend,
            gazetteer=gazetteer_path,
        )
    except (
        GazetteerFileError,
        ImportFileError,
        ModelFileError,
        BlockingTooCostly,
        ValueError,
    ) as exc:
        raise click.ClickException(str(exc)) from None
    problems = report["values_treated_as_missing"]
    if problems:  # shown even with --quiet: the data officer has values to fix at source
        by_field = ", ".join(f"{name} {count:,}" for name, count in problems.items())
        click.echo(
            f"Data quality: {sum(problems.values()):,} values could not be used and were "
            f"treated as missing ({by_field}); their records were kept. Each is listed (file, "
            f"line, field, reason) in {out_dir / 'data_quality.csv'}: fix them at source.",
            err=True,
        )
    failed = report["model"].get("training_failed")
    if failed:  # shown even with --quiet: the run used another model than asked for
        click.echo(
            f"Warning: {failed}. The records were linked with the {report['model']['source']} "
            "model instead.",
            err=True,
        )


def run_link(
    data_dir: Path,
    out_dir: Path,
    model_path: Path | None,
    retrain: bool,
    threshold: float | None,
    progress: Callable[[str], None],
    *,
    backend: str = "duckdb",
    gazetteer: Path | None = None,
) -> dict[str, Any]:
    """The ``link`` command without click (returns the run report)."""
    import pandas as pd

    from changemaker.insight.engine.addresses import read_gazetteer, with_dwellings
    from changemaker.insight.engine.households import assign_households, household_memberships
    from changemaker.insight.engine.importers import (
        ColumnMapping,
        ImportFileError,
        import_file,
        write_field_problems,
        write_quarantine,
    )
    from changemaker.insight.engine.linkage import (
        MIN_TRAINING_RECORDS,
        MODEL_VERSION,
        PersonLinker,
        TrainingFailed,
        record_keys,
        with_parameters,
    )
    from changemaker.insight.engine.standardise import standardise_frame

    timings: dict[str, float] = {}
    training_failed: str | None = None
    clock = time.monotonic()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.monotonic()
        timings[name] = round(now - clock, 3)
        clock = now

    gazetteer_frame = None
    if gazetteer is not None:  # read first: a refused gazetteer stops the run before any work
        progress(f"reading the gazetteer {gazetteer.name}")
        gazetteer_frame = read_gazetteer(gazetteer)
        lap("gazetteer")
    files = sorted(p for p in data_dir.iterdir() if p.suffix.lower() in (".csv", ".parquet"))
    if not files:
        raise ImportFileError(f"no .csv or .parquet files in {data_dir}")
    mapping = ColumnMapping.identity()
    results = []
    for number, path in enumerate(files, 1):
        progress(f"importing {path.name} ({number}/{len(files)})")
        results.append(import_file(path, mapping))
    frames = [r.records for r in results if len(r.records)]
    if not frames:
        raise ImportFileError("no importable records in any file")
    records = pd.concat(frames, ignore_index=True)
    duplicated = record_keys(records).duplicated()
    if bool(duplicated.any()):
        raise ImportFileError(
            f"{int(duplicated.sum())} records share a (source_dataset, record_id) with a record "
            "in another file"
        )
    lap("import")
    progress(f"standardising {len(records):,} records")
    standard = standardise_frame(records)
    lap("standardise")
    progress("matching addresses to dwellings" + (" (UPRNs)" if gazetteer else ""))
    standard, address_matches = with_dwellings(standard, gazetteer_frame)
    lap("addresses")

    session: Any = None
    if backend == "spark":
        from changemaker.insight.engine.spark import local_session

        progress("starting Spark (local mode)")
        session = local_session(cores=os.cpu_count() or 2)

    def on_backend(linker: PersonLinker) -> PersonLinker:
        return linker if session is None else linker.on_backend("spark", spark=session)

    out_dir.mkdir(parents=True, exist_ok=True)
    model_file = model_path or out_dir / "model.json"
    if model_file.exists() and not retrain:
        progress(f"loading model {model_file.name}")
        linker = PersonLinker.load(model_file)
        trained, model_source = False, model_file.name
    elif len(standard) < MIN_TRAINING_RECORDS:
        progress(f"fewer than {MIN_TRAINING_RECORDS:,} records: using the built-in model")
        linker = PersonLinker.builtin()
        trained, model_source = False, "built-in (input too small to train on)"
    else:
        progress("training the linkage model")
        try:
            linker = on_backend(PersonLinker()).fit(standard, progress)
            trained, model_source = True, model_file.name
        except TrainingFailed as exc:
            # degrade, never stop: the saved model if there is one, else the built-in one
            training_failed = str(exc)
            trained = False
            if model_file.exists():
                linker, model_source = PersonLinker.load(model_file), f"saved ({model_file.name})"
            else:
                linker, model_source = PersonLinker.builtin(), "built-in"
            progress(f"training failed: {training_failed}; using the {model_source} model")
    if threshold is not None:
        linker = with_parameters(linker, match_threshold=threshold)
    linker = on_backend(linker)
    lap("train")

    previous_persons: pd.Series | None = None
    previous_households: pd.Series | None = None
    persons_file = out_dir / "persons.csv"
    if persons_file.exists():
        old = pd.read_csv(persons_file, dtype=str, keep_default_na=False)
        old = old.map(csvsafe.restore)  # the file was written formula-safe: read the values
        keys = old["source_dataset"] + "/" + old["record_id"]
        previous_persons = pd.Series(old["person_id"].to_numpy(), index=keys)
        previous_households = pd.Series(old["household_id"].to_numpy(), index=keys)

    result = linker.link(standard, previous=previous_persons, progress=progress)
    lap("link")
    progress("building households")
    households = assign_households(standard, result.person_ids, previous_households)
    memberships = household_memberships(standard, result.person_ids, households)
    lap("households")

    persons = pd.DataFrame(
        {
            "source_dataset": standard["source_dataset"],
            "record_id": standard["record_id"],
            "person_id": result.person_ids,
            "household_id": households,
        }
    )
    kept_ids = 0
    if previous_persons is not None:
        kept_ids = int(persons["person_id"].isin(set(previous_persons)).sum())
    report: dict[str, Any] = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": [r.report() for r in results],
        "records_linked": len(persons),
        "records_quarantined": sum(len(r.quarantine) for r in results),
        "values_treated_as_missing": _count_by_field(results),
        "persons": int(persons["person_id"].nunique()),
        "households": int(persons["household_id"].nunique()),
        "records_keeping_an_earlier_person_id": kept_ids,
        "backend": backend,
        "model": {
            "source": model_source,
            "format_version": MODEL_VERSION,
            "trained_this_run": trained,
            "match_threshold": linker.parameters.match_threshold,
            "training_failed": training_failed,
        },
        "blocking": [
            {"rule": c.rule, "pairs": c.marginal_pairs, "cumulative_pairs": c.cumulative_pairs}
            for c in result.blocking
        ],
        "address_match": address_matches.report(),
        "pair_budget": linker.pair_budget(len(standard)),
        "stats": result.stats,
        "timings_seconds": timings,
    }

    # Publish: everything is written to temporary files first, then moved into place.
    progress(f"writing results to {out_dir}")
    staged: list[tuple[Path, Path]] = []

    def stage(name: str, write: Callable[[Path], object]) -> None:
        tmp = out_dir / f".{name}.{os.getpid()}.tmp"
        write(tmp)
        staged.append((tmp, out_dir / name))

    stage("persons.csv", lambda p: persons.map(csvsafe.cell).to_csv(p, index=False))
    stage("households.csv", lambda p: memberships.map(csvsafe.cell).to_csv(p, index=False))
    stage("run_report.json", lambda p: p.write_text(json.dumps(report, indent=2) + "\n"))
    quarantine = [q for r in results for q in r.quarantine]
    if quarantine:
        stage("quarantine.csv", lambda p: write_quarantine(results, p, cell=csvsafe.cell))
    problems = any(r.field_problems for r in results)
    if problems:
        stage(
            "data_quality.csv",
            lambda p: write_field_problems(results, p, cell=csvsafe.cell),
        )
    if trained:
        stage("model.json", linker.save)
    for tmp, final in staged:
        tmp.replace(final)
    for name, written in (("quarantine.csv", quarantine), ("data_quality.csv", problems)):
        if not written and (out_dir / name).exists():  # an earlier run's list is out of date
            (out_dir / name).unlink()
    progress(
        f"done: {report['records_linked']:,} records, {report['persons']:,} persons, "
        f"{report['households']:,} households, {report['records_quarantined']:,} quarantined"
    )
    logger.info("insight link finished: %s records", report["records_linked"])
    return report


def _count_by_field(results: Any) -> dict[str, int]:
    """How many values of each field were treated as missing (kept non-UK postcodes are
    listed in the data-quality file but not counted here)."""
    counts: dict[str, int] = {}
    for result in results:
        for problem in result.field_problems:
            if "treated as" in problem.reason:
                counts[problem.field] = counts.get(problem.field, 0) + 1
    return dict(sorted(counts.items()))
