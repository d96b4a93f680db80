"""A parent's figures are rolled up from its published children, weighted, up the tree."""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from changemaker.core import commitments
from changemaker.core.commitments import rollup
from changemaker.core.models import Council, User
from changemaker.core.models.commitments import Commitment

STATUSES = [str(s) for s in Commitment.Status.values]
child = st.tuples(st.integers(0, 100), st.integers(1, 1000), st.sampled_from(STATUSES))


def _expected_progress(kids: list[tuple[int, int, str]]) -> int:
    """Independently: the exact weighted mean of the children not stopped (all, if every one
    is), rounded half up."""
    going = [k for k in kids if k[2] != "stopped"] or kids
    mean = Fraction(sum(p * w for p, w, _s in going), sum(w for _p, w, _s in going))
    return int(mean + Fraction(1, 2))  # floor(x + 1/2) for x >= 0


@given(st.lists(child, min_size=1, max_size=12))
def test_progress_is_the_weighted_mean_within_the_childrens_range(
    kids: list[tuple[int, int, str]],
) -> None:
    progress, status = rollup(kids) or (None, None)
    assert progress == _expected_progress(kids)
    counted = [k for k in kids if k[2] != "stopped"] or kids
    assert min(p for p, _w, _s in counted) <= progress <= max(p for p, _w, _s in counted)
    assert status in STATUSES


@given(
    st.lists(
        st.tuples(st.integers(0, 100), st.integers(1, 8), st.sampled_from(STATUSES)),
        min_size=1,
        max_size=6,
    )
)
def test_a_weight_counts_as_that_many_equal_children(kids: list[tuple[int, int, str]]) -> None:
    repeated = [(p, 1, s) for p, w, s in kids for _ in range(w)]
    assert rollup(kids) == rollup(repeated)


def test_statuses() -> None:
    assert rollup([]) is None
    assert rollup([(100, 1, "done"), (10, 1, "stopped")]) == (100, "done")
    assert rollup([(0, 1, "stopped"), (20, 3, "stopped")]) == (15, "stopped")
    assert rollup([(50, 1, "delayed"), (100, 1, "done")]) == (75, "delayed")
    assert rollup([(0, 1, "planned"), (0, 2, "planned")]) == (0, "planned")
    assert rollup([(0, 1, "planned"), (100, 3, "done")]) == (75, "in_progress")
    assert rollup([(1, 1, "in_progress"), (2, 1, "in_progress")]) == (2, "in_progress")  # 1.5 up


@pytest.mark.django_db
def test_every_write_rolls_up_the_whole_tree(
    council: Council, make_user: Callable[..., User]
) -> None:
    officer = make_user("engagement_officer")
    top = commitments.save_commitment(Commitment(council=council, title="Safer town"), by=officer)
    middle = commitments.save_commitment(
        Commitment(council=council, title="Lighting", parent=top, weight=3), by=officer
    )
    other = commitments.save_commitment(
        Commitment(council=council, title="Crossings", parent=top, weight=1), by=officer
    )
    leaf = commitments.save_commitment(
        Commitment(council=council, title="Lamps on Mill Lane", parent=middle), by=officer
    )
    hidden = commitments.save_commitment(
        Commitment(council=council, title="Draft", parent=middle, published=False), by=officer
    )
    commitments.add_update(
        leaf, by=officer, text="Half the lamps are up", progress=60, status="in_progress"
    )
    commitments.add_update(hidden, by=officer, text="Not shown", progress=0, status="planned")
    commitments.add_update(other, by=officer, text="Done", progress=100, status="done")
    for c in (top, middle):
        c.refresh_from_db()
    assert (middle.progress, middle.status) == (60, "in_progress")  # the draft does not count
    assert (top.progress, top.status) == (70, "in_progress")  # (60*3 + 100*1) / 4
    with pytest.raises(commitments.CommitmentError):
        commitments.add_update(top, by=officer, text="x", progress=10)
    top.parent = leaf
    with pytest.raises(commitments.CommitmentError):
        commitments.save_commitment(top, by=officer)
    hidden.published = True  # publishing a child rolls up again
    commitments.save_commitment(hidden, by=officer)
    middle.refresh_from_db()
    top.refresh_from_db()
    assert (middle.progress, middle.status) == (30, "in_progress")
    assert top.progress == 48  # (30*3 + 100) / 4 = 47.5, half up
