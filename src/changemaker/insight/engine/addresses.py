"""Addresses -> dwellings: a UK address parser, the council's gazetteer, UPRN matching and a
fuzzy dwelling comparison for addresses no UPRN matches.

Households are people at one dwelling, so a household holds together only if every way a
service writes one address ("Flat 2, 10 High St" / "10 High Street Flat 2" / "2/10 High St",
"Rd" / "Road", no commas, a house name, postcode spacing and case, a typo) comes to the same
dwelling. UK councils do this by matching each address to its UPRN (Unique Property Reference
Number) in their gazetteer (the LLPG, or an AddressBase-style extract):

* :func:`parse_address` splits a standardised address line into the gazetteer's parts: the
  secondary addressable object (``sao``: the flat), the primary one (``number`` and/or house
  ``name``), the ``street`` and what follows (``locality``);
* :func:`read_gazetteer` reads a gazetteer CSV (``uprn, sao, pao, street, town, postcode``,
  with the usual LLPG/AddressBase column names accepted too); any bad line refuses the whole
  file with every problem's line, column and field (:class:`GazetteerFileError`);
* :func:`match_addresses` gives every record a *dwelling key*:

  1. ``U:<uprn>`` where its address matches one gazetteer entry: same postcode, flat and
     house (number, or a house name that is nearly the same), street nearly the same; or,
     when the postcode is mistyped, the same flat, house and street in the same postcode
     sector; or, when the postcode is missing, the only entry with that flat, house and
     street;
  2. otherwise ``D:<postcode>|<flat>|<house>`` from a *fuzzy dwelling comparison* of the
     records' own addresses: the same rules, with the records' distinct addresses in place of
     the gazetteer (a dwelling written with a mistyped postcode joins the one written with the
     right postcode, in the same sector, when its street is nearly the same); a fuzzy dwelling
     whose other records matched a UPRN takes that UPRN;
  3. otherwise none (no address, or an address that cannot say which dwelling: "10 High
     Street" where number 10 is a building of flats). Households then place the record at its
     person's usual dwelling.

Street and name similarity is DuckDB's Jaro-Winkler (already the linkage's engine). The rules
use no table of street or place names: only the abbreviations of
:mod:`~changemaker.insight.engine.standardise` and the few words that mark a flat or a street.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from changemaker.insight.engine.importers import _csv_rows
from changemaker.insight.engine.standardise import (
    _factorize,
    _map_unique,
    _take,
    standardise_address,
    standardise_postcode,
)

#: Words that end a street name (after abbreviations are expanded).
STREET_TYPES: Final = frozenset(
    {
        *("road", "street", "avenue", "lane", "close", "drive", "gardens", "garden", "way"),
        *("place", "court", "crescent", "grove", "terrace", "square", "park", "hill", "walk"),
        *("row", "rise", "mews", "parade", "view", "green", "vale", "wharf", "yard"),
        *("boulevard", "approach", "circus", "embankment", "gate", "wynd"),
    }
)
#: Words naming which floor a flat is on ("first floor flat").
_FLOOR_WORDS: Final = frozenset(
    {
        *("ground", "first", "second", "third", "fourth", "top", "basement", "lower", "upper"),
        *("1st", "2nd", "3rd", "4th"),
    }
)
_SAO_WORDS: Final = frozenset({"flat", "maisonette", "room", "suite"})
#: The ``sao`` of an address that names a flat without saying which ("Flat, Willow Mill"):
#: it matches no dwelling.
UNKNOWN_FLAT: Final = "?"
#: Similarity (Jaro-Winkler) at or above which two streets or house names are one.
STREET_SIMILARITY: Final = 0.88
NAME_SIMILARITY: Final = 0.9
_SIMILARITY: Final = {"street_similarity": STREET_SIMILARITY, "name_similarity": NAME_SIMILARITY}


@dataclass(frozen=True, slots=True)
class ParsedAddress:
    """An address line's parts, lower case, abbreviations expanded (``None`` when absent)."""

    sao: str | None = None
    number: str | None = None
    name: str | None = None
    street: str | None = None
    locality: str | None = None

    @property
    def house(self) -> str | None:
        """What identifies the building on its street: the number, else the house name."""
        return self.number or self.name


def parse_address(line: object) -> ParsedAddress:
    """Split an address line into flat, house number, house name, street and locality.

    ``"Flat 2, 10 High St"``, ``"10 High Street Flat 2"`` and ``"2/10 High St"`` all give
    ``ParsedAddress(sao="2", number="10", street="high street")``; ``"Rose Cottage, Mill Lane,
    Exampleton"`` gives ``name="rose cottage", street="mill lane", locality="exampleton"``. A
    flat whose number is not given has ``sao=UNKNOWN_FLAT``.
    """
    return _parse_standard(standardise_address(line))


def _parse_standard(text: str | None) -> ParsedAddress:
    """:func:`parse_address` of a line already standardised (``standardise_address``)."""
    if not text:
        return ParsedAddress()
    tokens = text.split(" ")
    sao: str | None = None
    # "flat 2" / "flat a" anywhere; "first floor flat" -> "first floor"
    for i, token in enumerate(tokens):
        if token not in _SAO_WORDS:
            continue
        floors: list[str] = []
        j = i - 1
        while j >= 0 and (tokens[j] in _FLOOR_WORDS or tokens[j] == "floor"):
            floors.insert(0, tokens[j])
            j -= 1
        if floors:
            sao = " ".join(w for w in floors if w != "floor")
            del tokens[j + 1 : i + 1]
            break
        if i + 1 < len(tokens) and _is_unit(tokens[i + 1]):
            sao = tokens[i + 1]
            del tokens[i : i + 2]
            break
        # "Flat, Willow Mill": a flat, but which one is not said
        sao = UNKNOWN_FLAT
        del tokens[i]
        break
    numbers = [i for i, t in enumerate(tokens) if t[0].isdigit()]
    number: str | None = None
    start = 0
    if numbers:
        first = numbers[0]
        if sao is None and len(numbers) >= 2 and numbers[1] == first + 1:
            sao, number, start = tokens[first], tokens[first + 1], first + 2  # "2 10 high st"
        else:
            number, start = tokens[first], first + 1
        name_tokens = tokens[:first]
        rest = tokens[start:]
    else:
        name_tokens, rest = [], tokens
    # the street: words up to the first street word after the number; with no number, one
    # word before the last street word ("holly farm park road": "park road")
    ends = [i for i, t in enumerate(rest) if t in STREET_TYPES and i > 0]
    street_end = (ends[0] if number is not None else ends[-1]) if ends else None
    if number is None:
        if street_end is not None:
            name_tokens, rest = rest[: street_end - 1], rest[street_end - 1 :]
            street_end = 1
        else:  # a house name alone ("The Old Rectory")
            name_tokens, rest = rest, []
    if street_end is None:
        street_end = min(len(rest), 2) - 1 if number is not None else len(rest) - 1
    street = " ".join(rest[: street_end + 1]) or None
    locality = " ".join(rest[street_end + 1 :]) or None
    name = " ".join(t for t in name_tokens if not t[0].isdigit()) or None
    return ParsedAddress(sao=sao, number=number, name=name, street=street, locality=locality)


def parse_pao(value: object) -> ParsedAddress:
    """A gazetteer PAO (``"10"``, ``"10A"``, ``"Rose Cottage"``, ``"Mill House 3"``): the
    number and the building name, as :func:`parse_address` gives them."""
    text = standardise_address(value)
    if text is None:
        return ParsedAddress()
    tokens = text.split(" ")
    numbers = [t for t in tokens if t[0].isdigit()]
    name = " ".join(t for t in tokens if not t[0].isdigit()) or None
    return ParsedAddress(number=numbers[0] if numbers else None, name=name)


def _is_unit(token: str) -> bool:
    return token[0].isdigit() or (len(token) == 1 and token.isalpha())


def parse_sao(value: object) -> str | None:
    """A gazetteer SAO (``"Flat 2"``, ``"2"``, ``"First Floor Flat"``) as :func:`parse_address`
    gives it."""
    text = standardise_address(value)
    if text is None:
        return None
    words = [w for w in text.split(" ") if w not in _SAO_WORDS and w != "floor"]
    return " ".join(words) or None


# --------------------------------------------------------------------------------------------
# The gazetteer
# --------------------------------------------------------------------------------------------

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
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise GazetteerFileError(
            source,
            [GazetteerProblem(line, None, None, "not UTF-8 text: save the file as 'CSV UTF-8'")],
        ) from None
    rows = ((line, row) for line, row, _error in _csv_rows(text))
    first = next(rows, None)
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
    header = [_COLUMN_ALIASES.get(h, h) for h in (_snake(h) for h in first[1])]
    positions: dict[str, int] = {}
    problems: list[GazetteerProblem] = []
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
    values: dict[str, list[str | None]] = {c: [] for c in GAZETTEER_COLUMNS}
    seen: dict[str, int] = {}
    width = len(header)
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

        def problem(name: str, reason: str) -> None:
            problems.append(GazetteerProblem(line, positions[name] + 1, name, reason))  # noqa: B023

        uprn = cells["uprn"]
        if uprn is None or not _UPRN.match(uprn):
            problem("uprn", "a UPRN is a number of 1 to 12 digits")
        elif uprn.lstrip("0") in seen:
            problem("uprn", f"this UPRN is also on line {seen[uprn.lstrip('0')]}")
        else:
            seen[uprn.lstrip("0")] = line
        if cells["pao"] is None:
            problem("pao", "give the house number or building name (PAO)")
        if cells["street"] is None:
            problem("street", "give the street")
        postcode = standardise_postcode(cells["postcode"])
        if cells["postcode"] is not None and (postcode is None or not postcode.is_uk):
            problem("postcode", "not a UK postcode (like XM1 1AB)")
        for name in GAZETTEER_COLUMNS:
            values[name].append(cells.get(name))
    if problems:
        raise GazetteerFileError(source, problems)
    if not values["uprn"]:
        raise GazetteerFileError(source, [GazetteerProblem(2, None, None, "no addresses")])
    return pd.DataFrame(values, dtype="object")


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


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------

MATCH_UPRN: Final = "uprn"
MATCH_FUZZY: Final = "fuzzy_dwelling"
MATCH_NONE: Final = "none"


@dataclass(frozen=True, slots=True)
class AddressMatches:
    """Per record: the dwelling key (``U:<uprn>``, ``D:...`` or ``None``), the UPRN and how it
    was found (``uprn``, ``fuzzy_dwelling``, ``none``); index-aligned with the records."""

    dwelling_key: pd.Series
    uprn: pd.Series
    kind: pd.Series
    house: pd.Series
    """The flat, house and first street word as parsed (``"2 12 high"`` for "Flat 2, 12 High
    St" however written): the linkage's "same house in the district"."""
    gazetteer_entries: int | None = None
    counts: dict[str, int] = field(default_factory=dict)

    def report(self) -> dict[str, Any]:
        """Counts and rates for a run report (no personal data)."""
        total = max(1, int(sum(self.counts.values())))
        return {
            "gazetteer_entries": self.gazetteer_entries,
            "records": {k: int(v) for k, v in self.counts.items()},
            "rates": {k: round(v / total, 4) for k, v in self.counts.items()},
        }


def match_addresses(
    records: pd.DataFrame,
    gazetteer: pd.DataFrame | None = None,
    *,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> AddressMatches:
    """Match standardised records (``postcode``, ``address_line`` as
    :func:`~changemaker.insight.engine.standardise.standardise_frame` gives them) to dwellings.

    Works on distinct (postcode, address line) pairs, so a million records take seconds.
    """
    con = connection or duckdb.connect(config={"preserve_insertion_order": False})
    pair = records["postcode"].astype("string").fillna("") + "\x1f"
    pair = pair + records["address_line"].astype("string").fillna("")
    codes, uniques = _factorize(pair)
    queries = _parse_queries(uniques)
    queries = _fuzzy_dwellings(con, queries)
    if gazetteer is not None and len(gazetteer):
        queries["uprn"] = _match_gazetteer(con, queries, gazetteer)
        # a fuzzy dwelling takes the UPRN its other addresses matched (the most common one)
        matched = queries.dropna(subset=["uprn", "dkey"])
        if len(matched):
            best = (
                matched.groupby(["dkey", "uprn"])
                .size()
                .reset_index(name="n")
                .sort_values(["n", "uprn"], ascending=[False, True])
                .drop_duplicates("dkey")
                .set_index("dkey")["uprn"]
            )
            fill = queries["dkey"].map(best)
            queries["uprn"] = queries["uprn"].where(queries["uprn"].notna(), fill)
    else:
        queries["uprn"] = None
    uprn = queries["uprn"].astype("object").where(queries["uprn"].notna(), None)
    key = np.where(
        uprn.notna(), "U:" + uprn.astype("string").fillna(""), "D:" + queries["dkey"].fillna("")
    )
    key = pd.Series(key, dtype="object").where(uprn.notna() | queries["dkey"].notna(), None)
    kind = np.where(
        uprn.notna(), MATCH_UPRN, np.where(queries["dkey"].notna(), MATCH_FUZZY, MATCH_NONE)
    )
    out_key = _take(codes, key.tolist(), records.index)
    out_uprn = _take(codes, uprn.tolist(), records.index)
    out_kind = _take(codes, list(kind), records.index).fillna(MATCH_NONE)
    out_house = _take(codes, queries["house_words"].tolist(), records.index)
    counts = out_kind.value_counts()
    return AddressMatches(
        out_key.rename("dwelling_key"),
        out_uprn.rename("uprn"),
        out_kind.rename("address_match"),
        out_house.rename("dwelling"),
        None if gazetteer is None else len(gazetteer),
        {k: int(counts.get(k, 0)) for k in (MATCH_UPRN, MATCH_FUZZY, MATCH_NONE)},
    )


def with_dwellings(
    records: pd.DataFrame, gazetteer: pd.DataFrame | None = None
) -> tuple[pd.DataFrame, AddressMatches]:
    """The standardised records with ``address_key`` set to each record's dwelling key (see
    :func:`match_addresses`), ``dwelling`` to the parsed flat, house and street word, and a
    ``uprn`` column; linkage and households then compare dwellings, not the address as
    written."""
    matches = match_addresses(records, gazetteer)
    out = records.copy()
    out["address_key"] = matches.dwelling_key
    out["dwelling"] = matches.house
    out["uprn"] = matches.uprn
    return out, matches


def _parse_queries(uniques: list[object]) -> pd.DataFrame:
    """One row per distinct (postcode, address line): the parsed parts."""
    postcodes: list[str | None] = []
    sectors: list[str | None] = []
    parts: list[ParsedAddress] = []
    parsed_lines: dict[str, ParsedAddress] = {}
    parsed_postcodes: dict[str, tuple[str | None, str | None]] = {}
    for value in uniques:
        postcode_text, line = str(value).split("\x1f", 1)
        known = parsed_postcodes.get(postcode_text)
        if known is None:
            postcode = standardise_postcode(postcode_text)
            if postcode is not None and postcode.is_uk:
                known = (postcode.full, f"{postcode.outward} {postcode.full[-3]}")
            else:
                known = (None, None)
            parsed_postcodes[postcode_text] = known
        postcodes.append(known[0])
        sectors.append(known[1])
        parsed = parsed_lines.get(line)
        if parsed is None:  # the records' lines are standardised already
            parsed = parsed_lines[line] = _parse_standard(line)
        parts.append(parsed)
    return pd.DataFrame(
        {
            "q": np.arange(len(uniques), dtype=np.int64),
            "postcode": postcodes,
            "sector": sectors,
            "sao": [p.sao or "" for p in parts],
            "number": [p.number for p in parts],
            "name": [p.name for p in parts],
            "house": [p.house for p in parts],
            "street": [p.street for p in parts],
            # a street with no street word may be the locality or town: not a street to check
            "house_words": [_house_words(p) for p in parts],
            "typed": [
                p.street is not None and p.street.split(" ")[-1] in STREET_TYPES for p in parts
            ],
        },
        dtype="object",
    ).astype({"q": np.int64, "typed": bool})


def _house_words(parsed: ParsedAddress) -> str | None:
    if parsed.house is None:
        return None
    words = [parsed.sao or "", parsed.house, (parsed.street or "").split(" ")[0]]
    return " ".join(w for w in words if w and w != UNKNOWN_FLAT)


def _fuzzy_dwellings(con: duckdb.DuckDBPyConnection, queries: pd.DataFrame) -> pd.DataFrame:
    """``dkey`` per query: its dwelling among the records' own addresses (see the module)."""
    q = queries
    _table(con, "q", q)
    # a dwelling as written: postcode + flat + house (a house name compared loosely below)
    con.execute(
        """
        create or replace temp table dw as
        select postcode, sector, sao, house, any_value(street) as street,
               count(*) as support, bool_or(number is null) as named
        from q where postcode is not null and house is not null and sao <> '?'
        group by postcode, sector, sao, house
        """
    )
    # 1. a named house written a little differently in one postcode: the commoner spelling
    # 2. a mistyped postcode: the same flat, house and street in the sector, commoner postcode
    con.execute(
        """
        create or replace temp table mv as
        with candidates as (
          select a.postcode, a.sao, a.house, b.postcode as to_postcode, b.house as to_house,
                 b.support as to_support
          from dw a join dw b
            on a.postcode = b.postcode and a.sao = b.sao and a.named and b.named
           and a.house <> b.house
           and jaro_winkler_similarity(a.house, b.house) >= $name_similarity
           and (b.support > a.support or (b.support = a.support and b.house < a.house))
          union all
          select a.postcode, a.sao, a.house, b.postcode, b.house, b.support
          from dw a join dw b
            on a.sector = b.sector and a.sao = b.sao and a.house = b.house
           and a.postcode <> b.postcode
           and levenshtein(a.postcode, b.postcode) <= 1
           and (b.support > a.support or (b.support = a.support and b.postcode < a.postcode))
           and (a.street is null or b.street is null
                or jaro_winkler_similarity(a.street, b.street) >= $street_similarity)
        )
        select postcode, sao, house,
               arg_max(to_postcode, to_support) as to_postcode,
               arg_max(to_house, to_support) as to_house
        from candidates group by postcode, sao, house
        """,
        _SIMILARITY,
    )
    # a house written without its flat where the house is a building of flats says no dwelling
    con.execute(
        """
        create or replace temp table keys as
        with placed as (
          select q.q, q.postcode, q.sao, q.house, q.street,
                 coalesce(mv.to_postcode, q.postcode) as p2,
                 coalesce(mv.to_house, q.house) as h2
          from q left join mv
            on q.postcode = mv.postcode and q.sao = mv.sao and q.house = mv.house
          where q.postcode is not null and q.house is not null and q.sao <> '?'
        ), flats as (
          select distinct p2, h2 from placed where sao <> ''
        )
        select placed.q, placed.sao, placed.house, placed.street,
               case when placed.sao = '' and flats.p2 is not null
                    then null
                    else placed.p2 || '|' || placed.sao || '|' || placed.h2 end as dkey
        from placed left join flats on placed.sao = '' and placed.p2 = flats.p2
             and placed.h2 = flats.h2
        """
    )
    # an address without a postcode: the only dwelling with that flat, house and street
    orphans = con.execute(
        """
        with known as (  -- one row per flat, house and street, with how many dwellings
          select sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail,
                 count(distinct dkey) as n, min(dkey) as dkey
          from keys where dkey is not null and street is not null group by sao, house, street
        ), orphans as (
          select q, sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail
          from q where postcode is null and house is not null and street is not null
        ), pairs as (  -- the street name's start or end written the same, then compared
          select o.q, o.street, k.street as known_street, k.dkey, k.n from orphans o
          join known k on o.sao = k.sao and o.house = k.house and o.head = k.head
          union
          select o.q, o.street, k.street, k.dkey, k.n from orphans o
          join known k on o.sao = k.sao and o.house = k.house and o.tail = k.tail
        )
        select q, min(dkey) as dkey from pairs
        where jaro_winkler_similarity(street, known_street) >= $street_similarity
        group by q having max(n) = 1 and count(distinct dkey) = 1
        union all
        select q, dkey from keys where dkey is not null
        """,
        {"street_similarity": STREET_SIMILARITY},
    ).df()
    for name in ("q", "dw", "mv", "keys"):
        con.execute(f"drop table if exists {name}")
    found = orphans
    dkey = pd.Series(found["dkey"].to_numpy(), index=found["q"].to_numpy(dtype=np.int64))
    dkey = dkey[~dkey.index.duplicated()]
    out = q.copy()
    out["dkey"] = out["q"].map(dkey).astype("object")
    out["dkey"] = out["dkey"].where(out["dkey"].notna(), None)
    return out


def _table(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    """``frame`` as a DuckDB temporary table (through Arrow: read once, not per query)."""
    arrow = pa.Table.from_pandas(frame, preserve_index=False)
    con.register("_incoming", arrow)
    con.execute(f"create or replace temp table {name} as select * from _incoming")  # noqa: S608
    con.unregister("_incoming")


def _match_gazetteer(
    con: duckdb.DuckDBPyConnection, queries: pd.DataFrame, gazetteer: pd.DataFrame
) -> pd.Series:
    """The UPRN of each query (``None`` where no single entry matches)."""
    g = gazetteer.assign(
        sao=gazetteer["sao"].fillna(""),
        house=gazetteer["number"].where(gazetteer["number"].notna(), gazetteer["name"]),
    )
    _table(con, "g", g)
    _table(con, "qq", queries)
    # The sector of a postcode "XM1 1AB" is "XM1 1": both sides use it the same way.
    found = con.execute(
        """
        with g2 as (select *, substr(postcode, 1, length(postcode) - 2) as sec from g),
        exact as (  -- same postcode, flat and house; street (if both given) nearly the same
          select qq.q, g2.uprn, 3 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = g2.sao and qq.house = g2.house
          where not qq.typed or g2.street is null
             or jaro_winkler_similarity(qq.street, g2.street) >= $street_similarity
        ), named as (  -- a house name written a little differently, same postcode
          select qq.q, g2.uprn, 2 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = g2.sao
           and qq.number is null and g2.number is null and qq.house <> g2.house
           and (jaro_winkler_similarity(qq.house, g2.house) >= $name_similarity
                or starts_with(qq.house, g2.house || ' '))
        ), block as (  -- "1 Maple Court": flat 1 of the building named Maple Court
          select qq.q, g2.uprn, 2 as rank from qq join g2
            on qq.postcode = g2.postcode and qq.sao = '' and g2.sao = qq.number
           and g2.name is not null and qq.street is not null
           and jaro_winkler_similarity(qq.street, g2.name) >= $name_similarity
        ), sector as (  -- a mistyped postcode: same sector, flat, house and street
          select qq.q, g2.uprn, 1 as rank from qq join g2
            on qq.sector = g2.sec and qq.postcode <> g2.postcode
           and qq.sao = g2.sao and qq.house = g2.house
          where qq.street is not null and g2.street is not null
            and jaro_winkler_similarity(qq.street, g2.street) >= $street_similarity
        ), orphans as (
          select q, sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail
          from qq where postcode is null and house is not null and street is not null
        ), g3 as (  -- one row per flat, house and street, with how many addresses have them
          select sao, house, street, left(street, 2) as head,
                 right(split_part(street, ' ', 1), 3) as tail, count(*) as n, min(uprn) as uprn
          from g where street is not null group by sao, house, street
        ), nopostcode as (  -- no postcode: the one address with that flat, house and street
          select q, min(uprn) as uprn, 0 as rank from (
            select o.q, g3.uprn, g3.n, o.street, g3.street as g_street from orphans o join g3
              on o.sao = g3.sao and o.house = g3.house and o.head = g3.head
            union
            select o.q, g3.uprn, g3.n, o.street, g3.street from orphans o join g3
              on o.sao = g3.sao and o.house = g3.house and o.tail = g3.tail
          ) where jaro_winkler_similarity(street, g_street) >= $street_similarity
          group by q having max(n) = 1 and count(distinct uprn) = 1
        ), every as (
          select * from exact union all select * from named union all select * from block
          union all select * from sector union all select * from nopostcode
        ), best as (
          select q, max(rank) as rank from every group by q
        )
        select every.q, min(every.uprn) as uprn from every join best using (q, rank)
        group by every.q having count(distinct every.uprn) = 1
        """,
        _SIMILARITY,
    ).df()
    con.execute("drop table if exists g")
    con.execute("drop table if exists qq")
    uprn = pd.Series(found["uprn"].to_numpy(), index=found["q"].to_numpy(dtype=np.int64))
    mapped = queries["q"].map(uprn)
    return mapped.astype("object").where(mapped.notna(), None)


__all__ = [
    "GAZETTEER_COLUMNS",
    "AddressMatches",
    "GazetteerFileError",
    "GazetteerProblem",
    "ParsedAddress",
    "check_gazetteer",
    "gazetteer_frame",
    "match_addresses",
    "parse_address",
    "parse_gazetteer",
    "read_gazetteer",
    "with_dwellings",
]
