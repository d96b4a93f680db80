"""Agreement between two groupings (used to validate against Polis' own output)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping

import numpy as np
from numpy.typing import NDArray

__all__ = ["adjusted_rand_index", "compare_groupings"]


def _comb2(x: NDArray[np.float64]) -> float:
    return float((x * (x - 1) / 2.0).sum())


def adjusted_rand_index(a: list[Hashable], b: list[Hashable]) -> float:
    """Adjusted Rand index of two labelings of the same items (1 = identical partitions)."""
    if len(a) != len(b):
        raise ValueError("labelings must have the same length")
    n = len(a)
    if n < 2:
        return 1.0
    _, ia = np.unique(np.array([str(x) for x in a]), return_inverse=True)
    _, ib = np.unique(np.array([str(x) for x in b]), return_inverse=True)
    table = np.zeros((ia.max() + 1, ib.max() + 1))
    np.add.at(table, (ia, ib), 1)
    index = _comb2(table)
    sa, sb = _comb2(table.sum(1)), _comb2(table.sum(0))
    expected = sa * sb / (n * (n - 1) / 2.0)
    maximum = (sa + sb) / 2.0
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def compare_groupings(
    ours: Mapping[int, int | None], theirs: Mapping[int, int | None]
) -> tuple[int, float]:
    """(participants clustered by both, ARI over them)."""
    common = sorted(p for p, g in ours.items() if g is not None and theirs.get(p) is not None)
    return len(common), adjusted_rand_index([ours[p] for p in common], [theirs[p] for p in common])
