"""Independent checks of a :class:`MatchResult` against the model and the exact solver."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from changemaker.support.engine.geo import haversine_km
from changemaker.support.engine.model import (
    DEFAULT_WEIGHTS,
    MatchResult,
    Request,
    Urgency,
    Volunteer,
)
from changemaker.support.engine.reference import (
    distance_matrix,
    eligibility_matrix,
    eligible,
    solve_exact,
)


def assert_feasible(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    result: MatchResult,
    weights: Mapping[Urgency, int] = DEFAULT_WEIGHTS,
) -> None:
    """Every assignment is eligible, capacities hold, every request is accounted for once."""
    req = {r.request_id: r for r in requests}
    vol = {v.volunteer_id: v for v in volunteers}
    assigned = [a.request_id for a in result.assignments]
    left = [u.request_id for u in result.unmatched]
    assert sorted(assigned + left) == sorted(req), "each request assigned or unmatched, once"
    order = {r.request_id: i for i, r in enumerate(requests)}
    assert assigned == sorted(assigned, key=order.__getitem__), "assignments in input order"
    assert left == sorted(left, key=order.__getitem__), "unmatched in input order"
    load = Counter(a.volunteer_id for a in result.assignments)
    for vid, count in load.items():
        assert count <= vol[vid].capacity, f"{vid} over capacity"
    for a in result.assignments:
        r, v = req[a.request_id], vol[a.volunteer_id]
        d = float(haversine_km([r.lat], [r.lon], [v.lat], [v.lon])[0])
        assert a.distance_km == d
        assert eligible(r, v, d), f"{a} is not eligible"
    obj = result.objective
    assert obj.matched == len(result.assignments)
    assert obj.unmatched == len(result.unmatched)
    assert obj.weight == sum(weights[req[a.request_id].urgency] for a in result.assignments)
    assert obj.max_weight == sum(weights[r.urgency] for r in requests)
    assert obj.distance_km == math.fsum(a.distance_km for a in result.assignments)


def assert_optimal(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    result: MatchResult,
    weights: Mapping[Urgency, int] = DEFAULT_WEIGHTS,
) -> None:
    """Same objective as the dense exact solve.

    Weight must be equal. Distance: the engine is optimal for distances rounded
    to ``u = resolution`` (each off by at most u/2; checked *exactly* by
    :func:`assert_optimal_for_rounded_distances`), so its true total is within
    ``matched * u`` above the true optimum; it can never be below it (up to
    float summation noise, 1e-9 relative).
    """
    assert_feasible(requests, volunteers, result, weights)
    assert_optimal_for_rounded_distances(requests, volunteers, result, weights)
    exact = solve_exact(requests, volunteers, weights)
    obj = result.objective
    assert obj.weight == exact.weight
    noise = 1e-9 * (1.0 + exact.distance_km)
    slack = obj.matched * obj.resolution_m / 1000.0
    assert exact.distance_km - noise <= obj.distance_km <= exact.distance_km + slack + noise, (
        obj.distance_km,
        exact.distance_km,
        slack,
    )


def assert_optimal_for_rounded_distances(
    requests: Sequence[Request],
    volunteers: Sequence[Volunteer],
    result: MatchResult,
    weights: Mapping[Urgency, int] = DEFAULT_WEIGHTS,
) -> None:
    """No tolerance at all: with distances rounded to the engine's unit, the engine's
    (weight, rounded total distance) equals the dense optimum exactly.

    The dense solve uses integer-valued costs ``-weight * BIG + rounded distance``
    whose sums stay far below 2**53, so floating point represents every partial
    sum of the Hungarian method exactly.
    """
    n = len(requests)
    if n == 0 or not volunteers:
        assert result.assignments == ()
        return
    dist = distance_matrix(requests, volunteers)
    ok = eligibility_matrix(requests, volunteers, dist)
    units = np.rint(dist * 1000.0 / result.objective.resolution_m)  # as the engine rounds
    far = np.where(ok, units, 0.0).max(axis=1)
    big = float(far.sum()) + 1.0
    w = np.array([weights[r.urgency] for r in requests], dtype=np.float64)
    if float(w.max()) * big * (n + 1) >= 2.0**52:
        return  # too large for exact float sums; assert_optimal's tolerance check still applies
    owner = np.repeat(np.arange(len(volunteers)), [min(v.capacity, n) for v in volunteers])
    cost = np.full((n, owner.size + n), np.inf)
    cost[:, : owner.size] = np.where(ok, -w[:, None] * big + units, np.inf)[:, owner]
    cost[:, owner.size :] = 0.0
    rows, cols = linear_sum_assignment(cost)
    optimum = float(cost[rows, cols].sum())
    index = {r.request_id: i for i, r in enumerate(requests)}
    vindex = {v.volunteer_id: j for j, v in enumerate(volunteers)}
    mine = sum(
        -w[index[a.request_id]] * big + units[index[a.request_id], vindex[a.volunteer_id]]
        for a in result.assignments
    )
    assert mine == optimum, (mine, optimum)
