"""The opinion map: the Polis pipeline behind a scikit-learn style estimator.

>>> from changemaker.consultations.engine import OpinionMap, load_conversation
>>> conv = load_conversation("path/to/export")          # doctest: +SKIP
>>> om = OpinionMap().fit(conv.votes, conv.statements)  # doctest: +SKIP
>>> om.result_.participant_group                         # doctest: +SKIP
>>> om.update(new_votes)                                 # warm: previous components and centres

Parameters live in the constructor (Polis defaults); ``fit`` is a cold run, ``update`` a warm
one that starts the eigensolver from the previous components, the base k-means from the previous
base clusters and the group k-means from the previous groups, and applies Polis' k smoother
(a new number of groups is adopted after it wins ``group_k_buffer`` updates in a row). An update
that changes no latest vote and no moderation returns the previous map unchanged.

Checked against Polis' own output (``math-pca2.json`` of a real conversation, see the tests):
the components, statement projections and extremities, the consensus statements, the
representative statements of each group given Polis' groups, the group-aware consensus and the
comment priorities match to rounding; the group step reproduces Polis' groups exactly from
Polis' base clusters. Where this engine knowingly differs from a Polis server:

* the eigenvectors are exact (Polis: 100 power iterations, warm-started over the history);
* k-means stops at the same tolerance as Polis (centres moved < 0.01) *or* when the assignment
  no longer changes;
* a cold run cannot replay a Polis server's history (base clusters grown over months, the k
  smoother, participants kept "in the conversation" from earlier rules), so it averages the
  silhouette of each k over ``n_restarts`` base clusterings in fixed orders (``n_restarts=1``:
  a plain Polis cold start, participants in id order); the groups reported are those of the
  first order. On the open-data conversations this picks Polis' number of groups every time,
  a single cold start does not;
* ``divisive`` (groups' agreement spread) is a report helper, not part of Polis' math.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Self

import numpy as np
from numpy.typing import NDArray

from .clustering import Clustering, TwoLevel, two_level
from .errors import OpinionEngineError, VoteError
from .matrix import RatingMatrix
from .pca import PCAResult, fit_pca
from .repness import (
    Z_90,
    ConsensusStatement,
    Direction,
    DivisiveStatement,
    RepresentativeStatement,
    consensus_statements,
    divisive_statements,
    group_informed_consensus,
    group_votes,
    representative_statements,
)
from .result import Group, OpinionMapResult
from .routing import META_PRIORITY, NEW_STATEMENT_PRIORITY, next_statement, priority_metric
from .votes import Statement, VoteLog

__all__ = ["Group", "OpinionMap", "OpinionMapResult"]

_STATE_VERSION = 1


@dataclass
class _State:
    matrix: RatingMatrix
    statements: dict[int, Statement]
    pca_components: NDArray[np.float64] | None = None
    pca_statements: NDArray[np.int64] | None = None
    in_conv: frozenset[int] = frozenset()
    base: Clustering | None = None
    base_pids: NDArray[np.int64] | None = None
    group_prev: dict[int, tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64]]] = field(
        default_factory=dict
    )
    """per k: (group ids, base ids, group id of each of those base clusters)"""
    k_smoother: tuple[int, int, int] | None = None
    """(last k, times seen in a row, smoothed k)"""


class OpinionMap:
    """Polis opinion map. Deterministic for a given input.

    Parameters (Polis defaults): ``base_k`` base clusters; ``max_k`` most groups; ``min_votes``
    votes needed to be clustered (or all statements if fewer); ``greedy_n`` most active
    participants always clustered; iteration caps; ``pick_max`` statements per list;
    ``z`` significance threshold (90 % one-sided); ``group_k_buffer`` updates a new k must win
    in a row before a warm update adopts it; a cold run averages the silhouette of each k over
    ``n_restarts`` base clusterings (fixed participant orders, the first being ascending ids),
    fewer when ``restarts x clustered participants`` would exceed ``restart_budget``
    (``n_restarts=1`` is a plain Polis cold run).
    """

    def __init__(
        self,
        *,
        n_components: int = 2,
        base_k: int = 100,
        max_k: int = 5,
        min_votes: int = 7,
        greedy_n: int = 15,
        base_iters: int = 100,
        group_iters: int = 20,
        pick_max: int = 5,
        z: float = Z_90,
        group_k_buffer: int = 4,
        n_restarts: int = 8,
        restart_budget: int = 100_000,
    ) -> None:
        self.n_components = n_components
        self.base_k = base_k
        self.max_k = max_k
        self.min_votes = min_votes
        self.greedy_n = greedy_n
        self.base_iters = base_iters
        self.group_iters = group_iters
        self.pick_max = pick_max
        self.z = z
        self.group_k_buffer = group_k_buffer
        self.n_restarts = n_restarts
        self.restart_budget = restart_budget
        self._state: _State | None = None
        self.result_: OpinionMapResult | None = None

    def get_params(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "n_components",
                "base_k",
                "max_k",
                "min_votes",
                "greedy_n",
                "base_iters",
                "group_iters",
                "pick_max",
                "z",
                "group_k_buffer",
                "n_restarts",
                "restart_budget",
            )
        }

    # ---------------------------------------------------------------------------------------
    def fit(self, votes: VoteLog, statements: Iterable[Statement] = ()) -> Self:
        """Cold run on a vote event log (latest vote per participant and statement counts)."""
        stmts = {s.id: s for s in statements}
        _check_known(votes, stmts)
        self._state = _State(RatingMatrix.from_log(votes), stmts)
        self.result_ = self._compute(self._state, warm=False)
        return self

    def update(self, new_votes: VoteLog, statements: Iterable[Statement] | None = None) -> Self:
        """Warm run after new vote events (and optionally changed moderation)."""
        if self._state is None:
            return self.fit(new_votes, statements or ())
        state = self._state
        old_mod = {s.id for s in state.statements.values() if s.moderated_out}
        old_meta = {s.id for s in state.statements.values() if s.is_meta}
        if statements is not None:
            state.statements = {s.id: s for s in statements}
        _check_known(new_votes, state.statements)
        merged = state.matrix.merged(new_votes)
        unchanged = (
            merged.same_cells(state.matrix)
            and old_mod == {s.id for s in state.statements.values() if s.moderated_out}
            and old_meta == {s.id for s in state.statements.values() if s.is_meta}
            and self.result_ is not None
        )
        state.matrix = merged
        if unchanged and state.k_smoother is not None:
            # same data: the previous centres and components are the answer; only Polis'
            # k smoother moves on (it counts this update as one more win for the same k).
            last_k, count, smoothed = state.k_smoother
            state.k_smoother = (last_k, count + 1, smoothed)
            return self
        self.result_ = self._compute(state, warm=True)
        return self

    def next_statement(
        self,
        participant: int,
        *,
        seed: int | np.random.Generator | None = None,
        strict_moderation: bool = False,
    ) -> int | None:
        """Routing: draw the next statement for ``participant`` by Polis priority.

        Skips statements the participant has voted on and rejected ones (meta statements are
        shown, as in Polis); with ``strict_moderation`` only accepted statements are shown.
        Returns None when nothing is left.
        """
        if self._state is None or self.result_ is None:
            raise AttributeError("OpinionMap is not fitted yet")
        st = self._state
        m = st.matrix
        voted: set[int] = set()
        i = int(np.searchsorted(m.participants, participant))
        if i < len(m.participants) and m.participants[i] == participant:
            lo, hi = np.searchsorted(m.rows, [i, i + 1])
            voted = set(m.statements[m.cols[lo:hi]].tolist())
        shown = {
            sid: p
            for sid, p in self.result_.priorities.items()
            if (s := st.statements.get(sid)) is None
            or (s.moderated != -1 and (s.moderated == 1 or s.is_meta or not strict_moderation))
        }
        return next_statement(shown, voted, seed)

    # ---------------------------------------------------------------------------------------
    # warm state across processes (e.g. a background task that recomputes the map)

    def warm_state(self) -> dict[str, Any]:
        """What a later warm run needs (JSON-serialisable): components, clustered participants,
        base clusters, groups per k and the k smoother. Votes are not included."""
        st = self._state
        if st is None or st.base is None or st.base_pids is None:
            raise AttributeError("OpinionMap is not fitted yet")
        assert st.pca_components is not None and st.pca_statements is not None
        return {
            "version": _STATE_VERSION,
            "pca": {
                "statements": st.pca_statements.tolist(),
                "components": st.pca_components.tolist(),
            },
            "in_conv": sorted(st.in_conv),
            "base": {
                "ids": st.base.ids.tolist(),
                "centers": st.base.centers.tolist(),
                "participants": st.base_pids.tolist(),
                "cluster": st.base.member_labels().tolist(),
            },
            "groups": {
                str(k): {"ids": g.tolist(), "base_ids": b.tolist(), "group": lab.tolist()}
                for k, (g, b, lab) in sorted(st.group_prev.items())
            },
            "k_smoother": list(st.k_smoother) if st.k_smoother else None,
        }

    def resume(
        self, state: dict[str, Any], votes: VoteLog, statements: Iterable[Statement] = ()
    ) -> Self:
        """Warm run on the whole vote log, starting from ``warm_state()`` of an earlier run."""
        stmts = {s.id: s for s in statements}
        _check_known(votes, stmts)
        st = _State(RatingMatrix.from_log(votes), stmts)
        try:
            if state.get("version") != _STATE_VERSION:
                raise ValueError("unknown version")
            comps = np.asarray(state["pca"]["components"], dtype=np.float64)
            st.pca_statements = np.asarray(state["pca"]["statements"], dtype=np.int64)
            if comps.ndim != 2 or comps.shape[1] != len(st.pca_statements):
                raise ValueError("components do not match statements")
            if not np.all(np.diff(st.pca_statements) > 0):
                raise ValueError("statements must be ascending")
            st.pca_components = comps
            st.in_conv = frozenset(int(p) for p in state["in_conv"])
            base = state["base"]
            ids = np.asarray(base["ids"], dtype=np.int64)
            centers = np.asarray(base["centers"], dtype=np.float64).reshape(len(ids), 2)
            pids = np.asarray(base["participants"], dtype=np.int64)
            cluster = np.asarray(base["cluster"], dtype=np.int64)
            if len(pids) != len(cluster) or not np.all(np.diff(ids) > 0):
                raise ValueError("inconsistent base clusters")
            if not np.all(np.diff(pids) > 0) or not np.all(np.isin(cluster, ids)):
                raise ValueError("inconsistent base cluster members")
            st.base = Clustering(ids, centers, np.searchsorted(ids, cluster).astype(np.int64))
            st.base_pids = pids
            st.group_prev = {}
            for k, g in state["groups"].items():
                group_ids = np.asarray(g["ids"], dtype=np.int64)
                base_ids = np.asarray(g["base_ids"], dtype=np.int64)
                group_of = np.asarray(g["group"], dtype=np.int64)
                if len(base_ids) != len(group_of):
                    raise ValueError("inconsistent groups")
                st.group_prev[int(k)] = (group_ids, base_ids, group_of)
            ks = state.get("k_smoother")
            st.k_smoother = (int(ks[0]), int(ks[1]), int(ks[2])) if ks else None
        except (KeyError, TypeError, ValueError, IndexError) as exc:
            raise OpinionEngineError(f"invalid warm state: {exc}") from exc
        self._state = st
        self.result_ = self._compute(st, warm=True)
        return self

    @property
    def matrix_(self) -> RatingMatrix:
        if self._state is None:
            raise AttributeError("OpinionMap is not fitted yet")
        return self._state.matrix

    # ---------------------------------------------------------------------------------------
    def _compute(self, st: _State, *, warm: bool) -> OpinionMapResult:
        """The Polis steps: the matrix's statements, PCA, who is clustered, the two-level
        clustering (with the k smoother), then the statements' lists and priorities."""
        m = st.matrix
        sids = m.statements
        mod_out = frozenset(s.id for s in st.statements.values() if s.moderated_out)
        active = np.array([int(s) not in mod_out for s in sids], dtype=bool)
        pca = self._pca(st, active, warm=warm)
        in_conv, in_rows = self._in_conversation(st, warm=warm)
        in_pids = m.participants[in_rows]  # ascending ids
        points = (
            pca.participant_xy[in_rows, :2]
            if pca.participant_xy.shape[1] >= 2
            else np.zeros((len(in_rows), 2))
        )
        tl = self._cluster(st, points, in_pids, warm=warm)
        k = self._smooth_k(st, tl, warm=warm)
        groups_c = tl.clusterings[k]
        # group of each matrix row (-1: not clustered)
        row_group = np.full(m.shape[0], -1, dtype=np.int64)
        if len(in_rows):
            row_group[in_rows] = groups_c.labels[tl.base.labels]
        lists = self._statement_lists(st, pca, row_group, groups_c.k, active)

        # remember the warm-start state
        st.pca_components, st.pca_statements = pca.components.copy(), sids.copy()
        st.in_conv = frozenset(in_conv)
        st.base, st.base_pids = tl.base, in_pids
        st.group_prev = {
            kk: (c.ids, tl.base.ids, c.member_labels()) for kk, c in tl.clusterings.items()
        }
        return _result(
            st,
            pca,
            row_group,
            tl,
            groups=_groups(tl, groups_c, in_pids, lists.representative),
            lists=lists,
            in_conv=frozenset(in_conv),
            chosen_k=k,
            moderated_out=mod_out,
        )

    def _pca(self, st: _State, active: NDArray[np.bool_], *, warm: bool) -> PCAResult:
        """PCA of the matrix, warm-started from the previous components."""
        m = st.matrix
        start = None
        if warm and st.pca_components is not None and st.pca_statements is not None:
            start = np.zeros((st.pca_components.shape[0], m.shape[1]))
            pos = np.searchsorted(m.statements, st.pca_statements)
            start[:, pos] = st.pca_components
        return fit_pca(m, active, self.n_components, start=start)

    def _in_conversation(self, st: _State, *, warm: bool) -> tuple[set[int], NDArray[np.int64]]:
        """Participants in the conversation (once in, stay in), topped up to the most active;
        and their rows of the matrix."""
        m = st.matrix
        counts = m.votes_per_participant()
        threshold = min(self.min_votes, m.shape[1])
        in_conv = set(st.in_conv) if warm else set()
        in_conv.update(m.participants[counts >= threshold].tolist())
        if len(in_conv) < self.greedy_n:
            order = np.lexsort((m.participants, -counts))
            for i in order.tolist():
                if len(in_conv) >= self.greedy_n:
                    break
                in_conv.add(int(m.participants[i]))
        in_rows = np.flatnonzero(
            np.isin(m.participants, np.fromiter(in_conv, np.int64, len(in_conv)))
        )
        return in_conv, in_rows

    def _cluster(
        self, st: _State, points: NDArray[np.float64], in_pids: NDArray[np.int64], *, warm: bool
    ) -> TwoLevel:
        """Base clusters, then groups for each k, warm-started from the previous ones."""
        prev_base = None
        if warm and st.base is not None and st.base_pids is not None and len(st.base_pids):
            lab = np.full(len(in_pids), -1, dtype=np.int64)
            pos = np.searchsorted(st.base_pids, in_pids)
            pos_c = np.minimum(pos, len(st.base_pids) - 1)
            found = (pos < len(st.base_pids)) & (st.base_pids[pos_c] == in_pids)
            lab[found] = st.base.member_labels()[pos_c[found]]
            prev_base = (st.base.ids, lab)
        prev_groups = dict(st.group_prev) if warm and st.group_prev else None
        restarts = (
            1 if warm else max(1, min(self.n_restarts, self.restart_budget // max(len(in_pids), 1)))
        )
        return two_level(
            points,
            base_k=self.base_k,
            max_k=self.max_k,
            base_iters=self.base_iters,
            group_iters=self.group_iters,
            restarts=restarts,
            previous_base=prev_base,
            previous_groups=prev_groups,
        )

    def _smooth_k(self, st: _State, tl: TwoLevel, *, warm: bool) -> int:
        """Polis' k smoother: a warm update adopts a new number of groups only after it wins
        ``group_k_buffer`` times in a row."""
        this_k = tl.chosen_k
        k = this_k
        if warm and st.k_smoother is not None:
            last_k, last_count, smoothed = st.k_smoother
            count = last_count + 1 if this_k == last_k else 1
            k = this_k if count >= self.group_k_buffer else smoothed
            if k not in tl.clusterings:
                k = this_k
            st.k_smoother = (this_k, count, k)
        else:
            st.k_smoother = (this_k, 1, this_k)
        return k

    def _statement_lists(
        self,
        st: _State,
        pca: PCAResult,
        row_group: NDArray[np.int64],
        n_groups: int,
        active: NDArray[np.bool_],
    ) -> _Lists:
        """Representativeness, consensus, group-informed consensus, divisive statements and
        routing priorities."""
        m = st.matrix
        sids = m.statements
        meta = np.array(
            [st.statements[int(s)].is_meta if int(s) in st.statements else False for s in sids],
            dtype=bool,
        )
        gv = group_votes(m, row_group, n_groups)
        prio = priority_metric(
            gv.agree.sum(0), gv.disagree.sum(0), gv.seen.sum(0), pca.extremity, meta
        )
        priorities = {int(s): float(p) for s, p in zip(sids, prio, strict=True)}
        for s in st.statements.values():
            if s.id not in priorities:
                priorities[s.id] = _unvoted_priority(s)
        gac_a, gac_d = group_informed_consensus(gv)
        return _Lists(
            representative=representative_statements(
                gv, sids, active, pick_max=self.pick_max, z=self.z
            ),
            consensus=consensus_statements(m, active, pick_max=self.pick_max, z=self.z),
            group_informed_consensus={
                "agree": {int(s): float(v) for s, v in zip(sids, gac_a, strict=True)},
                "disagree": {int(s): float(v) for s, v in zip(sids, gac_d, strict=True)},
            },
            divisive=tuple(divisive_statements(gv, sids, active, pick_max=self.pick_max)),
            priorities=dict(sorted(priorities.items())),
        )


@dataclass(frozen=True)
class _Lists:
    """The statement lists of one map."""

    representative: list[list[RepresentativeStatement]]
    consensus: dict[Direction, list[ConsensusStatement]]
    group_informed_consensus: dict[Direction, dict[int, float]]
    divisive: tuple[DivisiveStatement, ...]
    priorities: dict[int, float]


def _groups(
    tl: TwoLevel,
    groups_c: Clustering,
    in_pids: NDArray[np.int64],
    representative: list[list[RepresentativeStatement]],
) -> list[Group]:
    """Each group's members, weighted centre and representative statements."""
    base = tl.base
    groups: list[Group] = []
    for g in range(groups_c.k):
        members = in_pids[groups_c.labels[base.labels] == g]
        w = tl.base_weights[groups_c.labels == g]
        c = base.centers[groups_c.labels == g]
        center = (w @ c) / w.sum() if w.sum() > 0 else np.zeros(2)
        groups.append(
            Group(
                id=g,
                size=len(members),
                center=(float(center[0]), float(center[1])),
                members=tuple(int(p) for p in members),
                representative=tuple(representative[g]),
            )
        )
    return groups


def _result(
    st: _State,
    pca: PCAResult,
    row_group: NDArray[np.int64],
    tl: TwoLevel,
    *,
    groups: list[Group],
    lists: _Lists,
    in_conv: frozenset[int],
    chosen_k: int,
    moderated_out: frozenset[int],
) -> OpinionMapResult:
    m = st.matrix
    sids = m.statements
    pids = m.participants.tolist()
    xy = pca.participant_xy
    return OpinionMapResult(
        participant_group={
            p: (int(row_group[i]) if row_group[i] >= 0 else None) for i, p in enumerate(pids)
        },
        participant_xy={p: (float(xy[i, 0]), float(xy[i, 1])) for i, p in enumerate(pids)},
        statement_xy={
            int(s): (float(pca.statement_xy[j, 0]), float(pca.statement_xy[j, 1]))
            for j, s in enumerate(sids)
        },
        groups=tuple(groups),
        consensus=lists.consensus,
        divisive=lists.divisive,
        group_informed_consensus=lists.group_informed_consensus,
        priorities=lists.priorities,
        in_conv=in_conv,
        n_base_clusters=tl.base.k,
        silhouettes=tl.silhouettes,
        chosen_k=chosen_k,
        pca=pca,
        statements=tuple(int(s) for s in sids),
        moderated_out=moderated_out,
    )


def _unvoted_priority(s: Statement) -> float:
    """Priority of a statement without votes yet."""
    return META_PRIORITY**2 if s.is_meta else NEW_STATEMENT_PRIORITY


def _check_known(votes: VoteLog, statements: dict[int, Statement]) -> None:
    if not statements or len(votes) == 0:
        return
    known = np.fromiter(statements, np.int64, len(statements))
    unknown = ~np.isin(votes.statement, known)
    if np.any(unknown):
        sid = int(votes.statement[np.flatnonzero(unknown)[0]])
        raise VoteError(f"vote on unknown statement {sid}")
