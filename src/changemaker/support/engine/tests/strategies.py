"""Hypothesis strategies for matching instances.

Small instances are built field by field so Hypothesis can shrink them; people
sit on a coarse grid (many equal distances, shared spots, exact ties) and some
volunteers' reach is set to *exactly* the haversine distance to a request, so
the ``<=`` boundary is exercised. Medium instances draw their shape (sizes,
area, reach, scarcity) from Hypothesis and fill in the rest from a seeded RNG.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import strategies as st

from changemaker.support.engine.geo import haversine_km
from changemaker.support.engine.model import Request, Urgency, Vetting, Volunteer

BASE_DATE = dt.date(2026, 11, 23)  # a Monday
SKILLS = ("shopping", "prescriptions", "befriending")
Instance = tuple[list[Request], list[Volunteer]]

_urgency = st.sampled_from(list(Urgency))
_vetting = st.sampled_from(list(Vetting))
_skills = st.frozensets(st.sampled_from(SKILLS), max_size=2)
_dates = st.integers(0, 9).map(lambda k: BASE_DATE + dt.timedelta(days=k))
_expiry = st.one_of(st.none(), st.integers(-3, 12).map(lambda k: BASE_DATE + dt.timedelta(days=k)))
_grid = st.integers(0, 8)


def _lat(k: int) -> float:
    return 52.98 + 0.005 * k


def _lon(k: int) -> float:
    return -2.18 + 0.008 * k


@st.composite
def small_instances(draw: st.DrawFn, max_requests: int = 8, max_volunteers: int = 5) -> Instance:
    n = draw(st.integers(0, max_requests))
    m = draw(st.integers(0, max_volunteers))
    # Half the instances make everyone eligible but for distance, so that capacity
    # and distance decide: contention, displacement chains and exact ties.
    contention = draw(st.booleans())
    requests = [
        Request(
            request_id=f"r{i}",
            lat=_lat(draw(_grid)),
            lon=_lon(draw(_grid)),
            needs=draw(st.frozensets(st.sampled_from(SKILLS), max_size=1)),
            urgency=draw(_urgency),
            vetting_required=draw(_vetting),
            date=draw(_dates),
        )
        for i in range(n)
    ]
    volunteers: list[Volunteer] = []
    for j in range(m):
        lat, lon = _lat(draw(_grid)), _lon(draw(_grid))
        reach_kind = draw(st.sampled_from(["grid", "exact", "zero", "huge"]))
        if reach_kind == "exact" and requests:
            r = requests[draw(st.integers(0, n - 1))]
            reach = float(haversine_km([r.lat], [r.lon], [lat], [lon])[0])
        elif reach_kind == "zero":
            reach = 0.0
        elif reach_kind == "huge":
            reach = 30_000.0
        else:
            reach = draw(st.sampled_from([0.3, 0.6, 1.0, 1.5, 3.0]))
        if contention:
            skills, vetting, expires = frozenset(SKILLS), Vetting.ENHANCED, None
            days = frozenset(range(7))
        else:
            skills, vetting, expires = draw(_skills), draw(_vetting), draw(_expiry)
            days = draw(st.frozensets(st.integers(0, 6), min_size=0, max_size=7))
        volunteers.append(
            Volunteer(
                volunteer_id=f"v{j}",
                lat=lat,
                lon=lon,
                skills=skills,
                vetting=vetting,
                vetting_expires=expires,
                available_days=days,
                max_distance_km=reach,
                capacity=draw(st.integers(0, 3)),
            )
        )
    return requests, volunteers


def seeded_instance(
    seed: int,
    n: int,
    m: int,
    area_km: float,
    reach_km: float,
    max_capacity: int,
    world: bool = False,
) -> Instance:
    """A random instance from a seed; ``world=True`` scatters people over the globe."""
    rng = np.random.default_rng(seed)

    def points(k: int) -> tuple[list[float], list[float]]:
        if world:
            lat = np.degrees(np.arcsin(rng.uniform(-1, 1, k)))
            lon = rng.uniform(-180, 180, k)
        else:
            lat = 52.9 + rng.uniform(0, area_km, k) / 111.2
            lon = -2.2 + rng.uniform(0, area_km, k) / 67.0
        # Quantise so equal distances (ties) happen.
        return [float(x) for x in np.round(lat, 3)], [float(x) for x in np.round(lon, 3)]

    r_lat, r_lon = points(n)
    v_lat, v_lon = points(m)
    requests = [
        Request(
            request_id=f"r{i}",
            lat=r_lat[i],
            lon=r_lon[i],
            needs=frozenset(rng.choice(SKILLS, size=int(rng.integers(0, 2)), replace=False)),
            urgency=list(Urgency)[int(rng.integers(0, 3))],
            vetting_required=Vetting(int(rng.choice(3, p=[0.6, 0.25, 0.15]))),
            date=BASE_DATE + dt.timedelta(days=int(rng.integers(0, 10))),
        )
        for i in range(n)
    ]
    volunteers = [
        Volunteer(
            volunteer_id=f"v{j}",
            lat=v_lat[j],
            lon=v_lon[j],
            skills=frozenset(rng.choice(SKILLS, size=int(rng.integers(1, 4)), replace=False)),
            vetting=Vetting(int(rng.integers(0, 3))),
            vetting_expires=(
                None
                if rng.random() < 0.3
                else BASE_DATE + dt.timedelta(days=int(rng.integers(-5, 15)))
            ),
            available_days=frozenset(
                int(d) for d in rng.choice(7, size=int(rng.integers(1, 8)), replace=False)
            ),
            max_distance_km=float(np.round(rng.uniform(0.2, 1.0) * reach_km, 2)),
            capacity=int(rng.integers(0, max_capacity + 1)),
        )
        for j in range(m)
    ]
    return requests, volunteers


@st.composite
def medium_instances(draw: st.DrawFn) -> Instance:
    return seeded_instance(
        seed=draw(st.integers(0, 2**32 - 1)),
        n=draw(st.integers(20, 120)),
        m=draw(st.integers(5, 60)),
        area_km=draw(st.sampled_from([2.0, 5.0, 15.0])),
        reach_km=draw(st.sampled_from([1.0, 3.0, 8.0])),
        max_capacity=draw(st.integers(1, 4)),
    )
