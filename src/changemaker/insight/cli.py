"""``changemaker insight``: link service records into persons and households (no Django)."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click

from changemaker.core import csvsafe
from changemaker.insight.engine.timing import Laps

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
    from changemaker.insight.engine.addresses import with_dwellings
    from changemaker.insight.engine.households import assign_households, household_memberships
    from changemaker.insight.engine.standardise import standardise_frame

    clock = Laps()
    gazetteer_frame = _read_gazetteer(gazetteer, progress, clock)
    results, records = _import_files(data_dir, progress)
    clock.lap("import")
    progress(f"standardising {len(records):,} records")
    standard = standardise_frame(records)
    clock.lap("standardise")
    progress("matching addresses to dwellings" + (" (UPRNs)" if gazetteer else ""))
    standard, address_matches = with_dwellings(standard, gazetteer_frame)
    clock.lap("addresses")
    on_backend = _backend(backend, progress)
    out_dir.mkdir(parents=True, exist_ok=True)
    model = _model(standard, model_path or out_dir / "model.json", retrain, on_backend, progress)
    if threshold is not None:
        model.linker = _with_threshold(model.linker, threshold)
    model.linker = on_backend(model.linker)
    clock.lap("train")
    previous_persons, previous_households = _previous(out_dir / "persons.csv")
    result = model.linker.link(standard, previous=previous_persons, progress=progress)
    clock.lap("link")
    progress("building households")
    households = assign_households(standard, result.person_ids, previous_households)
    memberships = household_memberships(standard, result.person_ids, households)
    clock.lap("households")
    persons, kept_ids = _persons(standard, result.person_ids, households, previous_persons)
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
        "model": model.report(),
        "blocking": [
            {"rule": c.rule, "pairs": c.marginal_pairs, "cumulative_pairs": c.cumulative_pairs}
            for c in result.blocking
        ],
        "address_match": address_matches.report(),
        "pair_budget": model.linker.pair_budget(len(standard)),
        "stats": result.stats,
        "timings_seconds": clock.timings,
    }
    _write_results(out_dir, persons, memberships, report, results, model, progress)
    progress(
        f"done: {report['records_linked']:,} records, {report['persons']:,} persons, "
        f"{report['households']:,} households, {report['records_quarantined']:,} quarantined"
    )
    logger.info("insight link finished: %s records", report["records_linked"])
    return report


def _persons(standard: Any, person_ids: Any, households: Any, previous: Any) -> tuple[Any, int]:
    """persons.csv's rows, and how many records keep a person id of the earlier run."""
    import pandas as pd

    persons = pd.DataFrame(
        {
            "source_dataset": standard["source_dataset"],
            "record_id": standard["record_id"],
            "person_id": person_ids,
            "household_id": households,
        }
    )
    kept_ids = 0
    if previous is not None:
        kept_ids = int(persons["person_id"].isin(set(previous)).sum())
    return persons, kept_ids


def _read_gazetteer(path: Path | None, progress: Callable[[str], None], clock: Laps) -> Any:
    """The gazetteer, read first: a refused gazetteer stops the run before any work."""
    from changemaker.insight.engine.addresses import read_gazetteer

    if path is None:
        return None
    progress(f"reading the gazetteer {path.name}")
    frame = read_gazetteer(path)
    clock.lap("gazetteer")
    return frame


def _import_files(data_dir: Path, progress: Callable[[str], None]) -> tuple[list[Any], Any]:
    """Every file's import result, and their records in one frame (keys unique across files)."""
    import pandas as pd

    from changemaker.insight.engine.importers import ColumnMapping, ImportFileError, import_file
    from changemaker.insight.engine.linkage import record_keys

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
    return results, records


def _backend(backend: str, progress: Callable[[str], None]) -> Callable[[Any], Any]:
    """A function putting a linker on the chosen backend (Spark starts here, when chosen)."""
    if backend != "spark":
        return lambda linker: linker
    from changemaker.insight.engine.spark import local_session

    progress("starting Spark (local mode)")
    session = local_session(cores=os.cpu_count() or 2)
    return lambda linker: linker.on_backend("spark", spark=session)


@dataclass
class _Model:
    linker: Any  # a PersonLinker
    trained: bool
    source: str
    training_failed: str | None = None

    def report(self) -> dict[str, Any]:
        from changemaker.insight.engine.linkage import MODEL_VERSION

        return {
            "source": self.source,
            "format_version": MODEL_VERSION,
            "trained_this_run": self.trained,
            "match_threshold": self.linker.parameters.match_threshold,
            "training_failed": self.training_failed,
        }


def _model(
    standard: Any,
    model_file: Path,
    retrain: bool,
    on_backend: Callable[[Any], Any],
    progress: Callable[[str], None],
) -> _Model:
    """The saved model, the built-in one (too few records to train on) or a newly trained one;
    a training that fails degrades to the saved model if there is one, else the built-in."""
    from changemaker.insight.engine.linkage import (
        MIN_TRAINING_RECORDS,
        PersonLinker,
        TrainingFailed,
    )

    if model_file.exists() and not retrain:
        progress(f"loading model {model_file.name}")
        return _Model(PersonLinker.load(model_file), False, model_file.name)
    if len(standard) < MIN_TRAINING_RECORDS:
        progress(f"fewer than {MIN_TRAINING_RECORDS:,} records: using the built-in model")
        return _Model(PersonLinker.builtin(), False, "built-in (input too small to train on)")
    progress("training the linkage model")
    try:
        return _Model(on_backend(PersonLinker()).fit(standard, progress), True, model_file.name)
    except TrainingFailed as exc:
        # degrade, never stop: the saved model if there is one, else the built-in one
        if model_file.exists():
            model = _Model(PersonLinker.load(model_file), False, f"saved ({model_file.name})")
        else:
            model = _Model(PersonLinker.builtin(), False, "built-in")
        model.training_failed = str(exc)
        progress(f"training failed: {model.training_failed}; using the {model.source} model")
        return model


def _with_threshold(linker: Any, threshold: float) -> Any:
    from changemaker.insight.engine.linkage import with_parameters

    return with_parameters(linker, match_threshold=threshold)


def _previous(persons_file: Path) -> tuple[Any, Any]:
    """Person and household ids of an earlier run in the output folder (or None, None)."""
    import pandas as pd

    if not persons_file.exists():
        return None, None
    old = pd.read_csv(persons_file, dtype=str, keep_default_na=False)
    old = old.map(csvsafe.restore)  # the file was written formula-safe: read the values
    keys = old["source_dataset"] + "/" + old["record_id"]
    persons = pd.Series(old["person_id"].to_numpy(), index=keys)
    households = pd.Series(old["household_id"].to_numpy(), index=keys)
    return persons, households


def _write_results(
    out_dir: Path,
    persons: Any,
    memberships: Any,
    report: dict[str, Any],
    results: list[Any],
    model: _Model,
    progress: Callable[[str], None],
) -> None:
    """Publish: everything is written to temporary files first, then moved into place."""
    from changemaker.insight.engine.importers import write_field_problems, write_quarantine

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
    if model.trained:
        stage("model.json", model.linker.save)
    for tmp, final in staged:
        tmp.replace(final)
    for name, written in (("quarantine.csv", quarantine), ("data_quality.csv", problems)):
        if not written and (out_dir / name).exists():  # an earlier run's list is out of date
            (out_dir / name).unlink()


def _count_by_field(results: Any) -> dict[str, int]:
    """How many values of each field were treated as missing (kept non-UK postcodes are
    listed in the data-quality file but not counted here)."""
    counts: dict[str, int] = {}
    for result in results:
        for problem in result.field_problems:
            if "treated as" in problem.reason:
                counts[problem.field] = counts.get(problem.field, 0) + 1
    return dict(sorted(counts.items()))
