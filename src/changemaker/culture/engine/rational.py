"""Exact rational linear algebra for the disclosure check (``derivable.py``): solving for a
combination of indicator vectors, and the integer vectors orthogonal to them. ``Fraction``
arithmetic, no floating point, no library (sympy is installed for the tests only)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction


def _reduce(rows: list[list[Fraction]], n_cols: int) -> list[int]:
    """Reduced row echelon form of ``rows`` in place, over the first ``n_cols`` columns (exact
    rationals); the pivot columns, one per leading row."""
    pivots: list[int] = []
    r = 0
    for col in range(n_cols):
        pivot = next((i for i in range(r, len(rows)) if rows[i][col] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][col]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][col] != 0:
                f = rows[i][col]
                rows[i] = [a - f * b for a, b in zip(rows[i], rows[r], strict=True)]
        pivots.append(col)
        r += 1
    return pivots


def solve(
    covers: Sequence[Sequence[int]], target: Sequence[int], n_combos: int
) -> list[Fraction] | None:
    """Exact coefficients c with ``sum c[i] * indicator(covers[i]) == target`` over
    ``n_combos`` combinations (one solution), or None when the target is not in their span."""
    m = len(covers)
    rows = [
        [Fraction(int(k in cov)) for cov in covers] + [Fraction(target[k])] for k in range(n_combos)
    ]
    pivots = _reduce(rows, m)
    if any(rows[i][m] != 0 for i in range(len(pivots), n_combos)):
        return None
    out = [Fraction(0)] * m
    for i, col in enumerate(pivots):
        out[col] = rows[i][m]
    return out


def orthogonal(covers: Sequence[Sequence[int]], n_combos: int) -> list[list[int]]:
    """Integer vectors over combinations spanning everything orthogonal to the indicators of
    ``covers`` (exact: a basis of the null space of the matrix whose rows they are)."""
    rows = [[Fraction(int(k in cov)) for k in range(n_combos)] for cov in covers]
    pivots = _reduce(rows, n_combos)
    basis = []
    for free in (k for k in range(n_combos) if k not in pivots):
        vec = [Fraction(0)] * n_combos
        vec[free] = Fraction(1)
        for i, col in enumerate(pivots):
            vec[col] = -rows[i][free]
        scale = math.lcm(*(x.denominator for x in vec))
        basis.append([int(x * scale) for x in vec])
    return basis
