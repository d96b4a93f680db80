"""The engine's data: a statement and a vote event log (shared by the export reader and the
rating matrix, so that neither imports the other)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from .errors import VoteError

__all__ = ["Statement", "VoteLog"]


@dataclass(frozen=True, slots=True)
class Statement:
    """One statement (Polis "comment")."""

    id: int
    text: str = ""
    author_id: int | None = None
    moderated: int = 0
    is_meta: bool = False
    timestamp: int | None = None
    is_seed: bool = False
    datetime: str = ""

    @property
    def moderated_out(self) -> bool:
        """Zeroed in the maths: rejected by a moderator, or a meta statement (as in Polis)."""
        return self.moderated == -1 or self.is_meta


@dataclass(frozen=True, eq=False)
class VoteLog:
    """A vote event log as parallel arrays (export sign: +1 agree, -1 disagree, 0 pass).

    ``timestamp`` orders the events (ms since the epoch); equal timestamps keep array order.
    """

    participant: NDArray[np.int64]
    statement: NDArray[np.int64]
    vote: NDArray[np.int8]
    timestamp: NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def __post_init__(self) -> None:
        n = len(self.participant)
        if len(self.timestamp) == 0 and n:
            object.__setattr__(self, "timestamp", np.zeros(n, dtype=np.int64))
        for name in ("participant", "statement", "vote", "timestamp"):
            arr = getattr(self, name)
            if arr.ndim != 1 or len(arr) != n:
                raise VoteError(f"VoteLog.{name} must be a 1-D array of length {n}")
        if n:
            if np.any((self.vote < -1) | (self.vote > 1)):
                raise VoteError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
            if self.participant.min() < 0 or self.statement.min() < 0:
                raise VoteError("participant and statement ids must be non-negative")

    @classmethod
    def from_arrays(
        cls,
        participant: Sequence[int] | NDArray[np.integer],
        statement: Sequence[int] | NDArray[np.integer],
        vote: Sequence[int] | NDArray[np.integer],
        timestamp: Sequence[int] | NDArray[np.integer] | None = None,
    ) -> VoteLog:
        p = np.asarray(participant, dtype=np.int64).reshape(-1)
        s = np.asarray(statement, dtype=np.int64).reshape(-1)
        v_raw = np.asarray(vote, dtype=np.int64).reshape(-1)
        if len(v_raw) and (v_raw.min() < -1 or v_raw.max() > 1):
            raise VoteError("votes must be -1 (disagree), 0 (pass) or +1 (agree)")
        t = (
            np.zeros(len(p), dtype=np.int64)
            if timestamp is None
            else np.asarray(timestamp, dtype=np.int64).reshape(-1)
        )
        return cls(p, s, v_raw.astype(np.int8), t)

    @classmethod
    def from_records(
        cls, records: Iterable[tuple[int, int, int] | tuple[int, int, int, int]]
    ) -> VoteLog:
        """From ``(participant, statement, vote[, timestamp])`` tuples."""
        rows = list(records)
        p = [r[0] for r in rows]
        s = [r[1] for r in rows]
        v = [r[2] for r in rows]
        t = [r[3] if len(r) > 3 else 0 for r in rows]
        return cls.from_arrays(p, s, v, t)

    @classmethod
    def empty(cls) -> VoteLog:
        return cls.from_arrays([], [], [])

    def __len__(self) -> int:
        return len(self.participant)

    def concat(self, other: VoteLog) -> VoteLog:
        return VoteLog(
            np.concatenate([self.participant, other.participant]),
            np.concatenate([self.statement, other.statement]),
            np.concatenate([self.vote, other.vote]),
            np.concatenate([self.timestamp, other.timestamp]),
        )
