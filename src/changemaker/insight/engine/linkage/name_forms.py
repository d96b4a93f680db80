"""First-name forms learned from the records themselves (issue 15: nicknames the linker's
table does not know).

The linker's table (:data:`~changemaker.insight.engine.standardise.NICKNAME_GROUPS`) knows
the common forms; people are recorded under many more ("Ollie" for Olivia, "Harry" for
Henry). Rather than borrow a longer list, the linker learns the forms a council's own records
use: when records share a National Insurance number *and* a date of birth (one person, beyond
reasonable doubt) but give first names of different canonical forms, the two forms are one
name. A pair of forms is only learned when at least ``min_people`` different NINOs show it,
so that one keying error teaches nothing; twins are never taught (their NINOs differ).

Nicknames are not transitive ("Ella" is short for Isabella and for Eleanor, who are not one
name), so what is learned is pairs, never groups: each record's ``first_name_learned`` lists
the forms its first name was seen paired with (``|amelia|emily|``), and the model's level
"a form learned from the records" holds when the other record's first name is in that list.
The linker's own table is left as it is. Forms shorter than three letters, and a "first name"
equal to the record's surname (names swapped), teach nothing.

No labels and no outside table: only what the records say, as a data officer would see it.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

#: A pair of forms is learned from at least this many different people (NINOs)
MIN_PEOPLE: Final = 2
LEARNED: Final = "first_name_learned"


def _first_word(name: object) -> str | None:
    return name.split(" ", 1)[0] if isinstance(name, str) and name else None


def learned_pairs(records: pd.DataFrame, min_people: int = MIN_PEOPLE) -> set[tuple[str, str]]:
    """Pairs of first-name forms ``(a, b)``, ``a < b``, that at least ``min_people`` people
    (NINO and date of birth) were recorded under, the two of different canonical forms.

    ``records`` is a standardised frame (``nino``, ``date_of_birth``, ``first_name``,
    ``first_name_canonical``, ``surname``)."""
    form = records["first_name"].map(_first_word)
    known = pd.DataFrame(
        {
            "nino": records["nino"],
            "dob": records["date_of_birth"],
            "form": form.where(form.str.len() >= 3),
            "canonical": records["first_name_canonical"],
        }
    )
    known = known[form.to_numpy() != records["surname"].to_numpy()].dropna().drop_duplicates()
    # people (NINO + date of birth) recorded under more than one canonical form
    several = known[known.duplicated(["nino", "dob"], keep=False)]
    if several.empty:
        return set()
    pairs = several.merge(several, on=["nino", "dob"])
    pairs = pairs[
        (pairs["canonical_x"] != pairs["canonical_y"]) & (pairs["form_x"] < pairs["form_y"])
    ]
    people = pairs.groupby(["form_x", "form_y"])["nino"].nunique()
    return {(str(a), str(b)) for a, b in people[people >= min_people].index}


def learned_forms(records: pd.DataFrame, min_people: int = MIN_PEOPLE) -> dict[str, str]:
    """First-name form -> the forms it was learned paired with, as ``"|a|b|"`` (only forms
    in a learned pair)."""
    partners: dict[str, set[str]] = {}
    for a, b in learned_pairs(records, min_people):
        partners.setdefault(a, set()).add(b)
        partners.setdefault(b, set()).add(a)
    return {form: "|" + "|".join(sorted(others)) + "|" for form, others in partners.items()}


def with_learned_forms(
    records: pd.DataFrame, min_people: int = MIN_PEOPLE, *, learn: bool = True
) -> pd.DataFrame:
    """``records`` with ``first_name_learned``: the forms its first name was learned paired
    with (``"|a|b|"``), else missing (always missing when ``learn`` is off)."""
    needed = ("first_name", "first_name_canonical", "surname", "date_of_birth", "nino")
    if any(column not in records.columns for column in needed):
        return records  # not standardised: registering them says so
    forms = learned_forms(records, min_people) if learn else {}
    out = records.copy()
    if forms:
        out[LEARNED] = records["first_name"].map(_first_word).map(forms)
        out[LEARNED] = out[LEARNED].astype("object").where(out[LEARNED].notna(), None)
    else:
        out[LEARNED] = None
    return out
