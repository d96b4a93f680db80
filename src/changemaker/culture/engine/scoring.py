"""Scale scores, % positive and n for every unit (its whole subtree) and breakdown value.

A respondent's scale score is the mean of their answered items of the scale (reversed items
become 6 - x) mapped to 0-100 by (x - 1) x 25. To keep sums exact, a respondent's score is held
as an integer times ``lcm(1..k)`` (k = the scale's number of items): the group score is then the
ratio of two integers and is correctly rounded when divided (no float sums).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from .csvio import Item, OrgChart, Responses

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Slices:
    """Columns of the table: slice 0 is everyone; then one slice per breakdown value."""

    column: tuple[str | None, ...]
    value: tuple[str | None, ...]

    def __len__(self) -> int:
        return len(self.column)

    @property
    def group(self) -> tuple[int, ...]:
        """For each slice, the index of its breakdown column (-1 for everyone)."""
        cols = [c for c in dict.fromkeys(self.column) if c is not None]
        return tuple(-1 if c is None else cols.index(c) for c in self.column)


@dataclass(frozen=True, slots=True)
class ScaleTable:
    """Sums for one wave and scale, shape (units, slices); each unit's cell is its subtree."""

    n: IntArray  # respondents with at least one answer of the scale
    score_sum: IntArray  # sum of respondent scores, times ``denominator``
    positive: IntArray  # answered item responses of 4 or 5
    answered: IntArray  # answered item responses
    denominator: int
    # sum of squared respondent scores (0-100), for the standard deviation (trends' intervals);
    # floats: the squares of the exact integers above would overflow int64 on long scales
    score_sq: FloatArray


def scales_of(items: tuple[Item, ...]) -> tuple[str, ...]:
    """Scales in the order the items file first names them."""
    return tuple(dict.fromkeys(it.scale for it in items))


def make_slices(responses: Responses, columns: tuple[str, ...]) -> Slices:
    col: list[str | None] = [None]
    val: list[str | None] = [None]
    for c in columns:
        values, _codes = responses.breakdowns[c]
        for value in sorted(values):
            col.append(c)
            val.append(value)
    return Slices(tuple(col), tuple(val))


def score(
    responses: Responses,
    items: tuple[Item, ...],
    units: OrgChart,
    columns: tuple[str, ...],
) -> tuple[Slices, dict[tuple[int, str], ScaleTable]]:
    """Tables for every (wave index, scale)."""
    slices = make_slices(responses, columns)
    n_units, n_slices = len(units.ids), len(slices)
    # The cell each respondent falls in, for everyone and for each breakdown column.
    cell_ids = [responses.unit * n_slices]
    offset = 1
    for c in columns:
        values, codes = responses.breakdowns[c]
        rank = np.empty(len(values), dtype=np.int64)
        rank[np.argsort(np.asarray(values, dtype=object), kind="stable")] = np.arange(len(values))
        cell_ids.append(responses.unit * n_slices + offset + rank[codes])
        offset += len(values)
    order = units.bottom_up()
    parent = units.parent
    answers = responses.answers.astype(np.int64)
    reverse = np.array([it.reverse for it in items], dtype=bool)
    answers = np.where((answers > 0) & reverse[None, :], 6 - answers, answers)
    tables: dict[tuple[int, str], ScaleTable] = {}
    for scale in scales_of(items):
        cols = [j for j, it in enumerate(items) if it.scale == scale]
        k = len(cols)
        denominator = math.lcm(*range(1, k + 1))
        a = answers[:, cols]
        answered = (a > 0).sum(axis=1)
        total = a.sum(axis=1)
        positive = (a >= 4).sum(axis=1)
        has = answered > 0
        safe = np.where(has, answered, 1)
        # 25 * (total / answered - 1) * denominator, exactly (answered divides denominator).
        num = np.where(has, 25 * (total * (denominator // safe) - denominator), 0)
        for w in range(len(responses.waves)):
            rows = responses.wave == w
            metrics = []
            square = (num / denominator) ** 2
            for per_person in (has.astype(np.int64), num, positive, answered):
                acc = np.zeros(n_units * n_slices, dtype=np.int64)
                for ids in cell_ids:
                    # float64 sums of integers below 2**53 are exact
                    acc += np.rint(
                        np.bincount(ids[rows], weights=per_person[rows], minlength=acc.size)
                    ).astype(np.int64)
                metrics.append(acc.reshape(n_units, n_slices))
            for m in metrics:
                for u in order:
                    p = parent[u]
                    if p >= 0:
                        m[p] += m[u]
            flat = np.zeros(n_units * n_slices, dtype=np.float64)
            for ids in cell_ids:
                flat += np.bincount(ids[rows], weights=square[rows], minlength=flat.size)
            sq = flat.reshape(n_units, n_slices)
            for u in order:
                if parent[u] >= 0:
                    sq[parent[u]] += sq[u]
            tables[(w, scale)] = ScaleTable(
                metrics[0], metrics[1], metrics[2], metrics[3], denominator, sq
            )
    return slices, tables
