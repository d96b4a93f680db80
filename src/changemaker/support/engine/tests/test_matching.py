"""The matcher is optimal: it agrees with a dense exact assignment solve."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.support.engine import Matcher, Request, Urgency, Vetting, Volunteer
from changemaker.support.engine.reference import solve_exact, solve_exact_sparse
from changemaker.support.engine.synthetic import generate

from .checks import assert_feasible, assert_optimal
from .strategies import BASE_DATE, medium_instances, seeded_instance, small_instances

EVERY_DAY = frozenset(range(7))


def req(ident: str, lat: float, lon: float, urgency: Urgency = Urgency.ROUTINE) -> Request:
    return Request(ident, lat, lon, frozenset(), urgency, Vetting.NONE, BASE_DATE)


def vol(ident: str, lat: float, lon: float, reach: float = 50.0, capacity: int = 1) -> Volunteer:
    return Volunteer(ident, lat, lon, frozenset(), Vetting.NONE, None, EVERY_DAY, reach, capacity)


@settings(max_examples=250, deadline=None)
@given(small_instances())
def test_small_instances_match_the_exact_solver(
    instance: tuple[list[Request], list[Volunteer]],
) -> None:
    requests, volunteers = instance
    assert_optimal(requests, volunteers, Matcher().match(requests, volunteers))


@settings(max_examples=40, deadline=None)
@given(medium_instances())
def test_medium_instances_match_the_exact_solver(
    instance: tuple[list[Request], list[Volunteer]],
) -> None:
    requests, volunteers = instance
    assert_optimal(requests, volunteers, Matcher().match(requests, volunteers))


@pytest.mark.parametrize("seed", [0, 1])
def test_realistic_county_instance_matches_the_exact_solver(seed: int) -> None:
    requests, volunteers = generate(700, 350, seed=seed)
    result = Matcher().match(requests, volunteers)
    assert result.objective.matched > 100  # a meaningful instance, not a trivial one
    assert_optimal(requests, volunteers, result)


@settings(max_examples=60, deadline=None)
@given(
    small_instances(),
    st.tuples(st.integers(1, 20), st.integers(1, 20), st.integers(1, 20)),
)
def test_other_urgency_weights_are_respected(
    instance: tuple[list[Request], list[Volunteer]], ws: tuple[int, int, int]
) -> None:
    requests, volunteers = instance
    weights = dict(zip([Urgency.URGENT, Urgency.SOON, Urgency.ROUTINE], ws, strict=True))
    result = Matcher(weights=weights).match(requests, volunteers)
    assert_optimal(requests, volunteers, result, weights)


def test_urgency_comes_before_distance() -> None:
    # One volunteer: the urgent request 8 km away beats the routine one next door.
    requests = [req("near", 52.9800, -2.1800), req("far", 53.0520, -2.1800, Urgency.URGENT)]
    result = Matcher().match(requests, [vol("v", 52.9800, -2.1800)])
    assert [(a.request_id, a.volunteer_id) for a in result.assignments] == [("far", "v")]
    assert result.objective.weight == 3


def test_a_less_urgent_request_moves_to_a_farther_volunteer_to_make_room() -> None:
    # 'u' can only reach volunteer a; 'r' prefers a (0 km) but can also go to b (5 km).
    requests = [req("r", 52.98, -2.18), req("u", 52.98, -2.1955, Urgency.URGENT)]
    volunteers = [vol("a", 52.98, -2.18, reach=1.1), vol("b", 53.025, -2.18, reach=5.05)]
    result = Matcher().match(requests, volunteers)
    assert {(a.request_id, a.volunteer_id) for a in result.assignments} == {
        ("r", "b"),
        ("u", "a"),
    }
    assert_optimal(requests, volunteers, result)


def test_distance_decides_between_equal_weights() -> None:
    requests = [req("r1", 52.98, -2.18), req("r2", 53.00, -2.18)]
    volunteers = [vol("a", 52.981, -2.18), vol("b", 53.001, -2.18)]
    result = Matcher().match(requests, volunteers)
    assert {(a.request_id, a.volunteer_id) for a in result.assignments} == {
        ("r1", "a"),
        ("r2", "b"),
    }


def test_exact_ties_in_distance_are_optimal_and_deterministic() -> None:
    # Two requests and two volunteers on the corners of a rectangle symmetric about the
    # meridian: both matchings have exactly the same total km.
    requests = [req("r1", 52.98, -2.001), req("r2", 52.98, -1.999)]
    volunteers = [vol("a", 52.98, -2.0, capacity=1), vol("b", 52.98, -2.0, capacity=1)]
    first = Matcher().match(requests, volunteers)
    assert_optimal(requests, volunteers, first)
    for _ in range(3):
        assert Matcher().match(requests, volunteers) == first


def test_sub_millimetre_differences_count_at_micrometre_resolution() -> None:
    # Volunteers 0.11 mm apart (1e-9 degrees of latitude): the coarse default may pick
    # either (both are within its 1 mm resolution), a 1 micrometre resolution must not.
    requests = [req("r", 52.98, -2.18)]
    volunteers = [vol("far", 52.99000001, -2.18), vol("near", 52.99, -2.18)]
    fine = Matcher(resolution_m=1e-6).match(requests, volunteers)
    assert [a.volunteer_id for a in fine.assignments] == ["near"]
    coarse = Matcher().match(requests, volunteers)
    assert_optimal(requests, volunteers, coarse)


@settings(max_examples=25, deadline=None)
@given(small_instances(), st.randoms(use_true_random=False))
def test_input_order_does_not_change_the_objective(
    instance: tuple[list[Request], list[Volunteer]], rnd: random.Random
) -> None:
    requests, volunteers = instance
    base = Matcher().match(requests, volunteers).objective
    rnd.shuffle(requests)
    rnd.shuffle(volunteers)
    again = Matcher().match(requests, volunteers).objective
    slack = (base.matched + again.matched) * base.resolution_m / 1000.0 + 1e-9
    assert again.weight == base.weight
    assert abs(again.distance_km - base.distance_km) <= slack


def test_same_input_gives_the_same_result() -> None:
    requests, volunteers = generate(400, 200, seed=5)
    first = Matcher().match(requests, volunteers)
    second = Matcher().match(requests, volunteers)
    assert first == second


def test_costs_too_large_for_micrometres_are_coarsened_and_still_optimal() -> None:
    # Worldwide, everybody in reach of everybody: at 1 micrometre BIG * nodes would
    # overflow OR-Tools' int64 cost scaling, so the unit must be coarsened.
    requests, volunteers = seeded_instance(
        seed=7, n=260, m=60, area_km=0, reach_km=40_000, max_capacity=3, world=True
    )
    volunteers = [dataclasses.replace(v, max_distance_km=20_016.0) for v in volunteers]
    result = Matcher(resolution_m=1e-6).match(requests, volunteers)
    assert result.objective.resolution_m > 1e-6
    assert_optimal(requests, volunteers, result)


def test_no_requests_no_volunteers_no_capacity() -> None:
    assert Matcher().match([], []).assignments == ()
    requests = [req("r", 52.98, -2.18, Urgency.URGENT)]
    result = Matcher().match(requests, [])
    assert result.assignments == () and len(result.unmatched) == 1
    result = Matcher().match(requests, [vol("v", 52.98, -2.18, capacity=0)])
    assert result.assignments == ()
    assert_feasible(requests, [vol("v", 52.98, -2.18, capacity=0)], result)


def test_duplicate_identifiers_are_refused() -> None:
    with pytest.raises(ValueError, match="duplicate request_id"):
        Matcher().match([req("r", 52.98, -2.18), req("r", 52.98, -2.18)], [])
    with pytest.raises(ValueError, match="duplicate volunteer_id"):
        Matcher().match([], [vol("v", 52.98, -2.18), vol("v", 52.98, -2.18)])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"weights": {Urgency.URGENT: 3, Urgency.SOON: 2}},
        {"weights": {Urgency.URGENT: 3, Urgency.SOON: 0, Urgency.ROUTINE: 1}},
        {"weights": {Urgency.URGENT: 3.5, Urgency.SOON: 2, Urgency.ROUTINE: 1}},
        {"weights": {Urgency.URGENT: 10**7, Urgency.SOON: 2, Urgency.ROUTINE: 1}},
        {"resolution_m": 0.0},
        {"resolution_m": float("nan")},
        {"resolution_m": 1e-9},
    ],
)
def test_bad_parameters_are_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Matcher(**kwargs)  # type: ignore[arg-type]


def test_dates_are_days_not_timestamps() -> None:
    assert isinstance(BASE_DATE, dt.date) and BASE_DATE.weekday() == 0


@settings(max_examples=40, deadline=None)
@given(st.one_of(small_instances(), medium_instances()))
def test_sparse_exact_reference_agrees_with_the_dense_one(
    instance: tuple[list[Request], list[Volunteer]],
) -> None:
    # The benchmark checks the 10,000 x 5,000 instance with the sparse reference.
    requests, volunteers = instance
    dense = solve_exact(requests, volunteers)
    sparse = solve_exact_sparse(requests, volunteers)
    assert sparse.weight == dense.weight
    assert math.isclose(sparse.distance_km, dense.distance_km, rel_tol=1e-9, abs_tol=1e-9)
