"""The generated area and its people: addresses (with UPRNs, some flats and named houses),
households (singles, couples, families, single parents, shared houses, twins), moves and
young adults who left home."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

from changemaker.insight.engine.synthetic.people import (
    REFERENCE_DATE,
    Address,
    Person,
    SyntheticConfig,
    name_variants,
    outward_code,
    same_name_group,
    zipf,
)
from changemaker.insight.engine.synthetic.tables import (
    EMAIL_DOMAINS,
    FEMALE,
    HOUSE_NAMES,
    INWARD_LETTERS,
    MALE,
    NINO_FIRST,
    NINO_SECOND,
    STREET_NAMES,
    STREET_TYPE_WORDS,
    SURNAMES,
    TOWNS,
)

UPRN_START: Final = 100_000_000_001


class Population:
    """The people of a generated area, in households (:meth:`build`), and every address of
    the area (``gazetteer``)."""

    def __init__(self, config: SyntheticConfig) -> None:
        self.config = config
        self.rng = random.Random(config.seed)
        # House names and the ways addresses are written draw from a stream of their own, so
        # that the people, households and every other field are what they were for a seed.
        self.address_rng = random.Random(f"{config.seed}-addresses")
        self.people: list[Person] = []
        self.households: list[list[Person]] = []
        self.addresses = self._address_pool(config.n_people)
        self.gazetteer = sorted(self.addresses, key=lambda a: a.uprn)
        self.ninos: set[str] = set()
        self.emails: set[str] = set()
        self.male_w = zipf(len(MALE))
        self.female_w = zipf(len(FEMALE))
        self.surname_w = zipf(len(SURNAMES))
        self.families: list[list[Person]] = []  # households of 3 or more, built so far
        self.vacated: list[tuple[Address, date]] = []  # homes left, and when

    # ---------------------------------------------------------------- addresses and people
    def _address_pool(self, n_people: int) -> list[Address]:
        rng = self.rng
        wanted = int(n_people * 1.2) + 50
        pool: list[Address] = []
        used_postcodes: set[str] = set()
        district = streets = 0
        while len(pool) < wanted:
            district += 1
            outward = outward_code(district)
            for _ in range(25):
                if self.config.outward_codes:  # the given districts, a street each in turn
                    outward = self.config.outward_codes[streets % len(self.config.outward_codes)]
                streets += 1
                street = f"{rng.choice(STREET_NAMES)} {rng.choice(STREET_TYPE_WORDS)}"
                town = TOWNS[district % len(TOWNS)]
                flats = rng.random() < 0.15
                houses = rng.randint(8, 60)
                postcode = ""
                for number in range(1, houses + 1):
                    if (number - 1) % 12 == 0:
                        postcode = self._new_postcode(outward, used_postcodes)
                    if flats and number % 5 == 0:
                        for flat in range(1, rng.randint(3, 8)):
                            pool.append(Address((str(flat), str(number), street, town), postcode))
                    elif self.address_rng.random() < self.config.house_name_rate:
                        name = self.address_rng.choice(HOUSE_NAMES)
                        numbered = str(number) if self.address_rng.random() < 2 / 3 else ""
                        pool.append(Address(("", numbered, street, town), postcode, name=name))
                    else:
                        pool.append(Address(("", str(number), street, town), postcode))
        for number, address in enumerate(pool):
            address.uprn = str(UPRN_START + number)
        rng.shuffle(pool)
        return pool

    def _new_postcode(self, outward: str, used: set[str]) -> str:
        while True:
            inward = (
                f"{self.rng.randint(1, 9)}"
                f"{self.rng.choice(INWARD_LETTERS)}{self.rng.choice(INWARD_LETTERS)}"
            )
            code = f"{outward} {inward}"
            if code not in used:
                used.add(code)
                return code

    def _first_name(self, sex: str) -> str:
        names, weights = (MALE, self.male_w) if sex == "m" else (FEMALE, self.female_w)
        return self.rng.choices(names, weights)[0]

    def _surname(self) -> str:
        return self.rng.choices(SURNAMES, self.surname_w)[0]

    def _dob(self, min_age: int, max_age: int) -> date:
        days = self.rng.randint(min_age * 365, max_age * 365 + 364)
        return REFERENCE_DATE - timedelta(days=days)

    def _nino(self) -> str:
        while True:
            nino = (
                self.rng.choice(NINO_FIRST)
                + self.rng.choice(NINO_SECOND)
                + f"{self.rng.randint(0, 999999):06d}"
                + self.rng.choice("ABCD")
            )
            if (
                nino[:2] not in {"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"}
                and nino not in self.ninos
            ):
                self.ninos.add(nino)
                return nino

    def _person(self, hh: str, address: Address, sex: str, surname: str, dob: date) -> Person:
        rng = self.rng
        person = Person(
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
                    f"@{rng.choice(EMAIL_DOMAINS)}"
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

    # ---------------------------------------------------------------- households
    def build(self) -> None:
        """Households, one at a time, until there are ``n_people`` people."""
        while len(self.people) < self.config.n_people:
            hh = f"H{len(self.households):07d}"
            address, moved_in = self._home()
            kind = self.rng.choices(
                ["single", "couple", "family", "single_parent", "shared"],
                [0.28, 0.24, 0.28, 0.10, 0.10],
            )[0]
            if kind in ("single", "shared"):
                members = self._unrelated_adults(kind, hh, address)
            else:
                members = self._family(kind, hh, address)
            moved_in = self._move_in(members, moved_in)
            self._maybe_moved_from_an_old_home(members, hh, moved_in)
            self.households.append(members)
            self._maybe_left_home(kind, members)
            if len(members) >= 3:
                self.families.append(members)

    def _home(self) -> tuple[Address, date | None]:
        """A home an earlier family left (half the time, when there is one), and when this
        household moved in; else a new home (moving-in day not known yet: ``None``)."""
        rng = self.rng
        if self.vacated and rng.random() < 0.5:
            address, left = self.vacated.pop(rng.randrange(len(self.vacated)))
            return address, min(REFERENCE_DATE, left + timedelta(days=rng.randint(1, 120)))
        return self.addresses.pop(), None

    def _unrelated_adults(self, kind: str, hh: str, address: Address) -> list[Person]:
        """One adult living alone, or a shared house of 2-4 young adults."""
        rng = self.rng
        members: list[Person] = []
        for _ in range(1 if kind == "single" else rng.randint(2, 4)):
            sex = rng.choice("mf")
            low, high = (18, 90) if kind == "single" else (18, 35)
            members.append(self._person(hh, address, sex, self._surname(), self._dob(low, high)))
        return members

    def _family(self, kind: str, hh: str, address: Address) -> list[Person]:
        """A couple, a family or a single parent: one family surname, children (and twins)
        with the first adult as their guardian."""
        rng = self.rng
        family_surname = self._surname()
        min_age = 22 if kind != "couple" else 18
        first = self._person(hh, address, rng.choice("mf"), family_surname, self._dob(min_age, 75))
        members = [first]
        if kind != "single_parent":
            members.append(self._partner(first, family_surname))
        if kind != "couple":
            members.extend(self._children(members, family_surname))
        return members

    def _partner(self, first: Person, family_surname: str) -> Person:
        """The second adult, of about the same age; may share the surname (and then may have
        a maiden name)."""
        rng = self.rng
        sex = "f" if first.sex == "m" else "m"
        if rng.random() < 0.1:
            sex = first.sex
        age = max(18, min(90, first.age + rng.randint(-6, 6)))
        shares = rng.random() < 0.6
        partner = self._person(
            first.household,
            first.address,
            sex,
            family_surname if shares else self._surname(),
            self._dob(age, age),
        )
        if shares and rng.random() < self.config.surname_change_rate:
            partner.maiden_name = self._surname()
        return partner

    def _children(self, parents: list[Person], family_surname: str) -> list[Person]:
        """1-4 children younger than the youngest parent by 18 years at least, some twins."""
        rng, first = self.rng, parents[0]
        youngest_parent = min(m.age for m in parents)
        max_child = max(0, min(17, youngest_parent - 18))
        n_children = rng.choices([1, 2, 3, 4], [0.4, 0.35, 0.18, 0.07])[0]
        children: list[Person] = []
        for _ in range(n_children):
            dob = self._dob(0, max_child)
            child = self._person(
                first.household, first.address, rng.choice("mf"), family_surname, dob
            )
            child.guardian = first
            children.append(child)
            if rng.random() < self.config.twin_rate:
                children.append(self._twin(child, first))
        return children

    def _twin(self, child: Person, guardian: Person) -> Person:
        """A twin of ``child``: same surname, date of birth and home, never the same name nor
        a form of it."""
        twin = self._person(
            child.household, child.address, self.rng.choice("mf"), child.surname, child.dob
        )
        while same_name_group(twin.first_name, child.first_name):
            twin.first_name = self._first_name(twin.sex)
        if twin.known_as and same_name_group(twin.known_as, child.first_name):
            twin.known_as = None
        twin.guardian = guardian
        return twin

    def _move_in(self, members: list[Person], moved_in: date | None) -> date:
        """When the household formed at this address (not before its youngest was born);
        each member's ``address_from``."""
        youngest = min(m.dob for m in members)
        if moved_in is None:  # when the household formed at this address
            moved_in = REFERENCE_DATE - timedelta(days=self.rng.randint(30, 25 * 365))
        moved_in = max(moved_in, youngest)
        for member in members:
            member.address_from = max(moved_in, member.dob)
        return moved_in

    def _maybe_moved_from_an_old_home(self, members: list[Person], hh: str, moved_in: date) -> None:
        """Some households moved here from an old home; half of the homes left are taken by
        a later household."""
        rng, cfg = self.rng, self.config
        if rng.random() < cfg.household_move_rate and self.addresses:
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

    def _maybe_left_home(self, kind: str, members: list[Person]) -> None:
        """Young adults who left home: their parents' address is their old address."""
        if (
            kind == "single"
            and members[0].age < 30
            and self.rng.random() < self.config.leaving_home_rate
            and self.families
        ):
            parents = self.rng.choice(self.families)
            young = members[0]
            young.surname = parents[0].surname
            young.old_address = parents[0].address
            young.old_household = parents[0].household
            young.old_from = young.dob
            young.moved = young.address_from
