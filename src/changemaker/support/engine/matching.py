"""Optimal volunteer matching as a min-cost flow (OR-Tools ``SimpleMinCostFlow``).

The network::

    request r --(cap 1, cost round(d(r, v) / unit))--> volunteer v --(cap capacity)--> sink
    request r --(cap 1, cost weight(r) * BIG)--------------------------------------> sink

Every request supplies one unit; the sink absorbs them all. A flow's cost is
``BIG * (weight left unmatched) + (total matched distance in units)``.

Why this is the lexicographic objective, exactly: ``BIG`` is one more than
``sum over requests of the largest rounded distance to any eligible volunteer``,
an upper bound on the rounded total distance of *any* matching. Two matchings
with different matched weight therefore differ in cost by at least ``BIG`` from
the weight term, which no difference in distance can cancel, so the minimum-cost
flow maximises matched weight first and, among those, minimises the total of the
rounded distances. Costs are integers, so OR-Tools solves this exactly.

Distances are rounded to ``unit`` metres (1 mm by default). The chosen matching
is therefore optimal for the rounded distances and, for the true distances,
within ``matched * unit`` of the optimum (each pair is off by at most
``unit / 2``; see :class:`~.model.Objective`). When ``BIG`` would be too large
for OR-Tools' int64 cost scaling, the unit is coarsened by factors of ten and
the resolution actually used is reported in the result.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from ortools.graph.python import min_cost_flow

from .candidates import Candidates, Encoded, candidate_pairs, encode
from .explain import explain_unmatched
from .model import (
    DEFAULT_WEIGHTS,
    Assignment,
    MatchResult,
    Objective,
    Request,
    Unmatched,
    Urgency,
    Volunteer,
)

IntArray = npt.NDArray[np.int64]

# OR-Tools refuses (BAD_COST_RANGE) when (max |cost| + 1) * (nodes + 1) overflows int64.
# Stay two bits below that.
_COST_BUDGET = 2**61
MAX_WEIGHT = 1_000_000


class MatchingError(RuntimeError):
    """The solver did not return an optimal flow (should not happen on valid input)."""


class Matcher:
    """Optimal matcher for the issue's model.

    ``weights`` maps each urgency to a positive integer (urgent 3, soon 2,
    routine 1 by default). ``resolution_m`` is the finest distance unit the
    solver optimises in, in metres (default 1 mm, at least 1 micrometre); it is
    coarsened by factors of ten only if an instance's costs would overflow.
    """

    def __init__(
        self,
        *,
        weights: Mapping[Urgency, int] | None = None,
        resolution_m: float = 0.001,
    ) -> None:
        chosen = dict(DEFAULT_WEIGHTS if weights is None else weights)
        if set(chosen) != set(Urgency):
            raise ValueError("weights must give a weight for every urgency")
        for urgency, weight in chosen.items():
            if isinstance(weight, bool) or not isinstance(weight, int):
                raise ValueError(f"weight for {urgency.value} must be a whole number")
            if not 1 <= weight <= MAX_WEIGHT:
                raise ValueError(f"weight for {urgency.value} must be between 1 and {MAX_WEIGHT}")
        if not (math.isfinite(resolution_m) and resolution_m >= 1e-6):
            raise ValueError("resolution_m must be at least 1e-6 metres (one micrometre)")
        self.weights: dict[Urgency, int] = chosen
        self.resolution_m = float(resolution_m)

    def match(self, requests: Sequence[Request], volunteers: Sequence[Volunteer]) -> MatchResult:
        """Match requests to volunteers optimally; explain every unmatched request."""
        _check_unique([r.request_id for r in requests], "request_id")
        _check_unique([v.volunteer_id for v in volunteers], "volunteer_id")
        timings: dict[str, float] = {}
        t0 = time.perf_counter()
        enc = encode(requests, volunteers)
        weight = np.array([self.weights[r.urgency] for r in requests], dtype=np.int64)
        t1 = time.perf_counter()
        cand = candidate_pairs(enc)
        t2 = time.perf_counter()
        chosen, unit_m = self._solve(enc, cand, weight)
        t3 = time.perf_counter()
        reasons = explain_unmatched(enc, cand, chosen, weight)
        t4 = time.perf_counter()
        timings.update(encode=t1 - t0, candidates=t2 - t1, solve=t3 - t2, explain=t4 - t3)

        ri, vj, dist = cand.request[chosen], cand.volunteer[chosen], cand.distance_km[chosen]
        assignments = tuple(
            Assignment(requests[i].request_id, volunteers[j].volunteer_id, float(d))
            for i, j, d in zip(ri.tolist(), vj.tolist(), dist.tolist(), strict=True)
        )
        unmatched = tuple(
            Unmatched(requests[i].request_id, reason) for i, reason in sorted(reasons.items())
        )
        objective = Objective(
            weight=int(weight[ri].sum()),
            max_weight=int(weight.sum()),
            distance_km=math.fsum(dist.tolist()),
            matched=len(assignments),
            unmatched=len(unmatched),
            resolution_m=unit_m,
        )
        timings["total"] = time.perf_counter() - t0
        return MatchResult(assignments, unmatched, objective, timings)

    def _solve(
        self, enc: Encoded, cand: Candidates, weight: IntArray
    ) -> tuple[npt.NDArray[np.int64], float]:
        """Indices into ``cand`` of the chosen pairs (sorted), and the unit used in metres."""
        usable = np.flatnonzero(enc.v_cap[cand.volunteer] > 0)
        if usable.size == 0:
            return usable.astype(np.int64), self.resolution_m
        ri_all = cand.request[usable]
        vj_all = cand.volunteer[usable]
        req_ids, r_node = np.unique(ri_all, return_inverse=True)
        vol_ids, v_local = np.unique(vj_all, return_inverse=True)
        n_r, n_v = int(req_ids.size), int(vol_ids.size)
        sink = n_r + n_v
        n_nodes = sink + 1
        dist_m = cand.distance_km[usable] * 1000.0
        far_m = np.zeros(n_r, dtype=np.float64)
        np.maximum.at(far_m, r_node, dist_m)
        w_max = int(weight[req_ids].max())

        for coarsen in range(40):
            unit_m = round(self.resolution_m * 10**coarsen, 12)
            # Exact integer arithmetic: BIG bounds the rounded total distance of any matching.
            big = sum(np.rint(far_m / unit_m).astype(np.int64).tolist()) + 1
            if (w_max * big + 1) * (n_nodes + 1) < _COST_BUDGET:
                break
        else:  # pragma: no cover - impossible with weights <= MAX_WEIGHT and int32 node ids
            raise MatchingError("the instance is too large for int64 costs")
        pair_cost = np.rint(dist_m / unit_m).astype(np.int64)
        degree = np.bincount(v_local, minlength=n_v)
        capacity = np.minimum(enc.v_cap[vol_ids], degree).astype(np.int64)

        tails = np.concatenate([r_node, np.arange(n_r), np.arange(n_r, n_r + n_v)]).astype(np.int32)
        heads = np.concatenate([n_r + v_local, np.full(n_r, sink), np.full(n_v, sink)]).astype(
            np.int32
        )
        caps = np.concatenate(
            [np.ones(usable.size, dtype=np.int64), np.ones(n_r, dtype=np.int64), capacity]
        )
        costs = np.concatenate(
            [pair_cost, weight[req_ids] * big, np.zeros(n_v, dtype=np.int64)]
        ).astype(np.int64)

        flow = min_cost_flow.SimpleMinCostFlow()
        arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
        supplies = np.zeros(n_nodes, dtype=np.int64)
        supplies[:n_r] = 1
        supplies[sink] = -n_r
        flow.set_nodes_supplies(np.arange(n_nodes, dtype=np.int32), supplies)
        status = flow.solve()
        if status != flow.OPTIMAL:
            raise MatchingError(f"OR-Tools min-cost flow ended with status {status}")
        used = np.asarray(flow.flows(arcs[: usable.size])) > 0
        return usable[used].astype(np.int64), unit_m


def _check_unique(ids: Sequence[str], what: str) -> None:
    seen: set[str] = set()
    for ident in ids:
        if ident in seen:
            raise ValueError(f"duplicate {what} {ident!r}")
        seen.add(ident)
