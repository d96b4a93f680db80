"""PCA of the rating matrix, as Polis does it (``math/pca.clj``, ``conversation.clj``).

* Missing votes are imputed with the column mean, so the centred matrix is exactly the sparse
  matrix of (vote - column mean) over the cells that were voted: no dense matrix is built.
* Moderated-out and meta statements are zeroed for *everyone* (Polis ``zero-out-columns``): their
  column is constant, adds nothing to the components, yet counts as a "vote" of every participant
  in the sparsity-aware scaling, exactly as in Polis.
* The two leading eigenvectors of the centred scatter matrix are computed exactly (Polis runs
  100 power iterations towards the same vectors); a warm start from the previous components only
  makes the solver converge faster.
* Participant projection = centred votes . components, scaled by sqrt(statements / votes);
  statement projection = a virtual participant who agrees with that statement only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from .matrix import RatingMatrix

__all__ = ["PCAResult", "fit_pca"]

_DENSE_CELLS = 20_000_000
"""Up to this many participant x statement cells, PCA uses a dense matrix and a full
eigendecomposition (numpy only); above it, a sparse operator and ARPACK (scipy, imported then)."""
_DENSE_STATEMENTS = 1_500
"""Largest number of active statements for the full (cubic-time) eigendecomposition."""


@dataclass(frozen=True, eq=False)
class PCAResult:
    center: NDArray[np.float64]
    """Column means (export sign, zero for moderated-out columns), one per matrix statement."""
    components: NDArray[np.float64]
    """Shape (n_components, statements): unit vectors, ordered by decreasing variance."""
    explained_variance: NDArray[np.float64]
    participant_xy: NDArray[np.float64]
    statement_xy: NDArray[np.float64]
    extremity: NDArray[np.float64]


def _orient(comps: NDArray[np.float64], reference: NDArray[np.float64] | None) -> None:
    """Fix each component's sign in place: along the previous one, or largest loading > 0."""
    for i in range(comps.shape[0]):
        if reference is not None and i < reference.shape[0]:
            d = float(comps[i] @ reference[i])
            if d < 0:
                comps[i] *= -1
            if d != 0:
                continue
        j = int(np.argmax(np.abs(comps[i])))
        if comps[i, j] < 0:
            comps[i] *= -1


def _pad(reference: NDArray[np.float64] | None, n: int) -> NDArray[np.float64] | None:
    if reference is None:
        return None
    out = np.zeros((reference.shape[0], n))
    m = min(n, reference.shape[1])
    out[:, :m] = reference[:, :m]
    return out


def _iterative_eig(
    m: RatingMatrix,
    data: NDArray[np.float64],
    n_s: int,
    k: int,
    active: NDArray[np.bool_],
    act_idx: NDArray[np.int64],
    reference: NDArray[np.float64] | None,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Top-k eigenpairs of Xc' Xc with ARPACK on the sparse centred matrix (big data only)."""
    import scipy.sparse
    import scipy.sparse.linalg

    n_p = len(m.participants)
    xc = scipy.sparse.csr_array((data, m.cols, m.indptr()), shape=(n_p, n_s))
    xt = xc.T  # CSC view: no copy

    def matvec(x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.asarray(xt @ (xc @ x), dtype=np.float64)

    op = scipy.sparse.linalg.LinearOperator((n_s, n_s), matvec=matvec, dtype=np.float64)
    v0 = np.zeros(n_s)
    v0[act_idx] = 1.0
    if reference is not None:
        v0 = v0 * 1e-3 + reference[0] + 0.5 * reference[min(1, reference.shape[0] - 1)]
        v0[~active] = 0.0
        if not np.any(v0):
            v0[act_idx] = 1.0
    with threadpool_limits(limits=1, user_api="blas"):  # repeatable to the last bit
        w, v = scipy.sparse.linalg.eigsh(op, k=k, which="LA", v0=v0, tol=1e-12)
    return np.asarray(w, dtype=np.float64), np.asarray(v, dtype=np.float64)


def fit_pca(
    m: RatingMatrix,
    active: NDArray[np.bool_],
    n_components: int = 2,
    start: NDArray[np.float64] | None = None,
) -> PCAResult:
    """PCA of ``m`` with inactive (moderated-out) statement columns zeroed.

    ``start``: previous components (same statement order) for a warm start and a stable sign.
    """
    n_p, n_s = m.shape
    act = active[m.cols]
    seen = np.bincount(m.cols[act], minlength=n_s).astype(np.float64)
    sums = np.bincount(m.cols[act], weights=m.vote[act].astype(np.float64), minlength=n_s)
    center = np.divide(sums, seen, out=np.zeros(n_s), where=seen > 0)
    data = np.where(act, m.vote.astype(np.float64) - center[m.cols], 0.0)
    reference = _pad(start, n_s)

    k = min(n_components, n_p, n_s)
    act_idx = np.flatnonzero(active)
    comps = np.zeros((n_components, n_s))
    eigvals = np.zeros(n_components)
    n_act = len(act_idx)
    if k > 0 and n_act > 0:
        if n_act <= 2 * k + 2 or (n_p * n_act <= _DENSE_CELLS and n_act <= _DENSE_STATEMENTS):
            pos = np.full(n_s, -1, dtype=np.int64)
            pos[act_idx] = np.arange(n_act)
            dense = np.zeros((n_p, n_act))
            dense[m.rows[act], pos[m.cols[act]]] = data[act]
            kk = min(k, n_act)
            # one BLAS thread: these are small problems, and a busy machine makes threaded
            # OpenBLAS spin (10x slower); it also keeps the result bit-for-bit repeatable
            with threadpool_limits(limits=1, user_api="blas"):
                scatter = dense.T @ dense
                del dense
                w, v = np.linalg.eigh(scatter)
            order = np.argsort(-w, kind="stable")[:kk]
            eigvals[:kk] = w[order]
            comps[:kk, act_idx] = v[:, order].T
        else:
            w, v = _iterative_eig(m, data, n_s, k, active, act_idx, reference)
            order = np.argsort(-w, kind="stable")
            eigvals[:k] = w[order]
            comps[:k] = v[:, order].T
            comps[:, ~active] = 0.0
        _orient(comps, reference)

    eigvals = np.maximum(eigvals, 0.0)
    n_votes = np.bincount(m.rows[act], minlength=n_p).astype(np.float64)
    n_votes += float(n_s - n_act)  # zeroed columns count as votes, as in Polis
    scale = np.sqrt(n_s / np.maximum(n_votes, 1.0))
    xy = np.empty((n_p, n_components))
    for i in range(n_components):
        xy[:, i] = np.bincount(m.rows, weights=data * comps[i, m.cols], minlength=n_p)
    xy *= scale[:, None]
    statement_xy = (np.sqrt(float(n_s)) * (1.0 - center))[:, None] * comps.T
    statement_xy[~active] = 0.0
    return PCAResult(
        center=center,
        components=comps,
        explained_variance=eigvals / max(n_p - 1, 1),
        participant_xy=xy,
        statement_xy=statement_xy,
        extremity=np.linalg.norm(statement_xy, axis=1),
    )
