"""The house formats for dates and times (walk F7, F3): "1 December 2026", "6am", "6:30pm",
"midday", "6:30pm on 1 December 2026", in the reader's language."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from changemaker.core.dates import clock, long_date, moment


def _london(hour: int, minute: int) -> datetime:
    return timezone.make_aware(datetime(2026, 12, 7, hour, minute))


@pytest.mark.parametrize(
    ("hour", "minute", "english", "welsh"),
    [
        (6, 0, "6am", "6yb"),
        (18, 30, "6:30pm", "6:30yh"),
        (12, 0, "midday", "canol dydd"),
        (0, 0, "midnight", "hanner nos"),
        (0, 5, "12:05am", "12:05yb"),
        (12, 45, "12:45pm", "12:45yh"),
    ],
)
def test_times_the_gov_uk_way(hour: int, minute: int, english: str, welsh: str) -> None:
    moment = _london(hour, minute)
    with translation.override("en"):
        assert clock(moment) == english
    with translation.override("cy"):
        assert clock(moment) == welsh


def test_a_utc_moment_is_told_in_local_time() -> None:
    summer = timezone.make_aware(datetime(2026, 7, 1, 5, 0), timezone.get_fixed_timezone(0))
    assert clock(summer) == "6am"  # British Summer Time


def test_long_dates_in_each_language() -> None:
    with translation.override("en"):
        assert long_date(date(2026, 12, 1)) == "1 December 2026"
        assert long_date("2026-12-01") == "1 December 2026"  # as frozen (ISO)
    with translation.override("cy"):
        assert long_date(date(2026, 12, 1)) == "1 Rhagfyr 2026"


def test_the_template_filter() -> None:
    page = Template("{% load govuk %}{{ when|govuk_time }}").render(
        Context({"when": _london(6, 0)})
    )
    assert page == "6am"


def test_a_moment_is_its_time_on_its_day() -> None:
    """Deadlines and when something happened, the GOV.UK way (never "7 December 2026 18:30")."""
    evening = _london(18, 30)
    with translation.override("en"):
        assert moment(evening) == "6:30pm on 7 December 2026"
    with translation.override("cy"):
        assert moment(evening) == "6:30yh ar 7 Rhagfyr 2026"
    late = timezone.make_aware(datetime(2026, 6, 30, 23, 30), timezone.get_fixed_timezone(0))
    assert moment(late) == "12:30am on 1 July 2026"  # British Summer Time: the next day
    page = Template("{% load govuk %}{{ when|govuk_moment }}|{{ nothing|govuk_moment }}").render(
        Context({"when": _london(12, 0), "nothing": None})
    )
    assert page == "midday on 7 December 2026|"
