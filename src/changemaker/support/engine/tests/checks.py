"""Independent checks of a :class:`MatchResult` against the model and the exact solver."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence

from changemaker.support.engine.geo import haversine_km
from changemaker.support.engine.model import (
    DEFAULT_WEIGHTS,
    MatchResult,
    Request,
    Urgency,
    Volunteer,
)
from changemaker.support.engine.reference import eligible, solve_exact


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
    to ``u = resolution`` (each off by at most u/2), so its true total is within
    ``matched * u`` above the true optimum; it can never be below it (up to
    float summation noise, 1e-9 relative).
    """
    assert_feasible(requests, volunteers, result, weights)
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
