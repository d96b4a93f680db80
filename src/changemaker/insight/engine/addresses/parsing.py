"""Address lines -> their parts: the flat (``sao``), the house number and/or name, the street
and what follows, as the gazetteer holds them. No table of street or place names: only the
abbreviations of :mod:`~changemaker.insight.engine.standardise` and the few words that mark a
flat or a street."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from changemaker.insight.engine.standardise import standardise_address

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
    return parse_standardised(standardise_address(line))


def parse_standardised(text: str | None) -> ParsedAddress:
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
