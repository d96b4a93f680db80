"""Disclosure control: which cells of one wave may be published.

The table of a wave has a cell for every unit (everyone in its subtree) and slice (everyone,
or one value of one breakdown column). Its cells are tied by published equations, *lines*:

- tree line, per non-leaf unit U and slice s: ``cell(U, s) = D(U, s) + sum of cell(C, s)``
  over U's children, where ``D(U, s)`` are the people attached directly to U (never published);
- breakdown line, per unit U and column: ``cell(U, everyone) = sum of cell(U, value)``;
- direct line, per non-leaf U and column: ``D(U, everyone) = sum of D(U, value)``.

A cell with n below the minimum is never published. The attacker knows every line and every
published n (and, through the published scores, every published score sum: the same equations
hold for sums of scores, so a group whose size is derivable from the published n has its score
sum derivable too). We call a variable *known* when the lines pin it down one at a time (a line
with one unknown left), which also reaches the virtual slices.

**What ``method="lattice"`` guarantees** (each wave, each scale's n): no group of 1 to
minimum - 1 people has a size the published cells determine (the exact check below has the last
word). **The lattice's check**, which builds the candidate patterns: (a) every known hidden
group (cell, direct group or union of values) is empty or has at least the minimum; (b) for
every line whose total is known, every sum the attacker can form from its hidden parts, where
any hidden part may be replaced by the hidden parts of one of its own lines (recursively: parent
minus children, total minus values, mixed, to any depth, in real and virtual slices) is 0 or at
least the minimum. Sums are tracked as bit sets of 0 ... minimum (the top bit meaning "minimum
or more"), so checking is linear in the table. That check is a heuristic: it misses sideways
substitutions (two lines with known totals whose hidden parts differ only by x and y reveal
x - y), so the result then goes through the exact check of ``derivable.py`` (every group of
people whose size the published cells determine), which hides one more cell while a group of 1
to minimum - 1 people is derivable, and has the last word on every cell published after it.
The tests check the result with an independent attacker that solves the published equations
exactly (``tests/attacker.py``: rational row space, and integer ranges).

**How cells are chosen** (``_choose``). A candidate pattern starts with every cell hidden
(safe) and publishes the cells of n >= min one at a time (``_order``: the organisation's own
cells, then the overall table, then the breakdown cells; deepest units first, largest cells
first at one depth), each kept only if the table stays safe by the lattice's check
(``Auditor`` updates it incrementally: a cell's publication changes only what the attacker
knows through its lines and the sums above it). Then the exact check hides, while a small group
is derivable, the smallest published cell that the group needs (``exactpass.close_leaks``). On a
table of at most ``SMALL_TABLE`` cells (units x real slices) two more candidates are made safe
the same way: the same order with the smallest cells first at one depth, and the sibling rule
(below). The candidate that publishes the most cells is kept (ties: the most of the overall
table, then the first), so ours is never below the sibling rule made safe there. Last, a pass
tries the hidden cells of n >= min again (the overall table's first, then the breakdowns';
largest first in each) and publishes each for good when the exact check still finds nothing
derivable (``exactpass.publish_more``; the lattice's check refuses more than it needs to). A
trial works out only the cell's unit and the units above it with a published cell, from their
other children's sizes kept between trials; the pass stops after ``exactpass.WORK_PER_UNIT``
units worked out per unit of the organisation, so it stays linear in its size.

Measured by ``bench/culture.py`` (20 organisations of 300 units, two breakdowns, minimum 10;
share of cells with n >= min published, all cells / overall table): the former order (overall
largest first, breakdowns smallest first) with the exact check 44.8% / 58.7%; ``_order`` alone
46.2% / 60.4%; with the candidates and the pass (15 units of work per unit) 46.8% / 60.4%.
Trying more: with 30 units of work per unit and every cell largest first, 47.1% / 60.4% (46.8%
/ 60.6% without the candidates), but about 1.5 s more a wave at 1,500 units, where the
unbounded pass takes about 5 s a wave. The sibling rule made safe: 36.3% / 53.6%; raw, 49.8% /
58.0% with a group derivable in every organisation. At 1,500 units (3 waves, 162,000 cells) the
candidates are not made (the sibling rule made safe alone took about 7 s a wave there) and the
pass publishes 12 more cells, for about 1.5 s in all.

**Baselines** (for the benchmark): ``method="sibling"`` is the issue's sibling rule (in every
family, hidden or not, keep hiding the next-smallest sibling while the hidden part, counting
people attached directly to the parent, holds 1 to min - 1); it misses differences through a
hidden part's own children and across breakdown values, and the attacker finds groups it leaves
derivable. ``method="sibling-safe"`` is the sibling rule followed by the same exact repair as
ours (``close_leaks``): safe, and the fair comparison. ``method="glint"`` is the literal
Glint-style rule (act only when exactly one sibling is hidden), which leaks more.

The suppression is shared by the scales of a wave (a cell hidden for one scale is hidden for
all), because scales' n are usually equal and one scale's n would reveal another's.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from .exactpass import exact_pass

Method = Literal["lattice", "sibling-safe", "sibling", "glint"]
METHODS: tuple[Method, ...] = ("lattice", "sibling-safe", "sibling", "glint")

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# Tables (units x real slices) up to this many cells get more candidate patterns (_choose).
SMALL_TABLE = 3000


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
        members, virtual_of = _slices(self.group_slices, n_real)
        self.members = members
        n_slices = len(members)
        self.n_units, self.n_real, self.n_slices = n_units, n_real, n_slices
        self.n_cells = n_units * n_slices
        self.children, self.bottom_up = _tree(self.parent)
        compositions = _compositions(self.group_slices, virtual_of)
        self.lines = self._make_lines(compositions)
        self.n_vars = 2 * self.n_cells
        by_top: list[list[int]] = [[] for _ in range(self.n_vars)]
        part_of: list[list[int]] = [[] for _ in range(self.n_vars)]
        for i, line in enumerate(self.lines):
            by_top[line.top].append(i)
            for p in line.parts:
                part_of[p].append(i)
        self.by_top = by_top
        self.part_of = part_of
        self.touching = [a + b for a, b in zip(by_top, part_of, strict=True)]
        self.parts_first = self._parts_first()

    def _make_lines(self, compositions: list[tuple[int, tuple[int, ...]]]) -> list[Line]:
        """Every unit's tree lines (its children and D make it up), breakdown lines (its
        values make up a total) and direct lines (the same identities for D)."""
        kids, n_real = self.children, self.n_real
        lines: list[Line] = []
        S, C = self.n_slices, self.n_cells
        for u in range(self.n_units):
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
        return lines

    def _parts_first(self) -> list[int]:
        """Variables in an order where every line's parts come before its total: per unit
        (children first), real values, then unions by size, then everyone."""
        S, C = self.n_slices, self.n_cells
        seq: list[int] = []
        for u in self.bottom_up:
            for s in [*range(1, S), 0]:
                if self.children[u]:
                    seq.append(C + u * S + s)
                seq.append(u * S + s)
        return seq

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


def _slices(
    group_slices: list[list[int]], n_real: int
) -> tuple[list[tuple[int, ...]], dict[tuple[int, ...], int]]:
    """members[s]: the real value slices slice s unites (slice 0: none, it is everyone), real
    slices first, then each column's unions of 2 to k - 1 values by size; and the slice of
    each union."""
    members: list[tuple[int, ...]] = [()] + [(s,) for s in range(1, n_real)]
    virtual_of: dict[tuple[int, ...], int] = {}
    for values in group_slices:
        k = len(values)
        for mask in sorted(range(1, (1 << k) - 1), key=lambda m: bin(m).count("1")):
            if bin(mask).count("1") < 2:
                continue
            chosen = tuple(values[i] for i in range(k) if mask >> i & 1)
            virtual_of[chosen] = len(members)
            members.append(chosen)
    return members, virtual_of


def _tree(parent: tuple[int, ...]) -> tuple[list[list[int]], list[int]]:
    """Each unit's children, and the units bottom up (every unit after its children)."""
    kids: list[list[int]] = [[] for _ in range(len(parent))]
    for u, p in enumerate(parent):
        if p >= 0:
            kids[p].append(u)
    root = parent.index(-1)
    order: list[int] = []
    stack = [root]
    while stack:
        u = stack.pop()
        order.append(u)
        stack.extend(kids[u])
    return kids, order[::-1]


def _compositions(
    group_slices: list[list[int]], virtual_of: dict[tuple[int, ...], int]
) -> list[tuple[int, tuple[int, ...]]]:
    """(total slice, part slices) identities that hold for every unit and for D."""

    def slice_of(chosen: tuple[int, ...]) -> int:
        return chosen[0] if len(chosen) == 1 else virtual_of[chosen]

    compositions: list[tuple[int, tuple[int, ...]]] = []
    for values in group_slices:
        compositions.append((0, tuple(values)))
        for chosen, sv in virtual_of.items():
            if chosen[0] not in values:
                continue
            compositions.append((sv, chosen))
            rest = tuple(v for v in values if v not in chosen)
            compositions.append((0, (sv, slice_of(rest))))
    return compositions


def _sumset(a: int, b: int, top: int, full: int) -> int:
    """Every x + y for x in a, y in b (bit sets), with sums at or above the minimum capped."""
    if a == 1:
        return b
    if b == 1:
        return a
    if a & (a - 1) == 0:  # one value: a shift
        result = b << (a.bit_length() - 1)
    else:
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


class Auditor:
    """The check of ``violations`` kept up to date while cells are published one at a time.

    Publishing a cell can only add knowledge: the attacker's known variables grow (propagated
    from the cell's lines) and the sum sets change only above the cell (the lines it is a part
    of, then their totals' lines, and so on). ``try_publish`` updates exactly that, checks the
    lines whose sums changed or whose total became known, and undoes everything if a group of
    1 to minimum - 1 people became derivable.
    """

    def __init__(
        self, lattice: Lattice, hidden: BoolArray, ns: list[list[int]], minimum: int
    ) -> None:
        self.lattice, self.ns, self.minimum = lattice, ns, minimum
        self.hidden: list[bool] = hidden.tolist()
        if hidden.all():  # the usual start: nothing known, every variable of a line unknown
            self.known = [False] * lattice.n_vars
            self.unknown = [1 + len(ln.parts) for ln in lattice.lines]
        else:
            self.known, _source = lattice.known(hidden)
            self.unknown = [
                (not self.known[ln.top]) + sum(not self.known[p] for p in ln.parts)
                for ln in lattice.lines
            ]
        self.top_bit, self.full = 1 << minimum, (1 << minimum) - 1
        self.bad = self.full & ~1
        self.part_of = lattice.part_of
        self.opts: list[list[int]] = []
        self.sums: list[list[int]] = []
        for k in range(len(ns)):
            self.opts.append([1] * lattice.n_vars)
            self.sums.append([1] * len(lattice.lines))
            for var in lattice.parts_first:
                for i in lattice.by_top[var]:
                    self.sums[k][i] = self._line(k, i)
                self.opts[k][var] = self._opt(k, var)
        self._log: list[tuple[list[Any], int, Any]] = []

    def _is_hidden(self, var: int) -> bool:
        return var >= self.lattice.n_cells or self.hidden[var]

    def _opt(self, k: int, var: int) -> int:
        if not self._is_hidden(var):
            return 1
        o = 1 << min(self.ns[k][var], self.minimum)
        sums = self.sums[k]
        for i in self.lattice.by_top[var]:
            o |= sums[i]
        return o | 1 if self.known[var] else o

    def _line(self, k: int, i: int) -> int:
        total, opts, top, full = 1, self.opts[k], self.top_bit, self.full
        for p in self.lattice.lines[i].parts:
            o = opts[p]
            if o != 1:
                total = o if total == 1 else _sumset(total, o, top, full)
        return total

    def _set(self, array: list[Any], index: int, value: Any) -> None:
        self._log.append((array, index, array[index]))
        array[index] = value

    def try_publish(self, cell: int) -> bool:
        """Publish ``cell`` if no group of 1 to minimum - 1 people becomes derivable."""
        lattice, minimum = self.lattice, self.minimum
        self._log = []
        self._set(self.hidden, cell, False)
        changed = [cell]
        check_lines: set[int] = set(lattice.by_top[cell])
        queue: deque[int] = deque()
        if not self.known[cell]:
            self._set(self.known, cell, True)
            queue.append(cell)
        while queue:
            var = queue.popleft()
            check_lines.update(lattice.by_top[var])
            for i in lattice.touching[var]:
                self._set(self.unknown, i, self.unknown[i] - 1)
                if self.unknown[i] == 1:
                    line = lattice.lines[i]
                    for v in (line.top, *line.parts):
                        if not self.known[v]:
                            self._set(self.known, v, True)
                            changed.append(v)
                            queue.append(v)
                            break
        ok = True
        for k, n in enumerate(self.ns):
            if any(0 < n[v] < minimum for v in changed[1:]):
                ok = False  # a hidden group of 1 to minimum - 1 became known
                break
            opts, sums = self.opts[k], self.sums[k]
            work = deque(changed)
            touched: set[int] = set()
            while work:
                var = work.popleft()
                new = self._opt(k, var)
                if new == opts[var]:
                    continue
                self._set(opts, var, new)
                for i in self.part_of[var]:
                    total = self._line(k, i)
                    if total != sums[i]:
                        self._set(sums, i, total)
                        touched.add(i)
                        work.append(lattice.lines[i].top)
            if any(
                self.known[lattice.lines[i].top] and sums[i] & self.bad
                for i in touched | check_lines
            ):
                ok = False
                break
        if not ok:
            for array, index, old in reversed(self._log):
                array[index] = old
        self._log = []
        return ok


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
    tables = list(distinct.values())
    if method == "lattice":
        return _choose(lattice, ns, primary, tables, minimum)
    hidden = _sibling_rule(lattice, ns, primary, minimum, method)
    if method == "sibling-safe":
        return exact_pass(lattice.parent, lattice.group_slices, hidden, tables, minimum, more=False)
    return hidden


def _sibling_rule(
    lattice: Lattice, ns: list[list[int]], primary: BoolArray, minimum: int, method: Method
) -> BoolArray:
    """The sibling rule's (or the Glint-style rule's) hidden cells: passes over every family
    until nothing more is hidden."""
    rule: Method = "glint" if method == "glint" else "sibling"
    full = lattice.full_hidden(primary)
    while True:
        hides: set[int] = set()
        for n in ns:
            hides.update(_family_hides(lattice, full, n, minimum, rule))
        if not hides:
            break
        full[list(hides)] = True
    return full.reshape(lattice.n_units, lattice.n_slices)[:, : lattice.n_real].ravel().copy()


def _choose(
    lattice: Lattice, ns: list[list[int]], primary: BoolArray, tables: list[IntArray], minimum: int
) -> BoolArray:
    """Candidate patterns, each made safe by the exact check (``exact_pass``): the lattice's
    greedy publication in ``_order``; on a table of at most ``SMALL_TABLE`` cells also in the
    order with the smallest cells first at one depth, and the sibling rule made safe. The one
    that publishes the most cells (ties: the most of the overall table; then the first) then
    goes through the exact pass that publishes hidden cells again (``publish_more``)."""
    parent, groups = lattice.parent, lattice.group_slices
    small = lattice.n_units * lattice.n_real <= SMALL_TABLE
    orders = [_order(lattice, ns, primary)]
    if small:
        orders.append(_order(lattice, ns, primary, largest_first=False))
    patterns = [
        exact_pass(
            parent,
            groups,
            _publish_greedily(lattice, ns, primary, minimum, o),
            tables,
            minimum,
            more=False,
        )
        for o in orders
    ]
    if small:
        sibling = _sibling_rule(lattice, ns, primary, minimum, "sibling")
        patterns.append(exact_pass(parent, groups, sibling, tables, minimum, more=False))
    shape = (lattice.n_units, lattice.n_real)
    best = max(patterns, key=lambda h: (int((~h).sum()), int((~h.reshape(shape)[:, 0]).sum())))
    return exact_pass(parent, groups, best, tables, minimum, close=False)


def _order(
    lattice: Lattice, ns: list[list[int]], primary: BoolArray, largest_first: bool = True
) -> list[int]:
    """The cells of n >= minimum (flat ``u * n_slices + s``) in the order they are tried: the
    organisation's own cells first (its overall score, then its breakdowns: the most read;
    deepest first alone hid the organisation's total in 2 of the bench's 20 organisations),
    then the overall table, then the breakdowns; in each, the deepest units first (leaves up: a
    published child pins down less than a published parent, whose hidden remainder then needs
    a second hidden child) and, at one depth, the largest cells first (measured: see the
    module's docstring), or the smallest first (a candidate of ``_choose``)."""
    S, R = lattice.n_slices, lattice.n_real
    eligible = [
        u * S + s for u in range(lattice.n_units) for s in range(R) if not primary[u * R + s]
    ]
    depth = [0] * lattice.n_units
    for u in reversed(lattice.bottom_up):  # every unit after its parent
        if lattice.parent[u] >= 0:
            depth[u] = depth[lattice.parent[u]] + 1
    root = lattice.parent.index(-1)
    sign = -1 if largest_first else 1
    eligible.sort(
        key=lambda c: (c // S != root, c % S != 0, -depth[c // S], sign * min(n[c] for n in ns), c)
    )
    return eligible


def _publish_greedily(
    lattice: Lattice, ns: list[list[int]], primary: BoolArray, minimum: int, order: list[int]
) -> BoolArray:
    """Start with every cell hidden and publish the cells of ``order`` one at a time, keeping
    each only if the whole table stays safe by the lattice's check. The result is maximal for
    that check: no hidden cell of n >= minimum could be published on its own."""
    everything = np.ones(lattice.n_cells, dtype=bool)
    auditor = Auditor(lattice, everything, ns, minimum)
    S, R = lattice.n_slices, lattice.n_real
    for cell in order:
        auditor.try_publish(cell)
    hidden = np.array(auditor.hidden[: lattice.n_cells], dtype=bool)
    return hidden.reshape(lattice.n_units, S)[:, :R].ravel().copy()
