"""The person schema every service dataset is mapped onto before linkage.

A *person record* is one row a service holds about one person. Only ``source_dataset`` and
``record_id`` are required; every other field may be empty (``None``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import pandas as pd

SOURCE_DATASET: Final = "source_dataset"
RECORD_ID: Final = "record_id"

#: Column order of the person schema, as in issue 6.
PERSON_FIELDS: Final[tuple[str, ...]] = (
    SOURCE_DATASET,
    RECORD_ID,
    "first_name",
    "surname",
    "date_of_birth",
    "postcode",
    "address_line",
    "nino",
    "email",
    "phone",
)
REQUIRED_FIELDS: Final[tuple[str, ...]] = (SOURCE_DATASET, RECORD_ID)
OPTIONAL_FIELDS: Final[tuple[str, ...]] = PERSON_FIELDS[2:]

#: Optional period columns: when the person lived at the record's address (dates, either end
#: may be empty = unknown). Not part of ``PERSON_FIELDS``: importers accept them when present.
PERIOD_FIELDS: Final[tuple[str, ...]] = ("address_from", "address_to")

#: Personal fields: never written to logs or run reports.
PERSONAL_FIELDS: Final[frozenset[str]] = frozenset(OPTIONAL_FIELDS)


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One service record in the person schema (raw, before standardisation)."""

    source_dataset: str
    record_id: str
    first_name: str | None = None
    surname: str | None = None
    date_of_birth: str | None = None
    postcode: str | None = None
    address_line: str | None = None
    nino: str | None = None
    email: str | None = None
    phone: str | None = None


def empty_person_frame() -> pd.DataFrame:
    """An empty frame with the person schema's columns (all strings)."""
    return pd.DataFrame({name: pd.Series([], dtype="object") for name in PERSON_FIELDS})


def records_to_frame(records: list[PersonRecord]) -> pd.DataFrame:
    """Build a person-schema frame from records (column order as ``PERSON_FIELDS``)."""
    if not records:
        return empty_person_frame()
    return pd.DataFrame(
        {name: [getattr(r, name) for r in records] for name in PERSON_FIELDS}, dtype="object"
    )


def check_person_frame(frame: pd.DataFrame) -> None:
    """Raise ``ValueError`` naming the problem if ``frame`` is not in the person schema."""
    missing = [c for c in PERSON_FIELDS if c not in frame.columns]
    if missing:
        raise ValueError(f"missing person-schema columns: {', '.join(missing)}")
    for name in REQUIRED_FIELDS:
        empty = frame[name].isna() | (frame[name].astype("string").str.strip() == "")
        if bool(empty.any()):
            raise ValueError(f"column {name} has {int(empty.sum())} empty values")
    keys = frame[SOURCE_DATASET].astype("string") + "\x1f" + frame[RECORD_ID].astype("string")
    duplicated = keys.duplicated()
    if bool(duplicated.any()):
        raise ValueError(f"{int(duplicated.sum())} duplicate (source_dataset, record_id) keys")
