"""Small-number suppression of the evaluation extract (engine/disclosure.py), checked by an
attacker written independently of it: for every hidden cell, the least and greatest value
it can take given the published cells and every known total, a linear programme per cell
(exact for whole numbers: the equations of a two-way table are totally unimodular)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from changemaker.insight.engine.disclosure import MIN_THRESHOLD, suppress

THRESHOLD = 10


def _lines(rows: int, cols: int) -> list[list[tuple[int, int]]]:
    out = [[(r, c) for c in range(cols)] for r in range(rows)]
    out += [[(r, c) for r in range(rows)] for c in range(cols)]
    out.append([(r, c) for r in range(rows) for c in range(cols)])
    return out


def _known(table: np.ndarray) -> list[tuple[list[tuple[int, int]], int]]:
    """The attacker knows every total (of more than one cell) that is 0 or >= the
    threshold: a smaller total would itself be suppressed wherever it is published."""
    found = []
    for line in _lines(*table.shape):
        total = int(sum(table[cell] for cell in line))
        if len(line) > 1 and (total == 0 or total >= THRESHOLD):
            found.append((line, total))
    return found


def lp_ranges(table: np.ndarray, hidden: np.ndarray) -> dict[tuple[int, int], tuple[float, float]]:
    cells = [tuple(map(int, c)) for c in zip(*np.nonzero(hidden), strict=True)]
    index = {c: i for i, c in enumerate(cells)}
    a, b = [], []
    for line, total in _known(table):
        row = np.zeros(len(cells))
        rest = total
        for cell in line:
            if cell in index:
                row[index[cell]] = 1
            else:
                rest -= int(table[cell])
        if row.any():
            a.append(row)
            b.append(rest)
    out = {}
    for cell, i in index.items():
        if not a:
            out[cell] = (0.0, float("inf"))
            continue
        ends = []
        for sign in (1.0, -1.0):
            cost = np.zeros(len(cells))
            cost[i] = sign
            res = linprog(cost, A_eq=np.array(a), b_eq=b, bounds=(0, None), method="highs")
            ends.append(float("inf") if res.status == 3 else sign * res.fun)
        out[cell] = (ends[0], ends[1])
    return out


tables = st.integers(2, 5).flatmap(
    lambda rows: st.integers(2, 6).flatmap(
        lambda cols: st.lists(
            st.lists(
                st.one_of(st.integers(0, 12), st.integers(0, 60)), min_size=cols, max_size=cols
            ),
            min_size=rows,
            max_size=rows,
        )
    )
)


@settings(max_examples=60, deadline=None)
@given(tables)
def test_no_count_below_the_threshold_is_published(counts: list[list[int]]) -> None:
    table = np.array(counts)
    hidden = suppress(counts, THRESHOLD)
    assert (table[~hidden] >= THRESHOLD).all()


@settings(max_examples=60, deadline=None)
@given(tables)
def test_no_hidden_count_can_be_recovered_from_the_totals(counts: list[list[int]]) -> None:
    table = np.array(counts)
    hidden = suppress(counts, THRESHOLD)
    for cell, (low, high) in lp_ranges(table, hidden).items():
        if table[cell] > 0:
            assert high - low >= 1 - 1e-9, (cell, counts, hidden.astype(int).tolist())


def test_a_lone_small_count_is_hidden_with_a_loop() -> None:
    # without more hiding the 3 would be the row total minus 20 and 15
    hidden = suppress([[3, 20, 15], [12, 11, 30]], THRESHOLD)
    assert hidden.tolist() == [[True, True, False], [True, True, False]]


def test_threshold_never_below_five() -> None:
    with pytest.raises(ValueError, match="at least 5"):
        suppress([[1, 2], [3, 4]], MIN_THRESHOLD - 1)
