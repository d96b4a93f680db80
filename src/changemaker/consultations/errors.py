"""The error every part of consultations raises for the person to read."""

from __future__ import annotations


class ConsultationError(Exception):
    """Safe to show to the person: says what is wrong and what to do."""
