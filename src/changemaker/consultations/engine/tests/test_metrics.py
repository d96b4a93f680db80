"""Adjusted Rand index agrees with scikit-learn's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import adjusted_rand_score

from changemaker.consultations.engine import adjusted_rand_index, compare_groupings


@settings(max_examples=100, deadline=None)
@given(pairs=st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=2, max_size=40))
def test_matches_sklearn(pairs: list[tuple[int, int]]) -> None:
    a = [x for x, _ in pairs]
    b = [y for _, y in pairs]
    assert abs(adjusted_rand_index(a, b) - adjusted_rand_score(a, b)) < 1e-9


def test_compare_groupings_ignores_unclustered() -> None:
    n, ari = compare_groupings({1: 0, 2: 0, 3: 1, 4: None}, {1: 5, 2: 5, 3: 6, 4: 6, 9: 1})
    assert (n, ari) == (3, 1.0)
