"""Households: people recorded at the same dwelling.

A record's household is the dwelling of its standardised address (``address_key``: UK
postcode + flat/house numbers + street). A move is therefore a new household *membership* of
the same person: the person id stays, the records at the old address keep the old household.
A record with no usable address joins its person's most frequent household; a person with no
usable address at all gets a household of their own. Household ids are kept stable across runs
like person ids (a household keeps the id of the old household it overlaps most).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from changemaker.insight.engine.linkage import assign_person_ids, record_keys


def household_labels(records: pd.DataFrame, person_ids: pd.Series) -> pd.Series:
    """A household label per record (an address key, or ``person:<id>``), index-aligned."""
    if not records.index.equals(person_ids.index):
        raise ValueError("person_ids must be aligned with records")
    keys = records["address_key"].astype("object")
    frame = pd.DataFrame({"person": person_ids.astype(str), "key": keys})
    known = frame.dropna(subset=["key"])
    usual = (
        known.groupby(["person", "key"], sort=False)
        .size()
        .reset_index(name="n")
        .sort_values(["n", "key"], ascending=[False, True])
        .drop_duplicates("person")
        .set_index("person")["key"]
    )
    fallback = frame["person"].map(usual)
    own = "person:" + frame["person"]
    labels = frame["key"].where(frame["key"].notna(), fallback)
    labels = labels.where(labels.notna(), own)
    return labels.astype(str)


def assign_households(
    records: pd.DataFrame, person_ids: pd.Series, previous: pd.Series | None = None
) -> pd.Series:
    """Household ids (``H`` + 8 digits) per record; ``previous`` maps record keys
    (``source_dataset/record_id``) to household ids of an earlier run."""
    labels = household_labels(records, person_ids)
    codes = pd.factorize(labels)[0].astype(np.int64)
    ids = assign_person_ids(pd.Series(codes, index=record_keys(records)), previous, prefix="H")
    return pd.Series(ids.to_numpy(), index=records.index, name="household_id")
