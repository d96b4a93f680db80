"""Community support's background jobs: the matcher (it reads the open requests and active
volunteers the coordinator can see, runs the optimal engine and stores proposals to review),
vetting reminders and retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job
from changemaker.support import actions, adapter


def describe_match(result: dict[str, Any]) -> list[str]:
    """A matcher run in words: "12 matches proposed for 15 requests" and what was left."""
    requests, matched = int(result.get("requests", 0)), int(result.get("matched", 0))
    volunteers = int(result.get("volunteers", 0))
    of = ngettext("%(n)s request", "%(n)s requests", requests) % {"n": requests}
    lines = [
        ngettext("%(m)s match proposed for %(of)s.", "%(m)s matches proposed for %(of)s.", matched)
        % {"m": matched, "of": of},
        ngettext(
            "%(n)s active volunteer was considered.",
            "%(n)s active volunteers were considered.",
            volunteers,
        )
        % {"n": volunteers},
    ]
    if matched:
        lines.append(
            _("Volunteers would travel %(km)s km in all.")
            % {"km": f"{float(result.get('distance_km', 0)):.1f}"}
        )
    left = len(result.get("unmatched", []))
    if left:
        lines.append(
            ngettext(
                "%(n)s request could not be matched: the proposals page says why.",
                "%(n)s requests could not be matched: the proposals page says why.",
                left,
            )
            % {"n": left}
        )
    return lines


def describe_reminders(result: dict[str, Any]) -> list[str]:
    sent = int(result.get("sent", 0))
    if not sent:
        return [_("No DBS check reminders were due.")]
    return [
        ngettext(
            "%(n)s volunteer was reminded that their DBS check runs out soon.",
            "%(n)s volunteers were reminded that their DBS check runs out soon.",
            sent,
        )
        % {"n": sent}
    ]


def describe_retention(result: dict[str, Any]) -> list[str]:
    done = int(result.get("anonymised", 0))
    if not done:
        return [_("No closed requests were due for their personal details to be removed.")]
    return [
        ngettext(
            "Personal details were removed from %(n)s closed request.",
            "Personal details were removed from %(n)s closed requests.",
            done,
        )
        % {"n": done}
    ]


@register("support.match", retry_when_lost=True, describe=describe_match)
def match(job: Job) -> dict[str, Any]:
    council = job.council
    if council is None:
        raise JobFailed("The matching job has no council.")
    return adapter.propose_matches(council, job.params.get("scope"), job)


@register(
    "support.vetting_reminders",
    every=timedelta(days=1),
    retry_when_lost=True,
    describe=describe_reminders,
)
def vetting_reminders(job: Job) -> dict[str, Any]:
    """Daily: DBS expiry reminders 60, 30 and 7 days before (idempotent)."""
    return {"sent": actions.send_vetting_reminders()}


@register(
    "support.retention", every=timedelta(days=1), retry_when_lost=True, describe=describe_retention
)
def retention(job: Job) -> dict[str, Any]:
    """Daily: remove personal details of requests closed longer than the retention period."""
    return {"anonymised": actions.anonymise_closed_requests()}
