"""The exact check of a publication: is any group of 1 to minimum - 1 people derivable?

The lattice check in ``disclosure.py`` follows a hidden cell down into its own parts; it misses
sideways substitutions (two lines with known totals whose hidden parts differ only by x and y
reveal x - y). This module decides the question exactly, as an attacker who solves the
published equations would, and is run on the lattice's result.

**The finest groups.** People are split by unit (attached directly) and by *combination* of
breakdown values (one value of every column: blank is a value, so everyone has one). Every
cell is the sum of the finest groups of its unit's subtree that match its slice. A group of
people S (any set of finest groups) has a derivable size when its indicator is a rational
combination of published cells' indicators.

**Per unit.** Write X(u, k) for the people of u's subtree with combination k. The X are
independent coordinates (the finest groups are X(u, k) minus the X of u's children), and a
published cell (u, s) is the sum of X(u, k) over the combinations k that match s: it touches
unit u only. A group S, with z(u, k) = 1 when its finest group (u, k) is in S, is
``sum over u, k of (z(u, k) - z(parent(u), k)) X(u, k)``, so S is derivable exactly when, at
every unit u, the vector ``z(u) - z(parent(u))`` (over combinations; the root's parent is 0) is
a combination of the indicators of u's published slices; its size is then the same combination
of u's published n, summed over units. A unit with nothing published forces
``z(u) = z(parent(u))``: it merges into its nearest ancestor with something published.

**The search.** A 0/1 vector over combinations that is a combination of slice indicators is a
union of values of one column (or everyone, or no one): see ``states_of``. So z(u) is one of a
few *states* (38 for columns of 5 and 3 values), and the search is a dynamic programme over
the tree (``TreeSearch``): for each unit with a published cell and each state, which sizes
0 .. minimum - 1 the group's people in its subtree can have, given which states its children
may take (``moves``: exact, with integer vectors orthogonal to the unit's published slices).
The people a state selects in a subtree are a sum of the subtree's cells, so the engine needs
no counts finer than its cells. With a column of many values (more than ``MAX_STATES``
states) the search is one mixed-integer program instead (scipy's HiGHS; ``_find_by_milp``).
Either way the group found is checked again in exact rational arithmetic (``Fraction``): each
unit's combination solved exactly and the size recomputed from the published n.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

from .rational import orthogonal, solve

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_MISSING = object()

# Above this many states (a column with many values) the search is one integer program.
MAX_STATES = 300


@dataclass(frozen=True, slots=True)
class Group:
    """A derivable group: its size, and for each unit where it changes (z(u) differs from
    z(parent(u))) that difference over combinations, with the published slices it needs."""

    size: int
    changes: dict[int, tuple[int, ...]]  # unit -> z(u) - z(parent(u)), per combination
    cells: tuple[int, ...]  # published cells (u * n_real + s) with a nonzero coefficient


class Table:
    """One wave's published cells seen per unit: which slices of each unit are published and
    which combinations each slice covers."""

    def __init__(
        self,
        parent: Sequence[int],
        group_slices: Sequence[Sequence[int]],
        n_real: int,
        hidden: BoolArray,
    ) -> None:
        self.parent = tuple(parent)
        self.n_units, self.n_real = len(self.parent), n_real
        self.layout = (tuple(tuple(v) for v in group_slices), n_real)
        self.combos = list(itertools.product(*group_slices)) if group_slices else [()]
        # Every value a group's z(u) can take: a union of values of one column (or everyone,
        # or no one; see ``states_of``), and its vector over combinations.
        self.n_states = 2 + sum(2 ** len(v) - 2 for v in group_slices)
        small = self.n_states <= MAX_STATES
        self.states = states_of(group_slices) if small else []
        self.cover, self.vectors = _layout(self.layout, small)
        self.hidden = np.array(hidden, dtype=bool).reshape(self.n_units, n_real)
        order: list[int] = []  # top down: every unit after its parent
        kids: list[list[int]] = [[] for _ in self.parent]
        for u, p in enumerate(self.parent):
            if p >= 0:
                kids[p].append(u)
        stack = [u for u, p in enumerate(self.parent) if p < 0]
        while stack:
            u = stack.pop()
            order.append(u)
            stack.extend(kids[u])
        self.top_down = order

    def published(self, u: int) -> list[int]:
        return [int(s) for s in np.flatnonzero(~self.hidden[u])]

    def anchors(self) -> dict[int, int]:
        """Each unit with a published cell -> its nearest ancestor with one (-1: none)."""
        nearest = [-1] * self.n_units  # the nearest unit at or above u with a published cell
        out: dict[int, int] = {}
        for u in self.top_down:
            p = self.parent[u]
            above = nearest[p] if p >= 0 else -1
            if (~self.hidden[u]).any():
                out[u] = above
                nearest[u] = u
            else:
                nearest[u] = above
        return out

    def find(self, n: IntArray, minimum: int) -> Group | None:
        """A derivable group of 1 to minimum - 1 people for the n table ``n`` (units x real
        slices), or None when there is none."""
        if minimum <= 1 or not self.anchors():
            return None
        return self.search(n, minimum).group()

    def moves(self, u: int) -> npt.NDArray[np.bool_]:
        """moves[i, j]: z(u) may be state j when z(parent) is state i, i.e. state j minus state
        i is a combination of u's published slices (exact: integer vectors orthogonal to
        them)."""
        return _moves(self.layout, tuple(self.published(u)))

    def search(self, n: IntArray, minimum: int) -> Search:
        """A search for the n table ``n`` that ``hide`` keeps up to date."""
        if self.n_states <= MAX_STATES:
            return TreeSearch(self, n, minimum)
        return Search(self, n, minimum)

    def _find_by_milp(self, n: IntArray, minimum: int) -> Group | None:
        """The search as one mixed-integer program (any number of breakdown values)."""
        anchors = self.anchors()
        units = list(anchors)
        n_combos = len(self.combos)
        z_of = {u: i * n_combos for i, u in enumerate(units)}
        n_z = len(units) * n_combos
        y_of: dict[tuple[int, int], int] = {}
        for u in units:
            for s in self.published(u):
                y_of[(u, s)] = n_z + len(y_of)
        n_vars = n_z + len(y_of)
        rows: list[int] = []
        cols: list[int] = []
        vals: list[float] = []
        r = 0
        for u in units:
            above = anchors[u]
            covers: list[list[int]] = [[] for _ in range(n_combos)]
            for s in self.published(u):
                for k in self.cover[s]:
                    covers[k].append(y_of[(u, s)])
            for k in range(n_combos):
                rows.append(r)
                cols.append(z_of[u] + k)
                vals.append(1.0)
                if above >= 0:
                    rows.append(r)
                    cols.append(z_of[above] + k)
                    vals.append(-1.0)
                for y in covers[k]:
                    rows.append(r)
                    cols.append(y)
                    vals.append(-1.0)
                r += 1
        equal = coo_matrix((vals, (rows, cols)), shape=(r, n_vars)).tocsr()
        size = np.zeros(n_vars)
        for (u, s), y in y_of.items():
            size[y] = float(n[u, s])
        constraints = [
            LinearConstraint(equal, 0, 0),
            LinearConstraint(size[None, :], 1, minimum - 1),
        ]
        integrality = np.zeros(n_vars)
        integrality[:n_z] = 1
        lower = np.full(n_vars, -np.inf)
        upper = np.full(n_vars, np.inf)
        lower[:n_z], upper[:n_z] = 0, 1
        for _ in range(20):  # a float answer that fails the exact check is cut off, then again
            res = milp(
                c=np.zeros(n_vars),
                constraints=constraints,
                integrality=integrality,
                bounds=Bounds(lower, upper),
            )
            if res.status != 0 or res.x is None:
                return None
            z = np.rint(res.x[:n_z]).astype(np.int64).reshape(len(units), n_combos)
            row = {u: i for i, u in enumerate(units)}
            differences = {
                u: z[row[u]] - (z[row[anchors[u]]] if anchors[u] >= 0 else 0) for u in units
            }
            group = self._exact(differences, n, minimum)
            if group is not None:
                return group
            flat = z.ravel().astype(np.float64)
            cut = np.zeros(n_vars)
            cut[:n_z] = 2 * flat - 1
            constraints.append(LinearConstraint(cut[None, :], -np.inf, flat.sum() - 1))
        raise RuntimeError("the exact disclosure check did not settle")

    def _exact(self, differences: dict[int, IntArray], n: IntArray, minimum: int) -> Group | None:
        """The group with these z(u) - z(parent(u)) (units left out: none) in exact
        arithmetic: None unless it is derivable with 1 to minimum - 1 people."""
        total = Fraction(0)
        changes: dict[int, tuple[int, ...]] = {}
        cells: list[int] = []
        for u, change in differences.items():
            if not change.any():
                continue
            slices = self.published(u)
            coefficients = solve(
                [self.cover[s] for s in slices], [int(x) for x in change], len(self.combos)
            )
            if coefficients is None:
                return None
            changes[u] = tuple(int(x) for x in change)
            for s, c in zip(slices, coefficients, strict=True):
                if c:
                    total += c * int(n[u, s])
                    cells.append(u * self.n_real + s)
        if total.denominator != 1 or not 1 <= total <= minimum - 1:
            return None
        return Group(int(total), changes, tuple(cells))

    def breaks(self, group: Group, cell: int) -> bool:
        """Whether hiding ``cell`` (published) leaves ``group`` underivable."""
        u, s = divmod(cell, self.n_real)
        change = group.changes.get(u)
        if change is None:
            return False
        rest = [self.cover[t] for t in self.published(u) if t != s]
        return solve(rest, list(change), len(self.combos)) is None


class Search:
    """Groups of 1 to minimum - 1 people derivable from one table of n, as cells are hidden:
    by the integer program, from scratch each time."""

    def __init__(self, table: Table, n: IntArray, minimum: int) -> None:
        self.table, self.n, self.minimum = table, n, minimum

    def group(self) -> Group | None:
        if self.minimum <= 1 or not self.table.anchors():
            return None
        return self.table._find_by_milp(self.n, self.minimum)

    def hide(self, cell: int) -> None:
        self.table.hidden.flat[cell] = True


class TreeSearch(Search):
    """The search by dynamic programming over the tree: for each unit with a published cell
    and each state of its z, the sizes 0 .. minimum - 1 its part of the group can have (the
    people of its subtree in the group; a larger part cannot belong to a small group). The
    people a state selects in a subtree are a sum of its cells (a state is a union of one
    column's values), so no finer counts are needed. Hiding or publishing a cell of unit u
    changes what u may do under its parent, so only the sizes of u's ancestors are worked out
    again; a trial publication (``would_stay_safe``, undone after) works each ancestor out
    from the sizes of its other children kept together (``_others``)."""

    def __init__(self, table: Table, n: IntArray, minimum: int) -> None:
        super().__init__(table, n, minimum)
        self.anchors = table.anchors()
        self.kids: dict[int, list[int]] = {u: [] for u in [-1, *self.anchors]}
        for u, above in self.anchors.items():
            self.kids[above].append(u)
        slices = [list(st) for st in table.states]
        n_states = len(table.states)
        columns = np.zeros((table.n_real, n_states), dtype=np.int64)
        for i, sl in enumerate(slices):
            columns[sl, i] = 1
        # people of each unit's subtree in each state
        self.selected = np.asarray(n, dtype=np.int64) @ columns
        self.empty = table.states.index(())
        self.reach: dict[int, BoolArray] = {}
        # child[c]: the sizes c's part can have in each state of its parent (c's moves)
        self.child: dict[int, BoolArray] = {}
        self.moves: dict[int, BoolArray] = {}  # each unit's table.moves
        self.weights: dict[int, npt.NDArray[np.float64]] = {}  # the same as 0.0/1.0
        self.steps: dict[int, list[tuple[int, BoolArray, BoolArray]]] = {}
        self.journal: list[tuple[dict[int, Any], int, Any]] = []
        self.work = 0  # units worked out by trials (would_stay_safe), for a budget
        # after[u]: see _others
        self.after: dict[int, tuple[dict[int, int], list[BoolArray]]] = {}
        for u in [*list(self.anchors)[::-1], -1]:  # bottom up, then a virtual root
            self._combine(u)

    def _combine(self, u: int) -> None:
        """The sizes of u's part of a group in each state, from its children's."""
        n_states, minimum = len(self.table.states), self.minimum
        if u >= 0:
            base = self.selected[u].copy()
            for c in self.kids[u]:
                base -= self.selected[c]
        else:
            base = np.zeros(n_states, dtype=np.int64)
        acc = np.zeros((n_states, minimum), dtype=bool)
        ok = base < minimum
        acc[np.flatnonzero(ok), base[ok]] = True
        steps = []
        for c in self.kids[u]:
            child = self.child[c]
            steps.append((c, acc, child))
            acc = _sumset(acc, child)
        self.steps[u] = steps
        self.reach[u] = acc
        self.after.pop(u, None)
        if u >= 0:
            self._under_parent(u)

    def _combine_one(self, u: int, kid: int) -> bool:
        """``_combine`` when only ``kid``'s sizes changed (a trial, undone after): the sizes
        of u's own people and other children together (``_others``) plus the changed
        child's. False when u's sizes stay the same (nothing above changes). ``steps`` is
        left as it was: the way back (``group``) is not taken in a trial."""
        position, others = self._others(u)
        i = position[kid]
        new = self.child[kid]
        if np.array_equal(new, self.steps[u][i][2]):
            return False
        self.reach[u] = reach = _sumset(new, others[i])
        if u >= 0:  # u's published cells are as they were: so are its moves
            self.child[u] = (self.weights[u] @ reach) > 0
        return True

    def _others(self, u: int) -> tuple[dict[int, int], list[BoolArray]]:
        """Each child's position among u's children, and for each the sizes of u's part
        without that child's (u's own people and the other children). Kept until u's sizes
        are worked out again (``_combine``)."""
        kept = self.after.get(u)
        if kept is not None:
            return kept
        steps = self.steps[u]
        others: list[BoolArray] = [steps[0][1]] * len(steps)
        acc = np.zeros_like(steps[0][1])
        acc[:, 0] = True
        for j in range(len(steps) - 1, -1, -1):  # the later children's sizes together
            others[j] = _sumset(steps[j][1], acc)
            acc = _sumset(acc, steps[j][2])
        kept = ({step[0]: j for j, step in enumerate(steps)}, others)
        self.after[u] = kept
        return kept

    def _under_parent(self, u: int) -> None:
        pattern = tuple(self.table.published(u))
        self.moves[u] = _moves(self.table.layout, pattern)
        self.weights[u] = weights = _move_weights(self.table.layout, pattern)
        self.child[u] = (weights @ self.reach[u]) > 0

    def hide(self, cell: int) -> None:
        self.table.hidden.flat[cell] = True
        self.changed(cell // self.table.n_real)
        self.journal = []

    def would_stay_safe(self, cell: int) -> bool:
        """Whether publishing ``cell`` (hidden) leaves no group of 1 to minimum - 1 people
        derivable; nothing is changed. Only the cell's unit and its ancestors are worked out,
        each from its other children's sizes as they are (``_combine_one``)."""
        self.table.hidden.flat[cell] = False
        self.changed(cell // self.table.n_real, trial=True)
        safe = self.safe()
        self.undo()
        self.table.hidden.flat[cell] = True
        return safe

    def publish(self, cell: int) -> None:
        """Publish ``cell`` (hidden), whatever it makes derivable."""
        self.table.hidden.flat[cell] = False
        self.changed(cell // self.table.n_real)
        self.journal = []

    def changed(self, u: int, trial: bool = False) -> None:
        """Bring the search up to date after unit u's published cells changed (what it
        replaces is kept in ``journal`` until ``undo`` or the next change). In a ``trial``
        (undone after) u's ancestors are worked out by ``_combine_one``."""
        table, anchors, kids = self.table, self.anchors, self.kids
        self.journal = journal = []

        def keep(mapping: dict[int, Any], key: int) -> None:
            journal.append((mapping, key, mapping.get(key, _MISSING)))

        now = bool(table.published(u))
        if now and u not in anchors:  # u gets a published cell: it takes its subtree's units
            above = table.parent[u]
            while above >= 0 and above not in anchors:
                above = table.parent[above]
            mine = [k for k in kids[above] if self._below(k, u)]
            for k in (above, u):
                keep(kids, k)
            for k in (u, *mine):
                keep(anchors, k)
            kids[above] = [k for k in kids[above] if k not in mine] + [u]
            kids[u] = mine
            anchors[u] = above
            for k in mine:
                anchors[k] = u
            for mapping in self._per_unit():
                keep(mapping, u)
            self._combine(u)
            kid = -2  # above's children changed: worked out whole
        elif not now and u in anchors:  # u merges into its nearest published ancestor
            above = anchors[u]
            for k in (above, u):
                keep(kids, k)
            for k in (u, *kids[u]):
                keep(anchors, k)
            for mapping in self._per_unit():
                keep(mapping, u)
            for c in kids[u]:
                anchors[c] = above
            kids[above] = [k for k in kids[above] if k != u] + kids.pop(u)
            del anchors[u], self.reach[u], self.steps[u], self.child[u], self.moves[u]
            del self.weights[u]
            kid = -2
        elif now:  # u's cells change what it may do under its parent
            above = anchors[u]
            for mapping in (self.child, self.moves, self.weights):
                keep(mapping, u)
            self._under_parent(u)
            kid = u
        else:
            return
        while True:
            self.work += trial
            if trial and kid >= 0:
                keep(self.reach, above)
                keep(self.child, above)
                if not self._combine_one(above, kid):
                    break  # nothing changes further up
            else:
                for mapping in self._per_unit():
                    keep(mapping, above)
                self._combine(above)
            if above < 0:
                break
            kid, above = above, anchors[above]

    def _per_unit(self) -> tuple[dict[int, Any], ...]:
        return (self.reach, self.steps, self.child, self.moves, self.weights)

    def _below(self, k: int, u: int) -> bool:
        """Whether unit k is in u's subtree."""
        while k >= 0:
            if k == u:
                return True
            k = self.table.parent[k]
        return False

    def undo(self) -> None:
        """Put back what the last ``changed`` replaced."""
        for mapping, key, old in reversed(self.journal):
            if old is _MISSING:
                mapping.pop(key, None)
            else:
                mapping[key] = old
        self.journal = []

    def safe(self) -> bool:
        """Whether no group of 1 to minimum - 1 people is derivable."""
        return self.minimum <= 1 or not self.reach[-1][self.empty][1:].any()

    def group(self) -> Group | None:
        if self.minimum <= 1 or not self.anchors:
            return None
        table = self.table
        sizes = np.flatnonzero(self.reach[-1][self.empty][1:]) + 1
        if not len(sizes):
            return None
        # Back from the virtual root: which state each unit takes. A subtree that can stay
        # in its parent's state (nothing changes below) is not entered.
        vectors = table.vectors
        differences: dict[int, IntArray] = {}
        todo = [(-1, self.empty, int(sizes[0]))]
        while todo:
            u, i, target = todo.pop()
            for c, before, child in reversed(self.steps[u]):
                still = int(self.selected[c][i])  # c's subtree all in state i
                if still <= target and before[i, target - still]:
                    target -= still
                    continue
                # a size b of c's part that the units before it can complete to target
                b = int(np.flatnonzero(child[i, : target + 1] & before[i, target::-1])[0])
                j = int(np.flatnonzero(self.moves[c][i] & self.reach[c][:, b])[0])
                differences[c] = vectors[j] - vectors[i]
                todo.append((c, j, b))
                target -= b
        group = table._exact(differences, self.n, self.minimum)
        if group is None or group.size != int(sizes[0]):
            raise RuntimeError("the exact disclosure check disagrees with itself")
        return group


@functools.lru_cache(maxsize=1024)
def _layout(
    layout: tuple[tuple[tuple[int, ...], ...], int], with_states: bool = True
) -> tuple[list[tuple[int, ...]], IntArray]:
    """Each real slice's combinations, and each state's vector over combinations (none
    without ``with_states``)."""
    group_slices, n_real = layout
    combos = list(itertools.product(*group_slices)) if group_slices else [()]
    cover = [
        tuple(k for k, combo in enumerate(combos) if s == 0 or s in combo) for s in range(n_real)
    ]
    states = states_of(group_slices) if with_states else []
    vectors = np.zeros((len(states), len(combos)), dtype=np.int64)
    for i, st in enumerate(states):
        for s in st:
            vectors[i, list(cover[s])] = 1
    return cover, vectors


@functools.lru_cache(maxsize=4096)
def _moves(layout: tuple[tuple[tuple[int, ...], ...], int], pattern: tuple[int, ...]) -> BoolArray:
    """``Table.moves`` for a unit whose published slices are ``pattern`` (kept: the same few
    patterns recur over units and waves)."""
    cover, vectors = _layout(layout)
    n_combos = vectors.shape[1]
    if pattern:
        found = orthogonal([cover[s] for s in pattern], n_combos)
        ortho = np.array(found, dtype=np.int64).reshape(-1, n_combos)
    else:
        ortho = np.eye(n_combos, dtype=np.int64)
    image = vectors @ ortho.T  # states x constraints
    result: BoolArray = (image[:, None, :] == image[None, :, :]).all(axis=2)
    result.flags.writeable = False
    return result


@functools.lru_cache(maxsize=4096)
def _move_weights(
    layout: tuple[tuple[tuple[int, ...], ...], int], pattern: tuple[int, ...]
) -> npt.NDArray[np.float64]:
    """``_moves`` as 0.0/1.0, for a product with a table of sizes (0/1 products summed)."""
    result = _moves(layout, pattern).astype(np.float64)
    result.flags.writeable = False
    return result


def states_of(group_slices: Sequence[Sequence[int]]) -> list[tuple[int, ...]]:
    """Every 0/1 vector over combinations that is a sum of multiples of slice indicators, as
    the slices it unites: no one, everyone, and each union of 1 to k - 1 of the k values of
    one column. A sum of functions of one column each that only
    takes the values 0 and 1 depends on one column at most (were two to vary, the four
    combinations of two values of each would differ by the same step twice)."""
    states: list[tuple[int, ...]] = [(), (0,)]
    for values in group_slices:
        k = len(values)
        for mask in range(1, (1 << k) - 1):
            states.append(tuple(values[i] for i in range(k) if mask >> i & 1))
    return states


def _sumset(a: npt.NDArray[np.bool_], b: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """Row by row, every x + y below the width for x in a's row and y in b's."""
    out: npt.NDArray[np.bool_] = (a[:, :, None] & _shifted(b)).any(axis=1)
    return out


def _shifted(b: npt.NDArray[np.bool_]) -> npt.NDArray[np.bool_]:
    """shifted[r, x, y]: y - x is in b's row r (``_sumset`` adds a row's x to it)."""
    index, valid = _differences(b.shape[1])
    out: npt.NDArray[np.bool_] = b[:, index] & valid
    return out


@functools.lru_cache(maxsize=64)
def _differences(width: int) -> tuple[npt.NDArray[np.intp], npt.NDArray[np.bool_]]:
    """For x, y below ``width``: y - x (0 where negative), and whether it is not negative."""
    x = np.arange(width)
    d = x[None, :] - x[:, None]
    return np.where(d >= 0, d, 0), d >= 0
