"""Database <-> engine: read the uploaded files with the engine's readers, build the engine's
inputs from a wave's rows, run the report and store it.

The engine's readers take a path: an upload is written to a temporary file (deleted at once)
and read under the name it was uploaded with, so its errors name the file the lead knows.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

import numpy as np

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.culture.engine.csvio import Item, OrgChart, Responses, read_units
from changemaker.culture.engine.report import build_report
from changemaker.culture.engine.stafflist import StaffMember, read_staff
from changemaker.culture.models import Wave, WaveReport

#: The report's one breakdown column: the wave's characteristic question (e.g. grade).
CHARACTERISTIC = "characteristic"


def _read_text[T](text: str, read: Callable[[Path], T]) -> T:
    fd, name = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        return read(Path(name))
    finally:
        os.unlink(name)


def read_chart(text: str, source: str) -> OrgChart:
    """The organisation chart (unit,parent,name); raises CultureInputError with the lines."""
    return _read_text(text, lambda path: read_units(path, name=source))


def read_staff_list(text: str, source: str, units: Collection[str]) -> tuple[StaffMember, ...]:
    """The staff list (email,unit[,manager]) against the wave's unit ids."""
    return _read_text(text, lambda path: read_staff(path, units, name=source))


def engine_inputs(wave: Wave) -> tuple[OrgChart, tuple[Item, ...], Responses]:
    """The wave's frozen chart, the items it asked and its responses, as the engine takes them."""
    units = list(wave.units.order_by("position"))
    where = {u.pk: i for i, u in enumerate(units)}
    chart = OrgChart(
        tuple(u.code for u in units),
        tuple(u.name for u in units),
        tuple(-1 if u.parent_id is None else where[u.parent_id] for u in units),
    )
    asked = wave.items.order_by("position", "pk")
    items = tuple(Item(it.code, it.scale, it.reverse, it.text) for it in asked)
    rows = list(wave.responses.values_list("unit_id", "characteristic", "answers"))
    answers = np.zeros((len(rows), len(items)), dtype=np.uint8)
    for i, (_unit, _value, given) in enumerate(rows):
        for j, it in enumerate(items):
            answers[i, j] = int(given.get(it.id, 0) or 0)
    breakdowns: dict[str, Any] = {}
    if wave.characteristic:
        values = tuple(dict.fromkeys(value for _u, value, _a in rows))
        code = {value: k for k, value in enumerate(values)}
        breakdowns[CHARACTERISTIC] = (
            values,
            np.asarray([code[value] for _u, value, _a in rows], dtype=np.int64),
        )
    responses = Responses(
        waves=(wave.name,),
        wave=np.zeros(len(rows), dtype=np.int64),
        unit=np.asarray([where[u] for u, _v, _a in rows], dtype=np.int64),
        breakdowns=breakdowns,
        items=tuple(it.id for it in items),
        answers=answers,
    )
    return chart, items, responses


def run_report(wave: Wave) -> dict[str, Any]:
    """The engine's report of the wave (every cell, suppression applied, and reliability)."""
    chart, items, responses = engine_inputs(wave)
    columns = (CHARACTERISTIC,) if CHARACTERISTIC in responses.breakdowns else ()
    return build_report(chart, items, responses, min_group=wave.min_group, breakdowns=columns)


@action("culture.report_computed")
def compute_and_store(wave: Wave) -> WaveReport:
    """Run the report and store it in one transaction (a rerun replaces it)."""
    data = run_report(wave)
    report, _created = WaveReport.objects.update_or_create(wave=wave, defaults={"data": data})
    published = sum(1 for c in data["cells"] if not c["suppressed"])
    audit.record(
        "culture.report_computed",
        council=wave.survey.council,
        obj=wave,
        cells=len(data["cells"]),
        published=published,
    )
    return report
