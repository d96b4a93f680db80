"""The person schema every service dataset is mapped onto before linkage.

A *person record* is one row a service holds about one person. Only ``source_dataset`` and
``record_id`` are required; every other field may be empty (``None``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
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
#: The fields a record may leave empty: all but its keys (the web app's records carry these).
OPTIONAL_FIELDS: Final[tuple[str, ...]] = PERSON_FIELDS[2:]

#: Optional period columns: when the person lived at the record's address (dates, either end
#: may be empty = unknown). Not part of ``PERSON_FIELDS``: importers accept them when present.
PERIOD_FIELDS: Final[tuple[str, ...]] = ("address_from", "address_to")


def empty_person_frame() -> pd.DataFrame:
    """An empty frame with the person schema's columns (all strings)."""
    import pandas as pd

    return pd.DataFrame({name: pd.Series([], dtype="object") for name in PERSON_FIELDS})
