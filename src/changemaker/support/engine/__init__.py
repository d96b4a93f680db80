"""Pure-Python engine of the support capability (no Django: enforced by tests/test_architecture.py).

Public API::

    from changemaker.support.engine import Matcher, read_requests, read_volunteers

    result = Matcher().match(read_requests("requests.csv"), read_volunteers("volunteers.csv"))
"""

from .csvio import (
    InputError,
    Problem,
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
