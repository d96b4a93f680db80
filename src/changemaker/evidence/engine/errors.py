"""Errors raised by the evidence engine, written for the officer who has to fix the input."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class EvidenceError(ValueError):
    """Base class of every error the engine raises on purpose: the message says what to fix."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input table: where (file, line, column) and what to do."""

    file: str
    line: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class InputError(EvidenceError):
    """An input table cannot be analysed; ``problems`` says where and why."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problem(s) in the same column.")
        super().__init__("\n".join(lines))
