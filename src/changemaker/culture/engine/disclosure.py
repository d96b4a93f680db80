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
    real: bool = True  # a family of published cells (the sibling rules look only at these)


class Lattice:
    """The variables and lines of one wave's table.

    ``groups[s]`` is real slice s's breakdown column index (-1 for everyone: slice 0). Besides
    the real slices the lattice has a *virtual* slice for every union of 2 to k - 1 values of a
    column with k values: never published, but the attacker can know it (the sum of its values,
    or everyone minus the other values), and differencing works inside it as in a real slice.
    With S slices in all (real first), variable ``u * S + s`` is cell (u, s) and variable
    ``U * S + u * S + s`` is D(u, s), the people attached directly to non-leaf unit u.
    """

    def __init__(self, parent: Sequence[int], groups: Sequence[int]) -> None:
        self.parent = tuple(parent)
        self.groups = tuple(groups)
        n_units, n_real = len(self.parent), len(self.groups)
        by_group: dict[int, list[int]] = {}
        for s, g in enumerate(self.groups):
            if g >= 0:
                by_group.setdefault(g, []).append(s)
        self.group_slices = list(by_group.values())
        # members[s]: the real value slices slice s unites (slice 0: none, it is everyone)
        members: list[tuple[int, ...]] = [()] + [(s,) for s in range(1, n_real)]
        virtual_of: dict[tuple[int, ...], int] = {}
        for values in self.group_slices:
            k = len(values)
            for mask in sorted(range(1, (1 << k) - 1), key=lambda m: bin(m).count("1")):
                if bin(mask).count("1") < 2:
                    continue
                chosen = tuple(values[i] for i in range(k) if mask >> i & 1)
                virtual_of[chosen] = len(members)
                members.append(chosen)
        self.members = members
        n_slices = len(members)
        self.n_units, self.n_real, self.n_slices = n_units, n_real, n_slices
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

        def slice_of(chosen: tuple[int, ...]) -> int:
            return chosen[0] if len(chosen) == 1 else virtual_of[chosen]

        # (total slice, part slices) identities that hold for every unit and for D
        compositions: list[tuple[int, tuple[int, ...]]] = []
        for values in self.group_slices:
            compositions.append((0, tuple(values)))
            for chosen, sv in virtual_of.items():
                if chosen[0] not in values:
                    continue
                compositions.append((sv, chosen))
                rest = tuple(v for v in values if v not in chosen)
                compositions.append((0, (sv, slice_of(rest))))
        lines: list[Line] = []
        S, C = n_slices, self.n_cells
        for u in range(n_units):
            if kids[u]:
                for s in range(S):
                    parts = (*(c * S + s for c in kids[u]), C + u * S + s)
                    lines.append(Line(u * S + s, parts, "tree", s < n_real))
            for top, parts_s in compositions:
                real = all(x < n_real for x in parts_s) and top == 0
                cells = tuple(u * S + x for x in parts_s)
                lines.append(Line(u * S + top, cells, "breakdown", real))
                if kids[u]:
                    direct = tuple(C + u * S + x for x in parts_s)
                    lines.append(Line(C + u * S + top, direct, "direct"))
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
        # Variables in an order where every line's parts come before its total: per unit
        # (children first), real values, then unions by size, then everyone.
        seq: list[int] = []
        for u in self.bottom_up:
            for s in [*range(1, S), 0]:
                if kids[u]:
                    seq.append(C + u * S + s)
                seq.append(u * S + s)
        self.parts_first = seq

    def full_hidden(self, hidden_real: BoolArray) -> BoolArray:
        """Hidden flags of every slice (virtual slices are never published)."""
        full = np.ones((self.n_units, self.n_slices), dtype=bool)
        full[:, : self.n_real] = hidden_real.reshape(self.n_units, self.n_real)
        return full.ravel()

    def variables(self, counts: IntArray) -> list[int]:
        """n of every variable: the cells' n, then the direct groups' n (cell minus children)."""
        real = np.asarray(counts, dtype=np.int64).reshape(self.n_units, self.n_real)
        cells = np.zeros((self.n_units, self.n_slices), dtype=np.int64)
        cells[:, : self.n_real] = real
        for s in range(self.n_real, self.n_slices):
            cells[:, s] = real[:, list(self.members[s])].sum(axis=1)
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


def violations(
    lattice: Lattice, hidden: BoolArray, n: Sequence[int], minimum: int
) -> tuple[list[int], list[bool]]:
    """Lines (indices) through which a group of 1 to minimum - 1 people can be derived, and
    which variables the attacker knows."""
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
    return found, known


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


class _Expansion:
    """The sums one line's hidden parts can stand for, as if one more cell were hidden."""

    def __init__(
        self,
        lattice: Lattice,
        hidden: BoolArray,
        known: list[bool],
        n: Sequence[int],
        minimum: int,
        extra: int,
    ) -> None:
        self.lattice, self.hidden, self.known, self.n = lattice, hidden, known, n
        self.minimum, self.extra = minimum, extra
        self.top_bit, self.full = 1 << minimum, (1 << minimum) - 1
        self.memo: dict[int, int] = {}

    def is_hidden(self, var: int) -> bool:
        return var >= self.lattice.n_cells or bool(self.hidden[var]) or var == self.extra

    def options(self, var: int) -> int:
        if not self.is_hidden(var):
            return 1
        cached = self.memo.get(var)
        if cached is not None:
            return cached
        opts = 1 << min(self.n[var], self.minimum)
        for i in self.lattice.by_top[var]:
            opts |= self.line_sum(i)
        if self.known[var] and var != self.extra:
            opts |= 1
        self.memo[var] = opts
        return opts

    def line_sum(self, i: int) -> int:
        total = 1
        for p in self.lattice.lines[i].parts:
            total = _sumset(total, self.options(p), self.top_bit, self.full)
        return total


def _candidates(lattice: Lattice, hidden: BoolArray, i: int, limit: int = 64) -> list[int]:
    """Published cells of a line and of the lines its hidden parts expand into."""
    n_cells = lattice.n_cells
    found: list[int] = []
    seen: set[int] = set()
    stack = [i]
    done: set[int] = set()
    while stack and len(found) < limit:
        j = stack.pop()
        if j in done:
            continue
        done.add(j)
        for p in lattice.lines[j].parts:
            if p in seen:
                continue
            seen.add(p)
            if p < n_cells and not hidden[p]:
                found.append(p)
            else:
                stack.extend(lattice.by_top[p])
    return found


def _fix(
    lattice: Lattice,
    hidden: BoolArray,
    known: list[bool],
    i: int,
    n: Sequence[int],
    minimum: int,
) -> int | None:
    """The cell to hide for broken line i: the smallest published cell, in the line or in the
    lines its hidden parts expand into, whose hiding leaves no sum of 1 to minimum - 1; else
    the smallest of them; else the line's total; else the nearest published cell."""
    line = lattice.lines[i]
    bad = ((1 << minimum) - 1) & ~1
    options = sorted(_candidates(lattice, hidden, i), key=lambda p: (n[p], p))
    for cell in options[:8]:
        if not _Expansion(lattice, hidden, known, n, minimum, cell).line_sum(i) & bad:
            return cell
    if options:
        return options[0]
    if line.top < lattice.n_cells and not hidden[line.top]:
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
        if line.kind == "direct" or not line.real:
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
    primary = np.zeros(lattice.n_units * lattice.n_real, dtype=bool)
    for c in distinct.values():
        primary |= c.ravel() < minimum
    hidden = lattice.full_hidden(primary)
    while True:
        hides: set[int] = set()
        for n in ns:
            if method == "lattice":
                broken, known = violations(lattice, hidden, n, minimum)
                for i in broken:
                    line = lattice.lines[i]
                    if any(v in hides for v in (line.top, *line.parts)):
                        continue  # already changed this round; checked again next round
                    cell = _fix(lattice, hidden, known, i, n, minimum)
                    if cell is not None:
                        hides.add(cell)
            else:
                hides.update(_family_hides(lattice, hidden, n, minimum, method))
        if not hides:
            break
        hidden[list(hides)] = True
    if method == "lattice":
        _publish_back(lattice, hidden, ns, primary, minimum)
    return hidden.reshape(lattice.n_units, lattice.n_slices)[:, : lattice.n_real].ravel().copy()


def _publish_back(
    lattice: Lattice, hidden: BoolArray, ns: list[list[int]], primary: BoolArray, minimum: int
) -> None:
    """Greedy hiding overshoots: try to publish each complementary cell again, largest first,
    and keep it published when the whole check still passes."""
    extra = np.flatnonzero(hidden & ~lattice.full_hidden(primary))
    for cell in sorted(extra.tolist(), key=lambda c: -max(n[c] for n in ns)):
        hidden[cell] = False
        if any(_unsafe(lattice, hidden, n, minimum) for n in ns):
            hidden[cell] = True


def _unsafe(lattice: Lattice, hidden: BoolArray, n: Sequence[int], minimum: int) -> bool:
    return bool(violations(lattice, hidden, n, minimum)[0])
