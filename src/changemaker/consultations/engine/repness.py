"""Representative statements, consensus and group-informed consensus (Polis ``repness.clj``).

Per group g and statement c (pseudo-counts: probabilities are (n + 1) / (n + 2)):

* ``pa = (na + 1) / (ns + 2)``, ``pat`` = one-proportion test of na out of ns;
* ``ra = pa / p(agree | other groups)``, ``rat`` = two-proportion test against the other groups;
* the same for disagree (``pd``, ``pdt``, ``rd``, ``rdt``).

A statement represents a group when both tests pass z > 1.2816 (90 %, one-sided) for agree or
for disagree. Polis' ranking metric ``repness * repness-test * p-success * p-test`` orders them;
the best "agree" statement is put first, the top five kept, agrees before disagrees. A group with
no significant statement still gets its best one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .matrix import RatingMatrix

__all__ = [
    "Z_90",
    "ConsensusStatement",
    "DivisiveStatement",
    "GroupVotes",
    "RepresentativeStatement",
    "consensus_statements",
    "divisive_statements",
    "group_informed_consensus",
    "group_votes",
    "prop_test",
    "representative_statements",
    "two_prop_test",
]

Z_90 = 1.2816
Direction = Literal["agree", "disagree"]


def prop_test(succ: NDArray[np.float64], n: NDArray[np.float64]) -> NDArray[np.float64]:
    s, t = succ + 1.0, n + 1.0
    return np.asarray(2.0 * np.sqrt(t) * (s / t - 0.5), dtype=np.float64)


def two_prop_test(
    succ_in: NDArray[np.float64],
    succ_out: NDArray[np.float64],
    pop_in: NDArray[np.float64],
    pop_out: NDArray[np.float64],
) -> NDArray[np.float64]:
    s1, s2, n1, n2 = succ_in + 1.0, succ_out + 1.0, pop_in + 1.0, pop_out + 1.0
    pi1, pi2 = s1 / n1, s2 / n2
    pi_hat = (s1 + s2) / (n1 + n2)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / np.sqrt(pi_hat * (1.0 - pi_hat) * (1.0 / n1 + 1.0 / n2))
    return np.asarray(np.where(s1 + s2 == n1 + n2, 0.0, z), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class RepresentativeStatement:
    statement: int
    direction: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False

    @property
    def metric(self) -> float:
        return self.repness * self.repness_test * self.p_success * self.p_test


@dataclass(frozen=True, slots=True)
class ConsensusStatement:
    statement: int
    direction: Direction
    n_success: int
    n_trials: int
    p_success: float
    p_test: float


@dataclass(frozen=True, eq=False)
class GroupVotes:
    """Vote counts per group (rows) and statement (columns of the matrix)."""

    agree: NDArray[np.float64]
    disagree: NDArray[np.float64]
    seen: NDArray[np.float64]


def group_votes(m: RatingMatrix, row_group: NDArray[np.int64], n_groups: int) -> GroupVotes:
    """Counts per group; ``row_group``: group index of each matrix row, -1 when unclustered."""
    n_s = len(m.statements)
    g = row_group[m.rows]
    sel = g >= 0
    key = g[sel] * n_s + m.cols[sel]
    v = m.vote[sel]
    size = n_groups * n_s

    def count(mask: NDArray[np.bool_] | None) -> NDArray[np.float64]:
        k = key if mask is None else key[mask]
        return np.bincount(k, minlength=size).astype(np.float64).reshape(n_groups, n_s)

    return GroupVotes(count(v == 1), count(v == -1), count(None))


def _f32(x: float) -> float:
    # Polis stores repness-test as a Java float; compare and rank with the same precision.
    return float(np.float32(x))


def representative_statements(
    votes: GroupVotes,
    statement_ids: NDArray[np.int64],
    active: NDArray[np.bool_],
    *,
    pick_max: int = 5,
    z: float = Z_90,
) -> list[list[RepresentativeStatement]]:
    """Polis ``select-rep-comments`` for every group (statements in ascending id order)."""
    na, nd, ns = votes.agree, votes.disagree, votes.seen
    na_r, nd_r, ns_r = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (na + 1) / (ns + 2), (nd + 1) / (ns + 2)
    pat, pdt = prop_test(na, ns), prop_test(nd, ns)
    ra = pa / ((na_r + 1) / (ns_r + 2))
    rd = pd / ((nd_r + 1) / (ns_r + 2))
    rat, rdt = two_prop_test(na, na_r, ns, ns_r), two_prop_test(nd, nd_r, ns, ns_r)

    def finalize(g: int, c: int, best_agree: bool = False) -> RepresentativeStatement:
        agree = bool(rat[g, c] > rdt[g, c])
        return RepresentativeStatement(
            statement=int(statement_ids[c]),
            direction="agree" if agree else "disagree",
            n_success=int(na[g, c] if agree else nd[g, c]),
            n_trials=int(ns[g, c]),
            p_success=float(pa[g, c] if agree else pd[g, c]),
            p_test=float(pat[g, c] if agree else pdt[g, c]),
            repness=float(ra[g, c] if agree else rd[g, c]),
            repness_test=_f32(rat[g, c] if agree else rdt[g, c]),
            best_agree=best_agree,
        )

    cols = [int(c) for c in np.argsort(statement_ids, kind="stable") if active[c]]
    out: list[list[RepresentativeStatement]] = []
    for g in range(na.shape[0]):
        passes = ((rat[g] > z) & (pat[g] > z)) | ((rdt[g] > z) & (pdt[g] > z))
        sufficient: list[RepresentativeStatement] = []
        best: RepresentativeStatement | None = None
        best_agree: int | None = None
        for c in cols:
            if passes[c]:
                sufficient.append(finalize(g, c))
            if not sufficient and (best is None or max(rat[g, c], rdt[g, c]) > best.repness_test):
                best = finalize(g, c)
            if _beats_best_agree(g, c, best_agree, na, nd, ra, rat, pa, pat, z):
                best_agree = c
        head: list[RepresentativeStatement] = []
        if best_agree is not None:
            head = [finalize(g, best_agree, best_agree=True)]
        elif best is not None:
            head = [best]
        if not sufficient:
            out.append(head)
            continue
        ba_id = head[0].statement if best_agree is not None else None
        rest = sorted((s for s in sufficient if s.statement != ba_id), key=lambda s: -s.metric)
        chosen = ((head if best_agree is not None else []) + rest)[:pick_max]
        out.append(
            [s for s in chosen if s.direction == "agree"]
            + [s for s in chosen if s.direction == "disagree"]
        )
    return out


def _beats_best_agree(
    g: int,
    c: int,
    best: int | None,
    na: NDArray[np.float64],
    nd: NDArray[np.float64],
    ra: NDArray[np.float64],
    rat: NDArray[np.float64],
    pa: NDArray[np.float64],
    pat: NDArray[np.float64],
    z: float,
) -> bool:
    if na[g, c] == 0 and nd[g, c] == 0:
        return False
    if best is not None and ra[g, best] > 1.0:
        return bool(
            ra[g, c] * rat[g, c] * pa[g, c] * pat[g, c]
            > ra[g, best] * rat[g, best] * pa[g, best] * pat[g, best]
        )
    if best is not None:
        return bool(pa[g, c] * pat[g, c] > pa[g, best] * pat[g, best])
    return bool(pat[g, c] > z or (ra[g, c] > 1.0 and pa[g, c] > 0.5))


def consensus_statements(
    m: RatingMatrix,
    active: NDArray[np.bool_],
    *,
    pick_max: int = 5,
    z: float = Z_90,
) -> dict[Direction, list[ConsensusStatement]]:
    """Polis ``select-consensus-comments`` over every participant's votes."""
    na, nd, ns = m.column_counts()
    result: dict[Direction, list[ConsensusStatement]] = {}
    order = [int(c) for c in np.argsort(m.statements, kind="stable") if active[c]]
    for direction, n in (("agree", na), ("disagree", nd)):
        p = (n + 1) / (ns + 2)
        t = prop_test(n, ns)
        cands = [c for c in order if p[c] > 0.5 and t[c] > z]
        cands.sort(key=lambda c: -(p[c] * t[c]))
        result[direction] = [  # type: ignore[index]
            ConsensusStatement(
                statement=int(m.statements[c]),
                direction=direction,  # type: ignore[arg-type]
                n_success=int(n[c]),
                n_trials=int(ns[c]),
                p_success=float(p[c]),
                p_test=float(t[c]),
            )
            for c in cands[:pick_max]
        ]
    return result


def group_informed_consensus(votes: GroupVotes) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Product over groups of P(agree | group) (Polis) and of P(disagree | group), per statement."""
    agree = np.prod((votes.agree + 1.0) / (votes.seen + 2.0), axis=0)
    disagree = np.prod((votes.disagree + 1.0) / (votes.seen + 2.0), axis=0)
    return agree, disagree


@dataclass(frozen=True, slots=True)
class DivisiveStatement:
    statement: int
    spread: float
    """Highest minus lowest P(agree | group) = (A + 1) / (S + 2) across groups."""
    p_agree: tuple[float, ...]
    """P(agree | group) for each group, in group order."""


def divisive_statements(
    votes: GroupVotes,
    statement_ids: NDArray[np.int64],
    active: NDArray[np.bool_],
    *,
    pick_max: int = 5,
    min_seen: int = 3,
) -> list[DivisiveStatement]:
    """Statements on which the groups disagree most (not Polis math: a report helper).

    Ranked by the spread of the groups' agreement probabilities; only statements seen by at
    least ``min_seen`` participants in every group, ties broken by statement id.
    """
    if votes.agree.shape[0] < 2:
        return []
    p = (votes.agree + 1.0) / (votes.seen + 2.0)
    spread = p.max(axis=0) - p.min(axis=0)
    ok = active & (votes.seen.min(axis=0) >= min_seen)
    order = sorted(np.flatnonzero(ok).tolist(), key=lambda c: (-spread[c], int(statement_ids[c])))
    return [
        DivisiveStatement(
            statement=int(statement_ids[c]),
            spread=float(spread[c]),
            p_agree=tuple(float(x) for x in p[:, c]),
        )
        for c in order[:pick_max]
    ]
