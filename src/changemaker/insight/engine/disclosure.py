"""Small-number suppression of a table of counts by ward (rows) and month (columns), pure.

**Primary suppression**: every count below the threshold is hidden, zeros included (a zero
below the threshold would let a reader tell which of its neighbours hold the few people).

**Secondary suppression**: whoever holds the table may also know its totals: a ward's total
over the period, a month's total over the wards, the grand total (another publication may
give them exactly). A total that is itself below the threshold (and not 0) would be hidden
wherever it is published, so the attacker is given every total that is 0 or at least the
threshold. Knowing those, a hidden cell is *recovered* when the published cells and the
totals leave it only one possible value. For counts the question is exact as a linear
programme: the table's equations (each known total is the sum of its line) form a
transportation polytope, whose constraint matrix is totally unimodular, so the smallest and
largest value a hidden cell can take under "every hidden cell is a whole number >= 0" are the
linear programme's bounds. A hidden cell holding people (more than 0) is safe when those
bounds differ. While some hidden cell is recovered, the smallest published cell of its row
and of its column are hidden too (each hidden cell then shares its lines with others), and the
check runs again; if that cannot help, every cell is hidden.

Why a threshold of at least 5 (``MIN_THRESHOLD``): below 5, a published count can single out a
household in a ward in a month (the ONS and NHS England small-number rules use 5 or 10 for
health and social-care counts); the default 10 follows this service's own ward counts.

This re-implements a minimal rule for a two-way table (the culture survey's disclosure control
covers a tree of teams and breakdowns and lives in another capability, which insight may not
import).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import linprog

DEFAULT_THRESHOLD = 10
MIN_THRESHOLD = 5

IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


def suppress(counts: Sequence[Sequence[int]], threshold: int = DEFAULT_THRESHOLD) -> BoolArray:
    """Which cells to hide (True), rows = wards and columns = months: every count below
    ``threshold``, and more until no hidden count above 0 can be recovered from the totals."""
    if threshold < MIN_THRESHOLD:
        raise ValueError(f"the threshold must be at least {MIN_THRESHOLD}")
    table = np.asarray(counts, dtype=np.int64).reshape(len(counts), -1)
    if (table < 0).any():
        raise ValueError("counts cannot be negative")
    hidden = table < threshold
    for _ in range(table.size):
        exposed = recovered(table, hidden, threshold)
        if not exposed:
            return hidden
        if not _close_loop(table, hidden, *exposed[0]):
            break
    return np.ones_like(hidden)


def _close_loop(table: IntArray, hidden: BoolArray, r: int, c: int) -> bool:
    """Hide the cells that make hidden cell (r, c) one corner of a rectangle of hidden cells
    (a loop no total can undo), choosing the rectangle that hides the fewest people more.
    False when every rectangle is hidden already (in place)."""
    best: tuple[int, int, int] | None = None
    for r2 in range(table.shape[0]):
        for c2 in range(table.shape[1]):
            if r2 == r or c2 == c:
                continue
            corners = ((r, c2), (r2, c), (r2, c2))
            added = [cell for cell in corners if not hidden[cell]]
            if not added:
                continue
            cost = sum(int(table[cell]) for cell in added)
            if best is None or cost < best[0]:
                best = (cost, r2, c2)
    if best is None:
        return False
    _cost, r2, c2 = best
    for cell in ((r, c2), (r2, c), (r2, c2)):
        hidden[cell] = True
    return True


def known_lines(table: IntArray, threshold: int) -> list[tuple[list[tuple[int, int]], int]]:
    """The totals an attacker is taken to know: (the cells of the line, its total) for every
    row, column and the whole table of more than one cell whose total is 0 or >= threshold."""
    rows, cols = table.shape
    lines = [[(r, c) for c in range(cols)] for r in range(rows)]
    lines += [[(r, c) for r in range(rows)] for c in range(cols)]
    lines.append([(r, c) for r in range(rows) for c in range(cols)])
    found = []
    for cells in lines:
        total = int(sum(table[r, c] for r, c in cells))
        if len(cells) > 1 and (total == 0 or total >= threshold):
            found.append((cells, total))
    return found


def recovered(table: IntArray, hidden: BoolArray, threshold: int) -> list[tuple[int, int]]:
    """Hidden cells above 0 that the published cells and the known totals pin to one value.

    The true table is one solution; a hidden cell can change iff some direction ``d`` keeps
    every known total (``A d = 0``) and never takes a hidden 0 below 0. One linear programme
    finds which hidden zeros can rise at all (the rest stay 0 in every solution and are
    dropped); every other direction is then free, so a hidden count above 0 is pinned exactly
    when its unit vector lies in the row space of ``A`` on the cells left (one SVD)."""
    cells = [(int(r), int(c)) for r, c in zip(*np.nonzero(hidden), strict=True)]
    if not cells:
        return []
    index = {cell: i for i, cell in enumerate(cells)}
    rows = []
    for line, _total in known_lines(table, threshold):
        row = np.zeros(len(cells))
        for cell in line:
            if cell in index:
                row[index[cell]] = 1.0
        if row.any():
            rows.append(row)
    positive = np.array([table[cell] > 0 for cell in cells])
    if not rows:
        return []
    a = np.array(rows)
    keep = positive | _zeros_that_can_rise(a, positive)
    basis = _null_space(a[:, keep])
    moves = np.zeros(len(cells))
    moves[keep] = np.abs(basis).sum(axis=1) if basis.size else 0.0
    return [cell for cell, i in index.items() if positive[i] and moves[i] < 1e-9]


def _zeros_that_can_rise(a: NDArray[np.float64], positive: NDArray[np.bool_]) -> NDArray[np.bool_]:
    """Which hidden zeros some direction ``d`` (``a d = 0``, zeros not falling) raises: the
    linear programme max Σ t, t_j <= d_j, 0 <= t_j <= 1 over the zeros (d unbounded, so each
    zero that can rise at all reaches t_j = 1)."""
    zeros = np.flatnonzero(~positive)
    if not len(zeros):
        return np.zeros(len(positive), dtype=bool)
    n, z = a.shape[1], len(zeros)
    cost = np.concatenate([np.zeros(n), -np.ones(z)])
    a_eq = np.hstack([a, np.zeros((a.shape[0], z))])
    a_ub = np.zeros((z, n + z))
    a_ub[np.arange(z), zeros] = -1.0
    a_ub[np.arange(z), n + np.arange(z)] = 1.0
    bounds = [(None, None) if positive[i] else (0, None) for i in range(n)] + [(0, 1)] * z
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(z),
        A_eq=a_eq,
        b_eq=np.zeros(a.shape[0]),
        bounds=bounds,
        method="highs",
    )
    rises = np.zeros(len(positive), dtype=bool)
    rises[zeros] = res.x[n:] > 0.5
    return rises


def _null_space(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """An orthonormal basis (as columns) of {d: a d = 0}."""
    _u, sv, vt = np.linalg.svd(a)
    rank = int((sv > 1e-9 * max(1.0, float(sv.max(initial=0.0)))).sum())
    basis: NDArray[np.float64] = vt[rank:].T
    return basis
