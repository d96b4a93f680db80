"""Why each unmatched request is unmatched.

A request with at least one eligible volunteer that the optimal matching still
leaves out is unmatched because of capacity: in an optimal matching every
eligible volunteer of such a request is fully booked, and only by requests at
least as urgent (otherwise swapping would raise the matched urgency weight).
The reason is ``CAPACITY`` when all those requests are strictly more urgent and
``CAPACITY_EQUAL`` when some are equally urgent (then distance decided). A
volunteer with capacity 0 counts as fully booked (by nobody).

A request with no eligible volunteer gets the first reason of this funnel over
all volunteers: nobody has every skill it needs; nobody with the skills is in
range; nobody with the skills and in range is vetted (level, and expiry on the
request's date); nobody left is available on that weekday.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from .candidates import Candidates, Encoded, has_skills, is_free, is_vetted, pair_distance_km
from .model import Reason

_CHUNK_PAIRS = 1_000_000  # request x volunteer pairs examined at once


def explain_unmatched(
    enc: Encoded,
    cand: Candidates,
    chosen: npt.NDArray[np.int64],
    weight: npt.NDArray[np.int64],
) -> dict[int, Reason]:
    """Map each unmatched request index to its reason (``weight``: urgency weight per request)."""
    matched = np.zeros(enc.n_requests, dtype=bool)
    matched[cand.request[chosen]] = True
    has_candidate = np.zeros(enc.n_requests, dtype=bool)
    has_candidate[cand.request] = True
    # Least urgent weight each volunteer serves (a huge number when it serves nobody).
    least_served = np.full(enc.n_volunteers, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(least_served, cand.volunteer[chosen], weight[cand.request[chosen]])
    left_out = ~matched[cand.request]
    tie = least_served[cand.volunteer[left_out]] <= weight[cand.request[left_out]]
    has_tie = np.zeros(enc.n_requests, dtype=bool)
    has_tie[cand.request[left_out][tie]] = True
    reasons: dict[int, Reason] = {
        int(i): Reason.CAPACITY_EQUAL if has_tie[i] else Reason.CAPACITY
        for i in np.flatnonzero(has_candidate & ~matched)
    }
    lonely = np.flatnonzero(~has_candidate)
    reasons.update(funnel(enc, lonely))
    return reasons


def funnel(enc: Encoded, requests: npt.NDArray[np.int64]) -> dict[int, Reason]:
    """First failing rule for requests that have no eligible volunteer at all."""
    out: dict[int, Reason] = {}
    m = enc.n_volunteers
    if requests.size == 0:
        return out
    if m == 0:
        return {int(i): Reason.NO_SKILL for i in requests}
    step = max(1, _CHUNK_PAIRS // m)
    for start in range(0, requests.size, step):
        chunk = requests[start : start + step]
        c = chunk.size
        local = np.repeat(np.arange(c, dtype=np.int64), m)
        ri = chunk[local]
        vj = np.tile(np.arange(m, dtype=np.int64), c)
        keep = has_skills(enc, ri, vj)
        any_skill = np.bincount(local[keep], minlength=c) > 0
        local, ri, vj = local[keep], ri[keep], vj[keep]
        keep = pair_distance_km(enc, ri, vj) <= enc.v_reach[vj]
        any_range = np.bincount(local[keep], minlength=c) > 0
        local, ri, vj = local[keep], ri[keep], vj[keep]
        keep = is_vetted(enc, ri, vj)
        any_vetted = np.bincount(local[keep], minlength=c) > 0
        local, ri, vj = local[keep], ri[keep], vj[keep]
        keep = is_free(enc, ri, vj)
        any_free = np.bincount(local[keep], minlength=c) > 0
        for k, i in enumerate(chunk.tolist()):
            if not any_skill[k]:
                out[i] = Reason.NO_SKILL
            elif not any_range[k]:
                out[i] = Reason.OUT_OF_RANGE
            elif not any_vetted[k]:
                out[i] = Reason.NOT_VETTED
            elif not any_free[k]:
                out[i] = Reason.NOT_FREE
            else:  # pragma: no cover - the candidate search and the funnel disagree
                raise AssertionError(f"request {i} is eligible but had no candidate pair")
    return out
