"""Shared by the data-governance actions: the officer-facing error and the mapped schema fields."""

from __future__ import annotations

from changemaker.insight.models import PERIOD_FIELDS, PERSON_FIELDS

#: The schema fields a dataset's mapping may name, record_id first (required).
MAPPED_FIELDS: tuple[str, ...] = ("record_id", *PERSON_FIELDS, *PERIOD_FIELDS)


class DataError(Exception):
    """Safe to show to the data officer: says what is wrong and what to do."""
