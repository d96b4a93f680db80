"""The culture report: every cell (unit x wave x breakdown x scale) and reliability at the root.

``build_report`` reads nothing and writes nothing: ``read_*`` in ``csvio`` give it its input.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from .csvio import Item, OrgChart, Responses, read_items, read_responses, read_units
from .disclosure import Lattice, Method, suppress
from .errors import CultureInputError, Problem
from .reliability import reliability
from .scoring import ScaleTable, Slices, scales_of, score

DEFAULT_MIN_GROUP = 10
# One reason for every suppressed cell. Saying which cells have fewer than the minimum and
# which are hidden to protect them would tell an attacker "n <= min - 1" or "n >= min" for each,
# and those bounds pin small groups down (a test shows it): the reason says both, for all.
SUPPRESSED = "fewer_than_min_or_protects_smaller_group"


def _score(t: ScaleTable, cell: int) -> float:
    # int / int is correctly rounded in Python: the exact group mean, to the nearest double.
    return int(t.score_sum.flat[cell]) / (int(t.n.flat[cell]) * t.denominator)


def _sd(t: ScaleTable, cell: int) -> float | None:
    """The sample standard deviation of the group's respondent scores (None below 2 people).
    Published with the score: a sum of squares is additive like the sum, over the same
    groups, so what disclosure control hides for one it hides for the other."""
    n = int(t.n.flat[cell])
    if n < 2:
        return None
    total = int(t.score_sum.flat[cell]) / t.denominator
    return math.sqrt(max(float(t.score_sq.flat[cell]) - total * total / n, 0.0) / (n - 1))


def build_report(
    units: OrgChart,
    items: tuple[Item, ...],
    responses: Responses,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    breakdowns: tuple[str, ...] = (),
    method: Method = "lattice",
) -> dict[str, Any]:
    """``{"cells": [...], "reliability": [...]}`` as ``changemaker culture report`` prints it."""
    if min_group < 1:
        raise ValueError("the minimum reporting group must be at least 1")
    slices, tables = score(responses, items, units, breakdowns)
    lattice = Lattice(units.parent, slices.group)
    scales = scales_of(items)
    cells: list[dict[str, Any]] = []
    reliability_rows: list[dict[str, Any]] = []
    for w, wave in enumerate(responses.waves):
        per_scale = [tables[(w, s)] for s in scales]
        # One suppression for the wave's scales (one scale's n would reveal another's); a
        # scale nobody answered in this wave (not asked) is all suppressed and left out of it.
        asked = [t.n for t in per_scale if t.n.any()]
        hidden = (
            suppress(lattice, asked, min_group, method)
            if asked
            else np.ones(len(units.ids) * len(slices), dtype=bool)
        )
        _add_cells(cells, units, slices, wave, scales, per_scale, hidden)
        rows = responses.wave == w
        for scale in scales:
            reliability_rows.append(
                _reliability_row(responses, items, rows, wave, scale, min_group)
            )
    return {"cells": cells, "reliability": reliability_rows}


def _add_cells(
    cells: list[dict[str, Any]],
    units: OrgChart,
    slices: Slices,
    wave: str,
    scales: tuple[str, ...],
    per_scale: list[ScaleTable],
    hidden: npt.NDArray[np.bool_],
) -> None:
    """Append one wave's cells (unit x breakdown value x scale), suppressed ones without
    figures."""
    n_slices = len(slices)
    for u, unit in enumerate(units.ids):
        for s in range(n_slices):
            column = slices.column[s]
            breakdown = None if column is None else {column: slices.value[s]}
            cell = u * n_slices + s
            for scale, t in zip(scales, per_scale, strict=True):
                n = int(t.n.flat[cell])
                if hidden[cell] or n == 0:
                    cells.append(
                        {
                            "unit": unit,
                            "wave": wave,
                            "breakdown": breakdown,
                            "scale": scale,
                            "n": None,
                            "score": None,
                            "sd": None,
                            "percent_positive": None,
                            "suppressed": True,
                            "reason": SUPPRESSED,
                        }
                    )
                    continue
                cells.append(
                    {
                        "unit": unit,
                        "wave": wave,
                        "breakdown": breakdown,
                        "scale": scale,
                        "n": n,
                        "score": _score(t, cell),
                        "sd": _sd(t, cell),
                        "percent_positive": 100
                        * int(t.positive.flat[cell])
                        / int(t.answered.flat[cell]),
                        "suppressed": False,
                        "reason": None,
                    }
                )


def _reliability_row(
    responses: Responses,
    items: tuple[Item, ...],
    rows: npt.NDArray[np.bool_],
    wave: str,
    scale: str,
    min_group: int,
) -> dict[str, Any]:
    """Alpha (with its interval) and omega of one scale in one wave, on complete answers."""
    cols = [j for j, it in enumerate(items) if it.scale == scale]
    a = responses.answers[rows][:, cols].astype(np.float64)
    complete = a[(a > 0).all(axis=1)]
    reverse = np.array([items[j].reverse for j in cols], dtype=bool)
    complete = np.where(reverse[None, :], 6 - complete, complete)
    r = reliability(complete, min_group)
    return {
        "wave": wave,
        "scale": scale,
        "alpha": r.alpha,
        "ci": None if r.ci is None else [r.ci[0], r.ci[1]],
        "omega": r.omega,
        "n": r.n,
        "reason": r.reason,
    }


def report_from_files(
    responses_path: str | Path,
    units_path: str | Path,
    items_path: str | Path,
    *,
    min_group: int = DEFAULT_MIN_GROUP,
    breakdowns: tuple[str, ...] = (),
    method: Method = "lattice",
) -> dict[str, Any]:
    """Read the three files (each checked whole) and build the report."""
    units = read_units(units_path)
    items = read_items(items_path)
    responses = read_responses(responses_path, units, items)
    name = Path(responses_path).name
    for column in breakdowns:
        if column not in responses.breakdowns:
            problem = (
                f"--breakdown {column!r} is an item, not a characteristic; choose another column"
                if column in responses.items
                else f"--breakdown {column!r} is not a column of the file; the breakdown columns "
                f"are: {', '.join(responses.breakdowns) or 'none'}"
            )
            raise CultureInputError([Problem(name, 1, column, problem)])
    if len(set(breakdowns)) != len(breakdowns):
        raise CultureInputError([Problem(name, 1, None, "a --breakdown column is given twice")])
    return build_report(
        units, items, responses, min_group=min_group, breakdowns=breakdowns, method=method
    )
