"""The refusals participatory-budgeting actions raise, shared by every actions module."""

from __future__ import annotations


class ActionRefused(Exception):
    """An action refused, changing nothing. Safe to show to the person: says what is wrong and
    what to do. (The engine's own errors are ``engine.errors.BudgetingError`` and its kinds.)"""


class NotOnRegister(ActionRefused):
    """The resident's details did not match the register: they may ask for a manual check."""


class CountExists(ActionRefused):
    """A paper ballot for a budget that has already been counted: only with a recount."""
