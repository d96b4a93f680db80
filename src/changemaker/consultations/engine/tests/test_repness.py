"""Representative statements, group-aware consensus and priorities against Polis' output.

Given Polis' own grouping of polis-math-fixture-267, the statistics must be Polis' exactly.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from changemaker.consultations.engine.matrix import RatingMatrix
from changemaker.consultations.engine.pca import fit_pca
from changemaker.consultations.engine.repness import (
    group_informed_consensus,
    group_votes,
    prop_test,
    representative_statements,
    two_prop_test,
)
from changemaker.consultations.engine.routing import priority_metric

from .conftest import MATH_FIXTURE, polis_grouping


@pytest.fixture(scope="module")
def polis_groups_votes(conversation: Any, polis_math: dict[str, Any]) -> Any:
    m = RatingMatrix.from_log(conversation(MATH_FIXTURE).votes)
    row_group = np.full(len(m.participants), -1)
    for p, g in polis_grouping(polis_math).items():
        row_group[np.searchsorted(m.participants, p)] = g
    mod_out = set(polis_math["mod-out"])
    active = np.array([int(s) not in mod_out for s in m.statements])
    return m, active, group_votes(m, row_group, len(polis_math["group-clusters"]))


def test_group_votes_match(polis_groups_votes: Any, polis_math: dict[str, Any]) -> None:
    m, _, gv = polis_groups_votes
    for g, data in polis_math["group-votes"].items():
        for tid, v in data["votes"].items():
            c = int(np.searchsorted(m.statements, int(tid)))
            got = (gv.agree[int(g), c], gv.disagree[int(g), c], gv.seen[int(g), c])
            assert got == (v["A"], v["D"], v["S"])


def test_representative_statements_match(
    polis_groups_votes: Any, polis_math: dict[str, Any]
) -> None:
    m, active, gv = polis_groups_votes
    reps = representative_statements(gv, m.statements, active)
    for g, theirs in polis_math["repness"].items():
        ours = reps[int(g)]
        assert [(s.statement, s.direction, s.n_success, s.n_trials) for s in ours] == [
            (t["tid"], t["repful-for"], t["n-success"], t["n-trials"]) for t in theirs
        ]
        for s, t in zip(ours, theirs, strict=True):
            assert s.p_success == pytest.approx(t["p-success"], rel=1e-12)
            assert s.p_test == pytest.approx(t["p-test"], rel=1e-12)
            assert s.repness == pytest.approx(t["repness"], rel=1e-12)
            assert s.repness_test == pytest.approx(t["repness-test"], rel=1e-7)
            assert s.best_agree == bool(t.get("best-agree", False))


def test_group_aware_consensus_matches(polis_groups_votes: Any, polis_math: dict[str, Any]) -> None:
    m, _, gv = polis_groups_votes
    agree, disagree = group_informed_consensus(gv)
    theirs = polis_math["group-aware-consensus"]
    for c, tid in enumerate(m.statements.tolist()):
        assert agree[c] == pytest.approx(theirs[str(tid)], rel=1e-12)
    assert np.all((disagree > 0) & (disagree < 1))


def test_priorities_match(polis_groups_votes: Any, polis_math: dict[str, Any]) -> None:
    m, active, gv = polis_groups_votes
    pca = fit_pca(m, active)
    meta = np.isin(m.statements, polis_math["meta-tids"])
    prio = priority_metric(gv.agree.sum(0), gv.disagree.sum(0), gv.seen.sum(0), pca.extremity, meta)
    theirs = polis_math["comment-priorities"]
    for c, tid in enumerate(m.statements.tolist()):
        assert prio[c] == pytest.approx(theirs[str(tid)], rel=1e-9)


def test_tests_are_polis_formulas() -> None:
    assert prop_test(np.array([9.0]), np.array([9.0]))[0] == pytest.approx(2 * np.sqrt(10) * 0.5)
    # pi_hat == 1 is defined as 0 in Polis
    assert two_prop_test(np.array([3.0]), np.array([4.0]), np.array([3.0]), np.array([4.0]))[0] == 0
    z = two_prop_test(np.array([8.0]), np.array([2.0]), np.array([10.0]), np.array([10.0]))[0]
    assert z > 2
