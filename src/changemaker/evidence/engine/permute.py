"""Randomisation inference over the ways the treatment could have fallen on the clusters.

Each cluster has a treatment path (by period, for a two-way fixed-effects DiD) or a group (0/1,
for the 2×2): an *assignment* gives the clusters' paths to the clusters in another order. Every
distinct assignment is tried (Fisher; the real one is among them), or, beyond ``MAX_ASSIGNMENTS``,
a seeded sample. With one treated cluster this is "each cluster in turn takes the treated one's
place". The test is exact when any clusters could have been the treated ones (as if the pilot's
wards had been drawn at random); its smallest p-value is 1 / the number of assignments that can
differ (``distinct_tests``), so a 95% interval needs at least ``MIN_FOR_95`` of them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from . import stats
from .stats import FixedEffect, FloatArray, IntArray

MAX_ASSIGNMENTS = 5_000
MIN_FOR_95 = 20  # 1/20 = 0.05: the real assignment can be the most extreme at 5%
_CHUNK = 64


def count_assignments(labels: Sequence[int]) -> int:
    """How many distinct orders the clusters' labels have: G! / (each label's count)!."""
    total = math.factorial(len(labels))
    for k in Counter(labels).values():
        total //= math.factorial(k)
    return total


def distinct_tests(labels: Sequence[int]) -> int:
    """How many assignments can give different test statistics: with two kinds of cluster in
    equal numbers (3 treated wards of 6), swapping them only flips the estimate's sign, so
    the assignments pair up and half of them are distinct."""
    total = count_assignments(labels)
    counts = list(Counter(labels).values())
    return total // 2 if len(counts) == 2 and counts[0] == counts[1] else total


def _orders(labels: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """Every distinct order of ``labels`` (a multiset), the real one first."""
    yield tuple(labels)
    left = Counter(labels)
    order: list[int] = []

    def walk() -> Iterator[tuple[int, ...]]:
        if len(order) == len(labels):
            yield tuple(order)
            return
        for label in sorted(left):
            if left[label]:
                left[label] -= 1
                order.append(label)
                yield from walk()
                order.pop()
                left[label] += 1

    real = tuple(labels)
    yield from (o for o in walk() if o != real)


def assignments(labels: Sequence[int], seed: int) -> list[tuple[int, ...]]:
    """Every distinct assignment (the real one first), or ``MAX_ASSIGNMENTS`` of them drawn
    with ``seed`` when there are more."""
    if count_assignments(labels) <= MAX_ASSIGNMENTS:
        return list(_orders(labels))
    rng = np.random.default_rng(seed)
    found = {tuple(labels)}
    drawn = [tuple(labels)]
    while len(drawn) < MAX_ASSIGNMENTS:
        trial = tuple(int(x) for x in rng.permutation(np.asarray(labels)))
        if trial not in found:
            found.add(trial)
            drawn.append(trial)
    return drawn


def cluster_paths(
    treated: Any, cluster: IntArray, groups: int, time: IntArray, n_times: int
) -> tuple[FloatArray, list[int], bool]:
    """Each cluster's treatment path (the most treated of its rows, by period), a label per
    cluster (equal paths, equal labels) and whether the treatment is the same for every row of
    a cluster in a period (a cluster-level assignment, which the test permutes)."""
    paths = np.zeros((groups, n_times))
    np.maximum.at(paths, (cluster, time), np.asarray(treated, dtype=np.float64))
    lowest = np.ones((groups, n_times))
    np.minimum.at(lowest, (cluster, time), np.asarray(treated, dtype=np.float64))
    seen = np.zeros((groups, n_times), dtype=bool)
    seen[cluster, time] = True
    same = bool((paths[seen] == lowest[seen]).all())
    keys: dict[bytes, int] = {}
    labels = [keys.setdefault(paths[c].tobytes(), len(keys)) for c in range(groups)]
    return paths, labels, same


def did_placebos(
    yt: FloatArray,
    xt: FloatArray,
    beta: float,
    paths: FloatArray,
    labels: list[int],
    cluster: IntArray,
    time: IntArray,
    effects: list[FixedEffect],
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    """(placebo, gamma) per assignment: the estimate when the clusters' paths are given out
    in that order, and the real treatment's coefficient on it (to remove a constant effect)."""
    by_label = {label: paths[c] for c, label in enumerate(labels)}
    found = assignments(labels, seed)
    placebo, gamma = np.empty(len(found)), np.empty(len(found))
    placebo[0], gamma[0] = beta, 1.0
    for start in range(1, len(found), _CHUNK):
        chunk = found[start : start + _CHUNK]
        given = np.array([[by_label[lab] for lab in order] for order in chunk])  # a, c, t
        d = given[:, cluster, time].T  # rows x assignments
        dt = stats.demean(d, effects)
        s = np.einsum("ij,ij->j", dt, dt)
        with np.errstate(divide="ignore", invalid="ignore"):
            p, g = (dt.T @ yt) / s, (dt.T @ xt) / s
        flat = s <= 0
        p[flat], g[flat] = 0.0, 0.0
        placebo[start : start + len(chunk)] = p
        gamma[start : start + len(chunk)] = g
    return placebo, gamma


def group_placebos(
    y: FloatArray,
    x: FloatArray,
    beta: float,
    labels: list[int],
    cluster: IntArray,
    seed: int,
) -> tuple[FloatArray, FloatArray]:
    """The 2×2's (placebo, gamma) per assignment of the treated group to the clusters
    (``labels``: 1 for a cluster in the treated group)."""
    post = x[:, 2]
    found = assignments(labels, seed)
    placebo, gamma = np.empty(len(found)), np.empty(len(found))
    placebo[0], gamma[0] = beta, 1.0
    for a, order in enumerate(found[1:], start=1):
        g = np.asarray(order, dtype=np.float64)[cluster]
        xa = np.column_stack([np.ones_like(y), g, post, g * post])
        coef, *_ = np.linalg.lstsq(xa, np.column_stack([y, x[:, 3]]), rcond=None)
        placebo[a], gamma[a] = coef[3, 0], coef[3, 1]
    return placebo, gamma


def summary(
    beta: float, se: float, placebo: FloatArray, gamma: FloatArray, alpha: float
) -> tuple[stats.Resampled, float]:
    """The test and interval over the assignments, and the spread of the placebo estimates
    (the real one left out) shown as the standard error."""
    others = placebo[1:]
    spread = float(np.std(others, ddof=1)) if len(others) > 1 else math.nan
    return stats.permutation_interval(beta, placebo, gamma, alpha, se), spread
