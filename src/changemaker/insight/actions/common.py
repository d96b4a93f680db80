"""Shared by the data-governance actions and the adapter: the officer-facing error, the mapped
schema fields, what an upload may be, and the one rule that no agreement means no import."""

from __future__ import annotations

from django.utils.translation import gettext as _

from changemaker.insight.models import PERIOD_FIELDS, PERSON_FIELDS, Dataset

#: The schema fields a dataset's mapping may name, record_id first (required).
MAPPED_FIELDS: tuple[str, ...] = ("record_id", *PERSON_FIELDS, *PERIOD_FIELDS)

MAX_UPLOAD_BYTES = 200 * 1024 * 1024

#: The file types an upload may be, by file name ending.
FILE_TYPES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


class DataError(Exception):
    """Safe to show to the data officer: says what is wrong and what to do."""


def _refuse_unless_in_force(dataset: Dataset) -> None:
    """No agreement, no import: raise DataError unless the dataset's agreement is in force."""
    agreement = dataset.agreement
    if not agreement.in_force():
        raise DataError(
            _(
                "Agreement %(ref)s is not in force today, so no records can be imported under "
                "it. Renew or correct the agreement's dates first."
            )
            % {"ref": agreement.reference}
        )
