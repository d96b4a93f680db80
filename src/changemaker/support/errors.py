"""The one error support's selectors and actions raise for a person to read."""

from __future__ import annotations


class SupportError(Exception):
    """Safe to show to the person: says what is wrong and what to do."""


class NeedsConfirming(SupportError):
    """Not wrong, but worth a second look: shown as a warning, and the person may confirm."""
