"""The linkage on Splink's Spark backend (pyspark in local mode) gives the same persons as on
DuckDB. Needs Java 17+ (``make test`` installs Debian's default-jre-headless if missing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from changemaker.insight.engine.linkage.linker import PersonLinker
from changemaker.insight.engine.metrics import accuracy
from changemaker.insight.engine.spark import local_session
from changemaker.insight.engine.standardise import standardise_frame
from changemaker.insight.engine.synthetic import generate
from changemaker.insight.engine.synthetic.people import SyntheticConfig
from changemaker.insight.engine.synthetic.records import TRUE_PERSON


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    session = local_session(cores=1, memory="1g")
    yield session
    session.stop()


def test_spark_backend_links_the_same_persons_as_duckdb(spark: Any) -> None:
    raw = generate(SyntheticConfig(n_people=120, seed=5))
    standard = standardise_frame(raw)
    on_duckdb = PersonLinker.builtin()
    on_spark = on_duckdb.on_backend("spark", spark=spark)
    assert on_spark.backend == "spark"

    # (counting candidate pairs rule by rule is many small Spark jobs: left out to keep the
    # test short; scoring uses the same blocking rules)
    expected = on_duckdb.link(standard, check_cost=False)
    got = on_spark.link(standard, check_cost=False)

    # the same candidate pairs, scored the same (to floating-point rounding), the same persons,
    # except where the two engines' Jaro similarity differs: DuckDB halves the count of
    # transposed characters with integer division (as Winkler's strcmp95 does), Splink's Spark
    # function does not ("manoah"/"noah": 0.806 against 0.764). Such pairs are allowed to
    # differ, and only they, and only the persons they touch.
    assert len(got.pairs) > 100
    assert got.pairs[["left", "right"]].equals(expected.pairs[["left", "right"]])
    differ = ~np.isclose(
        got.pairs["match_probability"], expected.pairs["match_probability"], atol=1e-9, rtol=0
    )
    assert differ.sum() <= len(got.pairs) // 100
    touched: set[int] = set()
    for left, right in got.pairs.loc[differ, ["left", "right"]].itertuples(index=False):
        a, b = standard.iloc[left], standard.iloc[right]
        names = [(a[x], b[y]) for x in ("first_name", "surname") for y in ("first_name", "surname")]
        assert any(_jaro_differs(spark, x, y) for x, y in names if x and y), (a, b)
        touched |= {left, right}
    affected = set()
    for result in (got, expected):
        ids = result.cluster_ids.to_numpy()
        labels = {ids[n] for n in touched}
        affected |= {n for n, label in enumerate(ids) if label in labels}
    keep = [n for n in range(len(standard)) if n not in affected]
    assert len(keep) > 0.9 * len(standard)
    # labels are numbered in order, so one split renumbers the rest: compare who is with whom
    assert _partition(got.cluster_ids, keep) == _partition(expected.cluster_ids, keep)
    assert _partition(got.person_ids, keep) == _partition(expected.person_ids, keep)
    assert accuracy(got.person_ids, raw[TRUE_PERSON]).pairwise.f1 > 0.9


def _partition(labels: Any, keep: list[int]) -> set[frozenset[int]]:
    groups: dict[Any, set[int]] = {}
    for n in keep:
        groups.setdefault(labels.iloc[n], set()).add(n)
    return {frozenset(g) for g in groups.values()}


def _jaro_differs(spark: Any, left: str, right: str) -> bool:
    import duckdb

    query = "select jaro_winkler_similarity($1, $2)"
    on_duckdb = duckdb.execute(query, [left, right]).fetchone()[0]  # type: ignore[index]
    on_spark = spark.sql(
        "select jaro_winkler(:l, :r) as s", args={"l": left, "r": right}
    ).collect()[0]["s"]
    return bool(abs(on_duckdb - on_spark) > 1e-9)


def test_spark_backend_needs_a_session() -> None:
    with pytest.raises(ValueError, match="Spark session"):
        PersonLinker(backend="spark")
    with pytest.raises(ValueError, match="unknown backend"):
        PersonLinker(backend="sqlite")  # type: ignore[arg-type]


def test_the_date_of_birth_levels_read_the_same_on_spark_and_duckdb(spark: Any) -> None:
    """The "a day apart" and "year out" levels are written once, in SQL both engines read
    alike (a model is saved in DuckDB's SQL and run on Spark)."""
    import duckdb

    from changemaker.insight.engine.linkage.comparisons import _day_apart, _years_apart

    pairs = [
        ("1999-12-31", "2000-01-01"),
        ("2000-01-01", "1999-12-31"),
        ("2024-02-28", "2024-03-01"),
        ("2024-02-29", "2024-03-01"),
        ("2006-02-14", "1996-02-14"),
        ("2006-02-14", "2007-02-14"),
        ("2006-02-14", "2008-02-14"),
        ("1976-09-03", "2006-02-14"),
    ]
    con = duckdb.connect()  # its own: the default connection may hold another test's result
    rows = " union all ".join(
        f"select '{a}' as date_of_birth_l, '{b}' as date_of_birth_r" for a, b in pairs
    )
    for condition in (_day_apart(), _years_apart()):
        query = f"select ({condition}) as hit from ({rows}) as t"  # noqa: S608 (our own SQL)
        on_duckdb = [bool(r[0]) for r in con.sql(query).fetchall()]
        on_spark = [bool(r[0]) for r in spark.sql(query).collect()]
        assert on_duckdb == on_spark
    day = f"select ({_day_apart()}) from ({rows}) as t"  # noqa: S608
    assert [bool(r[0]) for r in con.sql(day).fetchall()] == [
        True,
        True,
        False,
        True,
        False,
        False,
        False,
        False,
    ]
