"""The story the demo council's capabilities tell together, in one place because two of them
tell it and neither may import the other: Exampleton's early-help pilot.

The shared view of need (insight's demo) raises its flags over the months around the pilot's
start, fewer after it in the pilot wards; the pilot register (evidence's demo) takes the
"Referred to the crisis team" counts by ward and month from that view, as a service lead would,
and analyses them. Not loaded by ``load_demo`` itself (no ``load``): a module of facts.
"""

from __future__ import annotations

from datetime import date
from typing import Final

#: The pilot runs in the first PILOT_WARDS wards by code, the others are its comparison.
PILOT_WARDS: Final = 3
#: Months of flags before the pilot's start and from it, up to and including this month.
PILOT_MONTHS_BEFORE: Final = 3
PILOT_MONTHS_AFTER: Final = 3
#: The indicator whose newly flagged people are the pilot's outcome.
CRISIS_INDICATOR: Final = "Referred to the crisis team"


def month_shift(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s (before, if negative)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def pilot_start(today: date) -> date:
    """The first day of the month the pilot started: ``PILOT_MONTHS_AFTER`` months up to and
    including ``today``'s are after it."""
    return month_shift(today, 1 - PILOT_MONTHS_AFTER)


def pilot_first_month(today: date) -> date:
    """The first day of the first month of the story (``PILOT_MONTHS_BEFORE`` before the start)."""
    return month_shift(pilot_start(today), -PILOT_MONTHS_BEFORE)
