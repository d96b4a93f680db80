"""A seeded, labelled generator of UK-like service records for measuring linkage accuracy.

Every generated record carries the truth: ``true_person_id`` and ``true_household_id`` (the
household the person lived in when the service recorded them). The generator reproduces what
makes linking council data hard:

* households: couples, families, single parents, shared houses, flats in one building;
* twins (same surname, date of birth and address, different first names);
* nicknames used by some services (Bill / William), typos, first name and surname swapped;
* moves: some records carry an earlier address (a family's old home, or a young adult's
  parents' home, where their household was their parents'); half of the homes a family
  leaves are taken by another family, who moved in after them;
* periods: some services record when the person lived at the address (``address_from``,
  ``address_to``: the moving-in and moving-out days; empty when not recorded);
* surname changes: records from before a marriage carry the maiden name;
* missing values, parents' phone numbers and e-mails on children's records;
* each person in 1-6 services, several date formats, case, spacing and abbreviations;
* addresses written the many ways services write them: "Flat 2, 10 High St", "10 High Street
  Flat 2", "2/10 High St", "Rd" or "Road", with or without commas and the town, house names
  written or left out, a typo in the street, the flat number left off, postcode spacing and case.
  These variants come from this module's own tables, never from the matcher's
  (:mod:`~changemaker.insight.engine.addresses`), so that measuring one with the other is fair.

:func:`generate_with_gazetteer` also returns the council's gazetteer of every address (used or
not), with UPRNs, as a data officer would import it.

Nothing here is real: names are common UK names and postcodes use fictional ``X`` areas.

The generator is test data for the linker, so it shares no lookup table with it (an
architecture test checks its imports): the other forms of a first name come from the
``nicknames`` package (a hand-curated list of English names and nicknames, Apache-2.0), and the
ways a street type is abbreviated from :data:`STREET_TYPES`, written here from everyday British
usage (Royal Mail's addressing guidance and what service systems hold), not from the linker's
list. Some variants are therefore ones the linker does not know: the accuracy tests measure
that honestly. Both tables are data: add a street type or an abbreviation there.
"""

from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Final

import pandas as pd
from nicknames import NickNamer

from changemaker.insight.engine.schema import PERIOD_FIELDS, PERSON_FIELDS


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


TRUE_PERSON: Final = "true_person_id"
TRUE_HOUSEHOLD: Final = "true_household_id"
REFERENCE_DATE: Final = date(2026, 1, 1)

_MALE: Final = _words(
    "oliver george harry jack jacob noah charlie muhammad thomas oscar william james leo alfie "
    "henry joshua freddie archie ethan isaac alexander joseph edward samuel max daniel arthur "
    "lucas mohammed logan theo harrison benjamin mason sebastian finley adam dylan zachary riley "
    "teddy theodore david elijah jake toby louie reuben arlo hugo luca jaxon matthew harvey "
    "reggie michael tommy jenson frankie ronnie peter john robert richard paul mark stephen "
    "andrew christopher anthony kevin gary ian simon martin neil jason darren lee craig philip "
    "kenneth ronald raymond terence gerald frederick patrick nicholas timothy gregory jonathan "
    "nathan liam ryan connor kieran callum lewis aaron jamie"
)
_FEMALE: Final = _words(
    "olivia amelia isla ava mia ivy lily isabella rosie sophia grace willow freya florence emily "
    "ella poppy evie elsie charlotte evelyn sienna sofia daisy phoebe sophie alice harper "
    "matilda ruby emilia maya millie isabelle eva luna jessica elizabeth chloe layla esme "
    "harriet lucy sarah emma hannah rebecca laura amy rachel katie jennifer nicola claire kelly "
    "lisa michelle joanne helen karen susan julie tracey deborah amanda angela caroline "
    "catherine margaret patricia dorothy jean mary barbara josephine victoria samantha abigail "
    "eleanor gillian jacqueline pamela louise frances alexandra nicole jade holly georgia megan "
    "bethany leah zara aisha fatima amira"
)
_SURNAMES: Final = _words(
    "smith jones williams taylor brown davies evans wilson thomas johnson roberts robinson "
    "thompson wright walker white edwards hughes green hall lewis harris clarke patel jackson "
    "wood turner martin cooper hill ward morris moore clark lee king baker harrison morgan allen "
    "james scott phillips watson davis parker price bennett young griffiths mitchell kelly cook "
    "carter richardson bailey collins bell shaw murphy miller cox richards khan marshall "
    "anderson simpson ellis adams singh begum wilkinson foster chapman powell webb rogers gray "
    "mason ali hunt hussain campbell matthews owen palmer holmes mills barnes knight lloyd "
    "butler russell barker fisher stevens jenkins murray dixon harvey graham pearson ahmed "
    "fletcher walsh kaur gibson howard andrews stewart elliott reynolds saunders payne fox ford "
    "pearce day brooks west lawrence cole atkinson bradley spencer gill dawson ball burton "
    "o'brien watts rose booth perry ryan grant wells armstrong francis rees hayes hart hudson "
    "newman barrett webster hunter gregory carr lowe page marsh riley dunn woods parsons berry "
    "stone reid holland hawkins harding porter robertson newton oliver reed kennedy williamson "
    "bird gardner shah dean lane cooke bates henderson parry burgess bishop walton burns "
    "nicholson shepherd ross cross long freeman warren nicholls hamilton byrne sutton mcdonald "
    "yates hodgson robson curtis hopkins o'connor harper coleman watkins moss mccarthy chambers "
    "o'neill griffin sharp hardy wheeler potter osborne johnston gordon doyle wallace george "
    "jordan hutchinson rowe burke may pritchard gilbert willis higgins read miles stevenson "
    "stephenson hammond arnold buckley walters hewitt barber nelson slater austin sullivan "
    "whitehead mann frost lambert stephens blake akhtar lynch goodwin barton woodward thomson "
    "cunningham quinn barnett baxter bibi clayton nash greenwood jennings holt kemp poole "
    "gallagher bond stokes tucker davidson fowler heath norman middleton lawson banks french "
    "stanley jarvis gibbs ferguson hayward carroll douglas dickinson todd barlow peters lucas "
    "knowles hartley miah simmons morton alexander field morrison norris townsend preston "
    "hancock thornton baldwin burrows briggs storey pugh nowak kowalski popescu silva santos "
    "okafor adeyemi mensah nguyen chen wang kaya yilmaz smith-jones ward-davies"
)
_STREET_NAMES: Final = _words(
    "high church station victoria mill park queens kings manor school green new north south "
    "west east london chapel albert springfield grange windsor york orchard meadow elm oak "
    "ash beech cedar willow hawthorn rowan birch maple lime chestnut poplar holly ivy laurel "
    "bridge castle abbey priory market water well hill valley brook river forest field"
)
#: Street types and the abbreviations service systems write for them (an empty tuple: never
#: abbreviated). Independent of the linker's list, on purpose.
STREET_TYPES: Final[dict[str, tuple[str, ...]]] = {
    "road": ("rd",),
    "street": ("st", "str"),
    "avenue": ("ave", "av"),
    "lane": ("ln", "la"),
    "close": ("cl", "cls"),
    "drive": ("dr", "drv"),
    "gardens": ("gdns", "gds"),
    "way": (),
    "crescent": ("cres", "cresc"),
    "grove": ("gro", "gr"),
    "terrace": ("terr", "tce"),
    "court": ("ct", "crt"),
}
_STREET_TYPES: Final = tuple(STREET_TYPES)
_HOUSE_NAMES: Final = tuple(
    f"{a} {b}"
    for a in ("rose", "ivy", "mill", "orchard", "old", "holly", "meadow", "brook", "stone")
    for b in ("cottage", "house", "lodge", "barn", "villa", "view", "farm")
)
#: How services write a flat in a building ({flat}, {number} and {street} are filled in), in
#: four families: one is drawn from the main random stream, the form within it from the
#: addresses' own stream.
_FLAT_FORMS: Final = (
    (
        "Flat {flat}, {number} {street}",
        "{number} {street} Flat {flat}",
        "{number} {street}, flat {flat}",
    ),
    ("flat {flat} {number} {street}", "Apartment {flat}, {number} {street}"),
    ("{flat}/ {number} {street}", "{flat}/{number} {street}", "{flat}, {number} {street}"),
    ("Apt {flat} {number} {street}",),
)
UPRN_START: Final = 100_000_000_001
_TOWNS: Final = ("exampleton", "little exampleton", "market exampleton", "exampleton on sea")
_INWARD_LETTERS: Final = "ABDEFGHJLNPQRSTUWXYZ"
_NINO_FIRST: Final = "ABCEGHJKLMNOPRSTWXYZ"
_NINO_SECOND: Final = "ABCEGHJKLMNPRSTWXYZ"
_EMAIL_DOMAINS: Final = ("example.com", "example.org", "example.net", "mail.example.co.uk")

#: How often each service records when the person lived at the address.
_PERIOD_PRESENCE: Final[dict[str, float]] = {
    "council_tax": 0.95,
    "housing": 0.95,
    "benefits": 0.8,
    "adult_social_care": 0.5,
    "childrens_services": 0.5,
    "schools": 0.6,
    "libraries": 0.2,
    "leisure": 0.2,
}

#: Services: name -> (minimum age, maximum age, date format, field presence probabilities).
_SERVICES: Final[dict[str, tuple[int, int, str, dict[str, float]]]] = {
    "council_tax": (18, 120, "iso", {"nino": 0.3, "email": 0.6, "phone": 0.6, "dob": 0.85}),
    "housing": (16, 120, "uk", {"nino": 0.6, "email": 0.3, "phone": 0.8, "dob": 0.95}),
    "benefits": (16, 120, "iso", {"nino": 0.97, "email": 0.2, "phone": 0.7, "dob": 0.99}),
    "adult_social_care": (18, 120, "uk", {"nino": 0.5, "email": 0.1, "phone": 0.7, "dob": 0.99}),
    "childrens_services": (0, 17, "uk", {"nino": 0.05, "email": 0.3, "phone": 0.6, "dob": 0.99}),
    "schools": (4, 17, "iso", {"nino": 0.0, "email": 0.5, "phone": 0.8, "dob": 1.0}),
    "libraries": (0, 120, "mixed", {"nino": 0.0, "email": 0.7, "phone": 0.3, "dob": 0.6}),
    "leisure": (0, 120, "uk", {"nino": 0.0, "email": 0.8, "phone": 0.5, "dob": 0.7}),
}


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


@dataclass(slots=True)
class _Address:
    line: tuple[str, ...]  # (flat, number, street, town) parts; flat and number may be ""
    postcode: str
    uprn: str = ""
    name: str = ""  # a house name, "" for none


@dataclass(slots=True)
class _Person:
    pid: str
    first_name: str
    surname: str
    dob: date
    sex: str
    household: str
    address: _Address
    nino: str | None = None
    email: str | None = None
    phone: str | None = None
    known_as: str | None = None
    maiden_name: str | None = None
    old_household: str | None = None
    old_address: _Address | None = None
    guardian: _Person | None = None
    extra: dict[str, str] = field(default_factory=dict)
    address_from: date | None = None  # moved in to ``address``
    old_from: date | None = None  # moved in to ``old_address``
    moved: date | None = None  # moved out of ``old_address`` (into ``address``)

    @property
    def age(self) -> int:
        return (REFERENCE_DATE - self.dob).days // 365


class _Generator:
    def __init__(self, config: SyntheticConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        # House names and the ways addresses are written draw from a stream of their own, so
        # that the people, households and every other field are what they were for a seed.
        self.address_rng = random.Random(f"{config.seed}-addresses")
        self.people: list[_Person] = []
        self.households: list[list[_Person]] = []
        self.addresses = self._address_pool(config.n_people)
        self.gazetteer = sorted(self.addresses, key=lambda a: a.uprn)
        self.ninos: set[str] = set()
        self.emails: set[str] = set()
        self.male_w = _zipf(len(_MALE))
        self.female_w = _zipf(len(_FEMALE))
        self.surname_w = _zipf(len(_SURNAMES))
        self.families: list[list[_Person]] = []  # households of 3 or more, built so far
        self.vacated: list[tuple[_Address, date]] = []  # homes left, and when

    # ---------------------------------------------------------------- addresses and people
    def _address_pool(self, n_people: int) -> list[_Address]:
        rng = self.rng
        wanted = int(n_people * 1.2) + 50
        pool: list[_Address] = []
        used_postcodes: set[str] = set()
        district = 0
        while len(pool) < wanted:
            district += 1
            outward = outward_code(district)
            for _ in range(25):
                street = f"{rng.choice(_STREET_NAMES)} {rng.choice(_STREET_TYPES)}"
                town = _TOWNS[district % len(_TOWNS)]
                flats = rng.random() < 0.15
                houses = rng.randint(8, 60)
                postcode = ""
                for number in range(1, houses + 1):
                    if (number - 1) % 12 == 0:
                        postcode = self._new_postcode(outward, used_postcodes)
                    if flats and number % 5 == 0:
                        for flat in range(1, rng.randint(3, 8)):
                            pool.append(_Address((str(flat), str(number), street, town), postcode))
                    elif self.address_rng.random() < self.config.house_name_rate:
                        name = self.address_rng.choice(_HOUSE_NAMES)
                        numbered = str(number) if self.address_rng.random() < 2 / 3 else ""
                        pool.append(_Address(("", numbered, street, town), postcode, name=name))
                    else:
                        pool.append(_Address(("", str(number), street, town), postcode))
        for number, address in enumerate(pool):
            address.uprn = str(UPRN_START + number)
        rng.shuffle(pool)
        return pool

    def _new_postcode(self, outward: str, used: set[str]) -> str:
        while True:
            inward = (
                f"{self.rng.randint(1, 9)}"
                f"{self.rng.choice(_INWARD_LETTERS)}{self.rng.choice(_INWARD_LETTERS)}"
            )
            code = f"{outward} {inward}"
            if code not in used:
                used.add(code)
                return code

    def _first_name(self, sex: str) -> str:
        names, weights = (_MALE, self.male_w) if sex == "m" else (_FEMALE, self.female_w)
        return self.rng.choices(names, weights)[0]

    def _surname(self) -> str:
        return self.rng.choices(_SURNAMES, self.surname_w)[0]

    def _dob(self, min_age: int, max_age: int) -> date:
        days = self.rng.randint(min_age * 365, max_age * 365 + 364)
        return REFERENCE_DATE - timedelta(days=days)

    def _nino(self) -> str:
        while True:
            nino = (
                self.rng.choice(_NINO_FIRST)
                + self.rng.choice(_NINO_SECOND)
                + f"{self.rng.randint(0, 999999):06d}"
                + self.rng.choice("ABCD")
            )
            if (
                nino[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
                and nino not in self.ninos
            ):
                self.ninos.add(nino)
                return nino

    def _person(self, hh: str, address: _Address, sex: str, surname: str, dob: date) -> _Person:
        rng = self.rng
        person = _Person(
            pid=f"P{len(self.people):07d}",
            first_name=self._first_name(sex),
            surname=surname,
            dob=dob,
            sex=sex,
            household=hh,
            address=address,
        )
        if person.age >= 16:
            person.nino = self._nino()
            if rng.random() < 0.75:
                person.phone = "07" + "".join(str(rng.randint(0, 9)) for _ in range(9))
            if rng.random() < 0.7:
                sep = rng.choice([".", "_", ""])
                tail = str(rng.randint(1, 99)) if rng.random() < 0.5 else ""
                email = (
                    f"{person.first_name}{sep}{surname.replace(' ', '')}{tail}"
                    f"@{rng.choice(_EMAIL_DOMAINS)}"
                ).replace("'", "")
                while email in self.emails:  # an address belongs to one person
                    email = f"{rng.randint(0, 9)}{email}"
                self.emails.add(email)
                person.email = email
        forms = name_variants(person.first_name)
        if forms and rng.random() < self.config.nickname_rate * 2:
            person.known_as = rng.choice(forms)
        self.people.append(person)
        return person

    def build(self) -> None:
        cfg, rng = self.config, self.rng
        while len(self.people) < cfg.n_people:
            hh = f"H{len(self.households):07d}"
            moved_in: date | None = None
            if self.vacated and rng.random() < 0.5:
                address, left = self.vacated.pop(rng.randrange(len(self.vacated)))
                moved_in = min(REFERENCE_DATE, left + timedelta(days=rng.randint(1, 120)))
            else:
                address = self.addresses.pop()
            kind = rng.choices(
                ["single", "couple", "family", "single_parent", "shared"],
                [0.28, 0.24, 0.28, 0.10, 0.10],
            )[0]
            members: list[_Person] = []
            if kind in ("single", "shared"):
                for _ in range(1 if kind == "single" else rng.randint(2, 4)):
                    sex = rng.choice("mf")
                    low, high = (18, 90) if kind == "single" else (18, 35)
                    members.append(
                        self._person(hh, address, sex, self._surname(), self._dob(low, high))
                    )
            else:
                adults = 1 if kind == "single_parent" else 2
                family_surname = self._surname()
                min_age = 22 if kind != "couple" else 18
                first = self._person(
                    hh, address, rng.choice("mf"), family_surname, self._dob(min_age, 75)
                )
                members.append(first)
                if adults == 2:
                    sex = "f" if first.sex == "m" else "m"
                    if rng.random() < 0.1:
                        sex = first.sex
                    age = max(18, min(90, first.age + rng.randint(-6, 6)))
                    shares = rng.random() < 0.6
                    partner = self._person(
                        hh,
                        address,
                        sex,
                        family_surname if shares else self._surname(),
                        self._dob(age, age),
                    )
                    if shares and rng.random() < cfg.surname_change_rate:
                        partner.maiden_name = self._surname()
                    members.append(partner)
                if kind != "couple":
                    youngest_parent = min(m.age for m in members)
                    max_child = max(0, min(17, youngest_parent - 18))
                    n_children = rng.choices([1, 2, 3, 4], [0.4, 0.35, 0.18, 0.07])[0]
                    for _ in range(n_children):
                        dob = self._dob(0, max_child)
                        child = self._person(hh, address, rng.choice("mf"), family_surname, dob)
                        child.guardian = first
                        members.append(child)
                        if rng.random() < cfg.twin_rate:
                            twin = self._person(hh, address, rng.choice("mf"), family_surname, dob)
                            # twins never share a name, nor forms of one name
                            while _same_name_group(twin.first_name, child.first_name):
                                twin.first_name = self._first_name(twin.sex)
                            if twin.known_as and _same_name_group(twin.known_as, child.first_name):
                                twin.known_as = None
                            twin.guardian = first
                            members.append(twin)
            youngest = min(m.dob for m in members)
            if moved_in is None:  # when the household formed at this address
                moved_in = REFERENCE_DATE - timedelta(days=rng.randint(30, 25 * 365))
            moved_in = max(moved_in, youngest)
            for member in members:
                member.address_from = max(moved_in, member.dob)
            if rng.random() < cfg.household_move_rate and self.addresses and moved_in is not None:
                old = self.addresses.pop()
                old_from = moved_in - timedelta(days=rng.randint(365, 15 * 365))
                for member in members:
                    if member.dob >= moved_in:
                        continue  # born after the move: never lived at the old home
                    member.old_address = old
                    member.old_household = "O" + hh[1:]
                    member.moved = member.address_from
                    member.old_from = max(old_from, member.dob)
                if rng.random() < cfg.vacated_home_reuse_rate:
                    self.vacated.append((old, moved_in))
            self.households.append(members)
            # young adults who left home: their parents' address is their old address.
            if (
                kind == "single"
                and members[0].age < 30
                and rng.random() < cfg.leaving_home_rate
                and self.families
            ):
                parents = rng.choice(self.families)
                young = members[0]
                young.surname = parents[0].surname
                young.old_address = parents[0].address
                young.old_household = parents[0].household
                young.old_from = young.dob
                young.moved = young.address_from
            if len(members) >= 3:
                self.families.append(members)

    # ---------------------------------------------------------------- records
    def records(self) -> pd.DataFrame:
        cfg, rng = self.config, self.rng
        rows: list[dict[str, str | None]] = []
        counters = dict.fromkeys(_SERVICES, 0)
        for person in self.people:
            eligible = [
                name for name, (low, high, _f, _p) in _SERVICES.items() if low <= person.age <= high
            ]
            k = rng.choices(range(1, len(cfg.service_weights) + 1), cfg.service_weights)[0]
            services = rng.sample(eligible, min(k, len(eligible)))
            for service in services:
                copies = 2 if rng.random() < 0.03 else 1
                for _ in range(copies):
                    counters[service] += 1
                    rows.append(self._record(person, service, counters[service]))
        columns = [*PERSON_FIELDS, *PERIOD_FIELDS, TRUE_PERSON, TRUE_HOUSEHOLD]
        frame = pd.DataFrame(rows, columns=columns)
        order = list(range(len(frame)))
        rng.shuffle(order)
        return frame.iloc[order].reset_index(drop=True).astype("object")

    def _record(self, person: _Person, service: str, number: int) -> dict[str, str | None]:
        cfg, rng = self.config, self.rng
        _low, _high, date_style, presence = _SERVICES[service]
        first = person.first_name
        if person.known_as and rng.random() < 0.5:
            first = person.known_as
        surname = person.surname
        if person.maiden_name and rng.random() < cfg.maiden_name_record_rate:
            surname = person.maiden_name
        address, household = person.address, person.household
        start, end = person.address_from, None
        if person.old_address is not None and rng.random() < cfg.old_address_record_rate:
            address, household = person.old_address, person.old_household or household
            start, end = person.old_from, person.moved
        if rng.random() >= _PERIOD_PRESENCE[service]:
            start = end = None
        first = self._typo(first) if rng.random() < cfg.typo_rate else first
        surname = self._typo(surname) if rng.random() < cfg.typo_rate else surname
        if rng.random() < cfg.swap_rate:
            first, surname = surname, first
        dob = self._dob_text(person.dob, date_style)
        contact = person.guardian if person.age < 16 and person.guardian else person
        row: dict[str, str | None] = {
            "source_dataset": service,
            "record_id": f"{service[:3].upper()}{number:07d}",
            "first_name": self._case(first),
            "surname": self._case(surname),
            "date_of_birth": dob if rng.random() < presence["dob"] else None,
            "postcode": self._postcode_text(address.postcode),
            "address_line": self._address_text(address),
            "nino": self._nino_text(person.nino) if rng.random() < presence["nino"] else None,
            "email": self._email_text(contact.email) if rng.random() < presence["email"] else None,
            "phone": self._phone_text(contact.phone) if rng.random() < presence["phone"] else None,
            PERIOD_FIELDS[0]: None if start is None else self._date_text(start, date_style),
            PERIOD_FIELDS[1]: None if end is None else self._date_text(end, date_style),
            TRUE_PERSON: person.pid,
            TRUE_HOUSEHOLD: household,
        }
        for name in ("first_name", "surname", "postcode", "address_line"):
            if rng.random() < cfg.missing_rate / 2:
                row[name] = None
        return row

    # ---------------------------------------------------------------- messiness
    def _typo(self, text: str, rng: random.Random | None = None) -> str:
        rng = rng or self.rng
        if len(text) < 3:
            return text
        i = rng.randint(1, len(text) - 1)
        kind = rng.randint(0, 3)
        if kind == 0:  # deletion
            return text[:i] + text[i + 1 :]
        if kind == 1:  # substitution
            return text[:i] + rng.choice("abcdefghijklmnopqrstuvwxyz") + text[i + 1 :]
        if kind == 2 and i < len(text) - 1:  # transposition
            return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
        return text[:i] + text[i - 1] + text[i:]  # doubled letter

    def _case(self, text: str) -> str:
        roll = self.rng.random()
        if roll < 0.5:
            text = text.title()
        elif roll < 0.75:
            text = text.upper()
        if self.rng.random() < 0.05:
            text = f" {text}  "
        return text

    def _dob_text(self, dob: date, style: str) -> str:
        rng = self.rng
        if rng.random() < self.config.dob_error_rate:
            roll = rng.random()
            if roll < 0.4 and dob.day <= 12 and dob.day != dob.month:
                dob = date(dob.year, dob.day, dob.month)  # day and month swapped
            elif roll < 0.7:
                dob = dob + timedelta(days=rng.choice([-1, 1]))
            else:
                year = dob.year + rng.choice([-10, -1, 1, 10])
                dob = date(year, dob.month, min(dob.day, 28))
        if style == "mixed":
            style = rng.choice(["iso", "uk"])
        if style == "iso":
            return dob.isoformat()
        if rng.random() < 0.3:
            return f"{dob.day}/{dob.month}/{dob.year}"
        return dob.strftime("%d/%m/%Y")

    def _date_text(self, day: date, style: str) -> str:
        if style == "mixed":
            style = self.rng.choice(["iso", "uk"])
        return day.isoformat() if style == "iso" else day.strftime("%d/%m/%Y")

    def _postcode_text(self, postcode: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.2:
            postcode = postcode.replace(" ", "")
        elif roll < 0.3:
            postcode = postcode.lower()
        elif roll < 0.33:
            postcode = postcode.replace(" ", "  ")
        if rng.random() < 0.01:  # keying error in the inward letters
            postcode = postcode[:-1] + rng.choice(_INWARD_LETTERS)
        return postcode

    def _address_text(self, address: _Address) -> str:
        rng, extra, cfg = self.rng, self.address_rng, self.config
        flat, number, street, town = address.line
        words = street.split(" ")
        abbreviations = STREET_TYPES.get(words[-1], ())
        if abbreviations and rng.random() < 0.3:
            words[-1] = rng.choice(abbreviations) + rng.choice(["", "."])
        if extra.random() < cfg.street_typo_rate:
            words[0] = self._typo(words[0], extra)
        street_text = " ".join(words)
        if flat:
            form = extra.choice(_FLAT_FORMS[rng.randrange(len(_FLAT_FORMS))])
            if extra.random() < cfg.flat_dropped_rate:
                form = "{number} {street}"  # the flat left off: which one is not known
            text = form.format(flat=flat, number=number, street=street_text)
        elif address.name and (not number or extra.random() < 0.6):
            text = (
                f"{address.name}, {number} {street_text}"
                if number
                else (f"{address.name}, {street_text}")
            )
        else:
            text = f"{number} {street_text}"
        if rng.random() < 0.5:
            text += f", {town}"
        if extra.random() < 0.3:  # no commas at all
            text = text.replace(",", "")
        return self._case(text).replace("'", "")

    def gazetteer_frame(self) -> pd.DataFrame:
        """Every address with its UPRN, as an LLPG extract writes it (upper case)."""
        return pd.DataFrame(
            {
                "uprn": [a.uprn for a in self.gazetteer],
                "sao": [f"FLAT {a.line[0]}" if a.line[0] else "" for a in self.gazetteer],
                "pao": [
                    (a.line[1] or a.name).upper()
                    if not (a.line[1] and a.name)
                    else f"{a.name} {a.line[1]}".upper()
                    for a in self.gazetteer
                ],
                "street": [a.line[2].upper() for a in self.gazetteer],
                "town": [a.line[3].upper() for a in self.gazetteer],
                "postcode": [a.postcode for a in self.gazetteer],
            },
            dtype="object",
        )

    def _nino_text(self, nino: str | None) -> str | None:
        if nino is None:
            return None
        rng = self.rng
        if rng.random() < 0.01:
            i = rng.randint(2, 7)
            nino = nino[:i] + str(rng.randint(0, 9)) + nino[i + 1 :]
        if rng.random() < 0.2:
            nino = nino[:8]  # suffix left off
        if rng.random() < 0.3:
            nino = f"{nino[:2]} {nino[2:4]} {nino[4:6]} {nino[6:8]} {nino[8:]}".strip()
        return nino.lower() if rng.random() < 0.2 else nino

    def _email_text(self, email: str | None) -> str | None:
        if email is None:
            return None
        return email.upper() if self.rng.random() < 0.1 else email

    def _phone_text(self, phone: str | None) -> str | None:
        if phone is None:
            return None
        roll = self.rng.random()
        if roll < 0.2:
            return "+44 " + phone[1:5] + " " + phone[5:]
        if roll < 0.5:
            return phone[:5] + " " + phone[5:]
        return phone


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


def _same_name_group(a: str, b: str) -> bool:
    return a == b or b in name_variants(a) or a in name_variants(b)


def _zipf(n: int, exponent: float = 0.9) -> list[float]:
    return [1.0 / (rank**exponent) for rank in range(1, n + 1)]


def generate(config: SyntheticConfig | None = None) -> pd.DataFrame:
    """Generate labelled records: the person schema plus ``true_person_id``/``true_household_id``.

    The same config (seed included) always gives the same frame.
    """
    generator = _Generator(config or SyntheticConfig())
    generator.build()
    return generator.records()


def generate_with_gazetteer(
    config: SyntheticConfig | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``generate(config)`` and the council's gazetteer (``uprn, sao, pao, street, town,
    postcode``: every address of the generated area, lived in or not)."""
    generator = _Generator(config or SyntheticConfig())
    generator.build()
    return generator.records(), generator.gazetteer_frame()


def write_service_csvs(frame: pd.DataFrame, directory: Path) -> list[Path]:
    """Write one CSV per ``source_dataset`` in the person schema (labels left out)."""
    directory.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for service, part in frame.groupby("source_dataset", sort=True):
        path = directory / f"{service}.csv"
        columns = [c for c in (*PERSON_FIELDS, *PERIOD_FIELDS) if c in part.columns]
        part[columns].to_csv(path, index=False)
        paths.append(path)
    return paths
