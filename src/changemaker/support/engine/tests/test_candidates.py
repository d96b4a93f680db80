"""The spatial-index candidate search finds exactly the eligible pairs."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.support.engine import Request, Urgency, Vetting, Volunteer
from changemaker.support.engine.candidates import candidate_pairs, encode
from changemaker.support.engine.geo import haversine_km
from changemaker.support.engine.reference import distance_matrix, eligibility_matrix

from .strategies import BASE_DATE, medium_instances, seeded_instance, small_instances


def brute_force(requests: list[Request], volunteers: list[Volunteer]) -> set[tuple[int, int]]:
    if not requests or not volunteers:
        return set()
    ok = eligibility_matrix(requests, volunteers, distance_matrix(requests, volunteers))
    return {(int(i), int(j)) for i, j in zip(*np.nonzero(ok), strict=True)}


def found(requests: list[Request], volunteers: list[Volunteer]) -> set[tuple[int, int]]:
    cand = candidate_pairs(encode(requests, volunteers))
    pairs = list(zip(cand.request.tolist(), cand.volunteer.tolist(), strict=True))
    assert pairs == sorted(pairs), "sorted by (request, volunteer)"
    assert len(pairs) == len(set(pairs)), "no duplicates"
    for (i, j), d in zip(pairs, cand.distance_km.tolist(), strict=True):
        r, v = requests[i], volunteers[j]
        assert d == float(haversine_km([r.lat], [r.lon], [v.lat], [v.lon])[0])
    return set(pairs)


@settings(max_examples=200, deadline=None)
@given(small_instances(max_requests=12, max_volunteers=8))
def test_small_instances(instance: tuple[list[Request], list[Volunteer]]) -> None:
    requests, volunteers = instance
    assert found(requests, volunteers) == brute_force(requests, volunteers)


@settings(max_examples=30, deadline=None)
@given(medium_instances())
def test_medium_instances(instance: tuple[list[Request], list[Volunteer]]) -> None:
    requests, volunteers = instance
    assert found(requests, volunteers) == brute_force(requests, volunteers)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1), st.sampled_from([50.0, 500.0, 5000.0, 25000.0]))
def test_worldwide_instances_cross_poles_and_the_antimeridian(seed: int, reach: float) -> None:
    requests, volunteers = seeded_instance(
        seed, n=80, m=40, area_km=0, reach_km=reach, max_capacity=2, world=True
    )
    assert found(requests, volunteers) == brute_force(requests, volunteers)


def _req(
    lat: float, lon: float, vetting: Vetting = Vetting.NONE, date: dt.date = BASE_DATE
) -> Request:
    return Request("r", lat, lon, frozenset({"shopping"}), Urgency.SOON, vetting, date)


def _vol(
    lat: float,
    lon: float,
    reach: float,
    vetting: Vetting = Vetting.NONE,
    expires: dt.date | None = None,
    days: frozenset[int] = frozenset(range(7)),
    skills: frozenset[str] = frozenset({"shopping", "diy"}),
) -> Volunteer:
    return Volunteer("v", lat, lon, skills, vetting, expires, days, reach, 1)


@pytest.mark.parametrize(
    ("request_", "volunteer", "expected"),
    [
        # Across the antimeridian: 0.002 degrees of longitude at the equator is 222 m.
        (_req(0.0, 179.999), _vol(0.0, -179.999, 0.23), True),
        (_req(0.0, 179.999), _vol(0.0, -179.999, 0.22), False),
        # At the pole every longitude is the same point (to within float rounding: cos 90
        # degrees is 6e-17 in floating point, so allow one micrometre).
        (_req(90.0, 0.0), _vol(90.0, 123.0, 1e-9), True),
        # Same spot, zero reach.
        (_req(52.98, -2.18), _vol(52.98, -2.18, 0.0), True),
        # Reach beyond half the circumference covers the antipode.
        (_req(10.0, 20.0), _vol(-10.0, -160.0, 20_016.0), True),
        # Vetting: level, expiry on the date is still valid, the day after it is not,
        # and expiry does not matter when no vetting is needed.
        (_req(52.98, -2.18, Vetting.BASIC), _vol(52.98, -2.18, 1, Vetting.ENHANCED), True),
        (_req(52.98, -2.18, Vetting.ENHANCED), _vol(52.98, -2.18, 1, Vetting.BASIC), False),
        (
            _req(52.98, -2.18, Vetting.BASIC),
            _vol(52.98, -2.18, 1, Vetting.BASIC, BASE_DATE),
            True,
        ),
        (
            _req(52.98, -2.18, Vetting.BASIC),
            _vol(52.98, -2.18, 1, Vetting.BASIC, BASE_DATE - dt.timedelta(days=1)),
            False,
        ),
        (
            _req(52.98, -2.18, Vetting.NONE),
            _vol(52.98, -2.18, 1, Vetting.BASIC, BASE_DATE - dt.timedelta(days=1)),
            True,
        ),
        # Weekday: BASE_DATE is a Monday.
        (_req(52.98, -2.18), _vol(52.98, -2.18, 1, days=frozenset({1, 2, 3, 4, 5, 6})), False),
        (_req(52.98, -2.18), _vol(52.98, -2.18, 1, days=frozenset({0})), True),
        # Skills: every needed skill.
        (_req(52.98, -2.18), _vol(52.98, -2.18, 1, skills=frozenset({"diy"})), False),
    ],
)
def test_boundary_cases(request_: Request, volunteer: Volunteer, expected: bool) -> None:
    assert found([request_], [volunteer]) == ({(0, 0)} if expected else set())
    assert brute_force([request_], [volunteer]) == ({(0, 0)} if expected else set())


def test_reach_exactly_equal_to_the_distance_is_in_range() -> None:
    r = _req(52.98, -2.18)
    for lat, lon in [(52.99, -2.17), (53.5, -1.0), (-33.9, 151.2), (52.98000001, -2.18)]:
        d = float(haversine_km([r.lat], [r.lon], [lat], [lon])[0])
        assert found([r], [_vol(lat, lon, d)]) == {(0, 0)}
        below = float(np.nextafter(d, 0.0))
        assert found([r], [_vol(lat, lon, below)]) == set()


def test_many_skills_use_several_mask_words() -> None:
    skills = frozenset(f"skill{k:03d}" for k in range(150))
    r = Request(
        "r",
        52.98,
        -2.18,
        frozenset({"skill149", "skill000"}),
        Urgency.SOON,
        Vetting.NONE,
        BASE_DATE,
    )
    assert found([r], [_vol(52.98, -2.18, 1, skills=skills)]) == {(0, 0)}
    assert found([r], [_vol(52.98, -2.18, 1, skills=skills - {"skill149"})]) == set()
