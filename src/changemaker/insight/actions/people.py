"""Every write on the people side: the stated purpose, flag reviews, false links, indicators.
Each is an ``@action`` (one transaction) and records itself in the audit log (ids and counts
only, never personal data)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.audit import action
from changemaker.core.models import Council, User
from changemaker.insight.access import (
    PURPOSE_LIFETIME,
    PURPOSE_SESSION_KEY,
    Access,
    StatedPurpose,
)
from changemaker.insight.models import (
    FalseLink,
    Flag,
    FlagReview,
    Indicator,
    Purpose,
    SourceRecord,
)


class ActionRefused(Exception):
    """Safe to show to the person: says what is wrong and what to do."""


@action("insight.purpose_stated")
def state_purpose(request: HttpRequest, council: Council, purpose: Purpose) -> StatedPurpose:
    """Remember ``purpose`` in the session for ``PURPOSE_LIFETIME`` (audited)."""
    until = timezone.now() + PURPOSE_LIFETIME
    request.session[PURPOSE_SESSION_KEY] = {
        "purpose": purpose.pk,
        "council": council.pk,
        "until": until.isoformat(),
    }
    user = request.user if isinstance(request.user, User) else None
    audit.record(
        "insight.purpose_stated",
        actor=user,
        council=council,
        obj=purpose,
        reason=purpose.name,
        minutes=int(PURPOSE_LIFETIME.total_seconds() // 60),
    )
    return StatedPurpose(purpose, until)


@action("insight.flag_reviewed")
def review_flag(
    access: Access,
    flag: Flag,
    *,
    outcome: str,
    note: str,
    records: list[int] | None = None,
    allowed_records: set[int] | None = None,
) -> FlagReview:
    """Record a practitioner's review of ``flag``. With "Records wrongly linked" and two
    record ids (both among ``allowed_records``: the subject's records this access may see),
    also remember that they are different people: the next linkage run keeps them apart."""
    if flag.status != Flag.Status.OPEN:
        raise ActionRefused(_("This flag has already been reviewed or no longer applies"))
    false_link: FalseLink | None = None
    locked = Flag.objects.select_for_update().get(pk=flag.pk)
    if locked.status != Flag.Status.OPEN:
        raise ActionRefused(_("This flag has already been reviewed or no longer applies"))
    review = FlagReview.objects.create(
        flag=locked, reviewer=access.user, outcome=outcome, note=note
    )
    if outcome == FlagReview.Outcome.FALSE_LINK:
        pair = sorted(set(records or []))
        if len(pair) != 2 or (allowed_records is not None and not set(pair) <= allowed_records):
            raise ActionRefused(_("Select exactly two records that are not the same person"))
        a, b = SourceRecord.objects.filter(pk__in=pair, dataset__council=access.council).order_by(
            "pk"
        )
        false_link, _created = FalseLink.objects.get_or_create(
            record_a=a,
            record_b=b,
            defaults={"council": access.council, "marked_by": access.user, "note": note},
        )
    locked.status = Flag.Status.REVIEWED
    locked.save(update_fields=["status"])
    audit.record(
        "insight.flag_reviewed",
        actor=access.user,
        council=access.council,
        obj=locked,
        reason=access.purpose.name if access.purpose else "",
        purpose=access.purpose.pk if access.purpose else None,
        outcome=outcome,
        false_link=false_link.pk if false_link else None,
    )
    return review


@action("insight.indicator_saved")
def save_indicator(indicator: Indicator, *, by: User) -> Indicator:
    created = indicator.pk is None
    indicator.save()
    audit.record(
        "insight.indicator_created" if created else "insight.indicator_changed",
        actor=by,
        council=indicator.council,
        obj=indicator,
        kind=indicator.kind,
        level=indicator.level,
        dataset=indicator.dataset_id,
    )
    return indicator


@action("insight.indicator_activated")
def set_indicator_active(indicator: Indicator, *, active: bool, by: User) -> None:
    """Deactivate (or bring back) an indicator: evaluate() skips inactive ones; its flags stay
    for the record but leave the review queue."""
    indicator.active = active
    indicator.save(update_fields=["active"])
    audit.record(
        "insight.indicator_activated" if active else "insight.indicator_deactivated",
        actor=by,
        council=indicator.council,
        obj=indicator,
    )


@action("insight.flags_dated")
def date_flags(council: Council, dates: Mapping[int, datetime], *, by: User | None) -> int:
    """Set when each of the council's flags (by id) was raised: the demo's history, whose
    linkage run raises every flag at once. Audited with the count and the months spanned."""
    flags = list(Flag.objects.filter(council=council, pk__in=list(dates)))
    for flag in flags:
        flag.raised_at = dates[flag.pk]
    Flag.objects.bulk_update(flags, ["raised_at"], batch_size=500)
    months = sorted({(d.year, d.month) for d in dates.values()})
    audit.record(
        "insight.flags_dated",
        actor=by,
        council=council,
        flags=len(flags),
        first=f"{months[0][0]}-{months[0][1]:02d}" if months else "",
        last=f"{months[-1][0]}-{months[-1][1]:02d}" if months else "",
    )
    return len(flags)
