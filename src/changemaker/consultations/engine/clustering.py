"""Polis' two-level clustering (``math/clusters.clj``, ``conversation.clj``).

1. *Base clusters*: k-means with k = 100 on the 2-D projections of the participants "in the
   conversation"; a cold start takes the first k distinct points (participants in id order) as
   centres, a warm start re-centres the previous clusters on the new positions and splits off the
   most distal points when clusters are missing (Polis ``clean-start-clusters``).
2. *Groups*: weighted k-means on the base-cluster centres (weights = member counts) for
   k = 2..min(max_k, 2 + floor(bases / 12)); k is chosen by the silhouette coefficient computed
   on the base centres (ties go to the larger k, as Clojure's ``max-key``).

Iterations stop at a fixed point of the assignment (or the iteration cap): a re-run from the
result gives the result again, so a warm update on unchanged data changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Clustering",
    "TwoLevel",
    "best_k",
    "choose_groups",
    "max_group_k",
    "polis_kmeans",
    "silhouette",
    "two_level",
]


@dataclass(frozen=True, eq=False)
class Clustering:
    """``labels[i]`` indexes ``ids``/``centers``; ids are Polis cluster ids (kept on updates)."""

    ids: NDArray[np.int64]
    centers: NDArray[np.float64]
    labels: NDArray[np.int64]

    @property
    def k(self) -> int:
        return len(self.ids)

    def member_labels(self) -> NDArray[np.int64]:
        """Cluster id of each point."""
        return self.ids[self.labels]


def _nearest(
    points: NDArray[np.float64], centers: NDArray[np.float64], *, distances: bool = True
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Index of and distance to the nearest centre of each point (first one on ties)."""
    n = len(points)
    idx = np.empty(n, dtype=np.int64)
    dist = np.empty(n if distances else 0)
    cx, cy = centers[:, 0], centers[:, 1]
    chunk = max(1, 2_000_000 // max(len(centers), 1))
    for start in range(0, n, chunk):
        p = points[start : start + chunk]
        d2 = (p[:, 0:1] - cx) ** 2
        d2 += (p[:, 1:2] - cy) ** 2
        i = np.argmin(d2, axis=1)
        idx[start : start + chunk] = i
        if distances:
            dist[start : start + chunk] = np.sqrt(d2[np.arange(len(p)), i])
    return idx, dist


def _assign(points: NDArray[np.float64], centers: NDArray[np.float64]) -> NDArray[np.int64]:
    return _nearest(points, centers, distances=False)[0]


class _Assigner:
    """Nearest-centre assignment across Lloyd steps with Hamerly's bounds (exact, fewer distances).

    Keeps, per point, an upper bound on the distance to its centre and a lower bound on the
    distance to any other centre; a point is re-examined only when the bounds no longer prove
    that its centre is strictly the closest, so the result is the plain nearest-centre rule.
    """

    def __init__(self, points: NDArray[np.float64]) -> None:
        self.points = points
        self.centers: NDArray[np.float64] | None = None
        self.labels = np.zeros(len(points), dtype=np.int64)
        self.upper = np.zeros(len(points))
        self.lower = np.zeros(len(points))

    def _full(self, idx: NDArray[np.int64] | None, centers: NDArray[np.float64]) -> None:
        pts = self.points if idx is None else self.points[idx]
        k = len(centers)
        chunk = max(1, 2_000_000 // max(k, 1))
        for start in range(0, len(pts), chunk):
            p = pts[start : start + chunk]
            d2 = (p[:, 0:1] - centers[:, 0]) ** 2
            d2 += (p[:, 1:2] - centers[:, 1]) ** 2
            best = np.argmin(d2, axis=1)
            rows = np.arange(len(p))
            d_best = np.sqrt(d2[rows, best])
            if k > 1:
                d2[rows, best] = np.inf
                d_second = np.sqrt(d2.min(axis=1))
            else:
                d_second = np.full(len(p), np.inf)
            sel = slice(start, start + chunk) if idx is None else idx[start : start + chunk]
            self.labels[sel] = best
            self.upper[sel] = d_best
            self.lower[sel] = d_second

    def assign(self, centers: NDArray[np.float64]) -> NDArray[np.int64]:
        if len(self.points) < 5_000:  # small: plain nearest-centre rule, no bounds kept
            return _assign(self.points, centers)
        prev = self.centers
        if prev is None or prev.shape != centers.shape:
            self._full(None, centers)
        else:
            shift = np.sqrt(((centers - prev) ** 2).sum(axis=1))
            self.upper += shift[self.labels]
            self.lower -= shift.max()
            k = len(centers)
            if k > 1:
                cc = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(axis=2))
                np.fill_diagonal(cc, np.inf)
                half = 0.5 * cc.min(axis=1)
            else:
                half = np.full(1, np.inf)
            bound = np.maximum(half[self.labels], self.lower)
            cand = np.flatnonzero(self.upper >= bound)
            if len(cand):
                d = self.points[cand] - centers[self.labels[cand]]
                self.upper[cand] = np.sqrt((d**2).sum(axis=1))
                cand = cand[self.upper[cand] >= bound[cand]]
                if len(cand):
                    self._full(cand, centers)
        self.centers = centers.copy()
        return self.labels.copy()

    def drop(self, keep: NDArray[np.bool_]) -> None:
        """Clusters without members were removed: renumber (bounds stay valid)."""
        if self.centers is None:
            return
        remap = np.cumsum(keep) - 1
        self.labels = remap[self.labels]
        self.centers = self.centers[keep]


def _means(
    points: NDArray[np.float64], labels: NDArray[np.int64], k: int, weights: NDArray[np.float64]
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    tot = np.bincount(labels, weights=weights, minlength=k)
    sx = np.bincount(labels, weights=weights * points[:, 0], minlength=k)
    sy = np.bincount(labels, weights=weights * points[:, 1], minlength=k)
    with np.errstate(invalid="ignore", divide="ignore"):
        centers = np.stack([sx / tot, sy / tot], axis=1)
    return centers, tot


def _first_distinct(points: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    _, first = np.unique(points, axis=0, return_index=True)
    return points[np.sort(first)[:k]]


def _warm_start(
    points: NDArray[np.float64],
    k: int,
    weights: NDArray[np.float64],
    prev_ids: NDArray[np.int64],
    prev_labels: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Polis ``clean-start-clusters``: recentre, merge identical, split off distal points."""
    known = prev_labels >= 0
    order = np.argsort(prev_ids, kind="stable")
    ids = prev_ids[order]
    lab = np.full(len(points), -1, dtype=np.int64)
    pos = np.searchsorted(ids, prev_labels[known])
    valid = (pos < len(ids)) & (ids[np.minimum(pos, len(ids) - 1)] == prev_labels[known])
    kidx = np.flatnonzero(known)[valid]
    lab[kidx] = pos[valid]
    centers, tot = _means(points[kidx], lab[kidx], len(ids), weights[kidx])
    keep = tot > 0
    remap = np.cumsum(keep) - 1
    ids, centers = ids[keep], centers[keep]
    lab = np.where(lab >= 0, remap[np.maximum(lab, 0)], -1)
    # merge clusters whose centres coincide (keep the id of the larger one)
    if len(ids) > 1:
        uniq, inverse = np.unique(centers, axis=0, return_inverse=True)
        if len(uniq) < len(ids):
            inverse = inverse.reshape(-1)
            sizes = np.bincount(lab[lab >= 0], minlength=len(ids))
            rep = np.empty(len(uniq), dtype=np.int64)
            for u in range(len(uniq)):
                members = np.flatnonzero(inverse == u)
                rep[u] = members[int(np.argmax(sizes[members]))]
            new_ids = ids[rep]
            lab = np.where(lab >= 0, inverse[np.maximum(lab, 0)], -1)
            ids, centers = new_ids, uniq
    possible = min(k, len(np.unique(points, axis=0)))
    next_id = int(prev_ids.max()) + 1 if len(prev_ids) else 0
    while len(ids) < possible:
        if len(ids) == 0:
            c0 = _first_distinct(points, 1)
            ids = np.array([next_id], dtype=np.int64)
            centers = c0
            next_id += 1
            lab = np.zeros(len(points), dtype=np.int64)
            continue
        _, dist = _nearest(points, centers)
        far = int(np.argmax(dist))
        if dist[far] <= 0:
            break
        ids = np.append(ids, next_id)
        next_id += 1
        lab[far] = len(ids) - 1
        centers = np.vstack([centers, points[far]])
        sel = lab >= 0
        new_c, tot = _means(points[sel], lab[sel], len(ids), weights[sel])
        centers = np.where((tot > 0)[:, None], new_c, centers)
    return ids, centers


def polis_kmeans(
    points: NDArray[np.float64],
    k: int,
    *,
    weights: NDArray[np.float64] | None = None,
    max_iters: int = 20,
    previous: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
    tol: float = 0.01,
) -> Clustering:
    """Polis k-means; ``previous`` = (previous cluster ids, previous id of each point or -1).

    Stops when the sorted centres moved less than ``tol`` (Polis ``same-clustering?``), when the
    assignment no longer changes, or after ``max_iters`` further steps.
    """
    n = len(points)
    w = np.ones(n) if weights is None else np.asarray(weights, dtype=np.float64)
    if n == 0:
        return Clustering(np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64))
    if previous is not None and len(previous[0]) and bool(np.any(previous[1] >= 0)):
        ids, centers = _warm_start(points, k, w, previous[0], previous[1])
    else:
        centers = _first_distinct(points, k)
        ids = np.arange(len(centers), dtype=np.int64)
    labels = np.full(n, -1, dtype=np.int64)
    assigner = _Assigner(points)
    for _ in range(max_iters + 1):
        new_labels = assigner.assign(centers)
        new_centers, tot = _means(points, new_labels, len(ids), w)
        keep = tot > 0
        if not bool(np.all(keep)):  # drop clusters left without members, as Polis does
            remap = np.cumsum(keep) - 1
            new_labels = remap[new_labels]
            ids, new_centers = ids[keep], new_centers[keep]
            assigner.drop(keep)
        stable = np.array_equal(new_labels, labels) or (
            tol > 0 and _same_clustering(centers, new_centers, tol)
        )
        labels, centers = new_labels, new_centers
        if stable:
            break
    order = np.argsort(ids, kind="stable")
    rank = np.empty(len(ids), dtype=np.int64)
    rank[order] = np.arange(len(ids))
    return Clustering(ids[order], centers[order], rank[labels])


def _same_clustering(a: NDArray[np.float64], b: NDArray[np.float64], tol: float) -> bool:
    """Polis ``same-clustering?``: sorted centres pairwise closer than ``tol``."""
    sa = a[np.lexsort((a[:, 1], a[:, 0]))]
    sb = b[np.lexsort((b[:, 1], b[:, 0]))]
    n = min(len(sa), len(sb))
    return bool(np.all(np.linalg.norm(sa[:n] - sb[:n], axis=1) < tol))


def silhouette(points: NDArray[np.float64], labels: NDArray[np.int64]) -> float:
    """Mean silhouette coefficient (unweighted, singletons score 0), as Polis on base centres."""
    n = len(points)
    groups = np.unique(labels)
    if n < 2 or len(groups) < 2:
        return 0.0
    diff = points[:, None, :] - points[None, :, :]
    dist = np.sqrt((diff**2).sum(axis=2))
    onehot = (labels[:, None] == groups[None, :]).astype(np.float64)
    sums = dist @ onehot  # (n, g): total distance to each group
    sizes = onehot.sum(axis=0)
    own = np.searchsorted(groups, labels)
    own_size = sizes[own]
    a = np.divide(sums[np.arange(n), own], own_size - 1, out=np.zeros(n), where=own_size > 1)
    mean_other = sums / sizes[None, :]
    mean_other[np.arange(n), own] = np.inf
    b = mean_other.min(axis=1)
    denom = np.maximum(a, b)
    s = np.divide(b - a, denom, out=np.zeros(n), where=denom > 0)
    s[own_size <= 1] = 0.0
    return float(s.mean())


def max_group_k(n_base: int, max_k: int) -> int:
    return min(max_k, 2 + n_base // 12)


def choose_groups(
    base: Clustering,
    base_weights: NDArray[np.float64],
    *,
    max_k: int = 5,
    max_iters: int = 20,
    previous: dict[int, tuple[NDArray[np.int64], NDArray[np.int64]]] | None = None,
) -> tuple[int, dict[int, Clustering], dict[int, float]]:
    """Cluster the base centres for each candidate k; return (best k, clusterings, silhouettes).

    ``previous``: per k, (group ids, group id of each base cluster or -1) for a warm start.
    """
    clusterings: dict[int, Clustering] = {}
    scores: dict[int, float] = {}
    upper = max_group_k(base.k, max_k)
    for k in range(2, upper + 1):
        prev = None if previous is None else previous.get(k)
        c = polis_kmeans(base.centers, k, weights=base_weights, max_iters=max_iters, previous=prev)
        clusterings[k] = c
        scores[k] = silhouette(base.centers, c.labels)
    if not clusterings:  # fewer than two base clusters: one group
        one = Clustering(
            np.zeros(min(base.k, 1), np.int64),
            base.centers[:1].copy() if base.k else np.zeros((0, 2)),
            np.zeros(base.k, np.int64),
        )
        return 1, {1: one}, {1: 0.0}
    return best_k(scores), clusterings, scores


def best_k(scores: dict[int, float]) -> int:
    """k with the highest silhouette; ties go to the larger k (Clojure ``max-key``)."""
    chosen, top = min(scores), -np.inf
    for k in sorted(scores):
        if scores[k] >= top:
            chosen, top = k, scores[k]
    return chosen


@dataclass(frozen=True, eq=False)
class TwoLevel:
    base: Clustering
    base_weights: NDArray[np.float64]
    chosen_k: int
    clusterings: dict[int, Clustering]
    silhouettes: dict[int, float]
    restarts: int


def _relabel(
    base_ids: NDArray[np.int64],
    group_ids: NDArray[np.int64],
    prev_base_ids: NDArray[np.int64],
    prev_group_of_base: NDArray[np.int64],
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Previous group id of each current base cluster (by base id), -1 when new."""
    out = np.full(len(base_ids), -1, dtype=np.int64)
    if len(prev_base_ids):
        order = np.argsort(prev_base_ids, kind="stable")
        sb, sg = prev_base_ids[order], prev_group_of_base[order]
        pos = np.searchsorted(sb, base_ids)
        pos_c = np.minimum(pos, len(sb) - 1)
        ok = (pos < len(sb)) & (sb[pos_c] == base_ids)
        out[ok] = sg[pos_c[ok]]
    return group_ids, out


def two_level(
    points: NDArray[np.float64],
    *,
    base_k: int = 100,
    max_k: int = 5,
    base_iters: int = 100,
    group_iters: int = 20,
    restarts: int = 1,
    previous_base: tuple[NDArray[np.int64], NDArray[np.int64]] | None = None,
    previous_groups: dict[int, tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]]
    | None = None,
) -> TwoLevel:
    """Base clusters then groups; k by the silhouette averaged over ``restarts`` runs.

    Run 0 takes the points in the order given (Polis: arrival order) or the warm start; runs
    1.. take fixed pseudo-random orders (seeded by the run number). A cold Polis run depends on
    that order through the first-k-distinct initialisation, and Polis only settles on a number
    of groups over many updates (its k smoother); averaging the silhouette curve over a few
    orders is the cold-start stand-in for that. The groups returned are run 0's.

    ``previous_base``: (base ids, previous base id of each point or -1);
    ``previous_groups``: per k, (group ids, base ids, group id of each of those base clusters).
    """
    sums: dict[int, float] = {}
    runs: dict[int, int] = {}
    first: tuple[Clustering, NDArray[np.float64], dict[int, Clustering]] | None = None
    for r in range(max(1, restarts)):
        if r == 0:
            order = np.arange(len(points))
            base = polis_kmeans(points, base_k, max_iters=base_iters, previous=previous_base)
        else:
            order = np.random.default_rng(r).permutation(len(points))
            b = polis_kmeans(points[order], base_k, max_iters=base_iters)
            labels = np.empty(len(points), dtype=np.int64)
            labels[order] = b.labels
            base = Clustering(b.ids, b.centers, labels)
        weights = np.bincount(base.labels, minlength=base.k).astype(np.float64)
        prev = None
        if r == 0 and previous_groups:
            prev = {k: _relabel(base.ids, *v) for k, v in previous_groups.items()}
        _, clusterings, scores = choose_groups(
            base, weights, max_k=max_k, max_iters=group_iters, previous=prev
        )
        if first is None:
            first = (base, weights, clusterings)
        for k, v in scores.items():
            sums[k] = sums.get(k, 0.0) + v
            runs[k] = runs.get(k, 0) + 1
    assert first is not None
    base, weights, clusterings = first
    mean = {k: sums[k] / runs[k] for k in sorted(clusterings) if k in sums}
    return TwoLevel(base, weights, best_k(mean), clusterings, mean, max(1, restarts))
