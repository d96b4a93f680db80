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
* :func:`match_addresses` gives every record a *dwelling key* (:mod:`.matching`):

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

One module a concern: :mod:`.parsing` (address lines -> parts), :mod:`.gazetteer` (the file,
checked all or nothing), :mod:`.uprns` (UPRN matching), :mod:`.dwellings` (fuzzy dwellings),
:mod:`.sql` (what the two DuckDB matchers share) and :mod:`.matching` (records -> dwelling
keys). The names below are this package's public interface (callers import them from here).
"""

from changemaker.insight.engine.addresses.gazetteer import (
    GAZETTEER_COLUMNS,
    MAX_PROBLEMS_SHOWN,
    GazetteerFileError,
    GazetteerProblem,
    check_gazetteer,
    gazetteer_frame,
    parse_gazetteer,
    read_gazetteer,
)
from changemaker.insight.engine.addresses.matching import (
    MATCH_FUZZY,
    MATCH_NONE,
    MATCH_UPRN,
    AddressMatches,
    match_addresses,
    with_dwellings,
)
from changemaker.insight.engine.addresses.parsing import (
    STREET_TYPES,
    UNKNOWN_FLAT,
    ParsedAddress,
    parse_address,
    parse_pao,
    parse_sao,
)
from changemaker.insight.engine.addresses.sql import NAME_SIMILARITY, STREET_SIMILARITY

__all__ = [
    "GAZETTEER_COLUMNS",
    "MATCH_FUZZY",
    "MATCH_NONE",
    "MATCH_UPRN",
    "MAX_PROBLEMS_SHOWN",
    "NAME_SIMILARITY",
    "STREET_SIMILARITY",
    "STREET_TYPES",
    "UNKNOWN_FLAT",
    "AddressMatches",
    "GazetteerFileError",
    "GazetteerProblem",
    "ParsedAddress",
    "check_gazetteer",
    "gazetteer_frame",
    "match_addresses",
    "parse_address",
    "parse_gazetteer",
    "parse_pao",
    "parse_sao",
    "read_gazetteer",
    "with_dwellings",
]
