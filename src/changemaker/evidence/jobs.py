"""The evidence capability's background jobs: checking an outcome-data upload (all or
nothing) and analysing it. Thin: the adapter reads and runs the engine, actions store."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta
from typing import Any

from django.core.files.storage import storages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.core.jobs import JobFailed, register
from changemaker.core.models import Job, User
from changemaker.core.registry import OutcomeRefused, OutcomeSource
from changemaker.evidence import actions, adapter, explain, feeds
from changemaker.evidence import engine as ev
from changemaker.evidence.models import Analysis, OutcomeData, Pilot, Subscription


def _delete_upload(job: Job) -> None:
    """A failed or lost upload keeps no copy of the file. Idempotent."""
    if "file" in job.params:
        with contextlib.suppress(FileNotFoundError):
            storages["private"].delete(job.params["file"])


def _pilot(job: Job) -> Pilot:
    pilot = Pilot.objects.filter(pk=job.params.get("pilot"), council=job.council).first()
    if pilot is None:
        raise JobFailed(_("The pilot no longer exists."))
    return pilot


def describe_upload(result: dict[str, Any]) -> list[str]:
    """What a finished upload did, in words for its page."""
    rows = int(result.get("rows", 0))
    return [
        ngettext(
            "%(rows)s row of outcome data was checked and saved.",
            "%(rows)s rows of outcome data were checked and saved.",
            rows,
        )
        % {"rows": rows},
        _("Analyse it from the pilot's page."),
    ]


def describe_analysis(result: dict[str, Any]) -> list[str]:
    """What a finished analysis found: the headline sentence of the stored result (in the
    reader's language), or the estimate alone if the analysis has since gone."""
    found = result.get("analysis")
    analysis = Analysis.objects.filter(pk=found).select_related("pilot").first() if found else None
    if analysis is None:
        estimate = result.get("estimate")
        if estimate is None:
            return [_("The analysis is finished.")]
        places = max(explain.decimals_for(float(estimate)), 1)
        return [
            _("The analysis is finished: the estimated effect is %(estimate)s.")
            % {"estimate": explain.number(float(estimate), places)}
        ]
    return [
        _("The analysis is finished."),
        explain.sentence(analysis.pilot, analysis.result),
    ]


@register("evidence.upload", on_failed=_delete_upload, describe=describe_upload)
def check_upload(job: Job) -> dict[str, Any]:
    """Read the uploaded CSV, check every value the design needs, then keep it whole (or
    nothing, with every problem's line and column); the file is deleted whatever happens."""
    storage, params = storages["private"], job.params
    try:
        pilot = _pilot(job)
        job.report(0, total=2, message=_("Reading the file"))
        try:
            with storage.open(params["file"], "rb") as upload:
                data = upload.read()
        except (FileNotFoundError, KeyError) as exc:
            raise JobFailed(_("The uploaded file is no longer there. Upload it again.")) from exc
        try:
            rows = adapter.check_outcome_data(
                data, params["source"], pilot.design, params["columns"]
            )
        except ev.EvidenceError as exc:
            raise JobFailed(
                _("%(problems)s\nNothing has been saved: fix the file and upload it again.")
                % {"problems": exc}
            ) from exc
        job.report(1, message=_("Saving %(rows)s rows") % {"rows": rows})
        stored = actions.store_outcome_data(
            pilot,
            source=params["source"],
            text=data.decode("utf-8-sig"),
            columns=params["columns"],
            n_rows=rows,
            by=job.created_by,
        )
    finally:
        if "file" in params:
            storage.delete(params["file"])
    return {
        "rows": stored.n_rows,
        "link": reverse("evidence:staff-pilot", args=[pilot.slug]),
    }


def describe_extract(result: dict[str, Any]) -> list[str]:
    """What a finished extract did, in words for its page."""
    rows, hidden = int(result.get("rows", 0)), int(result.get("suppressed", 0))
    return [
        ngettext(
            "%(rows)s count by ward and month was saved as outcome data.",
            "%(rows)s counts by ward and month were saved as outcome data.",
            rows,
        )
        % {"rows": rows},
        ngettext(
            "%(n)s was too small to share and is left out of the analysis as missing.",
            "%(n)s were too small to share and are left out of the analysis as missing.",
            hidden,
        )
        % {"n": hidden},
        _("Analyse it from the pilot's page."),
    ]


def store_shared(
    pilot: Pilot, source: OutcomeSource, table: adapter.SharedTable, *, by: User | None
) -> OutcomeData:
    """Keep a shared table as the pilot's outcome data, as an upload would be (the job and the
    demo)."""
    return actions.store_outcome_data(
        pilot,
        source=str(source.label)[:200],
        text=table.text,
        columns=table.columns,
        n_rows=table.n_rows,
        by=by,
    )


@register("evidence.extract", retry_when_lost=True, describe=describe_extract)
def extract(job: Job) -> dict[str, Any]:
    """Take the pilot's outcome as ward-by-month counts from another capability's outcome
    source (aggregates only, small numbers suppressed there), kept as an upload would be."""
    pilot, params = _pilot(job), job.params
    job.report(0, total=2, message=_("Asking for the counts"))
    try:
        source = adapter.shared_source(pilot.council, str(params.get("source", "")))
        table = adapter.shared_outcome(
            pilot,
            source,
            start=date.fromisoformat(params["start"]),
            end=date.fromisoformat(params["end"]),
            treated=list(params["treated"]),
            starts=date.fromisoformat(params["starts"]),
        )
    except OutcomeRefused as refused:
        raise JobFailed(_("%(why)s\nNothing has been saved.") % {"why": refused}) from refused
    job.report(1, message=_("Saving %(rows)s rows") % {"rows": table.n_rows})
    stored = store_shared(pilot, source, table, by=job.created_by)
    return {
        "rows": stored.n_rows,
        "suppressed": table.suppressed,
        "link": reverse("evidence:staff-pilot", args=[pilot.slug]),
    }


@register("evidence.analyse", retry_when_lost=True, describe=describe_analysis)
def analyse(job: Job) -> dict[str, Any]:
    """Run the engine on stored outcome data, then store the result in one transaction."""
    pilot = _pilot(job)
    data = OutcomeData.objects.filter(pk=job.params.get("data"), pilot=pilot).first()
    if data is None:
        raise JobFailed(_("The outcome data no longer exists."))
    job.report(0, total=1, message=_("Analysing %(rows)s rows") % {"rows": data.n_rows})
    try:
        result = adapter.analyse(pilot, data)
    except ev.EvidenceError as exc:
        raise JobFailed(
            _("%(problems)s\nNothing was analysed: fix the data and upload it again.")
            % {"problems": exc}
        ) from exc
    analysis = actions.store_analysis(data, result=result)
    return {
        "estimate": result["estimate"],
        "analysis": analysis.pk,
        "link": reverse("evidence:staff-analysis", args=[pilot.slug, analysis.pk]),
    }


def _check_one(found: Subscription) -> Subscription:
    """Fetch and verify one subscription's feed, then keep what was found (actions)."""
    try:
        checked = feeds.check(feeds.fetch(found.url), found.public_key)
    except feeds.FeedRefused as refused:
        return actions.record_feed(found, checked=None, refused=refused)
    return actions.record_feed(found, checked=checked, refused=None)


def describe_feeds(result: dict[str, Any]) -> list[str]:
    """What a check of the feeds found, in words."""
    checked, ok = int(result.get("checked", 0)), int(result.get("ok", 0))
    lines = [
        ngettext("%(n)s feed checked.", "%(n)s feeds checked.", checked) % {"n": checked},
        ngettext("%(n)s is up to date.", "%(n)s are up to date.", ok) % {"n": ok},
    ]
    if checked - ok:
        lines.append(
            _("%(n)s had a problem: see each subscription's status.") % {"n": checked - ok}
        )
    return lines


@register("evidence.feeds", every=timedelta(hours=6), retry_when_lost=True, describe=describe_feeds)
def check_feeds(job: Job) -> dict[str, Any]:
    """Every council's subscriptions, one at a time: import the cards that verify, refuse bad
    signatures, altered cards and unknown versions (each subscription keeps its status)."""
    found = list(Subscription.objects.order_by("pk"))
    ok = 0
    for done, subscription in enumerate(found):
        job.report(done, total=len(found), message=_("Checking the feeds"))
        ok += _check_one(subscription).status == Subscription.Status.OK
    return {"checked": len(found), "ok": ok}


@register("evidence.feed", retry_when_lost=True, describe=describe_feeds)
def check_feed(job: Job) -> dict[str, Any]:
    """One subscription, checked now (from its page)."""
    found = Subscription.objects.filter(
        pk=job.params.get("subscription"), council=job.council
    ).first()
    if found is None:
        raise JobFailed(_("The subscription no longer exists."))
    checked = _check_one(found)
    return {
        "checked": 1,
        "ok": int(checked.status == Subscription.Status.OK),
        "link": reverse("evidence:staff-subscription", args=[found.pk]),
    }
