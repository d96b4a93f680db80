"""Errors raised by the evidence engine, written for the officer who has to fix the input."""

from __future__ import annotations

from changemaker.engine import problems
from changemaker.engine.problems import Problem

__all__ = ["EvidenceError", "InputError", "Problem"]


class EvidenceError(ValueError):
    """Base class of every error the engine raises on purpose: the message says what to fix."""


class InputError(EvidenceError, problems.InputError):
    """An input table cannot be analysed; ``problems`` says where and why."""

    scope = "column"
