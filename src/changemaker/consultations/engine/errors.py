"""Errors raised by the opinion-mapping engine."""

from __future__ import annotations

from dataclasses import dataclass


class OpinionEngineError(Exception):
    """Base class of every error the engine raises on purpose."""


class PolisFormatError(OpinionEngineError, ValueError):
    """A Polis export file is malformed.

    Carries the file name, the 1-based line number and the column (field) name so that an
    officer can find and fix the problem; ``line`` is 0 and ``column`` empty when the problem
    concerns the whole file (e.g. it is missing).
    """

    def __init__(self, file: str, line: int, column: str, message: str) -> None:
        self.file = file
        self.line = line
        self.column = column
        self.message = message
        where = file
        if line:
            where += f", line {line}"
        if column:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class PolisFormatWarning:
    """Something in a Polis export that was read past, not refused (e.g. a column this engine
    does not know, left out of the import). Names the file and the column like the errors do."""

    file: str
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}, column {self.column!r}: {self.message}"


class VoteError(OpinionEngineError, ValueError):
    """Votes handed to the engine in memory are invalid (bad value, unknown statement...)."""
