"""The rating matrix keeps the latest vote; a warm merge equals a cold build."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.consultations.engine import VoteLog
from changemaker.consultations.engine.matrix import RatingMatrix

_event = st.tuples(st.integers(0, 6), st.integers(0, 5), st.integers(-1, 1), st.integers(0, 20))


def _reference(events: list[tuple[int, int, int, int]]) -> dict[tuple[int, int], int]:
    latest: dict[tuple[int, int], tuple[int, int]] = {}
    for i, (p, s, _v, t) in enumerate(events):
        key = (p, s)
        if key not in latest or (t, i) >= latest[key]:
            latest[key] = (t, i)
    return {k: events[i][2] for k, (_, i) in latest.items()}


def _cells(m: RatingMatrix) -> dict[tuple[int, int], int]:
    return {
        (int(m.participants[r]), int(m.statements[c])): int(v)
        for r, c, v in zip(m.rows, m.cols, m.vote, strict=True)
    }


@settings(max_examples=200, deadline=None)
@given(events=st.lists(_event, max_size=40))
def test_latest_vote_per_cell(events: list[tuple[int, int, int, int]]) -> None:
    m = RatingMatrix.from_log(VoteLog.from_records(events))
    assert _cells(m) == _reference(events)
    keys = m.rows * max(len(m.statements), 1) + m.cols
    assert np.all(np.diff(keys) > 0)


@settings(max_examples=200, deadline=None)
@given(first=st.lists(_event, max_size=30), second=st.lists(_event, max_size=30))
def test_merge_equals_cold_build(
    first: list[tuple[int, int, int, int]], second: list[tuple[int, int, int, int]]
) -> None:
    # a later batch only overrides a cell when its timestamp is not older
    warm = RatingMatrix.from_log(VoteLog.from_records(first)).merged(VoteLog.from_records(second))
    shifted = [(p, s, v, t + 100) for p, s, v, t in second]
    cold = RatingMatrix.from_log(VoteLog.from_records(first + shifted))
    warm2 = RatingMatrix.from_log(VoteLog.from_records(first)).merged(VoteLog.from_records(shifted))
    assert warm2.same_cells(cold)
    assert set(_cells(warm)) == set(_cells(cold))


def test_column_counts() -> None:
    m = RatingMatrix.from_log(VoteLog.from_records([(0, 0, 1), (1, 0, -1), (2, 0, 0), (0, 1, 1)]))
    a, d, s = m.column_counts()
    assert a.tolist() == [1, 1] and d.tolist() == [1, 0] and s.tolist() == [3, 1]
    assert m.votes_per_participant().tolist() == [2, 1, 1]
