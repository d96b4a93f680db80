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

Most services record no NINO, so a second source teaches too, by association: records that
share a date of birth *and* a surname are a "group" (mostly one person; sometimes twins, or two
people born the same day). Two forms are learned when they appear together in at least
``min_groups`` groups and in a share of the rarer form's groups well above chance (the
share's lower 95% confidence bound at least ``min_share``): a nickname turns up beside its
full name in a tenth or more of the groups where it turns up at all, whereas twins' names
(Oliver and Harry) meet in well under a hundredth of either name's groups. A group whose two
forms carry different NINOs is two people: a pair of forms seen so in more than
``MAX_TWO_PEOPLE`` of its groups is not learned this way.

No labels and no outside table: only what the records say, as a data officer would see it.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd

#: A pair of forms is learned from at least this many different people (NINOs)
MIN_PEOPLE: Final = 2
#: ...or from at least this many groups (date of birth and surname) where both forms appear,
MIN_GROUPS: Final = 2
#: ...that are this share of the rarer form's groups at least (lower 95% confidence bound)
MIN_SHARE: Final = 0.02
#: ...and in no more than this share of those groups do the two forms carry two NINOs
MAX_TWO_PEOPLE: Final = 0.05
LEARNED: Final = "first_name_learned"


def _first_word(name: object) -> str | None:
    return name.split(" ", 1)[0] if isinstance(name, str) and name else None


def learned_pairs(records: pd.DataFrame, min_people: int = MIN_PEOPLE) -> set[tuple[str, str]]:
    """Pairs of first-name forms ``(a, b)``, ``a < b``, of different canonical forms, that at
    least ``min_people`` people (NINO and date of birth) were recorded under, or that are
    strongly associated within groups of one date of birth and surname
    (:func:`associated_pairs`).

    ``records`` is a standardised frame (``nino``, ``date_of_birth``, ``first_name``,
    ``first_name_canonical``, ``surname``)."""
    return _nino_pairs(records, min_people) | associated_pairs(records)


def _forms(records: pd.DataFrame) -> pd.DataFrame:
    """Each record's first-name form (three letters or more, not its surname), canonical
    form, NINO, date of birth and surname."""
    form = records["first_name"].map(_first_word)
    frame = pd.DataFrame(
        {
            "nino": records["nino"],
            "dob": records["date_of_birth"],
            "surname": records["surname"],
            "form": form.where(form.str.len() >= 3),
            "canonical": records["first_name_canonical"],
        }
    )
    return frame[form.to_numpy() != records["surname"].to_numpy()]


def _pairs_of_forms(forms: pd.DataFrame, on: list[str]) -> pd.DataFrame:
    """Rows of ``forms`` that share ``on``, paired (``_x``, ``_y``): two forms ``x < y`` of
    different canonical forms."""
    several = forms[forms.duplicated(on, keep=False)]
    pairs = several.merge(several, on=on)
    return pairs[
        (pairs["canonical_x"] != pairs["canonical_y"]) & (pairs["form_x"] < pairs["form_y"])
    ]


def _nino_pairs(records: pd.DataFrame, min_people: int) -> set[tuple[str, str]]:
    known = _forms(records).drop(columns="surname").dropna().drop_duplicates()
    # people (NINO + date of birth) recorded under more than one canonical form
    pairs = _pairs_of_forms(known, ["nino", "dob"])
    if pairs.empty:
        return set()
    people = pairs.groupby(["form_x", "form_y"])["nino"].nunique()
    return {(str(a), str(b)) for a, b in people[people >= min_people].index}


def associated_pairs(
    records: pd.DataFrame, min_groups: int = MIN_GROUPS, min_share: float = MIN_SHARE
) -> set[tuple[str, str]]:
    """Pairs of forms ``(a, b)``, ``a < b``, of different canonical forms, that appear together
    in at least ``min_groups`` groups (records of one date of birth and surname) and in a
    share of the rarer form's groups whose lower 95% confidence bound (Wilson) is at least
    ``min_share``; not a pair whose two forms carry different NINOs (two people) in more
    than ``MAX_TWO_PEOPLE`` of those groups."""
    forms = _forms(records).dropna(subset=["form", "dob", "surname"])
    # the NINOs each form carries in a group ("" for none), for the two-people check
    forms = forms.assign(nino=forms["nino"].fillna(""))
    ninos = forms.groupby(["dob", "surname", "form", "canonical"], sort=False)["nino"].agg(
        lambda values: "|".join(sorted(set(values) - {""}))
    )
    groups = ninos.reset_index()
    pairs = _pairs_of_forms(groups, ["dob", "surname"])
    if pairs.empty:
        return set()
    two_people = (
        (pairs["nino_x"] != "") & (pairs["nino_y"] != "") & (pairs["nino_x"] != pairs["nino_y"])
    )
    counted = pairs.assign(two_people=two_people).groupby(["form_x", "form_y"])
    together = counted.agg(groups=("dob", "size"), two_people=("two_people", "sum"))
    per_form = groups.groupby("form").size()
    rarer = np.minimum(
        per_form.reindex(together.index.get_level_values(0)).to_numpy(),
        per_form.reindex(together.index.get_level_values(1)).to_numpy(),
    )
    share = _wilson_lower(together["groups"].to_numpy(), rarer)
    keep = (
        (together["groups"] >= min_groups)
        & (share >= min_share)
        & (together["two_people"] <= MAX_TWO_PEOPLE * together["groups"])
    )
    return {(str(a), str(b)) for a, b in together.index[keep.to_numpy()]}


def _wilson_lower(
    successes: np.ndarray[Any, np.dtype[Any]], trials: np.ndarray[Any, np.dtype[Any]]
) -> np.ndarray[Any, np.dtype[np.float64]]:
    """The lower bound of the Wilson score interval (95%) of ``successes / trials``."""
    z2 = 1.959964**2
    n = trials.astype(np.float64)
    p = successes / n
    centre = p + z2 / (2 * n)
    spread = np.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) * np.sqrt(z2)
    return np.asarray((centre - spread) / (1 + z2 / n), dtype=np.float64)


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
