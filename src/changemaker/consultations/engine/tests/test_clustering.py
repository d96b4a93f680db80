"""Polis' two-level clustering."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.metrics import silhouette_score

from changemaker.consultations.engine.clustering import (
    Clustering,
    choose_groups,
    max_group_k,
    polis_kmeans,
    silhouette,
)


def test_group_step_reproduces_polis_on_its_base_clusters(polis_math: dict[str, Any]) -> None:
    bc = polis_math["base-clusters"]
    centers = np.c_[bc["x"], bc["y"]]
    base = Clustering(np.array(bc["id"]), centers, np.arange(len(bc["id"])))
    k, clusterings, _ = choose_groups(base, np.array(bc["count"], dtype=float))
    assert k == len(polis_math["group-clusters"])
    ours = clusterings[k]
    for g in polis_math["group-clusters"]:
        members = np.isin(base.ids, g["members"])
        labels = set(ours.labels[members].tolist())
        assert len(labels) == 1
        (label,) = labels
        assert np.allclose(ours.centers[label], g["center"], atol=1e-9)


def test_silhouette_matches_sklearn() -> None:
    rng = np.random.default_rng(0)
    pts = np.vstack([rng.normal(0, 1, (30, 2)), rng.normal(5, 1, (25, 2)), [[20.0, 20.0]]])
    labels = np.r_[np.zeros(30, int), np.ones(25, int), [2]]
    assert np.isclose(silhouette(pts, labels), silhouette_score(pts, labels))


def test_kmeans_first_distinct_init_and_empty_clusters_dropped() -> None:
    pts = np.array([[0.0, 0], [0, 0], [10, 0], [10, 1], [0, 1]])
    c = polis_kmeans(pts, 3)
    assert c.k == 3
    # first distinct points are the initial centres: (0,0), (10,0), (10,1)
    assert sorted(np.bincount(c.labels).tolist()) == [1, 1, 3]
    # only two distinct points: two clusters
    assert polis_kmeans(np.array([[1.0, 1], [1, 1], [2, 2]]), 5).k == 2


def test_weighted_means() -> None:
    pts = np.array([[0.0, 0], [1, 0], [10, 0]])
    c = polis_kmeans(pts, 2, weights=np.array([1.0, 3.0, 1.0]))
    assert np.allclose(sorted(c.centers[:, 0]), [0.75, 10])


def test_warm_start_keeps_a_converged_clustering() -> None:
    rng = np.random.default_rng(1)
    pts = np.vstack([rng.normal(c, 0.3, (40, 2)) for c in ((0, 0), (4, 0), (0, 4))])
    cold = polis_kmeans(pts, 10, max_iters=100, tol=0.0)
    warm = polis_kmeans(pts, 10, max_iters=100, tol=0.0, previous=(cold.ids, cold.member_labels()))
    assert np.array_equal(cold.member_labels(), warm.member_labels())
    assert np.allclose(cold.centers, warm.centers)


def test_max_k_rule() -> None:
    assert [max_group_k(n, 5) for n in (0, 11, 12, 24, 36, 100)] == [2, 2, 3, 4, 5, 5]


def test_warm_start_grows_to_k_with_distal_points() -> None:
    rng = np.random.default_rng(5)
    pts = rng.normal(size=(300, 2))
    first = polis_kmeans(pts[:30], 10, max_iters=100)
    prev_labels = np.full(300, -1, dtype=np.int64)
    prev_labels[:30] = first.member_labels()
    grown = polis_kmeans(pts, 50, max_iters=100, previous=(first.ids, prev_labels))
    assert grown.k == 50
    assert set(first.ids.tolist()) <= set(grown.ids.tolist())
    assert np.array_equal(grown.ids, np.sort(grown.ids))
    assert np.bincount(grown.labels, minlength=grown.k).min() > 0


def test_warm_start_merges_clusters_that_became_identical() -> None:
    pts = np.array([[0.0, 0.0], [0.0, 0.0], [5.0, 5.0]])
    ids = np.array([3, 7, 9])
    c = polis_kmeans(pts, 3, previous=(ids, np.array([3, 7, 9])))
    # two of three points coincide: only two clusters are possible
    assert c.k == 2
    assert 9 in c.ids
