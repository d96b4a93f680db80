"""Disclosure control: which cells of one wave may be published.

The table of a wave has a cell for every unit (everyone in its subtree) and slice (everyone,
or one value of one breakdown column). Its cells are tied by published equations, *lines*:

- tree line, per non-leaf unit U and slice s: ``cell(U, s) = D(U, s) + sum of cell(C, s)``
  over U's children, where ``D(U, s)`` are the people attached directly to U (never published);
- breakdown line, per unit U and column: ``cell(U, everyone) = sum of cell(U, value)``;
- direct line, per non-leaf U and column: ``D(U, everyone) = sum of D(U, value)``.

A cell with n below the minimum is suppressed (``fewer_than_min``). The attacker knows every
line and every published n (and, through the published scores, every published score sum:
the same equations hold for sums of scores, so a group whose size is derivable from the
published n has its score sum derivable too, and only then). We call a cell or direct group
*known* when the published lines pin it down one at a time (a line with one unknown left).

**What ``method="lattice"`` guarantees** (each wave, each scale's n): for every line whose
total is known, every sum the attacker can form from that line's hidden parts, replacing any
hidden part by the hidden parts of one of its own lines (recursively, i.e. subtracting children
from parents and breakdown values from totals, mixed, to any depth), is 0 or at least the
minimum; and every known hidden group is empty or at least the minimum. Such sums are exactly
the groups of people the published figures isolate by differencing. When a line breaks this,
the smallest published part of it (or its total) is hidden as well (``complementary``) and the
whole check runs again, until nothing breaks. The achievable sums are tracked as bit sets of
0 ... minimum (the top bit meaning "minimum or more"), so a check is linear in the table size.

Compared with the sibling rule (``method="sibling"``, the issue's baseline: in every family,
hidden or not, keep hiding the next-smallest sibling while the hidden part, counting people
attached directly to the parent, holds 1 to min - 1), the lattice method does not protect
families whose total the attacker cannot know, and it sees differences the sibling rule misses
(a hidden part replaced by its own children). ``method="glint"`` is the literal Glint-style rule
(act only when exactly one sibling is hidden), kept to measure how much it leaks.

The suppression is shared by the scales of a wave (a cell hidden for one scale is hidden for
all), because scales' n are usually equal and one scale's n would reveal another's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

Method = Literal["lattice", "sibling", "glint"]
METHODS: tuple[Method, ...] = ("lattice", "sibling", "glint")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Line:
    top: int
    parts: tuple[int, ...]
    kind: Literal["tree", "breakdown", "direct"]


class Lattice:
    """The variables and lines of one wave's table.

    Variable ``u * S + s`` is cell (u, s); variable ``U * S + u * S + s`` is D(u, s), the people
    attached directly to non-leaf unit u in slice s. ``groups[s]`` is slice s's breakdown column
    index (-1 for everyone, which must be slice 0).
    """

    def __init__(self, parent: Sequence[int], groups: Sequence[int]) -> None:
        self.parent = tuple(parent)
        self.groups = tuple(groups)
        n_units, n_slices = len(self.parent), len(self.groups)
        self.n_units, self.n_slices = n_units, n_slices
        self.n_cells = n_units * n_slices
        kids: list[list[int]] = [[] for _ in range(n_units)]
        for u, p in enumerate(self.parent):
            if p >= 0:
                kids[p].append(u)
        self.children = kids
        root = self.parent.index(-1)
        order: list[int] = []
        stack = [root]
        while stack:
            u = stack.pop()
            order.append(u)
            stack.extend(kids[u])
        self.bottom_up = order[::-1]
        by_group: dict[int, list[int]] = {}
        for s, g in enumerate(self.groups):
            if g >= 0:
                by_group.setdefault(g, []).append(s)
        self.group_slices = list(by_group.values())
        lines: list[Line] = []
        S, C = n_slices, self.n_cells
        for u in range(n_units):
            if kids[u]:
                for s in range(S):
                    parts = (*(c * S + s for c in kids[u]), C + u * S + s)
                    lines.append(Line(u * S + s, parts, "tree"))
            for slices in self.group_slices:
                lines.append(Line(u * S, tuple(u * S + s for s in slices), "breakdown"))
                if kids[u]:
                    lines.append(Line(C + u * S, tuple(C + u * S + s for s in slices), "direct"))
        self.lines = lines
        self.n_vars = 2 * C
        by_top: list[list[int]] = [[] for _ in range(self.n_vars)]
        touching: list[list[int]] = [[] for _ in range(self.n_vars)]
        for i, line in enumerate(lines):
            by_top[line.top].append(i)
            touching[line.top].append(i)
            for p in line.parts:
                touching[p].append(i)
        self.by_top = by_top
        self.touching = touching
        # Variables in an order where every line's parts come before its total.
        seq: list[int] = []
        for u in self.bottom_up:
            for s in range(1, S):
                if kids[u]:
                    seq.append(C + u * S + s)
                seq.append(u * S + s)
            if kids[u]:
                seq.append(C + u * S)
            seq.append(u * S)
        self.parts_first = seq

    def variables(self, counts: IntArray) -> list[int]:
        """n of every variable: the cells' n, then the direct groups' n (cell minus children)."""
        cells = np.asarray(counts, dtype=np.int64).reshape(self.n_units, self.n_slices)
        direct = cells.copy()
        for u, p in enumerate(self.parent):
            if p >= 0:
                direct[p] -= cells[u]
        return [int(x) for x in cells.ravel()] + [int(x) for x in direct.ravel()]

    def known(self, hidden: BoolArray) -> tuple[list[bool], list[int]]:
        """Which variables the published lines pin down, and the line that pinned each."""
        known = [not h for h in hidden.tolist()] + [False] * self.n_cells
        source = [-1] * self.n_vars
        unknown = []
        for line in self.lines:
            unknown.append((not known[line.top]) + sum(not known[p] for p in line.parts))
        queue = deque(i for i, k in enumerate(unknown) if k == 1)
        while queue:
            i = queue.popleft()
            if unknown[i] != 1:
                continue
            line = self.lines[i]
            var = next(v for v in (line.top, *line.parts) if not known[v])
            known[var] = True
            source[var] = i
            for j in self.touching[var]:
                unknown[j] -= 1
                if unknown[j] == 1:
                    queue.append(j)
        return known, source


def _sumset(a: int, b: int, top: int, full: int) -> int:
    """Every x + y for x in a, y in b (bit sets), with sums at or above the minimum capped."""
    result = 0
    while a:
        low = a & -a
        result |= b << (low.bit_length() - 1)
        a ^= low
    if result > full:
        result = (result & full) | top
    return result


def violations(lattice: Lattice, hidden: BoolArray, n: Sequence[int], minimum: int) -> list[int]:
    """Lines (indices) through which a group of 1 to minimum - 1 people can be derived."""
    known, source = lattice.known(hidden)
    top_bit, full = 1 << minimum, (1 << minimum) - 1
    bad_bits = full & ~1
    n_cells = lattice.n_cells
    published = [not h for h in hidden.tolist()] + [False] * n_cells
    found: list[int] = []
    for var in range(lattice.n_vars):
        if known[var] and not published[var] and 0 < n[var] < minimum:
            found.append(source[var])
    # options[v]: sums a hidden variable can stand for (itself, or any expansion of it).
    options = [1] * lattice.n_vars
    line_sums: dict[int, int] = {}
    for var in lattice.parts_first:
        if published[var]:
            continue
        opts = 1 << min(n[var], minimum)
        for i in lattice.by_top[var]:
            total = 1
            for p in lattice.lines[i].parts:
                if not published[p]:
                    total = _sumset(total, options[p], top_bit, full)
            line_sums[i] = total
            opts |= total
        options[var] = opts | 1 if known[var] else opts
    for i, line in enumerate(lattice.lines):
        if not known[line.top]:
            continue
        cached = line_sums.get(i)
        if cached is not None:
            total = cached
        else:
            total = 1
            for p in line.parts:
                if not published[p]:
                    total = _sumset(total, options[p], top_bit, full)
        if total & bad_bits:
            found.append(i)
    return found


def _published_near(lattice: Lattice, hidden: BoolArray, start: int) -> list[int]:
    """The nearest published cells to a variable, through the lines."""
    seen = {start}
    frontier = [start]
    while frontier:
        hits = []
        nxt = []
        for var in frontier:
            for i in lattice.touching[var]:
                line = lattice.lines[i]
                for v in (line.top, *line.parts):
                    if v not in seen:
                        seen.add(v)
                        if v < lattice.n_cells and not hidden[v]:
                            hits.append(v)
                        nxt.append(v)
        if hits:
            return hits
        frontier = nxt
    return []


def _fix(lattice: Lattice, hidden: BoolArray, line: Line, n: Sequence[int]) -> int | None:
    """The cell to hide for a broken line: its smallest published part, else its total, else
    the nearest published cell (that is what made a hidden total known)."""
    n_cells = lattice.n_cells
    parts = [p for p in line.parts if p < n_cells and not hidden[p]]
    if parts:
        return min(parts, key=lambda p: (n[p], p))
    if line.top < n_cells and not hidden[line.top]:
        return line.top
    near = _published_near(lattice, hidden, line.top)
    return min(near, key=lambda p: (n[p], p)) if near else None


def _family_hides(
    lattice: Lattice, hidden: BoolArray, n: Sequence[int], minimum: int, method: Method
) -> list[int]:
    """One pass of the sibling or Glint rule over every family (tree and breakdown lines)."""
    n_cells = lattice.n_cells
    hides: list[int] = []
    for line in lattice.lines:
        if line.kind == "direct":
            continue
        cells = [p for p in line.parts if p < n_cells]
        open_cells = [p for p in cells if not hidden[p]]
        if method == "glint":
            if sum(1 for p in cells if hidden[p]) == 1 and open_cells:
                hides.append(min(open_cells, key=lambda p: (n[p], p)))
            continue
        hidden_sum = sum(n[p] for p in line.parts if p >= n_cells or hidden[p])
        if 0 < hidden_sum < minimum:
            if open_cells:
                hides.append(min(open_cells, key=lambda p: (n[p], p)))
            elif line.top < n_cells and not hidden[line.top]:
                hides.append(line.top)
    return hides


def suppress(
    lattice: Lattice,
    counts: Sequence[IntArray],
    minimum: int,
    method: Method = "lattice",
) -> BoolArray:
    """The hidden cells (flat, ``u * S + s``) of one wave, given each scale's n (units x slices)."""
    if minimum < 1:
        raise ValueError("the minimum group must be at least 1")
    distinct: dict[bytes, IntArray] = {}
    for c in counts:
        arr = np.ascontiguousarray(c, dtype=np.int64)
        distinct.setdefault(arr.tobytes(), arr)
    ns = [lattice.variables(c) for c in distinct.values()]
    hidden = np.zeros(lattice.n_cells, dtype=bool)
    for c in distinct.values():
        hidden |= c.ravel() < minimum
    while True:
        hides: set[int] = set()
        for n in ns:
            if method == "lattice":
                for i in violations(lattice, hidden, n, minimum):
                    line = lattice.lines[i]
                    if any(v in hides for v in (line.top, *line.parts)):
                        continue  # already changed this round; checked again next round
                    cell = _fix(lattice, hidden, line, n)
                    if cell is not None:
                        hides.add(cell)
            else:
                hides.update(_family_hides(lattice, hidden, n, minimum, method))
        if not hides:
            return hidden
        hidden[list(hides)] = True
