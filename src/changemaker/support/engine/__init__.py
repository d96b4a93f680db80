"""Pure-Python engine of the support capability (no Django: enforced by tests/test_architecture.py).

Public API::

    from changemaker.support.engine import Matcher, read_requests, read_volunteers

    result = Matcher().match(read_requests("requests.csv"), read_volunteers("volunteers.csv"))
    result.assignments  # (Assignment(request_id, volunteer_id, distance_km), ...)
    result.unmatched    # (Unmatched(request_id, Reason), ...)
    result.objective    # Objective(weight, max_weight, distance_km, matched, ...)

Modules: ``model`` (data types), ``geo`` (haversine, R = 6371 km), ``candidates``
(k-d tree search for eligible pairs), ``matching`` (OR-Tools min-cost flow with an
exact lexicographic objective), ``explain`` (why a request is unmatched),
``csvio`` (CSV readers with file/line/column errors, writers, JSON),
``reference`` (slow exact solvers used by the tests and ``bench/support.py``),
``synthetic`` (seeded realistic instances).
"""

from changemaker.engine.problems import InputError, Problem

from .csvio import (
    parse_requests,
    parse_volunteers,
    read_requests,
    read_volunteers,
    result_to_dict,
    write_requests,
    write_result_json,
    write_volunteers,
)
from .matching import Matcher, MatchingError
from .model import (
    DAY_NAMES,
    DEFAULT_WEIGHTS,
    Assignment,
    MatchResult,
    Objective,
    Reason,
    Request,
    Unmatched,
    Urgency,
    Vetting,
    Volunteer,
)

__all__ = [
    "DAY_NAMES",
    "DEFAULT_WEIGHTS",
    "Assignment",
    "InputError",
    "MatchResult",
    "Matcher",
    "MatchingError",
    "Objective",
    "Problem",
    "Reason",
    "Request",
    "Unmatched",
    "Urgency",
    "Vetting",
    "Volunteer",
    "parse_requests",
    "parse_volunteers",
    "read_requests",
    "read_volunteers",
    "result_to_dict",
    "write_requests",
    "write_result_json",
    "write_volunteers",
]
