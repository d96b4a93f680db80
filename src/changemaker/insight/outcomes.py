"""Outcome data for evaluations: counts by ward and month, never a person-level row.

Insight offers every active indicator as a ``core.registry.OutcomeSource`` (registered from
``apps.py``): how many people or households were newly flagged for it in each ward in each
month. A subject's ward is the one its latest record's postcode district falls in (as the
need-by-ward page counts). The counts leave insight only:

* when every dataset the indicator rests on (its own dataset; every dataset for a "known to
  several services" indicator) is under an agreement in force that covers a purpose marked
  for evaluation (``Purpose.evaluation``); otherwise ``OutcomeRefused`` says which agreement
  and what to do;
* with small numbers hidden (``engine.disclosure``: below the threshold, and more wherever a
  total could give a hidden one away), as None;
* written to the access log (``actions.record_evaluation_extract``: the source, the months,
  how many cells and how many hidden; nothing about anyone).
"""

from __future__ import annotations

import functools
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core.models import Council, Ward
from changemaker.core.registry import OutcomeRefused, OutcomeRow, OutcomeSource
from changemaker.insight import actions
from changemaker.insight.access import council_agreements_in_force
from changemaker.insight.engine.disclosure import DEFAULT_THRESHOLD, suppress
from changemaker.insight.models import Dataset, Flag, Indicator, current_run
from changemaker.insight.selectors import latest_postcodes, postcode_district

MAX_MONTHS = 120
KEY_PREFIX = "insight.indicator:"


def sources(council: Council) -> list[OutcomeSource]:
    """One source per active indicator of the council."""
    found = []
    for indicator in Indicator.objects.filter(council=council, active=True).order_by("name"):
        household = indicator.level == Indicator.Level.HOUSEHOLD
        label = (
            _("Households newly flagged each month: %(name)s")
            if household
            else _("People newly flagged each month: %(name)s")
        )
        found.append(
            OutcomeSource(
                key=f"{KEY_PREFIX}{indicator.pk}",
                label=label % {"name": indicator.name},
                unit=str(_("households") if household else _("people")),
                rows=functools.partial(ward_months, council.pk, indicator.pk),
                suppressed_below=DEFAULT_THRESHOLD,
            )
        )
    return found


def months_between(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s, inclusive."""
    months, day = [], start.replace(day=1)
    while day <= end:
        months.append(day)
        day = (day + timedelta(days=32)).replace(day=1)
    return months


def refusal(indicator: Indicator) -> str | None:
    """Why the indicator's counts may not be used for evaluation, or None when they may."""
    datasets = Dataset.objects.filter(council_id=indicator.council_id)
    if indicator.kind == Indicator.Kind.FIELD:
        datasets = datasets.filter(pk=indicator.dataset_id or 0)
    council = indicator.council
    allowed = council_agreements_in_force(council).filter(purposes__evaluation=True)
    missing = sorted(
        {d.agreement.reference for d in datasets.select_related("agreement")}
        - set(allowed.values_list("reference", flat=True))
    )
    if not missing:
        return None
    return _(
        "No data-sharing agreement in force lets this data be used for evaluation "
        "(%(agreements)s). Ask your data protection officer to add a purpose marked "
        "'Evaluating pilots with counts by ward and month' to the agreement, or choose "
        "another outcome."
    ) % {"agreements": ", ".join(missing)}


def ward_months(council_id: int, indicator_id: int, start: date, end: date) -> list[OutcomeRow]:
    """(ward code, month, count or None) for every ward and month from ``start`` to ``end``:
    the people or households newly flagged, small numbers hidden (see the module doc)."""
    indicator = Indicator.objects.select_related("council").filter(
        pk=indicator_id, council_id=council_id
    )
    found = indicator.first()
    if found is None:
        raise OutcomeRefused(_("This outcome no longer exists: choose another."))
    why = refusal(found)
    if why is not None:
        raise OutcomeRefused(why)
    months = months_between(start, end)
    if not 2 <= len(months) <= MAX_MONTHS:
        raise OutcomeRefused(_("Choose a period of 2 to %(most)s months.") % {"most": MAX_MONTHS})
    council = found.council
    wards = list(Ward.objects.filter(council=council).order_by("code"))
    if len(wards) < 2:
        raise OutcomeRefused(_("Counts by ward need at least two wards: add the wards first."))
    counts = _counts(found, wards, months)
    hidden = suppress(counts, DEFAULT_THRESHOLD)
    rows: list[OutcomeRow] = [
        (ward.code, month, None if hidden[w, m] else counts[w][m])
        for w, ward in enumerate(wards)
        for m, month in enumerate(months)
    ]
    actions.record_evaluation_extract(
        council,
        source=f"{KEY_PREFIX}{found.pk}",
        start=months[0],
        end=months[-1],
        cells=len(rows),
        suppressed=int(hidden.sum()),
    )
    return rows


def _counts(indicator: Indicator, wards: list[Ward], months: list[date]) -> list[list[int]]:
    """Newly flagged subjects per ward (rows) and month (columns)."""
    by_district = {
        str(d).upper(): i for i, w in enumerate(wards) for d in w.postcode_districts or []
    }
    subject_ward = {
        subject: by_district.get(postcode_district(postcode))
        for subject, postcode in latest_postcodes(
            current_run(indicator.council), indicator.level
        ).items()
    }
    column = {month: m for m, month in enumerate(months)}
    zone = timezone.get_current_timezone()
    first = timezone.make_aware(datetime.combine(months[0], time.min), zone)
    after = timezone.make_aware(
        datetime.combine((months[-1] + timedelta(days=32)).replace(day=1), time.min), zone
    )
    counts = [[0] * len(months) for _ward in wards]
    flags = Flag.objects.filter(
        indicator=indicator, subject_kind=indicator.level, raised_at__gte=first, raised_at__lt=after
    ).values_list("subject_id", "raised_at")
    for subject, raised in flags.iterator(chunk_size=2000):
        ward = subject_ward.get(subject)
        month = timezone.localtime(raised, zone).date().replace(day=1)
        if ward is not None and month in column:
            counts[ward][column[month]] += 1
    return counts
