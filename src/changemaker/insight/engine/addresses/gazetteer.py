"""The council's gazetteer (LLPG, or an AddressBase-style extract): a CSV of ``uprn, sao,
pao, street, town, postcode`` (the usual LLPG/AddressBase column names accepted too), checked
all or nothing (:class:`GazetteerFileError` gives every problem's line, column and field),
then parsed into the matcher's columns."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from changemaker.insight.engine.addresses.parsing import parse_pao, parse_sao
from changemaker.insight.engine.importers import _csv_rows
from changemaker.insight.engine.standardise import (
    _factorize,
    _map_unique,
    _take,
    standardise_address,
    standardise_postcode,
)

#: The gazetteer's columns, in order, and other names they go by in LLPG/AddressBase extracts.
GAZETTEER_COLUMNS: Final[tuple[str, ...]] = ("uprn", "sao", "pao", "street", "town", "postcode")
_COLUMN_ALIASES: Final[dict[str, str]] = {
    "sao_text": "sao",
    "sub_building_name": "sao",
    "sub_building": "sao",
    "pao_text": "pao",
    "building": "pao",
    "building_name_number": "pao",
    "street_description": "street",
    "thoroughfare": "street",
    "street_name": "street",
    "town_name": "town",
    "post_town": "town",
    "locality": "town",
    "postcode_locator": "postcode",
    "post_code": "postcode",
}
_UPRN: Final = re.compile(r"^[0-9]{1,12}$")
MAX_PROBLEMS_SHOWN: Final = 20


@dataclass(frozen=True, slots=True)
class GazetteerProblem:
    """One bad line of a gazetteer file: where, and what to do."""

    line: int
    column: int | None
    field: str | None
    reason: str

    def __str__(self) -> str:
        where = f"line {self.line}"
        if self.column is not None:
            where += f", column {self.column}"
        if self.field:
            where += f" ({self.field})"
        return f"{where}: {self.reason}"


class GazetteerFileError(ValueError):
    """The gazetteer file is refused as a whole; ``problems`` says where and why."""

    def __init__(self, source: str, problems: Sequence[GazetteerProblem]) -> None:
        self.source = source
        self.problems = list(problems)
        shown = "; ".join(str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN])
        more = len(self.problems) - MAX_PROBLEMS_SHOWN
        tail = f"; and {more} more" if more > 0 else ""
        super().__init__(
            f"{source}: the gazetteer was not imported ({len(self.problems)} "
            f"problem{'s' if len(self.problems) != 1 else ''}): {shown}{tail}. Correct the file "
            "and import it again; nothing was kept from it."
        )


def read_gazetteer(path: Path) -> pd.DataFrame:
    """Read a gazetteer CSV file (see :func:`parse_gazetteer`)."""
    return parse_gazetteer(path.read_bytes(), source=path.name)


def parse_gazetteer(data: bytes, *, source: str = "the gazetteer") -> pd.DataFrame:
    """:func:`check_gazetteer`, then :func:`gazetteer_frame`: the matcher's gazetteer."""
    return gazetteer_frame(check_gazetteer(data, source=source))


def check_gazetteer(data: bytes, *, source: str = "the gazetteer") -> pd.DataFrame:
    """Check a gazetteer CSV: a header with ``uprn``, ``pao`` (number and/or building name),
    ``street`` and ``postcode`` (``sao`` and ``town`` optional; LLPG/AddressBase names such as
    ``pao_text``, ``street_description``, ``postcode_locator`` accepted), one address a line.

    All or nothing: every problem (a line with the wrong number of fields, a UPRN that is not
    1-12 digits or appears twice, no house number or name, no street, a postcode that is not a
    UK postcode) is collected and raised at once in :class:`GazetteerFileError`.

    Returns the addresses as text, one row each, in ``GAZETTEER_COLUMNS`` (``None`` when
    empty).
    """
    text = _decode(data, source)
    rows = ((line, row) for line, row, _error in _csv_rows(text))
    header = _header(next(rows, None), source)
    positions: dict[str, int] = {}
    for index, name in enumerate(header):
        if name in GAZETTEER_COLUMNS and name not in positions:
            positions[name] = index
    missing = [c for c in ("uprn", "pao", "street", "postcode") if c not in positions]
    if missing:
        raise GazetteerFileError(
            source,
            [
                GazetteerProblem(
                    1,
                    None,
                    None,
                    f"no {', '.join(missing)} column: the header must name "
                    "uprn, pao, street and postcode (sao and town are optional)",
                )
            ],
        )
    values, problems = _read_rows(rows, positions, len(header))
    if problems:
        raise GazetteerFileError(source, problems)
    if not values["uprn"]:
        raise GazetteerFileError(source, [GazetteerProblem(2, None, None, "no addresses")])
    return pd.DataFrame(values, dtype="object")


def _decode(data: bytes, source: str) -> str:
    """The file as text (a UTF-8 byte order mark dropped), or the line that is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GazetteerFileError(
            source,
            [GazetteerProblem(line, None, None, "not UTF-8 text: save the file as 'CSV UTF-8'")],
        ) from None


def _header(first: tuple[int, list[str] | None] | None, source: str) -> list[str]:
    """The header's column names, LLPG/AddressBase names mapped to the gazetteer's."""
    if first is None or first[1] is None:
        raise GazetteerFileError(
            source,
            [
                GazetteerProblem(
                    1,
                    None,
                    None,
                    "no header line: the first line must name "
                    "the columns (uprn, sao, pao, street, town, postcode)",
                )
            ],
        )
    return [_COLUMN_ALIASES.get(h, h) for h in (_snake(h) for h in first[1])]


def _read_rows(
    rows: Iterator[tuple[int, list[str] | None]], positions: dict[str, int], width: int
) -> tuple[dict[str, list[str | None]], list[GazetteerProblem]]:
    """Every address line's values by column, and every problem found, in line order."""
    values: dict[str, list[str | None]] = {c: [] for c in GAZETTEER_COLUMNS}
    problems: list[GazetteerProblem] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        if row is None:
            problems.append(GazetteerProblem(line, None, None, "not valid CSV (check the quotes)"))
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != width:
            problems.append(
                GazetteerProblem(
                    line, None, None, f"{len(row)} fields where the header has {width}"
                )
            )
            continue
        cells = {c: (row[p].strip() or None) for c, p in positions.items()}
        problems.extend(
            GazetteerProblem(line, positions[name] + 1, name, reason)
            for name, reason in _cell_problems(cells, line, seen)
        )
        for name in GAZETTEER_COLUMNS:
            values[name].append(cells.get(name))
    return values, problems


def _cell_problems(
    cells: dict[str, str | None], line: int, seen: dict[str, int]
) -> list[tuple[str, str]]:
    """(column, reason) of each bad value of one line; ``seen`` collects the UPRNs so far."""
    problems: list[tuple[str, str]] = []
    uprn = cells["uprn"]
    if uprn is None or not _UPRN.match(uprn):
        problems.append(("uprn", "a UPRN is a number of 1 to 12 digits"))
    elif uprn.lstrip("0") in seen:
        problems.append(("uprn", f"this UPRN is also on line {seen[uprn.lstrip('0')]}"))
    else:
        seen[uprn.lstrip("0")] = line
    if cells["pao"] is None:
        problems.append(("pao", "give the house number or building name (PAO)"))
    if cells["street"] is None:
        problems.append(("street", "give the street"))
    postcode = standardise_postcode(cells["postcode"])
    if cells["postcode"] is not None and (postcode is None or not postcode.is_uk):
        problems.append(("postcode", "not a UK postcode (like XM1 1AB)"))
    return problems


def gazetteer_frame(raw: pd.DataFrame) -> pd.DataFrame:
    """Parse a gazetteer of ``uprn, sao, pao, street, town, postcode`` text columns (already
    valid) into the matcher's columns (each distinct value parsed once)."""
    empty = pd.Series([None] * len(raw), index=raw.index, dtype="object")
    pao_codes, pao_values = _factorize(raw["pao"])
    pao = [parse_pao(p) for p in pao_values]
    return pd.DataFrame(
        {
            "uprn": [str(u).lstrip("0") or "0" for u in raw["uprn"]],
            "postcode": _map_unique(raw["postcode"], _postcode_full),
            "sao": _map_unique(raw["sao"] if "sao" in raw.columns else empty, parse_sao),
            "number": _take(pao_codes, [p.number for p in pao], raw.index),
            "name": _take(pao_codes, [p.name for p in pao], raw.index),
            "street": _map_unique(raw["street"], standardise_address),
            "town": _map_unique(
                raw["town"] if "town" in raw.columns else empty, standardise_address
            ),
        },
        dtype="object",
    ).reset_index(drop=True)


def _postcode_full(value: object) -> str | None:
    postcode = standardise_postcode(value)
    return None if postcode is None else postcode.full


def _snake(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.strip().lower()).strip("_")
