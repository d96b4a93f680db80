"""Records -> dwellings: each record's dwelling key (a UPRN, else a fuzzy dwelling, else
none), worked out once per distinct (postcode, address line)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

import duckdb
import numpy as np
import pandas as pd

from changemaker.insight.engine.addresses.dwellings import fuzzy_dwellings
from changemaker.insight.engine.addresses.parsing import (
    STREET_TYPES,
    UNKNOWN_FLAT,
    ParsedAddress,
    parse_standardised,
)
from changemaker.insight.engine.addresses.uprns import match_gazetteer
from changemaker.insight.engine.standardise import _factorize, _take, standardise_postcode

MATCH_UPRN: Final = "uprn"
MATCH_FUZZY: Final = "fuzzy_dwelling"
MATCH_NONE: Final = "none"


@dataclass(frozen=True, slots=True)
class AddressMatches:
    """Per record: the dwelling key (``U:<uprn>``, ``D:...`` or ``None``), the UPRN and how it
    was found (``uprn``, ``fuzzy_dwelling``, ``none``); index-aligned with the records."""

    dwelling_key: pd.Series
    uprn: pd.Series
    kind: pd.Series
    house: pd.Series
    """The flat, house and first street word as parsed (``"2 12 high"`` for "Flat 2, 12 High
    St" however written): the linkage's "same house in the district"."""
    gazetteer_entries: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict[str, Any]:
        """Counts and rates for a run report (no personal data)."""
        total = max(1, int(sum(self.counts.values())))
        return {
            "gazetteer_entries": self.gazetteer_entries,
            "records": {k: int(v) for k, v in self.counts.items()},
            "rates": {k: round(v / total, 4) for k, v in self.counts.items()},
        }


def match_addresses(
    records: pd.DataFrame,
    gazetteer: pd.DataFrame | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> AddressMatches:
    """Match standardised records (``postcode``, ``address_line`` as
    :func:`~changemaker.insight.engine.standardise.standardise_frame` gives them) to dwellings.

    Works on distinct (postcode, address line) pairs, so a million records take seconds.
    """
    con = connection or duckdb.connect(config={"preserve_insertion_order": False})
    pair = records["postcode"].astype("string").fillna("") + "\x1f"
    pair = pair + records["address_line"].astype("string").fillna("")
    codes, uniques = _factorize(pair)
    queries = _parse_queries(uniques)
    queries = fuzzy_dwellings(con, queries)
    if gazetteer is not None and len(gazetteer):
        queries["uprn"] = match_gazetteer(con, queries, gazetteer)
        # a fuzzy dwelling takes the UPRN its other addresses matched (the most common one)
        matched = queries.dropna(subset=["uprn", "dkey"])
        if len(matched):
            best = (
                matched.groupby(["dkey", "uprn"])
                .size()
                .reset_index(name="n")
                .sort_values(["n", "uprn"], ascending=[False, True])
                .drop_duplicates("dkey")
                .set_index("dkey")["uprn"]
            )
            fill = queries["dkey"].map(best)
            queries["uprn"] = queries["uprn"].where(queries["uprn"].notna(), fill)
    else:
        queries["uprn"] = None
    uprn = queries["uprn"].astype("object").where(queries["uprn"].notna(), None)
    key = np.where(
        uprn.notna(), "U:" + uprn.astype("string").fillna(""), "D:" + queries["dkey"].fillna("")
    )
    key = pd.Series(key, dtype="object").where(uprn.notna() | queries["dkey"].notna(), None)
    kind = np.where(
        uprn.notna(), MATCH_UPRN, np.where(queries["dkey"].notna(), MATCH_FUZZY, MATCH_NONE)
    )
    out_key = _take(codes, key.tolist(), records.index)
    out_uprn = _take(codes, uprn.tolist(), records.index)
    out_kind = _take(codes, list(kind), records.index).fillna(MATCH_NONE)
    out_house = _take(codes, queries["house_words"].tolist(), records.index)
    counts = out_kind.value_counts()
    return AddressMatches(
        out_key.rename("dwelling_key"),
        out_uprn.rename("uprn"),
        out_kind.rename("address_match"),
        out_house.rename("dwelling"),
        None if gazetteer is None else len(gazetteer),
        {k: int(counts.get(k, 0)) for k in (MATCH_UPRN, MATCH_FUZZY, MATCH_NONE)},
    )


def with_dwellings(
    records: pd.DataFrame, gazetteer: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, AddressMatches]:
    """The standardised records with ``address_key`` set to each record's dwelling key (see
    :func:`match_addresses`), ``dwelling`` to the parsed flat, house and street word, and a
    ``uprn`` column; linkage and households then compare dwellings, not the address as
    written."""
    matches = match_addresses(records, gazetteer)
    out = records.copy()
    out["address_key"] = matches.dwelling_key
    out["dwelling"] = matches.house
    out["uprn"] = matches.uprn
    return out, matches


def _parse_queries(uniques: list[object]) -> pd.DataFrame:
    """One row per distinct (postcode, address line): the parsed parts."""
    postcodes: list[str | None] = []
    sectors: list[str | None] = []
    parts: list[ParsedAddress] = []
    parsed_lines: dict[str, ParsedAddress] = {}
    parsed_postcodes: dict[str, tuple[str | None, str | None]] = {}
    for value in uniques:
        postcode_text, line = str(value).split("\x1f", 1)
        known = parsed_postcodes.get(postcode_text)
        if known is None:
            postcode = standardise_postcode(postcode_text)
            if postcode is not None and postcode.is_uk:
                known = (postcode.full, f"{postcode.outward} {postcode.full[-3]}")
            else:
                known = (None, None)
            parsed_postcodes[postcode_text] = known
        postcodes.append(known[0])
        sectors.append(known[1])
        parsed = parsed_lines.get(line)
        if parsed is None:  # the records' lines are standardised already
            parsed = parsed_lines[line] = parse_standardised(line)
        parts.append(parsed)
    return pd.DataFrame(
        {
            "q": np.arange(len(uniques), dtype=np.int64),
            "postcode": postcodes,
            "sector": sectors,
            "sao": [p.sao or "" for p in parts],
            "number": [p.number for p in parts],
            "name": [p.name for p in parts],
            "house": [p.house for p in parts],
            "street": [p.street for p in parts],
            # a street with no street word may be the locality or town: not a street to check
            "house_words": [_house_words(p) for p in parts],
            "typed": [
                p.street is not None and p.street.split(" ")[-1] in STREET_TYPES for p in parts
            ],
        },
        dtype="object",
    ).astype({"q": np.int64, "typed": bool})


def _house_words(parsed: ParsedAddress) -> str | None:
    if parsed.house is None:
        return None
    words = [parsed.sao or "", parsed.house, (parsed.street or "").split(" ")[0]]
    return " ".join(w for w in words if w and w != UNKNOWN_FLAT)
