"""The records the services hold about the generated people, written the many ways services
write them (typos, nicknames, swapped names, case and spacing, date formats, addresses written
several ways, missing values), each labelled with the truth; and the area's gazetteer."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Final

import pandas as pd

from changemaker.insight.engine.schema import PERIOD_FIELDS, PERSON_FIELDS
from changemaker.insight.engine.synthetic.people import Address, Person
from changemaker.insight.engine.synthetic.population import Population
from changemaker.insight.engine.synthetic.tables import (
    FLAT_FORMS,
    INWARD_LETTERS,
    PERIOD_PRESENCE,
    SERVICES,
    STREET_TYPES,
)

TRUE_PERSON: Final = "true_person_id"
TRUE_HOUSEHOLD: Final = "true_household_id"


class RecordWriter:
    """Writes a built :class:`Population`'s records, drawing from the population's own random
    streams (so that a seed gives the same records)."""

    def __init__(self, population: Population) -> None:
        self.config = population.config
        self.rng = population.rng
        self.address_rng = population.address_rng
        self.people = population.people
        self.gazetteer = population.gazetteer

    # ---------------------------------------------------------------- records
    def records(self) -> pd.DataFrame:
        cfg, rng = self.config, self.rng
        rows: list[dict[str, str | None]] = []
        counters = dict.fromkeys(SERVICES, 0)
        for person in self.people:
            eligible = [
                name for name, (low, high, _f, _p) in SERVICES.items() if low <= person.age <= high
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

    def _record(self, person: Person, service: str, number: int) -> dict[str, str | None]:
        cfg, rng = self.config, self.rng
        _low, _high, date_style, presence = SERVICES[service]
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
        if rng.random() >= PERIOD_PRESENCE[service]:
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
            postcode = postcode[:-1] + rng.choice(INWARD_LETTERS)
        return postcode

    def _address_text(self, address: Address) -> str:
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
            form = extra.choice(FLAT_FORMS[rng.randrange(len(FLAT_FORMS))])
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
