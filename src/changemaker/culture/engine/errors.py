"""Errors of the culture engine, written for the survey lead who has to fix the file."""

from __future__ import annotations

from changemaker.engine.problems import MAX_PROBLEMS, InputError, Problem

__all__ = ["MAX_PROBLEMS", "Collector", "CultureInputError", "Problem"]


class CultureInputError(InputError):
    """An input file could not be read; nothing is reported from it. ``problems`` says why."""


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
