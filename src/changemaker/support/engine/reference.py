"""A slow, exact, independent reference for the matcher (tests and benchmark only).

Eligibility is checked pair by pair straight from the model's wording (Python
sets and dates, no bit masks, no spatial index); only the distance comes from
:func:`~.geo.haversine_km`, which *defines* distance in the model.

The optimum comes from :func:`scipy.optimize.linear_sum_assignment` on a dense,
expanded cost matrix: one row per request; one column per unit of volunteer
capacity (volunteer ``j`` repeated ``min(capacity, n)`` times) plus one
"unmatched" column per request. An eligible pair costs ``-weight * M + km``,
unmatched costs 0 and an ineligible pair is forbidden (``inf``). ``M`` is larger
than any matching's total distance, so the assignment maximises matched urgency
weight first, then minimises total km (in floating point).

:func:`solve_exact_sparse` solves the same expanded assignment with scipy's
sparse LAPJVsp (``min_weight_full_bipartite_matching``) on the candidate pairs
of :func:`~.candidates.candidate_pairs` (which the tests check against the
literal rule), so that a 10,000 x 5,000 instance can be checked exactly too.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.optimize import linear_sum_assignment
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from .candidates import candidate_pairs, encode
from .geo import haversine_km
from .model import DEFAULT_WEIGHTS, Request, Urgency, Vetting, Volunteer


def eligible(request: Request, volunteer: Volunteer, distance_km: float) -> bool:
    """The issue's eligibility rule, written out literally."""
    if not request.needs <= volunteer.skills:
        return False
    if volunteer.vetting < request.vetting_required:
        return False
    if (
        request.vetting_required != Vetting.NONE
        and volunteer.vetting_expires is not None
        and volunteer.vetting_expires < request.date
    ):
        return False
    if request.date.weekday() not in volunteer.available_days:
        return False
    return distance_km <= volunteer.max_distance_km


def distance_matrix(
    requests: Sequence[Request], volunteers: Sequence[Volunteer]
) -> npt.NDArray[np.float64]:
    """All pairwise haversine distances (km), shape (requests, volunteers)."""
    n, m = len(requests), len(volunteers)
    r_lat = np.repeat(np.array([r.lat for r in requests], dtype=np.float64), m)
    r_lon = np.repeat(np.array([r.lon for r in requests], dtype=np.float64), m)
    v_lat = np.tile(np.array([v.lat for v in volunteers], dtype=np.float64), n)
    v_lon = np.tile(np.array([v.lon for v in volunteers], dtype=np.float64), n)
    return haversine_km(r_lat, r_lon, v_lat, v_lon).reshape(n, m)


def eligibility_matrix(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    dist: npt.NDArray[np.float64],
) -> npt.NDArray[np.bool_]:
    out = np.zeros(dist.shape, dtype=bool)
    reach = np.array([v.max_distance_km for v in volunteers], dtype=np.float64)
    for i, j in zip(*np.nonzero(dist <= reach[None, :]), strict=True):
        out[i, j] = eligible(requests[i], volunteers[j], float(dist[i, j]))
    return out


@dataclass(frozen=True, slots=True)
class ExactSolution:
    pairs: tuple[tuple[int, int], ...]  # (request index, volunteer index)
    weight: int
    distance_km: float


def solve_exact(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    weights: Mapping[Urgency, int] | None = None,
) -> ExactSolution:
    """The lexicographic optimum by a dense assignment solve."""
    w_of = dict(DEFAULT_WEIGHTS if weights is None else weights)
    n = len(requests)
    if n == 0:
        return ExactSolution((), 0, 0.0)
    dist = distance_matrix(requests, volunteers)
    ok = eligibility_matrix(requests, volunteers, dist)
    reps = [min(v.capacity, n) for v in volunteers]
    owner = np.repeat(np.arange(len(volunteers)), reps)
    slots = owner.size
    weight = np.array([w_of[r.urgency] for r in requests], dtype=np.float64)
    far = np.where(ok, dist, 0.0).max(axis=1, initial=0.0)
    big = float(far.sum()) + 1.0
    cost = np.full((n, slots + n), np.inf)
    if slots:
        block = np.where(ok, -weight[:, None] * big + dist, np.inf)
        cost[:, :slots] = block[:, owner]
    cost[:, slots:] = 0.0
    rows, cols = linear_sum_assignment(cost)
    pairs = tuple(
        (int(i), int(owner[c]))
        for i, c in zip(rows.tolist(), cols.tolist(), strict=True)
        if c < slots
    )
    total_w = sum(w_of[requests[i].urgency] for i, _ in pairs)
    total_km = math.fsum(float(dist[i, j]) for i, j in pairs)
    return ExactSolution(pairs, total_w, total_km)


def solve_exact_sparse(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    weights: Mapping[Urgency, int] | None = None,
) -> ExactSolution:
    """The same expanded assignment as :func:`solve_exact`, solved sparsely.

    Costs are shifted by a constant ``C`` so every edge weight is positive (every
    row is matched exactly once, so the shift adds ``n * C`` to every solution).
    """
    w_of = dict(DEFAULT_WEIGHTS if weights is None else weights)
    n, m = len(requests), len(volunteers)
    if n == 0:
        return ExactSolution((), 0, 0.0)
    enc = encode(requests, volunteers)
    cand = candidate_pairs(enc)
    cap = np.minimum(enc.v_cap, np.bincount(cand.volunteer, minlength=m))
    keep = cap[cand.volunteer] > 0
    ri, vj, dist = cand.request[keep], cand.volunteer[keep], cand.distance_km[keep]
    weight = np.array([w_of[r.urgency] for r in requests], dtype=np.float64)
    far = np.zeros(n, dtype=np.float64)
    np.maximum.at(far, ri, dist)
    big = float(far.sum()) + 1.0
    shift = float(weight.max()) * big + 1.0
    first = np.concatenate([[0], np.cumsum(cap)])
    slots = int(first[-1])
    reps = cap[vj]
    offset = np.arange(int(reps.sum())) - np.repeat(np.cumsum(reps) - reps, reps)
    rows = np.concatenate([np.repeat(ri, reps), np.arange(n)])
    cols = np.concatenate([np.repeat(first[vj], reps) + offset, slots + np.arange(n)])
    vals = np.concatenate([np.repeat(-weight[ri] * big + dist + shift, reps), np.full(n, shift)])
    graph = sp.csr_matrix((vals, (rows, cols)), shape=(n, slots + n))
    row_of, col_of = min_weight_full_bipartite_matching(graph)
    owner = np.repeat(np.arange(m), cap)
    lookup = {(i, j): d for i, j, d in zip(ri.tolist(), vj.tolist(), dist.tolist(), strict=True)}
    pairs = tuple(
        sorted(
            (int(i), int(owner[c]))
            for i, c in zip(row_of.tolist(), col_of.tolist(), strict=True)
            if c < slots
        )
    )
    total_w = sum(w_of[requests[i].urgency] for i, _ in pairs)
    total_km = math.fsum(lookup[p] for p in pairs)
    return ExactSolution(pairs, total_w, total_km)
