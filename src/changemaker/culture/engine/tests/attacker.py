"""A differencing attacker that solves the published equations; independent of disclosure.py.

It rebuilds the table from the respondents, not from the engine's lattice. Its unknowns are the
*atoms*: for each unit, the people attached directly to it with each combination of breakdown
values (every combination, including empty ones: the attacker does not know which are empty).
Every cell of the report is the sum of the atoms of its unit's subtree that match its slice.

What the attacker knows: the org chart, which cells are published with which n, what each
suppressed cell's reason implies (were a report to say "fewer_than_min", 0 <= n <= min - 1;
"complementary", n >= min; the engine's single reason implies nothing), and that atoms are
non-negative integers. It does not run the engine's algorithm to learn from *which* cells are
hidden. Scores: every published cell's score sum (n x
score) satisfies the same equations, so the score sum of a group is derivable exactly when its
size is derivable by the linear route below.

Two attacks, both per wave and scale:

``linear_disclosures``
    A group of people S (any set of atoms) has a *derivable* size and score sum when its
    indicator vector is a rational linear combination of published cells' indicator vectors,
    i.e. it is orthogonal to the null space of the published-cell matrix (computed exactly with
    sympy rationals). A mixed-integer program (scipy/HiGHS, integer data) looks for any such S
    with 1 <= |S| <= min - 1 among *all* 2^atoms sets; every hit is re-checked exactly.

``interval_disclosures``
    For every suppressed cell and every direct group (people attached to a non-leaf unit, per
    slice), the least and greatest n over all non-negative integer tables that reproduce what
    was published (with the reasons' bounds), by integer programming. The group's size is
    derived when least == greatest and it lies in 1 .. min - 1. ``interval_small`` lists groups
    whose whole feasible range lies in 1 .. min - 1 (a nonempty small group is certain, though
    its size is not); reported, not counted as a disclosure.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import sympy
from scipy.optimize import Bounds, LinearConstraint, milp

from changemaker.culture.engine.csvio import Item, OrgChart, Responses


@dataclass
class Table:
    """One wave and scale: atoms, their true counts, and every report cell as an atom set."""

    atoms: list[tuple[int, tuple[int, ...]]]
    counts: np.ndarray
    cells: list[dict[str, Any]]  # the report's cells of this wave and scale
    rows: np.ndarray  # cells x atoms, 0/1
    direct: list[tuple[str, np.ndarray]]  # (label, indicator) of direct groups
    minimum: int


def build(
    units: OrgChart,
    items: tuple[Item, ...],
    responses: Responses,
    report: dict[str, Any],
    *,
    wave: str,
    scale: str,
    columns: tuple[str, ...],
    minimum: int,
) -> Table:
    values = [sorted(responses.breakdowns[c][0]) for c in columns]
    combos = list(itertools.product(*[range(len(v)) for v in values]))
    atoms = [(u, combo) for u in range(len(units.ids)) for combo in combos]
    index = {a: i for i, a in enumerate(atoms)}
    w = responses.waves.index(wave)
    cols = [j for j, it in enumerate(items) if it.scale == scale]
    counts = np.zeros(len(atoms), dtype=np.int64)
    for r in range(len(responses.unit)):
        if responses.wave[r] != w or not (responses.answers[r, cols] > 0).any():
            continue
        combo = []
        for c, vals in zip(columns, values, strict=True):
            code_values, codes = responses.breakdowns[c]
            combo.append(vals.index(code_values[codes[r]]))
        counts[index[(int(responses.unit[r]), tuple(combo))]] += 1
    # subtree of every unit, by walking up from each unit
    n_units = len(units.ids)
    inside = np.zeros((n_units, n_units), dtype=bool)  # inside[U, u]: u in U's subtree
    for u in range(n_units):
        x = u
        while x >= 0:
            inside[x, u] = True
            x = units.parent[x]
    unit_of = np.array([a[0] for a in atoms])
    combo_of = np.array([a[1] for a in atoms]).reshape(len(atoms), len(columns))
    cells = [c for c in report["cells"] if c["wave"] == wave and c["scale"] == scale]
    uidx = units.index()
    rows = np.zeros((len(cells), len(atoms)), dtype=np.int64)
    for k, cell in enumerate(cells):
        mask = inside[uidx[cell["unit"]], unit_of]
        if cell["breakdown"] is not None:
            ((col, val),) = cell["breakdown"].items()
            ci = columns.index(col)
            mask &= combo_of[:, ci] == values[ci].index(val)
        rows[k] = mask
    direct: list[tuple[str, np.ndarray]] = []
    children = units.children()
    for u in range(n_units):
        if not children[u]:
            continue
        base = unit_of == u
        direct.append((f"direct({units.ids[u]})", base.astype(np.int64)))
        for ci, c in enumerate(columns):
            for vi, v in enumerate(values[ci]):
                label = f"direct({units.ids[u]}, {c}={v!r})"
                direct.append((label, (base & (combo_of[:, ci] == vi)).astype(np.int64)))
    return Table(atoms, counts, cells, rows, direct, minimum)


def _describe(t: Table, z: np.ndarray) -> str:
    return ", ".join(f"{t.atoms[i]}" for i in np.flatnonzero(z))


def linear_disclosures(t: Table) -> list[str]:
    """Groups of 1..min-1 people whose size (and score sum) the published cells determine."""
    published = [k for k, c in enumerate(t.cells) if not c["suppressed"]]
    n_atoms = len(t.atoms)
    if published:
        a = sympy.Matrix(t.rows[published].tolist())
        null = a.nullspace()
    else:
        null = [sympy.Matrix.eye(n_atoms)[:, i] for i in range(n_atoms)]
    constraints = []
    null_int = []
    for vec in null:
        dens = [sympy.fraction(x)[1] for x in vec]
        scale = sympy.ilcm(*dens) if dens else 1
        ints = np.array([int(x * scale) for x in vec], dtype=np.float64)
        null_int.append([int(x * scale) for x in vec])
        constraints.append(LinearConstraint(ints[None, :], 0, 0))
    counts = t.counts.astype(np.float64)
    constraints.append(LinearConstraint(counts[None, :], 1, t.minimum - 1))
    found: list[str] = []
    # Look for one group at a time; forbid each one found and look again (a few rounds).
    for _ in range(5):
        res = milp(
            c=np.zeros(n_atoms),
            constraints=constraints,
            integrality=np.ones(n_atoms),
            bounds=Bounds(0, 1),
        )
        if res.status != 0 or res.x is None:
            break
        z = np.rint(res.x).astype(np.int64)
        # exact re-check: z is orthogonal to the null space, so it is in the row space
        assert all(
            sum(Fraction(v) * int(zi) for v, zi in zip(row, z, strict=True)) == 0
            for row in null_int
        )
        size = int(t.counts @ z)
        assert 1 <= size <= t.minimum - 1
        found.append(f"group of {size} derivable: atoms {_describe(t, z)}")
        constraints.append(LinearConstraint(z[None, :].astype(np.float64), -np.inf, z.sum() - 1))
    return found


def _range(t: Table, target: np.ndarray) -> tuple[int, int] | None:
    n_atoms = len(t.atoms)
    cons = []
    for k, cell in enumerate(t.cells):
        row = t.rows[k].astype(np.float64)[None, :]
        if not cell["suppressed"]:
            cons.append(LinearConstraint(row, cell["n"], cell["n"]))
        elif cell["reason"] == "fewer_than_min":
            cons.append(LinearConstraint(row, 0, t.minimum - 1))
        elif cell["reason"] == "complementary":
            cons.append(LinearConstraint(row, t.minimum, np.inf))
        # any other reason tells nothing about n
    total = int(t.counts.sum())
    out = []
    for sign in (1.0, -1.0):
        res = milp(
            c=sign * target.astype(np.float64),
            constraints=cons,
            integrality=np.ones(n_atoms),
            bounds=Bounds(0, max(total, 1)),
        )
        if res.status != 0:
            return None
        out.append(round(float(target @ np.rint(res.x))))
    return out[0], out[1]


def interval_disclosures(t: Table) -> tuple[list[str], list[str]]:
    """(groups whose size is pinned in 1..min-1, groups certainly small but not pinned)."""
    pinned: list[str] = []
    small: list[str] = []
    targets = [
        (f"{c['unit']} {json.dumps(c['breakdown'])}", t.rows[k])
        for k, c in enumerate(t.cells)
        if c["suppressed"]
    ] + t.direct
    for label, target in targets:
        r = _range(t, target)
        assert r is not None, "the published table must be feasible"
        lo, hi = r
        if lo == hi and 1 <= lo <= t.minimum - 1:
            pinned.append(f"{label}: n = {lo}")
        elif lo >= 1 and hi <= t.minimum - 1:
            small.append(f"{label}: n in {lo}..{hi}")
    return pinned, small
