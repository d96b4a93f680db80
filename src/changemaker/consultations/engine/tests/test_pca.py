"""PCA against Polis' own output on polis-math-fixture-267."""

from __future__ import annotations

from typing import Any

import numpy as np

from changemaker.consultations.engine import VoteLog
from changemaker.consultations.engine.matrix import RatingMatrix
from changemaker.consultations.engine.pca import fit_pca

from .conftest import MATH_FIXTURE


def _fixture_pca(conversation: Any, polis_math: dict[str, Any]) -> tuple[Any, Any, list[int]]:
    conv = conversation(MATH_FIXTURE)
    m = RatingMatrix.from_log(conv.votes)
    mod_out = set(polis_math["mod-out"])
    active = np.array([int(s) not in mod_out for s in m.statements])
    pos = [int(np.searchsorted(m.statements, t)) for t in polis_math["tids"]]
    assert m.statements[pos].tolist() == polis_math["tids"]
    return m, fit_pca(m, active), pos


def test_components_match_polis(conversation: Any, polis_math: dict[str, Any]) -> None:
    _, pca, pos = _fixture_pca(conversation, polis_math)
    theirs = np.array(polis_math["pca"]["comps"])
    ours = pca.components[:, pos]
    for i in range(2):
        cos = abs(ours[i] @ theirs[i]) / np.linalg.norm(theirs[i])
        assert cos > 1 - 1e-9
    # Polis' centre is in its internal sign (agree = -1)
    assert np.allclose(-pca.center[pos], polis_math["pca"]["center"], atol=1e-12)


def test_statement_projection_and_extremity_match_polis(
    conversation: Any, polis_math: dict[str, Any]
) -> None:
    _, pca, pos = _fixture_pca(conversation, polis_math)
    assert np.allclose(pca.extremity[pos], polis_math["pca"]["comment-extremity"], atol=1e-9)
    proj = np.array(polis_math["pca"]["comment-projection"]).T
    assert np.allclose(np.abs(pca.statement_xy[pos]), np.abs(proj), atol=1e-9)


def test_moderated_out_columns_are_zeroed(conversation: Any, polis_math: dict[str, Any]) -> None:
    m, pca, _ = _fixture_pca(conversation, polis_math)
    out = np.isin(m.statements, polis_math["mod-out"])
    assert out.sum() == 5
    assert np.all(pca.components[:, out] == 0)
    assert np.all(pca.statement_xy[out] == 0)


def test_sparsity_scaling() -> None:
    # one participant voting on every statement, one on a single statement: the sparse voter
    # is pushed out by sqrt(statements / votes), as in Polis
    records = [(0, s, 1 if s % 2 else -1) for s in range(6)]
    records += [(1, s, -1 if s % 2 else 1) for s in range(6)]
    records += [(2, 0, 1)]
    m = RatingMatrix.from_log(VoteLog.from_records(records))
    pca = fit_pca(m, np.ones(6, dtype=bool))
    raw = np.array([(m.vote[m.rows == 2][0] - pca.center[0]) * pca.components[:, 0]])
    assert np.allclose(pca.participant_xy[2], raw[0] * np.sqrt(6 / 1))


def test_iterative_solver_agrees_with_dense(monkeypatch: Any) -> None:
    from changemaker.consultations.engine import pca as pca_module

    rng = np.random.default_rng(3)
    n_p, n_s = 300, 40
    mask = rng.random((n_p, n_s)) < 0.4
    taste = rng.normal(size=(n_p, 2)) @ rng.normal(size=(2, n_s))
    votes = np.sign(taste + rng.normal(scale=0.5, size=(n_p, n_s))).astype(int)
    p, s = np.nonzero(mask)
    m = RatingMatrix.from_log(VoteLog.from_arrays(p, s, votes[p, s]))
    active = np.ones(len(m.statements), dtype=bool)
    active[3] = False
    dense = fit_pca(m, active)
    monkeypatch.setattr(pca_module, "_DENSE_CELLS", -1)
    iterative = fit_pca(m, active)
    assert np.allclose(dense.components, iterative.components, atol=1e-8)
    assert np.allclose(dense.participant_xy, iterative.participant_xy, atol=1e-7)
    warm = fit_pca(m, active, start=dense.components)
    assert np.allclose(dense.components, warm.components, atol=1e-8)
