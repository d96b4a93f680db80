"""Makers of the shared view of need's data-governance objects, for tests on both sides."""

from __future__ import annotations

from datetime import date
from typing import Any

from changemaker.core.models import Council
from changemaker.insight.models import (
    Dataset,
    DataSharingAgreement,
    LawfulBasis,
    Purpose,
)

#: A small service file in the dataset's own column names (see ``make_dataset``).
CSV_HEADER = "Ref,Forename,Surname,DOB,Post code,Address,Arrears\n"


def make_purpose(council: Council, name: str = "Early help assessment") -> Purpose:
    purpose, _created = Purpose.objects.get_or_create(council=council, name=name)
    return purpose


def make_agreement(
    council: Council, reference: str = "DSA-001", purposes: list[Purpose] | None = None, **kw: Any
) -> DataSharingAgreement:
    restricted = kw.pop("restricted_purposes", [])
    values: dict[str, Any] = {
        "title": f"Agreement {reference}",
        "controller": "Exampleton Borough Council",
        "lawful_basis": LawfulBasis.PUBLIC_TASK,
        "statutory_function": "Children Act 2004 s.10",
        "retention_days": 365,
        "starts_on": date(2020, 1, 1),
    }
    values.update(kw)
    agreement = DataSharingAgreement.objects.create(council=council, reference=reference, **values)
    agreement.purposes.set(purposes if purposes is not None else [make_purpose(council)])
    agreement.restricted_purposes.set(restricted)
    return agreement


def make_dataset(
    council: Council,
    code: str = "council-tax",
    agreement: DataSharingAgreement | None = None,
    **kw: Any,
) -> Dataset:
    values: dict[str, Any] = {
        "title": code.replace("-", " ").capitalize(),
        "service": "Revenues",
        "column_mapping": {
            "record_id": "Ref",
            "first_name": "Forename",
            "surname": "Surname",
            "date_of_birth": "DOB",
            "postcode": "Post code",
            "address_line": "Address",
        },
        "attribute_columns": ["Arrears"],
    }
    values.update(kw)
    return Dataset.objects.create(
        council=council,
        code=code,
        agreement=agreement or make_agreement(council, f"DSA-{code}"),
        **values,
    )
