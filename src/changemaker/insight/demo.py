"""Exampleton's shared view of need: purposes, agreements, six service datasets made with the
engine's seeded synthetic generator (a few thousand fictional people, enough for the
early-help pilot's counts by ward and month to pass the small-number rule), uploaded and
published through the real import code, and one published linkage run. Idempotent.

Surnames carry an invented ending ("Smithquill"), so nobody real can be recognised. The
people live in the postal districts of the council's wards (made-up streets and inward codes),
so that "Need by ward" counts them by ward; the indicators' values are drawn at about the rates
councils see (:data:`KEPT_VALUES`).
"""

from __future__ import annotations

import csv
import functools
import io
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from changemaker.core import demo_story as story
from changemaker.core.models import Council, Role, User, Ward
from changemaker.insight import actions, adapter, selectors
from changemaker.insight.indicators import load_indicators
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    Flag,
    Indicator,
    LawfulBasis,
    LinkRun,
    Purpose,
    RestrictedCategory,
    current_run,
)
from changemaker.insight.outcomes import months_between

N_PEOPLE = 8000
SEED = 2026
SURNAME_ENDING = "quill"
#: How many services a person is known to: most people to one (the generator's default, made
#: to test linkage, knows people to more services than a council does)
SERVICE_WEIGHTS = (0.65, 0.25, 0.08, 0.02)

PURPOSES = [
    ("Early help assessment", "Seeing a family's needs whole to offer help before a crisis."),
    ("Safeguarding enquiry", "Enquiries under the Care Act 2014 s.42 or Children Act 1989 s.47."),
    ("Service planning", "Planning services from counts; no identities."),
    (
        "Evaluating pilots",
        "Counts by ward and month as the outcome of the council's pilots; no identities.",
    ),
]
#: the purpose whose agreements let pilots take counts by ward and month (Purpose.evaluation)
EVALUATION = "Evaluating pilots"
#: The story the flags tell the early-help pilot (``core.demo_story``): the linkage run's flags
#: are spread over the months around the pilot's start, and in the pilot wards fewer were raised
#: after the start (PILOT_AFTER times as likely in a month as before).
PILOT_AFTER = 0.7

#: reference, title, controller, basis, statutory function, purposes, restricted categories,
#: purposes that may see restricted data, retention days
AGREEMENTS: list[tuple[str, str, str, str, str, list[str], list[str], list[str], int]] = [
    (
        "DSA-2026-01",
        "Council services for early help",
        "Exampleton Borough Council",
        LawfulBasis.PUBLIC_TASK,
        "Children Act 2004 s.10 (co-operation to improve well-being)",
        ["Early help assessment", "Safeguarding enquiry", "Service planning", EVALUATION],
        [],
        [],
        365 * 6,
    ),
    (
        "DSA-2026-02",
        "Adult social care contacts",
        "Exampleton Borough Council",
        LawfulBasis.PUBLIC_TASK,
        "Care Act 2014 s.1 and s.42",
        ["Early help assessment", "Safeguarding enquiry"],
        [RestrictedCategory.HEALTH],
        ["Safeguarding enquiry"],
        365 * 8,
    ),
    (
        "DSA-2026-03",
        "DWP benefits data for early help",
        "Department for Work and Pensions",
        LawfulBasis.PUBLIC_TASK,
        "Digital Economy Act 2017 s.35 (public service delivery)",
        ["Early help assessment", "Safeguarding enquiry"],
        [RestrictedCategory.DWP_BENEFITS],
        ["Early help assessment"],
        365 * 2,
    ),
]

#: code, title, service, agreement, synthetic service, file columns, kept columns, restricted
DATASETS: list[tuple[str, str, str, str, str, dict[str, str], list[str], list[str]]] = [
    (
        "council-tax",
        "Council tax accounts",
        "Revenues and benefits",
        "DSA-2026-01",
        "council_tax",
        {
            "record_id": "Account ref",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "postcode": "Postcode",
            "address_line": "Property address",
            "email": "Email",
            "phone": "Phone",
        },
        ["arrears_amount"],
        [],
    ),
    (
        "housing",
        "Council housing tenancies",
        "Housing",
        "DSA-2026-01",
        "housing",
        {
            "record_id": "Tenancy ref",
            "first_name": "First name",
            "surname": "Last name",
            "date_of_birth": "Date of birth",
            "postcode": "Post code",
            "address_line": "Address",
            "nino": "NI number",
            "phone": "Telephone",
            "address_from": "Tenancy start",
            "address_to": "Tenancy end",
        },
        ["rent_arrears_weeks"],
        [],
    ),
    (
        "school-attendance",
        "School attendance",
        "Education",
        "DSA-2026-01",
        "schools",
        {
            "record_id": "UPN",
            "first_name": "Legal forename",
            "surname": "Legal surname",
            "date_of_birth": "DOB",
            "postcode": "Home postcode",
            "address_line": "Home address",
            "email": "Parent email",
            "phone": "Parent phone",
        },
        ["attendance_percent"],
        [],
    ),
    (
        "early-help",
        "Early help contacts",
        "Early help",
        "DSA-2026-01",
        "leisure",
        {
            "record_id": "Contact ref",
            "first_name": "First name",
            "surname": "Surname",
            "date_of_birth": "Date of birth",
            "postcode": "Postcode",
            "address_line": "Address",
            "email": "Email",
            "phone": "Phone",
        },
        ["crisis_referrals"],
        [],
    ),
    (
        "adult-social-care",
        "Adult social care contacts",
        "Adult social care",
        "DSA-2026-02",
        "adult_social_care",
        {
            "record_id": "Person ID",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "postcode": "Postcode",
            "address_line": "Address",
            "nino": "NINO",
            "phone": "Phone",
        },
        ["primary_support_reason"],
        ["primary_support_reason"],
    ),
    (
        "dwp-benefits",
        "Benefits shared by the DWP",
        "Department for Work and Pensions",
        "DSA-2026-03",
        "benefits",
        {
            "record_id": "Claim ref",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "postcode": "Postcode",
            "address_line": "Address",
            "nino": "NINO",
        },
        ["benefit"],
        ["nino", "benefit"],
    ),
]


def _fictional(surname: Any) -> Any:
    if not isinstance(surname, str) or not surname:
        return surname
    return surname + (SURNAME_ENDING.upper() if surname.isupper() else SURNAME_ENDING)


#: The kept values, drawn at about the rates English councils publish: about 1 account in 12
#: over £500 behind on council tax, 1 tenancy in 12 more than 8 weeks behind on rent, 1 pupil
#: in 6 persistently absent (attending under 90%); of the people who contact early help, a
#: little under half are referred on to the crisis team within the year. Value -> weight.
KEPT_VALUES: dict[str, dict[str, int]] = {
    "arrears_amount": {
        "£0.00": 74,
        "£45.00": 6,
        "£120.00": 6,
        "£310.00": 6,
        "£520.00": 4,
        "£780.00": 2,
        "£1,240.00": 2,
    },
    "rent_arrears_weeks": {"0": 70, "1": 8, "2": 6, "4": 5, "6": 3, "9": 5, "12": 3},
    "attendance_percent": {
        "99.0%": 25,
        "97.0%": 22,
        "96.0%": 14,
        "94.0%": 12,
        "92.0%": 10,
        "88.0%": 9,
        "85.0%": 5,
        "79.0%": 3,
    },
    "primary_support_reason": {
        "Physical support": 5,
        "Memory and cognition": 2,
        "Mental health support": 3,
    },
    "crisis_referrals": {"0": 55, "1": 30, "2": 10, "3": 5},
    "benefit": {"Universal Credit": 6, "Pension Credit": 2, "Personal Independence Payment": 2},
}


def _kept_value(name: str, rng: random.Random) -> str:
    values = KEPT_VALUES[name]
    return rng.choices(list(values), weights=list(values.values()))[0]


def _cell(value: Any) -> str:
    """A generated value as CSV text: missing values (None or NaN) are empty."""
    return "" if value is None or value != value else str(value)  # NaN != NaN


def _csv(records: Any, columns: dict[str, str], kept: list[str], rng: random.Random) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*columns.values(), *kept])
    for row in records.itertuples(index=False):
        values = row._asdict()
        values["surname"] = _fictional(values.get("surname"))
        writer.writerow(
            [
                *(_cell(values.get(field)) for field in columns),
                *(_kept_value(name, rng) for name in kept),
            ]
        )
    return out.getvalue().encode("utf-8")


def load(council: Council) -> list[str]:
    officer = User.objects.filter(
        role_assignments__council=council, role_assignments__role=Role.DATA_OFFICER
    ).first()
    done: list[str] = []
    purposes = _purposes(council, done)
    agreements = _agreements(council, officer, purposes, done)
    _datasets(council, officer, agreements, done)
    done += load_indicators(council)
    if selectors.current_gazetteer(council) is None:
        done.append(_gazetteer(council, officer))
    if (
        current_run(council) is None
        and Dataset.objects.filter(council=council, records__isnull=False).exists()
    ):
        run = adapter.link_now(LinkRun.objects.create(council=council, started_by=officer))
        done.append(
            f"linkage run: {run.report['persons']} people in {run.report['households']} households"
        )
        done.append(_history(council, officer))
    return done


def _history(council: Council, officer: User | None) -> str:
    """Spread the flags the linkage run raised at once over the months around the pilot's
    start (``core.demo_story``), as months of early-help flags would have come."""
    now = timezone.localtime()
    start = story.pilot_start(now.date())
    months = months_between(story.pilot_first_month(now.date()), now.date())
    wards = list(Ward.objects.filter(council=council).order_by("code"))
    pilot = {w.pk for w in wards[: story.PILOT_WARDS]}
    by_district = {str(d).upper(): w.pk for w in wards for d in w.postcode_districts or []}
    run = current_run(council)
    postcodes = {level: selectors.latest_postcodes(run, level) for level in Indicator.Level.values}
    rng = random.Random(SEED)
    dates: dict[int, datetime] = {}
    flags = Flag.objects.filter(council=council).order_by("pk")
    for pk, kind, subject in flags.values_list("pk", "subject_kind", "subject_id"):
        district = selectors.postcode_district(postcodes[kind].get(subject, ""))
        after = by_district.get(district) in pilot
        weights = [PILOT_AFTER if after and m >= start else 1.0 for m in months]
        month = rng.choices(months, weights)[0]
        last = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        day = month.replace(day=rng.randint(1, last.day))
        when = timezone.make_aware(datetime.combine(day, time(rng.randint(8, 17))))
        dates[pk] = min(when, now)
    dated = actions.date_flags(council, dates, by=officer)
    return f"{dated} flags spread over {len(months)} months around the pilot's start {start}"


def _purposes(council: Council, done: list[str]) -> dict[str, Purpose]:
    purposes: dict[str, Purpose] = {}
    for name, description in PURPOSES:
        purposes[name], created = Purpose.objects.get_or_create(
            council=council,
            name=name,
            defaults={"description": description, "evaluation": name == EVALUATION},
        )
        if created:
            done.append(f"purpose '{name}'")
    return purposes


def _agreements(
    council: Council, officer: User | None, purposes: dict[str, Purpose], done: list[str]
) -> dict[str, DataSharingAgreement]:
    agreements: dict[str, DataSharingAgreement] = {}
    for ref, title, controller, basis, function, covers, categories, see, days in AGREEMENTS:
        agreement, created = DataSharingAgreement.objects.get_or_create(
            council=council,
            reference=ref,
            defaults={
                "title": title,
                "controller": controller,
                "lawful_basis": basis,
                "statutory_function": function,
                "restricted_categories": list(categories),
                "retention_days": days,
                "starts_on": date(2026, 1, 1),
                "created_by": officer,
            },
        )
        if created:
            agreement.purposes.set([purposes[p] for p in covers])
            agreement.restricted_purposes.set([purposes[p] for p in see])
            done.append(f"agreement {ref}")
        agreements[ref] = agreement
    return agreements


def _datasets(
    council: Council,
    officer: User | None,
    agreements: dict[str, DataSharingAgreement],
    done: list[str],
) -> None:
    """The six datasets, each with its synthetic records uploaded and published."""
    records = None
    rng = random.Random(SEED)
    for code, title, service, ref, synthetic, columns, kept, restricted in DATASETS:
        dataset, created = Dataset.objects.get_or_create(
            council=council,
            code=code,
            defaults={
                "title": title,
                "service": service,
                "agreement": agreements[ref],
                "column_mapping": columns,
                "attribute_columns": kept,
                "restricted_fields": restricted,
            },
        )
        if created:
            done.append(f"dataset {code}")
        if dataset.records.exists() or not dataset.agreement.in_force():
            continue
        if records is None:
            records, _gazetteer = _generated(_config(council))
        part = records[records["source_dataset"] == synthetic]
        upload = adapter.validate_upload(
            dataset,
            by=officer,
            name=f"{code}.csv",
            stream=io.BytesIO(_csv(part, columns, kept, rng)),
        )
        actions.publish_upload(upload, by=officer)
        done.append(f"{upload.rows_accepted} {code} records")


def _config(council: Council) -> Any:
    """The generator's settings for ``council``: its people live in the postal districts of
    the council's wards (so that "Need by ward" has something to count), else in the
    generator's fictional ``X`` districts."""
    from changemaker.insight.engine.synthetic import SyntheticConfig

    districts = sorted(
        {str(d).upper() for w in Ward.objects.filter(council=council) for d in w.postcode_districts}
    )
    return SyntheticConfig(
        n_people=N_PEOPLE,
        seed=SEED,
        service_weights=SERVICE_WEIGHTS,
        outward_codes=tuple(districts),
    )


@functools.lru_cache(maxsize=1)
def _generated(config: Any) -> tuple[Any, Any]:
    """The generated records and their gazetteer, made once for the datasets and the
    gazetteer alike (callers only read them)."""
    from changemaker.insight.engine.synthetic import generate_with_gazetteer

    return generate_with_gazetteer(config)


def _gazetteer(council: Council, officer: User | None) -> str:
    """The generated area's own gazetteer (every address with a UPRN), as an LLPG extract."""
    _records, gazetteer = _generated(_config(council))
    uploaded = actions.upload_gazetteer(
        council,
        by=officer,
        name="llpg.csv",
        stream=io.BytesIO(gazetteer.to_csv(index=False).encode()),
        background=False,
    )
    imported = adapter.import_gazetteer(uploaded)
    return f"gazetteer: {imported.entries} addresses"
