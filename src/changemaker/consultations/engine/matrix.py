"""The participant x statement rating matrix, stored sparsely.

Polis keeps the *latest* vote of each participant on each statement. The matrix here holds
exactly those cells, sorted by (participant, statement), with participant and statement labels
sorted ascending. A warm :meth:`RatingMatrix.merged` folds new events in without re-sorting the
whole log.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .votes import VoteLog

__all__ = ["RatingMatrix", "latest_votes"]


def _last_per_key(keys: NDArray[np.int64], stamps: NDArray[np.int64]) -> NDArray[np.int64]:
    """Indices of the latest event per key (by timestamp, then position), sorted by key."""
    n = len(keys)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    if n > 1 and not bool(np.all(stamps[1:] >= stamps[:-1])):
        order = np.lexsort((np.arange(n), stamps, keys)).astype(np.int64)
        k = keys[order]
    elif int(keys.max()) < (2**62) // n:
        # events already in time order: one unstable sort of (key, position) pairs
        packed = np.sort(keys * n + np.arange(n, dtype=np.int64))
        k = packed // n
        order = packed - k * n
    else:
        order = np.argsort(keys, kind="stable").astype(np.int64)
        k = keys[order]
    last = np.ones(n, dtype=bool)
    last[:-1] = k[1:] != k[:-1]
    return order[last]


def _labels(ids: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """(sorted distinct ids, index of each id among them), without sorting when ids are dense."""
    if len(ids) and int(ids.min()) >= 0 and int(ids.max()) < 4 * len(ids) + 1024:
        present = np.zeros(int(ids.max()) + 1, dtype=bool)
        present[ids] = True
        index = np.cumsum(present) - 1
        return np.flatnonzero(present).astype(np.int64), index[ids].astype(np.int64)
    labels, inverse = np.unique(ids, return_inverse=True)
    return labels.astype(np.int64), inverse.reshape(-1).astype(np.int64)


def latest_votes(log: VoteLog) -> VoteLog:
    """The latest vote per (participant, statement), sorted by participant then statement."""
    m = RatingMatrix.from_log(log)
    return VoteLog(
        m.participants[m.rows],
        m.statements[m.cols],
        m.vote.copy(),
        m.timestamp.copy(),
    )


@dataclass(frozen=True, eq=False)
class RatingMatrix:
    """Latest votes as sorted sparse cells.

    ``rows``/``cols`` index ``participants``/``statements`` (both ascending ids); cells are
    sorted by (row, col) and unique. ``vote`` uses the export sign (+1 agree).
    """

    participants: NDArray[np.int64]
    statements: NDArray[np.int64]
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    vote: NDArray[np.int8]
    timestamp: NDArray[np.int64]

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.participants), len(self.statements)

    @property
    def nnz(self) -> int:
        return len(self.rows)

    @classmethod
    def from_log(cls, log: VoteLog) -> RatingMatrix:
        participants, prow = _labels(log.participant)
        statements, scol = _labels(log.statement)
        n_s = max(len(statements), 1)
        keys = prow * n_s + scol
        idx = _last_per_key(keys, log.timestamp)
        k = keys[idx]
        rows = k // n_s
        return cls(
            participants, statements, rows, k - rows * n_s, log.vote[idx], log.timestamp[idx]
        )

    def merged(self, log: VoteLog) -> RatingMatrix:
        """A new matrix with the events of ``log`` applied on top (a later vote wins)."""
        if len(log) == 0:
            return self
        new = RatingMatrix.from_log(log)
        if self.nnz == 0:
            return new
        participants = np.union1d(self.participants, new.participants)
        statements = np.union1d(self.statements, new.statements)
        n_s = max(len(statements), 1)
        rows = np.searchsorted(participants, self.participants)[self.rows]
        cols = np.searchsorted(statements, self.statements)[self.cols]
        keys = rows * n_s + cols
        nrows = np.searchsorted(participants, new.participants)[new.rows]
        ncols = np.searchsorted(statements, new.statements)[new.cols]
        nkeys = nrows * n_s + ncols  # sorted, unique
        pos = np.searchsorted(keys, nkeys)
        hit = np.zeros(len(nkeys), dtype=bool)
        inside = pos < len(keys)
        hit[inside] = keys[pos[inside]] == nkeys[inside]
        vote = self.vote.copy()
        stamp = self.timestamp.copy()
        upd = hit & (new.timestamp >= stamp[np.minimum(pos, max(len(stamp) - 1, 0))])
        vote[pos[upd]] = new.vote[upd]
        stamp[pos[upd]] = new.timestamp[upd]
        ins = ~hit
        return RatingMatrix(
            participants,
            statements,
            np.insert(rows, pos[ins], nrows[ins]),
            np.insert(cols, pos[ins], ncols[ins]),
            np.insert(vote, pos[ins], new.vote[ins]),
            np.insert(stamp, pos[ins], new.timestamp[ins]),
        )

    def same_cells(self, other: RatingMatrix) -> bool:
        """True when both hold the same latest votes (timestamps ignored)."""
        return (
            np.array_equal(self.participants, other.participants)
            and np.array_equal(self.statements, other.statements)
            and np.array_equal(self.rows, other.rows)
            and np.array_equal(self.cols, other.cols)
            and np.array_equal(self.vote, other.vote)
        )

    def indptr(self) -> NDArray[np.int64]:
        counts = np.bincount(self.rows, minlength=len(self.participants))
        out = np.zeros(len(self.participants) + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        return out

    def votes_per_participant(self) -> NDArray[np.int64]:
        return np.bincount(self.rows, minlength=len(self.participants)).astype(np.int64)

    def column_counts(
        self, row_weight: NDArray[np.float64] | None = None
    ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """(agree, disagree, seen) per statement, optionally weighting rows (e.g. a group mask)."""
        n_s = len(self.statements)
        w = None if row_weight is None else row_weight[self.rows]
        agree = np.bincount(self.cols, weights=_mul(w, self.vote == 1), minlength=n_s)
        disagree = np.bincount(self.cols, weights=_mul(w, self.vote == -1), minlength=n_s)
        seen = np.bincount(self.cols, weights=w, minlength=n_s)
        return agree.astype(np.float64), disagree.astype(np.float64), seen.astype(np.float64)


def _mul(w: NDArray[np.float64] | None, mask: NDArray[np.bool_]) -> NDArray[np.float64]:
    m = mask.astype(np.float64)
    return m if w is None else m * w
