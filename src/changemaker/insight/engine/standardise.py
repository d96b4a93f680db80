"""Standardisation of person-schema values before linkage.

Each rule exists as a scalar function (easy to test and fuzz) and is applied to a whole frame by
:func:`standardise_frame`, which calls the scalar function once per *distinct* value, so a million
records with a few hundred thousand distinct values standardise in seconds and the frame version
can never disagree with the scalar one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

import numpy as np
import pandas as pd
import pyarrow as pa

from changemaker.insight.engine.schema import PERIOD_FIELDS

# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------

_TITLES: Final = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"})
_DROP_CHARS: Final = re.compile("['`.\u2018\u2019]")
_NON_LETTERS: Final = re.compile(r"[^a-z]+")

#: Groups of first-name forms that refer to the same name. The first entry is the canonical
#: form. A form may only appear in one group (checked at import time below).
NICKNAME_GROUPS: Final[tuple[tuple[str, ...], ...]] = (
    ("alexander", "alex", "alexandra", "alec", "sandy", "xander", "lexi"),
    ("andrew", "andy", "drew"),
    ("anthony", "tony", "antony"),
    ("benjamin", "ben", "benny", "benjy"),
    ("catherine", "cath", "cathy", "kate", "katie", "kathryn", "katherine", "kath", "kat"),
    ("charles", "charlie", "chas", "chuck"),
    ("christopher", "chris", "kit", "christine", "chrissie", "topher"),
    ("daniel", "dan", "danny"),
    ("david", "dave", "davey", "davy"),
    ("deborah", "debbie", "debra", "deb"),
    ("edward", "ed", "eddie", "ted", "teddy", "ned"),
    ("elizabeth", "liz", "lizzie", "beth", "betty", "libby", "eliza", "bess", "lisa"),
    ("frederick", "fred", "freddie", "freddy"),
    ("gregory", "greg"),
    ("harold", "harry", "hal"),
    ("henry", "hank"),
    ("jacob", "jake"),
    ("james", "jim", "jimmy", "jamie"),
    ("jennifer", "jen", "jenny", "jenni"),
    ("john", "jack", "johnny", "jon"),
    ("jonathan", "jonny", "jono"),
    ("joseph", "joe", "joey"),
    ("joshua", "josh"),
    ("margaret", "maggie", "meg", "peggy", "marge", "madge", "margie"),
    ("matthew", "matt", "matty"),
    ("michael", "mike", "mick", "micky", "mikey"),
    ("nicholas", "nick", "nicky", "nicola", "nicole", "nikki"),
    ("patricia", "pat", "patsy", "trish", "tricia"),
    ("patrick", "paddy"),
    ("peter", "pete"),
    ("rebecca", "becky", "becca", "bex"),
    ("richard", "rich", "richie", "rick", "ricky", "dick"),
    ("robert", "rob", "bob", "bobby", "robbie", "bert"),
    ("samuel", "sam", "sammy", "samantha"),
    ("sarah", "sara", "sally"),
    ("stephen", "steve", "steven", "stevie"),
    ("susan", "sue", "susie", "suzanne"),
    ("thomas", "tom", "tommy"),
    ("timothy", "tim", "timmy"),
    ("victoria", "vicky", "vikki", "tori"),
    ("william", "will", "bill", "billy", "willie", "liam"),
    ("zachary", "zach", "zak"),
    ("oliver", "ollie", "olly"),
    ("daniella", "dani"),
    ("jessica", "jess", "jessie"),
    ("abigail", "abbie", "abby"),
    ("eleanor", "ellie", "nell", "nellie"),
    ("amelia", "millie", "milly"),
    ("emily", "em", "emmy"),
    ("isabella", "izzy", "bella", "isabel", "isobel"),
    ("charlotte", "lottie", "charley"),
    ("gabriel", "gabe"),
    ("theodore", "theo"),
    ("nathan", "nate", "nathaniel"),
    ("kenneth", "ken", "kenny"),
    ("ronald", "ron", "ronnie"),
    ("donald", "don", "donnie"),
    ("raymond", "ray"),
    ("leonard", "len", "lenny", "leo"),
    ("terence", "terry"),
    ("philip", "phil", "phillip"),
    ("gerald", "gerry", "jerry"),
    ("lawrence", "larry", "laurence"),
    ("dorothy", "dot", "dolly", "dottie"),
    ("frances", "fran", "frankie", "francesca"),
    ("francis", "frank"),
    ("caroline", "carol", "carrie"),
    ("jacqueline", "jackie", "jacqui"),
    ("pamela", "pam"),
    ("gillian", "gill", "jill"),
    ("josephine", "jo", "josie"),
    ("louise", "lou", "louisa"),
    ("amanda", "mandy"),
    ("angela", "angie"),
)

NICKNAMES: Final[dict[str, str]] = {
    form: group[0] for group in NICKNAME_GROUPS for form in group[1:]
}
assert len(NICKNAMES) == sum(len(g) - 1 for g in NICKNAME_GROUPS), "a form is in two groups"


def standardise_name(value: object) -> str | None:
    """Lower-case, strip accents, titles and punctuation; hyphens become spaces.

    ``"  O'Brien-SMITH "`` -> ``"obrien smith"``; empty or letter-less values -> ``None``.
    """
    text = _text(value)
    if text is None:
        return None
    text = _fold(text)
    text = _DROP_CHARS.sub("", text)
    tokens = [t for t in _NON_LETTERS.split(text) if t]
    while len(tokens) > 1 and tokens[0] in _TITLES:
        tokens = tokens[1:]
    return " ".join(tokens) or None


def canonical_first_name(standardised: object) -> str | None:
    """The canonical form of a standardised first name (``"bill"`` -> ``"william"``).

    Only the first word is used, so ``"bill james"`` -> ``"william"``.
    """
    if not isinstance(standardised, str) or not standardised:
        return None
    first = standardised.split(" ", 1)[0]
    return NICKNAMES.get(first, first)


# --------------------------------------------------------------------------------------------
# Postcodes
# --------------------------------------------------------------------------------------------

_UK_POSTCODE: Final = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_WHITESPACE: Final = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Postcode:
    """A standardised postcode. ``outward``/``inward`` are ``None`` for non-UK values."""

    full: str
    outward: str | None
    inward: str | None

    @property
    def is_uk(self) -> bool:
        return self.outward is not None


def standardise_postcode(value: object) -> Postcode | None:
    """Format a UK postcode as ``"OUT IN"`` in upper case; keep non-UK values as they are.

    ``"sw1a1aa"`` -> ``Postcode("SW1A 1AA", "SW1A", "1AA")``; ``"75008"`` -> ``Postcode("75008",
    None, None)``; empty -> ``None``.
    """
    text = _text(value)
    if text is None:
        return None
    compact = _WHITESPACE.sub("", text).upper()
    match = _UK_POSTCODE.match(compact)
    if match is None:
        return Postcode(text, None, None)
    outward, inward = match.groups()
    return Postcode(f"{outward} {inward}", outward, inward)


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_ISO_DATE: Final = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_UK_DATE: Final = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_date(value: object) -> date | None:
    """Parse ``YYYY-MM-DD`` or ``DD/MM/YYYY``; empty -> ``None``; else ``ValueError``."""
    text = _text(value)
    if text is None:
        return None
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := _UK_DATE.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        raise ValueError("date is not YYYY-MM-DD or DD/MM/YYYY")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError("date does not exist") from None


def standardise_date(value: object) -> str | None:
    """``parse_date`` formatted as ISO ``YYYY-MM-DD`` (``ValueError`` if unparseable)."""
    parsed = parse_date(value)
    return None if parsed is None else parsed.isoformat()


# --------------------------------------------------------------------------------------------
# Identifiers and contact details
# --------------------------------------------------------------------------------------------

_NINO: Final = re.compile(r"^[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z][0-9]{6}[A-D]?$")
_NINO_BAD_PREFIXES: Final = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})
_EMAIL: Final = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def standardise_nino(value: object) -> str | None:
    """A National Insurance number in upper case without spaces or the suffix letter
    (services often leave the suffix off, and it does not identify the person).

    Invalid numbers (wrong shape, administrative prefixes) -> ``None``.
    """
    text = _text(value)
    if text is None:
        return None
    compact = _WHITESPACE.sub("", text).upper()
    if not _NINO.match(compact) or compact[:2] in _NINO_BAD_PREFIXES:
        return None
    return compact[:8]


def standardise_email(value: object) -> str | None:
    """Trimmed, lower-cased e-mail address; malformed -> ``None``."""
    text = _text(value)
    if text is None:
        return None
    text = text.strip().lower()
    return text if _EMAIL.match(text) else None


def standardise_phone(value: object) -> str | None:
    """UK phone number as national digits (``+44 7700 900123`` -> ``07700900123``)."""
    text = _text(value)
    if text is None:
        return None
    digits = "".join(ch for ch in text if "0" <= ch <= "9")
    if digits.startswith("0044"):
        digits = "0" + digits[4:]
    elif digits.startswith("44") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    if not digits.startswith("0"):
        digits = "0" + digits
    return digits if 10 <= len(digits) <= 11 else None


# --------------------------------------------------------------------------------------------
# Addresses
# --------------------------------------------------------------------------------------------

_STREET_WORDS: Final[dict[str, str]] = {
    "rd": "road",
    "st": "street",
    "str": "street",
    "ave": "avenue",
    "av": "avenue",
    "ln": "lane",
    "cl": "close",
    "cres": "crescent",
    "dr": "drive",
    "ct": "court",
    "pl": "place",
    "gdns": "gardens",
    "gdn": "garden",
    "sq": "square",
    "tce": "terrace",
    "ter": "terrace",
    "grv": "grove",
    "gr": "grove",
    "pk": "park",
    "wy": "way",
    "hse": "house",
    "apt": "flat",
    "apartment": "flat",
    "unit": "flat",
}
_ADDRESS_CHARS: Final = re.compile(r"[^a-z0-9]+")
_NUMBER_LETTER: Final = re.compile(r"^(\d+)([a-z])$")


def standardise_address(value: object) -> str | None:
    """Lower-case address words, abbreviations expanded (``"12 High St."`` -> ``"12 high street"``).

    ``"12a"`` and ``"12 a"`` both become ``"12a"``.
    """
    text = _text(value)
    if text is None:
        return None
    text = _fold(text)
    tokens = [t for t in _ADDRESS_CHARS.split(text.replace("'", "")) if t]
    out: list[str] = []
    for token in tokens:
        if out and len(token) == 1 and token.isalpha() and out[-1].isdigit():
            out[-1] += token
            continue
        out.append(_STREET_WORDS.get(token, token))
    return " ".join(out) or None


def dwelling(address: str | None) -> str | None:
    """The flat/house numbers and first street word of a standardised address line.

    ``"flat 2 12 high street exampleton"`` -> ``"2 12 high"``; a named house keeps its first
    two words (``"rose cottage mill lane"`` -> ``"rose cottage"``).
    """
    if not isinstance(address, str) or not address:
        return None
    numbers: list[str] = []
    words: list[str] = []
    for token in address.split(" "):
        if token[0].isdigit():
            numbers.append(token)
        elif token != "flat":  # noqa: S105 (not a password)
            words.append(token)
    if numbers and words:
        return f"{' '.join(numbers)} {words[0]}"
    if words:
        return " ".join(words[:2])
    return None


def address_key(postcode: Postcode | None, address: str | None) -> str | None:
    """A key identifying one dwelling: UK postcode + :func:`dwelling`.

    ``None`` when the dwelling cannot be identified (no UK postcode or no address line), so that
    records are never grouped into a household on a postcode alone.
    """
    if postcode is None or not postcode.is_uk:
        return None
    house = dwelling(address)
    return None if house is None else f"{postcode.full}|{house}"


# --------------------------------------------------------------------------------------------
# Whole frames
# --------------------------------------------------------------------------------------------

#: Columns added by :func:`standardise_frame` (besides the standardised person fields).
DERIVED_COLUMNS: Final[tuple[str, ...]] = (
    "first_name_canonical",
    "postcode_outward",
    "postcode_inward",
    "postcode_sector",
    "dwelling",
    "address_key",
)


def standardise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Standardise a person-schema frame (dates must already be valid: see the importers).

    Returns a new frame with the person fields standardised (empty -> ``None``) and the
    ``DERIVED_COLUMNS`` added. ``source_dataset`` and ``record_id`` are kept as strings.
    Optional period columns (``PERIOD_FIELDS``), when present, are standardised as dates.
    """
    out = pd.DataFrame(index=frame.index)
    out["source_dataset"] = frame["source_dataset"].astype("object").map(str)
    out["record_id"] = frame["record_id"].astype("object").map(str)
    out["first_name"] = _map_unique(frame["first_name"], standardise_name)
    out["surname"] = _map_unique(frame["surname"], standardise_name)
    out["date_of_birth"] = _map_unique(frame["date_of_birth"], standardise_date)
    codes, uniques = _factorize(frame["postcode"])
    postcodes = [standardise_postcode(value) for value in uniques]
    out["postcode"] = _take(codes, [None if p is None else p.full for p in postcodes], out.index)
    out["address_line"] = _map_unique(frame["address_line"], standardise_address)
    out["nino"] = _map_unique(frame["nino"], standardise_nino)
    out["email"] = _map_unique(frame["email"], standardise_email)
    out["phone"] = _map_unique(frame["phone"], standardise_phone)
    out["first_name_canonical"] = _map_unique(out["first_name"], canonical_first_name)
    out["postcode_outward"] = _take(
        codes, [None if p is None else p.outward for p in postcodes], out.index
    )
    out["postcode_inward"] = _take(
        codes, [None if p is None else p.inward for p in postcodes], out.index
    )
    out["postcode_sector"] = _take(
        codes,
        [
            None if p is None or p.inward is None else f"{p.outward} {p.inward[0]}"
            for p in postcodes
        ],
        out.index,
    )
    out["dwelling"] = _map_unique(out["address_line"], _dwelling_of)
    # address_key(postcode, address line), vectorised: UK postcode + "|" + dwelling
    uk_postcode = _take(
        codes, [None if p is None or not p.is_uk else p.full for p in postcodes], out.index
    )
    keys = uk_postcode.astype("string") + "|" + out["dwelling"].astype("string")
    out["address_key"] = keys.astype("object").where(keys.notna(), None)
    for name in PERIOD_FIELDS:
        if name in frame.columns:
            out[name] = _map_unique(frame[name], standardise_date)
    return out


def _factorize(series: pd.Series) -> tuple[np.ndarray[Any, np.dtype[np.intp]], list[object]]:
    """Codes (``-1`` for missing values) and the distinct present values."""
    try:  # strings (what the importers give): Arrow's dictionary encoding is much faster
        array = pa.array(series, type=pa.large_string(), from_pandas=True)
        if isinstance(array, pa.ChunkedArray):
            array = array.combine_chunks()
        encoded = array.dictionary_encode()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        pass
    else:
        codes = encoded.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return codes.astype(np.intp), encoded.dictionary.to_pylist()
    values = series.astype("object")
    codes, uniques = pd.factorize(values.where(values.notna(), None), use_na_sentinel=True)
    return np.asarray(codes), list(uniques)


def _take(
    codes: np.ndarray[Any, np.dtype[np.intp]], mapped: list[Any], index: pd.Index
) -> pd.Series:
    """``mapped[code]`` for each code, ``None`` where the code is ``-1`` (missing)."""
    lookup = np.empty(len(mapped) + 1, dtype=object)
    lookup[: len(mapped)] = mapped
    lookup[len(mapped)] = None
    return pd.Series(lookup[codes], index=index, dtype="object")


def _map_unique[T](series: pd.Series, function: Callable[[object], T]) -> pd.Series:
    """``function`` applied once per distinct present value; missing values -> ``None``."""
    codes, uniques = _factorize(series)
    return _take(codes, [function(value) for value in uniques], series.index)


def _dwelling_of(value: object) -> str | None:
    return dwelling(value if isinstance(value, str) else None)


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str | None:
    if isinstance(value, str):  # the common case, without pandas' missing-value checks
        return value.strip() or None
    if _is_missing(value):
        return None
    text = str(value).strip()
    return text or None


def _fold(text: str) -> str:
    """Case-folded, accents stripped (``"Zoë"`` -> ``"zoe"``)."""
    if text.isascii():  # nothing to strip: skip the per-character work
        return text.casefold()
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
