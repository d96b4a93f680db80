"""Errors raised by the budgeting engine, written for the officer who has to fix the input."""

from __future__ import annotations


class BudgetingError(Exception):
    """Base class of every error the engine raises on purpose."""


class PabulibError(BudgetingError):
    """A ``.pb`` file that cannot be read: names the file, the line, the problem and the fix."""

    def __init__(
        self, message: str, *, line: int | None = None, source: str = "<string>", hint: str = ""
    ) -> None:
        self.source = source
        self.line = line
        self.problem = message
        self.hint = hint
        where = f"{source}, line {line}" if line is not None else source
        text = f"{where}: {message}"
        if hint:
            text += f" ({hint})"
        super().__init__(text)


class RuleError(BudgetingError):
    """A counting rule asked for something the election cannot give (e.g. Borda on approval)."""
