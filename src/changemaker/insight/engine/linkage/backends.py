"""Where Splink runs: the records as a table of the backend (DuckDB or Spark), queries
on it, and the model's SQL in either backend's dialect."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
from splink import DuckDBAPI
from splink.internals.database_api import DatabaseAPI

from changemaker.insight.engine.linkage.parameters import (
    MODEL_COLUMNS,
    UNIQUE_ID,
    Backend,
    LinkageParameters,
)


def register(
    records: pd.DataFrame, backend: Backend, spark: Any, duckdb_memory_limit: str | None
) -> tuple[DatabaseAPI[Any], Any]:
    """The records' model columns as a table of the backend: its database API and table."""
    table = model_table(records)
    db_api: DatabaseAPI[Any]
    if backend == "spark":
        from splink import SparkAPI

        session: Any = spark
        has_checkpoints = session.sparkContext.getCheckpointDir() is not None
        db_api = SparkAPI(  # type: ignore[no-untyped-call]
            spark_session=session,
            break_lineage_method="parquet" if has_checkpoints else "persist",
        )
        splink_table = db_api.register(table.to_pandas())
    else:
        db_api = DuckDBAPI(duckdb_connection(duckdb_memory_limit))
        splink_table = db_api.register(table)
    return db_api, splink_table


def blocking_dicts(parameters: LinkageParameters) -> Iterable[dict[str, str]]:
    """The blocking rules as Splink settings (in DuckDB's SQL, as models are saved)."""
    for rule in parameters.blocking_rules:
        yield {"blocking_rule": rule, "sql_dialect": "duckdb"}


def model_table(records: pd.DataFrame) -> pa.Table:
    """``unique_id`` (the position) and the model columns as strings, in Arrow."""
    missing = [c for c in MODEL_COLUMNS if c not in records.columns]
    if missing:
        raise ValueError(f"records are not standardised: missing {', '.join(missing)}")
    arrays = [pa.array(np.arange(len(records), dtype=np.int64))]
    for column in MODEL_COLUMNS:
        values = records[column]
        if values.dtype == object:
            values = values.where(values.notna(), None)
        arrays.append(pa.array(values, type=pa.string(), from_pandas=True))
    return pa.Table.from_arrays(arrays, names=[UNIQUE_ID, *MODEL_COLUMNS])


def duckdb_connection(memory_limit: str | None) -> duckdb.DuckDBPyConnection:
    config: dict[str, Any] = {"preserve_insertion_order": False}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    return duckdb.connect(config=config)


def fetch(db_api: DatabaseAPI[Any], query: str) -> pd.DataFrame:
    """Run a query on the backend and return the result as pandas."""
    if isinstance(db_api, DuckDBAPI):
        return db_api.duckdb_con.execute(query).df()
    spark = db_api.spark  # type: ignore[attr-defined]
    return spark.sql(query).toPandas()


#: DuckDB's SQL -> Spark's, for the model's conditions: quoted identifiers, and the names of
#: the similarity functions (Spark's are the UDFs of the similarity jar shipped with Splink).
_SPARK_SQL: Final[tuple[tuple[str, str], ...]] = (
    ('"', "`"),
    ("jaro_winkler_similarity(", "jaro_winkler("),
)
_SQL_KEYS: Final = frozenset({"sql_condition", "blocking_rule"})


def model_in_dialect(model: dict[str, Any], dialect: str) -> dict[str, Any]:
    """The Splink model with its SQL conditions in ``dialect`` (``"duckdb"`` or ``"spark"``).

    Models are saved in DuckDB's SQL. The model's conditions hold no string literals, so the
    only differences are how identifiers are quoted and the similarity functions' names.
    """
    pairs = list(_SPARK_SQL) if dialect == "spark" else [(b, a) for a, b in _SPARK_SQL]

    def convert(value: Any, key: str = "") -> Any:
        if isinstance(value, str) and key in _SQL_KEYS:
            for old, new in pairs:
                value = value.replace(old, new)
            return value
        if isinstance(value, list):
            return [convert(v) for v in value]
        if isinstance(value, dict):
            return {k: convert(v, k) for k, v in value.items()}
        return value

    converted: dict[str, Any] = convert(model)
    converted["sql_dialect"] = dialect
    return converted
