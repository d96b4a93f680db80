"""Clustering scored pairs into persons: connected components of the links, except that a
cannot-link pair (a vetoed pair) never ends up inside one cluster."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def constrained_clusters(
    n_records: int,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    weight: np.ndarray[Any, np.dtype[np.float64]],
    cannot_left: np.ndarray[Any, np.dtype[np.int64]],
    cannot_right: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Connected components of the links, except that two clusters are not joined when a
    *cannot-link* pair (a vetoed pair) would end up inside one cluster.

    Links are taken strongest first, so a record that matches two twins equally well joins
    one of them and the twins stay apart, where plain connected components would chain the
    twins together. Returns labels ``0..k-1`` in order of first appearance.
    """
    n_components, component = connected_components(
        coo_matrix(
            (np.ones(len(left), dtype=np.int8), (left, right)), shape=(n_records, n_records)
        ),
        directed=False,
    )
    component = component.astype(np.int64)
    # Only a component holding a cannot-link pair needs the constrained (Python) algorithm;
    # in every other one it would join all the records anyway.
    inside = component[cannot_left] == component[cannot_right]
    conflicted = np.zeros(n_components, dtype=bool)
    conflicted[component[cannot_left[inside]]] = True
    label = n_records + component  # a component's label, distinct from any record position
    if conflicted.any():
        edges = conflicted[component[left]]
        roots = _constrained_roots(
            n_records,
            left[edges],
            right[edges],
            weight[edges],
            cannot_left[inside],
            cannot_right[inside],
        )
        in_conflict = conflicted[component]
        label[in_conflict] = roots[in_conflict]
    return np.asarray(pd.factorize(label)[0], dtype=np.int64)


def _constrained_roots(
    n_records: int,
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    weight: np.ndarray[Any, np.dtype[np.float64]],
    cannot_left: np.ndarray[Any, np.dtype[np.int64]],
    cannot_right: np.ndarray[Any, np.dtype[np.int64]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Union-find over the links, strongest first, refusing a union that would put a
    cannot-link pair in one cluster. Returns each record's root."""
    parent = np.arange(n_records, dtype=np.int64)
    members: dict[int, list[int]] = {}
    banned: dict[int, set[int]] = {}
    for a, b in zip(cannot_left.tolist(), cannot_right.tolist(), strict=True):
        banned.setdefault(a, set()).add(b)
        banned.setdefault(b, set()).add(a)

    def find(x: int) -> int:
        root = x
        while parent[root] != root:
            root = int(parent[root])
        while parent[x] != root:
            parent[x], x = root, int(parent[x])
        return root

    order = np.argsort(-weight, kind="stable")
    for i in order.tolist():
        ra, rb = find(int(left[i])), find(int(right[i]))
        if ra == rb:
            continue
        group_a = members.get(ra, [ra])
        group_b = members.get(rb, [rb])
        if len(group_a) < len(group_b):
            ra, rb, group_a, group_b = rb, ra, group_b, group_a
        banned_a = banned.get(ra)
        if banned_a is not None and any(m in banned_a for m in group_b):
            continue
        parent[rb] = ra
        group_a.extend(group_b)
        members[ra] = group_a
        members.pop(rb, None)
        banned_b = banned.pop(rb, None)
        if banned_b:
            banned.setdefault(ra, set()).update(banned_b)
    touched = np.unique(np.concatenate([left, right]))
    for x in touched.tolist():
        find(x)
    return parent
