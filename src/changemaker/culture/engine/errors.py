"""Errors of the culture engine, written for the survey lead who has to fix the file."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

MAX_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input file: where (file, line, column) and what to do."""

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


class CultureInputError(ValueError):
    """An input file could not be read; nothing is reported from it. ``problems`` says why."""

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problem(s) in the same file.")
        super().__init__("\n".join(lines))


class Collector:
    """Collects a file's problems (the first MAX_PROBLEMS) so one run shows them together."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.problems: list[Problem] = []
        self.more = 0

    def add(self, line: int | None, column: str | None, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.name, line, column, message))
        else:
            self.more += 1

    def raise_if_any(self) -> None:
        if self.problems:
            raise CultureInputError(self.problems, self.more)
