"""Households: people at the same dwelling at the same time.

A record's *dwelling* is its ``address_key``: after
:func:`~changemaker.insight.engine.addresses.with_dwellings`, the UPRN its address matched in
the council's gazetteer, else the dwelling found by comparing the records' addresses loosely
(``standardise_frame`` alone gives the address as written: UK postcode + flat/house numbers +
street). A record with no usable address (or one that does not say which flat) is taken to be
at its person's most frequent dwelling; a person with no usable address at all gets a dwelling
of their own (``person:<id>``).

A *membership* is one person at one dwelling, for a period: from the earliest
``address_from`` of the person's records there to the latest ``address_to`` (both optional
columns, ISO dates after :func:`~changemaker.insight.engine.standardise.standardise_frame`).
Records that leave a date empty say nothing about it; an end that none of the records gives is
unknown and reaches as far as it can: a membership with no dates overlaps every other.

A *household* is a group of memberships of one dwelling whose periods overlap (chained: if A
overlaps B and B overlaps C, all three are one household). ``address_to`` is the moving-out
day, so a family that moves out on the day another moves in is not one household with it.
Without period columns every membership's period is unknown and a household is simply everyone
ever recorded at the dwelling, as before. A move is a new household *membership* of the same
person: the person id stays, the records at the old address keep the old household.

Household ids are kept stable across runs like person ids (a household keeps the id of the old
household it overlaps most).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from changemaker.insight.engine.linkage.person_ids import assign_person_ids, record_keys
from changemaker.insight.engine.schema import PERIOD_FIELDS


def household_labels(records: pd.DataFrame, person_ids: pd.Series) -> pd.Series:
    """A dwelling label per record (an address key, or ``person:<id>``), index-aligned."""
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


def _days(records: pd.DataFrame, name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The period column as days since 1970 (NaN where unknown or absent)."""
    if name not in records.columns:
        return np.full(len(records), np.nan)
    parsed = pd.to_datetime(records[name], format="%Y-%m-%d", errors="coerce")
    stamps = parsed.to_numpy(dtype="datetime64[ns]")
    days = np.asarray(stamps.astype("datetime64[D]").astype(np.int64), dtype=np.float64)
    days[np.isnat(stamps)] = np.nan
    return days


def _membership_table(records: pd.DataFrame, person_ids: pd.Series) -> pd.DataFrame:
    """One row per record: its membership number, household number and period."""
    labels = household_labels(records, person_ids)
    own_address = records["address_key"].notna().to_numpy()
    # a record at its person's usual dwelling only by default says nothing of the period
    start = np.where(own_address, _days(records, PERIOD_FIELDS[0]), np.nan)
    end = np.where(own_address, _days(records, PERIOD_FIELDS[1]), np.nan)
    person = person_ids.astype(str).to_numpy()
    person_code = pd.factorize(person)[0].astype(np.int64)
    label_code, label_values = pd.factorize(labels.to_numpy())
    pair = person_code * (len(label_values) + 1) + label_code.astype(np.int64)
    membership = pd.factorize(pair)[0]
    n = int(membership.max()) + 1 if len(membership) else 0
    first = np.full(n, np.inf)
    last = np.full(n, -np.inf)
    np.fmin.at(first, membership, start)
    np.fmax.at(last, membership, end)
    # an end no record gives is unknown, and reaches as far as it can
    first_known = np.isfinite(first)
    last_known = np.isfinite(last)
    lo = np.where(first_known, first, -np.inf)
    hi = np.where(last_known, last, np.inf)

    # One dwelling's memberships sorted by start: a new household begins where a membership
    # starts on or after the latest end seen so far (the union of the intervals breaks).
    dwelling_code = np.empty(n, dtype=np.int64)
    dwelling_code[membership] = label_code
    order = np.lexsort((lo, dwelling_code))
    d, s, e = dwelling_code[order], lo[order], hi[order]
    new_dwelling = np.ones(n, dtype=bool)
    new_dwelling[1:] = d[1:] != d[:-1]
    running_end = _running_max_per_group(e, new_dwelling)
    starts_new = new_dwelling.copy()
    starts_new[1:] |= s[1:] >= running_end[:-1]
    household_sorted = np.cumsum(starts_new) - 1
    household = np.empty(n, dtype=np.int64)
    household[order] = household_sorted
    return pd.DataFrame(
        {
            "membership": membership,
            "household": household[membership],
            "from": np.where(first_known, first, np.nan)[membership],
            "to": np.where(last_known, last, np.nan)[membership],
        },
        index=records.index,
    )


def _running_max_per_group(
    values: np.ndarray[Any, np.dtype[np.float64]], group_starts: np.ndarray[Any, np.dtype[np.bool_]]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """Cumulative maximum of ``values`` restarting at each ``True`` of ``group_starts``."""
    group = np.cumsum(group_starts)
    running = pd.Series(values).groupby(group, sort=False).cummax()
    return np.asarray(running.to_numpy(dtype=np.float64))


def assign_households(
    records: pd.DataFrame, person_ids: pd.Series, previous: pd.Series | None = None
) -> pd.Series:
    """Household ids (``H`` + 8 digits) per record; ``previous`` maps record keys
    (``source_dataset/record_id``) to household ids of an earlier run."""
    table = _membership_table(records, person_ids)
    codes = table["household"].to_numpy(dtype=np.int64)
    ids = assign_person_ids(pd.Series(codes, index=record_keys(records)), previous, prefix="H")
    return pd.Series(ids.to_numpy(), index=records.index, name="household_id")


def household_memberships(
    records: pd.DataFrame, person_ids: pd.Series, household_ids: pd.Series | None = None
) -> pd.DataFrame:
    """One row per person per household: ``person_id, household_id, address_from,
    address_to`` (ISO dates, ``None`` when unknown), sorted by person and start.

    ``household_ids`` are those :func:`assign_households` gave the records (computed here if
    not given).
    """
    if household_ids is None:
        household_ids = assign_households(records, person_ids)
    table = _membership_table(records, person_ids)
    frame = pd.DataFrame(
        {
            "person_id": person_ids.astype(str).to_numpy(),
            "household_id": household_ids.astype(str).to_numpy(),
            "membership": table["membership"].to_numpy(),
            "from": table["from"].to_numpy(),
            "to": table["to"].to_numpy(),
        }
    ).drop_duplicates("membership")
    frame = frame.sort_values(["person_id", "from", "household_id"], na_position="first")
    return pd.DataFrame(
        {
            "person_id": frame["person_id"].to_numpy(),
            "household_id": frame["household_id"].to_numpy(),
            PERIOD_FIELDS[0]: _iso(frame["from"]),
            PERIOD_FIELDS[1]: _iso(frame["to"]),
        }
    )


def _iso(days: pd.Series) -> np.ndarray[Any, np.dtype[np.object_]]:
    values = days.to_numpy(dtype=np.float64)
    out = np.full(len(values), None, dtype=object)
    known = ~np.isnan(values)
    dates = values[known].astype("int64").astype("datetime64[D]").astype(str)
    out[known] = dates
    return out
