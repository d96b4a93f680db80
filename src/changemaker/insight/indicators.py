"""Early-help indicators, evaluated after each linkage run.

Indicators are data (``Indicator`` rows a data officer defines), not code. After a run is
published, ``evaluate(run)`` works out, for every active indicator of the run's council, which
persons or households it holds for, and keeps the ``Flag`` table in step:

* a subject it newly holds for gets an OPEN flag, with its evidence (the records that make it
  hold: ``[{"record": pk, "dataset": code, "field": name, "value": text}]``);
* an OPEN flag gets its evidence brought up to date;
* a REVIEWED flag stays reviewed while its evidence is unchanged; when the evidence changes it
  is OPEN again (a practitioner looks again) and the audit log says so;
* a flag whose indicator no longer holds becomes CLEARED; if it holds again later it comes back
  REVIEWED when nothing changed since its last review, otherwise OPEN.

``Flag.raised_at`` is when the flag was last put in front of a practitioner (raised, or reopened
because its evidence changed), so the review queue's "oldest first" is fair and "reviewed since
then" is a review dated on or after it.

No decision is automated: a flag only asks a practitioner to look.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from changemaker.core import audit
from changemaker.core.demo_story import CRISIS_INDICATOR
from changemaker.core.models import Council
from changemaker.insight.models import (
    PERSON_FIELDS,
    Dataset,
    Flag,
    FlagReview,
    Indicator,
    LinkRun,
    RecordLink,
)

Evidence = list[dict[str, Any]]

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
_UNITS = re.compile(r"\s*(%|per\s*cent|percent|weeks?|wks?|days?|gbp|pounds?)$", re.IGNORECASE)


# Pure logic (no database) -------------------------------------------------------------------


def parse_number(raw: Any) -> Decimal | None:
    """A number from a service's value, leniently: ``"£1,234.50"``, ``" 95 %"``, ``"8 weeks"``,
    ``"(12.00)"`` (an accountant's negative), ``12``, ``7.5``. None when it is not one number
    (empty, ``"n/a"``, ``"1-2"``, booleans)."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, int | float | Decimal):
        try:
            number = Decimal(str(raw))
        except InvalidOperation:
            return None
        return number if number.is_finite() else None
    text = str(raw).strip().replace(",", "").replace(" ", "")
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1]
    text = _UNITS.sub("", text)
    for symbol in ("£", "$", "€"):
        if text.startswith(symbol):
            text = text[1:]
        elif text.startswith("-" + symbol):
            text = "-" + text[2:]
    if not _NUMBER.match(text):
        return None
    number = Decimal(text)
    return -number if negative else number


def compares(value: Decimal, comparison: str, threshold: Decimal) -> bool:
    """Whether ``value <comparison> threshold`` (``Indicator.Comparison``)."""
    if comparison == Indicator.Comparison.GT:
        return value > threshold
    if comparison == Indicator.Comparison.GTE:
        return value >= threshold
    if comparison == Indicator.Comparison.LT:
        return value < threshold
    if comparison == Indicator.Comparison.LTE:
        return value <= threshold
    if comparison == Indicator.Comparison.EQ:
        return value == threshold
    raise ValueError(f"Unknown comparison {comparison!r}")


def normalise_evidence(evidence: Iterable[dict[str, Any]]) -> Evidence:
    """Evidence in a stable order, so two evaluations of the same facts compare equal."""
    items = [
        {
            "record": int(item["record"]),
            "dataset": str(item.get("dataset", "")),
            "field": str(item.get("field", "")),
            "value": str(item.get("value", "")),
        }
        for item in evidence
    ]
    return sorted(items, key=lambda item: (item["record"], item["field"]))


def field_value(record_values: dict[str, Any], field: str) -> Any:
    """A field of a record: a person-schema column, else a kept attribute."""
    if field in PERSON_FIELDS:
        return record_values.get(field)
    attributes = record_values.get("attributes") or {}
    return attributes.get(field) if isinstance(attributes, dict) else None


# Working out which subjects an indicator holds for -------------------------------------------


def _subject(link: Mapping[str, Any], level: str) -> str:
    return str(link["household_id"] if level == Indicator.Level.HOUSEHOLD else link["person_id"])


def holding_subjects(indicator: Indicator, run: LinkRun) -> tuple[dict[str, Evidence], int]:
    """``{subject_id: evidence}`` for the subjects ``indicator`` holds for in ``run``, and how
    many values could not be read as numbers (they never match)."""
    found: dict[str, Evidence] = defaultdict(list)
    unparseable = 0
    links = RecordLink.objects.filter(run=run, record__dataset__council_id=run.council_id)
    if indicator.kind == Indicator.Kind.FIELD:
        if indicator.dataset_id is None or not indicator.field:
            return {}, 0
        columns = ["record_id", "person_id", "household_id", "record__dataset__code"]
        column = (
            f"record__{indicator.field}"
            if indicator.field in PERSON_FIELDS
            else "record__attributes"
        )
        rows = links.filter(record__dataset_id=indicator.dataset_id).values(*columns, column)
        for row in rows.iterator(chunk_size=2000):
            record = (
                {indicator.field: row[column]}
                if indicator.field in PERSON_FIELDS
                else {"attributes": row[column]}
            )
            raw = field_value(record, indicator.field)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            number = parse_number(raw)
            if number is None:
                unparseable += 1
                continue
            if compares(number, indicator.comparison, indicator.threshold):
                found[_subject(row, indicator.level)].append(
                    {
                        "record": row["record_id"],
                        "dataset": row["record__dataset__code"],
                        "field": indicator.field,
                        "value": str(raw),
                    }
                )
    else:
        per_subject: dict[str, Evidence] = defaultdict(list)
        services: dict[str, set[str]] = defaultdict(set)
        rows = links.values("record_id", "person_id", "household_id", "record__dataset__code")
        for row in rows.iterator(chunk_size=2000):
            subject = _subject(row, indicator.level)
            code = row["record__dataset__code"]
            services[subject].add(code)
            per_subject[subject].append(
                {"record": row["record_id"], "dataset": code, "field": "", "value": ""}
            )
        for subject, codes in services.items():
            if compares(Decimal(len(codes)), indicator.comparison, indicator.threshold):
                found[subject] = per_subject[subject]
    return {subject: normalise_evidence(items) for subject, items in found.items()}, unparseable


def _reviewed_since_raised(flag: Flag) -> bool:
    return FlagReview.objects.filter(flag=flag, reviewed_at__gte=flag.raised_at).exists()


# The evaluation ------------------------------------------------------------------------------


def evaluate(run: LinkRun) -> dict[str, int]:
    """Evaluate every active indicator of the run's council over the run's links and bring the
    flags up to date (one transaction). Returns counts: indicators, raised, updated, reopened,
    cleared, unchanged, unparseable. Audited with ids and counts only."""
    counts: dict[str, int] = dict.fromkeys(
        ("indicators", "raised", "updated", "reopened", "cleared", "unchanged", "unparseable"), 0
    )
    now = timezone.now()
    with transaction.atomic():
        indicators = Indicator.objects.filter(council_id=run.council_id, active=True)
        for indicator in indicators:
            counts["indicators"] += 1
            holding, unparseable = holding_subjects(indicator, run)
            counts["unparseable"] += unparseable
            existing = {
                flag.subject_id: flag
                for flag in Flag.objects.filter(indicator=indicator, subject_kind=indicator.level)
            }
            for subject, evidence in holding.items():
                flag = existing.get(subject)
                if flag is None:
                    Flag.objects.create(
                        council_id=run.council_id,
                        indicator=indicator,
                        subject_kind=indicator.level,
                        subject_id=subject,
                        evidence=evidence,
                        status=Flag.Status.OPEN,
                        raised_at=now,
                        raised_by_run=run,
                    )
                    counts["raised"] += 1
                    continue
                changed = normalise_evidence(flag.evidence) != evidence
                if flag.status == Flag.Status.OPEN:
                    if changed:
                        flag.evidence = evidence
                        flag.save(update_fields=["evidence"])
                        counts["updated"] += 1
                    else:
                        counts["unchanged"] += 1
                elif flag.status == Flag.Status.REVIEWED:
                    if changed:
                        _reopen(flag, evidence, run, now, was=flag.status)
                        counts["reopened"] += 1
                    else:
                        counts["unchanged"] += 1
                else:  # CLEARED, and it holds again
                    if not changed and _reviewed_since_raised(flag):
                        flag.status = Flag.Status.REVIEWED
                        flag.save(update_fields=["status"])
                        counts["unchanged"] += 1
                    else:
                        _reopen(flag, evidence, run, now, was=flag.status)
                        counts["reopened"] += 1
            for subject, flag in existing.items():
                if subject not in holding and flag.status != Flag.Status.CLEARED:
                    flag.status = Flag.Status.CLEARED
                    flag.save(update_fields=["status"])
                    counts["cleared"] += 1
        audit.record(
            "insight.flags_evaluated",
            council=run.council,
            obj=run,
            reason=_("Early-help indicators evaluated after a linkage run"),
            **dict[str, Any](counts),
        )
    return counts


def _reopen(flag: Flag, evidence: Evidence, run: LinkRun, now: Any, *, was: str) -> None:
    flag.evidence = evidence
    flag.status = Flag.Status.OPEN
    flag.raised_at = now
    flag.raised_by_run = run
    flag.save(update_fields=["evidence", "status", "raised_at", "raised_by_run"])
    audit.record(
        "insight.flag_reopened",
        council=run.council,
        obj=flag,
        reason=_("Its evidence changed since it was last looked at, so it needs review again")
        if was == Flag.Status.REVIEWED
        else _("The indicator holds again"),
        indicator=flag.indicator_id,
        run=run.pk,
        previous_status=was,
        evidence_records=len(evidence),
    )


# The four examples, for the demo ----------------------------------------------------

DEMO_INDICATORS: tuple[dict[str, Any], ...] = (
    {
        "name": "Council tax arrears over £500",
        "description": "Council tax owed is more than £500.",
        "kind": Indicator.Kind.FIELD,
        "dataset": "council-tax",
        "field": "arrears_amount",
        "comparison": Indicator.Comparison.GT,
        "threshold": Decimal("500"),
        "level": Indicator.Level.PERSON,
    },
    {
        "name": "Rent arrears over 8 weeks",
        "description": "Rent owed is more than 8 weeks' rent.",
        "kind": Indicator.Kind.FIELD,
        "dataset": "housing",
        "field": "rent_arrears_weeks",
        "comparison": Indicator.Comparison.GT,
        "threshold": Decimal("8"),
        "level": Indicator.Level.PERSON,
    },
    {
        "name": "School attendance under 90%",
        "description": "A child attends school less than 90% of the time (persistent absence).",
        "kind": Indicator.Kind.FIELD,
        "dataset": "school-attendance",
        "field": "attendance_percent",
        "comparison": Indicator.Comparison.LT,
        "threshold": Decimal("90"),
        "level": Indicator.Level.PERSON,
    },
    {
        "name": CRISIS_INDICATOR,
        "description": "Early help referred the person on to the crisis team.",
        "kind": Indicator.Kind.FIELD,
        "dataset": "early-help",
        "field": "crisis_referrals",
        "comparison": Indicator.Comparison.GTE,
        "threshold": Decimal("1"),
        "level": Indicator.Level.PERSON,
    },
    {
        "name": "Known to 3 or more services",
        "description": "A household has records in at least 3 services.",
        "kind": Indicator.Kind.SERVICES,
        "dataset": None,
        "field": "",
        "comparison": Indicator.Comparison.GTE,
        "threshold": Decimal("3"),
        "level": Indicator.Level.HOUSEHOLD,
    },
)


def load_indicators(council: Council) -> list[str]:
    """The issue's four example indicators and the demo pilot's outcome for ``council``
    (idempotent: an indicator that exists by name is left as a data officer may have changed
    it). An indicator whose dataset the council does not have is skipped. Returns what it did,
    one line each."""
    done: list[str] = []
    for spec in DEMO_INDICATORS:
        values = dict(spec)
        code = values.pop("dataset")
        dataset = None
        if code is not None:
            dataset = Dataset.objects.filter(council=council, code=code).first()
            if dataset is None:
                done.append(f"indicator '{spec['name']}' skipped: no dataset {code}")
                continue
        _indicator, created = Indicator.objects.get_or_create(
            council=council, name=values.pop("name"), defaults={**values, "dataset": dataset}
        )
        if created:
            done.append(f"indicator '{spec['name']}'")
    return done
