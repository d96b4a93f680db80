"""A small shared view of need for the people-side tests: three agreements, three datasets,
one current linkage run with two households. Owned by the people side; each
test_people_*.py file makes its own ``world`` fixture from ``make_world``."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from changemaker.core.models import Council, Ward
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    Indicator,
    LawfulBasis,
    LinkRun,
    Purpose,
    RecordLink,
    RestrictedCategory,
    SourceRecord,
)

HOST = {"HTTP_HOST": "exampleton.test"}


@dataclass
class World:
    council: Council
    early_help: Purpose  # covered by every agreement; may see housing's restricted data
    debt: Purpose  # covered by council tax and housing (not restricted data)
    uncovered: Purpose  # covered by no agreement
    council_tax: Dataset
    housing: Dataset
    school: Dataset
    run: LinkRun
    records: dict[str, SourceRecord] = field(default_factory=dict)


def agreement(
    council: Council, reference: str, purposes: list[Purpose], **kw: object
) -> DataSharingAgreement:
    restricted: list[Purpose] = kw.pop("restricted_purposes", [])
    dsa = DataSharingAgreement.objects.create(
        council=council,
        reference=reference,
        title=f"Agreement {reference}",
        controller="Exampleton Borough Council",
        lawful_basis=LawfulBasis.PUBLIC_TASK,
        statutory_function="Children Act 2004 s.10",
        retention_days=365 * 6,
        starts_on=date(2020, 1, 1),
        **kw,
    )
    dsa.purposes.set(purposes)
    dsa.restricted_purposes.set(restricted)
    return dsa


def record(dataset: Dataset, record_id: str, **kw: Any) -> SourceRecord:
    return SourceRecord.objects.create(dataset=dataset, record_id=record_id, **kw)


#: key, dataset (its World attribute), person, household, fields
ROWS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "ct1",
        "council_tax",
        "P00000001",
        "H00000001",
        {
            "first_name": "Ada",
            "surname": "Lovelace",
            "date_of_birth": "1985-12-10",
            "postcode": "EX1 1AA",
            "attributes": {"arrears_amount": "£750.00"},
        },
    ),
    (
        "hs1",
        "housing",
        "P00000001",
        "H00000001",
        {
            "first_name": "Ada",
            "surname": "Lovelace",
            "date_of_birth": "10/12/1985",
            "postcode": "EX1 1AA",
            "address_from": date(2021, 3, 1),
            "attributes": {"rent_arrears_weeks": "10", "hb_claim": "HB-CLAIM-SECRET"},
        },
    ),
    (
        "sc2",
        "school",
        "P00000002",
        "H00000001",
        {
            "first_name": "Byron",
            "surname": "Lovelace",
            "date_of_birth": "2014-05-01",
            "postcode": "EX1 1AA",
            "attributes": {"attendance_percent": "85%"},
        },
    ),
    (
        "ct3",
        "council_tax",
        "P00000003",
        "H00000002",
        {
            "first_name": "Charles",
            "surname": "Babbage",
            "date_of_birth": "1971-12-26",
            "postcode": "EX3 4BB",
            "attributes": {"arrears_amount": "120"},
        },
    ),
    (
        "sc4",
        "school",
        "P00000004",
        "H00000002",
        {
            "first_name": "Dora",
            "surname": "Babbage",
            "date_of_birth": "2012-01-02",
            "postcode": "EX3 4BB",
            "attributes": {"attendance_percent": "n/a"},
        },
    ),
]


def make_world(council: Council) -> World:
    _wards(council)
    early_help = Purpose.objects.create(council=council, name="Early help assessment")
    debt = Purpose.objects.create(council=council, name="Debt advice")
    uncovered = Purpose.objects.create(council=council, name="Marketing")
    council_tax, housing, school = _datasets(council, early_help, debt)
    run = LinkRun.objects.create(council=council, status=LinkRun.Status.PUBLISHED, current=True)
    world = World(council, early_help, debt, uncovered, council_tax, housing, school, run)
    for key, dataset, person, household, fields in ROWS:
        rec = record(getattr(world, dataset), key.upper(), **copy.deepcopy(fields))
        RecordLink.objects.create(run=run, record=rec, person_id=person, household_id=household)
        world.records[key] = rec
    return world


def _wards(council: Council) -> None:
    for name, code, districts in [
        ("Abbey", "E05099001", ["EX1", "EX2"]),
        ("Castle Hill", "E05099002", ["EX3"]),
    ]:
        Ward.objects.get_or_create(
            council=council, code=code, defaults={"name": name, "postcode_districts": districts}
        )


def _datasets(
    council: Council, early_help: Purpose, debt: Purpose
) -> tuple[Dataset, Dataset, Dataset]:
    """Council tax and housing (housing benefit restricted: early help may see it) under
    agreements covering both purposes, school attendance under one for early help only."""
    ct = agreement(council, "DSA-CT", [early_help, debt])
    hs = agreement(
        council,
        "DSA-HS",
        [early_help, debt],
        restricted_categories=[RestrictedCategory.HOUSING_BENEFIT],
        restricted_purposes=[early_help],
    )
    sc = agreement(council, "DSA-SC", [early_help])
    council_tax = Dataset.objects.create(
        council=council,
        code="council-tax",
        title="Council tax",
        service="Revenues",
        agreement=ct,
        attribute_columns=["arrears_amount"],
    )
    housing = Dataset.objects.create(
        council=council,
        code="housing",
        title="Housing",
        service="Housing",
        agreement=hs,
        attribute_columns=["rent_arrears_weeks", "hb_claim"],
        restricted_fields=["hb_claim"],
    )
    school = Dataset.objects.create(
        council=council,
        code="school-attendance",
        title="School attendance",
        service="Education",
        agreement=sc,
        attribute_columns=["attendance_percent"],
    )
    return council_tax, housing, school


def demo_indicators(world: World) -> dict[str, Indicator]:
    from changemaker.insight.indicators import load_indicators

    load_indicators(world.council)
    return {
        i.dataset.code if i.dataset else "services": i
        for i in Indicator.objects.filter(council=world.council)
    }
