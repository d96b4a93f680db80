"""The house formats for dates and times, in the reader's language: "1 December 2026" (Welsh
month names in Welsh) and GOV.UK times, "6am", "6:30pm", "midday", "midnight" (never
"6:00a.m." or "18:30"), and a moment as "6:30pm on 1 December 2026". Templates use the
``govuk_time`` and ``govuk_moment`` filters (``core.templatetags.govuk``)."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def long_date(day: date | datetime | str) -> str:
    """A day in the house long format: "1 December 2026". Takes a date, a moment (told in local
    time) or an ISO date as frozen in stored data ("2026-12-01")."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if isinstance(day, datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return date_format(day, "j F Y")


def clock(moment: datetime) -> str:
    """A moment's local time the GOV.UK way: "6am", "6:30pm", "midday", "midnight"."""
    local = timezone.localtime(moment) if timezone.is_aware(moment) else moment
    hour, minute = local.hour, local.minute
    if minute == 0 and hour == 0:
        return _("midnight")
    if minute == 0 and hour == 12:
        return _("midday")
    shown = str(hour % 12 or 12) + (f":{minute:02d}" if minute else "")
    if hour < 12:
        return _("%(time)sam") % {"time": shown}
    return _("%(time)spm") % {"time": shown}


def moment(when: datetime) -> str:
    """A moment the GOV.UK way, in local time: "6:30pm on 1 December 2026"."""
    return _("%(time)s on %(date)s") % {"time": clock(when), "date": long_date(when)}
