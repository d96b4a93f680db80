"""The one place that knows both the database and the evidence engine: build the engine's
inputs from a pilot and its outcome data, run the engine, and hand back what to store
(actions store it)."""

from __future__ import annotations

import csv
import io
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePath
from typing import Any

from django.utils.translation import gettext as _

from changemaker.core.models import Council
from changemaker.core.registry import OutcomeRefused, OutcomeSource, outcome_sources
from changemaker.evidence import engine as ev
from changemaker.evidence.engine.meta import Method
from changemaker.evidence.models import DESIGN_COLUMNS, Design, OutcomeData, Pilot

#: Power the planned size is judged at (the issue: 0.8; 5% two-sided tests).
POWER = 0.8


def planned_mde(pilot: Pilot) -> tuple[float | None, str]:
    """The minimum detectable effect of the planned size in the outcome's units, or None and
    why it cannot be computed (the engine's reason, in English)."""
    try:
        found = ev.minimum_detectable_effect(
            clusters=pilot.planned_clusters,
            cluster_size=pilot.planned_cluster_size,
            icc=pilot.planned_icc,
            sd=pilot.outcome_sd,
            power=POWER,
        )
    except ev.EvidenceError as exc:
        return None, str(exc)
    return found.mde, ""


def engine_design(design: str, columns: dict[str, str]) -> ev.model.Design:
    """The engine's design for a pilot's design and the columns its data uses."""
    cluster = columns.get("cluster") or None
    if design == Design.DID:
        return ev.DiD(
            unit=columns["unit"], time=columns["time"], treated=columns["treated"], cluster=cluster
        )
    if design == Design.DID2X2:
        return ev.DiD2x2(group=columns["group"], post=columns["post"], cluster=cluster)
    if design == Design.STAGGERED:
        return ev.Staggered(
            unit=columns["unit"], time=columns["time"], first_treated=columns["first_treated"]
        )
    if design == Design.AB:
        return ev.AB(arm=columns["arm"])
    return ev.BeforeAfter(post=columns["post"], cluster=cluster)


def read_csv(data: bytes, source: str) -> ev.Table:
    """Read uploaded CSV bytes with the engine's reader; every problem names ``source`` (the
    uploaded file's name), the line and the column."""
    name = PurePath(source).name or "upload.csv"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.csv"
        path.write_bytes(data)
        try:
            table = ev.read_table(path)
        except ev.InputError as exc:
            raise _renamed(exc, str(path), name) from None
    table.source = name
    return table


def _renamed(exc: ev.InputError, path: str, name: str) -> ev.InputError:
    problems = [
        ev.Problem(name if p.file == path else p.file, p.line, p.column, p.message)
        for p in exc.problems
    ]
    return ev.InputError(problems, exc.more)


def check_outcome_data(data: bytes, source: str, design: str, columns: dict[str, str]) -> int:
    """Check an upload whole before anything is kept: readable CSV text, the named columns
    there, and every value the design reads usable. Returns the number of rows; raises
    ``ev.InputError`` (file, line, column, what to do) or ``ev.EvidenceError``."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise ev.InputError(
            [ev.Problem(PurePath(source).name, line, None, "holds a NUL byte; save it as CSV text")]
        )
    table = read_csv(data, source)
    roles = ("outcome", *DESIGN_COLUMNS[design], "cluster")
    table.require([columns[r] for r in roles if columns.get(r)])
    table.numbers(columns["outcome"], what="a number (the outcome)")
    if design in (Design.DID, Design.STAGGERED):
        table.labels(columns["unit"])
        table.periods(columns["time"])
    if design == Design.DID:
        table.binary(columns["treated"])
    if design == Design.STAGGERED:
        table.numbers(columns["first_treated"], what="a period (0 if never treated)")
    if design in (Design.DID2X2, Design.BEFORE_AFTER):
        table.binary(columns["post"])
    if design == Design.DID2X2:
        table.binary(columns["group"])
    if design == Design.AB:
        table.choice(columns["arm"], ("control", "treatment"))
    if columns.get("cluster"):
        table.labels(columns["cluster"])
    return table.n_rows


def analyse(pilot: Pilot, data: OutcomeData) -> dict[str, Any]:
    """Run the engine on stored outcome data: the result as JSON (``Result.to_dict()``).
    Raises ``ev.EvidenceError`` with what to fix when the data cannot answer. Counts the
    source suppressed (``columns["missing"] == "suppressed"``: empty outcome cells) are left
    out as missing, and the result says how many (``suppressed``: cells, of)."""
    table = read_csv(data.text.encode("utf-8"), data.source)
    dropped = 0
    if data.columns.get("missing") == SUPPRESSED:
        total = table.n_rows
        table, dropped = table.without_empty(data.columns["outcome"])
        if table.n_rows == 0:
            raise ev.EvidenceError(
                "every count was suppressed at the source (too small to publish); choose a "
                "longer period, more wards or a more common outcome"
            )
    result = ev.analyse(
        table,
        design=engine_design(pilot.design, data.columns),
        outcome=data.columns["outcome"],
    ).to_dict()
    if data.columns.get("missing") == SUPPRESSED:
        result["suppressed"] = {"cells": dropped, "of": total}
    return result


# Outcome data from another capability (ward-month aggregates) -------------------------------

SUPPRESSED = "suppressed"
#: the designs a ward-by-month table can answer, and its columns for each
SHARED_COLUMNS: dict[str, dict[str, str]] = {
    Design.DID: {"unit": "ward", "time": "month", "treated": "treated", "cluster": "ward"},
    Design.DID2X2: {"group": "group", "post": "post", "cluster": "ward"},
    Design.STAGGERED: {"unit": "ward", "time": "period", "first_treated": "first_treated"},
}


def shared_source(council: Council, key: str) -> OutcomeSource:
    """The council's outcome source with this key (``OutcomeRefused`` if it has gone)."""
    for source in outcome_sources(council):
        if source.key == key:
            return source
    raise OutcomeRefused(_("This outcome is no longer offered: choose another."))


@dataclass(frozen=True)
class SharedTable:
    text: str  # CSV, as an upload would be
    columns: dict[str, str]
    n_rows: int
    suppressed: int


def shared_outcome(
    pilot: Pilot,
    source: OutcomeSource,
    *,
    start: date,
    end: date,
    treated: list[str],
    starts: date,
) -> SharedTable:
    """The source's ward-by-month counts as the outcome CSV of the pilot's design: one row a
    ward and month, treated wards from the month ``starts`` falls in; a suppressed count is an
    empty cell. Raises ``OutcomeRefused`` (the source's own words)."""
    rows = source.rows(start, end)
    months = sorted({month for _ward, month, _value in rows})
    period = {month: i + 1 for i, month in enumerate(months)}
    first = starts.replace(day=1)
    first_period = next((period[m] for m in months if m >= first), len(months) + 1)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["ward", "month", "period", "treated", "group", "post", "first_treated", "count"]
    )
    for ward, month, value in sorted(rows, key=lambda r: (r[0], r[1])):
        group = int(ward in treated)
        post = int(month >= first)
        writer.writerow(
            [
                ward,
                month.strftime("%Y-%m"),
                period[month],
                group * post,
                group,
                post,
                first_period if group else 0,
                "" if value is None else value,
            ]
        )
    columns = {"outcome": "count", **SHARED_COLUMNS[pilot.design], "missing": SUPPRESSED}
    hidden = sum(value is None for _w, _m, value in rows)
    return SharedTable(out.getvalue(), columns, len(rows), hidden)


def pool(estimates: list[float], ses: list[float]) -> tuple[ev.Pooled | None, str]:
    """Random-effects pooling of several pilots' effects: REML as metafor, and
    DerSimonian-Laird when REML does not converge (as the engine advises). Returns the pooled
    result, or None and the engine's reason (fewer than two studies, a zero standard error)."""
    methods: tuple[Method, ...] = ("reml", "dl")
    for method in methods:
        try:
            return ev.pool(estimates, ses, method=method), ""
        except ev.EvidenceError as exc:
            problem = str(exc)
            if "did not converge" not in problem:
                break
    return None, problem
