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


def attach_unambiguous(
    labels: np.ndarray[Any, np.dtype[np.int64]],
    left: np.ndarray[Any, np.dtype[np.int64]],
    right: np.ndarray[Any, np.dtype[np.int64]],
    strong: np.ndarray[Any, np.dtype[np.bool_]],
    cannot: np.ndarray[Any, np.dtype[np.bool_]],
    bare: np.ndarray[Any, np.dtype[np.bool_]],
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """A second pass for records left alone for want of personal evidence.

    A record with no first name or no date of birth (``bare``) may not be linkable under the
    personal-evidence rule, however well its surname, dwelling and phone agree: it might be
    any member of the household. When such a record is alone in its cluster, every scored
    pair of it that is not a cannot-link points into *one* cluster, none of that cluster's
    records is a cannot-link of it, and at least one of those pairs scored at the threshold
    before the veto (``strong``), there is only one person it can be: it joins that cluster.
    Where two clusters are possible (two members of one household), it stays alone; so do
    two such records bound for one cluster that cannot be one person.

    ``left``/``right`` are all the scored pairs; ``cannot`` marks the cannot-link ones.
    Returns labels ``0..k-1`` in order of first appearance.
    """
    size = np.bincount(labels)
    alone = (size[labels] == 1) & bare
    rec = np.concatenate([left, right])
    other = np.concatenate([right, left])
    is_strong = np.concatenate([strong, strong])
    is_cannot = np.concatenate([cannot, cannot])
    edges = pd.DataFrame(
        {"rec": rec, "cluster": labels[other], "other": other, "strong": is_strong}
    )[alone[rec] & (labels[other] != labels[rec])]
    barred = pd.DataFrame({"rec": rec[is_cannot], "cluster": labels[other[is_cannot]]})
    if len(barred):  # a cluster holding a record that cannot be this record's person
        marked = edges.merge(barred.drop_duplicates(), how="left", indicator=True)
        edges = edges[(marked["_merge"] == "left_only").to_numpy()]
    per_record = edges.groupby("rec").agg(
        clusters=("cluster", "nunique"), strong=("strong", "any"), other=("other", "first")
    )
    chosen = per_record[(per_record["clusters"] == 1) & per_record["strong"]]
    # two records bound for one cluster that are a cannot-link pair: neither joins
    bound = pd.Series(labels[chosen["other"].to_numpy(dtype=np.int64)], index=chosen.index)
    a, b = left[cannot], right[cannot]
    clash = np.isin(a, bound.index) & np.isin(b, bound.index)
    clash[clash] = bound.reindex(a[clash]).to_numpy() == bound.reindex(b[clash]).to_numpy()
    chosen = chosen.drop(index=np.union1d(a[clash], b[clash]))
    if chosen.empty:
        return labels
    n = len(labels)
    # the records of one cluster stay together (a path through the cluster's own label), and
    # each chosen record joins the cluster of its partner
    members = np.arange(n, dtype=np.int64)
    graph = coo_matrix(
        (
            np.ones(n + len(chosen), dtype=np.int8),
            (
                np.concatenate([members, chosen.index.to_numpy(dtype=np.int64)]),
                np.concatenate([n + labels, chosen["other"].to_numpy(dtype=np.int64)]),
            ),
        ),
        shape=(n + int(labels.max()) + 1, n + int(labels.max()) + 1),
    )
    _count, component = connected_components(graph, directed=False)
    return np.asarray(pd.factorize(component[:n])[0], dtype=np.int64)
