"""The linkage on Splink's Spark backend (pyspark in local mode) gives the same persons as on
DuckDB. Needs Java 17+ (``make test`` installs Debian's default-jre-headless if missing)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from changemaker.insight.engine.linkage import PersonLinker
from changemaker.insight.engine.metrics import accuracy
from changemaker.insight.engine.spark import local_session
from changemaker.insight.engine.standardise import standardise_frame
from changemaker.insight.engine.synthetic import TRUE_PERSON, SyntheticConfig, generate


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

    # the same candidate pairs, scored the same (to floating-point rounding), the same persons
    assert len(got.pairs) > 100
    assert got.pairs[["left", "right"]].equals(expected.pairs[["left", "right"]])
    np.testing.assert_allclose(
        got.pairs["match_probability"], expected.pairs["match_probability"], atol=1e-9
    )
    assert got.cluster_ids.tolist() == expected.cluster_ids.tolist()
    assert got.person_ids.tolist() == expected.person_ids.tolist()
    assert accuracy(got.person_ids, raw[TRUE_PERSON]).pairwise.f1 > 0.9


def test_spark_backend_needs_a_session() -> None:
    with pytest.raises(ValueError, match="Spark session"):
        PersonLinker(backend="spark")
    with pytest.raises(ValueError, match="unknown backend"):
        PersonLinker(backend="sqlite")  # type: ignore[arg-type]
