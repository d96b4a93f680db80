from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.insight.engine.metrics import accuracy


def test_perfect_clustering_scores_one() -> None:
    result = accuracy(["a", "a", "b", "c"], [1, 1, 2, 3])
    assert result.pairwise.f1 == 1.0
    assert result.cluster.f1 == 1.0


def test_known_example() -> None:
    # truth {0,1,2} {3}; predicted {0,1} {2,3}
    result = accuracy([0, 0, 1, 1], ["x", "x", "x", "y"])
    assert result.true_pairs == 3
    assert result.predicted_pairs == 2
    assert result.correct_pairs == 1
    assert result.pairwise.precision == pytest.approx(0.5)
    assert result.pairwise.recall == pytest.approx(1 / 3)
    assert result.cluster.precision == 0.0  # neither predicted cluster is a true cluster
    assert result.cluster.recall == 0.0


def test_lengths_must_match() -> None:
    with pytest.raises(ValueError, match="same length"):
        accuracy([1, 2], [1])


@settings(deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=40))
def test_pairwise_counts_match_brute_force(labels: list[tuple[int, int]]) -> None:
    pred = np.array([p for p, _ in labels])
    true = np.array([t for _, t in labels])
    n = len(labels)
    same_pred = [(i, j) for i in range(n) for j in range(i + 1, n) if pred[i] == pred[j]]
    same_true = {(i, j) for i in range(n) for j in range(i + 1, n) if true[i] == true[j]}
    result = accuracy(pred, true)
    assert result.predicted_pairs == len(same_pred)
    assert result.true_pairs == len(same_true)
    assert result.correct_pairs == sum(1 for pair in same_pred if pair in same_true)
    assert 0.0 <= result.pairwise.f1 <= 1.0
    assert 0.0 <= result.cluster.f1 <= 1.0
