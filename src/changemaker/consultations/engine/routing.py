"""Which statement to show a participant next (Polis ``comment-priorities``).

``priority = (importance * (1 + 8 * 2 ** (-S / 5))) ** 2`` with
``importance = (1 - (P + 1) / (S + 2)) * (E + 1) * (A + 1) / (S + 2)``, where A, D, P, S are the
agree, disagree, pass and seen counts of the clustered participants and E the statement's
extremity in the opinion map; meta statements get the fixed priority 7 ** 2. New statements
(few votes) bubble up; statements everyone passes on sink. The next statement is drawn at random
with probability proportional to its priority, as Polis does; a seed makes the draw repeatable.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

import numpy as np
from numpy.typing import NDArray

__all__ = ["META_PRIORITY", "NEW_STATEMENT_PRIORITY", "next_statement", "priority_metric"]

META_PRIORITY = 7.0


def priority_metric(
    agree: NDArray[np.float64],
    disagree: NDArray[np.float64],
    seen: NDArray[np.float64],
    extremity: NDArray[np.float64],
    is_meta: NDArray[np.bool_],
) -> NDArray[np.float64]:
    passes = seen - agree - disagree
    p = (passes + 1.0) / (seen + 2.0)
    a = (agree + 1.0) / (seen + 2.0)
    importance = (1.0 - p) * (extremity + 1.0) * a
    raw = importance * (1.0 + 8.0 * np.power(2.0, -seen / 5.0))
    return np.asarray(np.where(is_meta, META_PRIORITY, raw) ** 2, dtype=np.float64)


NEW_STATEMENT_PRIORITY = float(
    priority_metric(np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1, bool))[0]
)
"""Priority of a statement nobody has voted on yet (no votes, at the centre of the map)."""


def next_statement(
    priorities: Mapping[int, float],
    already_voted: Collection[int],
    rng: np.random.Generator | int | None = None,
) -> int | None:
    """Draw the next statement among those not voted yet, weighted by priority.

    ``priorities`` should only hold statements that may be shown (moderation applied by the
    caller). Returns None when nothing is left. Deterministic for a given integer seed.
    """
    voted = set(already_voted)
    ids = sorted(s for s in priorities if s not in voted)
    if not ids:
        return None
    w = np.array([max(float(priorities[s]), 0.0) for s in ids])
    gen = rng if isinstance(rng, np.random.Generator) else np.random.default_rng(rng)
    if not np.isfinite(w).all() or w.sum() <= 0:
        return ids[int(gen.integers(len(ids)))]
    return ids[int(gen.choice(len(ids), p=w / w.sum()))]
