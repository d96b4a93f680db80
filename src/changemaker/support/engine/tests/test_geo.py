"""Haversine distance and the chord bound used by the spatial index."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.support.engine.geo import EARTH_RADIUS_KM, chord_for_km, haversine_km, unit_vectors

lats = st.floats(-90, 90, allow_nan=False)
lons = st.floats(-180, 180, allow_nan=False)


def scalar_haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def test_radius_and_known_distances() -> None:
    assert EARTH_RADIUS_KM == 6371.0
    # One degree of latitude on a 6371 km sphere.
    assert math.isclose(haversine_km([0], [0], [1], [0])[0], 6371 * math.pi / 180, rel_tol=1e-12)
    # Antipodes: half the circumference.
    assert math.isclose(haversine_km([0], [0], [0], [180])[0], 6371 * math.pi, rel_tol=1e-12)
    # Stoke-on-Trent to Stafford is about 22 km.
    assert 21 < haversine_km([53.0027], [-2.1794], [52.8067], [-2.1168])[0] < 23


@settings(max_examples=300)
@given(lats, lons, lats, lons)
def test_matches_a_scalar_formula_and_is_symmetric(a: float, b: float, c: float, d: float) -> None:
    got = float(haversine_km([a], [b], [c], [d])[0])
    assert math.isclose(got, scalar_haversine(a, b, c, d), rel_tol=1e-9, abs_tol=1e-9)
    assert got == float(haversine_km([c], [d], [a], [b])[0]) or math.isclose(
        got, float(haversine_km([c], [d], [a], [b])[0]), rel_tol=1e-12, abs_tol=1e-12
    )
    assert 0.0 <= got <= math.pi * EARTH_RADIUS_KM + 1e-9


@settings(max_examples=300)
@given(lats, lons, lats, lons)
def test_chord_bound_never_misses_a_pair(a: float, b: float, c: float, d: float) -> None:
    dist = float(haversine_km([a], [b], [c], [d])[0])
    xyz = unit_vectors([a, c], [b, d])
    chord = float(np.linalg.norm(xyz[0] - xyz[1]))
    assert chord <= chord_for_km(dist)


def test_array_results_do_not_depend_on_position_in_the_array() -> None:
    rng = np.random.default_rng(0)
    pts = rng.uniform(-90, 90, (4, 257))
    pts[1] *= 2
    pts[3] *= 2
    whole = haversine_km(*pts)
    for i in range(0, 257, 17):
        part = haversine_km(pts[0][i:], pts[1][i:], pts[2][i:], pts[3][i:])
        assert part[0] == whole[i]
