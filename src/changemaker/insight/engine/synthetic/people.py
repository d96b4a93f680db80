"""The generated population's types: the generator's knobs (``SyntheticConfig``), an address
and a person, and the names and postcodes they are given (first-name forms from the
``nicknames`` package, fictional outward codes)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from nicknames import NickNamer

REFERENCE_DATE: Final = date(2026, 1, 1)


@dataclass(frozen=True, slots=True)
class SyntheticConfig:
    """Knobs of the generator; the defaults give data about as messy as real council data."""

    n_people: int = 2000
    seed: int = 0
    typo_rate: float = 0.04
    nickname_rate: float = 0.25
    swap_rate: float = 0.01
    missing_rate: float = 0.06
    dob_error_rate: float = 0.03
    household_move_rate: float = 0.10
    leaving_home_rate: float = 0.35
    old_address_record_rate: float = 0.4
    surname_change_rate: float = 0.5
    maiden_name_record_rate: float = 0.35
    twin_rate: float = 0.04
    vacated_home_reuse_rate: float = 0.5
    """Share of the homes families move out of that another (later-built) family moves into."""
    service_weights: tuple[float, ...] = (0.25, 0.25, 0.2, 0.14, 0.1, 0.06)
    house_name_rate: float = 0.08
    """Share of houses with a name (a third of them with no number)."""
    street_typo_rate: float = 0.03
    flat_dropped_rate: float = 0.02
    """Share of a flat's records that leave the flat number off (the dwelling is unknown)."""
    outward_codes: tuple[str, ...] = ()
    """Postal districts to put the streets in, in turn (a demo council's wards' districts);
    empty: the fictional ``X`` districts of :func:`outward_code`, 25 streets each."""


@dataclass(slots=True)
class Address:
    line: tuple[str, ...]  # (flat, number, street, town) parts; flat and number may be ""
    postcode: str
    uprn: str = ""
    name: str = ""  # a house name, "" for none


@dataclass(slots=True)
class Person:
    pid: str
    first_name: str
    surname: str
    dob: date
    sex: str
    household: str
    address: Address
    nino: str | None = None
    email: str | None = None
    phone: str | None = None
    known_as: str | None = None
    maiden_name: str | None = None
    old_household: str | None = None
    old_address: Address | None = None
    guardian: Person | None = None
    extra: dict[str, str] = field(default_factory=dict)
    address_from: date | None = None  # moved in to ``address``
    old_from: date | None = None  # moved in to ``old_address``
    moved: date | None = None  # moved out of ``old_address`` (into ``address``)

    @property
    def age(self) -> int:
        return (REFERENCE_DATE - self.dob).days // 365


def outward_code(district: int) -> str:
    """A valid, fictional outward code for district number 1, 2, ...: ``XM1``..``XM99``, then
    ``XN1``..``XN99`` and so on (a UK district number has at most two digits)."""
    area, number = divmod(district - 1, 99)
    letters = "MNPQRSTUWY"
    if area >= len(letters):
        raise ValueError("too many districts for the fictional X areas")
    return f"X{letters[area]}{number + 1}"


@functools.cache
def _nicknamer() -> NickNamer:
    return NickNamer()


@functools.cache
def name_variants(name: str) -> tuple[str, ...]:
    """Other forms of a first name someone may be recorded under: its nicknames and the names
    it is a nickname of, from the ``nicknames`` package (``"william"`` -> ``("bill", ...)``).
    Forms of two letters or fewer are left out."""
    namer = _nicknamer()
    forms = (namer.nicknames_of(name) | namer.canonicals_of(name)) - {name}
    return tuple(sorted(f for f in forms if len(f) > 2 and f.isalpha()))


def same_name_group(a: str, b: str) -> bool:
    return a == b or b in name_variants(a) or a in name_variants(b)


def zipf(n: int, exponent: float = 0.9) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]
