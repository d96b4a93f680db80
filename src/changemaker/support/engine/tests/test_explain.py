"""Every unmatched request gets the right reason."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings

from changemaker.support.engine import DEFAULT_WEIGHTS, Matcher, Reason, Request, Volunteer
from changemaker.support.engine.reference import distance_matrix
from changemaker.support.engine.synthetic import generate

from .strategies import medium_instances, small_instances


def check_reasons(requests: list[Request], volunteers: list[Volunteer]) -> None:
    result = Matcher().match(requests, volunteers)
    index = {r.request_id: i for i, r in enumerate(requests)}
    vol_index = {v.volunteer_id: j for j, v in enumerate(volunteers)}
    dist = distance_matrix(requests, volunteers) if volunteers else None
    served: dict[int, list[int]] = defaultdict(list)
    for a in result.assignments:
        served[vol_index[a.volunteer_id]].append(index[a.request_id])
    for u in result.unmatched:
        i = index[u.request_id]
        r = requests[i]
        skilled = [j for j, v in enumerate(volunteers) if r.needs <= v.skills]
        near = [
            j for j in skilled if dist is not None and dist[i, j] <= volunteers[j].max_distance_km
        ]
        vetted = [
            j
            for j in near
            if volunteers[j].vetting >= r.vetting_required
            and (
                r.vetting_required == 0
                or volunteers[j].vetting_expires is None
                or volunteers[j].vetting_expires >= r.date
            )
        ]
        free = [j for j in vetted if r.date.weekday() in volunteers[j].available_days]
        if not skilled:
            assert u.reason is Reason.NO_SKILL
        elif not near:
            assert u.reason is Reason.OUT_OF_RANGE
        elif not vetted:
            assert u.reason is Reason.NOT_VETTED
        elif not free:
            assert u.reason is Reason.NOT_FREE
        else:
            # What the reason claims: every eligible volunteer is fully booked, and only
            # by requests at least as urgent as this one; strictly more urgent for CAPACITY.
            w = DEFAULT_WEIGHTS[r.urgency]
            booked = [DEFAULT_WEIGHTS[requests[k].urgency] for j in free for k in served[j]]
            for j in free:
                assert len(served[j]) == volunteers[j].capacity
            assert all(b >= w for b in booked)
            if all(b > w for b in booked):
                assert u.reason is Reason.CAPACITY
            else:
                assert u.reason is Reason.CAPACITY_EQUAL


@settings(max_examples=250, deadline=None)
@given(small_instances())
def test_small_instances(instance: tuple[list[Request], list[Volunteer]]) -> None:
    check_reasons(*instance)


@settings(max_examples=30, deadline=None)
@given(medium_instances())
def test_medium_instances(instance: tuple[list[Request], list[Volunteer]]) -> None:
    check_reasons(*instance)


def test_realistic_instance_has_every_kind_of_reason() -> None:
    requests, volunteers = generate(1500, 500, seed=3)
    check_reasons(requests, volunteers)
    reasons = {u.reason for u in Matcher().match(requests, volunteers).unmatched}
    assert Reason.CAPACITY in reasons and Reason.CAPACITY_EQUAL in reasons
    assert len(reasons) >= 4


def test_every_reason_reads_as_a_sentence() -> None:
    for reason in Reason:
        assert reason.sentence.endswith(".") and reason.value.islower()
