from __future__ import annotations

import contextlib
import re
from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from changemaker.insight.engine.schema import PERSON_FIELDS
from changemaker.insight.engine.standardise import (
    DERIVED_COLUMNS,
    address_key,
    canonical_first_name,
    dwelling,
    parse_date,
    standardise_address,
    standardise_date,
    standardise_email,
    standardise_frame,
    standardise_name,
    standardise_nino,
    standardise_phone,
    standardise_postcode,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  O'Brien-SMITH ", "obrien smith"),
        ("JOSÉ", "jose"),
        ("Mr John", "john"),
        ("mr", "mr"),
        ("Anne-Marie", "anne marie"),
        ("St. John", "st john"),
        ("", None),
        ("  ", None),
        ("123", None),
        (None, None),
        (float("nan"), None),
    ],
)
def test_standardise_name(raw: object, expected: str | None) -> None:
    assert standardise_name(raw) == expected


@pytest.mark.parametrize(
    ("name", "canonical"),
    [("bill", "william"), ("liz", "elizabeth"), ("william", "william"), ("bob james", "robert")],
)
def test_nicknames(name: str, canonical: str) -> None:
    assert canonical_first_name(name) == canonical


@settings(deadline=None)
@given(st.text(max_size=40))
def test_standardise_name_is_idempotent_and_clean(text: str) -> None:
    once = standardise_name(text)
    assert standardise_name(once) == once
    if once is not None:
        assert re.fullmatch(r"[a-z]+( [a-z]+)*", once)


@pytest.mark.parametrize(
    ("raw", "full", "outward", "inward"),
    [
        ("sw1a1aa", "SW1A 1AA", "SW1A", "1AA"),
        (" ec1a  1bb ", "EC1A 1BB", "EC1A", "1BB"),
        ("M1 1AE", "M1 1AE", "M1", "1AE"),
        ("b33 8th", "B33 8TH", "B33", "8TH"),
        ("75008", "75008", None, None),  # Paris: kept as it is
        ("D02 X285", "D02 X285", None, None),  # Dublin Eircode: kept as it is
    ],
)
def test_standardise_postcode(raw: str, full: str, outward: str | None, inward: str | None) -> None:
    postcode = standardise_postcode(raw)
    assert postcode is not None
    assert (postcode.full, postcode.outward, postcode.inward) == (full, outward, inward)
    assert postcode.is_uk == (outward is not None)


_letters = st.sampled_from("ABCDEFGHJKLMNOPRSTUWYZ")
_uk_postcodes = st.builds(
    lambda a, d, b, n, c1, c2: f"{a}{d}{b} {n}{c1}{c2}",
    st.text(_letters, min_size=1, max_size=2),
    st.integers(1, 99).map(str),
    st.sampled_from(["", "A", "W"]),
    st.integers(0, 9).map(str),
    _letters,
    _letters,
).filter(lambda p: re.fullmatch(r"[A-Z]{1,2}[0-9][A-Z0-9]? [0-9][A-Z]{2}", p) is not None)


@settings(deadline=None)
@given(_uk_postcodes, st.sampled_from(["", " ", "  "]), st.booleans())
def test_any_spacing_and_case_of_a_uk_postcode_standardises_the_same(
    postcode: str, gap: str, lower: bool
) -> None:
    outward, inward = postcode.split(" ")
    messy = f" {outward}{gap}{inward} "
    result = standardise_postcode(messy.lower() if lower else messy)
    assert result is not None
    assert result.full == postcode
    assert (result.outward, result.inward) == (outward, inward)


@settings(deadline=None)
@given(st.text(max_size=20))
def test_postcode_never_fails_and_is_idempotent(text: str) -> None:
    result = standardise_postcode(text)
    if result is not None:
        again = standardise_postcode(result.full)
        assert again == result


@settings(deadline=None)
@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9999, 12, 31)))
def test_both_date_formats_parse(day: date) -> None:
    assert parse_date(day.isoformat()) == day
    assert parse_date(day.strftime("%d/%m/") + f"{day.year:04d}") == day
    assert parse_date(f"{day.day}/{day.month}/{day.year:04d}") == day
    assert standardise_date(f" {day.isoformat()} ") == day.isoformat()


@pytest.mark.parametrize(
    "bad", ["31/02/2000", "2000-13-01", "12.03.1990", "1990/03/12", "yesterday"]
)
def test_bad_dates_raise_value_error(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_date(bad)


@settings(deadline=None)
@given(st.text(max_size=20))
def test_parse_date_only_ever_raises_value_error(text: str) -> None:
    with contextlib.suppress(ValueError):
        parse_date(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("ab 12 34 56 c", "AB123456"),
        ("AB123456", "AB123456"),
        ("CE123456C", "CE123456"),
        ("QQ123456C", None),  # Q is never a first letter
        ("GB123456A", None),  # administrative prefix
        ("DA123456A", None),  # D is never a first letter
        ("AB12345", None),
        ("", None),
    ],
)
def test_standardise_nino(raw: str, expected: str | None) -> None:
    assert standardise_nino(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+44 7700 900123", "07700900123"),
        ("07700 900123", "07700900123"),
        ("0044 1632 960001", "01632960001"),
        ("(01632) 960 001", "01632960001"),
        ("12345", None),
    ],
)
def test_standardise_phone(raw: str, expected: str | None) -> None:
    assert standardise_phone(raw) == expected


def test_standardise_email() -> None:
    assert standardise_email(" Jo.Bloggs@Example.COM ") == "jo.bloggs@example.com"
    assert standardise_email("not an email") is None


@pytest.mark.parametrize(
    ("raw", "expected", "house"),
    [
        ("12 High St.", "12 high street", "12 high"),
        ("Flat 2, 12A High Street, Exampleton", "flat 2 12a high street exampleton", "2 12a high"),
        ("Apt 2 12 a high rd", "flat 2 12a high road", "2 12a high"),
        ("Rose Cottage, Mill Lane", "rose cottage mill lane", "rose cottage"),
    ],
)
def test_addresses(raw: str, expected: str, house: str) -> None:
    assert standardise_address(raw) == expected
    assert dwelling(expected) == house
    assert address_key(standardise_postcode("xm1 1aa"), expected) == f"XM1 1AA|{house}"


def test_no_household_key_without_a_uk_postcode_or_address() -> None:
    assert address_key(standardise_postcode("75008"), "12 rue de rivoli") is None
    assert address_key(standardise_postcode("XM1 1AA"), None) is None
    assert address_key(None, "12 high street") is None


_values = st.one_of(st.none(), st.text(max_size=15))


@settings(deadline=None)
@given(
    st.lists(
        st.tuples(_values, _values, _values, _values, _values, _values, _values, _values),
        min_size=1,
        max_size=8,
    )
)
def test_frame_agrees_with_the_scalar_functions(rows: list[tuple[str | None, ...]]) -> None:
    frame = pd.DataFrame(
        [("svc", str(i), *values) for i, values in enumerate(rows)], columns=list(PERSON_FIELDS)
    )
    frame["date_of_birth"] = None  # dates are validated by the importers before this step
    out = standardise_frame(frame)
    assert list(out.columns) == [*PERSON_FIELDS, *DERIVED_COLUMNS]
    for i, row in frame.iterrows():
        assert out.at[i, "first_name"] == standardise_name(row["first_name"])
        assert out.at[i, "surname"] == standardise_name(row["surname"])
        assert out.at[i, "nino"] == standardise_nino(row["nino"])
        assert out.at[i, "phone"] == standardise_phone(row["phone"])
        assert out.at[i, "email"] == standardise_email(row["email"])
        assert out.at[i, "address_line"] == standardise_address(row["address_line"])
        postcode = standardise_postcode(row["postcode"])
        assert out.at[i, "postcode"] == (None if postcode is None else postcode.full)
