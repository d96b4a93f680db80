"""Database <-> linkage engine: one run over every record of a council, published atomically.

``link(run)`` reads the council's records into the engine's person schema, standardises them,
scores candidate pairs with the last run's model (or the built-in one for small inputs, or a
newly trained one on request), keeps every practitioner's false link apart (a cannot-link
pair), clusters, gives persons and households the ids of the current run where they overlap,
and then, in ONE transaction, writes the run's links and makes it the current run. Anything
that fails before that transaction leaves the previous run current and untouched.

Only counts and timings go into the run's report, the job's messages and the logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from changemaker.core import audit
from changemaker.insight import indicators
from changemaker.insight.engine.timing import Laps
from changemaker.insight.models import (
    PERIOD_FIELDS,
    PERSON_FIELDS,
    Dataset,
    FalseLink,
    Gazetteer,
    GazetteerAddress,
    LinkRun,
    RecordLink,
    SourceRecord,
    Upload,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
STEPS = 7


class LinkageFailed(Exception):
    """A run that cannot go ahead, with a message safe to show (no personal data)."""


def _no_progress(_step: int, _message: str) -> None:
    return None


def _frame(council_id: int) -> tuple[Any, list[int]]:
    """The council's records as a person-schema frame, and their primary keys (same order)."""
    import pandas as pd

    columns = ["pk", "dataset__code", "record_id", *PERSON_FIELDS, *PERIOD_FIELDS]
    rows = list(
        SourceRecord.objects.filter(dataset__council_id=council_id)
        .order_by("pk")
        .values_list(*columns)
    )
    frame = pd.DataFrame(rows, columns=columns, dtype="object")
    frame = frame.rename(columns={"dataset__code": "source_dataset"})
    pks = [int(pk) for pk in frame["pk"]]
    frame = frame.drop(columns=["pk"])
    for name in PERSON_FIELDS:
        frame[name] = frame[name].where(frame[name] != "", None)
    for name in PERIOD_FIELDS:  # dates -> ISO text, as the engine reads them
        frame[name] = [None if day is None else day.isoformat() for day in frame[name]]
    return frame.reset_index(drop=True), pks


def _gazetteer(council_id: int) -> tuple[Any, int | None]:
    """The council's current gazetteer, parsed for the matcher (or None), and its id."""
    import pandas as pd

    from changemaker.insight.engine.addresses import GAZETTEER_COLUMNS, gazetteer_frame

    current = Gazetteer.objects.filter(council_id=council_id, current=True).first()
    if current is None:
        return None, None
    rows = list(GazetteerAddress.objects.filter(gazetteer=current).values_list(*GAZETTEER_COLUMNS))
    raw = pd.DataFrame(rows, columns=list(GAZETTEER_COLUMNS), dtype="object")
    raw = raw.where(raw != "", None)
    return gazetteer_frame(raw), current.pk


def _previous(council_id: int) -> tuple[Any, Any]:
    """Person and household ids of the current run, by record key (or None, None)."""
    import pandas as pd

    run = LinkRun.objects.filter(council_id=council_id, current=True).first()
    if run is None:
        return None, None
    rows = list(
        RecordLink.objects.filter(run=run).values_list(
            "record__dataset__code", "record__record_id", "person_id", "household_id"
        )
    )
    if not rows:
        return None, None
    keys = [f"{code}/{rid}" for code, rid, _p, _h in rows]
    persons = pd.Series([r[2] for r in rows], index=keys)
    households = pd.Series([r[3] for r in rows], index=keys)
    return persons, households


def _linker(run: LinkRun, n_records: int, retrain: bool, standard: Any) -> tuple[Any, str]:
    from changemaker.insight.engine.linkage import (
        MIN_TRAINING_RECORDS,
        PersonLinker,
        TrainingFailed,
    )

    last = (
        LinkRun.objects.filter(council_id=run.council_id, status=LinkRun.Status.PUBLISHED)
        .exclude(model={})
        .exclude(pk=run.pk)
        .order_by("-started_at")
        .first()
    )
    if not retrain and last is not None:
        return PersonLinker.from_json(last.model), f"run {last.pk}"
    if n_records < MIN_TRAINING_RECORDS:
        return PersonLinker.builtin(), "built-in (too few records to train on)"
    try:
        return PersonLinker().fit(standard), "trained this run"
    except TrainingFailed as exc:  # degrade to the last run's model, else the built-in one
        if last is not None:
            return PersonLinker.from_json(last.model), f"run {last.pk}, as training failed: {exc}"
        return PersonLinker.builtin(), f"built-in, as training failed: {exc}"


def _with_false_links(pairs: Any, council_id: int, position: dict[int, int]) -> tuple[Any, int]:
    """The scored pairs plus one cannot-link row per false link between records in the run."""
    import pandas as pd

    extra = []
    for a, b in FalseLink.objects.filter(council_id=council_id).values_list(
        "record_a_id", "record_b_id"
    ):
        if a in position and b in position:
            left, right = sorted((position[a], position[b]))
            extra.append((left, right))
    if not extra:
        return pairs, 0
    added = pd.DataFrame(
        {
            "left": [e[0] for e in extra],
            "right": [e[1] for e in extra],
            "match_weight": [-100.0] * len(extra),
            "match_probability": [0.0] * len(extra),
        }
    )
    if "vetoed" in pairs.columns:
        added["vetoed"] = True
    added["cannot_link"] = True
    if "cannot_link" not in pairs.columns:
        pairs = pairs.assign(cannot_link=False)
    return pd.concat([pairs, added], ignore_index=True), len(extra)


def link(run: LinkRun, *, retrain: bool = False, progress: Progress = _no_progress) -> LinkRun:
    """Run the linkage for ``run`` (status RUNNING) and publish it. On any failure the run is
    marked FAILED and the exception raised again; the current run is unchanged."""
    try:
        return _link(run, retrain, progress)
    except Exception as exc:
        message = str(exc) if isinstance(exc, LinkageFailed) else type(exc).__name__
        LinkRun.objects.filter(pk=run.pk).update(
            status=LinkRun.Status.FAILED,
            finished_at=timezone.now(),
            report={"error": message},
        )
        audit.record("insight.run.failed", council=run.council, obj=run, error=message)
        raise


@dataclass
class _Linked:
    """What the engine made of the council's records, ready to publish."""

    pks: list[int]
    person_ids: Any  # pandas Series, in the order of pks
    households: Any
    linker: Any
    report: dict[str, Any]


def _link(run: LinkRun, retrain: bool, progress: Progress) -> LinkRun:
    clock = Laps()
    progress(0, "Reading the records")
    frame, pks = _frame(run.council_id)
    if not pks:
        raise LinkageFailed("There are no records to link. Publish an upload first.")
    clock.lap("read")
    linked = _run_engine(run, frame, pks, retrain, progress, clock)
    progress(6, "Publishing the results")
    return _publish(run, linked, clock)


def _run_engine(
    run: LinkRun,
    frame: Any,
    pks: list[int],
    retrain: bool,
    progress: Progress,
    clock: Laps,
) -> _Linked:
    """Standardise, match addresses, score, cluster into people and build households."""
    import pandas as pd

    from changemaker.insight.engine.addresses import with_dwellings
    from changemaker.insight.engine.households import assign_households
    from changemaker.insight.engine.linkage import assign_person_ids, record_keys
    from changemaker.insight.engine.standardise import standardise_frame

    council_id = run.council_id
    position = {pk: i for i, pk in enumerate(pks)}
    progress(1, f"Standardising {len(pks):,} records and matching their addresses")
    standard = standardise_frame(frame)
    gazetteer, gazetteer_id = _gazetteer(council_id)
    standard, address_matches = with_dwellings(standard, gazetteer)
    clock.lap("standardise")
    progress(2, "Preparing the linkage model")
    linker, model_source = _linker(run, len(pks), retrain, standard)
    clock.lap("model")
    progress(3, "Scoring candidate pairs")
    blocking = linker.check_blocking(standard)
    pairs = linker.predict(standard)
    pairs, false_links = _with_false_links(pairs, council_id, position)
    clock.lap("score")
    progress(4, "Clustering records into people")
    labels = linker.cluster(len(standard), pairs)
    keys = record_keys(standard)
    previous_persons, previous_households = _previous(council_id)
    person_ids = assign_person_ids(pd.Series(labels, index=keys), previous_persons)
    person_ids = pd.Series(person_ids.to_numpy(), index=standard.index, name="person_id")
    progress(5, "Building households")
    households = assign_households(standard, person_ids, previous_households)
    clock.lap("cluster")
    threshold = linker.parameters.match_threshold
    kept = 0
    if previous_persons is not None:
        kept = int(person_ids.isin(set(previous_persons)).sum())
    report: dict[str, Any] = {
        "records": len(pks),
        "persons": int(person_ids.nunique()),
        "households": int(households.nunique()),
        "links": int((pairs["match_probability"] >= threshold).sum()),
        "false_links_kept_apart": false_links,
        "candidate_pairs": int(blocking[-1].cumulative_pairs) if blocking else 0,
        "records_keeping_an_earlier_person_id": kept,
        "quarantined": _quarantined(council_id),
        "values_treated_as_missing": _quarantined(council_id, "field_problems"),
        "model": model_source,
        "match_threshold": threshold,
        "address_match": {**address_matches.report(), "gazetteer": gazetteer_id},
    }
    return _Linked(pks, person_ids, households, linker, report)


def _publish(run: LinkRun, linked: _Linked, clock: Laps) -> LinkRun:
    """In ONE transaction: the run's links (of records still there) and the run made current."""
    council_id = run.council_id
    report = linked.report
    with transaction.atomic():
        locked = LinkRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != LinkRun.Status.RUNNING:
            raise LinkageFailed("This run was stopped before it could be published.")
        still_there = set(
            SourceRecord.objects.filter(dataset__council_id=council_id).values_list("pk", flat=True)
        )
        RecordLink.objects.bulk_create(
            [
                RecordLink(run=run, record_id=pk, person_id=p, household_id=h)
                for pk, p, h in zip(linked.pks, linked.person_ids, linked.households, strict=True)
                if pk in still_there
            ],
            batch_size=2000,
        )
        LinkRun.objects.filter(council_id=council_id, current=True).update(current=False)
        clock.lap("publish")
        report["timings_seconds"] = clock.timings
        report["records_linked"] = sum(1 for pk in linked.pks if pk in still_there)
        locked.status = LinkRun.Status.PUBLISHED
        locked.current = True
        locked.finished_at = timezone.now()
        locked.model = linked.linker.to_json()
        locked.report = report
        locked.save(update_fields=["status", "current", "finished_at", "model", "report"])
        audit.record(
            "insight.run.published",
            council=locked.council,
            obj=locked,
            records=report["records_linked"],
            persons=report["persons"],
            households=report["households"],
        )
    logger.info("insight run %s published: %s records", locked.pk, report["records_linked"])
    return locked


def _quarantined(council_id: int, kind: str = "quarantined") -> int:
    """Rows quarantined (or, with ``kind="field_problems"``, values treated as missing) in
    the latest published upload of each dataset."""
    total = 0
    for dataset in Dataset.objects.filter(council_id=council_id):
        upload = (
            Upload.objects.filter(dataset=dataset, status=Upload.Status.PUBLISHED)
            .order_by("-published_at")
            .first()
        )
        if upload is None:
            continue
        if kind == "quarantined":
            total += upload.rows_quarantined
        else:
            total += sum(1 for p in upload.report.get(kind, []) if "treated as" in p["reason"])
    return total


def link_now(run: LinkRun, *, retrain: bool = False, progress: Progress = _no_progress) -> LinkRun:
    """Link, publish, then evaluate the early-help flags (used by the job and the demo)."""
    published = link(run, retrain=retrain, progress=progress)
    flags = indicators.evaluate(published)
    published.report = {**published.report, "flags": flags}
    published.save(update_fields=["report"])
    return published
