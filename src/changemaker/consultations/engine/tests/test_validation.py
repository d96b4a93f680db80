"""Validation against Polis' own output (the issue's acceptance criteria).

* polis-math-fixture-267 (real output of Polis' math service): same number of groups, adjusted
  Rand index >= 0.85 against Polis' grouping, the same consensus statements.
* open-data conversations: the same number of groups as their ``group-id`` column; the ARI is
  reported (printed with ``-s``/``-rA`` and attached to the JUnit report).
"""

from __future__ import annotations

from typing import Any

import pytest

from changemaker.consultations.engine import compare_groupings

from .conftest import MATH_FIXTURE, OPEN_DATA, polis_grouping


def test_math_fixture_same_number_of_groups(fitted: Any, polis_math: dict[str, Any]) -> None:
    result = fitted(MATH_FIXTURE).result_
    assert len(result.groups) == len(polis_math["group-clusters"])


def test_math_fixture_grouping_ari(
    fitted: Any, polis_math: dict[str, Any], record_property: Any
) -> None:
    result = fitted(MATH_FIXTURE).result_
    n, ari = compare_groupings(result.participant_group, polis_grouping(polis_math))
    record_property("ari", ari)
    print(f"{MATH_FIXTURE}: {len(result.groups)} groups, ARI {ari:.3f} over {n} participants")
    assert n >= 150
    assert ari >= 0.85


def test_math_fixture_same_consensus(fitted: Any, polis_math: dict[str, Any]) -> None:
    result = fitted(MATH_FIXTURE).result_
    for direction in ("agree", "disagree"):
        ours = [(c.statement, c.n_success, c.n_trials) for c in result.consensus[direction]]
        theirs = [
            (c["tid"], c["n-success"], c["n-trials"]) for c in polis_math["consensus"][direction]
        ]
        assert ours == theirs, direction
        for mine, ref in zip(
            result.consensus[direction], polis_math["consensus"][direction], strict=True
        ):
            assert mine.p_success == pytest.approx(ref["p-success"], rel=1e-12)
            assert mine.p_test == pytest.approx(ref["p-test"], rel=1e-12)


@pytest.mark.parametrize("name", OPEN_DATA)
def test_open_data_same_number_of_groups(
    name: str, fitted: Any, conversation: Any, record_property: Any
) -> None:
    conv = conversation(name)
    assert conv.polis_groups is not None
    result = fitted(name).result_
    polis_k = len({g for g in conv.polis_groups.values() if g is not None})
    n, ari = compare_groupings(result.participant_group, conv.polis_groups)
    record_property("ari", ari)
    print(f"{name}: {len(result.groups)} groups (Polis {polis_k}), ARI {ari:.3f} over {n}")
    assert len(result.groups) == polis_k
    assert n > 0.9 * sum(g is not None for g in conv.polis_groups.values())
