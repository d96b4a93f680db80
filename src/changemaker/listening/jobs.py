"""Listening's background jobs, thin: the adapter hands notices on and sends; actions record.

- "listening.fan_out": started when notices are published; hands each on to its people, then
  emails those who hear at once.
- "listening.send": emails what is due at once; failed emails wait for their next try
  (growing pauses, then given up: ``engine.backoff``) and the job queues itself for it.
- "listening.daily" and "listening.weekly": the digests (scheduled).
- "listening.stories.group": suggested groupings of a collection's stories (the engine in
  ``adapter.suggest_groupings``), with progress.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from django.utils.translation import ngettext

from changemaker.core.actions import start_job
from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.listening import adapter, selectors
from changemaker.listening.engine import PERIOD, How
from changemaker.listening.models import StoryCollection
from changemaker.listening.selectors import GROUPING

FAN_OUT = "listening.fan_out"
SEND = "listening.send"


def _start_once(kind: str, title: str, delay: timedelta | None = None) -> Job | None:
    if Job.objects.filter(kind=kind, status=Job.Status.QUEUED).exists():
        return None
    return start_job(kind, title=title, delay=delay)


def notices_published() -> None:
    """Core calls this once a transaction that published notices has committed."""
    _start_once(FAN_OUT, "Hand notices on")


def _retry_later() -> None:
    """Queue the next sending run for the soonest retry, if any waits."""
    soonest = selectors.next_retry_at()
    if soonest is not None:
        _start_once(SEND, "Send notification emails", max(soonest - timezone.now(), timedelta(0)))


@register(FAN_OUT, retry_when_lost=True)
def fan_out(job: Job) -> dict[str, Any]:
    job.report(0, total=2, message="Handing notices on")
    handed = adapter.dispatch_waiting()
    job.report(1, message="Sending emails")
    sent = adapter.send_due()
    _retry_later()
    return {**handed, **sent}


@register(SEND)
def send(job: Job) -> dict[str, Any]:
    result = adapter.send_due()
    _retry_later()
    return result


@register("listening.daily", every=PERIOD[How.DAILY])
def daily(job: Job) -> dict[str, Any]:
    adapter.dispatch_waiting()
    return adapter.send_digests(How.DAILY)


@register("listening.weekly", every=PERIOD[How.WEEKLY])
def weekly(job: Job) -> dict[str, Any]:
    adapter.dispatch_waiting()
    return adapter.send_digests(How.WEEKLY)


def _describe_grouping(result: dict[str, Any]) -> list[str]:
    return [
        ngettext("Read %(n)s story.", "Read %(n)s stories.", int(result.get("stories", 0)))
        % {"n": result.get("stories", 0)},
        ngettext("Suggested %(n)s theme.", "Suggested %(n)s themes.", int(result.get("groups", 0)))
        % {"n": result.get("groups", 0)},
    ]


@register(GROUPING, retry_when_lost=True, describe=_describe_grouping)
def group_stories(job: Job) -> dict[str, Any]:
    """Suggest groupings of a collection's stories (the engine runs outside any transaction;
    the suggestions are stored in one)."""
    collection = StoryCollection.objects.filter(pk=job.params.get("collection")).first()
    if collection is None:
        raise JobFailed("The collection of stories no longer exists.")
    job.report(0, total=2, message="Reading the stories")
    result = adapter.suggest_groupings(collection)
    job.report(2, message="Suggestions ready")
    return result
