"""The model's comparisons, and the two rules applied on top of its scores.

The model (Fellegi-Sunter, as Splink builds it) compares first name (exact with term-frequency
adjustment, swapped with surname, nickname form, a form learned from the records
(:mod:`.name_forms`): these two also adjusted for how common the name is, or "Olivia"/"Ollie"
would weigh as much as "Olivia"/"Olivia" and a mother Olivia be taken for her son Ollie;
Jaro-Winkler, one edit, nickname form with one edit, one name in the
other field), surname (exact with term-frequency adjustment,
Jaro-Winkler), date of birth (exact, day and month transposed, one or two characters, a day
apart, the same day and month with the year one or ten out: keying errors), NINO
(exact, one edit) and *one* comparison for
where a person lives and how to reach them (same dwelling with a shared phone or e-mail, same
dwelling, shared phone or e-mail, same house in the district, same postcode, sector, district):
postcode, address line, phone and e-mail are all shared by a household, so scoring them
separately would count one household several times and merge its members.

Two rules are applied on top of the scores, because Fellegi-Sunter's independence assumption
fails for members of one household, who share surname, address, phone and often an e-mail:

* *personal evidence rule*: two records are only linked if something personal agrees: the
  first names (at any level but "different"), or, when a first name is missing, the dates of
  birth, or the NINO. Twins (same date of birth, different first names) and a parent and
  child sharing a phone and e-mail are therefore never merged; neither are two records whose
  dates of birth differ beyond a typo (unless their NINOs agree);
  Such a veto for a *disagreement* (first names or dates of birth differ) also keeps the
  two records' clusters apart (a cannot-link), except where the differing first names
  include a rare one (fewer than ``LinkageParameters.rare_first_name`` records carry it: a
  typo on a nickname, a form no table holds): the pair is still not linked, but the two
  records may meet through others;
* *NINO rule* (optional, off by default): two records whose NINOs are both present and differ
  by more than one character (a transposition counts as one) are never linked.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
import pandas as pd
import splink.comparison_level_library as cll
import splink.comparison_library as cl

from changemaker.insight.engine.linkage.parameters import UNIQUE_ID, LinkageParameters

_SWAPPED: Final = "first_name_l = surname_r and surname_l = first_name_r"


def comparisons(dialect: str = "duckdb") -> list[cl.CustomComparison]:
    """The comparisons of the model (see the module docstring), in ``dialect``'s SQL."""
    jaro_winkler = "jaro_winkler" if dialect == "spark" else "jaro_winkler_similarity"
    return [
        _first_name(jaro_winkler),
        _surname(),
        _date_of_birth(),
        # One comparison for where someone lives and how to reach them: household members
        # share all of these, so they are evidence of one household, counted once.
        _address(),
        _nino(),
    ]


def _first_name(jaro_winkler: str) -> cl.CustomComparison:
    fuzzy_swapped = (
        f"{jaro_winkler}(first_name_l, surname_r) >= 0.88 "
        f"and {jaro_winkler}(surname_l, first_name_r) >= 0.88"
    )
    # a nickname or a full name with a typo ("olly"/"olvier", "hrold"/"harry")
    nickname_typo = "damerau_levenshtein(first_name_canonical_l, first_name_canonical_r) <= 1"
    half_swapped = "(first_name_l = surname_r or surname_l = first_name_r)"
    return cl.CustomComparison(
        [
            cll.NullLevel("first_name"),
            cll.ExactMatchLevel("first_name").configure(tf_adjustment_column="first_name"),
            cll.CustomLevel(_SWAPPED, label_for_charts="Swapped with surname"),
            cll.CustomLevel(fuzzy_swapped, label_for_charts="Swapped, with a typo"),
            cll.ExactMatchLevel("first_name_canonical").configure(
                label_for_charts="Same name (nickname form)",
                tf_adjustment_column="first_name",
            ),
            cll.CustomLevel(
                "instr(first_name_learned_l, concat('|', first_name_r, '|')) > 0",
                label_for_charts="A form of the name learned from the records",
            ).configure(tf_adjustment_column="first_name"),
            cll.JaroWinklerLevel("first_name", 0.92),
            cll.DamerauLevenshteinLevel("first_name", 1),
            cll.CustomLevel(nickname_typo, label_for_charts="Nickname form, with a typo"),
            cll.JaroWinklerLevel("first_name", 0.8),
            cll.CustomLevel(half_swapped, label_for_charts="One name in the other field"),
            cll.ElseLevel(),
        ],
        output_column_name="first_name",
    )


def _surname() -> cl.CustomComparison:
    return cl.CustomComparison(
        [
            cll.NullLevel("surname"),
            cll.ExactMatchLevel("surname").configure(tf_adjustment_column="surname"),
            # counted once, in the first-name comparison: neutral here
            cll.CustomLevel(_SWAPPED, label_for_charts="Swapped with first name").configure(
                m_probability=0.5,
                u_probability=0.5,
                fix_m_probability=True,
                fix_u_probability=True,
            ),
            cll.JaroWinklerLevel("surname", 0.92),
            cll.JaroWinklerLevel("surname", 0.8),
            cll.ElseLevel(),
        ],
        output_column_name="surname",
    )


def _date_of_birth() -> cl.CustomComparison:
    dob_swapped = (
        "substr(date_of_birth_l, 1, 4) = substr(date_of_birth_r, 1, 4) "
        "and substr(date_of_birth_l, 6, 2) = substr(date_of_birth_r, 9, 2) "
        "and substr(date_of_birth_l, 9, 2) = substr(date_of_birth_r, 6, 2)"
    )
    return cl.CustomComparison(
        [
            cll.NullLevel("date_of_birth"),
            cll.ExactMatchLevel("date_of_birth"),
            cll.CustomLevel(dob_swapped, label_for_charts="Day and month transposed"),
            cll.LevenshteinLevel("date_of_birth", 1),
            cll.LevenshteinLevel("date_of_birth", 2),
            cll.CustomLevel(_day_apart(), label_for_charts="A day apart"),
            cll.CustomLevel(_years_apart(), label_for_charts="Same day and month, year out"),
            cll.ElseLevel(),
        ],
        output_column_name="date_of_birth",
    )


def _day_apart() -> str:
    """SQL: the dates of birth are a day apart (31/12/1999 and 01/01/2000: born near midnight,
    or a day keyed one out across a month's end, beyond the edit levels). Written the same in
    DuckDB's SQL and Spark's."""
    left = "try_cast(date_of_birth_l as date)"
    right = "try_cast(date_of_birth_r as date)"
    return f"({left} + interval 1 day = {right} or {right} + interval 1 day = {left})"


def _years_apart() -> str:
    """SQL: the same day and month, the year one or ten out (2006 keyed as 1996, or as the
    year before): a mother and daughter of one name share a birthday one time in 365, and are
    never under ten years apart, so this stays evidence of one person."""
    return (
        "substr(date_of_birth_l, 6, 5) = substr(date_of_birth_r, 6, 5) and "
        "abs(cast(substr(date_of_birth_l, 1, 4) as int) "
        "- cast(substr(date_of_birth_r, 1, 4) as int)) in (1, 10)"
    )


def _address() -> cl.CustomComparison:
    same_dwelling = "address_key_l = address_key_r"
    shared_contact = "(email_l = email_r or phone_l = phone_r)"
    same_house_in_district = "dwelling_l = dwelling_r and postcode_outward_l = postcode_outward_r"
    same_house_no_postcode = (
        "dwelling_l = dwelling_r and (postcode_outward_l is null or postcode_outward_r is null)"
    )
    nothing_to_compare = (
        "(postcode_l is null or postcode_r is null) "
        "and (address_line_l is null or address_line_r is null) "
        "and (email_l is null or email_r is null) and (phone_l is null or phone_r is null)"
    )
    return cl.CustomComparison(
        [
            cll.CustomLevel(nothing_to_compare).configure(is_null_level=True),
            cll.CustomLevel(
                f"{same_dwelling} and {shared_contact}",
                label_for_charts="Same dwelling and shared phone or e-mail",
            ),
            cll.CustomLevel(same_dwelling, label_for_charts="Same dwelling"),
            cll.CustomLevel(shared_contact, label_for_charts="Shared phone or e-mail"),
            cll.CustomLevel(same_house_in_district, label_for_charts="Same house, district"),
            cll.CustomLevel(same_house_no_postcode, label_for_charts="Same house, no postcode"),
            cll.ExactMatchLevel("postcode").configure(label_for_charts="Same postcode"),
            cll.ExactMatchLevel("postcode_sector"),
            cll.ExactMatchLevel("postcode_outward"),
            cll.ElseLevel(),
        ],
        output_column_name="address",
    )


def _nino() -> cl.CustomComparison:
    return cl.CustomComparison(
        [
            cll.NullLevel("nino"),
            cll.ExactMatchLevel("nino"),
            cll.DamerauLevenshteinLevel("nino", 1),
            cll.ElseLevel(),
        ],
        output_column_name="nino",
    )


def apply_rules(
    frame: pd.DataFrame,
    model: dict[str, Any],
    parameters: LinkageParameters,
    rare_first_name: np.ndarray[Any, np.dtype[np.bool_]] | None = None,
) -> pd.DataFrame:
    """Splink's scored pairs as ``left``, ``right``, ``match_weight``, ``match_probability``,
    after the personal-evidence and NINO rules (``vetoed``, ``cannot_link``).

    ``rare_first_name`` marks the records (by position) whose first name few records carry:
    see ``LinkageParameters.rare_first_name``."""
    out = pd.DataFrame(
        {
            "left": frame[f"{UNIQUE_ID}_l"].to_numpy(dtype=np.int64),
            "right": frame[f"{UNIQUE_ID}_r"].to_numpy(dtype=np.int64),
            "match_weight": frame["match_weight"].to_numpy(dtype=np.float64),
            "match_probability": frame["match_probability"].to_numpy(dtype=np.float64),
        }
    )
    if "bare_l" in frame:
        out["bare_left"] = frame["bare_l"].to_numpy(dtype=bool)
        out["bare_right"] = frame["bare_r"].to_numpy(dtype=bool)
    top = _top_gammas(model)
    first = frame["gamma_first_name"].to_numpy()
    dob = frame["gamma_date_of_birth"].to_numpy()
    nino = frame["gamma_nino"].to_numpy()
    veto = np.zeros(len(out), dtype=bool)
    if parameters.personal_evidence_rule:
        nino_agrees = nino >= top["nino"] - 1
        personal = (first > 0) | ((first == -1) & (dob > 0)) | nino_agrees
        veto |= ~personal
        veto |= (dob == 0) & ~nino_agrees  # dates of birth differ beyond a typo
    if parameters.nino_rule:
        veto |= nino == 0
    out.loc[veto, "match_probability"] = 0.0
    out["vetoed"] = veto
    # a veto for *disagreement* (not mere lack of evidence) also keeps the two records'
    # clusters apart; a rare first name (a typo on a nickname, a form no table holds)
    # differing is too weak a sign of two people for that
    rare = np.zeros(len(out), dtype=bool)
    if rare_first_name is not None:
        rare = rare_first_name[out["left"].to_numpy()] | rare_first_name[out["right"].to_numpy()]
    disagree = ((first == 0) & ~rare) | (dob == 0)
    if parameters.nino_rule:
        disagree |= nino == 0
    out["cannot_link"] = veto & disagree
    # DuckDB returns rows in any order: sort so that clustering (which breaks ties in
    # weight by position) gives the same persons on every run
    return out.sort_values(["left", "right"], kind="stable").reset_index(drop=True)


def rare_first_names(names: pd.Series, fewer_than: int) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Which records' first names fewer than ``fewer_than`` records carry (missing: not rare)."""
    seen = names.map(names.value_counts()).to_numpy(dtype=np.float64, na_value=np.inf)
    return np.asarray(seen < fewer_than, dtype=bool)


def _top_gammas(model: dict[str, Any]) -> dict[str, int]:
    tops: dict[str, int] = {}
    for comparison in model["comparisons"]:
        levels = [lv for lv in comparison["comparison_levels"] if not lv.get("is_null_level")]
        tops[comparison["output_column_name"]] = len(levels) - 1
    return tops
