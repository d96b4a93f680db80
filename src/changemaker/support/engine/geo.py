"""Great-circle geometry: haversine distance (R = 6371 km) and 3-D unit vectors.

:func:`haversine_km` is *the* definition of distance in the model: the matcher,
the explanations and the exact reference solver all call it, on contiguous
float64 arrays, so that a volunteer whose reach equals the distance exactly is
treated the same way everywhere.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

EARTH_RADIUS_KM = 6371.0

FloatArray = npt.NDArray[np.float64]


def _as_f64(x: npt.ArrayLike) -> FloatArray:
    return np.ascontiguousarray(x, dtype=np.float64)


def haversine_km(
    lat1: npt.ArrayLike, lon1: npt.ArrayLike, lat2: npt.ArrayLike, lon2: npt.ArrayLike
) -> FloatArray:
    """Great-circle distance in km between points given in degrees (element-wise)."""
    p1 = np.radians(_as_f64(lat1))
    p2 = np.radians(_as_f64(lat2))
    dphi = p2 - p1
    dlmb = np.radians(_as_f64(lon2)) - np.radians(_as_f64(lon1))
    a = np.sin(dphi * 0.5) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb * 0.5) ** 2
    a = np.clip(a, 0.0, 1.0)
    d: FloatArray = (2.0 * EARTH_RADIUS_KM) * np.arcsin(np.sqrt(a))
    return d


def unit_vectors(lat: npt.ArrayLike, lon: npt.ArrayLike) -> FloatArray:
    """Points on the unit sphere, shape (n, 3), for a Euclidean spatial index."""
    p = np.radians(_as_f64(lat))
    lm = np.radians(_as_f64(lon))
    cp = np.cos(p)
    out: FloatArray = np.stack([cp * np.cos(lm), cp * np.sin(lm), np.sin(p)], axis=1)
    return out


def chord_for_km(distance_km: float) -> float:
    """Straight-line distance through the unit sphere for a great-circle distance.

    The result is padded slightly upwards (and capped at the diameter) so that a
    radius query on unit vectors never misses a pair within ``distance_km``
    because of floating-point rounding; callers filter candidates with
    :func:`haversine_km` afterwards.
    """
    angle = min(distance_km / EARTH_RADIUS_KM, math.pi)
    chord = 2.0 * math.sin(angle / 2.0)
    return min(2.0, chord * (1.0 + 1e-9) + 1e-12) if angle < math.pi else 2.0 + 1e-12
