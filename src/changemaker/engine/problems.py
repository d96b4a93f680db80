"""Where an input file is wrong, said for the person who has to fix it: one shape for every
engine's readers (file, line, column, what to do), and the error that carries them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

#: Readers list at most this many problems of one file, then say how many more there are.
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


class InputError(ValueError):
    """An input file could not be read, and nothing was done with it; ``problems`` says where
    and why. ``more`` counts the problems left out of the list (in the same ``scope``)."""

    scope = "file"

    def __init__(self, problems: Sequence[Problem], more: int = 0) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"... and {more} more problem(s) in the same {self.scope}.")
        super().__init__("\n".join(lines))
