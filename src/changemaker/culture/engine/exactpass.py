"""The exact check's two passes over one wave's suppression (``derivable.py`` decides).

``close_leaks``: while a group of 1 to minimum - 1 people is derivable, hide one more published
cell that it needs. Run on every pattern: the lattice's (``disclosure.py``), whose check is a
heuristic, and the sibling rule's ("sibling rule made safe", the benchmark's fair baseline).

``publish_more``: try hidden cells of n >= minimum again, one at a time (the overall table's
first, largest first), and publish each for good only if the exact check still finds nothing
derivable under every table of n. The lattice's check refuses more than it needs to (its sums
over-approximate what an attacker can form). A trial works out only the cell's unit and the
units above it that have a published cell (``TreeSearch.would_stay_safe``), which in a deep
organisation is still most of the work: the pass stops once its trials have worked out
``WORK_PER_UNIT`` units per unit of the organisation, so it stays linear in the organisation's
size (the overall table's cells and the largest first: the ones most read are tried before it
stops).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from .derivable import Table, TreeSearch

BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

# Units worked out by publish_more's trials, per unit of the organisation.
WORK_PER_UNIT = 15


def exact_pass(
    parent: Sequence[int],
    group_slices: Sequence[Sequence[int]],
    hidden: BoolArray,
    counts: Sequence[IntArray],
    minimum: int,
    *,
    close: bool = True,
    more: bool = True,
) -> BoolArray:
    """``hidden`` (flat, units x real slices) with leaks closed (``close``; a pattern already
    made safe needs none), then (``more``) cells published again where nothing becomes
    derivable."""
    n_units = len(parent)
    n_real = hidden.size // n_units
    table = Table(parent, group_slices, n_real, hidden)
    tables = [np.asarray(c, dtype=np.int64).reshape(n_units, n_real) for c in counts]
    if close:
        close_leaks(table, tables, minimum)
    if more:
        publish_more(table, tables, minimum, WORK_PER_UNIT * n_units)
    return table.hidden.ravel().copy()


def close_leaks(table: Table, tables: Sequence[IntArray], minimum: int) -> None:
    """While a group of 1 to minimum - 1 people is derivable, hide one more published cell
    that it needs (the smallest such cell), then check again. Hiding never makes a new group
    derivable."""
    for n in tables:
        search = table.search(n, minimum)
        while (group := search.group()) is not None:
            needed = [cell for cell in group.cells if table.breaks(group, cell)]
            cell = min(
                needed or group.cells,
                key=lambda x: (min(int(t.flat[x]) for t in tables), x),
            )
            search.hide(cell)


def publish_more(table: Table, tables: Sequence[IntArray], minimum: int, budget: int) -> list[int]:
    """Publish hidden cells of n >= minimum (in every table), the overall table's first and
    the largest first in each, each only if no group of 1 to minimum - 1 people becomes
    derivable; stop once the trials have worked out ``budget`` units. The cells published."""
    searches = [table.search(n, minimum) for n in tables]
    trees = [s for s in searches if isinstance(s, TreeSearch)]
    if minimum <= 1 or len(trees) < len(searches):  # a column of many values: not tried
        return []
    sizes = np.min([t.ravel() for t in tables], axis=0)
    n_real = table.n_real
    candidates = [int(c) for c in np.flatnonzero(table.hidden.ravel() & (sizes >= minimum))]
    candidates.sort(key=lambda c: (c % n_real != 0, -int(sizes[c]), c))
    published: list[int] = []
    for cell in candidates:
        if sum(t.work for t in trees) >= budget:
            break
        if all(t.would_stay_safe(cell) for t in trees):
            for t in trees:
                t.publish(cell)
            published.append(cell)
    return published
