"""Seeded, realistic synthetic instances for tests, demos and the benchmark.

People are scattered around the towns of a Staffordshire-like county (about
50 km across), most close to a town centre and some rural. Needs, skills,
vetting, weekdays, reach and capacity follow plausible mixes for a council's
community-support service. Nothing here is real data.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from .model import Request, Urgency, Vetting, Volunteer

# (name, lat, lon, share of people, spread in km)
TOWNS: tuple[tuple[str, float, float, float, float], ...] = (
    ("Stoke-on-Trent", 53.0027, -2.1794, 0.30, 4.0),
    ("Newcastle-under-Lyme", 53.0109, -2.2278, 0.09, 2.0),
    ("Stafford", 52.8067, -2.1168, 0.11, 2.5),
    ("Burton upon Trent", 52.8019, -1.6370, 0.11, 2.5),
    ("Tamworth", 52.6339, -1.6912, 0.09, 2.2),
    ("Cannock", 52.6906, -2.0317, 0.10, 2.2),
    ("Lichfield", 52.6835, -1.8262, 0.07, 1.8),
    ("Leek", 53.1046, -2.0231, 0.04, 1.5),
    ("Uttoxeter", 52.8983, -1.8654, 0.03, 1.2),
)
RURAL_SHARE = 0.06
BOX = (52.60, 53.15, -2.35, -1.60)  # lat min, lat max, lon min, lon max

SKILLS: tuple[str, ...] = (
    "shopping",
    "prescriptions",
    "befriending",
    "transport",
    "dog_walking",
    "gardening",
    "diy",
)
NEED_SHARE = np.array([0.34, 0.26, 0.16, 0.10, 0.05, 0.05, 0.04])
SKILL_SHARE = np.array([0.26, 0.22, 0.16, 0.12, 0.10, 0.08, 0.06])
KM_PER_DEG_LAT = 111.2


def _points(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    share = np.array([t[3] for t in TOWNS])
    share = share / share.sum()
    town = rng.choice(len(TOWNS), size=n, p=share)
    lat0 = np.array([t[1] for t in TOWNS])[town]
    lon0 = np.array([t[2] for t in TOWNS])[town]
    spread = np.array([t[4] for t in TOWNS])[town]
    lat = lat0 + rng.normal(0.0, 1.0, n) * spread / KM_PER_DEG_LAT
    lon = lon0 + rng.normal(0.0, 1.0, n) * spread / (KM_PER_DEG_LAT * np.cos(np.radians(lat0)))
    rural = rng.random(n) < RURAL_SHARE
    lat[rural] = rng.uniform(BOX[0], BOX[1], int(rural.sum()))
    lon[rural] = rng.uniform(BOX[2], BOX[3], int(rural.sum()))
    return np.round(lat, 6), np.round(lon, 6)


def generate(
    n_requests: int,
    n_volunteers: int,
    seed: int = 0,
    start: dt.date = dt.date(2026, 11, 23),
) -> tuple[list[Request], list[Volunteer]]:
    """A reproducible instance: ``n_requests`` requests over the 14 days from ``start``."""
    rng = np.random.default_rng(seed)
    skills = np.array(SKILLS)

    r_lat, r_lon = _points(rng, n_requests)
    first_need = rng.choice(len(SKILLS), size=n_requests, p=NEED_SHARE)
    second_need = rng.choice(len(SKILLS), size=n_requests, p=NEED_SHARE)
    two_needs = rng.random(n_requests) < 0.15
    urgency = rng.choice(3, size=n_requests, p=[0.2, 0.35, 0.45])
    day_offset = rng.integers(0, 14, size=n_requests)
    vet_roll = rng.random(n_requests)
    requests: list[Request] = []
    for i in range(n_requests):
        needs = {str(skills[first_need[i]])}
        if two_needs[i]:
            needs.add(str(skills[second_need[i]]))
        if "befriending" in needs:
            vetting = Vetting.ENHANCED if vet_roll[i] < 0.7 else Vetting.BASIC
        elif "prescriptions" in needs or "transport" in needs:
            vetting = Vetting.BASIC if vet_roll[i] < 0.6 else Vetting.NONE
        else:
            vetting = Vetting.NONE if vet_roll[i] < 0.85 else Vetting.BASIC
        requests.append(
            Request(
                request_id=f"R{i + 1:05d}",
                lat=float(r_lat[i]),
                lon=float(r_lon[i]),
                needs=frozenset(needs),
                urgency=(Urgency.URGENT, Urgency.SOON, Urgency.ROUTINE)[int(urgency[i])],
                vetting_required=vetting,
                date=start + dt.timedelta(days=int(day_offset[i])),
            )
        )

    v_lat, v_lon = _points(rng, n_volunteers)
    n_skills = rng.choice([1, 2, 3, 4], size=n_volunteers, p=[0.3, 0.35, 0.25, 0.1])
    level = rng.choice(3, size=n_volunteers, p=[0.4, 0.35, 0.25])
    expiry_days = rng.integers(-180, 3 * 365, size=n_volunteers)
    no_expiry = rng.random(n_volunteers) < 0.1
    n_days = rng.integers(2, 6, size=n_volunteers)
    reach = np.clip(np.round(rng.lognormal(np.log(4.0), 0.6, n_volunteers), 1), 0.5, 25.0)
    capacity = rng.choice([1, 2, 3, 5], size=n_volunteers, p=[0.5, 0.3, 0.15, 0.05])
    volunteers: list[Volunteer] = []
    for j in range(n_volunteers):
        own = rng.choice(len(SKILLS), size=int(n_skills[j]), replace=False, p=SKILL_SHARE)
        days = rng.choice(7, size=int(n_days[j]), replace=False)
        vetting = Vetting(int(level[j]))
        expires = None
        if vetting != Vetting.NONE and not no_expiry[j]:
            expires = start + dt.timedelta(days=int(expiry_days[j]))
        volunteers.append(
            Volunteer(
                volunteer_id=f"V{j + 1:05d}",
                lat=float(v_lat[j]),
                lon=float(v_lon[j]),
                skills=frozenset(str(skills[k]) for k in own),
                vetting=vetting,
                vetting_expires=expires,
                available_days=frozenset(int(d) for d in days),
                max_distance_km=float(reach[j]),
                capacity=int(capacity[j]),
            )
        )
    return requests, volunteers
