"""Purpose-based access to people's records: what a member of staff may see, and the audit.

Least privilege lives in one function, ``access_for(user, council, purpose)``. Every people
view, search and export asks it what the user may see and shows nothing else:

* no ``insight.view_people``, or no stated purpose: nothing at all;
* records only from datasets whose agreement is in force and covers the stated purpose;
* a restricted field stays hidden ("Restricted: not shown for this purpose") unless the purpose
  is one of the agreement's ``restricted_purposes`` AND the user holds
  ``insight.view_restricted``.

Which fields are restricted: the dataset's own ``restricted_fields`` (person-schema or kept
columns, e.g. ``nino``), and, when the dataset's agreement names restricted categories
(benefits data, special-category data), every kept service column of the dataset too: under
such an agreement the service's values *are* the restricted data (a Housing Benefit award, a
health need), so they are hidden unless permitted even when the data officer listed no field.
The identity fields (name, date of birth, address) stay visible: they are what every dataset
holds and what the practitioner needs to know it is the right person.

The stated purpose is kept in the session for ``PURPOSE_LIFETIME`` (30 minutes from when it
was stated; not extended by use), for one council, and can be changed at any time (stating
it is a write: ``actions.state_purpose``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from changemaker.core import audit
from changemaker.core.models import AuditEvent, Council, User
from changemaker.insight.models import (
    PERSON_FIELDS,
    Dataset,
    DataSharingAgreement,
    Flag,
    Indicator,
    LinkRun,
    Purpose,
    RecordLink,
    SourceRecord,
)

PURPOSE_SESSION_KEY = "insight.purpose"
PURPOSE_LIFETIME = timedelta(minutes=30)
VIEW_PEOPLE = "insight.view_people"
VIEW_RESTRICTED = "insight.view_restricted"


# The stated purpose --------------------------------------------------------------------------


def in_force_q(on: Any = None) -> Q:
    """Agreements in force today (as a filter on ``DataSharingAgreement``)."""
    day = on or timezone.localdate()
    return Q(starts_on__lte=day) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))


def available_purposes(council: Council) -> QuerySet[Purpose]:
    """The purposes some agreement in force covers: the only ones staff may state."""
    agreements = council_agreements_in_force(council)
    return Purpose.objects.filter(council=council, agreements__in=agreements).distinct()


def council_agreements_in_force(council: Council) -> QuerySet[DataSharingAgreement]:
    return DataSharingAgreement.objects.filter(in_force_q(), council=council)


@dataclass(frozen=True)
class StatedPurpose:
    purpose: Purpose
    until: datetime


def forget_purpose(request: HttpRequest) -> None:
    request.session.pop(PURPOSE_SESSION_KEY, None)


def stated_purpose(request: HttpRequest, council: Council) -> StatedPurpose | None:
    """The purpose stated in this session, if it is still in time, for this council, and
    still covered by an agreement in force."""
    kept = request.session.get(PURPOSE_SESSION_KEY)
    if not isinstance(kept, dict) or kept.get("council") != council.pk:
        return None
    try:
        until = datetime.fromisoformat(str(kept["until"]))
    except (KeyError, ValueError):
        return None
    if until <= timezone.now():
        forget_purpose(request)
        return None
    purpose = available_purposes(council).filter(pk=int(kept.get("purpose") or 0)).first()
    return StatedPurpose(purpose, until) if purpose is not None else None


# What a user may see -------------------------------------------------------------------------


@dataclass(frozen=True)
class DatasetAccess:
    dataset: Dataset
    restricted: frozenset[str]  # fields in a restricted category
    restricted_allowed: bool  # this purpose and this user may see them

    def shows(self, name: str) -> bool:
        return self.restricted_allowed or name not in self.restricted

    @property
    def fields(self) -> list[str]:
        """Every field a record of this dataset has, in display order."""
        kept = [c for c in self.dataset.attribute_columns if c not in PERSON_FIELDS]
        return [*PERSON_FIELDS, *kept]


@dataclass(frozen=True)
class Access:
    """What ``user`` may see in ``council`` for ``purpose``. Built only by ``access_for``."""

    user: User
    council: Council
    purpose: Purpose | None
    datasets: dict[int, DatasetAccess] = field(default_factory=dict)

    @property
    def allowed(self) -> bool:
        return self.purpose is not None and bool(self.datasets)

    def dataset_ids(self) -> list[int]:
        return list(self.datasets)

    def records(self, run: LinkRun | None) -> QuerySet[RecordLink]:
        """Links of ``run`` to records this access may see (none without a run)."""
        if run is None or not self.datasets:
            return RecordLink.objects.none()
        return RecordLink.objects.filter(
            run=run, record__dataset_id__in=self.dataset_ids()
        ).select_related("record", "record__dataset")

    def shows(self, dataset_id: int, name: str) -> bool:
        entry = self.datasets.get(dataset_id)
        return entry is not None and entry.shows(name)

    def present(self, record: SourceRecord) -> list[tuple[str, str | None]]:
        """``[(field, value or None when restricted)]`` for a visible record. Empty person
        fields are left out; kept columns always listed."""
        entry = self.datasets[record.dataset_id]
        rows: list[tuple[str, str | None]] = []
        for name in entry.fields:
            if name in PERSON_FIELDS:
                value = getattr(record, name)
                if not value:
                    continue
            else:
                raw = (record.attributes or {}).get(name)
                value = "" if raw is None else str(raw)
            rows.append((name, value if entry.shows(name) else None))
        return rows

    def flag_visible(self, flag: Flag) -> bool:
        """A flag is shown when the data it rests on is visible: for a value indicator, its
        dataset and field; for a services indicator, at least one of its evidence records."""
        indicator: Indicator = flag.indicator
        if indicator.kind == Indicator.Kind.FIELD:
            return indicator.dataset_id is not None and self.shows(
                indicator.dataset_id, indicator.field
            )
        codes = {d.dataset.code for d in self.datasets.values()}
        return any(item.get("dataset") in codes for item in flag.evidence)

    def evidence(self, flag: Flag) -> tuple[list[dict[str, Any]], int]:
        """The evidence items this access may see (value None when restricted), and how many
        other items there are (records from services not covered by the purpose)."""
        by_code = {d.dataset.code: d for d in self.datasets.values()}
        shown: list[dict[str, Any]] = []
        hidden = 0
        for item in flag.evidence:
            entry = by_code.get(str(item.get("dataset")))
            if entry is None:
                hidden += 1
                continue
            name = str(item.get("field") or "")
            value = item.get("value") if not name or entry.shows(name) else None
            shown.append({**item, "value": value, "title": entry.dataset.title})
        return shown, hidden


def restricted_fields(dataset: Dataset) -> frozenset[str]:
    names = set(dataset.restricted_fields or [])
    if dataset.agreement.restricted_categories:
        names.update(c for c in dataset.attribute_columns or [] if c not in PERSON_FIELDS)
    return frozenset(names)


def access_for(user: Any, council: Council, purpose: Purpose | None) -> Access:
    """The one answer to "what may this user see, for this purpose?" (see the module doc)."""
    if (
        purpose is None
        or not isinstance(user, User)
        or not user.is_authenticated
        or not user.has_perm(VIEW_PEOPLE, council)
        or purpose.council_id != council.pk
    ):
        return Access(user, council, None) if isinstance(user, User) else _nobody(council)
    may_restricted = user.has_perm(VIEW_RESTRICTED, council)
    datasets = (
        Dataset.objects.filter(
            council=council,
            agreement__in=council_agreements_in_force(council),
            agreement__purposes=purpose,
        )
        .select_related("agreement")
        .distinct()
    )
    restricted_ok = set(purpose.restricted_agreements.values_list("pk", flat=True))
    found: dict[int, DatasetAccess] = {}
    for dataset in datasets:
        found[dataset.pk] = DatasetAccess(
            dataset=dataset,
            restricted=restricted_fields(dataset),
            restricted_allowed=may_restricted and dataset.agreement_id in restricted_ok,
        )
    return Access(user, council, purpose, found)


def _nobody(council: Council) -> Access:
    return Access(User(), council, None)


def access_for_request(request: HttpRequest, council: Council) -> Access:
    stated = stated_purpose(request, council)
    return access_for(request.user, council, stated.purpose if stated else None)


# The audit -----------------------------------------------------------------------------------


def record_access(access: Access, action: str, *, obj: Any = None, **detail: Any) -> AuditEvent:
    """Write one view, search or export to the audit log: who (actor), what (ids and counts
    only), when, and the stated purpose as the reason."""
    return audit.record(
        action,
        actor=access.user,
        council=access.council,
        obj=obj,
        reason=access.purpose.name if access.purpose else "",
        purpose=access.purpose.pk if access.purpose else None,
        **detail,
    )
