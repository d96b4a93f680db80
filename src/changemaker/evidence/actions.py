"""Every write of the evidence capability: one transaction and an audit event each (no
personal data in the details: field names, numbers and levels only)."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.files import File
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from changemaker.core import actions as core_actions
from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, Job, User
from changemaker.evidence import adapter, feeds, selectors, signing
from changemaker.evidence.models import (
    REPLICATED_FIELDS,
    Analysis,
    OutcomeData,
    Pilot,
    PilotVersion,
    SharedCard,
    Subscription,
)

RESERVED_SLUGS = {"new", "staff", "library", "outcomes", "feed", "signing-key"}
EVIDENCE_UPLOADS = "evidence-uploads"  # in private storage: never served, deleted once read


class ActionRefused(Exception):
    """A write that cannot be done as asked; the message says why, for the officer."""


def _check_slug(pilot: Pilot) -> None:
    if pilot.slug in RESERVED_SLUGS:
        raise ActionRefused(_("Choose another short name: this one is used by the site"))
    taken = Pilot.objects.filter(council=pilot.council, slug=pilot.slug).exclude(pk=pilot.pk)
    if taken.exists():
        raise ActionRefused(_("A pilot with this short name already exists"))


@action("evidence.pilot_created")
def create_pilot(pilot: Pilot, *, council: Council, by: User | None) -> Pilot:
    """Add a pilot to the register (planned, not yet registered)."""
    pilot.council = council
    pilot.status = Pilot.Status.PLANNED
    _check_slug(pilot)
    pilot.save()
    audit.record("evidence.pilot_created", actor=by, council=council, obj=pilot)
    return pilot


def _freeze(pilot: Pilot, by: User | None) -> PilotVersion:
    latest = selectors.latest_version(pilot)
    number = (latest.number if latest is not None else 0) + 1
    return PilotVersion.objects.create(
        pilot=pilot, number=number, plan=selectors.plan_of(pilot), created_by=by
    )


@action("evidence.pilot_updated")
def update_pilot(pilot: Pilot, *, by: User) -> PilotVersion | None:
    """Save changes to the plan; after registration each change makes a new version (the
    registered one stays as it was). Returns the new version, if one was made."""
    _check_slug(pilot)
    pilot.save()
    version = None
    latest = selectors.latest_version(pilot)
    changed: list[str] = []
    if pilot.is_registered and latest is not None:
        changed = [c.field for c in selectors.diff(latest.plan, selectors.plan_of(pilot))]
        if changed:
            version = _freeze(pilot, by)
    audit.record(
        "evidence.pilot_updated",
        actor=by,
        council=pilot.council,
        obj=pilot,
        version=version.number if version else None,
        fields=changed,
    )
    return version


@action("evidence.pilot_registered")
def register_pilot(pilot: Pilot, *, by: User | None) -> PilotVersion:
    """Register the plan: freeze version 1 and compute the minimum detectable effect of the
    planned size (clusters, intra-cluster correlation, power 0.8)."""
    if pilot.is_registered:
        raise ActionRefused(_("This pilot is already registered"))
    pilot.mde, pilot.mde_problem = adapter.planned_mde(pilot)
    pilot.registered_at = timezone.now()
    pilot.save(update_fields=["mde", "mde_problem", "registered_at", "updated_at"])
    version = _freeze(pilot, by)
    audit.record(
        "evidence.pilot_registered",
        actor=by,
        council=pilot.council,
        obj=pilot,
        mde=pilot.mde,
        cannot_answer=pilot.cannot_answer,
    )
    return version


def _free_slug(council: Council, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is free in the council's register."""
    base = (base or "pilot")[:70].strip("-") or "pilot"
    taken = set(Pilot.objects.filter(council=council).values_list("slug", flat=True))
    slug, n = base, 1
    while slug in taken or slug in RESERVED_SLUGS:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _copy_design(
    plan: dict[str, Any], slug: str, *, council: Council, by: User | None, **origin: Any
) -> Pilot:
    values = {n: plan[n] for n in REPLICATED_FIELDS if plan.get(n) is not None}
    pilot = Pilot(**values, **origin)
    pilot.slug = _free_slug(council, slug)
    return create_pilot(pilot, council=council, by=by)


@action("evidence.pilot_replicated")
def replicate_pilot(source: Pilot, *, council: Council, by: User | None) -> Pilot:
    """Copy a published pilot's design (problem, theory of change, hypothesis, outcomes,
    design, comparison group) into ``council``'s register as a new planned pilot that
    records where it came from. The place, cost and planned size are left for the new
    pilot to set."""
    if source.status != Pilot.Status.PUBLISHED:
        raise ActionRefused(_("Only a published pilot can be replicated"))
    pilot = _copy_design(
        selectors.plan_of(source),
        source.slug,
        council=council,
        by=by,
        replicated_from=source,
        origin_title=source.title,
        origin_council=source.council.name,
        origin_url=reverse("evidence:card", args=[source.slug]),
    )
    audit.record(
        "evidence.pilot_replicated", actor=by, council=council, obj=pilot, source=source.pk
    )
    return pilot


NEXT_STATUS = {
    Pilot.Status.PLANNED: Pilot.Status.LIVE,
    Pilot.Status.LIVE: Pilot.Status.COMPLETE,
    Pilot.Status.COMPLETE: Pilot.Status.PUBLISHED,
}


@action("evidence.status_changed")
def advance_status(pilot: Pilot, *, by: User | None) -> Pilot:
    """planned -> live (once registered) -> complete -> published (once analysed). Null
    results are published like any other."""
    after = NEXT_STATUS.get(Pilot.Status(pilot.status))
    if after is None:
        raise ActionRefused(_("This pilot is already published"))
    if after == Pilot.Status.LIVE and not pilot.is_registered:
        raise ActionRefused(_("Register the pilot before it goes live"))
    if after == Pilot.Status.PUBLISHED and not pilot.analyses.exists():
        raise ActionRefused(_("Analyse the outcome data before publishing"))
    before = pilot.status
    pilot.status = after
    pilot.save(update_fields=["status", "updated_at"])
    audit.record(
        "evidence.status_changed",
        actor=by,
        council=pilot.council,
        obj=pilot,
        before=before,
        after=after,
    )
    return pilot


@action("evidence.upload_started")
def start_upload(pilot: Pilot, upload: File, *, columns: dict[str, str], by: User) -> Job:
    """Queue the check of an outcome-data CSV as the "evidence.upload" job. The file waits in
    private storage under a random name until the job reads it; the job deletes it."""
    storage = storages["private"]
    name = storage.save(f"{EVIDENCE_UPLOADS}/{secrets.token_hex(16)}.csv", upload)
    source = PurePath(str(upload.name or "upload.csv")).name[:200]
    try:
        job = core_actions.start_job(
            "evidence.upload",
            title=_("Outcome data: %(title)s") % {"title": pilot.title},
            params={"file": name, "source": source, "pilot": pilot.pk, "columns": columns},
            council=pilot.council,
            by=by,
        )
    except BaseException:
        storage.delete(name)
        raise
    audit.record(
        "evidence.upload_started", actor=by, council=pilot.council, obj=pilot, job=str(job.pk)
    )
    return job


@action("evidence.extract_started")
def start_shared_extract(
    pilot: Pilot,
    *,
    source: str,
    start: date,
    end: date,
    treated: list[str],
    starts: date,
    by: User,
) -> Job:
    """Queue the "evidence.extract" job: the pilot's outcome as ward-by-month counts from
    another capability's outcome source (``source``: its key; ``treated``: ward codes)."""
    job = core_actions.start_job(
        "evidence.extract",
        title=_("Outcome data: %(title)s") % {"title": pilot.title},
        params={
            "pilot": pilot.pk,
            "source": source,
            "start": start.isoformat(),
            "end": end.isoformat(),
            "treated": sorted(treated),
            "starts": starts.isoformat(),
        },
        council=pilot.council,
        by=by,
    )
    audit.record(
        "evidence.extract_started",
        actor=by,
        council=pilot.council,
        obj=pilot,
        job=str(job.pk),
        source=source,
        wards=len(treated),
    )
    return job


@action("evidence.data_stored")
def store_outcome_data(
    pilot: Pilot,
    *,
    source: str,
    text: str,
    columns: dict[str, str],
    n_rows: int,
    by: User | None,
) -> OutcomeData:
    """Keep an outcome table that was checked whole."""
    data = OutcomeData.objects.create(
        pilot=pilot, source=source, text=text, columns=columns, n_rows=n_rows, created_by=by
    )
    audit.record("evidence.data_stored", actor=by, council=pilot.council, obj=data, rows=n_rows)
    return data


@action("evidence.analysis_started")
def start_analysis(data: OutcomeData, *, by: User) -> Job:
    """Queue the analysis of stored outcome data as the "evidence.analyse" job."""
    pilot = data.pilot
    job = core_actions.start_job(
        "evidence.analyse",
        title=_("Analysis: %(title)s") % {"title": pilot.title},
        params={"pilot": pilot.pk, "data": data.pk},
        council=pilot.council,
        by=by,
    )
    audit.record(
        "evidence.analysis_started", actor=by, council=pilot.council, obj=data, job=str(job.pk)
    )
    return job


@action("evidence.analysed")
def store_analysis(data: OutcomeData, *, result: dict[str, Any]) -> Analysis:
    """Keep the engine's result whole."""
    low, high = result["ci"]
    analysis = Analysis.objects.create(
        pilot=data.pilot,
        data=data,
        result=result,
        estimate=result["estimate"],
        ci_low=low,
        ci_high=high,
        sms_level=result["sms_level"],
    )
    audit.record(
        "evidence.analysed",
        council=data.pilot.council,
        obj=analysis,
        design=result["design"],
        sms_level=result["sms_level"],
        inference=result["inference"],
    )
    return analysis


@action("evidence.rating_overridden")
def override_rating(
    pilot: Pilot, *, sms: int | None, nesta: int | None, reason: str, by: User
) -> Pilot:
    """An evaluator's rating in place of the suggested one, with the reason kept on the
    pilot (and shown with the rating); the audit records the levels before and after."""
    if not reason.strip():
        raise ActionRefused(_("Give the reason for the rating"))
    before = {"sms": pilot.sms_override, "nesta": pilot.nesta_override}
    pilot.sms_override, pilot.nesta_override = sms, nesta
    pilot.override_reason = reason.strip()
    pilot.override_by, pilot.override_at = by, timezone.now()
    pilot.save(
        update_fields=[
            "sms_override",
            "nesta_override",
            "override_reason",
            "override_by",
            "override_at",
            "updated_at",
        ]
    )
    audit.record(
        "evidence.rating_overridden",
        actor=by,
        council=pilot.council,
        obj=pilot,
        before=before,
        after={"sms": sms, "nesta": nesta},
    )
    return pilot


@action("evidence.pilot_replicated")
def replicate_shared(source: SharedCard, *, council: Council, by: User | None) -> Pilot:
    """Copy the design of a card imported from another council into the register as a new
    planned pilot, recording the card (its title, council and address) it came from."""
    plan = feeds.plan_from_card(source.card)
    if not plan["design"]:
        raise ActionRefused(_("This card's design is not one this site knows"))
    pilot = _copy_design(
        plan,
        slugify(source.title) or "pilot",
        council=council,
        by=by,
        replicated_from_shared=source,
        origin_title=source.title,
        origin_council=source.publisher,
        origin_url=str(source.card["url"]),
    )
    audit.record(
        "evidence.pilot_replicated",
        actor=by,
        council=council,
        obj=pilot,
        shared_card=source.pk,
        subscription=source.subscription_id,
    )
    return pilot


@action("evidence.subscribed")
def subscribe(council: Council, *, url: str, public_key: str, by: User | None) -> Subscription:
    """Subscribe to another council's feed, pinning its public key (from its key page)."""
    if signing.parse_public_key(public_key) is None:
        raise ActionRefused(_("Enter the public key exactly as its key page shows it"))
    if Subscription.objects.filter(council=council, url=url).exists():
        raise ActionRefused(_("You already subscribe to this feed"))
    found = Subscription.objects.create(
        council=council, url=url, public_key=public_key.strip(), created_by=by
    )
    audit.record("evidence.subscribed", actor=by, council=council, obj=found)
    return found


@action("evidence.unsubscribed")
def unsubscribe(found: Subscription, *, by: User) -> None:
    """Stop importing a feed; its imported cards go with it (they leave the pooled pages)."""
    cards = found.cards.count()
    audit.record("evidence.unsubscribed", actor=by, council=found.council, obj=found, cards=cards)
    found.delete()


@action("evidence.feed_check_started")
def start_feed_check(found: Subscription, *, by: User) -> Job:
    """Check one subscription now (the "evidence.feed" job), besides the scheduled checks."""
    job = core_actions.start_job(
        "evidence.feed",
        title=_("Check a practice-card feed"),
        params={"subscription": found.pk},
        council=found.council,
        by=by,
    )
    audit.record(
        "evidence.feed_check_started", actor=by, council=found.council, obj=found, job=str(job.pk)
    )
    return job


@action("evidence.feed_checked")
def record_feed(
    found: Subscription, *, checked: feeds.Checked | None, refused: feeds.FeedRefused | None
) -> Subscription:
    """Keep what a check of the feed found, in one transaction: the verified cards replace the
    imported ones (a card gone from the feed is removed; a refused card keeps its last good
    version), and the subscription's status says what happened. A refused feed changes no
    card."""
    now = timezone.now()
    found.checked_at = now
    if refused is not None or checked is None:
        found.status = refused.status if refused is not None else Subscription.Status.INVALID
        found.message = str(refused) if refused is not None else ""
        found.save(update_fields=["checked_at", "status", "message"])
        audit.record("evidence.feed_checked", council=found.council, obj=found, status=found.status)
        return found
    keep = {r["id"] for r in checked.refused}
    seen = set()
    for card, sha in checked.cards:
        seen.add(card["id"])
        result = card.get("result") or {}
        ci = result.get("ci") or [None, None]
        SharedCard.objects.update_or_create(
            subscription=found,
            card_id=card["id"],
            defaults={
                "council": found.council,
                "sha256": sha,
                "card": card,
                "title": card["title"][:150],
                "publisher": card["council"][:200],
                "outcome_key": slugify(card.get("outcome_key") or "")[:80],
                "estimate": result.get("estimate"),
                "se": result.get("se"),
                "ci_low": ci[0],
                "ci_high": ci[1],
            },
        )
    gone = found.cards.exclude(card_id__in=seen | keep)
    removed = gone.count()
    gone.delete()
    found.publisher = checked.publisher or found.publisher
    found.refused = checked.refused
    found.status = Subscription.Status.PARTIAL if checked.refused else Subscription.Status.OK
    found.message = ngettext(
        "%(n)s card imported.", "%(n)s cards imported.", len(checked.cards)
    ) % {"n": len(checked.cards)}
    if checked.refused:
        found.message += " " + ngettext(
            "%(n)s card refused.", "%(n)s cards refused.", len(checked.refused)
        ) % {"n": len(checked.refused)}
    found.imported_at = now
    found.save()
    audit.record(
        "evidence.feed_checked",
        council=found.council,
        obj=found,
        status=found.status,
        imported=len(checked.cards),
        refused=len(checked.refused),
        removed=removed,
    )
    return found
