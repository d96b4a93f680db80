"""What the DuckDB matchers (fuzzy dwellings, UPRNs) share: the similarity thresholds and
frames as temporary tables."""

from __future__ import annotations

from typing import Final

import duckdb
import pandas as pd
import pyarrow as pa

#: Similarity (Jaro-Winkler) at or above which two streets or house names are one.
STREET_SIMILARITY: Final = 0.88
NAME_SIMILARITY: Final = 0.9
SIMILARITY: Final = {"street_similarity": STREET_SIMILARITY, "name_similarity": NAME_SIMILARITY}


def temp_table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """``frame`` as a DuckDB temporary table (through Arrow: read once, not per query)."""
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    con.register("_incoming", arrow)
    con.execute(f"create or replace temp table {name} as select * from _incoming")  # noqa: S608
    con.unregister("_incoming")
