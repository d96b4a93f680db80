"""How and when people hear about notices.

- Someone may hear of one notice for several reasons (it is about their own idea, and they
  follow its ward): they get it once, the most immediate way they chose (:func:`soonest`).
- A failed email is tried again after a growing pause (:func:`backoff`), at most
  :data:`MAX_ATTEMPTS` times in all, then given up.
- A digest gathers everything that waited for it; :data:`PERIOD` says how often it goes.
"""

from __future__ import annotations

from datetime import timedelta
from enum import StrEnum


class How(StrEnum):
    AT_ONCE = "at_once"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


_ORDER = [How.AT_ONCE, How.DAILY, How.WEEKLY, How.NEVER]

#: attempts in all (the first included) before a notification's email is given up
MAX_ATTEMPTS = 5
BACKOFF_BASE = timedelta(minutes=1)
BACKOFF_FACTOR = 4
BACKOFF_CAP = timedelta(hours=6)

PERIOD = {How.DAILY: timedelta(days=1), How.WEEKLY: timedelta(days=7)}


def soonest(*hows: How | str) -> How:
    """The most immediate of several choices (NEVER only when every choice is NEVER)."""
    if not hows:
        raise ValueError("soonest() needs at least one choice")
    return min((How(h) for h in hows), key=_ORDER.index)


def backoff(attempts: int) -> timedelta | None:
    """The pause before the next try after ``attempts`` failed tries; None: give up."""
    if attempts < 1:
        raise ValueError("backoff() is for a failed try: attempts >= 1")
    if attempts >= MAX_ATTEMPTS:
        return None
    pause: timedelta = BACKOFF_BASE * BACKOFF_FACTOR ** (attempts - 1)
    return min(pause, BACKOFF_CAP)


def retry_schedule() -> list[timedelta]:
    """Every pause a notification may wait, in order (what the CLI shows)."""
    pauses = []
    for attempts in range(1, MAX_ATTEMPTS):
        pause = backoff(attempts)
        assert pause is not None
        pauses.append(pause)
    return pauses
