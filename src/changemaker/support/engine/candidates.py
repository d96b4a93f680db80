"""Eligible (request, volunteer) pairs, found with a spatial index.

Requests and volunteers are encoded once into numpy arrays (:class:`Encoded`).
:func:`candidate_pairs` then, for each weekday, builds a k-d tree of that day's
requests (3-D unit vectors) and queries it with the volunteers available that
day, grouped into bands of similar reach (within 25%) so a volunteer who travels
1 km is not searched with the radius of one who travels 20 km. Every pair the tree returns
is then checked against the exact model: skills, vetting level and expiry,
weekday and haversine distance <= the volunteer's maximum distance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.spatial import cKDTree

from .geo import chord_for_km, haversine_km, unit_vectors
from .model import Request, Vetting, Volunteer

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
MaskArray = npt.NDArray[np.uint64]

NO_EXPIRY = np.iinfo(np.int64).max
_BAND_RATIO = 1.25  # reach bands: max/min reach within one band is at most this


@dataclass(frozen=True, slots=True)
class Encoded:
    """Requests and volunteers as arrays (row i = requests[i], row j = volunteers[j])."""

    r_lat: FloatArray
    r_lon: FloatArray
    r_need: MaskArray  # (n, words) skill bit masks
    r_vet: IntArray
    r_date: IntArray  # proleptic ordinal
    r_wday: IntArray  # 0 = Monday
    v_lat: FloatArray
    v_lon: FloatArray
    v_skill: MaskArray  # (m, words)
    v_vet: IntArray
    v_expires: IntArray  # ordinal, NO_EXPIRY when empty
    v_days: IntArray  # bit d set = available on weekday d
    v_reach: FloatArray  # max distance in km
    v_cap: IntArray

    @property
    def n_requests(self) -> int:
        return int(self.r_lat.shape[0])

    @property
    def n_volunteers(self) -> int:
        return int(self.v_lat.shape[0])


def _masks(sets: Sequence[frozenset[str]], bit: dict[str, int], words: int) -> MaskArray:
    out = np.zeros((len(sets), words), dtype=np.uint64)
    for row, skills in enumerate(sets):
        for skill in skills:
            b = bit[skill]
            out[row, b >> 6] |= np.uint64(1 << (b & 63))
    return out


def encode(requests: Sequence[Request], volunteers: Sequence[Volunteer]) -> Encoded:
    """Encode the model objects into arrays, in input order."""
    vocabulary = sorted(
        {s for r in requests for s in r.needs} | {s for v in volunteers for s in v.skills}
    )
    bit = {skill: i for i, skill in enumerate(vocabulary)}
    words = max(1, math.ceil(len(vocabulary) / 64))
    day_bits = [sum(1 << d for d in v.available_days) for v in volunteers]
    return Encoded(
        r_lat=np.array([r.lat for r in requests], dtype=np.float64),
        r_lon=np.array([r.lon for r in requests], dtype=np.float64),
        r_need=_masks([r.needs for r in requests], bit, words),
        r_vet=np.array([int(r.vetting_required) for r in requests], dtype=np.int64),
        r_date=np.array([r.date.toordinal() for r in requests], dtype=np.int64),
        r_wday=np.array([r.date.weekday() for r in requests], dtype=np.int64),
        v_lat=np.array([v.lat for v in volunteers], dtype=np.float64),
        v_lon=np.array([v.lon for v in volunteers], dtype=np.float64),
        v_skill=_masks([v.skills for v in volunteers], bit, words),
        v_vet=np.array([int(v.vetting) for v in volunteers], dtype=np.int64),
        v_expires=np.array(
            [
                NO_EXPIRY if v.vetting_expires is None else v.vetting_expires.toordinal()
                for v in volunteers
            ],
            dtype=np.int64,
        ),
        v_days=np.array(day_bits, dtype=np.int64),
        v_reach=np.array([v.max_distance_km for v in volunteers], dtype=np.float64),
        v_cap=np.array([v.capacity for v in volunteers], dtype=np.int64),
    )


def has_skills(enc: Encoded, ri: IntArray, vj: IntArray) -> npt.NDArray[np.bool_]:
    """For each pair, does volunteer ``vj`` have every skill request ``ri`` needs?"""
    missing = enc.r_need[ri] & ~enc.v_skill[vj]
    ok: npt.NDArray[np.bool_] = ~missing.any(axis=1)
    return ok


def is_vetted(enc: Encoded, ri: IntArray, vj: IntArray) -> npt.NDArray[np.bool_]:
    """Level high enough and, when any vetting is needed, not expired on the request's date."""
    need = enc.r_vet[ri]
    ok: npt.NDArray[np.bool_] = (enc.v_vet[vj] >= need) & (
        (need == int(Vetting.NONE)) | (enc.v_expires[vj] >= enc.r_date[ri])
    )
    return ok


def is_free(enc: Encoded, ri: IntArray, vj: IntArray) -> npt.NDArray[np.bool_]:
    """Is the volunteer available on the weekday of the request's date?"""
    ok: npt.NDArray[np.bool_] = ((enc.v_days[vj] >> enc.r_wday[ri]) & 1) == 1
    return ok


def pair_distance_km(enc: Encoded, ri: IntArray, vj: IntArray) -> FloatArray:
    return haversine_km(enc.r_lat[ri], enc.r_lon[ri], enc.v_lat[vj], enc.v_lon[vj])


def _reach_bands(reach: FloatArray) -> IntArray:
    """Band number per volunteer: reaches within a band differ by at most ``_BAND_RATIO``."""
    band = np.full(reach.shape, -1, dtype=np.int64)  # -1: reach 0 (same spot only)
    pos = reach > 0
    band[pos] = np.floor(np.log(reach[pos]) / math.log(_BAND_RATIO)).astype(np.int64) + 1_000
    return band


@dataclass(frozen=True, slots=True)
class Candidates:
    """Eligible pairs sorted by (request, volunteer), with their haversine distance."""

    request: IntArray
    volunteer: IntArray
    distance_km: FloatArray


def candidate_pairs(enc: Encoded) -> Candidates:
    """Every eligible (request, volunteer) pair under the exact model."""
    r_xyz = unit_vectors(enc.r_lat, enc.r_lon)
    v_xyz = unit_vectors(enc.v_lat, enc.v_lon)
    v_chord = np.array([chord_for_km(float(km)) for km in enc.v_reach], dtype=np.float64)
    bands = _reach_bands(enc.v_reach)
    found_r: list[IntArray] = []
    found_v: list[IntArray] = []
    found_d: list[FloatArray] = []
    for day in range(7):
        r_idx = np.flatnonzero(enc.r_wday == day)
        v_idx = np.flatnonzero((enc.v_days >> day) & 1)
        if r_idx.size == 0 or v_idx.size == 0:
            continue
        r_tree = cKDTree(r_xyz[r_idx])
        day_bands = bands[v_idx]
        for band in np.unique(day_bands):
            members = v_idx[day_bands == band]
            radius = chord_for_km(float(enc.v_reach[members].max()))
            v_tree = cKDTree(v_xyz[members])
            near = v_tree.sparse_distance_matrix(r_tree, radius, output_type="ndarray")
            if near.size == 0:
                continue
            vj = members[near["i"].astype(np.int64)]
            ri = r_idx[near["j"].astype(np.int64)]
            # Each volunteer's own reach (the band radius is the band's largest), then the
            # cheap attribute rules, then the exact distance on what is left.
            keep = near["v"] <= v_chord[vj]
            ri, vj = ri[keep], vj[keep]
            keep = has_skills(enc, ri, vj)
            ri, vj = ri[keep], vj[keep]
            keep = is_vetted(enc, ri, vj)
            ri, vj = ri[keep], vj[keep]
            dist = pair_distance_km(enc, ri, vj)
            keep = dist <= enc.v_reach[vj]
            found_r.append(ri[keep])
            found_v.append(vj[keep])
            found_d.append(dist[keep])
    if not found_r:
        empty_i = np.zeros(0, dtype=np.int64)
        return Candidates(empty_i, empty_i.copy(), np.zeros(0, dtype=np.float64))
    ri = np.concatenate(found_r)
    vj = np.concatenate(found_v)
    dist = np.concatenate(found_d)
    # One int64 key sorts by (request, volunteer) far faster than np.lexsort.
    order = np.argsort(ri * max(1, enc.n_volunteers) + vj, kind="stable")
    return Candidates(ri[order], vj[order], dist[order])
