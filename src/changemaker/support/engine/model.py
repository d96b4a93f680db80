"""The matching model's data types: requests, volunteers and the result of a run.

Everything here is plain, immutable data. Validation in ``__post_init__`` keeps
programmatic callers honest; the CSV readers (:mod:`.csvio`) check the same rules
first so that a coordinator gets an error naming the file, line and column.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass, field

DAY_NAMES: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names as written in ``available_days``; index = :meth:`datetime.date.weekday`."""


class Urgency(enum.Enum):
    """How soon a request must be met."""

    URGENT = "urgent"
    SOON = "soon"
    ROUTINE = "routine"


DEFAULT_WEIGHTS: dict[Urgency, int] = {Urgency.URGENT: 3, Urgency.SOON: 2, Urgency.ROUTINE: 1}
"""The issue's urgency weights: urgent 3, soon 2, routine 1."""


class Vetting(enum.IntEnum):
    """Vetting level, ordered: none < basic < enhanced (e.g. DBS basic / enhanced)."""

    NONE = 0
    BASIC = 1
    ENHANCED = 2

    @property
    def label(self) -> str:
        return self.name.lower()


class Reason(enum.Enum):
    """Why a request was left unmatched (the first reason that applies, in this order)."""

    NO_SKILL = "no_volunteer_with_skill"
    OUT_OF_RANGE = "no_volunteer_in_range"
    NOT_VETTED = "no_volunteer_vetted"
    NOT_FREE = "no_volunteer_free_that_day"
    CAPACITY = "capacity_used_by_more_urgent"
    CAPACITY_EQUAL = "capacity_used_by_equally_urgent"

    @property
    def sentence(self) -> str:
        return _SENTENCES[self]


_SENTENCES = {
    Reason.NO_SKILL: "No volunteer has every skill this request needs.",
    Reason.OUT_OF_RANGE: "No volunteer with the skills can travel this far.",
    Reason.NOT_VETTED: (
        "No volunteer with the skills and in range has the vetting needed, valid on the date."
    ),
    Reason.NOT_FREE: "No suitable volunteer is available on that day of the week.",
    Reason.CAPACITY: "Every suitable volunteer is fully booked by more urgent requests.",
    Reason.CAPACITY_EQUAL: (
        "Every suitable volunteer is fully booked by requests at least as urgent as this one; "
        "among equally urgent requests the matcher kept total travel lowest."
    ),
}


def _check_coordinates(kind: str, ident: str, lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and -90.0 <= lat <= 90.0):
        raise ValueError(f"{kind} {ident!r}: latitude {lat!r} is not between -90 and 90")
    if not (math.isfinite(lon) and -180.0 <= lon <= 180.0):
        raise ValueError(f"{kind} {ident!r}: longitude {lon!r} is not between -180 and 180")


@dataclass(frozen=True, slots=True)
class Request:
    """A help request: where, what skills it needs, how urgent, what vetting, which day."""

    request_id: str
    lat: float
    lon: float
    needs: frozenset[str]
    urgency: Urgency
    vetting_required: Vetting
    date: dt.date

    def __post_init__(self) -> None:
        if not self.request_id:
            raise ValueError("request_id must not be empty")
        _check_coordinates("request", self.request_id, self.lat, self.lon)


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A volunteer: where, skills, vetting (and its expiry), weekdays, reach and capacity."""

    volunteer_id: str
    lat: float
    lon: float
    skills: frozenset[str]
    vetting: Vetting
    vetting_expires: dt.date | None
    available_days: frozenset[int]
    """Weekdays as :meth:`datetime.date.weekday` numbers: 0 = Monday ... 6 = Sunday."""
    max_distance_km: float
    capacity: int

    def __post_init__(self) -> None:
        if not self.volunteer_id:
            raise ValueError("volunteer_id must not be empty")
        _check_coordinates("volunteer", self.volunteer_id, self.lat, self.lon)
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in self.available_days):
            raise ValueError(f"volunteer {self.volunteer_id!r}: available_days must be 0..6")
        if not (math.isfinite(self.max_distance_km) and self.max_distance_km >= 0):
            raise ValueError(
                f"volunteer {self.volunteer_id!r}: max_distance_km must be a number >= 0"
            )
        if isinstance(self.capacity, bool) or self.capacity < 0:
            raise ValueError(f"volunteer {self.volunteer_id!r}: capacity must be >= 0")


@dataclass(frozen=True, slots=True)
class Assignment:
    """Request ``request_id`` goes to volunteer ``volunteer_id``, ``distance_km`` apart."""

    request_id: str
    volunteer_id: str
    distance_km: float


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A request left unmatched, and why."""

    request_id: str
    reason: Reason


@dataclass(frozen=True, slots=True)
class Objective:
    """The lexicographic objective of a result, plus counts for people reading it.

    ``weight`` is maximised first, then ``distance_km`` is minimised. The solver
    works on distances rounded to ``resolution_m`` metres, so ``distance_km`` is
    within ``matched * resolution_m / 1000`` km of the true optimum for that weight.
    """

    weight: int
    max_weight: int
    distance_km: float
    matched: int
    unmatched: int
    resolution_m: float


@dataclass(frozen=True, slots=True)
class MatchResult:
    """Assignments (in request input order), unmatched requests with reasons, objective."""

    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    objective: Objective
    timings: dict[str, float] = field(default_factory=dict, compare=False)
