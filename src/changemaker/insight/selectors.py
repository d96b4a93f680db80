"""Every read of the shared view of need that is more than a one-line lookup, scoped to what
the person may see. No writes.

What a practitioner may see for a stated purpose is ``access.access_for`` (the one
least-privilege rule, with the stated purpose in the session); the people reads here take its
``Access`` and show nothing else. The data side's reads are scoped to the council.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Max, Q, QuerySet
from django.utils.translation import gettext as _

from changemaker.core import wardmap
from changemaker.core.models import AuditEvent, Council, Job, User, Ward
from changemaker.insight.access import Access
from changemaker.insight.engine.standardise import parse_date
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    FalseLink,
    Flag,
    Gazetteer,
    Indicator,
    LinkRun,
    RecordLink,
    RestrictedCategory,
    SourceRecord,
    Upload,
    current_run,
)

# The data side ----------------------------------------------------------------------------


def agreement_rows(council: Council) -> list[dict[str, Any]]:
    """The council's agreements with their purposes, datasets counted, categories named."""
    rows = (
        DataSharingAgreement.objects.filter(council=council)
        .prefetch_related("purposes")
        .annotate(n_datasets=Count("datasets"))
    )
    categories = dict(RestrictedCategory.choices)
    return [
        {"a": a, "categories": [categories.get(c, c) for c in a.restricted_categories]}
        for a in rows
    ]


def dataset_rows(council: Council) -> list[dict[str, Any]]:
    """The council's datasets with their records counted and whether they may take records."""
    datasets = (
        Dataset.objects.filter(council=council)
        .select_related("agreement")
        .annotate(n_records=Count("records", distinct=True))
    )
    return [{"d": dataset, "in_force": dataset.agreement.in_force()} for dataset in datasets]


def processing_datasets(council: Council) -> QuerySet[Dataset]:
    """Every dataset with its agreement, purposes, records and last published upload (DPIA)."""
    return (
        Dataset.objects.filter(council=council)
        .select_related("agreement")
        .prefetch_related("agreement__purposes", "agreement__restricted_purposes")
        .annotate(
            n_records=Count("records", distinct=True),
            last_upload=Max("uploads__published_at", filter=Q(uploads__status="published")),
        )
    )


def gazetteer_uploads(council: Council) -> QuerySet[Gazetteer]:
    """The council's gazetteers, newest first, without their kept files."""
    return Gazetteer.objects.filter(council=council).defer("source").select_related("job")


def current_gazetteer(council: Council) -> Gazetteer | None:
    return Gazetteer.objects.filter(council=council, current=True).first()


def latest_runs(council: Council) -> QuerySet[LinkRun]:
    return LinkRun.objects.filter(council=council).select_related("job")[:50]


def run_lost_since(council: Council, asked: datetime) -> bool:
    """Whether a run of the council lost its worker since ``asked`` (found by starting one)."""
    return LinkRun.objects.filter(council=council, job__lost_at__gte=asked).exists()


def unfinished_uploads(job: Job) -> QuerySet[Upload]:
    """Uploads a failed check or publish job left being checked or published."""
    return Upload.objects.filter(
        job=job, status__in=[Upload.Status.RECEIVED, Upload.Status.PUBLISHING]
    )


def unfinished_runs(job: Job) -> QuerySet[LinkRun]:
    """Runs a failed "insight.link" job left marked running."""
    return LinkRun.objects.filter(job=job, status=LinkRun.Status.RUNNING)


def expired_records(agreement: DataSharingAgreement, day: date) -> QuerySet[SourceRecord]:
    """Records of ``agreement`` past its retention period on ``day``."""
    return SourceRecord.objects.filter(
        dataset__agreement=agreement, received_on__lt=agreement.retention_cutoff(day)
    )


# People, households and flags, for a stated purpose -----------------------------------------


def search_people(access: Access, data: dict[str, Any]) -> tuple[list[dict[str, Any]], str]:
    """The people (at most 50) a search finds among the records ``access`` may see, and how
    they were searched for (for the audit: never the values)."""
    links = access.records(current_run(access.council))
    if data.get("person_id"):
        links, how = links.filter(person_id=data["person_id"]), "person_id"
    elif data.get("surname"):
        day = data["date_of_birth"]
        forms_of_day = {
            day.isoformat(),
            day.strftime("%d/%m/%Y"),
            f"{day.day}/{day.month}/{day.year}",
        }
        persons = links.filter(
            record__surname__iexact=data["surname"].strip(),
            record__date_of_birth__in=forms_of_day,
        ).values_list("person_id", flat=True)
        links, how = links.filter(person_id__in=list(persons)), "surname_and_date_of_birth"
    else:
        postcode = data["postcode"]
        variants = {postcode, postcode.replace(" ", ""), postcode.lower()}
        persons = links.filter(record__postcode__in=variants).values_list("person_id", flat=True)
        links, how = links.filter(person_id__in=list(persons)), "postcode"
    people: dict[str, dict[str, Any]] = {}
    for link in links.order_by("person_id", "record__dataset__title")[:500]:
        person = people.setdefault(
            link.person_id,
            {
                "person_id": link.person_id,
                "households": set(),
                "services": set(),
                "name": "",
                "dob": "",
            },
        )
        person["households"].add(link.household_id)
        person["services"].add(link.record.dataset.title)
        identify(access, person, link.record)
    for person in people.values():
        person["households"] = sorted(person["households"])
        person["services"] = sorted(person["services"])
    return list(people.values())[:50], how


def _name_part(part: str) -> str:
    """A name as written, but one keyed all in capitals or all in small letters ("WILSON",
    "archie") in capitals and small letters ("Wilson", "Archie")."""
    return part.title() if part.isupper() or part.islower() else part


def _day(value: str) -> str:
    """A date of birth as 22/11/1973 whichever way the service wrote it (as written if it
    is not a date)."""
    try:
        parsed = parse_date(value)
    except ValueError:
        return value
    return parsed.strftime("%d/%m/%Y") if parsed else value


def identify(access: Access, row: dict[str, Any], rec: SourceRecord) -> None:
    """Fill ``row``'s name and date of birth from a record, where the access shows them,
    written alike whichever service's record they come from."""
    if not row["name"] and access.shows(rec.dataset_id, "surname"):
        row["name"] = " ".join(_name_part(p) for p in (rec.first_name, rec.surname) if p).strip()
    if not row["dob"] and access.shows(rec.dataset_id, "date_of_birth"):
        row["dob"] = _day(rec.date_of_birth)


def subject_links(
    access: Access, *order: str, **where: str
) -> tuple[LinkRun | None, list[RecordLink]]:
    """The current run and its links to visible records of one person or household."""
    run = current_run(access.council)
    links = list(access.records(run).filter(**where).order_by(*order))
    return run, links


def visible_flags(access: Access, persons: list[str], households: list[str]) -> list[Flag]:
    """Flags (not cleared, active indicators) on these people or households that ``access``
    may see, oldest first."""
    flags = (
        Flag.objects.filter(council=access.council, indicator__active=True)
        .filter(
            Q(subject_kind="person", subject_id__in=persons)
            | Q(subject_kind="household", subject_id__in=households)
        )
        .exclude(status=Flag.Status.CLEARED)
        .select_related("indicator")
        .order_by("raised_at")
    )
    return [flag for flag in flags if access.flag_visible(flag)]


def review_queue(access: Access) -> list[Flag]:
    """Open flags ``access`` may see, oldest first."""
    queue = (
        Flag.objects.filter(council=access.council, status=Flag.Status.OPEN, indicator__active=True)
        .select_related("indicator")
        .order_by("raised_at", "pk")
    )
    return [flag for flag in queue if access.flag_visible(flag)]


def pending_splits(run: LinkRun | None, record_ids: list[int]) -> list[FalseLink]:
    """False links among these records marked since ``run`` began (kept apart next run)."""
    if run is None:
        return []
    return list(
        FalseLink.objects.filter(Q(record_a__in=record_ids) | Q(record_b__in=record_ids))
        .filter(marked_at__gte=run.started_at)
        .order_by("marked_at")
    )


def subject_access_rows(
    access: Access, links: list[RecordLink], restricted: str
) -> list[dict[str, Any]]:
    """A person's visible records for a subject access export (``restricted`` stands in for
    a value this access may not see)."""
    return [
        {
            "dataset": link.record.dataset.code,
            "record_id": link.record.record_id,
            "received_on": link.record.received_on.isoformat(),
            "address_from": link.record.address_from.isoformat()
            if link.record.address_from
            else "",
            "address_to": link.record.address_to.isoformat() if link.record.address_to else "",
            "fields": {
                name: (value if value is not None else restricted)
                for name, value in access.present(link.record)
            },
        }
        for link in links
    ]


def export_detail(rows: list[dict[str, Any]]) -> dict[str, int]:
    """Counts for the audit of an export: records and datasets, never the values."""
    return {"records": len(rows), "datasets": len({r["dataset"] for r in rows})}


def council_indicators(council: Council) -> QuerySet[Indicator]:
    return (
        Indicator.objects.filter(council=council)
        .select_related("dataset")
        .order_by("-active", "name")
    )


# The access history and the access log -------------------------------------------------------


def my_access_events(council: Council, user: User) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(council=council, actor=user, action__startswith="insight.")


def access_log_events(council: Council) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(council=council, action__startswith="insight.")


def filter_access_log(events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The events the access log's (valid) filter form asks for."""
    if data.get("user"):
        events = events.filter(actor_id=data["user"])
    if data.get("action"):
        events = events.filter(action=data["action"])
    if data.get("since"):
        events = events.filter(at__date__gte=data["since"])
    if data.get("until"):
        events = events.filter(at__date__lte=data["until"])
    return events


# Pseudonymised counts for planners ------------------------------------------------------------

SMALL = 10  # counts from 1 to SMALL - 1 are never shown


def suppressed(count: int) -> str:
    """A count as planners see it: 0 as it is; 1 to 9 as "fewer than 10"; 10 or more rounded
    to the nearest 10 (half up). Rounding every shown number, totals included, is what stops
    a suppressed cell being recovered by subtracting the others from a total (with exact
    cells, a row of 13 and "fewer than 10" under a total of 14 gives the hidden 1 away)."""
    if count <= 0:
        return "0"
    if count < SMALL:
        return str(_("fewer than 10"))
    return str((count + 5) // 10 * 10)


def map_cell(count: int) -> wardmap.Cell:
    """A count for a ward map, suppressed as ``suppressed`` does: the map is banded by the
    rounded number, and a small one is hidden (hatched), never drawn or written."""
    shown = suppressed(count)
    if count <= 0:
        return wardmap.Cell(0, shown)
    if count < SMALL:
        return wardmap.Cell(None, shown, hidden=True)
    return wardmap.Cell(int(shown), shown)


def _need_map(council: Council, level: str, on_map: dict[Ward | str, wardmap.Cell]) -> Any:
    """One level's map of flagged people or households (any indicator), by ward."""
    return wardmap.build(
        council,
        on_map,
        title=_("Households flagged, by ward")
        if level == Indicator.Level.HOUSEHOLD
        else _("People flagged, by ward"),
        description=_(
            "How many have a flag for any indicator in each ward, rounded to the nearest 10; "
            "wards with fewer than 10 are hatched and their number is not shown."
        ),
        value_heading=_("Any indicator"),
        hidden_label=_("fewer than 10 (not shown)"),
        map_id=f"need-map-{level}",
    )


def postcode_district(postcode: str) -> str:
    """The outward code of a UK postcode (``"ex1 1aa"`` -> ``"EX1"``), or ''."""
    compact = "".join(postcode.upper().split())
    if len(compact) < 5 or not compact[-3].isdigit():
        return ""
    return compact[:-3]


def latest_postcodes(run: LinkRun | None, level: str) -> dict[str, str]:
    """Each person's (or household's) postcode in ``run``: its latest record's (by the date
    it lived there, else received). Pseudonymous ids only; nothing leaves insight."""
    if run is None:
        return {}
    key = "household_id" if level == Indicator.Level.HOUSEHOLD else "person_id"
    latest: dict[str, tuple[Any, str]] = {}
    rows = RecordLink.objects.filter(run=run).values_list(
        key, "record__postcode", "record__address_from", "record__received_on"
    )
    for subject, postcode, start, received in rows.iterator(chunk_size=2000):
        when = start or received
        if subject not in latest or when > latest[subject][0]:
            latest[subject] = (when, postcode or "")
    return {subject: postcode for subject, (_when, postcode) in latest.items()}


def flagged_by_ward(council: Council) -> list[dict[str, Any]]:
    """Flagged persons and households (flags open or reviewed, active indicators) by ward and
    indicator, one table a level, every count through ``suppressed``. A subject's ward comes
    from the postcode district of its latest record in the current run (matched to the
    council's ``Ward.postcode_districts``); no ids leave this function."""
    run = current_run(council)
    wards = list(Ward.objects.filter(council=council).order_by("name"))
    by_district = {str(d).upper(): w.name for w in wards for d in w.postcode_districts or []}
    unknown = str(_("Ward not known"))
    ward_names = [w.name for w in wards] + [unknown]
    indicators = list(Indicator.objects.filter(council=council, active=True).order_by("name"))
    flags = Flag.objects.filter(council=council, indicator__active=True).exclude(
        status=Flag.Status.CLEARED
    )
    tables = []
    for level, title in Indicator.Level.choices:
        columns = [i for i in indicators if i.level == level]
        if not columns:
            continue
        subject_ward = {
            s: by_district.get(postcode_district(p), unknown)
            for s, p in latest_postcodes(run, level).items()
        }
        on_map: dict[Ward | str, wardmap.Cell] = {}
        cells: dict[tuple[str, int], set[str]] = defaultdict(set)
        for indicator_id, subject in flags.filter(subject_kind=level).values_list(
            "indicator_id", "subject_id"
        ):
            cells[(subject_ward.get(subject, unknown), indicator_id)].add(subject)
        body = []
        for ward in ward_names:
            counts = [len(cells[(ward, i.pk)]) for i in columns]
            anyone = set().union(*(cells[(ward, i.pk)] for i in columns))
            if ward == unknown and not anyone:
                continue
            body.append(
                {
                    "ward": ward,
                    "cells": [suppressed(c) for c in counts],
                    "any": suppressed(len(anyone)),
                }
            )
            if ward != unknown:
                on_map[ward] = map_cell(len(anyone))
        totals = [
            suppressed(len(set().union(*(cells[(w, i.pk)] for w in ward_names)))) for i in columns
        ]
        everyone = set().union(*cells.values()) if cells else set()
        tables.append(
            {
                "level": level,
                "title": title,
                "indicators": [i.name for i in columns],
                "rows": body,
                "totals": totals,
                "any": suppressed(len(everyone)),
                "map": _need_map(council, level, on_map),
            }
        )
    return tables
