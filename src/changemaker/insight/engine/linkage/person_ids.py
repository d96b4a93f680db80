"""Person ids that stay stable across runs: record keys, and each cluster given the id of the
old person it overlaps most."""

from __future__ import annotations

import pandas as pd


def record_keys(records: pd.DataFrame) -> pd.Index:
    """``source_dataset/record_id`` keys identifying records across runs."""
    keys = records["source_dataset"].astype(str) + "/" + records["record_id"].astype(str)
    return pd.Index(keys, name="record_key")


def assign_person_ids(
    clusters: pd.Series, previous: pd.Series | None, prefix: str = "P"
) -> pd.Series:
    """Give each cluster a stable id (``prefix`` + 8 digits).

    ``clusters`` maps record key -> cluster label; ``previous`` maps record key -> person id
    from an earlier run (or ``None``). Each new cluster takes the old id it shares most
    records with (ties: the smaller id); an old id goes to only one cluster (the one with the
    largest overlap); other clusters get fresh ids: a number higher than any old one.
    """
    frame = pd.DataFrame({"key": clusters.index, "cluster": clusters.to_numpy()})
    chosen: dict[int, str] = {}
    used: set[str] = set()
    next_number = 1
    if previous is not None and len(previous):
        old = pd.Series(previous.to_numpy(), index=previous.index.astype(str))
        frame["old"] = frame["key"].map(old)
        overlap = (
            frame.dropna(subset=["old"])
            .groupby(["cluster", "old"], sort=False)
            .size()
            .reset_index(name="n")
        )
        overlap = overlap.sort_values(["n", "old", "cluster"], ascending=[False, True, True])
        for cluster, old_id, _n in overlap.itertuples(index=False):
            if cluster in chosen or old_id in used:
                continue
            chosen[int(cluster)] = str(old_id)
            used.add(str(old_id))
        numbers = [
            int(v[len(prefix) :])
            for v in old.astype(str)
            if v.startswith(prefix) and v[len(prefix) :].isdigit()
        ]
        next_number = max(numbers, default=0) + 1
    # fresh ids in a deterministic order: by each cluster's smallest record key
    first_key = frame.groupby("cluster", sort=False)["key"].min().sort_values()
    for cluster in first_key.index:
        if int(cluster) not in chosen:
            chosen[int(cluster)] = f"{prefix}{next_number:08d}"
            next_number += 1
    return pd.Series(
        [chosen[int(c)] for c in frame["cluster"]], index=clusters.index, name=f"{prefix}_id"
    )
