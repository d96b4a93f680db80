from datetime import timedelta

import pytest

from changemaker.listening.engine import MAX_ATTEMPTS, How, backoff, retry_schedule, soonest


def test_soonest_takes_the_most_immediate_choice() -> None:
    assert soonest(How.WEEKLY, How.DAILY) == How.DAILY
    assert soonest("never", "at_once", "weekly") == How.AT_ONCE
    assert soonest(How.NEVER) == How.NEVER


def test_soonest_needs_a_choice() -> None:
    with pytest.raises(ValueError):
        soonest()


def test_backoff_grows_then_gives_up() -> None:
    pauses = [backoff(n) for n in range(1, MAX_ATTEMPTS + 1)]
    assert pauses[:4] == [
        timedelta(minutes=1),
        timedelta(minutes=4),
        timedelta(minutes=16),
        timedelta(minutes=64),
    ]
    assert pauses[-1] is None
    assert retry_schedule() == pauses[:-1]


def test_backoff_is_for_failed_tries_only() -> None:
    with pytest.raises(ValueError):
        backoff(0)
